/*
 * Private to build/: what the steps of one build share.  build.c runs
 * the pipeline and renders or keeps each page (keys.h decides which);
 * files.c puts the site's files that are not pages; linkcheck.c gives
 * the link check what the cache remembers of the pages kept; record.c
 * makes the cache's records of this build for the next.
 */
#ifndef JICENG_BUILD_INTERNAL_H
#define JICENG_BUILD_INTERNAL_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "../model/site.h"
#include "../render/pages.h"
#include "../render/tmpl.h"
#include "../util/buf.h"
#include "../util/diag.h"
#include "../util/strmap.h"
#include "../util/thread.h"
#include "../write/links.h"
#include "../write/output.h"
#include "cache.h"
#include "keys.h"

struct build_options;

/* What each render thread owns. */
struct render_worker {
	struct val_arena *arena;
	struct buf html;
	struct buf scratch;	/* for fingerprints */
	struct links links;
	struct diags diags;
	size_t	 io_errors;
	size_t	 rendered;
};

/* What became of one page, for the next build's cache. */
struct page_result {
	uint64_t key;			/* of its inputs, or 0 */
	uint64_t fingerprint;
	const struct cache_page *kept;	/* the cache's record, if kept */
	struct link_targets targets;	/* of a page rendered this time */
};

struct render_job {
	const struct build_options *opt;
	const struct site *site;
	const struct tmpl_set *templates;
	uint64_t template_fps[PAGE_KINDS]; /* per page kind */
	struct view_hashes hashes;	/* for fingerprint views */
	struct keys keys;		/* for page keys */
	const struct build_cache *cache;
	struct output *out;
	const struct page *pages;
	size_t	 npages;
	struct page_result *results;
	struct render_worker *workers;
	atomic_size_t done;		/* pages rendered or kept */
	atomic_size_t put;		/* pages rendered and put */
	/*
	 * The pages links name a fragment of: path -> their ids as a struct
	 * page_ids when read from disk for a page kept, else NULL.
	 */
	struct strmap wanted;
	struct link_names names;	/* of the pages' targets, for records */
	bool	 drop_bodies;	/* free each body once its page is made */
};

/* The ids of a page, hashed (links_anchor_hash). */
struct page_ids {
	uint64_t *ids;		/* owned */
	size_t	 n;
};

/*
 * files.c.  Each puts files into out, the site's output, or only names
 * them in known when out is NULL (a build that writes nothing); returns
 * -1 after adding to d when a file could not be had.
 *
 * Copies assets/ (fsdir) into the site below rel, skipping dot files and
 * refusing a file larger than max bytes.
 */
int	 files_put_assets(struct output *out, struct strmap *known,
	    const char *fsdir, const char *rel, size_t max, struct diags *d);
/* Publishes each raw page's text beside its HTML view, as printed. */
int	 files_put_sources(struct output *out, struct strmap *known,
	    const struct site *s, struct diags *d);
/*
 * Writes the search index, patching the one the last build committed
 * (its state beside cache_file) when it can.
 */
int	 files_put_search(struct output *out, struct strmap *known,
	    struct site *s, const struct build_options *opt,
	    const struct build_cache *cache, const char *cache_file,
	    int64_t started_ns, struct diags *d);

/* linkcheck.c.  Where the link check finds the files the site holds. */
struct linkcheck_files {
	struct strmap names;	/* pages and assets; everything without out */
	const struct output *out; /* the files put, or NULL */
	const struct site *site;  /* for where links were written */
};

#define LINKCHECK_FILES_INIT { STRMAP_INIT, NULL, NULL }

/* Whether path is a file of the site; arg is a struct linkcheck_files. */
int	 linkcheck_has(const void *arg, const char *path);
/*
 * Where a broken link an article's Markdown holds was written
 * (links_locate_fn); arg is a struct linkcheck_files.
 */
int	 linkcheck_locate(const void *arg, const char *page, const char *target,
	    char **path, unsigned *line, unsigned *col);
/* Names every page in known, for a build that writes nothing. */
void	 linkcheck_know_pages(struct strmap *known, const struct site *s,
	    const struct page *pages, size_t n);
/* Adds the links of the pages kept, as the cache recorded them. */
void	 linkcheck_add_kept(const struct render_job *job, struct links *links);
/*
 * Gathers the ids of the pages links name a fragment of into a, and
 * their paths into job->wanted, for the cache to record.
 */
void	 linkcheck_gather_anchors(struct render_job *job,
	    const struct links *links, struct link_anchors *a);
/* The ids of a page kept, as the cache recorded them; caller frees. */
uint64_t *linkcheck_kept_ids(const struct cache_page *kept);
/* Frees job->wanted and the ids it holds. */
void	 linkcheck_wanted_free(struct strmap *wanted);

/*
 * record.c.  The cache records of the articles and pages, final once the
 * pages are rendered: made on a thread of their own while the search
 * index is made and the commit moves files.
 */
struct record_fill {
	struct cache_writer w;
	const struct render_job *job;
	struct thread thread;
	const char *path;	/* the cache's, borrowed */
	bool	 last_use;	/* nothing reads the articles' digests after */
	struct diags problems;	/* writing the shards saved early */
};

#define RECORD_FILL_INIT { .w = CACHE_WRITER_INIT, .thread = THREAD_INIT }

/*
 * Starts making the records of job, a build begun at started_ns, for the
 * cache at path.  When last_use, nothing reads the articles' digests
 * after: each is freed once in its record, and each shard of records is
 * written as soon as it is whole.
 */
void	 record_start(struct record_fill *f, const struct render_job *job,
	    const char *path, int64_t started_ns, bool last_use);
/* Waits for them: safe when they were never started. */
void	 record_wait(struct record_fill *f);
/*
 * Saves them with the records of the output's files, once it is
 * committed, at path; a failure only warns, in d.
 */
void	 record_save(struct record_fill *f, struct output *out,
	    const char *path, struct diags *d);

#endif
