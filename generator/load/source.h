/*
 * The raw pages the articles were imported from, content/sources/NAME.txt,
 * published as printed so that a collation note can point at the line it
 * speaks of; and what editors know of each that the page does not say,
 * in content/sources/NAME.yaml (publication, date, page; all optional).
 */
#ifndef JICENG_SOURCE_H
#define JICENG_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "../util/diag.h"

struct source {
	char	*name;		/* owned; file name, "000_1cd9….txt" */
	char	*stem;		/* owned; name without ".txt" */
	char	*text;		/* owned; the bytes as printed, valid UTF-8 */
	size_t	 len;
	uint64_t hash;		/* of the text and the metadata */
	char	*publication;	/* owned, or NULL: the paper's name */
	char	*date;		/* owned, YYYY-MM-DD, or NULL */
	char	*page;		/* owned, or NULL: the page (版) as printed */
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

/* The source named name (a file name), or NULL. */
const struct source *sources_find(const struct source_list *l,
	    const char *name);

#endif
