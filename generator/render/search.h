/*
 * The search index: built by every build from the model, written as
 * static files below "search/" and read by assets/search.js in the
 * reader's browser, so search works on any static host with no server.
 */
#ifndef JICENG_SEARCH_H
#define JICENG_SEARCH_H

#include <stddef.h>

#include "../model/site.h"

struct search_file {
	char	*path;		/* owned; output path, "search/..." */
	char	*data;		/* owned */
	size_t	 len;
};

struct search_files {
	struct search_file *items;	/* owned */
	size_t	 count;
};

/*
 * Builds the index of every article of s.  The same site gives the same
 * files, byte for byte.  Free with search_files_free.
 */
void	 search_build(const struct site *s, struct search_files *out);
void	 search_files_free(struct search_files *f);

#endif
