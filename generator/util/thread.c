#include "thread.h"

void
thread_start(struct thread *t, void *(*fn)(void *), void *arg)
{
	if (!thread_spawn(t, fn, arg))
		fn(arg);
}

bool
thread_spawn(struct thread *t, void *(*fn)(void *), void *arg)
{
	t->running = pthread_create(&t->id, NULL, fn, arg) == 0;
	return t->running;
}

void
thread_join(struct thread *t)
{
	if (!t->running)
		return;
	pthread_join(t->id, NULL);
	t->running = false;
}
