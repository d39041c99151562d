#include "home.h"

#include <stdlib.h>
#include <string.h>

#include "../model/url.h"
#include "../util/buf.h"
#include "../util/href.h"
#include "../util/xalloc.h"
#include "map.h"

/* A province's articles as the pages count them: editors' notes not. */
static size_t
counted(const struct site_province *p)
{
	return p->articles.count - p->notes;
}

/*
 * The legend of the map's shades: each level in use with its range of
 * counts ("4–6 篇"), and "0 篇" first.
 */
static struct val *
map_legend(struct view *v, const struct map_scale *sc)
{
	struct val *list = val_list(v->arena), *m;
	unsigned k, from, to;

	m = val_map(v->arena);
	val_set_str(v->arena, m, "level", "0");
	val_set_str(v->arena, m, "range", "0");
	val_push(v->arena, list, m);
	for (k = 1; k <= MAP_LEVELS; k++) {
		if (sc->low[k] == 0)
			continue;
		from = sc->low[k];
		to = sc->low[k + 1] - 1;
		m = val_map(v->arena);
		val_set(v->arena, m, "level", val_stringf(v->arena, "%u", k));
		val_set(v->arena, m, "range", from == to ?
		    val_stringf(v->arena, "%u", from) :
		    val_stringf(v->arena, "%u–%u", from, to));
		val_push(v->arena, list, m);
	}
	return list;
}

/*
 * The provinces with articles, most first (ties in code order), each
 * with its count, shade and a bar's length: the map's numbers as a list
 * that reads at any width.
 */
static struct val *
province_bars(struct view *v, const struct map_scale *sc)
{
	const struct site *s = v->site;
	struct val *list = val_list(v->arena), *m;
	size_t *order = xcalloc(s->nprovinces + 1, sizeof(*order));
	size_t i, k, n, most = 0;

	for (i = 0; i < s->nprovinces; i++) {
		n = counted(&s->provinces[i]);
		if (n > most)
			most = n;
		/* Insertion: a site has a few dozen provinces at most. */
		for (k = i; k > 0 && counted(&s->provinces[order[k - 1]]) < n;
		    k--)
			order[k] = order[k - 1];
		order[k] = i;
	}
	for (i = 0; i < s->nprovinces; i++) {
		n = counted(&s->provinces[order[i]]);
		m = view_province_link(v, order[i]);
		val_set(v->arena, m, "level", val_stringf(v->arena, "%u",
		    map_level(sc, (unsigned)n)));
		val_set(v->arena, m, "width", val_stringf(v->arena, "%zu",
		    most ? (n * 100 + most - 1) / most : 0));
		val_push(v->arena, list, m);
	}
	free(order);
	return list;
}

static void
add_map(struct view *v)
{
	const struct site *s = v->site;
	struct map_province *prov = xcalloc(s->nprovinces + 1, sizeof(*prov));
	struct map_marker *marks = xcalloc(s->ndistricts + 1, sizeof(*marks));
	const struct site_district *d;
	struct buf svg = BUF_INIT;
	struct map_scale sc;
	size_t i;

	for (i = 0; i < s->nprovinces; i++) {
		prov[i].name = s->provinces[i].name;
		prov[i].articles = (unsigned)counted(&s->provinces[i]);
		prov[i].href = val_text(view_link(v, s->provinces[i].href),
		    NULL);
	}
	for (i = 0; i < s->ndistricts; i++) {
		d = &s->districts[i];
		marks[i].province = s->provinces[d->province].name;
		marks[i].prefecture = d->city;
		marks[i].district = d->name;
		marks[i].href = val_text(view_link(v, d->href), NULL);
		marks[i].articles = (unsigned)d->articles.count;
	}
	map_render_svg(&svg, prov, s->nprovinces, marks, s->ndistricts);
	map_scale_of(prov, s->nprovinces, &sc);
	val_set(v->arena, v->root, "map_svg", val_string(v->arena,
	    buf_str(&svg), svg.len));
	val_set(v->arena, v->root, "map_legend", map_legend(v, &sc));
	val_set(v->arena, v->root, "map_provinces", province_bars(v, &sc));
	buf_free(&svg);
	free(prov);
	free(marks);
}

/* Shade level 0..4 of count against the largest count. */
static unsigned
level_of(size_t count, size_t max)
{
	if (count == 0 || max == 0)
		return 0;
	return (unsigned)(1 + (count - 1) * 4 / max);
}

/*
 * The articles behind a cell of the chart: the search page with the
 * province and the theme as its filters, which lists exactly those.
 */
static struct val *
chart_link(struct view *v, size_t province, size_t theme)
{
	const struct site *s = v->site;
	char *search = url_path(URL_SEARCH, NULL);
	struct buf href = BUF_INIT;
	const char *name = s->provinces[province].name;
	struct val *link;

	href_relative(&href, v->path, search);
	buf_puts(&href, "?province=");
	href_encode(&href, name, strlen(name));
	buf_puts(&href, "&theme=");
	href_encode(&href, s->themes[theme].def->slug,
	    strlen(s->themes[theme].def->slug));
	link = val_string(v->arena, buf_str(&href), href.len);
	buf_free(&href);
	free(search);
	return link;
}

static void
add_chart(struct view *v)
{
	const struct site *s = v->site;
	struct val *chart = val_map(v->arena), *cols = val_list(v->arena);
	struct val *rows = val_list(v->arena), *row, *cells, *cell;
	size_t *counts = xcalloc(s->nthemes * s->nprovinces + 1,
	    sizeof(*counts));
	size_t t, p, k, max = 0, n;

	for (t = 0; t < s->nthemes; t++) {
		for (k = 0; k < s->themes[t].articles.count; k++) {
			p = s->articles[s->themes[t].articles.items[k]].province;
			if (p == SITE_NONE)
				continue;
			n = ++counts[t * s->nprovinces + p];
			if (n > max)
				max = n;
		}
	}
	for (p = 0; p < s->nprovinces; p++)
		val_push(v->arena, cols, view_province_link(v, p));
	for (t = 0; t < s->nthemes; t++) {
		row = view_theme_link(v, t);
		cells = val_list(v->arena);
		for (p = 0; p < s->nprovinces; p++) {
			n = counts[t * s->nprovinces + p];
			cell = val_map(v->arena);
			val_set(v->arena, cell, "count", val_stringf(v->arena,
			    "%zu", n));
			val_set(v->arena, cell, "level", val_stringf(v->arena,
			    "%u", level_of(n, max)));
			val_set_str(v->arena, cell, "province",
			    s->provinces[p].name);
			val_set_str(v->arena, cell, "theme",
			    s->themes[t].def->name);
			val_set(v->arena, cell, "href", n == 0 ?
			    val_null(v->arena) : chart_link(v, p, t));
			val_push(v->arena, cells, cell);
		}
		val_set(v->arena, row, "cells", cells);
		val_push(v->arena, rows, row);
	}
	val_set(v->arena, chart, "provinces", cols);
	val_set(v->arena, chart, "rows", rows);
	val_set(v->arena, v->root, "chart", chart);
	free(counts);
}

void
home_add_pictures(struct view *v)
{
	add_map(v);
	add_chart(v);
}
