/*
 * Related articles: for each article, up to SITE_RELATED_MAX others that
 * share a place, a series or a theme with it, the closest first.
 *
 * Each article is described by its most telling Han-character bigrams,
 * weighed by their frequency in the article and their rarity in a fixed
 * reference corpus (idf_data.c), so the description depends on the
 * article's own text alone and a build cache can keep it.  Its own place
 * names and author make no terms (青山区 and 红山区 share 山区, not a
 * subject), nor do bigrams most reference articles hold (党建, 社区).
 * Two articles score the likeness of their terms plus what they share:
 * the same district, city or province, the same series, themes.
 *
 * An inverted index keeps, per bigram and per facet (a district, city,
 * province, series or theme), only the articles that weigh it most, and
 * scores are accumulated through it: the cost grows with the number of
 * articles times a fixed budget, never with the number of pairs.
 */
#ifndef JICENG_RELATED_H
#define JICENG_RELATED_H

#include <stddef.h>
#include <stdint.h>

#include "../util/buf.h"

#define RELATED_TERMS	32	/* bigrams kept to describe an article */

struct related_term {
	uint64_t key;		/* (first code point << 21) | second */
	float	 weight;	/* the description has unit length */
};

#define RELATED_NAMES	8	/* names related_terms leaves out, at most */

/* A name that makes no terms where a body holds it. */
struct related_name {
	const char *s;		/* borrowed; not NUL-terminated */
	size_t	 len;		/* bytes */
};

/*
 * Puts into out[] (room for RELATED_NAMES) what names an article rather
 * than says something of it: its province, city and district, each also
 * without its suffix (海口市, 海口), and its author.  The strings lie in
 * the article's.  Returns how many.
 */
struct article;
size_t	 related_names(const struct article *a, struct related_name *out);

/*
 * Describes a Markdown body by at most RELATED_TERMS terms, strongest
 * first; returns how many.  Where the body holds one of the n names, no
 * term is made.
 */
size_t	 related_terms(const char *body, size_t len,
	    const struct related_name *names, size_t n,
	    struct related_term *out);

struct site;

/*
 * What one build leaves the next: for each article, a hash of all that
 * its related list is made from (its terms and themes, and the champion
 * lists of its terms) and the list; and the champion lists themselves.
 * An article whose hash is the same keeps its list without being scored
 * again, and when few articles changed, only the lists they are or were
 * in are made again: the index of every term is not built.
 */
struct related_memo {
	const void *prev;	/* the last build's, or NULL */
	size_t	 prev_len;
	struct buf next;	/* this build's, for the next */
};

/*
 * Fills related[] and nrelated of every article of s from the terms
 * already in each article, on nthreads threads (0: one per core).  With
 * a memo, scores only the articles whose inputs changed since memo->prev
 * (which may be damaged: what cannot be read is scored) and leaves the
 * state in memo->next.
 */
void	 related_compute(struct site *s, size_t nthreads,
	    struct related_memo *memo);

#define RELATED_WHY_THEMES	2	/* themes a reason names, at most */
#define RELATED_WHY_CHARS	12	/* characters of theme names, at most */

/*
 * Appends to out why article b of s is related to article a, in a few
 * words a card can carry (同在海口市 · 都谈红色物业): the nearest place
 * they share, 同属本系列 for a's series, and the themes they share in
 * taxonomy order, the first always, a second when the two names are
 * short enough, 等 after them when more are shared.
 */
struct site_article;
void	 related_why(const struct site *s, const struct site_article *a,
	    const struct site_article *b, struct buf *out);

#endif
