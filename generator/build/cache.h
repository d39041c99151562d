/*
 * The build's memory: what the previous build of an output folder left
 * behind, so the next one redoes only what its inputs changed.  It holds
 * a record of every output file of both trees of the output (bytes' hash
 * and stat fields, see write/output.h), for every page the key and
 * fingerprint of everything it was rendered from and the files it links
 * to, the related lists' memo (model/related.h, bytes the model alone
 * reads), and every article as it was read (load/article_record.h).
 *
 * One main file per output folder in SITE/.jiceng-cache/, and the
 * article records spread over shards beside it, each a container of
 * named sections (build/container.h).  All are safe to delete at any
 * time.  A file that is missing, truncated, corrupt (its checksum fails)
 * or written by another jiceng binary is ignored whole: the build is
 * then a full one, never a wrong one.
 */
#ifndef JICENG_CACHE_H
#define JICENG_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../load/article.h"
#include "../util/buf.h"
#include "../util/diag.h"
#include "../util/strmap.h"
#include "../write/output.h"
#include "container.h"

struct cache_page {
	uint64_t key;		/* of the page's inputs (build/keys.h), or 0 */
	uint64_t fingerprint;	/* of the page's view, template and body */
	const uint32_t *targets; /* the files it links to, as ids into the
				   cache's targets */
	size_t	 ntargets;
	/*
	 * The ids it holds, when links named a fragment of it: nanchors
	 * links_anchor_hash values, little-endian, in the raw file.  Those
	 * of other pages are not recorded (anchors_known false): every page
	 * has some, and few are linked to.
	 */
	const unsigned char *anchors;
	size_t	 nanchors;
	bool	 anchors_known;
};

/*
 * Article records are spread over shards, files of their own, so that
 * editing one article rewrites one shard and not every record.
 */
#define CACHE_SHARDS	64

struct cache_record;

struct cache_shard {
	struct container file;		/* owned; as read */
	const unsigned char *records_data; /* its records, with their
					   count, in file; NULL if none */
	size_t	 records_len;
	struct cache_record *records;	/* owned */
	struct strmap articles;		/* path -> struct cache_record * */
};

struct cache_loader;

struct build_cache {
	struct output_tree trees[2]; /* the output's two trees: the one the
				   last build wrote, then the other */
	struct strmap pages;	/* path -> struct cache_page * */
	struct output_record *file_records[2];	/* owned; the trees' */
	struct cache_page *page_records;	/* owned */
	uint32_t *page_targets;	/* owned; every page's, one after another */
	const char **targets;	/* owned array; link targets, by id */
	size_t	 ntargets;
	struct container file;	/* owned; the main file, which records point
				   into */
	bool	 loaded;	/* whether it was read and whole */
	const void *related;	/* into file: model/related.h's memo */
	size_t	 related_len;
	int64_t	 started_ns;	/* when the build that wrote it began */
	struct cache_shard shards[CACHE_SHARDS];
	struct cache_loader *loader; /* owned; reading the shards, or NULL */
};

#define BUILD_CACHE_INIT { { { 0, 0, STRMAP_INIT }, { 0, 0, STRMAP_INIT } }, \
	STRMAP_INIT, { NULL, NULL }, \
	NULL, NULL, NULL, 0, CONTAINER_INIT, false, NULL, 0, 0, \
	{ { CONTAINER_INIT, NULL, 0, NULL, STRMAP_INIT } }, NULL }

/*
 * A 64-bit identity of the running jiceng: the hash of its executable,
 * so a rebuilt binary never trusts an older one's cache.
 */
uint64_t cache_engine_id(void);

/*
 * The cache file for output folder out_dir of the site in site_dir
 * (caller frees): SITE/.jiceng-cache/ plus a hash of the folder's path.
 */
char	*cache_path(const char *site_dir, const char *out_dir);

/*
 * Loads the cache at path into c (empty on entry): its main file, and
 * the shards beside it, each of which is used or ignored on its own.
 * The shards are read on a thread, until cache_wait or a call of
 * cache_article that needs one first.  Returns 0, or -1 when the main
 * file is not usable (then c holds no page or file records).
 */
int	 cache_load(struct build_cache *c, const char *path, uint64_t engine);
/* Waits until every shard of c is read: before cache_writer_base. */
void	 cache_wait(struct build_cache *c);
/* Frees c: after every article cache_article returned from it. */
void	 cache_free(struct build_cache *c);
/* Removes the cache at path and its shards; 0, or -1 with errno set. */
int	 cache_remove(const char *path);

/* The record of the page at path the last build left, or NULL. */
const struct cache_page *cache_page(const struct build_cache *c,
	    const char *path);

/*
 * The article at path as the last build read it, with its digest but
 * without its text, when the file still has stamp st and was not changed
 * within that build's own run (when a stamp cannot tell two versions
 * apart).  NULL otherwise.  Caller frees, before c: the article's
 * strings lie in c (see struct article's record).
 */
struct article *cache_article(struct build_cache *c, const char *path,
	    const char *fspath, const struct article_stamp *st);

struct cache_shard_writer {
	struct buf records;	/* serialised article records, once they
				   differ from the old shard's */
	uint32_t count;
	const unsigned char *old; /* the old shard's records, or NULL */
	size_t	 old_len;
	size_t	 same;		/* bytes of them matched, while records is
				   empty */
	bool	 differs;
	bool	 saved;		/* by cache_save_shard, its records freed */
};

/* A cache being written: records are added, then saved at once. */
struct cache_writer {
	struct cache_shard_writer shards[CACHE_SHARDS];
	struct buf scratch;	/* one record */
	int64_t	 started_ns;	/* when this build began reading */
	struct buf files[2];	/* serialised file records, per tree */
	uint64_t tree_dev[2];	/* the trees' folders */
	uint64_t tree_ino[2];
	struct buf pages;	/* serialised page records */
	struct strmap target_ids; /* target -> id + 1 */
	uint32_t *remap;	/* a loaded cache's target id -> id + 1 */
	struct buf related;	/* model/related.h's memo */
	uint32_t nfiles[2];
	uint32_t npages;
};

#define CACHE_WRITER_INIT { { { BUF_INIT, 0, NULL, 0, 0, false, false } }, \
	BUF_INIT, 0, { BUF_INIT, BUF_INIT }, { 0, 0 }, { 0, 0 }, \
	BUF_INIT, STRMAP_INIT, NULL, BUF_INIT, { 0, 0 }, 0 }

/*
 * Starts w from the shards of prev, the cache loaded before, so that a
 * shard whose records come out the same is neither copied nor written.
 */
void	 cache_writer_base(struct cache_writer *w, const struct build_cache *prev);
/* Records an article and its digest; one without a stamp is skipped. */
void	 cache_add_article(struct cache_writer *w, const struct article *a);
/* The shard that records the article at path. */
unsigned cache_shard_of(const char *path);
/*
 * Writes shard k of the cache at path now, once every article it
 * records is added, and frees its records: a cache made from nothing
 * then never holds them all.  Returns 0, or -1 after adding to d.
 */
int	 cache_save_shard(struct cache_writer *w, unsigned k, const char *path,
	    uint64_t engine, struct diags *d);

/*
 * Records the folder of tree 0 (the one this build wrote) or 1 (the
 * other), and a file of it.
 */
void	 cache_set_tree(struct cache_writer *w, unsigned tree, uint64_t dev,
	    uint64_t ino);
void	 cache_add_file(struct cache_writer *w, unsigned tree,
	    const char *path, const struct output_record *r);
/*
 * Records a page, the ntargets files it links to and the n ids it holds
 * (their links_anchor_hash), or no ids when anchors is NULL.
 */
void	 cache_add_page(struct cache_writer *w, const char *path,
	    uint64_t key, uint64_t fingerprint, const char *const *targets,
	    size_t ntargets, const uint64_t *anchors, size_t n);
/*
 * The same for a page kept as it was, with the targets of its record p in
 * the loaded cache c, and the ids given.
 */
void	 cache_add_page_kept(struct cache_writer *w, const char *path,
	    uint64_t key, uint64_t fingerprint, const struct build_cache *c,
	    const struct cache_page *p, const uint64_t *anchors, size_t n);
/*
 * Writes the cache: the main file, and the shards not saved yet whose
 * records differ from those cache_writer_base gave.  Returns 0, or -1
 * after adding to d.
 */
int	 cache_save(struct cache_writer *w, const char *path, uint64_t engine,
	    struct diags *d);
void	 cache_writer_free(struct cache_writer *w);

#endif
