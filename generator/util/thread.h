/*
 * Background threads: the one way jiceng starts a thread beside its own
 * work and waits for it.  A thread that cannot start runs its work on
 * the caller's thread there and then, so no caller needs a second path,
 * unless the caller asks to hear of it instead; and waiting is safe on a thread that ran inline, was waited for
 * already or was never started, so every exit path can wait.
 */
#ifndef JICENG_THREAD_H
#define JICENG_THREAD_H

#include <pthread.h>
#include <stdbool.h>

struct thread {
	pthread_t id;
	bool	 running;	/* started and not joined yet */
};

#define THREAD_INIT { .running = false }

/* Runs fn(arg) on a new thread, or on this one when none can start. */
void	 thread_start(struct thread *t, void *(*fn)(void *), void *arg);
/*
 * Runs fn(arg) on a new thread and returns true, or returns false with
 * fn not run: for work that lasts until told to stop, or that is better
 * left undone than done on the caller's time.
 */
bool	 thread_spawn(struct thread *t, void *(*fn)(void *), void *arg);
/* Waits until fn has returned; does nothing when there is no thread. */
void	 thread_join(struct thread *t);

#endif
