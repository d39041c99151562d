#include "related.h"

#include <math.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "../util/pool.h"
#include "../util/ser.h"
#include "../util/utf8.h"
#include "../util/xalloc.h"
#include "idf_data.h"
#include "site.h"

#define POSTINGS_PER_TERM 64	/* articles kept per bigram ("champions") */
#define THEME_WEIGHT	0.08f	/* score of one shared theme */
#define COUNTER_KEEP	65536	/* slots a thread's counter keeps (1 MB) */

/*
 * A map from bigram keys to counts, open addressing; keys are never 0.
 * used[] names the filled slots in the order they were filled, so a
 * walk over the entries or a clear for the next article visits those
 * alone, however large the table has grown.
 */
struct counter_slot {
	uint64_t key;		/* 0: empty */
	uint32_t count;
};

struct counter {
	struct counter_slot *slots;
	uint32_t *used;		/* slot numbers, n of them */
	size_t	 n, cap;	/* cap is a power of two */
};

static size_t
counter_slot(const struct counter *c, uint64_t key)
{
	size_t mask = c->cap - 1;
	size_t i = (size_t)((key * 0x9E3779B97F4A7C15ULL) >> 32) & mask;

	while (c->slots[i].key != 0 && c->slots[i].key != key)
		i = (i + 1) & mask;
	return i;
}

/* Doubles the table, keeping the entries in the order they came. */
static void
counter_grow(struct counter *c)
{
	struct counter old = *c;
	size_t i, slot;

	c->cap = c->cap ? c->cap * 2 : 1024;
	c->slots = xcalloc(c->cap, sizeof(*c->slots));
	c->used = xreallocarray(NULL, c->cap / 2, sizeof(*c->used));
	for (i = 0; i < old.n; i++) {
		slot = counter_slot(c, old.slots[old.used[i]].key);
		c->slots[slot] = old.slots[old.used[i]];
		c->used[i] = (uint32_t)slot;
	}
	free(old.slots);
	free(old.used);
}

static void
counter_add(struct counter *c, uint64_t key, uint32_t by)
{
	size_t i;

	if ((c->n + 1) * 2 > c->cap)
		counter_grow(c);
	i = counter_slot(c, key);
	if (c->slots[i].key == 0) {
		c->slots[i].key = key;
		c->used[c->n++] = (uint32_t)i;
	}
	c->slots[i].count += by;
}

static uint32_t
counter_get(const struct counter *c, uint64_t key)
{
	size_t i;

	if (c->cap == 0)
		return 0;
	i = counter_slot(c, key);
	return c->slots[i].key == key ? c->slots[i].count : 0;
}

static void
counter_free(struct counter *c)
{
	free(c->slots);
	free(c->used);
	memset(c, 0, sizeof(*c));
}

/*
 * Empties c and keeps its memory for the next article, unless a huge
 * one grew it past COUNTER_KEEP slots: that much is not held for good.
 */
static void
counter_clear(struct counter *c)
{
	size_t i;

	if (c->cap > COUNTER_KEEP)
		counter_free(c);
	else {
		for (i = 0; i < c->n; i++)
			memset(&c->slots[c->used[i]], 0, sizeof(*c->slots));
		c->n = 0;
	}
}

/*
 * The reference table again, as an open-addressing hash from key to
 * inverse document frequency: looking a bigram up is the commonest step
 * of describing an article after counting it, and a binary search spent
 * a dozen unpredictable branches on each.  Sparse, so that a lookup
 * mostly takes one probe.  Built once, then only read, by any thread.
 */
static struct {
	uint64_t *keys;		/* never freed; 0: an empty slot */
	double	*idf;		/* never freed; per slot */
	size_t	 mask;		/* slots - 1; slots is a power of two */
	double	 unknown_idf;	/* of a bigram not in the table */
} reference;

/* 1 + log(count) for the small counts, which are nearly all of them. */
#define TF_FACTORS	64
static double tf_factors[TF_FACTORS];

static pthread_key_t counter_key;	/* each thread's struct counter */
static pthread_once_t setup_once = PTHREAD_ONCE_INIT;

static size_t
reference_hash(uint64_t key)
{
	return (size_t)((key * 0x9E3779B97F4A7C15ULL) >> 32) & reference.mask;
}

static double
inverse_frequency(unsigned documents)
{
	return log((idf_documents + 1.0) / (documents + 1.0));
}

static void
reference_build(void)
{
	size_t cap = 1, i, slot;

	while (cap < idf_count * 6)
		cap *= 2;
	reference.keys = xcalloc(cap, sizeof(*reference.keys));
	reference.idf = xcalloc(cap, sizeof(*reference.idf));
	reference.mask = cap - 1;
	for (i = 0; i < idf_count; i++) {
		slot = reference_hash(idf_table[i].key);
		while (reference.keys[slot] != 0)
			slot = (slot + 1) & reference.mask;
		reference.keys[slot] = idf_table[i].key;
		reference.idf[slot] = inverse_frequency(idf_table[i].documents);
	}
	reference.unknown_idf = inverse_frequency(0);
}

static double
reference_idf(uint64_t key)
{
	size_t slot = reference_hash(key);

	for (; reference.keys[slot] != 0; slot = (slot + 1) & reference.mask)
		if (reference.keys[slot] == key)
			return reference.idf[slot];
	return reference.unknown_idf;
}

/* The same double as 1.0 + log(count), from the table where it can. */
static double
tf_factor(uint32_t count)
{
	return count < TF_FACTORS ? tf_factors[count] : 1.0 + log(count);
}

/* Frees a thread's counter (see thread_counter) as the thread ends. */
static void
thread_counter_free(void *c)
{
	counter_free(c);
	free(c);
}

/* What the first call of related_terms, on any thread, sets up. */
static void
setup_terms(void)
{
	uint32_t count;

	reference_build();
	for (count = 1; count < TF_FACTORS; count++)
		tf_factors[count] = 1.0 + log(count);
	/* Fails only when the process is out of keys or memory. */
	if (pthread_key_create(&counter_key, thread_counter_free) != 0) {
		fprintf(stderr, "jiceng: error: cannot create a thread key\n");
		abort();
	}
}

/*
 * The calling thread's counter, empty, kept from one article to the
 * next: a fresh one per article cost over a tenth of related_terms, in
 * zeroed memory and in rehashing as it grew.
 */
static struct counter *
thread_counter(void)
{
	struct counter *c = pthread_getspecific(counter_key);

	if (c == NULL) {
		c = xcalloc(1, sizeof(*c));
		if (pthread_setspecific(counter_key, c) != 0) {
			fprintf(stderr, "jiceng: error: out of memory\n");
			abort();
		}
	}
	return c;
}

/*
 * The next code point of s, as utf8_next gives it, one call less for
 * most characters of a body: a lead byte E1-EC or EE-EF followed by two
 * continuation bytes is always a valid sequence (neither overlong nor a
 * surrogate).  The calls through utf8proc took an eighth of the time
 * related_terms spends.
 */
static int32_t
next_char(const char *s, size_t len, size_t *pos)
{
	const unsigned char *p = (const unsigned char *)s + *pos;

	if (*pos + 3 <= len && p[0] >= 0xE1 && p[0] <= 0xEF &&
	    p[0] != 0xED && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80) {
		*pos += 3;
		return (int32_t)(p[0] & 0x0F) << 12 |
		    (int32_t)(p[1] & 0x3F) << 6 | (p[2] & 0x3F);
	}
	return utf8_next(s, len, pos);
}

/* Whether term a ranks before b: heavier, then smaller key. */
static int
term_before(const struct related_term *a, const struct related_term *b)
{
	if (a->weight != b->weight)
		return a->weight > b->weight;
	return a->key < b->key;
}

/*
 * Keeps the best k terms seen so far in heap[], a min-heap on rank whose
 * root is the weakest kept term.
 */
static void
heap_offer(struct related_term *heap, size_t *n, size_t k,
    struct related_term t)
{
	size_t i, child;
	struct related_term tmp;

	if (*n < k) {
		i = (*n)++;
		heap[i] = t;
		while (i > 0 && term_before(&heap[(i - 1) / 2], &heap[i])) {
			tmp = heap[i];
			heap[i] = heap[(i - 1) / 2];
			heap[(i - 1) / 2] = tmp;
			i = (i - 1) / 2;
		}
		return;
	}
	if (!term_before(&t, &heap[0]))
		return;
	heap[0] = t;
	for (i = 0; (child = 2 * i + 1) < *n; i = child) {
		if (child + 1 < *n && term_before(&heap[child], &heap[child + 1]))
			child++;
		if (!term_before(&heap[i], &heap[child]))
			break;
		tmp = heap[i];
		heap[i] = heap[child];
		heap[child] = tmp;
	}
}

static int
compare_terms(const void *a, const void *b)
{
	return term_before(b, a) - term_before(a, b);
}

size_t
related_terms(const char *body, size_t len, struct related_term *out)
{
	struct counter *tf;
	const struct counter_slot *slot;
	struct related_term t;
	size_t pos = 0, n = 0, i;
	int32_t cp, prev = -1;
	double norm = 0;

	pthread_once(&setup_once, setup_terms);
	tf = thread_counter();
	while ((cp = next_char(body, len, &pos)) != -1) {
		if (!utf8_is_han(cp)) {
			prev = -1;
			continue;
		}
		if (prev != -1)
			counter_add(tf, ((uint64_t)prev << 21) | (uint64_t)cp, 1);
		prev = cp;
	}
	for (i = 0; i < tf->n; i++) {
		slot = &tf->slots[tf->used[i]];
		t.key = slot->key;
		t.weight = (float)(tf_factor(slot->count) *
		    reference_idf(slot->key));
		if (t.weight > 0)
			heap_offer(out, &n, RELATED_TERMS, t);
	}
	counter_clear(tf);
	qsort(out, n, sizeof(*out), compare_terms);
	for (i = 0; i < n; i++)
		norm += (double)out[i].weight * out[i].weight;
	norm = norm > 0 ? sqrt(norm) : 1;
	for (i = 0; i < n; i++)
		out[i].weight = (float)(out[i].weight / norm);
	return n;
}

struct posting {
	uint32_t article;
	float	 weight;
};

struct postings {
	struct posting *items;
	size_t	 n, cap;
};

struct index {
	struct postings *postings;	/* owned */
	size_t	 nlists;
	uint32_t *term_lists;		/* owned; ARTICLE_TERMS per article:
					   the list number + 1 of each term */
};

/*
 * One share of the index while it is built: the terms whose keys fall to
 * it (see part_of), with lists numbered within the share.  Each share
 * has a thread and its own memory, so none waits on another.
 */
struct index_part {
	struct counter lists;		/* term -> list number + 1 */
	struct postings *postings;	/* owned until merged */
	size_t	 nlists, cap;
	uint32_t *term_lists;		/* as in struct index, for its terms */
};

/* Whether posting x ranks before y: heavier, then the earlier article. */
static int
posting_before(const struct posting *x, const struct posting *y)
{
	if (x->weight != y->weight)
		return x->weight > y->weight;
	return x->article < y->article;
}

static int
posting_by_weight(const void *a, const void *b)
{
	return posting_before(b, a) - posting_before(a, b);
}

/*
 * Keeps the POSTINGS_PER_TERM best postings offered to pl, in a min-heap
 * on rank whose root is the weakest kept, as heap_offer keeps terms: the
 * lists of common bigrams run to thousands of articles, and storing and
 * sorting them whole took a quarter of related_compute.
 */
static void
postings_offer(struct postings *pl, struct posting p)
{
	struct posting *heap, tmp;
	size_t i, child;

	if (pl->n < POSTINGS_PER_TERM) {
		if (pl->n == pl->cap) {
			pl->cap = pl->cap ? pl->cap * 2 : 4;
			pl->items = xreallocarray(pl->items, pl->cap,
			    sizeof(*pl->items));
		}
		heap = pl->items;
		i = pl->n++;
		heap[i] = p;
		while (i > 0 && posting_before(&heap[(i - 1) / 2], &heap[i])) {
			tmp = heap[i];
			heap[i] = heap[(i - 1) / 2];
			heap[(i - 1) / 2] = tmp;
			i = (i - 1) / 2;
		}
		return;
	}
	heap = pl->items;
	if (!posting_before(&p, &heap[0]))
		return;
	heap[0] = p;
	for (i = 0; (child = 2 * i + 1) < pl->n; i = child) {
		if (child + 1 < pl->n &&
		    posting_before(&heap[child], &heap[child + 1]))
			child++;
		if (!posting_before(&heap[i], &heap[child]))
			break;
		tmp = heap[i];
		heap[i] = heap[child];
		heap[child] = tmp;
	}
}

/* Offers the article to the term's list; returns the list number + 1. */
static uint32_t
index_add(struct index_part *ix, uint64_t key, size_t article, float weight)
{
	uint32_t list = counter_get(&ix->lists, key);
	struct posting p = { (uint32_t)article, weight };

	if (list == 0) {
		if (ix->nlists == ix->cap) {
			ix->cap = ix->cap ? ix->cap * 2 : 1024;
			ix->postings = xreallocarray(ix->postings, ix->cap,
			    sizeof(*ix->postings));
		}
		memset(&ix->postings[ix->nlists], 0, sizeof(*ix->postings));
		list = (uint32_t)++ix->nlists;
		counter_add(&ix->lists, key, list);
	}
	postings_offer(&ix->postings[list - 1], p);
	return list;
}

/* The share of the index that term key falls to, of n. */
static size_t
part_of(uint64_t key, size_t n)
{
	/* The top bits: the counters' slots are chosen by lower ones. */
	return (size_t)((((key * 0x9E3779B97F4A7C15ULL) >> 56) * n) >> 8);
}

struct index_job {
	const struct site *site;
	struct index *index;
	struct index_part *parts;
	size_t	 nparts;
	size_t	*first;		/* per part, the number of its first list */
};

static void
build_part(void *arg, size_t worker, size_t p)
{
	struct index_job *job = arg;
	const struct site *s = job->site;
	struct index_part *part = &job->parts[p];
	const struct article_digest *g;
	uint32_t *lists;
	size_t i, k;

	(void)worker;
	part->term_lists = xcalloc(s->narticles + 1,
	    ARTICLE_TERMS * sizeof(*part->term_lists));
	/* Only articles are offered, so notes take no champion's place. */
	for (i = 0; i < s->narticles; i++) {
		if (s->articles[i].src->kind != ARTICLE_KIND_ARTICLE)
			continue;
		g = s->articles[i].src->digest;
		lists = &part->term_lists[i * ARTICLE_TERMS];
		for (k = 0; k < g->nterms; k++)
			if (part_of(g->term_keys[k], job->nparts) == p)
				lists[k] = index_add(part, g->term_keys[k], i,
				    g->term_weights[k]);
	}
	for (k = 0; k < part->nlists; k++)
		qsort(part->postings[k].items, part->postings[k].n,
		    sizeof(struct posting), posting_by_weight);
	counter_free(&part->lists);
}

/* Numbers article i's lists in the whole index, from its parts'. */
static void
merge_lists(void *arg, size_t worker, size_t i)
{
	struct index_job *job = arg;
	const struct article_digest *g = job->site->articles[i].src->digest;
	uint32_t *lists = &job->index->term_lists[i * ARTICLE_TERMS];
	size_t k, p, at = i * ARTICLE_TERMS;

	(void)worker;
	if (job->site->articles[i].src->kind != ARTICLE_KIND_ARTICLE)
		return;
	for (k = 0; k < g->nterms; k++) {
		p = part_of(g->term_keys[k], job->nparts);
		lists[k] = (uint32_t)job->first[p] +
		    job->parts[p].term_lists[at + k];
	}
}

static void
index_build(struct index *ix, const struct site *s, size_t nthreads)
{
	struct index_job job = { s, ix, NULL, pool_threads(nthreads), NULL };
	size_t p;

	job.parts = xcalloc(job.nparts, sizeof(*job.parts));
	job.first = xcalloc(job.nparts, sizeof(*job.first));
	pool_for(nthreads, job.nparts, build_part, &job);
	for (p = 0; p < job.nparts; p++) {
		job.first[p] = ix->nlists;
		ix->nlists += job.parts[p].nlists;
	}
	ix->postings = xcalloc(ix->nlists + 1, sizeof(*ix->postings));
	for (p = 0; p < job.nparts; p++)
		if (job.parts[p].nlists > 0)
			memcpy(&ix->postings[job.first[p]],
			    job.parts[p].postings,
			    job.parts[p].nlists * sizeof(*ix->postings));
	ix->term_lists = xcalloc(s->narticles + 1,
	    ARTICLE_TERMS * sizeof(*ix->term_lists));
	pool_for(nthreads, s->narticles, merge_lists, &job);
	for (p = 0; p < job.nparts; p++) {
		free(job.parts[p].postings);
		free(job.parts[p].term_lists);
	}
	free(job.parts);
	free(job.first);
}

static void
index_free(struct index *ix)
{
	size_t k;

	for (k = 0; k < ix->nlists; k++)
		free(ix->postings[k].items);
	free(ix->postings);
	free(ix->term_lists);
}

static size_t
shared_themes(const struct site_article *a, const struct site_article *b)
{
	size_t i, j, n = 0;

	/* Both lists are in taxonomy order. */
	for (i = j = 0; i < a->themes.count && j < b->themes.count;) {
		if (a->themes.items[i] == b->themes.items[j]) {
			n++;
			i++;
			j++;
		} else if (a->themes.items[i] < b->themes.items[j])
			i++;
		else
			j++;
	}
	return n;
}

/*
 * The number of bits set in x.  __builtin_popcountll is a library call
 * where the target has no such instruction (x86-64 without -mpopcnt),
 * and it ran once per candidate.
 */
static unsigned
count_bits(uint64_t x)
{
	x = x - ((x >> 1) & 0x5555555555555555ULL);
	x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
	x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0FULL;
	return (unsigned)((x * 0x0101010101010101ULL) >> 56);
}

/* What one scoring thread owns. */
struct scorer {
	float	*acc;		/* score per article, 0 when untouched */
	uint32_t *touched;	/* articles with a score */
};

struct score_job {
	struct site *site;
	const struct index *index;
	struct scorer *scorers;
	uint64_t *masks;	/* per article, its themes as bits, or NULL */
};

/* Inserts b with score into the best list of a, kept in rank order. */
static void
keep_best(struct site_article *a, size_t b, float score, float *scores)
{
	size_t i = a->nrelated;

	if (i == SITE_RELATED_MAX) {
		if (score <= scores[i - 1])	/* ties: the earlier article */
			return;
		i--;
	} else
		a->nrelated++;
	while (i > 0 && score > scores[i - 1]) {
		a->related[i] = a->related[i - 1];
		scores[i] = scores[i - 1];
		i--;
	}
	a->related[i] = b;
	scores[i] = score;
}

static void
score_article(void *arg, size_t worker, size_t i)
{
	struct score_job *job = arg;
	struct site *s = job->site;
	struct site_article *a = &s->articles[i];
	const struct article_digest *g = a->src->digest;
	const uint32_t *lists = &job->index->term_lists[i * ARTICLE_TERMS];
	const struct postings *pl;
	float *acc = job->scorers[worker].acc;
	uint32_t *touched = job->scorers[worker].touched;
	float scores[SITE_RELATED_MAX], score, weight;
	size_t k, p, n = 0;
	uint32_t b;

	a->nrelated = 0;
	if (a->src->kind != ARTICLE_KIND_ARTICLE)
		return;

	/* Each term of an article is in the index: it was offered. */
	for (k = 0; k < g->nterms; k++) {
		pl = &job->index->postings[lists[k] - 1];
		/* Read once: for all the compiler knows, acc[b] is it. */
		weight = g->term_weights[k];
		for (p = 0; p < pl->n; p++) {
			b = pl->items[p].article;
			if (b == i)
				continue;
			/*
			 * Whether b is new is a coin toss a branch would
			 * mispredict: write b anyway, count it only if new.
			 */
			touched[n] = b;
			n += acc[b] == 0;
			acc[b] += weight * pl->items[p].weight;
		}
	}
	/* Candidates in the order first met, so equal scores rank stably. */
	for (k = 0; k < n; k++) {
		b = touched[k];
		score = acc[b] + THEME_WEIGHT * (float)(job->masks ?
		    (size_t)count_bits(job->masks[i] & job->masks[b]) :
		    shared_themes(a, &s->articles[b]));
		acc[b] = 0;
		keep_best(a, b, score, scores);
	}
}

static uint64_t
mix(uint64_t h, uint64_t x)
{
	h ^= x + 0x9E3779B97F4A7C15ULL + (h << 6) + (h >> 2);
	return h * 0xFF51AFD7ED558CCDULL;
}

static uint32_t
float_bits(float f)
{
	uint32_t bits;

	memcpy(&bits, &f, sizeof(bits));
	return bits;
}

/* What an article is known by from one build to the next. */
static uint64_t
identity(const struct site_article *a)
{
	uint64_t h = XXH3_64bits(a->path, strlen(a->path));

	return h ? h : 1;
}

/*
 * Everything score_article reads for article i, hashed: its kind, terms
 * and themes, and the postings of each of its terms' lists with the
 * themes of the articles in them; articles by identity, not index, which
 * shifts as others come and go without changing any score or tie.
 */
struct inputs_job {
	const struct site *site;
	const struct index *index;
	const uint64_t *ids;		/* identity per article */
	const uint64_t *themes;		/* hash of its themes per article */
	uint64_t *list_hash;		/* per list */
	uint64_t *inputs;		/* per article, the result */
};

static void
hash_list(void *arg, size_t worker, size_t k)
{
	struct inputs_job *job = arg;
	const struct postings *pl = &job->index->postings[k];
	uint64_t h = pl->n;
	size_t p;

	(void)worker;
	for (p = 0; p < pl->n; p++) {
		h = mix(h, job->ids[pl->items[p].article]);
		h = mix(h, float_bits(pl->items[p].weight));
		h = mix(h, job->themes[pl->items[p].article]);
	}
	job->list_hash[k] = h;
}

static void
hash_inputs(void *arg, size_t worker, size_t i)
{
	struct inputs_job *job = arg;
	const struct site_article *a = &job->site->articles[i];
	const struct article_digest *g = a->src->digest;
	const uint32_t *lists = &job->index->term_lists[i * ARTICLE_TERMS];
	uint64_t h = mix(job->site->themes_hash, a->src->kind);
	size_t k;

	(void)worker;
	h = mix(h, job->themes[i]);
	if (a->src->kind == ARTICLE_KIND_ARTICLE)
		for (k = 0; k < g->nterms; k++)
			h = mix(h, job->list_hash[lists[k] - 1]);
	for (k = 0; k < g->nterms; k++)
		h = mix(mix(h, g->term_keys[k]), float_bits(g->term_weights[k]));
	job->inputs[i] = h;
}

static void
compute_inputs(const struct site *s, const struct index *ix, size_t nthreads,
    uint64_t *ids, uint64_t *inputs)
{
	struct inputs_job job = { s, ix, ids, NULL, NULL, inputs };
	uint64_t *themes = xcalloc(s->narticles + 1, sizeof(*themes));
	size_t i, k;

	for (i = 0; i < s->narticles; i++) {
		ids[i] = identity(&s->articles[i]);
		themes[i] = s->articles[i].themes.count;
		for (k = 0; k < s->articles[i].themes.count; k++)
			themes[i] = mix(themes[i],
			    s->articles[i].themes.items[k]);
	}
	job.themes = themes;
	job.list_hash = xcalloc(ix->nlists + 1, sizeof(*job.list_hash));
	pool_for(nthreads, ix->nlists, hash_list, &job);
	pool_for(nthreads, s->narticles, hash_inputs, &job);
	free(job.list_hash);
	free(themes);
}

/*
 * The lists the memo gives articles whose inputs are unchanged; marks
 * the others to be scored.
 */
static void
recall(struct site *s, const struct related_memo *memo, const uint64_t *ids,
    const uint64_t *inputs, bool *score)
{
	struct counter by_id = { 0 }, known = { 0 };
	struct ser_reader r;
	uint64_t id, in, rel[SITE_RELATED_MAX];
	uint32_t n, i, k, nrel, at;
	struct site_article *a;

	for (i = 0; i < s->narticles; i++)
		score[i] = true;
	for (i = 0; i < s->narticles; i++) {
		/* Two paths with one hash: trust nothing. */
		if (counter_get(&by_id, ids[i]) != 0)
			goto out;
		counter_add(&by_id, ids[i], i + 1);
	}
	ser_reader_init(&r, memo->prev, memo->prev_len);
	n = memo->prev ? ser_read_u32(&r) : 0;
	for (i = 0; i < n && !r.bad; i++) {
		id = ser_read_u64(&r);
		in = ser_read_u64(&r);
		nrel = ser_read_u32(&r);
		if (nrel > SITE_RELATED_MAX)
			break;
		for (k = 0; k < nrel; k++)
			rel[k] = ser_read_u64(&r);
		at = counter_get(&by_id, id);
		if (r.bad || at == 0 || inputs[at - 1] != in ||
		    counter_get(&known, id) != 0)
			continue;
		counter_add(&known, id, 1);
		a = &s->articles[at - 1];
		a->nrelated = 0;
		for (k = 0; k < nrel && counter_get(&by_id, rel[k]) != 0; k++)
			a->related[a->nrelated++] =
			    counter_get(&by_id, rel[k]) - 1;
		if (k == nrel)
			score[at - 1] = false;
	}
out:
	counter_free(&by_id);
	counter_free(&known);
}

static void
remember(const struct site *s, const uint64_t *ids, const uint64_t *inputs,
    struct buf *b)
{
	const struct site_article *a;
	size_t i, k;

	buf_truncate(b, 0);
	ser_u32(b, (uint32_t)s->narticles);
	for (i = 0; i < s->narticles; i++) {
		a = &s->articles[i];
		ser_u64(b, ids[i]);
		ser_u64(b, inputs[i]);
		ser_u32(b, (uint32_t)a->nrelated);
		for (k = 0; k < a->nrelated; k++)
			ser_u64(b, ids[a->related[k]]);
	}
}

/* Scores the articles marked, only. */
struct marked_job {
	struct score_job *score;
	const uint32_t *which;
};

static void
score_marked(void *arg, size_t worker, size_t i)
{
	struct marked_job *job = arg;

	score_article(job->score, worker, job->which[i]);
}

void
related_compute(struct site *s, size_t nthreads, struct related_memo *memo)
{
	struct index ix = { 0 };
	struct score_job job = { s, &ix, NULL, NULL };
	struct marked_job marked = { &job, NULL };
	size_t nworkers = pool_threads(nthreads), w, i, k, n = s->narticles;
	uint64_t *ids = NULL, *inputs = NULL;
	uint32_t *which = NULL;
	bool *score = NULL;

	index_build(&ix, s, nthreads);
	if (memo != NULL) {
		ids = xcalloc(s->narticles + 1, sizeof(*ids));
		inputs = xcalloc(s->narticles + 1, sizeof(*inputs));
		score = xcalloc(s->narticles + 1, sizeof(*score));
		which = xcalloc(s->narticles + 1, sizeof(*which));
		compute_inputs(s, &ix, nthreads, ids, inputs);
		recall(s, memo, ids, inputs, score);
		for (i = n = 0; i < s->narticles; i++)
			if (score[i])
				which[n++] = (uint32_t)i;
		marked.which = which;
	}
	/* Shared themes by counting common bits, where a word holds them. */
	if (s->nthemes <= 64) {
		job.masks = xcalloc(s->narticles + 1, sizeof(*job.masks));
		for (i = 0; i < s->narticles; i++)
			for (k = 0; k < s->articles[i].themes.count; k++)
				job.masks[i] |= 1ULL <<
				    s->articles[i].themes.items[k];
	}
	job.scorers = xcalloc(nworkers, sizeof(*job.scorers));
	for (w = 0; w < nworkers; w++) {
		job.scorers[w].acc = xcalloc(s->narticles + 1, sizeof(float));
		job.scorers[w].touched = xcalloc(s->narticles + 1,
		    sizeof(uint32_t));
	}
	if (memo != NULL)
		pool_for(nworkers, n, score_marked, &marked);
	else
		pool_for(nworkers, n, score_article, &job);
	if (memo != NULL)
		remember(s, ids, inputs, &memo->next);
	for (w = 0; w < nworkers; w++) {
		free(job.scorers[w].acc);
		free(job.scorers[w].touched);
	}
	free(job.scorers);
	free(job.masks);
	free(ids);
	free(inputs);
	free(score);
	free(which);
	index_free(&ix);
}
