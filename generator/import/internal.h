/*
 * The import stage's private header: what its files share and nobody
 * else sees.  A page goes through them in this order:
 *
 *   split.c       lines -> units: headline, byline, note, text block;
 *                 each line repaired as it is read (repair.c)
 *   join.c        wrapped lines joined into paragraphs and headings
 *   place.c       articles from units, their places, bodies moved back
 *                 under the headline they belong to; passages printed
 *                 twice removed (duplicates.c), gaps marked (gap.c)
 *   themes.c      theme tags from keyword evidence
 *   write.c       front matter, manifest, conflicts
 *
 * page.c holds the page they share and the record of its repairs, and
 * chars.c the character tests; both call no other file of the stage.
 */
#ifndef JICENG_IMPORT_INTERNAL_H
#define JICENG_IMPORT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../util/buf.h"
#include "../util/diag.h"
#include "../util/prose.h"
#include "import.h"

/* A line of a page: trimmed, in NFC, with its punctuation repaired. */
struct page_line {
	char	*text;		/* owned; NUL-terminated */
	size_t	 len;		/* bytes */
	size_t	 chars;		/* code points */
	unsigned line;		/* 1-based line in the source */
	unsigned col;		/* 1-based column of text[0] in the source */
};

enum unit_kind {
	UNIT_HEADLINE,		/* place (maybe none) and title */
	UNIT_BYLINE,		/* the author's role and name */
	UNIT_NOTE,		/* 编者按: opens an editor's note */
	UNIT_TEXT,		/* a block of lines, not yet joined */
	UNIT_HEADING,		/* a section heading ("## ") */
	UNIT_PARAGRAPH,
};

/* Where a piece of a unit's text came from, for messages. */
struct span {
	size_t	 offset;	/* byte in the unit's text */
	unsigned line;
	unsigned col;
};

struct unit {
	enum unit_kind kind;
	size_t	 first;		/* UNIT_TEXT: first line (page.lines index) */
	size_t	 count;		/* UNIT_TEXT: number of lines */
	char	*text;		/* owned; title, heading or paragraph */
	struct span *spans;	/* owned; ascending offsets */
	size_t	 nspans;
	char	*place;		/* owned; headline's place as printed */
	char	*role;		/* owned; byline's role, NULL: none */
	char	*name;		/* owned; byline's name, closed up */
	unsigned line;		/* 1-based source line of the start */
	unsigned col;
	bool	 removed;	/* dropped as a duplicate */
};

/*
 * A repair made to a page, kept so that each article's collation note
 * can say what was changed in its text.
 */
struct page_record {
	enum import_repair kind;
	unsigned line;		/* 1-based source line */
	unsigned col;
	char	*note;		/* owned; for readers, in Chinese; NULL: the
				   repair is only counted */
};

struct import_page {
	const char *path;	/* borrowed; names the page in messages */
	char	*name;		/* owned; base name of path */
	struct page_line *lines; /* owned */
	size_t	 nlines;
	struct unit *units;	/* owned */
	size_t	 nunits;
	size_t	 cap;
	struct diags *d;	/* borrowed */
	struct import_summary *sum; /* borrowed */
	struct page_record *records; /* owned; every repair, as made */
	size_t	 nrecords;
	bool	 traditional;	/* written in traditional characters: none
				   are converted */
	const struct import_decisions *decided; /* borrowed; NULL: none */
	bool	 undecidable;	/* an editor's decision found no place */
};

/* chars.c: characters and strings. */
bool	 chars_is_space(int32_t cp);
bool	 chars_is_latin(int32_t cp);	/* ASCII letter or digit */
/* Whether s[0..len) ends a sentence, closers allowed after it. */
bool	 chars_ends_sentence(const char *s, size_t len);
/* Whether s[0..len) contains one of the code points in set. */
bool	 chars_has_any(const char *s, size_t len, const int32_t *set,
	    size_t nset);
/* Copy of s[0..len) without spaces; caller frees. */
char	*chars_without_spaces(const char *s, size_t len);
/* Number of non-overlapping occurrences of needle in s. */
size_t	 chars_count(const char *s, const char *needle);
/* Appends b to a, with a space only between two Latin letters/digits. */
void	 chars_join(struct buf *a, const char *b, size_t len);

/* Pieces of lines to join into a title or heading. */
struct chars_piece {
	const char *s;		/* borrowed */
	size_t	 len;
	size_t	 chars;
};

struct chars_pieces {
	struct chars_piece *items; /* owned */
	size_t	 count;
	size_t	 cap;
};

/* Adds s[0..len) trimmed, unless nothing is left. */
void	 chars_pieces_add(struct chars_pieces *ps, const char *s, size_t len);
/*
 * Joins the pieces of a title: a space after a line ended short of the
 * column on purpose, nothing after one the column cut.  width is the
 * column in characters (0: the widest piece).  Caller frees.
 */
char	*chars_join_title(const struct chars_pieces *ps, size_t width);
/* Whether cp opens a quotation or a bracket. */
bool	 chars_opens(int32_t cp);
/*
 * The code point at *pos of s[0..len) or after it that is neither space
 * nor punctuation, *pos moved past it; -1 at the end.
 */
int32_t	 chars_next_letter(const char *s, size_t len, size_t *pos);
/*
 * A passage as a collation note quotes it: “…” around it, shortened to
 * its first and last clauses when long.  Caller frees.
 */
char	*chars_quote(const char *s, size_t len);

/*
 * page.c: the page the other files share.  It calls none of them.
 *
 * page_report counts a repair, records it for the collation notes and
 * reports it: the kinds a reader would want to check as notes, the
 * mechanical ones (wraps, punctuation) as details, a gap as a warning.
 * page_explain gives the last repair reported its line in the collation
 * note, in Chinese.
 */
void	 page_report(struct import_page *p, enum import_repair kind,
	    unsigned line, unsigned col, const char *fmt, ...)
	    __attribute__((format(printf, 5, 6)));
/*
 * page_report_decided reports a repair an editor decided on as a note,
 * whatever its kind: it needs no other look.
 */
void	 page_report_decided(struct import_page *p, enum import_repair kind,
	    unsigned line, unsigned col, const char *fmt, ...)
	    __attribute__((format(printf, 5, 6)));
void	 page_explain(struct import_page *p, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	 page_warn(struct import_page *p, unsigned line, unsigned col,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
struct unit *page_add_unit(struct import_page *p, enum unit_kind kind);
void	 page_free(struct import_page *p);
/* Notes that u's text from byte offset on was printed at line:col. */
void	 unit_add_span(struct unit *u, size_t offset, unsigned line,
	    unsigned col);
/* The source line and column of byte off of unit u's text. */
void	 unit_locate(const struct unit *u, size_t off, unsigned *line,
	    unsigned *col);
/* Removes text[start..end) of a unit, keeping its spans right. */
void	 unit_cut(struct unit *u, size_t start, size_t end);

/* split.c: lines into units. */
/*
 * Reads text into p->lines, each repaired (repair_line); -1 after an
 * error when it is not UTF-8.
 */
int	 split_lines(struct import_page *p, const char *text, size_t len);
/* Classifies blocks of lines as headline, byline, note or text. */
void	 split_units(struct import_page *p);

/* repair.c: repairs one line in place (punctuation, spacing); reports to p. */
void	 repair_line(struct import_page *p, struct page_line *l);

/* join.c: joins text units into paragraphs and headings. */
void	 join_units(struct import_page *p);

/*
 * gap.c: the lacuna mark where the printed page lost text.
 *
 * gap_mark inserts it at byte off of u's text and reports it; why and
 * why_zh say how the loss shows (for the editor, and for the reader's
 * collation note).  gap_mark_body marks the n paragraphs from unit body
 * on where they show a loss: one that opens inside a clause (with a
 * mark, or a word's tail), one that stops mid-sentence; a short first
 * clause (see prose.h) after another paragraph is only warned of, the
 * editors deciding (gap_mark_decided).  gap_after_cut marks the gap a copy cut at
 * byte at of u leaves (see duplicates.c): gone when the copy ended a
 * sentence, mid_clause when it began inside one.
 */
void	 gap_mark(struct import_page *p, struct unit *u, size_t off,
	    const char *why, const char *why_zh);
void	 gap_mark_body(struct import_page *p, size_t body, size_t n);
/*
 * Marks the gaps the editors recorded (p->decided), each where its text
 * stands on its line; one whose text is not there is an error at its
 * entry, and sets p->undecidable.
 */
void	 gap_mark_decided(struct import_page *p);
void	 gap_after_cut(struct import_page *p, struct unit *u, size_t at,
	    bool gone, bool mid_clause);

/*
 * duplicates.c: removes passages printed twice.  owner[i] is the article
 * of unit i (-1: none) and districts[a] the district of article a (NULL:
 * unknown), so that of two copies the one in the article whose district
 * it names stays.
 */
void	 duplicates_remove(struct import_page *p, const int *owner,
	    const char *const *districts, size_t ndistricts);

/* place.c: articles from units, placed; appended to out. */
void	 place_articles(struct import_page *p, struct import_batch *out);

/* themes.c: adds the themes the article's body gives evidence for. */
void	 themes_tag(const struct theme_list *t, struct import_article *a);

/*
 * write.c: write_batch writes the batch (stems assigned) into
 * opt->site_dir, never over an edited article unless forced, and
 * updates the manifest; returns 0, or -1 after adding errors to d.
 * batch_truncate frees the articles of b from count on.
 */
void	 batch_truncate(struct import_batch *b, size_t count);
int	 write_batch(const struct import_options *opt,
	    const struct import_batch *b, FILE *out, struct diags *d,
	    struct import_summary *sum);

#endif
