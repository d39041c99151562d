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
	for (i = 0; i < p->nchanged && p->coded != NULL; i++)
		free(p->coded[i]);
	for (i = 0; i < p->ntouched && p->shards != NULL; i++)
		free(p->shards[i]);
	free(p->changed);
	free(p->is_changed);
	search_terms_free(&p->old);
	search_terms_free(&p->now);
	free(p->coded);
	free(p->codedlen);
	free(p->changes);
	free(p->firsts);
	free(p->touched);
	free(p->shards);
	free(p->shardlens);
	free(p->deltas);
}

/*
 * Reads a file the previous build wrote, when its bytes are those the
 * state recorded.  Returns 0, or -1 (nothing to free) otherwise.
 */
static int
read_previous(const struct search_pass *job, const char *path, uint64_t hash,
    char **data, size_t *len)
{
	char *fspath = fs_join(job->opt->out_dir, path);
	long n;
	int rc = -1;

	*data = NULL;
	if (fs_read(fspath, data, len) == 0 &&
	    XXH3_64bits(*data, *len) == hash &&
	    (n = search_unwrap((unsigned char *)*data, *len)) >= 0) {
		*len = (size_t)n;
		rc = 0;
	} else {
		free(*data);
		*data = NULL;
	}
	free(fspath);
	return rc;
}

/*
 * Indexes the changed articles' old text (decoded from their files) and
 * new.  Returns 1, 0 when an old file is not as recorded, or -1 when a
 * body cannot be read.
 */
static int
read_changed(struct search_pass *job, struct search_patch *p)
{
	struct search_worker *w = &job->workers[0];
	size_t k, len, i, nchars;
	char path[64], *data;
	int rc = 0;

	search_terms_init(&p->old, 0);
	search_terms_init(&p->now, 0);
	p->coded = xcalloc(p->nchanged + 1, sizeof(*p->coded));
	p->codedlen = xcalloc(p->nchanged + 1, sizeof(*p->codedlen));
	for (k = 0; k < p->nchanged; k++) {
		i = p->changed[k];
		search_doc_path(path, sizeof(path), i);
		if (read_previous(job, path, p->st.doc_hashes[i], &data,
		    &len) == -1)
			goto out;
		if (search_doc_decode(&w->lz, (const unsigned char *)data, len,
		    job->coder, &nchars) == -1) {
			free(data);
			goto out;
		}
		free(data);
		search_terms_add_doc(&p->old, w->lz.cps, nchars);
		search_pass_read_body(job, 0, i);
		if (atomic_load(&job->failed)) {
			rc = -1;
			goto out;
		}
		search_doc_make(&w->doc, &job->site->articles[i]);
		search_pass_drop_body(job, 0, i);
		nchars = search_doc_chars(&w->lz, w->doc.data, w->doc.len);
		search_terms_add_doc(&p->now, w->lz.cps, nchars);
		search_doc_encode(&w->coded, &w->lz, nchars, job->coder);
		p->codedlen[k] = w->coded.len;
		p->coded[k] = buf_detach(&w->coded);
	}
	rc = 1;
out:
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
	p->shards = xcalloc(p->ntouched + 1, sizeof(*p->shards));
	p->shardlens = xcalloc(p->ntouched + 1, sizeof(*p->shardlens));
	p->deltas = xcalloc(p->ntouched + 1, sizeof(*p->deltas));
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
 * Makes the new bytes of touched shard k: its terms merged with the
 * changes, in key order.  Marks p->bad when the old file is not as
 * recorded or is inconsistent with the state.
 */
static void
patch_shard(void *arg, size_t worker, size_t k)
{
	struct search_pass *job = ((void **)arg)[0];
	struct search_patch *p = ((void **)arg)[1];
	struct search_worker *w = &job->workers[worker];
	size_t first = p->firsts[k], end = p->firsts[k + 1], ci, count = 0;
	uint32_t shard = p->changes[first].shard;
	struct buf entry = BUF_INIT, body = BUF_INIT;
	struct search_shard_term t;
	const struct search_change *c;
	struct search_reader r = { NULL, 0, 0, false };
	uint64_t left;
	int64_t delta = 0;
	char path[64], *data = NULL;
	size_t len;
	int order;

	search_shard_path(path, sizeof(path), p->st.bits, shard);
	if (read_previous(job, path, p->st.shard_hashes[shard], &data,
	    &len) == -1) {
		atomic_store(&p->bad, 1);
		return;
	}
	r.p = (const unsigned char *)data;
	r.len = len;
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
			delta += (int64_t)search_term_size(c->keylen,
			    entry.len);
		}
		if (order == 0) {
			delta -= (int64_t)search_term_size(t.keylen,
			    t.len);
			search_shard_next(&r, &left, &t);
		}
		ci++;
	}
	if (r.bad || left > 0 || r.pos != r.len)
		atomic_store(&p->bad, 1);
	else {
		buf_truncate(&entry, 0);
		search_put_varint(&entry, count);
		buf_append(&entry, body.data, body.len);
		p->shardlens[k] = entry.len;
		p->shards[k] = buf_detach(&entry);
		p->deltas[k] = delta;
	}
	buf_free(&entry);
	buf_free(&body);
	free(data);
}

/* Keeps the files of the previous index that the changes leave. */
static void
keep_one(void *arg, size_t worker, size_t i)
{
	struct search_pass *job = ((void **)arg)[0];
	struct search_patch *p = ((void **)arg)[1];
	size_t n = job->site->narticles;
	char path[64];

	if (atomic_load(&p->bad))
		return;
	if (i < n) {
		if (p->is_changed[i])
			return;
		search_doc_path(path, sizeof(path), i);
	} else {
		if (p->touched[i - n])
			return;
		search_shard_path(path, sizeof(path), p->st.bits, i - n);
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
	size_t k, n = job->site->narticles, nshards = (size_t)1 << p->st.bits;
	char path[64];

	job->bits = p->st.bits;
	job->shard_hashes = xcalloc(nshards, sizeof(*job->shard_hashes));
	memcpy(job->shard_hashes, p->st.shard_hashes,
	    nshards * sizeof(*job->shard_hashes));
	memcpy(job->doc_hashes, p->st.doc_hashes, n * sizeof(*job->doc_hashes));
	for (k = 0; k < p->nchanged; k++) {
		search_doc_path(path, sizeof(path), p->changed[k]);
		search_pass_put(job, 0, path, p->coded[k], p->codedlen[k],
		    &job->doc_hashes[p->changed[k]]);
	}
	for (k = 0; k < p->ntouched; k++) {
		search_shard_path(path, sizeof(path), job->bits,
		    p->changes[p->firsts[k]].shard);
		search_pass_put(job, 0, path, p->shards[k], p->shardlens[k],
		    &job->shard_hashes[p->changes[p->firsts[k]].shard]);
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
	pool_for(job->nthreads, p->ntouched, patch_shard, args);
	if (atomic_load(&p->bad))
		goto out;
	total = (int64_t)p->st.total;
	for (k = 0; k < p->ntouched; k++)
		total += p->deltas[k];
	/* Another shard count moves every term: build anew. */
	if (total < 0 || search_shard_bits((uint64_t)total) != p->st.bits)
		goto out;
	nshards = (size_t)1 << p->st.bits;
	pool_for(job->nthreads, n + nshards, keep_one, args);
	if (atomic_load(&p->bad))
		goto out;
	job->total = (uint64_t)total;
	put_patched(job, p);
	rc = 1;
out:
	return rc;
}
