/*
 * The pages of a site: which there are, where each goes, and the view a
 * template renders it from.  Views are built from the model alone.
 */
#ifndef JICENG_PAGES_H
#define JICENG_PAGES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../model/site.h"
#include "../util/buf.h"
#include "tmpl.h"
#include "value.h"
#include "view.h"

enum page_kind {
	PAGE_HOME,
	PAGE_TOC,
	PAGE_ARTICLE,
	PAGE_DISTRICT_INDEX,
	PAGE_DISTRICT,
	PAGE_CITY,
	PAGE_PROVINCE,
	PAGE_AUTHORS,
	PAGE_THEME_INDEX,
	PAGE_THEME,
	PAGE_SEARCH,
	PAGE_NOT_FOUND,
	PAGE_FEED,
	PAGE_THEME_FEED,
	PAGE_SITEMAP,
	PAGE_ROBOTS,
	PAGE_SOURCE,
	PAGE_KINDS
};

struct page {
	enum page_kind kind;
	size_t	 index;		/* into the site array of its kind */
	size_t	 part;		/* page of a listing, from 1; else 1 */
};

/* Items on one page of a listing of kind k (render/paging.h). */
size_t	 pages_per_part(enum page_kind k);

/* Every page of the site, in a stable order; caller frees *pages. */
size_t	 pages_list(const struct site *s, struct page **pages);

/* The template that renders pages of kind k ("article", "feed", ...). */
const char *pages_template(enum page_kind k);

/* The page's output path (caller frees). */
char	*pages_path(const struct site *s, const struct page *p);

/*
 * Builds the view of page p in arena a.  The view and its strings live
 * in the arena; nothing else is allocated.  With hashes (from
 * pages_hash), it builds the cheap view a fingerprint is made from:
 * hashes stand for the articles' cards and feed entries, and
 * pages_source_hash for an article's body, which is left out.
 */
struct val *pages_view(const struct site *s, const struct page *p,
	    struct val_arena *a, const struct view_hashes *hashes);
/*
 * Hashes every article's card and feed entry on threads threads (0: one
 * per core), for fingerprint views; pages_hash_free frees them.
 */
void	 pages_hash(const struct site *s, size_t threads,
	    struct view_hashes *h);
void	 pages_hash_free(struct view_hashes *h);

/*
 * Calls fn for each link and image article's Markdown body holds: its
 * destination as written, and its line and column in the article's
 * file.  Reads the body again if it was dropped.  Returns 0, or -1
 * after adding to d when it cannot be had.  For messages only: it
 * parses the body again.
 */
typedef void pages_link_fn(void *arg, const char *url, unsigned line,
	    unsigned col);
int	 pages_body_links(const struct site *s, size_t article,
	    pages_link_fn *fn, void *arg, struct diags *d);

/* The hash of the source a page renders beyond its view (0 if none). */
uint64_t pages_source_hash(const struct site *s, const struct page *p);

/* Every template name pages_template can return, NULL-terminated. */
extern const char *const pages_templates[];
/*
 * Every key a page's view may hold, at any depth, NULL-terminated: the
 * names a template can look up (tmpl_check_names).  The unit tests walk
 * every view of a site to keep it whole.
 */
extern const char *const pages_names[];

#endif
