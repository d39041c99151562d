/*
 * Plain-text views of an article body for listings: summaries, and the
 * passage that shows why an article carries a theme.  Everything counts
 * characters, never bytes, and never cuts inside a UTF-8 sequence.
 */
#ifndef JICENG_TEXT_H
#define JICENG_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "../load/config.h"
#include "site.h"

#define TEXT_SUMMARY_CHARS	110	/* a summary's length at most */
#define TEXT_PASSAGE_CHARS	120	/* a passage's length at most */

/*
 * The first paragraph of a Markdown body as plain text (inline markup
 * removed), at most max characters of it: whole sentences when they say
 * enough (max / 3 characters), else the first sentence up to the end of
 * a clause (，；：、), then "……".  A cut never falls inside quotes or
 * brackets, nor inside a word unless the paragraph has no punctuation
 * within twice max.  Caller frees.
 */
char	*text_summary(const char *body, size_t len, size_t max);

/*
 * Finds the sentence of body that tells most of the theme: the one whose
 * keyword hits weigh most, each the square of its length (the first of
 * equals), preferring paragraphs to headings and to sentences of a few
 * characters (a heading run into the text); its longest hit is the
 * mark.  A sentence longer than TEXT_PASSAGE_CHARS is narrowed to whole
 * clauses around the mark, and out says which ends were cut.  It never
 * starts with punctuation.  Returns false when no keyword occurs.
 */
bool	 text_find_passage(const char *body, size_t len,
	    const struct theme *t, struct passage *out);
/*
 * The same for n themes at once, into out[n] (a passage of length 0
 * where a theme's keywords do not occur): one pass over the body for
 * all their keywords.
 */
void	 text_find_passages(const char *body, size_t len,
	    const struct theme *const *themes, size_t n, struct passage *out);

/* Appends body[off..off+len) with Markdown inline markers removed. */
struct buf;
void	 text_strip_inline(struct buf *out, const char *s, size_t len);

#endif
