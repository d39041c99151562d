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
#define TEXT_PASSAGE_CHARS	150	/* a passage's length at most */

/*
 * The first paragraph of a Markdown body as plain text (inline markup
 * removed), cut to about max characters, on a sentence end when one is
 * near, with "……" when cut.  Caller frees.
 */
char	*text_summary(const char *body, size_t len, size_t max);

/*
 * Finds the first sentence of body holding one of the theme's keywords,
 * preferring paragraphs to headings.  Returns false when none occurs.
 */
bool	 text_find_passage(const char *body, size_t len,
	    const struct theme *t, struct passage *out);

/* Appends body[off..off+len) with Markdown inline markers removed. */
struct buf;
void	 text_strip_inline(struct buf *out, const char *s, size_t len);

#endif
