/*
 * Keep or render: what tells the build that the page the last build
 * wrote can stay.  A page's key is a hash of what it is made from, taken
 * from the model without building its view; when it is the one the last
 * build recorded, the page is the same, and a one-article edit builds
 * views only for the pages that show that article.  A page without a
 * key, or whose key changed, is kept still when its fingerprint is the
 * same: a hash of the cheap view (render/pages.h) and the body it leaves
 * out.  Both are taken under the binary and the page's templates, so a
 * new jiceng or an edited template renders the pages again.
 *
 * A key is over-cautious by design: it changes with anything the page
 * could show, and with the whole site's places, themes and settings.
 */
#ifndef JICENG_KEYS_H
#define JICENG_KEYS_H

#include <stddef.h>
#include <stdint.h>

#include "../model/site.h"
#include "../render/pages.h"
#include "../render/view.h"
#include "../util/buf.h"

/* What page keys are made from besides the cards and entries. */
struct keys {
	uint64_t *articles;	/* owned; per article: its source, card,
				   entry, place and the articles it shows */
	uint64_t global;	/* settings, themes, and every district,
				   province and theme with its articles */
	uint64_t paths;		/* every article's path and date */
	uint64_t entries_all;	/* every article's feed entry */
};

#define KEYS_INIT { NULL, 0, 0, 0 }

/*
 * Fills k from the site and the hashes of its cards and entries
 * (pages_hash), on threads threads (0: one per core); keys_free frees
 * it.
 */
void	 keys_compute(const struct site *s, const struct view_hashes *h,
	    size_t threads, struct keys *k);
void	 keys_free(struct keys *k);

/*
 * The key of page p under made_by (the binary and the page's templates,
 * hashed), or 0 for a page that has none.  A feed, which shows articles
 * chosen across the whole site or a theme, takes the entries of all of
 * them.
 */
uint64_t keys_page(const struct site *s, const struct page *p,
	    const struct view_hashes *h, const struct keys *k,
	    uint64_t made_by);

/*
 * The fingerprint of page p under made_by: of view, the page's cheap
 * view, and of the source it renders beyond it (pages_source_hash).
 * scratch is the caller's, per thread.
 */
uint64_t keys_fingerprint(const struct site *s, const struct page *p,
	    const struct val *view, uint64_t made_by, struct buf *scratch);

#endif
