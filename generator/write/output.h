/*
 * The output folder, changed all at once or not at all.  Two trees hold
 * the site: the folder readers see (public/, the front) and a sibling
 * that only the build touches (.public.back, the back).  A build brings
 * the back up to the new site, file by file, overwriting in place what
 * changed; when it has succeeded, output_commit flushes the back to the
 * disk and swaps the two folders in one rename (renameat2 with
 * RENAME_EXCHANGE).  A reader, a crash or a power cut finds the whole
 * old site or the whole new one, never a mix; the old one is the next
 * build's back.  A file whose bytes are unchanged is never rewritten
 * and keeps its time, so a sync uploads nothing for it.
 *
 * Every path is confined: files are opened below the trees' folders
 * without following a symbolic link, and one found where a folder of
 * the site goes is replaced, never written through.
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
 * What a build knows of a file it left in one of the trees: its bytes'
 * hash and the stat fields that tell whether anything touched it since.
 * A later build trusts a file whose stat fields still match, and need
 * not read it to know its bytes.
 */
struct output_record {
	uint64_t hash;		/* XXH3-64 of the bytes */
	uint64_t size;
	int64_t	 mtime_ns;
	uint64_t ino;
};

/*
 * The records of one tree and the folder they belong to, known by its
 * device and inode: after a swap the two folders' names change places,
 * and a build cut short between the swap and saving its records must not
 * take one tree for the other.
 */
struct output_tree {
	uint64_t dev;
	uint64_t ino;		/* 0: no folder known */
	struct strmap files;	/* path -> struct output_record * */
};

struct output_stats {
	size_t	 files;		/* files in the site */
	size_t	 written;	/* files new or changed, not counting those
				   the back tree took from the front */
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
 * Prepares to write the site of output folder dir: its back tree is
 * made if missing.  Returns NULL after adding an error to d.  Caller
 * frees with output_free.
 */
struct output *output_open(const char *dir, struct diags *d);

/*
 * Tells o what the previous builds left: last, the records of the tree
 * the last build wrote (its site, which the cache's pages describe), and
 * other, the other tree's; either may be NULL or empty, and both are
 * borrowed, unchanged, until output_free.  o finds which folder each is
 * of: a build cut short after its swap left the last build's tree at the
 * back.  A back tree that was missing is filled with links to the
 * front's files, which cost no copy.  Call before any output_put.  Files
 * without a record are compared by reading them.
 */
void	 output_recall(struct output *o, const struct output_tree *last,
	    const struct output_tree *other);

/*
 * Has the folder rel of the back tree read once, first thing on the
 * thread output_check_ahead starts, so that its files are found there
 * rather than by a stat each: for folders of thousands of files.  A file
 * found there is trusted when it has the inode of its record.  Call
 * before output_check_ahead.
 */
void	 output_list(struct output *o, const char *rel);

/*
 * Starts checking, on a thread of its own, every file of the back tree
 * outside the folders listed against its record, so that output_keep
 * and output_put mostly find the answer ready.  Call after output_recall
 * and output_list.
 */
void	 output_check_ahead(struct output *o);

/*
 * Keeps path as the previous build left it, without its bytes: for a page
 * whose inputs are unchanged.  The back tree gets the front's copy when
 * it has an older one.  Returns false, recording nothing, when no
 * untouched copy is left; the caller then puts it.  Safe to call from
 * several threads.
 */
bool	 output_keep(struct output *o, const char *path);

/*
 * Records that the site holds path (relative to the folder) with these
 * bytes, writing them into the back tree unless it holds them already.
 * Safe to call from several threads.  Returns 0, or -1 after adding an
 * error to d (which must then be private to the calling thread).
 */
int	 output_put(struct output *o, const char *path, const void *data,
	    size_t len, struct diags *d);

/* Whether path was put or kept. */
bool	 output_has(const struct output *o, const char *path);

/*
 * Starts flushing the back tree to the disk on a thread of its own, so
 * that the flush output_commit must make before the swap finds most of a
 * large change's bytes written already.  Does not wait, and starts none
 * while one is under way.  Safe to call from several threads.
 */
void	 output_flush_ahead(struct output *o);

/*
 * Removes from the back tree the files that left the site, flushes it to
 * the disk and swaps it in.  Returns 0, or -1 after adding an error to
 * d: then the folder readers see is as it was.
 */
int	 output_commit(struct output *o, struct output_stats *st,
	    struct diags *d);

/*
 * After a commit: calls fn for every file of the site (now the front
 * tree) with its record, those kept as they were first, in the last
 * build's order, then those written, in the order they were put.
 * Returns -1 after adding an error to d when a file cannot be examined.
 */
int	 output_records(struct output *o,
	    void (*fn)(void *arg, const char *path, const struct output_record *r),
	    void *arg, struct diags *d);

/* After a commit: the device and inode of the front tree's folder. */
void	 output_front(const struct output *o, uint64_t *dev, uint64_t *ino);
/*
 * After a commit: the back tree's records (the last build's front, which
 * the swap made the back), or NULL when nothing is known of it.
 */
const struct output_tree *output_back(const struct output *o);

/* Waits for o's threads and closes its folders. */
void	 output_close(struct output *o);
/* Closes (if not yet) and frees; output_free(NULL) does nothing. */
void	 output_free(struct output *o);

#endif
