/*
 * Related articles: for each article, up to SITE_RELATED_MAX others that
 * share its vocabulary and themes.
 *
 * Each article is described by its most telling Han-character bigrams,
 * weighed by their frequency in the article and their rarity in a fixed
 * reference corpus (idf_data.c), so the description depends on the
 * article's own text alone and a build cache can keep it.  An inverted
 * index keeps, per bigram, only the articles that weigh it most, and
 * scores are accumulated through it: the cost grows with the number of
 * articles times a fixed budget, never with the number of pairs.
 */
#ifndef JICENG_RELATED_H
#define JICENG_RELATED_H

#include <stddef.h>
#include <stdint.h>

#define RELATED_TERMS	32	/* bigrams kept to describe an article */

struct related_term {
	uint64_t key;		/* (first code point << 21) | second */
	float	 weight;	/* the description has unit length */
};

/*
 * Describes a Markdown body by at most RELATED_TERMS terms, strongest
 * first; returns how many.
 */
size_t	 related_terms(const char *body, size_t len, struct related_term *out);

struct site;
/*
 * Fills related[] and nrelated of every article of s from the terms
 * already in each article, on nthreads threads (0: one per core).
 */
void	 related_compute(struct site *s, size_t nthreads);

#endif
