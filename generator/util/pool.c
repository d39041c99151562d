#include "pool.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

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
};

static void *
work(void *p)
{
	struct pool_worker *w = p;
	size_t i;

	while ((i = atomic_fetch_add(&w->job->next, 1)) < w->job->count)
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
	pthread_t *threads;
	size_t n = pool_threads(nthreads), i, started = 0;

	if (n > count)
		n = count ? count : 1;
	w = xcalloc(n, sizeof(*w));
	threads = xcalloc(n, sizeof(*threads));
	for (i = 0; i < n; i++) {
		w[i].job = &job;
		w[i].id = i;
	}
	/* Worker 0 is this thread; a thread that cannot start is not fatal. */
	for (i = 1; i < n; i++) {
		if (pthread_create(&threads[i], NULL, work, &w[i]) != 0)
			break;
		started = i;
	}
	work(&w[0]);
	for (i = 1; i <= started; i++)
		pthread_join(threads[i], NULL);
	free(w);
	free(threads);
}
