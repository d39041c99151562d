#include "map.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "../util/xalloc.h"
#include "map_data.h"

#define MARKER_RADIUS	4.0	/* viewBox units */
#define MARKER_SPACING	6.0	/* between markers sharing a centre */
#define GOLDEN_ANGLE	2.399963229728653	/* radians */
#define DEGREE		(3.14159265358979323846 / 180.0)

/*
 * Defaults only: every colour goes through a custom property, so a site
 * stylesheet (a dark theme, say) restyles the map by setting those on an
 * ancestor, without fighting these rules' specificity.
 */
static const char map_style[] =
    ".china-map{max-width:100%;height:auto}"
    ".china-map path{stroke-linejoin:round}"
    ".china-map .map-provinces path{stroke:var(--map-line,#fff);"
    "stroke-width:.7}"
    ".china-map .map-l0{fill:var(--map-l0,#e9e6df)}"
    ".china-map .map-l1{fill:var(--map-l1,#f5cbbd)}"
    ".china-map .map-l2{fill:var(--map-l2,#eb9a80)}"
    ".china-map .map-l3{fill:var(--map-l3,#d35f45)}"
    ".china-map .map-l4{fill:var(--map-l4,#a8281b)}"
    ".china-map a:hover path,.china-map a:focus path{"
    "stroke:var(--map-focus,#1d3f6e);stroke-width:2}"
    ".china-map .map-labels{text-anchor:middle;"
    "fill:var(--map-text,#333);paint-order:stroke;"
    "stroke:var(--map-halo,#fff);stroke-width:3px;pointer-events:none}"
    ".china-map .map-sea{fill:var(--map-sea,#fff)}"
    ".china-map .map-land{fill:var(--map-land,#efefef);"
    "stroke:var(--map-line,#fff);stroke-width:.5}"
    ".china-map .map-china{fill:var(--map-l0,#e9e6df);"
    "stroke:var(--map-line,#fff);stroke-width:.5}"
    ".china-map .map-dash{fill:none;stroke:var(--map-text,#333);"
    "stroke-width:1.2;stroke-linecap:round}"
    ".china-map .map-island{fill:none;stroke:var(--map-text,#333);"
    "stroke-width:1.3;stroke-linecap:round}"
    ".china-map .map-frame{fill:none;stroke:var(--map-text,#333);"
    "stroke-width:.8}"
    ".china-map .map-inset text{font-size:11px;text-anchor:end;"
    "fill:var(--map-text,#333)}"
    ".china-map .map-marker{fill:var(--map-marker,#1d3f6e);"
    "stroke:var(--map-halo,#fff);stroke-width:1}"
    ".china-map a:hover .map-marker,.china-map a:focus .map-marker{"
    "fill:var(--map-focus,#e8a100)}";

/* Name endings that change between editions (梁平县 became 梁平区). */
static const char *const map_suffixes[] = {
	"地区", "县", "区", "市", "盟",
};

/* Appends v with at most one decimal, "-0" and ".0" dropped. */
static void
put_number(struct buf *out, double v)
{
	long tenths = lround(v * 10);

	if (tenths < 0) {
		buf_putc(out, '-');
		tenths = -tenths;
	}
	buf_printf(out, "%ld", tenths / 10);
	if (tenths % 10 != 0)
		buf_printf(out, ".%ld", tenths % 10);
}

static void
put_text(struct buf *out, const char *s)
{
	buf_put_html(out, s, strlen(s));
}

/*
 * Projects a longitude and latitude to the viewBox, into the inset when
 * the place lies in the South China Sea.
 */
static void
project(double lon, double lat, double *x, double *y)
{
	const struct map_projection *p = &map_projection;
	const struct map_affine *to;
	double n, c, rho0, rho, theta;

	n = (sin(p->lat1 * DEGREE) + sin(p->lat2 * DEGREE)) / 2;
	c = cos(p->lat1 * DEGREE) * cos(p->lat1 * DEGREE) +
	    2 * n * sin(p->lat1 * DEGREE);
	rho0 = sqrt(c - 2 * n * sin(p->lat0 * DEGREE)) / n;
	rho = sqrt(c - 2 * n * sin(lat * DEGREE)) / n;
	theta = n * (lon - p->lon0) * DEGREE;
	to = lat < p->inset_south_of ? &p->inset : &p->main;
	*x = to->x + to->scale * rho * sin(theta);
	*y = to->y - to->scale * (rho0 - rho * cos(theta));
}

/* Returns the length of name without a known administrative ending. */
static size_t
stem_length(const char *name)
{
	size_t len = strlen(name), i, n;

	for (i = 0; i < sizeof(map_suffixes) / sizeof(map_suffixes[0]); i++) {
		n = strlen(map_suffixes[i]);
		if (len > n && strcmp(name + len - n, map_suffixes[i]) == 0)
			return len - n;
	}
	return len;
}

static bool
ends_with(const char *s, const char *end)
{
	size_t len = strlen(s), n = strlen(end);

	return len >= n && strcmp(s + len - n, end) == 0;
}

/*
 * Returns the place of the province called name, or NULL.  With
 * loose set, names equal but for their ending also match, and when
 * counties_only is set too only county-level places (…县, …区) do.
 */
static const struct map_place *
find_place(const char *province, const char *name, bool loose,
    bool counties_only)
{
	const struct map_place *p, *found = NULL;
	size_t i, stem = stem_length(name);

	for (i = 0; i < map_nplaces && found == NULL; i++) {
		p = &map_places[i];
		if (strcmp(p->province, province) != 0)
			continue;
		if (!loose) {
			if (strcmp(p->name, name) == 0)
				found = p;
			continue;
		}
		if (counties_only && !ends_with(p->name, "县") &&
		    !ends_with(p->name, "区"))
			continue;
		if (stem_length(p->name) == stem &&
		    strncmp(p->name, name, stem) == 0)
			found = p;
	}
	return found;
}

/*
 * Where a marker goes: its own district when the province map lists it,
 * else its prefecture.  Returns NULL when neither is known.
 */
static const struct map_place *
locate(const struct map_marker *m)
{
	const struct map_place *p = NULL;

	if (m->province == NULL || m->district == NULL)
		goto out;
	if ((p = find_place(m->province, m->district, false, false)) != NULL ||
	    (p = find_place(m->province, m->district, true, true)) != NULL ||
	    m->prefecture == NULL)
		goto out;
	if ((p = find_place(m->province, m->prefecture, false, false)) == NULL)
		p = find_place(m->province, m->prefecture, true, false);
out:
	return p;
}

static size_t
find_shape(const char *name)
{
	size_t i;

	for (i = 0; i < map_nshapes; i++)
		if (strcmp(map_shapes[i].name, name) == 0)
			break;
	return i;
}

/* One entry per shape: what the caller said about that province. */
struct shade {
	const struct map_province *prov;	/* NULL: not mentioned */
	int		 level;		/* 0 .. MAP_LEVELS */
};

/* Marks in shades[] the provinces that prov[] names, first mention only. */
static void
match_provinces(struct shade *shades, const struct map_province *prov,
    size_t nprov)
{
	size_t i, s;

	for (i = 0; i < nprov; i++) {
		if (prov[i].name == NULL ||
		    (s = find_shape(prov[i].name)) == map_nshapes ||
		    shades[s].prov != NULL)
			continue;
		shades[s].prov = &prov[i];
	}
}

void
map_scale_of(const struct map_province *prov, size_t nprov,
    struct map_scale *out)
{
	struct shade *shades = xcalloc(map_nshapes, sizeof(*shades));
	unsigned most = 0, low[MAP_LEVELS + 1], used = 0, k, b;
	size_t s;

	match_provinces(shades, prov, nprov);
	for (s = 0; s < map_nshapes; s++)
		if (shades[s].prov != NULL && shades[s].prov->articles > most)
			most = shades[s].prov->articles;
	memset(out, 0, sizeof(*out));
	if (most > 0) {
		/* Each break past the last, rounded up, and past the one before. */
		low[0] = 1;
		for (k = 1; k < MAP_LEVELS; k++) {
			b = (unsigned)ceil(pow(most, (double)k / MAP_LEVELS) -
			    1e-9);
			low[k] = b > low[k - 1] ? b : low[k - 1] + 1;
		}
		for (used = 0; used < MAP_LEVELS && low[used] <= most; used++)
			continue;
		/* The levels used are the top ones. */
		for (k = 0; k < used; k++)
			out->low[MAP_LEVELS - used + 1 + k] = low[k];
		out->low[MAP_LEVELS + 1] = most + 1;
	}
	free(shades);
}

unsigned
map_level(const struct map_scale *sc, unsigned articles)
{
	unsigned k;

	if (articles == 0)
		return 0;
	for (k = MAP_LEVELS; k > 1; k--)
		if (sc->low[k] != 0 && articles >= sc->low[k])
			break;
	return k;
}

/* Shades the provinces prov[] names by the scale of their counts. */
static void
shade_provinces(struct shade *shades, const struct map_province *prov,
    size_t nprov)
{
	struct map_scale sc;
	size_t s;

	match_provinces(shades, prov, nprov);
	map_scale_of(prov, nprov, &sc);
	for (s = 0; s < map_nshapes; s++)
		if (shades[s].prov != NULL)
			shades[s].level = (int)map_level(&sc,
			    shades[s].prov->articles);
}

static unsigned
shade_articles(const struct shade *shade)
{
	return shade->prov != NULL ? shade->prov->articles : 0;
}

/* The text alternative: provinces by number of articles, most first. */
static void
put_description(struct buf *out, const struct shade *shades, size_t placed)
{
	bool *done = xcalloc(map_nshapes, sizeof(*done));
	size_t i, s, best, listed = 0;

	buf_puts(out, "<desc id=\"china-map-desc\">");
	for (i = 0; i < map_nshapes; i++) {
		best = map_nshapes;
		for (s = 0; s < map_nshapes; s++)
			if (!done[s] && shade_articles(&shades[s]) > 0 &&
			    (best == map_nshapes || shade_articles(&shades[s]) >
			    shade_articles(&shades[best])))
				best = s;
		if (best == map_nshapes)
			break;
		done[best] = true;
		buf_puts(out, listed++ == 0 ? "各省级行政区的文章数：" : "、");
		put_text(out, map_shapes[best].name);
		buf_printf(out, " %u 篇", shade_articles(&shades[best]));
	}
	if (listed == 0)
		buf_puts(out, "暂无文章");
	buf_printf(out, "。颜色越深，文章越多；圆点标出 %zu 个区县。"
	    "右下角附南海诸岛。</desc>", placed);
	free(done);
}

static void
put_title(struct buf *out, const char *name, unsigned articles)
{
	buf_puts(out, "<title>");
	put_text(out, name);
	buf_printf(out, "：%u 篇</title>", articles);
}

static void
put_provinces(struct buf *out, const struct shade *shades)
{
	const struct map_shape *shape;
	const char *href;
	size_t s;

	buf_puts(out, "<g class=\"map-provinces\">\n");
	for (s = 0; s < map_nshapes; s++) {
		shape = &map_shapes[s];
		href = shades[s].prov != NULL ? shades[s].prov->href : NULL;
		if (href != NULL) {
			buf_puts(out, "<a href=\"");
			put_text(out, href);
			buf_puts(out, "\">");
			put_title(out, shape->name, shade_articles(&shades[s]));
			buf_printf(out, "<path class=\"map-l%d\" d=\"%s\"/></a>\n",
			    shades[s].level, shape->path);
		} else {
			buf_printf(out, "<path class=\"map-l%d\" d=\"%s\">",
			    shades[s].level, shape->path);
			put_title(out, shape->name, shade_articles(&shades[s]));
			buf_puts(out, "</path>\n");
		}
	}
	/* The converter chose which labels fit for this size. */
	buf_printf(out, "</g>\n<g class=\"map-labels\" aria-hidden=\"true\" "
	    "font-size=\"%d\">", map_label_size);
	for (s = 0; s < map_nshapes; s++) {
		shape = &map_shapes[s];
		if (shape->label_x < 0)
			continue;
		buf_printf(out, "<text x=\"%d\" y=\"%d\">%s</text>",
		    shape->label_x, shape->label_y, shape->label);
	}
	buf_puts(out, "</g>\n");
}

static void
put_rect(struct buf *out, const char *class, const struct map_frame *f)
{
	buf_printf(out, "<rect class=\"%s\" x=\"", class);
	put_number(out, f->x);
	buf_puts(out, "\" y=\"");
	put_number(out, f->y);
	buf_puts(out, "\" width=\"");
	put_number(out, f->w);
	buf_puts(out, "\" height=\"");
	put_number(out, f->h);
	buf_puts(out, "\"/>");
}

static void
put_inset(struct buf *out)
{
	const struct map_frame *f = &map_inset_frame;

	buf_puts(out, "<g class=\"map-inset\" aria-hidden=\"true\">");
	put_rect(out, "map-sea", f);
	buf_printf(out, "\n<path class=\"map-land\" d=\"%s\"/>"
	    "\n<path class=\"map-china\" d=\"%s\"/>"
	    "\n<path class=\"map-dash\" d=\"%s\"/>"
	    "\n<path class=\"map-island\" d=\"%s\"/>\n",
	    map_inset_land, map_inset_china, map_inset_dashes,
	    map_inset_islands);
	put_rect(out, "map-frame", f);
	buf_puts(out, "<text x=\"");
	put_number(out, f->label_x);
	buf_puts(out, "\" y=\"");
	put_number(out, f->label_y);
	buf_puts(out, "\">南海诸岛</text></g>\n");
}

static void
put_marker(struct buf *out, const struct map_marker *m, double x, double y)
{
	if (m->href != NULL) {
		buf_puts(out, "<a href=\"");
		put_text(out, m->href);
		buf_puts(out, "\">");
	}
	buf_puts(out, "<circle class=\"map-marker\" cx=\"");
	put_number(out, x);
	buf_puts(out, "\" cy=\"");
	put_number(out, y);
	buf_puts(out, "\" r=\"");
	put_number(out, MARKER_RADIUS);
	buf_puts(out, "\"><title>");
	put_text(out, m->province);
	if (m->prefecture != NULL)
		put_text(out, m->prefecture);
	put_text(out, m->district);
	buf_printf(out, "：%u 篇</title></circle>", m->articles);
	if (m->href != NULL)
		buf_puts(out, "</a>");
	buf_putc(out, '\n');
}

/*
 * Draws the markers; those sharing a centre go on a sunflower spiral
 * around it in the order given, so the same input gives the same
 * picture.  Returns how many were drawn.
 */
static size_t
put_markers(struct buf *out, const struct map_marker *marks, size_t nmarks)
{
	const struct map_place **at = xcalloc(nmarks + 1, sizeof(*at));
	size_t i, k, before, total, placed = 0;
	double x, y, dist, angle;

	for (i = 0; i < nmarks; i++)
		at[i] = locate(&marks[i]);
	buf_puts(out, "<g class=\"map-markers\">\n");
	for (i = 0; i < nmarks; i++) {
		if (at[i] == NULL)
			continue;
		before = total = 0;
		for (k = 0; k < nmarks; k++) {
			if (at[k] != at[i])
				continue;
			total++;
			if (k < i)
				before++;
		}
		project(at[i]->lon, at[i]->lat, &x, &y);
		if (total > 1) {
			dist = MARKER_SPACING * sqrt((double)before + 0.5);
			angle = GOLDEN_ANGLE * (double)before;
			x += dist * cos(angle);
			y += dist * sin(angle);
		}
		put_marker(out, &marks[i], x, y);
		placed++;
	}
	buf_puts(out, "</g>\n");
	free(at);
	return placed;
}

size_t
map_render_svg(struct buf *out, const struct map_province *prov,
    size_t nprov, const struct map_marker *marks, size_t nmarks)
{
	struct shade *shades = xcalloc(map_nshapes, sizeof(*shades));
	struct buf markers = BUF_INIT;
	size_t placed;

	shade_provinces(shades, prov, nprov);
	placed = put_markers(&markers, marks, nmarks);
	buf_printf(out, "<svg class=\"china-map\" "
	    "xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
	    "role=\"group\" aria-labelledby=\"china-map-title\" "
	    "aria-describedby=\"china-map-desc\">\n"
	    "<title id=\"china-map-title\">文章来源分布图</title>\n",
	    map_width, map_height);
	put_description(out, shades, placed);
	buf_printf(out, "\n<style>%s</style>\n", map_style);
	put_provinces(out, shades);
	put_inset(out);
	buf_append(out, markers.data, markers.len);
	buf_puts(out, "</svg>\n");
	buf_free(&markers);
	free(shades);
	return placed;
}
