/*
 * What the files of the related-articles module share, and nobody else
 * sees (related.h is its contract):
 *
 *   related.c        describing an article by its terms; related_compute
 *   related_index.c  the algorithm: each article's keys, the champion
 *                    lists of every key, scoring through them
 *   related_memo.c   what a build keeps for the next, and scoring only
 *                    what an edit changed
 *
 * related_memo.c calls related_index.c, never the other way round.
 */
#ifndef JICENG_RELATED_INTERNAL_H
#define JICENG_RELATED_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../util/xalloc.h"
#include "related.h"
#include "site.h"

#define POSTINGS_PER_TERM 64	/* articles kept per bigram ("champions") */
#define COUNTER_KEEP	65536	/* slots a thread's counter keeps (1 MB) */

/*
 * Besides its terms, an article is listed in the index under its
 * district, city, province, series and first THEME_FACETS themes, so
 * that the articles it shares them with are candidates even when their
 * words differ (two articles seldom share one of their 32 strongest
 * bigrams).  Such a facet weighs FACET_WEIGHT on both sides, too little
 * to move a score: it is what the article shares that scores.  A
 * theme's list keeps THEME_CHAMPIONS articles: enough to fill a related
 * list in a small site, where they are all its articles; in a large one,
 * where they are a sample of thousands, more would only cost scoring.
 */
#define THEME_FACETS	4
#define THEME_CHAMPIONS	16
#define RELATED_KEYS	(ARTICLE_TERMS + 4 + THEME_FACETS)
#define FACET_WEIGHT	1e-4f

/*
 * A map from bigram keys to counts, open addressing; keys are never 0.
 * used[] names the filled slots in the order they were filled, so a
 * walk over the entries or a clear for the next article visits those
 * alone, however large the table has grown.  Inline here: counting an
 * article's bigrams is the inner loop of related_terms.
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

static inline size_t
counter_slot(const struct counter *c, uint64_t key)
{
	size_t mask = c->cap - 1;
	size_t i = (size_t)((key * 0x9E3779B97F4A7C15ULL) >> 32) & mask;

	while (c->slots[i].key != 0 && c->slots[i].key != key)
		i = (i + 1) & mask;
	return i;
}

/* Doubles the table, keeping the entries in the order they came. */
static inline void
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

/* Makes room for n entries in an empty counter, at once. */
static inline void
counter_reserve(struct counter *c, size_t n)
{
	size_t cap = 1024;

	while ((n + 1) * 2 > cap)
		cap *= 2;
	if (c->n > 0 || cap <= c->cap)
		return;
	free(c->slots);
	free(c->used);
	c->cap = cap;
	c->slots = xcalloc(cap, sizeof(*c->slots));
	c->used = xreallocarray(NULL, cap / 2, sizeof(*c->used));
}

static inline void
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

static inline uint32_t
counter_get(const struct counter *c, uint64_t key)
{
	size_t i;

	if (c->cap == 0)
		return 0;
	i = counter_slot(c, key);
	return c->slots[i].key == key ? c->slots[i].count : 0;
}

static inline void
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
static inline void
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

/* An article's terms and facets, as the index lists it under them. */
struct article_keys {
	uint64_t key[RELATED_KEYS];
	float	 weight[RELATED_KEYS];
	uint32_t n;			/* 0 for a note: never listed */
};

/* Mixes x into the hash h: the memo's hashes of what a list reads. */
static inline uint64_t
mix(uint64_t h, uint64_t x)
{
	h ^= x + 0x9E3779B97F4A7C15ULL + (h << 6) + (h >> 2);
	return h * 0xFF51AFD7ED558CCDULL;
}

/* The bits of f, hashed and stored as they are. */
static inline uint32_t
float_bits(float f)
{
	uint32_t bits;

	memcpy(&bits, &f, sizeof(bits));
	return bits;
}

/*
 * What is known of every article for the memo: articles by identity, not
 * index, which shifts as others come and go without changing any score
 * or tie.
 */
struct related_known {
	uint64_t *ids;		/* identity per article */
	struct article_keys *keys;	/* per article: terms and facets */
	uint64_t *series;	/* hash of its series per article, or 0 */
	uint64_t *traits;	/* hash of its themes, places and series per
				   article: what another's score reads */
	uint64_t *own;		/* hash of its kind, traits and keys */
	uint64_t *seen;		/* see seen_hash */
	struct counter by_id;	/* identity -> index + 1 */
	bool	 unique;	/* no two articles with one identity */
};

/* The index of the article with identity id, or -1. */
static inline long
related_known_at(const struct related_known *kn, uint64_t id)
{
	return (long)counter_get(&kn->by_id, id) - 1;
}

struct posting {
	uint32_t article;
	float	 weight;
};

struct postings {
	struct posting *items;
	size_t	 n, cap;
};

struct related_index {
	struct postings *postings;	/* owned */
	uint64_t *keys;			/* owned; the term of each list */
	size_t	 nlists;
	uint32_t *term_lists;		/* owned; RELATED_KEYS per article:
					   the list number + 1 of each key */
};

/*
 * related_index.c.  related_known_init describes every article of s for
 * the index and the memo, on nthreads threads; free with
 * related_known_free.  related_postings_offer keeps the best postings
 * offered to pl, the list of key (as many as key's lists keep), as a
 * heap; related_postings_sort puts them in rank order.  ids[] holds the
 * identity of each article, which breaks ties.
 */
void	 related_known_init(struct related_known *kn, const struct site *s,
	    size_t nthreads);
void	 related_known_free(struct related_known *kn);
void	 related_postings_offer(struct postings *pl, uint64_t key,
	    struct posting p, const uint64_t *ids);
void	 related_postings_sort(struct postings *pl, const uint64_t *ids);
/*
 * Builds the index of every key of every article (keys[] and ids[] per
 * article of s) on nthreads threads.  Free with related_index_free.
 */
void	 related_index_build(struct related_index *ix, const struct site *s,
	    const struct article_keys *keys, const uint64_t *ids,
	    size_t nthreads);
void	 related_index_free(struct related_index *ix);
/*
 * Fills the related list of the n articles in which[] (all of them when
 * which is NULL) from the champion lists of ix, which must hold every
 * list those articles read.
 */
void	 related_score(struct site *s, const struct related_index *ix,
	    const struct related_known *kn, size_t nthreads,
	    const uint32_t *which, size_t n);

/*
 * related_memo.c: fills every article's related list as related_compute
 * does, with memo (see related.h): reading what memo->prev holds,
 * scoring only what changed since, leaving the state in memo->next.
 */
void	 related_memo_compute(struct site *s, struct related_known *kn,
	    size_t nthreads, struct related_memo *memo);

#endif
