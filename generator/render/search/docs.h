/*
 * Article files, packed in search/docs/ (packs.h): the text of each
 * article, which assets/search.js checks matches against, counts them in
 * and cuts snippets from, in a code that takes Chinese text in 1.2 to
 * 1.5 bytes a character where UTF-8 takes 3.
 *
 *   doc    lines joined by '\n': path of the page from the site root,
 *          title, place, author, author's title, then the body's
 *          plain text (model/text.h), a line per paragraph, heading
 *          and line of code; a character in the manifest's chars
 *          (SEARCH_CHARS_ONE of them, a fixed table) is one byte, its
 *          rank; a byte b from SEARCH_CHARS_ONE to 254 starts a pair,
 *          v = (b - SEARCH_CHARS_ONE) * 256 + the next byte, which
 *          counts through these ranges of code points in turn:
 *          U+4E00-9FFF, U+3000-30FF, U+FF00-FFFF, U+2000-25FF,
 *          U+0080-04FF, U+0000-007F; any other character is 0xFF and
 *          three bytes of its code point, high byte first (so at most
 *          0x10).  0xFF and a byte b above 0x10 are a copy of the b - 14
 *          characters that start d characters back, d a varint that
 *          follows.
 *
 * Private to render/search/.
 */
#ifndef JICENG_SEARCH_DOCS_H
#define JICENG_SEARCH_DOCS_H

#include <stddef.h>
#include <stdint.h>

#include "../../model/site.h"
#include "../../util/buf.h"

#define SEARCH_LZ_HASH_BITS	12

/* How characters are coded: the fixed table and the ranges. */
struct search_coder;

/* Working arrays for coding an article file, reused article after article. */
struct search_lz {
	int32_t	*cps;		/* owned; its characters */
	int32_t	*prev;		/* owned; per place: the one before with
				   the same first three characters, or -1 */
	size_t	 cap;		/* of both */
	int32_t	 head[1 << SEARCH_LZ_HASH_BITS]; /* the latest place, or -1 */
};

/* The code of article files.  Free with search_coder_free. */
struct search_coder *search_coder_new(void);
void	 search_coder_free(struct search_coder *c);
void	 search_lz_free(struct search_lz *z);

/*
 * Builds the text of article a in out (emptied first): its body's plain
 * text as the model noted it (its digest's plain_note), or read anew.
 */
void	 search_doc_make(struct buf *out, const struct site_article *a);

/*
 * Reads the characters of a text into z->cps and returns their count:
 * indexing and coding both read them there, so the text is decoded once.
 */
size_t	 search_doc_chars(struct search_lz *z, const char *doc, size_t len);

/*
 * Codes a text, the n characters in z->cps, into out (emptied first):
 * each character by the table, or a run of characters the text had
 * before as a copy when that is shorter (articles repeat their
 * phrases).  The longest copy is taken first, so the same text always
 * gives the same bytes.
 */
void	 search_doc_encode(struct buf *out, struct search_lz *z, size_t n,
	    const struct search_coder *c);

/*
 * Decodes an article file back to its characters, in z->cps; *count
 * says how many.  Returns -1 when the bytes are no article file.
 */
int	 search_doc_decode(struct search_lz *z, const unsigned char *p,
	    size_t len, const struct search_coder *c, size_t *count);

#endif
