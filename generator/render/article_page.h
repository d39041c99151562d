/*
 * An article's page: breadcrumb, byline and length, the body with its
 * contents box, where it was printed and the collation note, its themes,
 * the related articles and why, and the ways on from it.  In a
 * fingerprint view (v->hashes) the body is left out and hashes stand
 * for the cards it shows.  Private to render/.
 */
#ifndef JICENG_ARTICLE_PAGE_H
#define JICENG_ARTICLE_PAGE_H

#include <stddef.h>

#include "view.h"

/* Builds the view of the page of article index. */
void	 article_page_build(struct view *v, size_t index);

#endif
