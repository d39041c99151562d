/*
 * Sets and entries: the binary codes of the search index's postings.
 *
 *   set    varint n; when n > 0, one byte mode, then bits read from the
 *          low bit of each byte up: mode 0 is a bitmap of the universe,
 *          mode k + 1 the n gaps (each value minus the previous minus 1,
 *          the first value itself) Rice-coded with parameter k: the
 *          quotient in unary (ones ended by a zero), then k low bits.
 *          The set ends on a byte boundary.
 *   entry  set A of articles holding a term (universe: article count);
 *          set T of positions in A where it is in a strong field
 *          (universe: |A|); varint m: 0 when each article of A holds
 *          the term once, else m - 1 is the parameter k of the Rice
 *          code (as in sets) of |A| numbers, each article's occurrences
 *          (at most SEARCH_TF_MAX) minus one, in the order of A, ending
 *          on a byte boundary
 *
 * The theme files (search/t/N.js) are sets; a shard holds entries.
 * Private to render/search/.
 */
#ifndef JICENG_SEARCH_SETS_H
#define JICENG_SEARCH_SETS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../util/buf.h"
#include "bytes.h"

#define SEARCH_TF_MAX	127	/* occurrences counted per article */

/* One term's postings, decoded: parallel arrays in article order. */
struct search_postings {
	uint32_t *docs;		/* owned; article numbers, increasing */
	uint8_t	*strong;	/* owned; in a strong field */
	uint8_t	*tf;		/* owned; occurrences, at most SEARCH_TF_MAX */
	size_t	 n, cap;
};

/* Working arrays for one term's entry. */
struct search_scratch {
	uint32_t *a, *b;	/* owned */
	size_t	 acap, bcap;
};

/* Appends the set of the n increasing numbers v, each below universe. */
void	 search_set_put(struct buf *out, const uint32_t *v, size_t n,
	    uint32_t universe);
/*
 * Reads a set of numbers below universe into *v (grown as needed, *cap
 * its room); returns their count.  Sets r->bad when the bytes hold no
 * such set.
 */
size_t	 search_set_read(struct search_reader *r, uint32_t universe,
	    uint32_t **v, size_t *cap);

/* Makes room in p for n postings. */
void	 search_postings_reserve(struct search_postings *p, size_t n);
void	 search_postings_push(struct search_postings *p, uint32_t doc,
	    uint8_t strong, uint8_t tf);
bool	 search_postings_equal(const struct search_postings *a,
	    const struct search_postings *b);
void	 search_postings_free(struct search_postings *p);
void	 search_scratch_free(struct search_scratch *sc);

/* Appends the entry of a term with postings p (p->n > 0). */
void	 search_entry_encode(const struct search_postings *p, uint32_t ndocs,
	    struct search_scratch *sc, struct buf *out);
/*
 * Decodes the entry e[0..len) into p (emptied first); -1 when it is no
 * entry of a term in ndocs articles.
 */
int	 search_entry_decode(const unsigned char *e, size_t len,
	    uint32_t ndocs, struct search_postings *p,
	    struct search_scratch *sc);

#endif
