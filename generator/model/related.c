#include "related.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../util/pool.h"
#include "../util/utf8.h"
#include "../util/xalloc.h"
#include "idf_data.h"
#include "site.h"

#define POSTINGS_PER_TERM 64	/* articles kept per bigram ("champions") */
#define THEME_WEIGHT	0.08f	/* score of one shared theme */

/* A map from bigram keys to counts, open addressing; keys are never 0. */
struct counter {
	uint64_t *keys;
	uint32_t *counts;
	size_t	 n, cap;	/* cap is a power of two */
};

static size_t
counter_slot(const struct counter *c, uint64_t key)
{
	size_t mask = c->cap - 1;
	size_t i = (size_t)((key * 0x9E3779B97F4A7C15ULL) >> 32) & mask;

	while (c->keys[i] != 0 && c->keys[i] != key)
		i = (i + 1) & mask;
	return i;
}

static void
counter_add(struct counter *c, uint64_t key, uint32_t by)
{
	struct counter old = *c;
	size_t i;

	if ((c->n + 1) * 2 > c->cap) {
		c->cap = c->cap ? c->cap * 2 : 1024;
		c->keys = xcalloc(c->cap, sizeof(*c->keys));
		c->counts = xcalloc(c->cap, sizeof(*c->counts));
		c->n = 0;
		for (i = 0; i < old.cap; i++)
			if (old.keys[i] != 0)
				counter_add(c, old.keys[i], old.counts[i]);
		free(old.keys);
		free(old.counts);
	}
	i = counter_slot(c, key);
	if (c->keys[i] == 0) {
		c->keys[i] = key;
		c->n++;
	}
	c->counts[i] += by;
}

static uint32_t
counter_get(const struct counter *c, uint64_t key)
{
	size_t i;

	if (c->cap == 0)
		return 0;
	i = counter_slot(c, key);
	return c->keys[i] == key ? c->counts[i] : 0;
}

static void
counter_free(struct counter *c)
{
	free(c->keys);
	free(c->counts);
	memset(c, 0, sizeof(*c));
}

static unsigned
reference_documents(uint64_t key)
{
	size_t lo = 0, hi = idf_count, mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (idf_table[mid].key < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < idf_count && idf_table[lo].key == key ?
	    idf_table[lo].documents : 0;
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
	struct counter tf = { 0 };
	struct related_term t;
	size_t pos = 0, n = 0, i;
	int32_t cp, prev = -1;
	double norm = 0, idf;

	while ((cp = utf8_next(body, len, &pos)) != -1) {
		if (!utf8_is_han(cp)) {
			prev = -1;
			continue;
		}
		if (prev != -1)
			counter_add(&tf, ((uint64_t)prev << 21) | (uint64_t)cp, 1);
		prev = cp;
	}
	for (i = 0; i < tf.cap; i++) {
		if (tf.keys[i] == 0)
			continue;
		idf = log((idf_documents + 1.0) /
		    (reference_documents(tf.keys[i]) + 1.0));
		t.key = tf.keys[i];
		t.weight = (float)((1.0 + log(tf.counts[i])) * idf);
		if (t.weight > 0)
			heap_offer(out, &n, RELATED_TERMS, t);
	}
	counter_free(&tf);
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
	struct counter lists;		/* term -> list number + 1 */
	struct postings *postings;	/* owned */
	size_t	 nlists;
};

static int
posting_by_weight(const void *a, const void *b)
{
	const struct posting *x = a, *y = b;

	if (x->weight != y->weight)
		return x->weight > y->weight ? -1 : 1;
	return x->article < y->article ? -1 : x->article > y->article;
}

static void
index_add(struct index *ix, uint64_t key, size_t article, float weight)
{
	uint32_t list = counter_get(&ix->lists, key);
	struct postings *pl;

	if (list == 0) {
		ix->postings = xreallocarray(ix->postings, ix->nlists + 1,
		    sizeof(*ix->postings));
		memset(&ix->postings[ix->nlists], 0, sizeof(*ix->postings));
		list = (uint32_t)++ix->nlists;
		counter_add(&ix->lists, key, list);
	}
	pl = &ix->postings[list - 1];
	if (pl->n == pl->cap) {
		pl->cap = pl->cap ? pl->cap * 2 : 4;
		pl->items = xreallocarray(pl->items, pl->cap, sizeof(*pl->items));
	}
	pl->items[pl->n].article = (uint32_t)article;
	pl->items[pl->n++].weight = weight;
}

static void
index_build(struct index *ix, const struct site *s)
{
	const struct article_digest *g;
	size_t i, k;

	/* Only articles are offered, so notes take no champion's place. */
	for (i = 0; i < s->narticles; i++) {
		if (s->articles[i].src->kind != ARTICLE_KIND_ARTICLE)
			continue;
		g = s->articles[i].src->digest;
		for (k = 0; k < g->nterms; k++)
			index_add(ix, g->term_keys[k], i, g->term_weights[k]);
	}
	for (k = 0; k < ix->nlists; k++) {
		qsort(ix->postings[k].items, ix->postings[k].n,
		    sizeof(struct posting), posting_by_weight);
		if (ix->postings[k].n > POSTINGS_PER_TERM)
			ix->postings[k].n = POSTINGS_PER_TERM;
	}
}

static void
index_free(struct index *ix)
{
	size_t k;

	for (k = 0; k < ix->nlists; k++)
		free(ix->postings[k].items);
	free(ix->postings);
	counter_free(&ix->lists);
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
	struct scorer *w = &job->scorers[worker];
	const struct article_digest *g = a->src->digest;
	const struct postings *pl;
	float scores[SITE_RELATED_MAX], score;
	size_t k, p, n = 0;
	uint32_t list, b;

	a->nrelated = 0;
	if (a->src->kind != ARTICLE_KIND_ARTICLE)
		return;

	for (k = 0; k < g->nterms; k++) {
		list = counter_get(&job->index->lists, g->term_keys[k]);
		if (list == 0)
			continue;
		pl = &job->index->postings[list - 1];
		for (p = 0; p < pl->n; p++) {
			b = pl->items[p].article;
			if (b == i)
				continue;
			if (w->acc[b] == 0)
				w->touched[n++] = b;
			w->acc[b] += g->term_weights[k] * pl->items[p].weight;
		}
	}
	/* Candidates in the order first met, so equal scores rank stably. */
	for (k = 0; k < n; k++) {
		b = w->touched[k];
		score = w->acc[b] + THEME_WEIGHT * (float)(job->masks ?
		    (size_t)__builtin_popcountll(job->masks[i] & job->masks[b]) :
		    shared_themes(a, &s->articles[b]));
		w->acc[b] = 0;
		keep_best(a, b, score, scores);
	}
}

void
related_compute(struct site *s, size_t nthreads)
{
	struct index ix = { 0 };
	struct score_job job = { s, &ix, NULL, NULL };
	size_t nworkers = pool_threads(nthreads), w, i, k;

	index_build(&ix, s);
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
	pool_for(nworkers, s->narticles, score_article, &job);
	for (w = 0; w < nworkers; w++) {
		free(job.scorers[w].acc);
		free(job.scorers[w].touched);
	}
	free(job.scorers);
	free(job.masks);
	index_free(&ix);
}
