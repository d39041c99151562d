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

struct article {
	char	*path;		/* owned; relative to the site, for messages */
	char	*stem;		/* owned; file name without ".md" */
	uint64_t hash;		/* of the file's bytes, for the build cache */

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

	char	*text;		/* owned; the whole file after NFC */
	const char *body;	/* points into text: the Markdown body */
	size_t	 body_len;
	unsigned body_line;	/* file line where the body starts */
};

/*
 * Parses a file's bytes.  path is how messages name the file.  Returns
 * the article, or NULL after adding errors to d; the article may also come
 * back with warnings in d.  data is not kept.  Caller frees.
 */
struct article *article_parse(const char *path, const char *data, size_t len,
	    struct diags *d);
/* Reads and parses the file at fspath, named path in messages. */
struct article *article_load(const char *fspath, const char *path,
	    struct diags *d);
void	 article_free(struct article *a);

/* Whether s is a safe slug: letters and digits of any script, '-', '_'. */
bool	 article_slug_is_safe(const char *s);

#endif
