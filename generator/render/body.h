/*
 * An article's body as its page shows it: the HTML, each heading with a
 * stable id a link can name (its own words, so inserting a section
 * moves no other's), the headings for a contents box, and the length a
 * reader is told.  Private to render/.
 */
#ifndef JICENG_BODY_H
#define JICENG_BODY_H

#include <stdbool.h>
#include <stddef.h>

struct body_heading {
	char	*id;		/* owned; unique in the page */
	char	*text;		/* owned; plain text */
	int	 level;		/* 1 to 6 */
};

struct body {
	char	*html;		/* owned */
	size_t	 html_len;
	struct body_heading *headings;	/* owned; in order */
	size_t	 nheadings;
	size_t	 chars;		/* characters of text, spaces left out */
};

/*
 * Renders Markdown (raw HTML is not passed through) into out.  Every
 * heading gets an id: its text with each run of spaces and punctuation
 * made one "-", then "-2", "-3" after a repeat; "section-N" when no
 * letter or digit is left.  Each lacuna mark (〔原文缺〕) is named for
 * a screen reader and, when noted is true, links to the collation note
 * (#collation) that says what was lost.  Free with body_free.
 */
void	 body_render(const char *md, size_t len, bool noted,
	    struct body *out);
void	 body_free(struct body *b);

/* Ids the page templates give elements, which no heading may take. */
extern const char *const body_reserved_ids[];

#endif
