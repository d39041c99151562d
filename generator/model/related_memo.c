/*
 * The memo of the related lists: what one build leaves the next (see
 * struct related_memo), and the patching after an edit.  An article
 * whose inputs are unchanged keeps its list; when few changed, only the
 * champion lists they are or were in are made again, and only the
 * articles that read one of those are scored again.
 */
#include "related_internal.h"

#include "../util/pool.h"
#include "../util/ser.h"

/*
 * The last build's memo, as read: per article its identity, the hashes
 * struct related_known has and its related list; per champion list, in order of
 * term, the term, the list's hash and its postings (identity, weight).
 */
struct memo_view {
	uint32_t narticles;
	uint64_t *ids, *own, *seen;
	uint32_t *nrel;
	const unsigned char **rel;	/* nrel identities each */
	uint32_t nlists;
	uint64_t *keys, *hashes;
	uint32_t *n;
	const unsigned char **postings;	/* n of (identity, weight) */
	struct counter by_id;		/* identity -> article + 1 */
};

#define MEMO_POSTING	12	/* bytes: a u64 identity, a u32 weight */

static void
memo_alloc(struct memo_view *m)
{
	m->ids = xcalloc(m->narticles + 1, sizeof(*m->ids));
	m->own = xcalloc(m->narticles + 1, sizeof(*m->own));
	m->seen = xcalloc(m->narticles + 1, sizeof(*m->seen));
	m->nrel = xcalloc(m->narticles + 1, sizeof(*m->nrel));
	m->rel = xcalloc(m->narticles + 1, sizeof(*m->rel));
}

static void
memo_free(struct memo_view *m)
{
	free(m->ids);
	free(m->own);
	free(m->seen);
	free(m->nrel);
	free(m->rel);
	free(m->keys);
	free(m->hashes);
	free(m->n);
	free(m->postings);
	counter_free(&m->by_id);
	memset(m, 0, sizeof(*m));
}

static void
read_memo_lists(struct memo_view *m, struct ser_reader *r)
{
	uint32_t i;

	m->nlists = ser_read_u32(r);
	if (m->nlists > (size_t)(r->end - r->p) / 20) {
		r->bad = true;
		return;
	}
	m->keys = xcalloc(m->nlists + 1, sizeof(*m->keys));
	m->hashes = xcalloc(m->nlists + 1, sizeof(*m->hashes));
	m->n = xcalloc(m->nlists + 1, sizeof(*m->n));
	m->postings = xcalloc(m->nlists + 1, sizeof(*m->postings));
	for (i = 0; i < m->nlists && !r->bad; i++) {
		m->keys[i] = ser_read_u64(r);
		m->hashes[i] = ser_read_u64(r);
		m->n[i] = ser_read_u32(r);
		/* Keys are never 0, and in order. */
		if (m->n[i] > POSTINGS_PER_TERM ||
		    m->keys[i] <= (i > 0 ? m->keys[i - 1] : 0))
			r->bad = true;
		m->postings[i] = ser_read_bytes(r, (size_t)m->n[i] *
		    MEMO_POSTING);
	}
}

/* Reads the memo; 0, or -1 when it is missing or damaged. */
static int
memo_read(struct memo_view *m, const void *data, size_t len)
{
	struct ser_reader r;
	uint32_t i;

	memset(m, 0, sizeof(*m));
	if (data == NULL)
		return -1;
	ser_reader_init(&r, data, len);
	m->narticles = ser_read_u32(&r);
	if (m->narticles > len / 28)
		return -1;
	memo_alloc(m);
	counter_reserve(&m->by_id, m->narticles);
	for (i = 0; i < m->narticles && !r.bad; i++) {
		m->ids[i] = ser_read_u64(&r);
		m->own[i] = ser_read_u64(&r);
		m->seen[i] = ser_read_u64(&r);
		m->nrel[i] = ser_read_u32(&r);
		if (m->nrel[i] > SITE_RELATED_MAX || m->ids[i] == 0 ||
		    counter_get(&m->by_id, m->ids[i]) != 0)
			r.bad = true;
		else
			counter_add(&m->by_id, m->ids[i], i + 1);
		m->rel[i] = ser_read_bytes(&r, (size_t)m->nrel[i] * 8);
	}
	read_memo_lists(m, &r);
	if (r.bad || r.p != r.end) {
		memo_free(m);
		return -1;
	}
	return 0;
}

/* The number of the memo's list for term key, or -1. */
static long
memo_list(const struct memo_view *m, uint64_t key)
{
	size_t lo = 0, hi = m->nlists, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (m->keys[mid] < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < m->nlists && m->keys[lo] == key ? (long)lo : -1;
}

/* A posting's weight in the memo, where it lies. */
static float
read_weight_at(const unsigned char *p)
{
	uint32_t bits = ser_get_u32(p);
	float f;

	memcpy(&f, &bits, sizeof(f));
	return f;
}

/* The hash of a champion list, from the postings it holds now. */
static uint64_t
list_hash(const struct postings *pl, const struct related_known *kn)
{
	uint64_t h = pl->n;
	size_t p;

	for (p = 0; p < pl->n; p++) {
		h = mix(h, kn->ids[pl->items[p].article]);
		h = mix(h, float_bits(pl->items[p].weight));
		h = mix(h, kn->traits[pl->items[p].article]);
	}
	return h;
}

/* What one term of an article adds to its seen_hash. */
static uint64_t
seen_term(uint64_t key, uint64_t list_hash)
{
	return mix(mix(0x5EE5, key), list_hash);
}

/*
 * What score_article reads for article i besides its own hash: the
 * lists of its terms (list_hashes[], per term).  Combined by xor, so that
 * a list that changed is swapped in without looking up the others.
 */
static uint64_t
seen_hash(const struct related_known *kn, size_t i, const uint64_t *list_hashes)
{
	const struct article_keys *ak = &kn->keys[i];
	uint64_t h = 0;
	size_t k;

	for (k = 0; k < ak->n; k++)
		h ^= seen_term(ak->key[k], list_hashes[k]);
	return h;
}

/* The inputs of every article, from a whole index. */
struct inputs_job {
	const struct site *site;
	const struct related_index *index;
	struct related_known *known;
	uint64_t *list_hash;		/* per list */
};

static void
hash_list(void *arg, size_t worker, size_t k)
{
	struct inputs_job *job = arg;

	(void)worker;
	job->list_hash[k] = list_hash(&job->index->postings[k], job->known);
}

static void
hash_inputs(void *arg, size_t worker, size_t i)
{
	struct inputs_job *job = arg;
	const uint32_t *lists = &job->index->term_lists[i * RELATED_KEYS];
	const struct article_keys *ak = &job->known->keys[i];
	uint64_t hashes[RELATED_KEYS];
	size_t k;

	(void)worker;
	for (k = 0; k < ak->n; k++)
		hashes[k] = lists[k] ? job->list_hash[lists[k] - 1] : 0;
	job->known->seen[i] = seen_hash(job->known, i, hashes);
}

/*
 * Champion lists to write into the next memo, in order of term: those
 * of an index, or those rebuilt, beside the last memo's others.
 */
struct fresh_lists {
	struct postings *postings;	/* borrowed */
	const uint64_t *keys;		/* borrowed */
	uint64_t *hashes;		/* owned */
	uint32_t *order;		/* owned; list numbers by term */
	size_t	 n;
};

static int
by_key(const void *a, const void *b, void *keys)
{
	uint64_t x = ((const uint64_t *)keys)[*(const uint32_t *)a];
	uint64_t y = ((const uint64_t *)keys)[*(const uint32_t *)b];

	return (x > y) - (x < y);
}

static void
order_lists(struct fresh_lists *f)
{
	size_t k;

	f->order = xcalloc(f->n + 1, sizeof(*f->order));
	for (k = 0; k < f->n; k++)
		f->order[k] = (uint32_t)k;
	qsort_r(f->order, f->n, sizeof(*f->order), by_key, (void *)f->keys);
}

static void
write_fresh(struct buf *b, const struct fresh_lists *f, size_t k,
    const struct related_known *kn)
{
	const struct postings *pl = &f->postings[k];
	size_t p;

	ser_u64(b, f->keys[k]);
	ser_u64(b, f->hashes[k]);
	ser_u32(b, (uint32_t)pl->n);
	for (p = 0; p < pl->n; p++) {
		ser_u64(b, kn->ids[pl->items[p].article]);
		ser_u32(b, float_bits(pl->items[p].weight));
	}
}

static void
write_kept(struct buf *b, const struct memo_view *m, size_t k)
{
	ser_u64(b, m->keys[k]);
	ser_u64(b, m->hashes[k]);
	ser_u32(b, m->n[k]);
	buf_append(b, m->postings[k], (size_t)m->n[k] * MEMO_POSTING);
}

/*
 * Writes the memo: the articles, then the lists, the fresh ones merged
 * with those of old (if not NULL) whose terms are not in redone.
 */
static void
remember(const struct site *s, const struct related_known *kn,
    const struct fresh_lists *f, const struct memo_view *old,
    const struct counter *redone, struct buf *b)
{
	const struct site_article *a;
	size_t i, k, j = 0, n = 0, at;

	buf_truncate(b, 0);
	ser_u32(b, (uint32_t)s->narticles);
	for (i = 0; i < s->narticles; i++) {
		a = &s->articles[i];
		ser_u64(b, kn->ids[i]);
		ser_u64(b, kn->own[i]);
		ser_u64(b, kn->seen[i]);
		ser_u32(b, (uint32_t)a->nrelated);
		for (k = 0; k < a->nrelated; k++)
			ser_u64(b, kn->ids[a->related[k]]);
	}
	at = b->len;
	ser_u32(b, 0);
	for (k = 0; k < f->n || (old != NULL && j < old->nlists);) {
		if (old != NULL && j < old->nlists &&
		    counter_get(redone, old->keys[j]) != 0) {
			j++;
			continue;
		}
		if (old != NULL && j < old->nlists && (k == f->n ||
		    old->keys[j] < f->keys[f->order[k]]))
			write_kept(b, old, j++);
		else if (f->postings[f->order[k]].n == 0) {
			k++;
			continue;
		} else
			write_fresh(b, f, f->order[k++], kn);
		n++;
	}
	ser_put_u32((unsigned char *)b->data + at, (uint32_t)n);
}

/*
 * The lists the memo gives articles whose inputs are unchanged; marks
 * the others to be scored.
 */
static void
recall(struct site *s, const struct related_known *kn, const struct memo_view *m,
    bool *score)
{
	uint32_t i, k;
	long at, b;
	struct site_article *a;

	for (i = 0; i < s->narticles; i++)
		score[i] = true;
	if (!kn->unique)
		return;
	for (i = 0; i < m->narticles; i++) {
		at = related_known_at(kn, m->ids[i]);
		if (at < 0 || kn->own[at] != m->own[i] ||
		    kn->seen[at] != m->seen[i])
			continue;
		a = &s->articles[at];
		a->nrelated = 0;
		for (k = 0; k < m->nrel[i]; k++) {
			b = related_known_at(kn, ser_get_u64(m->rel[i] + 8 * k));
			if (b < 0)
				break;
			a->related[a->nrelated++] = (size_t)b;
		}
		if (k == m->nrel[i])
			score[at] = false;
	}
}

/*
 * The lists made again after a few articles changed: those of their
 * terms, and those they were champions in.
 */
struct redo {
	struct counter terms;		/* term -> number + 1 */
	struct postings *postings;	/* owned; per term */
	uint64_t *keys;			/* owned */
	uint64_t *hashes;		/* owned */
	uint64_t *old;			/* owned; the memo's hash, or 0 */
	bool	*changed;		/* owned; hash not the memo's */
	size_t	 n, cap;
};

static void
redo_add(struct redo *rd, uint64_t key)
{
	if (counter_get(&rd->terms, key) != 0)
		return;
	if (rd->n == rd->cap) {
		rd->cap = rd->cap ? rd->cap * 2 : 64;
		rd->postings = xreallocarray(rd->postings, rd->cap,
		    sizeof(*rd->postings));
		rd->keys = xreallocarray(rd->keys, rd->cap, sizeof(*rd->keys));
	}
	memset(&rd->postings[rd->n], 0, sizeof(*rd->postings));
	rd->keys[rd->n++] = key;
	counter_add(&rd->terms, key, (uint32_t)rd->n);
}

static void
redo_free(struct redo *rd)
{
	size_t k;

	for (k = 0; k < rd->n; k++)
		free(rd->postings[k].items);
	free(rd->postings);
	free(rd->keys);
	free(rd->hashes);
	free(rd->old);
	free(rd->changed);
	counter_free(&rd->terms);
	memset(rd, 0, sizeof(*rd));
}

/* The memo's number of article i, or -1. */
static long
memo_at(const struct memo_view *m, const struct related_known *kn, size_t i)
{
	return (long)counter_get(&m->by_id, kn->ids[i]) - 1;
}

/*
 * The terms whose lists must be made again: those of the articles whose
 * own hash is new (fresh[] marks them), and those of the lists that held
 * an article since changed or gone.  Returns how many articles changed.
 */
static size_t
find_changes(const struct site *s, const struct related_known *kn,
    const struct memo_view *m, bool *fresh, struct redo *rd)
{
	const struct article_keys *ak;
	struct counter gone = { 0 };
	size_t i, k, p, changed = 0;
	long j, at;

	for (i = 0; i < s->narticles; i++) {
		j = memo_at(m, kn, i);
		if (j >= 0 && m->own[j] == kn->own[i])
			continue;
		fresh[i] = true;
		changed++;
		ak = &kn->keys[i];
		for (k = 0; k < ak->n; k++)
			redo_add(rd, ak->key[k]);
	}
	for (i = 0; i < m->narticles; i++) {
		at = related_known_at(kn, m->ids[i]);
		if (at < 0 || kn->own[at] != m->own[i]) {
			counter_add(&gone, m->ids[i], 1);
			changed++;
		}
	}
	for (i = 0; gone.n > 0 && i < m->nlists; i++)
		for (p = 0; p < m->n[i]; p++)
			if (counter_get(&gone, ser_get_u64(m->postings[i] +
			    p * MEMO_POSTING)) != 0) {
				redo_add(rd, m->keys[i]);
				break;
			}
	counter_free(&gone);
	return changed;
}

/* The lists of rd made again from a share of the articles each. */
struct redo_job {
	const struct site *site;
	const struct related_known *known;
	const struct redo *rd;
	bool	*touched;
	struct postings **lists;	/* per share, per term of rd */
	size_t	 nshares;
};

static void
redo_share(void *arg, size_t worker, size_t share)
{
	struct redo_job *job = arg;
	const struct site *s = job->site;
	const struct article_keys *ak;
	size_t n = s->narticles, i, k, end = (share + 1) * n / job->nshares;
	struct posting p;
	uint32_t r;

	(void)worker;
	for (i = share * n / job->nshares; i < end; i++) {
		ak = &job->known->keys[i];
		for (k = 0; k < ak->n; k++) {
			r = counter_get(&job->rd->terms, ak->key[k]);
			if (r == 0)
				continue;
			p.article = (uint32_t)i;
			p.weight = ak->weight[k];
			related_postings_offer(&job->lists[share][r - 1],
			    job->rd->keys[r - 1], p,
			    job->known->ids);
			job->touched[i] = true;
		}
	}
}

/*
 * Makes the lists of rd again from every article, and marks in touched[]
 * the articles that have one of their terms.
 */
static void
redo_lists(const struct site *s, const struct related_known *kn,
    const struct memo_view *m, struct redo *rd, bool *touched,
    size_t nthreads)
{
	struct redo_job job = { s, kn, rd, touched, NULL,
	    pool_threads(nthreads) };
	size_t k, w, p;
	long l;

	job.lists = xcalloc(job.nshares, sizeof(*job.lists));
	for (w = 0; w < job.nshares; w++)
		job.lists[w] = xcalloc(rd->n + 1, sizeof(**job.lists));
	pool_for(nthreads, job.nshares, redo_share, &job);
	/* The first share's heaps take the others' postings. */
	for (w = 0; w < job.nshares; w++)
		for (k = 0; k < rd->n; k++) {
			for (p = 0; w > 0 && p < job.lists[w][k].n; p++)
				related_postings_offer(&job.lists[0][k], rd->keys[k],
				    job.lists[w][k].items[p], kn->ids);
			if (w > 0)
				free(job.lists[w][k].items);
		}
	for (k = 0; k < rd->n; k++)
		rd->postings[k] = job.lists[0][k];
	for (w = 0; w < job.nshares; w++)
		free(job.lists[w]);
	free(job.lists);
	rd->hashes = xcalloc(rd->n + 1, sizeof(*rd->hashes));
	rd->old = xcalloc(rd->n + 1, sizeof(*rd->old));
	rd->changed = xcalloc(rd->n + 1, sizeof(*rd->changed));
	for (k = 0; k < rd->n; k++) {
		related_postings_sort(&rd->postings[k], kn->ids);
		rd->hashes[k] = list_hash(&rd->postings[k], kn);
		l = memo_list(m, rd->keys[k]);
		rd->old[k] = l < 0 ? 0 : m->hashes[l];
		rd->changed[k] = l < 0 || m->hashes[l] != rd->hashes[k] ||
		    rd->postings[k].n == 0;
	}
}

/* The hash of the list of term key now; -1 when nothing knows it. */
static int
hash_of(const struct memo_view *m, const struct redo *rd, uint64_t key,
    uint64_t *h)
{
	uint32_t r = counter_get(&rd->terms, key);
	long l;

	if (r != 0) {
		*h = rd->hashes[r - 1];
		return 0;
	}
	if ((l = memo_list(m, key)) < 0)
		return -1;
	*h = m->hashes[l];
	return 0;
}

/*
 * The seen hash of an article that did not change, from the memo's:
 * each list of its terms that changed swapped in.  Returns -1 when the
 * memo had no such list: then it cannot tell.
 */
static int
update_seen(const struct article_keys *ak, const struct redo *rd,
    uint64_t *seen)
{
	uint32_t r;
	size_t k;

	for (k = 0; k < ak->n; k++) {
		r = counter_get(&rd->terms, ak->key[k]);
		if (r == 0 || !rd->changed[r - 1])
			continue;
		if (rd->old[r - 1] == 0)
			return -1;
		*seen ^= seen_term(ak->key[k], rd->old[r - 1]) ^
		    seen_term(ak->key[k], rd->hashes[r - 1]);
	}
	return 0;
}

/*
 * The seen hash of every article from the memo and the lists made again:
 * made anew for the articles that changed, updated for those that see a
 * list made again, the memo's for the others.  Returns -1 when the memo
 * cannot tell.
 */
static int
update_inputs(const struct site *s, struct related_known *kn,
    const struct memo_view *m, const struct redo *rd, const bool *fresh,
    const bool *touched)
{
	const struct article_keys *ak;
	uint64_t hashes[RELATED_KEYS];
	size_t i, k;

	for (i = 0; i < s->narticles; i++) {
		ak = &kn->keys[i];
		if (!fresh[i]) {
			kn->seen[i] = m->seen[memo_at(m, kn, i)];
			if (touched[i] && update_seen(ak, rd, &kn->seen[i]) == -1)
				return -1;
			continue;
		}
		for (k = 0; k < ak->n; k++)
			if (hash_of(m, rd, ak->key[k], &hashes[k]) == -1)
				return -1;
		kn->seen[i] = seen_hash(kn, i, hashes);
	}
	return 0;
}

/* Adds list key to ix with no postings; returns its number + 1. */
static uint32_t
index_list(struct related_index *ix, size_t *cap, uint64_t key)
{
	if (ix->nlists == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		ix->postings = xreallocarray(ix->postings, *cap,
		    sizeof(*ix->postings));
		ix->keys = xreallocarray(ix->keys, *cap, sizeof(*ix->keys));
	}
	memset(&ix->postings[ix->nlists], 0, sizeof(*ix->postings));
	ix->keys[ix->nlists] = key;
	return (uint32_t)++ix->nlists;
}

/* Fills pl with the memo's list l, its articles by index now. */
static int
list_from_memo(struct postings *pl, const struct memo_view *m, long l,
    const struct related_known *kn)
{
	const unsigned char *at;
	size_t p;
	long b;

	pl->n = pl->cap = m->n[l];
	pl->items = xcalloc(pl->cap + 1, sizeof(*pl->items));
	for (p = 0; p < pl->n; p++) {
		at = m->postings[l] + p * MEMO_POSTING;
		if ((b = related_known_at(kn, ser_get_u64(at))) < 0)
			return -1;
		pl->items[p].article = (uint32_t)b;
		pl->items[p].weight = read_weight_at(at + 8);
	}
	return 0;
}

/*
 * An index of only the lists the articles in which[] read, from those
 * made again and the memo's.  Returns -1 when the memo cannot tell.
 */
static int
index_for(struct related_index *ix, const struct site *s, const struct related_known *kn,
    const struct memo_view *m, const struct redo *rd, const uint32_t *which,
    size_t n)
{
	const struct article_keys *ak;
	struct counter have = { 0 };
	struct postings *pl;
	size_t w, k, i, cap = 0;
	uint32_t list, r;
	long l;
	int rc = 0;

	ix->term_lists = xcalloc(s->narticles + 1,
	    RELATED_KEYS * sizeof(*ix->term_lists));
	for (w = 0; w < n && rc == 0; w++) {
		i = which[w];
		ak = &kn->keys[i];
		for (k = 0; k < ak->n && rc == 0; k++) {
			if ((list = counter_get(&have, ak->key[k])) == 0) {
				list = index_list(ix, &cap, ak->key[k]);
				counter_add(&have, ak->key[k], list);
				pl = &ix->postings[list - 1];
				r = counter_get(&rd->terms, ak->key[k]);
				l = memo_list(m, ak->key[k]);
				if (r != 0) {
					pl->n = pl->cap = rd->postings[r - 1].n;
					pl->items = xcalloc(pl->n + 1,
					    sizeof(*pl->items));
					memcpy(pl->items,
					    rd->postings[r - 1].items,
					    pl->n * sizeof(*pl->items));
				} else if (l < 0 ||
				    list_from_memo(pl, m, l, kn) == -1)
					rc = -1;
			}
			ix->term_lists[i * RELATED_KEYS + k] = list;
		}
	}
	counter_free(&have);
	return rc;
}

/* The articles recall left to be scored, into which[]; how many. */
static size_t
to_score(const struct site *s, const bool *score, uint32_t *which)
{
	size_t i, n = 0;

	for (i = 0; i < s->narticles; i++)
		if (score[i])
			which[n++] = (uint32_t)i;
	return n;
}

/*
 * With a memo that knows most articles as they are: only the lists of
 * the articles that changed are made again, and only the articles that
 * see a change are scored.  Returns -1, having changed nothing the
 * caller keeps, when the memo cannot tell; the whole index must then be
 * built.
 */
static int
related_update(struct site *s, struct related_known *kn,
    const struct memo_view *m, size_t nthreads, struct buf *next)
{
	struct redo rd = { 0 };
	struct related_index ix = { 0 };
	struct fresh_lists f = { 0 };
	bool *fresh = xcalloc(s->narticles + 1, sizeof(*fresh));
	bool *touched = xcalloc(s->narticles + 1, sizeof(*touched));
	bool *score = xcalloc(s->narticles + 1, sizeof(*score));
	uint32_t *which = xcalloc(s->narticles + 1, sizeof(*which));
	size_t n;
	int rc = -1;

	/* Many changes: the whole index costs no more than this. */
	if (!kn->unique ||
	    find_changes(s, kn, m, fresh, &rd) > s->narticles / 4 + 16)
		goto out;
	redo_lists(s, kn, m, &rd, touched, nthreads);
	if (update_inputs(s, kn, m, &rd, fresh, touched) == -1)
		goto out;
	recall(s, kn, m, score);
	n = to_score(s, score, which);
	if (index_for(&ix, s, kn, m, &rd, which, n) == -1)
		goto out;
	related_score(s, &ix, kn, nthreads, which, n);
	f.postings = rd.postings;
	f.keys = rd.keys;
	f.hashes = rd.hashes;
	f.n = rd.n;
	order_lists(&f);
	remember(s, kn, &f, m, &rd.terms, next);
	free(f.order);
	rc = 0;
out:
	related_index_free(&ix);
	redo_free(&rd);
	free(fresh);
	free(touched);
	free(score);
	free(which);
	return rc;
}

void
related_memo_compute(struct site *s, struct related_known *kn,
    size_t nthreads, struct related_memo *memo)
{
	struct related_index ix = { 0 };
	struct memo_view m;
	struct inputs_job inputs;
	struct fresh_lists f = { 0 };
	struct counter none = { 0 };
	bool *score = NULL;
	uint32_t *which = NULL;
	size_t n;
	int have_memo;

	have_memo = memo_read(&m, memo->prev, memo->prev_len) == 0;
	if (have_memo && related_update(s, kn, &m, nthreads,
	    &memo->next) == 0)
		goto out;
	related_index_build(&ix, s, kn->keys, kn->ids, nthreads);
	inputs = (struct inputs_job){ s, &ix, kn, NULL };
	inputs.list_hash = xcalloc(ix.nlists + 1, sizeof(*inputs.list_hash));
	pool_for(nthreads, ix.nlists, hash_list, &inputs);
	pool_for(nthreads, s->narticles, hash_inputs, &inputs);
	score = xcalloc(s->narticles + 1, sizeof(*score));
	which = xcalloc(s->narticles + 1, sizeof(*which));
	if (have_memo)
		recall(s, kn, &m, score);
	else
		memset(score, true, s->narticles * sizeof(*score));
	n = to_score(s, score, which);
	related_score(s, &ix, kn, nthreads, which, n);
	f.postings = ix.postings;
	f.keys = ix.keys;
	f.hashes = inputs.list_hash;
	f.n = ix.nlists;
	order_lists(&f);
	remember(s, kn, &f, NULL, &none, &memo->next);
	free(f.order);
	free(inputs.list_hash);
out:
	if (have_memo)
		memo_free(&m);
	related_index_free(&ix);
	free(score);
	free(which);
}
