/*
 * Related articles: for each article, up to SITE_RELATED_MAX others that
 * share its vocabulary and themes.  Each article is reduced to its most
 * telling Han-character bigrams (tf-idf, normalised); an inverted index
 * keeps, per bigram, only the articles that weigh it most, and scores are
 * accumulated through it.  The cost grows with the number of articles
 * times a fixed budget, never with the number of pairs.
 */
#ifndef JICENG_RELATED_H
#define JICENG_RELATED_H

#include "site.h"

/* Fills related[] and nrelated of every article in s. */
void	 related_compute(struct site *s);

#endif
