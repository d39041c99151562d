#include "home.h"

#include <stdlib.h>
#include <string.h>

#include "../util/buf.h"
#include "../util/xalloc.h"
#include "map.h"

static void
add_map(struct view *v)
{
	const struct site *s = v->site;
	struct map_province *prov = xcalloc(s->nprovinces + 1, sizeof(*prov));
	struct map_marker *marks = xcalloc(s->ndistricts + 1, sizeof(*marks));
	const struct site_district *d;
	struct buf svg = BUF_INIT;
	size_t i;

	for (i = 0; i < s->nprovinces; i++) {
		prov[i].name = s->provinces[i].name;
		prov[i].articles = (unsigned)s->provinces[i].articles.count;
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
	val_set(v->arena, v->root, "map_svg", val_string(v->arena,
	    buf_str(&svg), svg.len));
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
