#include "pool.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "thread.h"
#include "xalloc.h"

struct pool_job {
	pool_fn	*fn;
	void	*arg;
	size_t	 count;
	atomic_size_t next;
};

struct pool_worker {
	struct pool_job *job;
	size_t	 id;
	size_t	 nthreads;
};

/*
 * Takes the next run of items into [*first, *end): a share of what is
 * left that shrinks as the loop nears its end, so that the threads end
 * together however uneven the items.  One item at a time, cheap items
 * spent more on the shared counter than on themselves.
 */
static bool
take(struct pool_worker *w, size_t *first, size_t *end)
{
	struct pool_job *job = w->job;
	size_t i = atomic_load(&job->next), run;

	do {
		if (i >= job->count)
			return false;
		run = (job->count - i) / (4 * w->nthreads);
		if (run == 0)
			run = 1;
	} while (!atomic_compare_exchange_weak(&job->next, &i, i + run));
	*first = i;
	*end = i + run;
	return true;
}

static void *
work(void *p)
{
	struct pool_worker *w = p;
	size_t i, end;

	while (take(w, &i, &end))
		for (; i < end; i++)
			w->job->fn(w->job->arg, w->id, i);
	return NULL;
}

size_t
pool_threads(size_t nthreads)
{
	long n;

	if (nthreads > 0)
		return nthreads;
	n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (size_t)n : 1;
}

void
pool_for(size_t nthreads, size_t count, pool_fn *fn, void *arg)
{
	struct pool_job job = { fn, arg, count, 0 };
	struct pool_worker *w;
	struct thread *threads;
	size_t n = pool_threads(nthreads), i;

	if (n > count)
		n = count ? count : 1;
	w = xcalloc(n, sizeof(*w));
	threads = xcalloc(n, sizeof(*threads));
	for (i = 0; i < n; i++) {
		w[i].job = &job;
		w[i].id = i;
		w[i].nthreads = n;
	}
	/*
	 * Worker 0 is this thread.  A worker whose thread cannot start
	 * works here at once, taking every item left: the others then
	 * find none.
	 */
	for (i = 1; i < n; i++)
		thread_start(&threads[i], work, &w[i]);
	work(&w[0]);
	for (i = 1; i < n; i++)
		thread_join(&threads[i]);
	free(w);
	free(threads);
}
