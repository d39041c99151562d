/*
 * The search index from nothing: every article read, on every core.
 * Private to render/search/.
 */
#ifndef JICENG_SEARCH_FULL_H
#define JICENG_SEARCH_FULL_H

#include "pass.h"

/*
 * Reads every article of job->site, puts its file, and puts the shards
 * of all their terms, setting job's bits, total and hashes.  A body or
 * a file that cannot be had marks the job failed.
 */
void	 search_full_build(struct search_pass *job);

#endif
