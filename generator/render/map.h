/*
 * The home page's map of China: an inline SVG drawn at build time, with
 * each province shaded by its number of articles and linked to its page,
 * a dot for each district at its prefecture's centre (or its own, where
 * the source maps have it), and the South China Sea islands in a framed
 * inset in the lower right corner.  It needs no script: titles give the
 * hover text and the accessible names, <desc> the text alternative.
 *
 * The colours come from CSS: provinces carry the classes map-l0 (no
 * article) to map-l4 (most, see struct map_scale), markers map-marker,
 * and the drawing's own
 * <style> supplies light defaults through the custom properties
 * --map-l0 .. --map-l4, --map-line, --map-land, --map-sea, --map-marker,
 * --map-text, so a stylesheet restyles it (dark theme) by setting those.
 * The <svg> has the id-bearing children china-map-title and
 * china-map-desc: draw one map per page.
 */
#ifndef JICENG_MAP_H
#define JICENG_MAP_H

#include <stddef.h>

#include "../util/buf.h"

struct map_province {
	const char	*name;		/* full name, e.g. "海南省"; borrowed */
	unsigned	 articles;
	const char	*href;		/* relative link to its page, NULL: none */
};

#define MAP_LEVELS	4	/* shades for provinces with articles */

/*
 * How counts of articles map to shades.  The breaks grow geometrically
 * up to the largest count, about its fourth, square and three-quarter
 * roots, so that a province with 3 articles and one with 11 differ, and
 * one with 30 and one with 300: a reader can match a shade to a number
 * (the legend shows the ranges).  Level 0 is no article; the largest
 * count has level MAP_LEVELS, and with few distinct counts the lower
 * levels go unused rather than the upper ones.
 */
struct map_scale {
	unsigned low[MAP_LEVELS + 2];	/* level k holds low[k] to
					   low[k + 1] - 1 articles; low[k]
					   is 0 for a level not used */
};

/* The scale of the provinces' counts (repeats and unknowns ignored). */
void	 map_scale_of(const struct map_province *prov, size_t nprov,
	    struct map_scale *out);
/* The level, 0 to MAP_LEVELS, of a province with that many articles. */
unsigned map_level(const struct map_scale *sc, unsigned articles);

struct map_marker {
	const char	*province;	/* full name; borrowed */
	const char	*prefecture;	/* NULL: county directly under the province */
	const char	*district;	/* borrowed */
	const char	*href;		/* NULL: drawn without a link */
	unsigned	 articles;
};

/*
 * Appends the <svg> element to out.  Provinces whose name is not one of
 * the 34 province-level divisions are ignored, and so are repeats of a
 * name after its first entry.  Markers are drawn at the centre of their
 * district when the source maps list it (municipalities, 海南's counties),
 * else at the centre of their prefecture, spread on a small spiral when
 * several share a centre; those in the South China Sea go in the inset.
 * Returns how many markers were placed; a marker whose place has no
 * known coordinates is skipped.  The same input gives the same bytes.
 */
size_t	map_render_svg(struct buf *out, const struct map_province *prov,
	    size_t nprov, const struct map_marker *marks, size_t nmarks);

#endif
