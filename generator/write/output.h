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
#include <stdint.h>

#include "../util/diag.h"
#include "../util/strmap.h"

struct output;

/*
 * What a build knows of a file it left in the output folder: its bytes'
 * hash and the stat fields that tell whether anything touched it since.
 * A later build trusts a file whose stat fields still match, and need not
 * read it to know its bytes.
 */
struct output_record {
	uint64_t hash;		/* XXH3-64 of the bytes */
	uint64_t size;
	int64_t	 mtime_ns;
	uint64_t ino;
};

struct output_stats {
	size_t	 files;		/* files in the site */
	size_t	 written;	/* files new or changed */
	size_t	 removed;	/* files that left the site */
};

/*
 * Takes the lock on dir that every build writing it holds, so two builds
 * never change one site at once: a file ".NAME.lock" beside it, locked
 * with flock(2), which the kernel lets go when the process ends however
 * it ends.  With wait false, returns -2 at once when another process
 * holds it; with wait true, blocks until it is free.  Returns the lock's
 * descriptor (close it to let go), or -1 after adding an error to d.
 */
int	 output_lock(const char *dir, bool wait, struct diags *d);

/*
 * Prepares to write into dir (created at commit if missing).  Returns
 * NULL after adding an error to d.  Caller frees with output_free.
 */
struct output *output_open(const char *dir, struct diags *d);

/*
 * Tells o what the previous build left: prev maps paths to struct
 * output_record *, and is borrowed, unchanged, until output_free.  Call
 * before any output_put.  Files without a record are compared by reading
 * them.
 */
void	 output_recall(struct output *o, const struct strmap *prev);

/*
 * Has the folder rel (relative to dir) read once, first thing on the
 * thread output_check_ahead starts, so that output_keep finds its files
 * there rather than by a stat each: for folders of thousands of files.
 * A file found there is trusted when it is the one the last build wrote
 * (the same inode), whatever its size and time.  Until the folder is
 * read, and when it cannot be, its files are left to stats.  Call
 * before output_check_ahead.
 */
void	 output_list(struct output *o, const char *rel);

/*
 * Starts checking, on a thread of its own, every file the previous build
 * left outside the folders listed, so that output_keep mostly finds the
 * answer ready: the build's serial stretches leave a core free for it.
 * Call after output_recall and output_list.
 */
void	 output_check_ahead(struct output *o);

/*
 * Keeps path as the previous build left it, without its bytes: for a page
 * whose inputs are unchanged.  Returns false, recording nothing, when the
 * file has no record or was touched since; the caller then puts it.
 * Safe to call from several threads.
 */
bool	 output_keep(struct output *o, const char *path);

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
 * build: with output_recall's records, those the previous build wrote;
 * without, every file in the folder.  Returns 0, or -1 after adding an
 * error to d.
 */
int	 output_commit(struct output *o, struct output_stats *st,
	    struct diags *d);

/*
 * After a commit: calls fn for every file of the site with its record:
 * those kept as they were, in the last build's order, then those put, in
 * the order they were.  Returns -1 after adding an error to d when a file
 * cannot be examined.
 */
int	 output_records(struct output *o,
	    void (*fn)(void *arg, const char *path, const struct output_record *r),
	    void *arg, struct diags *d);

/*
 * Discards the staging folder, leaving the files the commit replaced for
 * the next build to remove, and waits for the last build's to be gone.
 */
void	 output_close(struct output *o);
/* Closes (if not yet) and frees; output_free(NULL) does nothing. */
void	 output_free(struct output *o);

#endif
