/*
 * The search index: built by every build from the model, written as
 * static files below "search/" and read by assets/search.js in the
 * reader's browser, so search works on any static host with no server.
 *
 * A build that finds the index the previous one left (its state file,
 * and the output folder as that build committed it) patches it: only
 * the articles whose text changed are read, and only the files whose
 * bytes change are made; the rest are kept.  The result is the same,
 * byte for byte, as a build from nothing.
 */
#ifndef JICENG_SEARCH_H
#define JICENG_SEARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../model/site.h"

/*
 * Where the files go.  put receives a file's bytes (borrowed for the
 * call); keep asks to keep a file as the previous build left it, and
 * returns false when it cannot (then the index is made anew).  Both are
 * called from several threads at once, worker telling which (below
 * pool_threads(threads)); put returns 0, or -1 after reporting.
 */
/*
 * The folders of the index that hold a file per article or per shard:
 * thousands of files each, checked faster by one listing than by a stat
 * per file (see output_list).  NULL-terminated.
 */
extern const char *const search_folders[];

struct search_output {
	int	 (*put)(void *arg, size_t worker, const char *path,
		    const void *data, size_t len);
	bool	 (*keep)(void *arg, size_t worker, const char *path);
	void	*arg;
};

struct search_options {
	size_t	 threads;	/* 0: one per core */
	/*
	 * Reads the body of article i (one restored without its text)
	 * before it is indexed; 0, or -1 after reporting.  NULL when
	 * every body is there.  Called from several threads at once.
	 */
	int	 (*read_body)(void *arg, size_t worker, size_t i);
	/*
	 * Tells that article i's body is no longer needed once indexed:
	 * the index is the last to read the bodies.  NULL: keep them.
	 */
	void	 (*drop_body)(void *arg, size_t worker, size_t i);
	void	*read_arg;
	const char *out_dir;	/* the previous build's files; NULL: none */
	const char *state_path;	/* kept between builds; NULL: none */
	uint64_t engine;	/* the binary; another's state is ignored */
	int64_t	 build;		/* names this build (nonzero) */
	int64_t	 committed;	/* the build that last committed out_dir */
};

struct search_stats {
	bool	 patched;	/* the previous index was patched */
	size_t	 changed;	/* articles read (all, unless patched) */
	size_t	 files;		/* files in the index */
	size_t	 put;		/* files whose bytes were made */
	bool	 state_failed;	/* the state could not be saved */
};

/*
 * Builds the index of every article of s into out, patching the
 * previous one when opt allows.  Returns 0, or -1 when reading a body
 * or putting a file failed.
 */
int	 search_write(const struct site *s, const struct search_options *opt,
	    const struct search_output *out, struct search_stats *st);

struct search_file {
	char	*path;		/* owned; output path, "search/..." */
	char	*data;		/* owned */
	size_t	 len;
};

struct search_files {
	struct search_file *items;	/* owned; sorted by path */
	size_t	 count;
};

/*
 * Builds the whole index of s in memory, every body being there.  The
 * same site gives the same files, byte for byte.  Free with
 * search_files_free.
 */
void	 search_build(const struct site *s, struct search_files *out);
void	 search_files_free(struct search_files *f);

#endif
