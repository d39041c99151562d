/*
 * The output folder, changed all at once or not at all.  Pages are put
 * into a staging folder beside it while the build runs; only when the
 * build has succeeded does output_commit move the changed files in and
 * remove the ones that left the site.  A file whose bytes are unchanged
 * is never rewritten, so its mtime stays and a sync uploads nothing.
 */
#ifndef JICENG_OUTPUT_H
#define JICENG_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>

#include "../util/diag.h"

struct output;

struct output_stats {
	size_t	 files;		/* files in the site */
	size_t	 written;	/* files new or changed */
	size_t	 removed;	/* files that left the site */
};

/*
 * Prepares to write into dir (created at commit if missing).  Returns
 * NULL after adding an error to d.  Caller frees with output_free.
 */
struct output *output_open(const char *dir, struct diags *d);

/*
 * Records that the site holds path (relative to dir) with these bytes.
 * Safe to call from several threads.  Returns 0, or -1 after adding an
 * error to d (which must then be private to the calling thread).
 */
int	 output_put(struct output *o, const char *path, const void *data,
	    size_t len, struct diags *d);

/* Whether path was put. */
bool	 output_has(const struct output *o, const char *path);

/*
 * Moves changed files into place and removes files not put in this
 * build.  Returns 0, or -1 after adding an error to d.
 */
int	 output_commit(struct output *o, struct output_stats *st,
	    struct diags *d);

/* Discards the staging folder and frees; output_free(NULL) does nothing. */
void	 output_free(struct output *o);

#endif
