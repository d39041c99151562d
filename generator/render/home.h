/*
 * The home page's pictures of where the articles come from: the map of
 * China's provinces and the themes-by-provinces chart, both drawn at
 * build time so they read without JavaScript.  Private to render/.
 */
#ifndef JICENG_HOME_H
#define JICENG_HOME_H

#include "view.h"

/* Adds "map_svg" (raw SVG) and "chart" to the page's view. */
void	 home_add_pictures(struct view *v);

#endif
