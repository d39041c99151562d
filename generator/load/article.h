/*
 * Articles as the editors write them: content/articles/NAME.md, a YAML
 * front matter between "---" lines, then a Markdown body.  The loader
 * checks the front matter against the schema (jiceng(5)) and keeps the
 * text; the model decides what it means.
 */
#ifndef JICENG_ARTICLE_H
#define JICENG_ARTICLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../util/diag.h"

enum article_kind {
	ARTICLE_KIND_ARTICLE,
	ARTICLE_KIND_NOTE,	/* an editor's note introducing a series */
};

#define ARTICLE_TERMS	32	/* terms that describe an article */

/* A sentence of the body that shows a theme, its keyword marked. */
struct article_passage {
	char	*text;		/* owned; plain text; NULL when none occurs */
	size_t	 mark_off;	/* the keyword, bytes into text */
	size_t	 mark_len;
};

/*
 * What the model derives from an article's body: a pass over the text,
 * worth keeping between builds.  Defined here, beside the article that
 * owns it, so that its record (load/article_record.h) is the article's:
 * site_build computes it when it is missing or was made with other theme
 * keywords and hangs it on the article; an article decoded from its
 * record comes with the digest it had.
 */
struct article_digest {
	uint64_t themes_hash;	/* the taxonomy the passages were found with */
	char	*summary;	/* owned; plain text */
	struct article_passage *passages; /* owned; one per theme of the
					   article, in taxonomy order */
	size_t	 npassages;
	uint64_t term_keys[ARTICLE_TERMS];	/* see model/related.h */
	float	 term_weights[ARTICLE_TERMS];
	size_t	 nterms;
	bool	 borrowed;	/* its strings lie in its article's record:
				   the one decoded with it */
	/*
	 * The body's plain text as this pass found it, for the search
	 * index, which would otherwise parse the body again: a note of
	 * where it lies in the body (model/text.h), opaque here.  Not kept
	 * between builds.  Owned; NULL when restored, and once dropped
	 * with the body.
	 */
	char	*plain_note;
	size_t	 plain_note_len;
};

/* One line of an article's collation note (校勘记). */
struct article_note {
	unsigned line;		/* of the source page; 0: none */
	char	*text;		/* owned (or borrowed, as the article's
				   strings are) */
};

/* What stat said of a file when it was read: enough to see a change. */
struct article_stamp {
	uint64_t size;
	int64_t	 mtime_ns;
	int64_t	 ctime_ns;
	uint64_t ino;
};

struct article {
	char	*path;		/* owned; relative to the site, for messages */
	struct article_stamp stamp; /* of the file as it was read: the build
				   reuses a record whose stamp it still has */
	char	*stem;		/* owned; file name without ".md" */
	uint64_t hash;		/* of the file's bytes: article_read_body
				   checks them, page keys take it */

	char	*title;		/* owned; all strings NFC, valid UTF-8 */
	char	*province;	/* owned; NULL for a note without a place */
	char	*city;		/* owned; NULL when directly under province */
	char	*district;	/* owned; NULL for a note without a place */
	char	*author;	/* owned, may be NULL */
	char	*author_title;	/* owned, may be NULL */
	char	**themes;	/* owned; slugs as written */
	unsigned *theme_lines;	/* owned; file line of each slug */
	unsigned *theme_cols;	/* owned; column of each slug */
	size_t	 nthemes;
	enum article_kind kind;
	char	*series;	/* owned, may be NULL */
	char	*source_file;	/* owned, may be NULL */
	unsigned source_line;	/* 0 when unknown */
	char	*date;		/* owned, YYYY-MM-DD, may be NULL */
	char	*slug;		/* owned; from front matter, else stem */
	unsigned slug_line;	/* file line of the slug, or 1 */
	bool	 draft;
	struct article_note *notes; /* owned; the collation note */
	size_t	 nnotes;
	char	**accept;	/* owned; scars accepted on purpose, as
				   "RULE" or "RULE: text" (see scars.h) */
	size_t	 naccept;

	char	*text;		/* owned; the whole file after NFC; NULL for
				   an article restored from the build cache
				   until article_read_body */
	const char *body;	/* points into text: the Markdown body */
	size_t	 body_len;
	unsigned body_line;	/* file line where the body starts */
	char	*fspath;	/* owned; where to read the body again */
	struct article_digest *digest;	/* owned; NULL until the model
					   derives it (site_build) */
	/*
	 * Set by article_decode (load/article_record.h) alone: the record
	 * the article was decoded from, in which its strings and its
	 * digest's lie, borrowed; whoever holds the bytes (the build's
	 * cache) must outlive the article.  NULL for an article read from
	 * its file.
	 */
	const void *record;
	size_t	 record_len;
	/*
	 * Owned, or NULL: fspath for a decoded article when the site is
	 * reached by another path than when it was recorded ("-C DIR" or
	 * not).  article_decode's too.
	 */
	char	*fspath_now;
};

/*
 * Parses a file's bytes, after a byte-order mark if they start with one.
 * path is how messages name the file.  Returns
 * the article, or NULL after adding errors to d; the article may also come
 * back with warnings in d.  data is not kept.  Caller frees.
 */
struct article *article_parse(const char *path, const char *data, size_t len,
	    struct diags *d);
/*
 * Reads and parses the file at fspath, named path in messages, refusing
 * one larger than max bytes.
 */
struct article *article_load(const char *fspath, const char *path,
	    size_t max, struct diags *d);
/* Fills *st from a stat of fspath; returns 0 or -1 with errno set. */
int	 article_stamp(const char *fspath, struct article_stamp *st);
/* The same for name in the folder open as dirfd (or AT_FDCWD). */
int	 article_stamp_at(int dirfd, const char *name,
	    struct article_stamp *st);
void	 article_free(struct article *a);
void	 article_digest_free(struct article_digest *g);

/*
 * Reads the body of an article restored without its text.  Returns 0
 * (also when the text is there already), or -1 after adding an error to
 * d when the file cannot be read or no longer holds the bytes the
 * article was made from.
 */
int	 article_read_body(struct article *a, struct diags *d);
/*
 * Frees the text of an article whose body nothing needs any more, and
 * its digest's plain text; article_read_body reads it again if
 * something does.
 */
void	 article_drop_body(struct article *a);
/*
 * Frees the digest of an article whose summary and passages nothing
 * reads any more (the site's pointers to them are left dangling).
 */
void	 article_drop_digest(struct article *a);
/*
 * Frees the text alone: the digest's note of where the plain text lies
 * holds for the body article_read_body reads again, which is checked to
 * be the same bytes.
 */
void	 article_drop_text(struct article *a);

/*
 * The line and column of the value of front matter key, for a message
 * about what the model made of it: found by reading the front matter
 * again (from the file, for an article restored without its text), so
 * only a message pays for it.  1:1 when it cannot be found.
 */
void	 article_locate_key(const struct article *a, const char *key,
	    unsigned *line, unsigned *col);

/* Whether s is a safe slug: letters and digits of any script, '-', '_'. */
bool	 article_slug_is_safe(const char *s);
/*
 * Whether s may name a province, city or district: letters, marks and
 * digits of any script (and 「·」), as every gazetteer name is.  A place
 * name becomes part of a path, so it must hold no separator, dot or
 * control character.
 */
bool	 article_place_is_safe(const char *s);
/* Whether s is a plain file name: no folder, not hidden, no control. */
bool	 article_file_name_is_safe(const char *s);

#endif
