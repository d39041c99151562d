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

enum page_kind {
	PAGE_HOME,
	PAGE_ARTICLE,
	PAGE_DISTRICT_INDEX,
	PAGE_DISTRICT,
	PAGE_PROVINCE,
	PAGE_THEME_INDEX,
	PAGE_THEME,
	PAGE_SEARCH,
	PAGE_NOT_FOUND,
	PAGE_FEED,
	PAGE_THEME_FEED,
	PAGE_SITEMAP,
	PAGE_ROBOTS,
	PAGE_KINDS
};

struct page {
	enum page_kind kind;
	size_t	 index;		/* into the site array of its kind */
};

/* Every page of the site, in a stable order; caller frees *pages. */
size_t	 pages_list(const struct site *s, struct page **pages);

/* The template that renders pages of kind k ("article", "feed", ...). */
const char *pages_template(enum page_kind k);

/* The page's output path (caller frees). */
char	*pages_path(const struct site *s, const struct page *p);

/*
 * Builds the view of page p in arena a.  The view and its strings live
 * in the arena; nothing else is allocated.  Without with_body an
 * article's body is left out: the cheap view a fingerprint is made from,
 * with pages_source_hash standing for the body.
 */
struct val *pages_view(const struct site *s, const struct page *p,
	    struct val_arena *a, bool with_body);

/* The hash of the source a page renders beyond its view (0 if none). */
uint64_t pages_source_hash(const struct site *s, const struct page *p);

/* Every template name pages_template can return, NULL-terminated. */
extern const char *const pages_templates[];

#endif
