/*
 * Patching the previous index, as patch.h tells it.  The result is the
 * same, byte for byte, as an index made from nothing: an entry is the
 * old one less the changed articles' postings plus their new ones, and
 * the shards keep their order of keys.
 */
#include "patch.h"

#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "../../util/fs.h"
#include "../../util/pool.h"
#include "../../util/xalloc.h"
#include "bytes.h"
#include "packs.h"
#include "shards.h"

#define PATCH_MIN	32	/* changed articles a patch always takes */

/* A term whose postings the changed articles change. */
struct search_change {
	uint32_t shard;
	char	 key[SEARCH_KEY_MAX];
	size_t	 keylen;
	int64_t	 now;		/* the term in patch.now, or -1 */
};

void
search_patch_free(struct search_patch *p)
{
	size_t i;

	search_state_free(&p->st);
	for (i = 0; i < p->ndoc_packs && p->doc_files != NULL; i++)
		free(p->doc_files[i]);
	for (i = 0; i < p->nshard_packs && p->shard_files != NULL; i++)
		free(p->shard_files[i]);
	free(p->changed);
	free(p->is_changed);
	search_terms_free(&p->old);
	search_terms_free(&p->now);
	free(p->doc_packs);
	free(p->doc_files);
	free(p->doc_filelens);
	free(p->doc_touched);
	free(p->changes);
	free(p->firsts);
	free(p->touched);
	free(p->pack_firsts);
	free(p->shard_touched);
	free(p->shard_files);
	free(p->shard_filelens);
	free(p->deltas);
}

/*
 * Reads pack n of kind, of count members, as the previous build wrote
 * it, when its bytes are those the state recorded: *data holds them
 * for v.  Returns 0, or -1 (nothing to free) otherwise.
 */
static int
read_pack(const struct search_pass *job, const char *kind, size_t n,
    size_t count, uint64_t hash, char **data, struct search_pack_view *v)
{
	char path[64], *fspath;
	size_t len;
	int rc = -1;

	search_pack_path(path, sizeof(path), kind, n);
	fspath = fs_join(job->opt->out_dir, path);
	*data = NULL;
	if (fs_read(fspath, data, &len) == 0 &&
	    XXH3_64bits(*data, len) == hash &&
	    search_pack_open(v, path, *data, len, count) == 0)
		rc = 0;
	else {
		free(*data);
		*data = NULL;
	}
	free(fspath);
	return rc;
}

/* Keeps a new pack's file, as *file and *len. */
static void
take_pack(struct search_pack *pack, char **file, size_t *len)
{
	search_pack_finish(pack);
	*len = pack->file.len;
	*file = buf_detach(&pack->file);
}

/*
 * Indexes the old text (decoded from the pack v of the previous build)
 * and the new of changed article k, and adds its new file to w->pack.
 * Returns 1, 0 when the old member is no article file, or -1 when the
 * body cannot be read.
 */
static int
read_one(struct search_pass *job, struct search_patch *p,
    const struct search_pack_view *v, size_t k, struct buf *old)
{
	struct search_worker *w = &job->workers[0];
	size_t i = p->changed[k], nchars;

	if (search_pack_member(v, i % SEARCH_PACK_MEMBERS, old) == -1 ||
	    search_doc_decode(&w->lz, (const unsigned char *)old->data,
	    old->len, job->coder, &nchars) == -1)
		return 0;
	search_terms_add_doc(&p->old, w->lz.cps, nchars);
	search_pass_read_body(job, 0, i);
	if (atomic_load(&job->failed))
		return -1;
	search_doc_make(&w->doc, &job->site->articles[i]);
	search_pass_drop_body(job, 0, i);
	nchars = search_doc_chars(&w->lz, w->doc.data, w->doc.len);
	search_terms_add_doc(&p->now, w->lz.cps, nchars);
	search_doc_encode(&w->coded, &w->lz, nchars, job->coder);
	search_pack_add(&w->pack, w->coded.data, w->coded.len);
	return 1;
}

/*
 * Indexes the changed articles' old text and new, a pack of articles at
 * a time, and makes the new files of those packs: the members of the
 * others as they were.  Returns 1, 0 when an old file is not as
 * recorded, or -1 when a body cannot be read.
 */
static int
read_changed(struct search_pass *job, struct search_patch *p)
{
	struct search_pack *pack = &job->workers[0].pack;
	struct search_pack_view v = { 0 };
	struct buf old = BUF_INIT;
	size_t n = job->site->narticles, k, m, end, pk, count;
	char path[64], *data = NULL;
	int rc = 0;

	search_terms_init(&p->old, 0);
	search_terms_init(&p->now, 0);
	p->doc_packs = xcalloc(p->nchanged + 1, sizeof(*p->doc_packs));
	p->doc_files = xcalloc(p->nchanged + 1, sizeof(*p->doc_files));
	p->doc_filelens = xcalloc(p->nchanged + 1, sizeof(*p->doc_filelens));
	p->doc_touched = xcalloc(search_pack_count(n) + 1, 1);
	for (k = 0; k < p->nchanged; k = end) {
		pk = p->changed[k] / SEARCH_PACK_MEMBERS;
		count = search_pack_members(n, pk);
		if (read_pack(job, "docs", pk, count, p->st.doc_packs[pk], &data,
		    &v) == -1)
			goto out;
		search_pack_path(path, sizeof(path), "docs", pk);
		search_pack_start(pack, path, count);
		for (m = 0, end = k; m < count; m++) {
			if (end == p->nchanged ||
			    p->changed[end] != pk * SEARCH_PACK_MEMBERS + m) {
				search_pack_copy(pack, &v, m);
				continue;
			}
			if ((rc = read_one(job, p, &v, end++, &old)) != 1)
				goto out;
		}
		rc = 0;
		p->doc_touched[pk] = 1;
		p->doc_packs[p->ndoc_packs] = pk;
		take_pack(pack, &p->doc_files[p->ndoc_packs],
		    &p->doc_filelens[p->ndoc_packs]);
		p->ndoc_packs++;
		search_pack_close(&v);
		free(data);
		data = NULL;
	}
	rc = 1;
out:
	search_pack_close(&v);
	free(data);
	buf_free(&old);
	return rc;
}

static void
add_change(struct search_patch *p, size_t *cap, const int32_t cp[3],
    unsigned bits, int64_t now)
{
	struct search_change *c;

	if (p->nchanges == *cap) {
		*cap = *cap ? *cap * 2 : 256;
		p->changes = xreallocarray(p->changes, *cap,
		    sizeof(*p->changes));
	}
	c = &p->changes[p->nchanges++];
	search_term_key(cp, c->key, &c->keylen);
	c->shard = search_hash_key(c->key, c->keylen) & ((1u << bits) - 1);
	c->now = now;
}

static int
compare_changes(const void *pa, const void *pb)
{
	const struct search_change *a = pa, *b = pb;

	if (a->shard != b->shard)
		return a->shard < b->shard ? -1 : 1;
	return search_compare_keys(a->key, a->keylen, b->key, b->keylen);
}

/* The packs of the shards touched, and where each one's start. */
static void
find_shard_packs(struct search_patch *p)
{
	size_t k, pk;

	p->shard_touched = xcalloc(search_pack_count((size_t)1 <<
	    p->st.bits), 1);
	p->pack_firsts = xcalloc(p->ntouched + 2, sizeof(*p->pack_firsts));
	for (k = 0; k < p->ntouched; k++) {
		pk = p->changes[p->firsts[k]].shard / SEARCH_PACK_MEMBERS;
		if (!p->shard_touched[pk]) {
			p->shard_touched[pk] = 1;
			p->pack_firsts[p->nshard_packs++] = k;
		}
	}
	p->pack_firsts[p->nshard_packs] = p->ntouched;
	p->shard_files = xcalloc(p->nshard_packs + 1,
	    sizeof(*p->shard_files));
	p->shard_filelens = xcalloc(p->nshard_packs + 1,
	    sizeof(*p->shard_filelens));
	p->deltas = xcalloc(p->nshard_packs + 1, sizeof(*p->deltas));
}

/*
 * The terms whose postings differ before and after, sorted by shard and
 * key, and the shards that hold them.
 */
static void
find_changes(struct search_pass *job, struct search_patch *p)
{
	struct search_worker *w = &job->workers[0];
	size_t i, cap = 0, nshards = (size_t)1 << p->st.bits;
	int64_t other;

	for (i = 0; i < p->now.nterms; i++) {
		other = search_terms_find(&p->old, p->now.terms[i].cp);
		if (other >= 0) {
			search_term_decode(&p->now.terms[i], NULL, &w->pl);
			search_term_decode(&p->old.terms[other], NULL,
			    &w->other);
			if (search_postings_equal(&w->pl, &w->other))
				continue;
		}
		add_change(p, &cap, p->now.terms[i].cp, p->st.bits,
		    (int64_t)i);
	}
	for (i = 0; i < p->old.nterms; i++)
		if (search_terms_find(&p->now, p->old.terms[i].cp) < 0)
			add_change(p, &cap, p->old.terms[i].cp, p->st.bits,
			    -1);
	if (p->nchanges > 0)
		qsort(p->changes, p->nchanges, sizeof(*p->changes),
		    compare_changes);
	p->touched = xcalloc(nshards, 1);
	p->firsts = xcalloc(p->nchanges + 2, sizeof(*p->firsts));
	for (i = 0; i < p->nchanges; i++)
		if (i == 0 || p->changes[i].shard != p->changes[i - 1].shard) {
			p->touched[p->changes[i].shard] = 1;
			p->firsts[p->ntouched++] = i;
		}
	p->firsts[p->ntouched] = p->nchanges;
	find_shard_packs(p);
}

/*
 * The postings of a term after the change: the old ones but those of
 * the changed articles, and the changed articles' new ones.
 */
static void
merge_postings(const struct search_postings *old,
    const struct search_postings *now, const uint8_t *is_changed,
    struct search_postings *out)
{
	size_t i = 0, j = 0;

	out->n = 0;
	while (i < old->n || j < now->n) {
		if (i < old->n && is_changed[old->docs[i]]) {
			i++;
		} else if (j == now->n ||
		    (i < old->n && old->docs[i] < now->docs[j])) {
			search_postings_push(out, old->docs[i], old->strong[i],
			    old->tf[i]);
			i++;
		} else {
			search_postings_push(out, now->docs[j], now->strong[j],
			    now->tf[j]);
			j++;
		}
	}
}

/*
 * The new entry of change c in b (emptied first), given the old one (NULL
 * when the shard had no such term).  Returns false when the term is left
 * with no article, or the old entry cannot be read (r->bad).
 */
static bool
patch_entry(struct search_pass *job, struct search_patch *p,
    struct search_worker *w, const struct search_change *c,
    const struct search_shard_term *old, struct buf *b,
    struct search_reader *r)
{
	uint32_t ndocs = (uint32_t)job->site->narticles;
	struct search_postings none = { 0 }, merged = { 0 };
	bool any;

	w->other.n = 0;
	if (old != NULL && search_entry_decode(old->entry, old->len, ndocs,
	    &w->other, &w->sc) == -1) {
		r->bad = true;
		return false;
	}
	if (c->now >= 0)
		search_term_decode(&p->now.terms[c->now], p->changed, &w->pl);
	merge_postings(&w->other, c->now >= 0 ? &w->pl : &none,
	    p->is_changed, &merged);
	buf_truncate(b, 0);
	if ((any = merged.n > 0))
		search_entry_encode(&merged, ndocs, &w->sc, b);
	search_postings_free(&merged);
	return any;
}

/*
 * Makes the new bytes of touched shard k in out (emptied first): its
 * terms, old[len) as the previous build left them, merged with the
 * changes, in key order.  Adds the bytes its terms gain to *delta.
 * Returns false when the old bytes are inconsistent with the state.
 */
static bool
patch_shard(struct search_pass *job, struct search_patch *p,
    struct search_worker *w, size_t k, const struct buf *old,
    struct buf *out, int64_t *delta)
{
	size_t first = p->firsts[k], end = p->firsts[k + 1], ci, count = 0;
	struct buf entry = BUF_INIT, body = BUF_INIT;
	struct search_shard_term t;
	const struct search_change *c;
	struct search_reader r = { (const unsigned char *)old->data,
	    old->len, 0, false };
	uint64_t left;
	int order;

	left = search_read_varint(&r);
	search_shard_next(&r, &left, &t);
	for (ci = first; (t.valid || ci < end) && !r.bad;) {
		c = ci < end ? &p->changes[ci] : NULL;
		order = !t.valid ? 1 : c == NULL ? -1 :
		    search_compare_keys(t.key, t.keylen, c->key, c->keylen);
		if (order < 0) {
			search_shard_append(&body, t.key, t.keylen, t.entry,
			    t.len);
			count++;
			search_shard_next(&r, &left, &t);
			continue;
		}
		if (order > 0 && c->now < 0) {
			/* A term the old articles had must be in the shard. */
			r.bad = true;
			break;
		}
		if (patch_entry(job, p, w, c, order == 0 ? &t : NULL, &entry,
		    &r)) {
			search_shard_append(&body, c->key, c->keylen,
			    entry.data, entry.len);
			count++;
			*delta += (int64_t)search_term_size(c->keylen,
			    entry.len);
		}
		if (order == 0) {
			*delta -= (int64_t)search_term_size(t.keylen,
			    t.len);
			search_shard_next(&r, &left, &t);
		}
		ci++;
	}
	buf_truncate(out, 0);
	search_put_varint(out, count);
	buf_append(out, body.data, body.len);
	buf_free(&entry);
	buf_free(&body);
	return !r.bad && left == 0 && r.pos == r.len;
}

/*
 * Makes the new file of touched pack of shards t: its touched shards
 * patched, the others as they were.  Marks p->bad when the old file is
 * not as recorded or is inconsistent with the state.
 */
static void
patch_shard_pack(void *arg, size_t worker, size_t t)
{
	struct search_pass *job = ((void **)arg)[0];
	struct search_patch *p = ((void **)arg)[1];
	struct search_worker *w = &job->workers[worker];
	size_t nshards = (size_t)1 << p->st.bits, k = p->pack_firsts[t];
	size_t pk = p->changes[p->firsts[k]].shard / SEARCH_PACK_MEMBERS;
	size_t count = search_pack_members(nshards, pk), m, shard;
	struct search_pack_view v;
	struct buf old = BUF_INIT;
	char path[64], *data;
	bool ok = true;

	if (read_pack(job, "shards", pk, count, p->st.shard_packs[pk], &data,
	    &v) == -1) {
		atomic_store(&p->bad, 1);
		return;
	}
	search_pack_path(path, sizeof(path), "shards", pk);
	search_pack_start(&w->pack, path, count);
	for (m = 0; m < count && ok; m++) {
		shard = pk * SEARCH_PACK_MEMBERS + m;
		if (!p->touched[shard]) {
			search_pack_copy(&w->pack, &v, m);
			continue;
		}
		ok = search_pack_member(&v, m, &old) == 0 &&
		    patch_shard(job, p, w, k++, &old, &w->shard,
		    &p->deltas[t]);
		search_pack_add(&w->pack, w->shard.data, w->shard.len);
	}
	if (ok)
		take_pack(&w->pack, &p->shard_files[t],
		    &p->shard_filelens[t]);
	else
		atomic_store(&p->bad, 1);
	search_pack_close(&v);
	buf_free(&old);
	free(data);
}

/* Keeps the packs of the previous index that the changes leave. */
static void
keep_one(void *arg, size_t worker, size_t i)
{
	struct search_pass *job = ((void **)arg)[0];
	struct search_patch *p = ((void **)arg)[1];
	size_t ndocpacks = search_pack_count(job->site->narticles);
	char path[64];

	if (atomic_load(&p->bad))
		return;
	if (i < ndocpacks) {
		if (p->doc_touched[i])
			return;
		search_pack_path(path, sizeof(path), "docs", i);
	} else {
		if (p->shard_touched[i - ndocpacks])
			return;
		search_pack_path(path, sizeof(path), "shards", i - ndocpacks);
	}
	if (!job->out->keep(job->out->arg, worker, path))
		atomic_store(&p->bad, 1);
}

/* The articles whose fingerprint differs from the state's. */
static void
find_changed(struct search_pass *job, struct search_patch *p)
{
	size_t i, n = job->site->narticles;

	p->is_changed = xcalloc(n + 1, 1);
	p->changed = xcalloc(n + 1, sizeof(*p->changed));
	for (i = 0; i < n; i++)
		if (job->fingerprints[i] != p->st.fingerprints[i]) {
			p->is_changed[i] = 1;
			p->changed[p->nchanged++] = (uint32_t)i;
		}
}

/* Puts what the patch made and takes the rest from the state. */
static void
put_patched(struct search_pass *job, struct search_patch *p)
{
	size_t k, ndocpacks = search_pack_count(job->site->narticles);
	size_t nshardpacks = search_pack_count((size_t)1 << p->st.bits);
	char path[64];

	job->bits = p->st.bits;
	job->shard_packs = xcalloc(nshardpacks, sizeof(*job->shard_packs));
	memcpy(job->shard_packs, p->st.shard_packs,
	    nshardpacks * sizeof(*job->shard_packs));
	memcpy(job->doc_packs, p->st.doc_packs,
	    ndocpacks * sizeof(*job->doc_packs));
	for (k = 0; k < p->ndoc_packs; k++) {
		search_pack_path(path, sizeof(path), "docs", p->doc_packs[k]);
		search_pass_put_file(job, 0, path, p->doc_files[k],
		    p->doc_filelens[k], &job->doc_packs[p->doc_packs[k]]);
	}
	for (k = 0; k < p->nshard_packs; k++) {
		size_t pk = p->changes[p->firsts[p->pack_firsts[k]]].shard /
		    SEARCH_PACK_MEMBERS;

		search_pack_path(path, sizeof(path), "shards", pk);
		search_pass_put_file(job, 0, path, p->shard_files[k],
		    p->shard_filelens[k], &job->shard_packs[pk]);
	}
}

int
search_patch_index(struct search_pass *job, struct search_patch *p)
{
	const struct search_options *opt = job->opt;
	size_t n = job->site->narticles, k, nshards;
	void *args[2] = { job, p };
	int64_t total;
	int rc = 0;

	if (opt->state_path == NULL || opt->out_dir == NULL ||
	    opt->committed == 0 || search_state_load(opt, &p->st) == -1 ||
	    p->st.ndocs != n || n == 0)
		goto out;
	find_changed(job, p);
	if (p->nchanged > PATCH_MIN && p->nchanged > n / 4)
		goto out;
	if ((rc = read_changed(job, p)) != 1) {
		rc = rc == -1 ? -1 : 0;
		goto out;
	}
	rc = 0;
	find_changes(job, p);
	pool_for(job->nthreads, p->nshard_packs, patch_shard_pack, args);
	if (atomic_load(&p->bad))
		goto out;
	total = (int64_t)p->st.total;
	for (k = 0; k < p->nshard_packs; k++)
		total += p->deltas[k];
	/* Another shard count moves every term: build anew. */
	if (total < 0 || search_shard_bits((uint64_t)total) != p->st.bits)
		goto out;
	nshards = (size_t)1 << p->st.bits;
	pool_for(job->nthreads, search_pack_count(n) +
	    search_pack_count(nshards), keep_one, args);
	if (atomic_load(&p->bad))
		goto out;
	job->total = (uint64_t)total;
	put_patched(job, p);
	rc = 1;
out:
	return rc;
}
