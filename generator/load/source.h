/*
 * The raw pages the articles were imported from, content/sources/NAME.txt,
 * published as printed so that a collation note can point at the line it
 * speaks of; and what editors know of each that the page does not say,
 * in content/sources/NAME.yaml (publication, date, page; all optional),
 * with the gaps in the printed text that editors found and no rule of
 * the importer does (gaps).
 */
#ifndef JICENG_SOURCE_H
#define JICENG_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "../util/diag.h"

/*
 * A gap an editor found in a page: words were lost on the given line
 * right before the text before, or right after the text after (one of
 * the two is set), as the text reads once imported.
 */
struct source_gap {
	unsigned line;		/* 1-based line of the page */
	char	*before;	/* owned, or NULL */
	char	*after;		/* owned, or NULL */
	char	*note;		/* owned, or NULL: why, for the collation note */
	unsigned at_line;	/* where the entry is in NAME.yaml, 1-based */
	unsigned at_col;
};

struct source {
	char	*name;		/* owned; file name, "000_1cd9….txt" */
	char	*stem;		/* owned; name without ".txt" */
	char	*text;		/* owned; the bytes as printed, valid UTF-8 */
	size_t	 len;
	uint64_t hash;		/* of the text and the metadata */
	char	*publication;	/* owned, or NULL: the paper's name */
	char	*date;		/* owned, YYYY-MM-DD, or NULL */
	char	*page;		/* owned, or NULL: the page (版) as printed */
	struct source_gap *gaps; /* owned; in the order of NAME.yaml */
	size_t	 ngaps;
};

struct source_list {
	struct source *items;	/* owned; in name order */
	size_t	 count;
};

/*
 * Reads every content/sources/ *.txt of the site in dir, with its .yaml
 * beside it when there is one, refusing a file larger than max bytes.
 * A missing folder is no error: a site need not publish its sources.
 * Returns 0, or -1 after adding errors to d (each file is still tried).
 * Free with sources_free.
 */
int	 sources_load(struct source_list *l, const char *dir, size_t max,
	    struct diags *d);
void	 sources_free(struct source_list *l);

/*
 * Reads the metadata file at fspath (named path in messages) into s:
 * publication, date, page and gaps.  Returns 0, or -1 after adding
 * errors to d.  Free with source_meta_free.
 */
int	 source_meta_read(struct source *s, const char *fspath,
	    const char *path, size_t max, struct diags *d);
/* Frees what source_meta_read read into s. */
void	 source_meta_free(struct source *s);

/* The source named name (a file name), or NULL. */
const struct source *sources_find(const struct source_list *l,
	    const char *name);

#endif
