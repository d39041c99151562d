/*
 * An article body as plain text, the text a reader sees of it, and the
 * views of it listings show: summaries, and the passage that shows why
 * an article carries a theme.  The search index reads the same plain
 * text.  Everything counts characters, never bytes, and never cuts
 * inside a UTF-8 sequence.
 */
#ifndef JICENG_TEXT_H
#define JICENG_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "../load/config.h"
#include "../util/buf.h"
#include "site.h"

#define TEXT_SUMMARY_CHARS	110	/* a summary's length at most */
#define TEXT_PASSAGE_CHARS	120	/* a passage's length at most */

enum text_kind {
	TEXT_PARAGRAPH,		/* in a list or a quote too */
	TEXT_HEADING,
	TEXT_CODE,		/* a line of a code block */
};

/* A block of plain text: one line of it. */
struct text_block {
	size_t	 off, len;	/* bytes into text_plain.text */
	size_t	 from, to;	/* the lines of Markdown it was read from */
	enum text_kind kind;
};

/* A Markdown body as plain text, block by block. */
struct text_plain {
	char	*text;		/* owned; each block after a '\n' */
	size_t	 len;
	struct text_block *blocks;	/* owned; in order */
	size_t	 nblocks;
};

/*
 * Parses Markdown with cmark, as pages render it, and walks its tree for
 * the text a reader sees: each paragraph and heading one block, each
 * line of a code block one; inline markup, raw HTML (which pages leave
 * out), link targets and images' addresses left out (an image's
 * description kept, as cmark's plain-text renderer does).  The lines of a
 * paragraph join without a space, as Chinese text does, except between
 * two ASCII letters or digits.  Blocks with no text are left out.  Free
 * with text_plain_free.
 */
void	 text_plain_parse(const char *md, size_t len, struct text_plain *out);
void	 text_plain_free(struct text_plain *p);

/*
 * Appends to out a note of p's text, made from the Markdown md[len],
 * from which text_plain_unpack makes it again given md: most blocks are
 * the Markdown's own bytes (a paragraph without markup, a heading's
 * words), noted as where they lie, so the note takes 8 bytes a block
 * where the text takes thousands; the others are noted whole.  For
 * keeping the text a while beside the Markdown, not a second copy of
 * it.  Returns 0, or -1 (out as it was) when md is too long to note (2
 * GB).
 */
int	 text_plain_pack(const struct text_plain *p, const char *md,
	    size_t len, struct buf *out);
/* Appends the text of a note text_plain_pack made from md. */
void	 text_plain_unpack(const char *note, size_t len, const char *md,
	    struct buf *out);

/*
 * The first paragraph of p, at most max characters of it: whole
 * sentences when they say enough (max / 3 characters), else the first
 * sentence up to the end of a clause (，；：、), then "……".  A cut never
 * falls inside quotes or brackets, nor inside a word unless the
 * paragraph has no punctuation within twice max.  Caller frees.
 */
char	*text_summary(const struct text_plain *p, size_t max);

/*
 * Finds the sentence of p that tells most of the theme: the one whose
 * keyword hits weigh most, each the square of its length (the first of
 * equals), preferring paragraphs to headings and to sentences of a few
 * characters (a heading run into the text); its longest hit is the
 * mark.  A sentence longer than TEXT_PASSAGE_CHARS is narrowed to whole
 * clauses around the mark, and out says which ends were cut.  It never
 * starts with punctuation.  Offsets are into p->text.  Returns false
 * when no keyword occurs.
 */
bool	 text_find_passage(const struct text_plain *p, const struct theme *t,
	    struct passage *out);
/*
 * The same for n themes at once, into out[n] (a passage of length 0
 * where a theme's keywords do not occur): one pass over the text for
 * all their keywords.
 */
void	 text_find_passages(const struct text_plain *p,
	    const struct theme *const *themes, size_t n, struct passage *out);

#endif
