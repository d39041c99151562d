#include "related.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../util/utf8.h"
#include "../util/xalloc.h"

#define TERMS_PER_ARTICLE 32	/* bigrams kept to describe an article */
#define POSTINGS_PER_TERM 64	/* articles kept per bigram ("champions") */
#define THEME_WEIGHT	0.08f	/* score of one shared theme */

/* A map from 64-bit keys to 32-bit counters, open addressing. */
struct counter {
	uint64_t *keys;		/* 0 = empty; keys are never 0 */
	uint32_t *counts;
	size_t	 n, cap;	/* cap is a power of two */
};

static void counter_add(struct counter *c, uint64_t key, uint32_t by);

static void
counter_grow(struct counter *c)
{
	struct counter bigger = { 0 };
	size_t i;

	bigger.cap = c->cap ? c->cap * 2 : 256;
	bigger.keys = xcalloc(bigger.cap, sizeof(*bigger.keys));
	bigger.counts = xcalloc(bigger.cap, sizeof(*bigger.counts));
	for (i = 0; i < c->cap; i++)
		if (c->keys[i] != 0)
			counter_add(&bigger, c->keys[i], c->counts[i]);
	free(c->keys);
	free(c->counts);
	*c = bigger;
}

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
	size_t i;

	if ((c->n + 1) * 2 > c->cap)
		counter_grow(c);
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

struct term {
	uint64_t key;
	float	 weight;
};

struct posting {
	uint32_t article;
	float	 weight;
};

struct postings {
	struct posting *items;
	size_t	 n, cap;
};

static void
postings_add(struct postings *pl, size_t article, float weight)
{
	if (pl->n == pl->cap) {
		pl->cap = pl->cap ? pl->cap * 2 : 4;
		pl->items = xreallocarray(pl->items, pl->cap, sizeof(*pl->items));
	}
	pl->items[pl->n].article = (uint32_t)article;
	pl->items[pl->n].weight = weight;
	pl->n++;
}

/* Counts the Han bigrams of a body. */
static void
count_bigrams(const char *s, size_t len, struct counter *tf)
{
	size_t pos = 0;
	int32_t cp, prev = -1;

	while ((cp = utf8_next(s, len, &pos)) != -1) {
		if (!utf8_is_han(cp)) {
			prev = -1;
			continue;
		}
		if (prev != -1)
			counter_add(tf, ((uint64_t)prev << 21) | (uint64_t)cp, 1);
		prev = cp;
	}
}

static int
term_by_weight(const void *a, const void *b)
{
	const struct term *x = a, *y = b;

	if (x->weight != y->weight)
		return x->weight > y->weight ? -1 : 1;
	return x->key < y->key ? -1 : x->key > y->key;
}

/* The article's strongest terms, normalised to unit length. */
static size_t
top_terms(const struct counter *tf, const struct counter *df, size_t n,
    struct term *out)
{
	struct term *all = xmalloc((tf->n + 1) * sizeof(*all));
	size_t i, k = 0, keep;
	double norm = 0;

	for (i = 0; i < tf->cap; i++) {
		if (tf->keys[i] == 0)
			continue;
		all[k].key = tf->keys[i];
		all[k].weight = (float)((1.0 + log(tf->counts[i])) *
		    log((double)(n + 1) / counter_get(df, tf->keys[i])));
		k++;
	}
	qsort(all, k, sizeof(*all), term_by_weight);
	keep = k < TERMS_PER_ARTICLE ? k : TERMS_PER_ARTICLE;
	for (i = 0; i < keep; i++)
		norm += (double)all[i].weight * all[i].weight;
	norm = norm > 0 ? sqrt(norm) : 1;
	for (i = 0; i < keep; i++) {
		out[i] = all[i];
		out[i].weight = (float)(all[i].weight / norm);
	}
	free(all);
	return keep;
}

static int
posting_by_weight(const void *a, const void *b)
{
	const struct posting *x = a, *y = b;

	if (x->weight != y->weight)
		return x->weight > y->weight ? -1 : 1;
	return x->article < y->article ? -1 : x->article > y->article;
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

struct scored {
	uint32_t article;
	float	 score;
};

static int
scored_by_score(const void *a, const void *b)
{
	const struct scored *x = a, *y = b;

	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return x->article < y->article ? -1 : x->article > y->article;
}

/* Accumulates scores of article i against its candidates; fills related. */
static void
score_article(struct site *s, size_t i, const struct term *terms,
    const size_t *nterms, struct counter *index, struct postings *lists,
    float *acc, struct scored *touched)
{
	struct site_article *a = &s->articles[i];
	const struct term *t = terms + i * TERMS_PER_ARTICLE;
	size_t k, p, n = 0, list;
	uint32_t b;

	for (k = 0; k < nterms[i]; k++) {
		list = counter_get(index, t[k].key);
		if (list == 0)
			continue;
		for (p = 0; p < lists[list - 1].n; p++) {
			b = lists[list - 1].items[p].article;
			if (b == i || s->articles[b].src->kind != ARTICLE_KIND_ARTICLE)
				continue;
			if (acc[b] == 0)
				touched[n++].article = b;
			acc[b] += t[k].weight * lists[list - 1].items[p].weight;
		}
	}
	for (k = 0; k < n; k++) {
		b = touched[k].article;
		touched[k].score = acc[b] +
		    THEME_WEIGHT * (float)shared_themes(a, &s->articles[b]);
		acc[b] = 0;
	}
	qsort(touched, n, sizeof(*touched), scored_by_score);
	a->nrelated = 0;
	for (k = 0; k < n && a->nrelated < SITE_RELATED_MAX; k++)
		a->related[a->nrelated++] = touched[k].article;
}

void
related_compute(struct site *s)
{
	struct counter tf = { 0 }, df = { 0 }, index = { 0 };
	struct term *terms;
	struct postings *lists = NULL;
	struct scored *touched;
	size_t *nterms, i, k, nlists = 0, list, n = s->narticles;
	const struct term *t;
	float *acc;

	/*
	 * Two passes over the bodies, counting bigrams twice, so that only
	 * one article's counts are held at a time rather than all of them.
	 */
	terms = xcalloc(n * TERMS_PER_ARTICLE + 1, sizeof(*terms));
	nterms = xcalloc(n + 1, sizeof(*nterms));
	for (i = 0; i < n; i++) {
		count_bigrams(s->articles[i].src->body,
		    s->articles[i].src->body_len, &tf);
		for (k = 0; k < tf.cap; k++)
			if (tf.keys[k] != 0)
				counter_add(&df, tf.keys[k], 1);
		counter_free(&tf);
	}
	for (i = 0; i < n; i++) {
		count_bigrams(s->articles[i].src->body,
		    s->articles[i].src->body_len, &tf);
		nterms[i] = top_terms(&tf, &df, n,
		    terms + i * TERMS_PER_ARTICLE);
		counter_free(&tf);
	}
	/* The inverted index: one posting list per term, by weight. */
	for (i = 0; i < n; i++) {
		for (k = 0; k < nterms[i]; k++) {
			t = &terms[i * TERMS_PER_ARTICLE + k];
			list = counter_get(&index, t->key);
			if (list == 0) {
				lists = xreallocarray(lists, nlists + 1,
				    sizeof(*lists));
				memset(&lists[nlists], 0, sizeof(*lists));
				counter_add(&index, t->key, (uint32_t)++nlists);
				list = nlists;
			}
			postings_add(&lists[list - 1], i, t->weight);
		}
	}
	for (list = 0; list < nlists; list++) {
		qsort(lists[list].items, lists[list].n, sizeof(struct posting),
		    posting_by_weight);
		if (lists[list].n > POSTINGS_PER_TERM)
			lists[list].n = POSTINGS_PER_TERM;
	}
	acc = xcalloc(n + 1, sizeof(*acc));
	touched = xcalloc(n + 1, sizeof(*touched));
	for (i = 0; i < n; i++)
		if (s->articles[i].src->kind == ARTICLE_KIND_ARTICLE)
			score_article(s, i, terms, nterms, &index, lists, acc,
			    touched);
	for (list = 0; list < nlists; list++)
		free(lists[list].items);
	free(lists);
	free(acc);
	free(touched);
	free(terms);
	free(nterms);
	counter_free(&df);
	counter_free(&index);
}
