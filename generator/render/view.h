/*
 * Private to render/: the pieces every page view is made of.  A view
 * context knows the page being built, so each link it makes is relative
 * to that page.
 */
#ifndef JICENG_VIEW_H
#define JICENG_VIEW_H

#include <stdbool.h>
#include <stdint.h>

#include "../model/site.h"
#include "../util/buf.h"
#include "value.h"

/*
 * What stands for each article's card and feed entry in a fingerprint
 * view: a hash of what each shows (see view_card_hash, pages_hash).  A
 * card differs from one page to another only by the page's way up to
 * the root, which every view holds anyway, so the hash pins it down.
 */
struct view_hashes {
	uint64_t *cards;	/* owned; per article */
	uint64_t *entries;	/* owned; per article */
};

struct view {
	const struct site *site;
	struct val_arena *arena;
	const char *path;	/* output path of the page being built */
	struct val *root;	/* the page's view */
	bool	 absolute;	/* links from base_url, not relative */
	/* Set for a fingerprint view: hashes stand in for cards and bodies. */
	const struct view_hashes *hashes;
	char	*up;		/* arena; "../" per folder, or base_url/ */
	size_t	 part;		/* page of a listing, from 1 */
};

/*
 * Starts the view of the page at output path in arena a; absolute links
 * are made from base_url (the 404 page's), relative ones otherwise.
 */
void	 view_init(struct view *v, const struct site *s, struct val_arena *a,
	    const char *path, bool absolute, const struct view_hashes *hashes);
/* A string value holding the link from this page to output path to. */
struct val *view_href(struct view *v, const char *to);
/*
 * The same for a path already percent-encoded (the model's href fields),
 * spelt from the site root: the cheap form for the many links to
 * articles, districts, provinces and themes.
 */
struct val *view_link(struct view *v, const char *href);
/* A string value that borrows s, which outlives the view. */
struct val *view_text(struct view *v, const char *s);
/* A string value holding the absolute URL of output path to. */
struct val *view_url(struct view *v, const char *to);
/* Sets the keys every page has: site, root, page, nav, assets. */
void	 view_common(struct view *v, const char *title, const char *description,
	    const char *nav_current);
/* "海南省 海口市 美兰区" for an article's place, or "". */
struct val *view_place(struct view *v, const struct site_article *a);
/* A listing card for an article: title, href, place, author, summary. */
struct val *view_card(struct view *v, size_t article);
/*
 * Hashes of all that view_theme_link and view_card read, made without a
 * view: cards that hash alike show alike.  A card's hash takes its
 * themes' from themes, view_theme_hash of each of the site's.  scratch
 * is the caller's, kept between calls.
 */
uint64_t view_theme_hash(const struct site *s, size_t theme,
	    struct buf *scratch);
uint64_t view_card_hash(const struct site *s, size_t article,
	    const uint64_t *themes, struct buf *scratch);
/*
 * An article as an item of a listing: its card, with the passage that
 * earned a theme when passage is not NULL.  In a fingerprint view, the
 * card's hash stands in for it.
 */
struct val *view_card_item(struct view *v, size_t article,
	    struct val *passage);
/* What stands for a card or an entry in a fingerprint view: its hash. */
struct val *view_stand_in(struct view *v, uint64_t hash);
/*
 * A block of cards as the article-list partial takes it: {cards, count}.
 * A map, so a section over it pushes the block rather than iterating.
 */
struct val *view_card_block(struct view *v, struct val *cards);
/* The card block for a list of articles. */
struct val *view_cards(struct view *v, const struct idlist *articles);
/* The card block for articles[from, to). */
struct val *view_cards_range(struct view *v, const struct idlist *articles,
	    size_t from, size_t to);
/* {name, href, slug} for themes, districts, cities, provinces. */
struct val *view_theme_link(struct view *v, size_t theme);
struct val *view_district_link(struct view *v, size_t district);
struct val *view_city_link(struct view *v, size_t city);
struct val *view_province_link(struct view *v, size_t province);
/*
 * Appends the id of the author's entry in the index of authors: the name
 * and the district's slug (or the province), joined by "-", with no
 * spaces.  Stable while the author writes from there.
 */
void	 view_author_anchor(const struct site *s, size_t author,
	    struct buf *out);
/* A breadcrumb trail item; href NULL for the current page. */
void	 view_crumb(struct view *v, struct val *trail, const char *label,
	    const char *to);
/*
 * Sets "breadcrumb": 首页 › province › city › district, each a link when
 * not SITE_NONE, but the last unless last_linked (the page is the last
 * place's own, or one of its later pages).
 */
void	 view_trail(struct view *v, size_t province, size_t city,
	    size_t district, bool last_linked);
/* An article as a way to it: title, link and place. */
struct val *view_neighbour(struct view *v, size_t article);
/*
 * The line article a starts on in its raw page, null when unknown or past
 * the page's end.
 */
struct val *view_source_line(struct view *v, const struct site_article *a);
/* The passage's sentence as HTML with the keyword in <mark>. */
struct val *view_passage(struct view *v, const struct article_passage *p);

#endif
