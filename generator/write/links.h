/*
 * Link checking: every href and src a page holds, resolved against the
 * page's own path, must name a file of the site, and a "#fragment" an
 * id in it.  Pages are scanned as they are rendered; only the distinct
 * targets are kept (each with the first page that named it), so memory
 * grows with the site's files, not with its pages times their links.  A
 * link within the page ("#x") is checked as it is scanned; one into
 * another page is kept as "path#x" and checked against the ids every
 * page holds (struct link_anchors).
 */
#ifndef JICENG_LINKS_H
#define JICENG_LINKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../util/diag.h"
#include "../util/strmap.h"

struct links {
	struct strmap targets;	/* target path -> struct link_ref * */
	size_t	 absolute;	/* root-absolute internal links seen */
};

#define LINKS_INIT { STRMAP_INIT, 0 }

/*
 * The distinct targets one page links to, in order of first mention, and
 * the ids it holds (their links_anchor_hash).  A target is kept as its
 * links_target_hash, 8 bytes: every page of a build holds these until
 * its record is made, and a theme page links to thousands of articles;
 * the worker's struct links holds each distinct target's name once
 * (struct link_names finds it again).
 */
struct link_targets {
	uint64_t *targets;	/* owned; in order of first mention */
	size_t	 ntargets, targets_cap;
	uint64_t *seen;		/* owned; a set of them while the page is
				   scanned, 0: empty */
	size_t	 seen_cap;	/* a power of two, or 0 */
	uint64_t *anchors;	/* owned */
	size_t	 nanchors, cap;
};

#define LINK_TARGETS_INIT { NULL, 0, 0, NULL, 0, NULL, 0, 0 }

/* The names of the targets of a struct links, by their hash. */
struct link_names {
	uint64_t *hashes;	/* owned; open addressing, 0: empty */
	const char **names;	/* owned array; borrowed from the links */
	size_t	 cap;		/* a power of two, or 0 */
};

#define LINK_NAMES_INIT { NULL, NULL, 0 }

/* The ids of the site's pages, for the links into them. */
struct link_anchors {
	uint64_t *slots;	/* owned; open addressing, 0: empty */
	size_t	 n, cap;	/* cap: a power of two, or 0 */
};

#define LINK_ANCHORS_INIT { NULL, 0, 0 }

/*
 * The ids a page holds (HTML text), hashed as links_anchor_hash does,
 * into *ids (caller frees); returns how many.
 */
size_t	 links_page_ids(const char *text, size_t len, uint64_t **ids);
/* The hash of an id (as it reads, entities decoded), as pages hold it. */
uint64_t links_anchor_hash(const char *id, size_t len);
/* Adds the n ids (hashes) of the page at path. */
void	 links_anchors_add(struct link_anchors *a, const char *path,
	    const uint64_t *ids, size_t n);
/* Whether the page at path holds the id. */
bool	 links_anchors_has(const struct link_anchors *a, const char *path,
	    const char *id);
void	 links_anchors_free(struct link_anchors *a);

/*
 * Scans HTML (or XML) text for href="..." and src="..." values and
 * records the internal ones.  A root-absolute link ("/x") is an error at
 * once, since it breaks the site under a sub-path, and so is a link to a
 * fragment of the page itself that no id="..." of the page holds; d
 * receives them.  When targets is not NULL, the page's distinct targets
 * and its ids are added to it.
 */
void	 links_scan(struct links *l, const char *page, const char *text,
	    size_t len, struct link_targets *targets, struct diags *d);
/*
 * Records that page and others, n pages in all, link to target (a path
 * from the site root): for pages not scanned this time because they did
 * not change.
 */
void	 links_add(struct links *l, const char *page, const char *target,
	    size_t n);
/* A target's hash as struct link_targets keeps it (never 0). */
uint64_t links_target_hash(const char *target, size_t len);
/* Adds target to t unless it is there already. */
void	 link_targets_add(struct link_targets *t, const char *target);
void	 link_targets_free(struct link_targets *t);
/*
 * Indexes the targets l holds by their hash; the names stay l's, valid
 * while l is not freed.
 */
void	 link_names_build(struct link_names *n, const struct links *l);
/* The target of hash, or NULL when l held none. */
const char *link_names_get(const struct link_names *n, uint64_t hash);
void	 link_names_free(struct link_names *n);
/* Moves everything recorded in src into dst. */
void	 links_merge(struct links *dst, struct links *src);
/*
 * Where a link to target that page holds was written, when that was
 * not in the page's template but in a source (an article's Markdown):
 * returns 0 after setting *path (caller frees), *line and *col, or -1.
 */
typedef int links_locate_fn(const void *arg, const char *page,
	    const char *target, char **path, unsigned *line, unsigned *col);

/*
 * Reports every target for which exists(arg, path) is false, or whose
 * fragment anchors (which may be NULL when no page has ids) does not
 * hold, naming the link and where it was written: the source locate
 * (when not NULL) finds, else the page in outname.  Returns the number
 * of broken targets.
 */
size_t	 links_check(const struct links *l,
	    int (*exists)(const void *arg, const char *path), const void *arg,
	    const struct link_anchors *anchors, links_locate_fn *locate,
	    const char *outname, struct diags *d);
void	 links_free(struct links *l);

/*
 * Resolves link (as written in a page at path page) to a path relative to
 * the site root: percent-escapes decoded, "." and ".." folded, query and
 * fragment dropped, "dir/" completed to "dir/index.html".  Returns NULL
 * for links that leave the site (a scheme, "//", or climbing above the
 * root) and for pure fragments.  Caller frees.
 */
char	*links_resolve(const char *page, const char *link, size_t len);
/*
 * The target a link (as written in a page at path page) is checked as:
 * its path as links_resolve makes it, with "#" and its fragment decoded
 * when it has one.  NULL when links_resolve gives NULL, and for a link
 * within the page.  Caller frees.
 */
char	*links_target(const char *page, const char *link, size_t len);

#endif
