/*
 * The search index from nothing.  The articles are read in ranges, one
 * set of terms per range, on every core; then the ranges' terms are
 * joined, each term's postings encoded as an entry (again on every
 * core), and the terms sorted into shards by the hash of their keys.
 * The same files come out whatever the number of threads.
 */
#include "full.h"

#include <stdlib.h>

#include "../../util/pool.h"
#include "../../util/xalloc.h"
#include "shards.h"

#define PART_MIN	64	/* articles in a range at least */
#define PARTS_MAX	8	/* ranges read in parallel at most */

/* A term's place in the output, for sorting. */
struct search_slot {
	uint32_t shard;
	uint32_t id;
	char	 key[SEARCH_KEY_MAX];	/* UTF-8 of its characters */
	size_t	 keylen;
};

/* Indexes a range of articles and puts their files. */
static void
read_part(void *arg, size_t worker, size_t i)
{
	struct search_pass *job = arg;
	struct search_terms *ix = &job->parts[i];
	struct search_worker *w = &job->workers[worker];
	size_t n = job->site->narticles, a, nchars;
	size_t end = n * (i + 1) / job->nparts;
	char path[64];

	search_terms_init(ix, (uint32_t)(n * i / job->nparts));
	for (a = ix->doc; a < end; a++) {
		search_pass_read_body(job, worker, a);
		search_doc_make(&w->doc, &job->site->articles[a]);
		search_pass_drop_body(job, worker, a);
		nchars = search_doc_chars(&w->lz, w->doc.data, w->doc.len);
		search_terms_add_doc(ix, w->lz.cps, nchars);
		search_doc_encode(&w->coded, &w->lz, nchars, job->coder);
		search_doc_path(path, sizeof(path), a);
		search_pass_put(job, worker, path, w->coded.data, w->coded.len,
		    &job->doc_hashes[a]);
	}
}

static void
encode_one(void *arg, size_t worker, size_t i)
{
	struct search_pass *job = arg;
	struct search_worker *w = &job->workers[worker];
	struct search_term *t = &job->ix->terms[i], *from;
	size_t k;
	int64_t id;

	/*
	 * Each part numbers its articles as the site does, and read those
	 * after the part before: their postings follow one another.
	 */
	w->pl.n = 0;
	for (k = 0; k < job->nparts; k++) {
		id = k == 0 ? (int64_t)i :
		    search_terms_find(&job->parts[k], t->cp);
		if (id < 0)
			continue;
		from = &job->parts[k].terms[id];
		search_term_decode_append(from, NULL, &w->pl);
		buf_free(&from->post);
	}
	t->worker = worker;
	t->off = w->entries.len;
	search_entry_encode(&w->pl, (uint32_t)job->site->narticles, &w->sc,
	    &w->entries);
	t->len = w->entries.len - t->off;
}

static int
compare_slots(const void *pa, const void *pb)
{
	const struct search_slot *a = pa, *b = pb;

	if (a->shard != b->shard)
		return a->shard < b->shard ? -1 : 1;
	return search_compare_keys(a->key, a->keylen, b->key, b->keylen);
}

static void
put_shard(void *arg, size_t worker, size_t j)
{
	struct search_pass *job = arg;
	struct buf *b = &job->workers[worker].shard;
	const struct search_term *t;
	const struct search_slot *sl;
	size_t i;
	char path[64];

	buf_truncate(b, 0);
	search_put_varint(b, job->starts[j + 1] - job->starts[j]);
	for (i = job->starts[j]; i < job->starts[j + 1]; i++) {
		sl = &job->slots[i];
		t = &job->ix->terms[sl->id];
		search_shard_append(b, sl->key, sl->keylen,
		    job->workers[t->worker].entries.data + t->off, t->len);
	}
	search_shard_path(path, sizeof(path), job->bits, j);
	search_pass_put(job, worker, path, b->data, b->len,
	    &job->shard_hashes[j]);
}

/* Sorts the terms into shards and puts them. */
static void
write_shards(struct search_pass *job)
{
	struct search_terms *ix = job->ix;
	size_t i, j, nshards;

	job->slots = xcalloc(ix->nterms + 1, sizeof(*job->slots));
	job->total = 0;
	for (i = 0; i < ix->nterms; i++) {
		search_term_key(ix->terms[i].cp, job->slots[i].key,
		    &job->slots[i].keylen);
		job->slots[i].id = (uint32_t)i;
		job->total += search_term_size(job->slots[i].keylen,
		    ix->terms[i].len);
	}
	job->bits = search_shard_bits(job->total);
	nshards = (size_t)1 << job->bits;
	for (i = 0; i < ix->nterms; i++)
		job->slots[i].shard = search_hash_key(job->slots[i].key,
		    job->slots[i].keylen) & (uint32_t)(nshards - 1);
	qsort(job->slots, ix->nterms, sizeof(*job->slots), compare_slots);
	job->starts = xcalloc(nshards + 1, sizeof(*job->starts));
	for (i = 0, j = 0; j <= nshards; j++) {
		while (i < ix->nterms && job->slots[i].shard < j)
			i++;
		job->starts[j] = i;
	}
	job->shard_hashes = xcalloc(nshards, sizeof(*job->shard_hashes));
	pool_for(job->nthreads, nshards, put_shard, job);
}

void
search_full_build(struct search_pass *job)
{
	const struct site *s = job->site;
	size_t i;

	/* Ranges do not depend on the machine: every one merges the same. */
	job->nparts = s->narticles / PART_MIN;
	if (job->nparts > PARTS_MAX)
		job->nparts = PARTS_MAX;
	if (job->nparts == 0)
		job->nparts = 1;
	job->parts = xcalloc(job->nparts, sizeof(*job->parts));
	pool_for(job->nthreads, job->nparts, read_part, job);
	job->ix = &job->parts[0];
	for (i = 1; i < job->nparts; i++)
		search_terms_union(job->ix, &job->parts[i]);
	pool_for(job->nthreads, job->ix->nterms, encode_one, job);
	for (i = 1; i < job->nparts; i++)
		search_terms_free(&job->parts[i]);
	write_shards(job);
}
