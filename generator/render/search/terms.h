/*
 * The terms of the search index and the articles posted to each.
 *
 * Text is folded first (full-width ASCII to ASCII, ASCII to lower case),
 * then read as runs: of Han characters (and other non-ASCII letters and
 * digits), or of ASCII letters and digits, so "5G网络" is the word "5g"
 * and the Han run "网络".  A run gives each character and each pair of
 * neighbours, so any substring of one or two characters has its own
 * postings and a longer one is found through its pairs; a part of a word
 * or number ("345" of "12345") is found as a plain substring scan would.
 * Ten digits and 26 letters make pairs that say little ("12345" has pairs
 * a hundred articles share), so an ASCII run also gives each three
 * neighbours.  Nothing crosses a change of run, punctuation, spaces or
 * the end of a field.  Terms are found in the title, place and author
 * (the "strong" fields, which rank first) and in the author's title and
 * body: lines 1 to 3 of an article's text (docs.h) are strong.
 *
 * A term's key is the UTF-8 of its characters; the hash of its key picks
 * its shard:
 *
 *   hash   FNV-1a (32 bits) of the key's bytes, then h ^= h >> 16,
 *          h *= 0x7feb352d, h ^= h >> 15, h *= 0x846ca68b, h ^= h >> 16
 *
 * Private to render/search/.
 */
#ifndef JICENG_SEARCH_TERMS_H
#define JICENG_SEARCH_TERMS_H

#include <stddef.h>
#include <stdint.h>

#include "../../util/buf.h"
#include "sets.h"

#define SEARCH_KEY_MAX	12	/* bytes of a term's key at most */

struct search_term {
	int32_t	 cp[3];		/* its characters, 0 after the last */
	uint32_t df;		/* articles posted */
	uint32_t next;		/* the article after the last one posted */
	struct buf post;	/* per article: see terms.c's put_posting */
	size_t	 worker;	/* whose entries hold the encoded entry */
	size_t	 off, len;	/* the encoded entry, within them */
};

/*
 * A term in the article being read, apart from struct search_term so
 * that the loop over every character touches few cache lines.
 */
struct search_tally {
	uint8_t	 tf;		/* occurrences in it, at most SEARCH_TF_MAX */
	uint8_t	 strong;	/* whether one was in a strong field */
};

/* Open addressing from a term's packed code points to its number. */
struct search_gram_slot {
	uint64_t key;		/* 0 marks an empty slot */
	uint32_t id;
};

struct search_grams {
	struct search_gram_slot *slots; /* owned */
	size_t	 nslots;	/* a power of two */
	unsigned bits;		/* log2 of nslots */
	size_t	 count;
};

/* The terms of a range of articles, numbered from the first read. */
struct search_terms {
	struct search_term *terms;	/* owned */
	struct search_tally *tallies;	/* owned; one per term */
	size_t	 nterms, cap;
	struct search_grams grams;
	uint32_t *touched;	/* owned; terms of the article being read */
	size_t	 ntouched, touched_cap;
	uint32_t doc;		/* the article being read */
	uint32_t *unigrams;	/* owned; term id + 1 of each BMP character */
};

/* Empties ix; the first article it reads is number first. */
void	 search_terms_init(struct search_terms *ix, uint32_t first);
void	 search_terms_free(struct search_terms *ix);

/*
 * Reads the terms of an article's text, its n characters cps (line 0,
 * the path, has none), then posts the article to each term.
 */
void	 search_terms_add_doc(struct search_terms *ix, const int32_t *cps,
	    size_t n);

/*
 * Adds the terms of part to ix, with no postings: those stay in the
 * part, where the caller reads them, so none are copied.
 */
void	 search_terms_union(struct search_terms *ix,
	    const struct search_terms *part);

/* The number of a term, or -1 when ix has none such. */
int64_t	 search_terms_find(const struct search_terms *ix,
	    const int32_t cp[3]);

/*
 * Decodes a term's postings onto the end of p, numbering articles
 * through map (NULL: as they are).
 */
void	 search_term_decode_append(const struct search_term *t,
	    const uint32_t *map, struct search_postings *p);
/* The same into p emptied first. */
void	 search_term_decode(const struct search_term *t, const uint32_t *map,
	    struct search_postings *p);

/* The key of the term of characters cp, in key[SEARCH_KEY_MAX]. */
void	 search_term_key(const int32_t cp[3], char *key, size_t *keylen);
/* Orders keys by their bytes, a key before those it starts. */
int	 search_compare_keys(const char *a, size_t alen, const char *b,
	    size_t blen);
/* The hash of a key, as above; assets/search.js computes the same. */
uint32_t search_hash_key(const char *key, size_t len);

#endif
