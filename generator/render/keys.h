/*
 * Page keys: a hash of what a page is made from, taken from the model
 * without building the page's view.  When a page's key is the one the
 * last build recorded, its view (and so its fingerprint) is the same,
 * and a one-article edit builds views only for the pages that show that
 * article.  Private to render/ and the build.
 *
 * A key is over-cautious by design: it changes with anything the page
 * could show, and with the whole site's places, themes and settings.
 */
#ifndef JICENG_KEYS_H
#define JICENG_KEYS_H

#include <stdint.h>

#include "../model/site.h"
#include "pages.h"
#include "view.h"

/*
 * The key of article i, for h->articles: its source, card, entry, place
 * in the site and the articles it points to, once h->cards[i] and
 * h->entries[i] are set.  scratch is the caller's, per thread.
 */
uint64_t keys_article(const struct site *s, size_t i,
	    const struct view_hashes *h, struct buf *scratch);
/*
 * Fills h->global (settings, themes, and every district, province and
 * theme with its articles), h->paths (every article's path) and
 * h->entries_all (every article's feed entry), once h->entries is set.
 */
void	 keys_compute(const struct site *s, struct view_hashes *h);
/*
 * The key of page p, or 0 for a page that has none.  A feed, which shows
 * articles chosen across the whole site or a theme, takes the entries of
 * all of them.
 */
uint64_t keys_page(const struct site *s, const struct page *p,
	    const struct view_hashes *h);

#endif
