/*
 * Views for readers' feed readers, crawlers and hosts: the Atom feeds,
 * the sitemap and robots.txt.  Every URL in them is absolute, made from
 * base_url.  Private to render/.
 */
#ifndef JICENG_FEEDS_H
#define JICENG_FEEDS_H

#include <stddef.h>

#include "view.h"

/*
 * An article's entry in a feed.  What it shows is hashed without a view
 * for the build cache (entry_hash in pages.c): a field added here must
 * be added there.
 */
struct val *feeds_entry(struct view *v, size_t article);
void	 feeds_build_site(struct view *v, size_t index);
void	 feeds_build_theme(struct view *v, size_t theme);
void	 feeds_build_sitemap(struct view *v, size_t index);
void	 feeds_build_robots(struct view *v, size_t index);

#endif
