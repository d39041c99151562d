/*
 * Parallel loops: run fn(arg, worker, i) for every i in [0, count) on a
 * number of threads.  Items are handed out from a shared counter in runs
 * that shrink to one item as the loop nears its end, so slow items do
 * not stall a fixed share of the work.
 */
#ifndef JICENG_POOL_H
#define JICENG_POOL_H

#include <stddef.h>

typedef void pool_fn(void *arg, size_t worker, size_t i);

/*
 * Runs the loop on nthreads threads (the caller's included) and returns
 * when every item is done.  nthreads 0 means one per online core.
 */
void	 pool_for(size_t nthreads, size_t count, pool_fn *fn, void *arg);
/* The number of threads pool_for would use for nthreads. */
size_t	 pool_threads(size_t nthreads);

#endif
