/*
 * Listings paged: a listing longer than a page holds goes on over pages
 * 2, 3, ... below "page/N/" (model/url.h's url_part).  How many items a
 * page holds, and which items each page shows, decided here for the
 * pages, the sitemap that names them and the build's page keys alike.
 */
#ifndef JICENG_PAGING_H
#define JICENG_PAGING_H

#include <stddef.h>

/*
 * Articles on one page of a listing (a district, province or theme),
 * each with its card.
 */
#define PAGING_LISTED 50
/*
 * Rows on one page of the table of contents, a city and the authors'
 * index, a line each where a listing has a card.
 */
#define PAGING_ROWS 200

/* How many pages a listing of n items, per a page, takes: at least one. */
size_t	 paging_parts(size_t n, size_t per);
/* The items [*from, *to) of a listing of n that its page part shows. */
void	 paging_range(size_t n, size_t per, size_t part, size_t *from,
	    size_t *to);
/* The page of a listing, per a page, that shows item i. */
size_t	 paging_part_of(size_t i, size_t per);

#endif
