/*
 * The listings: a district, a city and a province with their articles,
 * the table of contents, the index of authors and a theme with the
 * passage that earned each article its tag.  A long listing goes on over
 * numbered pages (render/paging.h), each with its pagination; v->part
 * is the page built.  Private to render/.
 */
#ifndef JICENG_LISTINGS_H
#define JICENG_LISTINGS_H

#include <stddef.h>

#include "view.h"

void	 listings_build_district(struct view *v, size_t index);
void	 listings_build_city(struct view *v, size_t index);
void	 listings_build_province(struct view *v, size_t index);
void	 listings_build_toc(struct view *v, size_t index);
void	 listings_build_authors(struct view *v, size_t index);
void	 listings_build_theme(struct view *v, size_t index);

#endif
