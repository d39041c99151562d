/*
 * What one search_write shares between its threads, and the steps both
 * ways of making the index take: reading an article's body, putting a
 * file.  The index from nothing is full.c's, the patch of the previous
 * one patch.c's; search.c drives them.  Private to render/search/.
 */
#ifndef JICENG_SEARCH_PASS_H
#define JICENG_SEARCH_PASS_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "../../model/site.h"
#include "../../util/buf.h"
#include "../search.h"
#include "docs.h"
#include "packs.h"
#include "sets.h"
#include "terms.h"

/* A thread's own buffers. */
struct search_worker {
	struct buf doc, coded, shard;
	struct search_pack pack;	/* the pack it is writing */
	struct buf entries;	/* encoded entries of the terms it did */
	struct search_lz lz;
	struct search_scratch sc;
	struct search_postings pl, other;
};

/* A term's place in the output, for sorting (full.c's). */
struct search_slot;

/* What the threads share. */
struct search_pass {
	const struct site *site;
	const struct search_options *opt;
	const struct search_output *out;
	size_t	 nthreads;
	struct search_worker *workers;	/* owned; nthreads */
	struct search_coder *coder;	/* owned */
	struct search_terms *parts;	/* owned; one per range of articles */
	size_t	 nparts;
	struct search_terms *ix;	/* all of them, once merged */
	struct search_slot *slots;	/* owned; terms by shard, then key */
	size_t	*starts;	/* owned; per shard: its first slot */
	unsigned bits;		/* of the shard number */
	uint64_t total;		/* bytes of all entries, to pick bits */
	uint64_t *fingerprints;	/* owned; per article: its text's inputs */
	uint64_t *doc_packs;	/* owned; per pack of articles: its hash */
	uint64_t *shard_packs;	/* owned; per pack of shards: its hash */
	atomic_int failed;	/* a body or a file could not be had */
	atomic_size_t put;	/* files put */
};

/*
 * Puts a file as its bytes are, and notes their hash in *hash.  A
 * failure marks the job failed.
 */
void	 search_pass_put_file(struct search_pass *job, size_t worker,
	    const char *path, const void *data, size_t len, uint64_t *hash);
/* The same with data wrapped as a script, unless path is JSON. */
void	 search_pass_put(struct search_pass *job, size_t worker,
	    const char *path, const void *data, size_t len, uint64_t *hash);
/* Reads article i's body, when the caller has to. */
void	 search_pass_read_body(struct search_pass *job, size_t worker,
	    size_t i);
/* Tells the caller article i's body is read. */
void	 search_pass_drop_body(struct search_pass *job, size_t worker,
	    size_t i);
void	 search_pass_free(struct search_pass *job);

#endif
