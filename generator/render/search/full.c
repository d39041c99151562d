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
#include "packs.h"
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

/* The first article of part i: parts start at a pack's first. */
static size_t
part_start(const struct search_pass *job, size_t i)
{
	size_t n = job->site->narticles, packs = search_pack_count(n);
	size_t first = packs * i / job->nparts * SEARCH_PACK_MEMBERS;

	return first < n ? first : n;
}

/* Indexes a range of articles and puts their packs. */
static void
read_part(void *arg, size_t worker, size_t i)
{
	struct search_pass *job = arg;
	struct search_terms *ix = &job->parts[i];
	struct search_worker *w = &job->workers[worker];
	size_t n = job->site->narticles, a, nchars, pack;
	size_t end = part_start(job, i + 1);
	char path[64];

	search_terms_init(ix, (uint32_t)part_start(job, i));
	for (a = ix->doc; a < end; a++) {
		search_pass_read_body(job, worker, a);
		search_doc_make(&w->doc, &job->site->articles[a]);
		search_pass_drop_body(job, worker, a);
		nchars = search_doc_chars(&w->lz, w->doc.data, w->doc.len);
		search_terms_add_doc(ix, w->lz.cps, nchars);
		search_doc_encode(&w->coded, &w->lz, nchars, job->coder);
		pack = a / SEARCH_PACK_MEMBERS;
		search_pack_path(path, sizeof(path), "docs", pack);
		if (a % SEARCH_PACK_MEMBERS == 0)
			search_pack_start(&w->pack, path,
			    search_pack_members(n, pack));
		search_pack_add(&w->pack, w->coded.data, w->coded.len);
		if (w->pack.added < w->pack.count)
			continue;
		search_pack_finish(&w->pack);
		search_pass_put_file(job, worker, path, w->pack.file.data,
		    w->pack.file.len, &job->doc_packs[pack]);
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

/* Puts pack k of the shards, each shard's terms sorted by key. */
static void
put_shard_pack(void *arg, size_t worker, size_t k)
{
	struct search_pass *job = arg;
	struct search_worker *w = &job->workers[worker];
	struct buf *b = &w->shard;
	size_t nshards = (size_t)1 << job->bits, i, j;
	size_t first = k * SEARCH_PACK_MEMBERS;
	size_t end = first + search_pack_members(nshards, k);
	const struct search_term *t;
	const struct search_slot *sl;
	char path[64];

	search_pack_path(path, sizeof(path), "shards", k);
	search_pack_start(&w->pack, path, end - first);
	for (j = first; j < end; j++) {
		buf_truncate(b, 0);
		search_put_varint(b, job->starts[j + 1] - job->starts[j]);
		for (i = job->starts[j]; i < job->starts[j + 1]; i++) {
			sl = &job->slots[i];
			t = &job->ix->terms[sl->id];
			search_shard_append(b, sl->key, sl->keylen,
			    job->workers[t->worker].entries.data + t->off,
			    t->len);
		}
		search_pack_add(&w->pack, b->data, b->len);
	}
	search_pack_finish(&w->pack);
	search_pass_put_file(job, worker, path, w->pack.file.data,
	    w->pack.file.len, &job->shard_packs[k]);
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
	job->shard_packs = xcalloc(search_pack_count(nshards),
	    sizeof(*job->shard_packs));
	pool_for(job->nthreads, search_pack_count(nshards), put_shard_pack,
	    job);
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
	if (job->nparts > search_pack_count(s->narticles))
		job->nparts = search_pack_count(s->narticles);
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
