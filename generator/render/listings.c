#include "listings.h"

#include <stdlib.h>
#include <string.h>

#include "../model/url.h"
#include "../util/buf.h"
#include "../util/xalloc.h"
#include "paging.h"

/* A page's title: the listing's, with the page number after the first. */
static char *
part_title(const struct view *v, const char *title)
{
	if (v->part <= 1)
		return xstrdup(title);
	return xasprintf("%s（第%zu页）", title, v->part);
}

static struct val *
part_link(struct view *v, const char *first, size_t part)
{
	struct val *m = val_map(v->arena);
	char *path = url_part(first, part);

	val_set(v->arena, m, "number", val_stringf(v->arena, "%zu", part));
	val_set(v->arena, m, "href", view_href(v, path));
	val_set_bool(v->arena, m, "current", part == v->part);
	val_set_bool(v->arena, m, "gap", false);
	free(path);
	return m;
}

/* Pages listed by number: both ends, and a few either side of this one. */
#define PAGES_AROUND 2

static bool
part_shown(const struct view *v, size_t part, size_t parts)
{
	return part == 1 || part == parts ||
	    (part + PAGES_AROUND >= v->part && part <= v->part + PAGES_AROUND);
}

static struct val *
part_gap(struct view *v)
{
	struct val *m = val_map(v->arena);

	val_set(v->arena, m, "number", val_null(v->arena));
	val_set(v->arena, m, "href", val_null(v->arena));
	val_set_bool(v->arena, m, "current", false);
	val_set_bool(v->arena, m, "gap", true);
	return m;
}

/*
 * Sets "pagination" for a listing of n items, per a page, whose first
 * page is at first: the pages, and the previous and next; null on a
 * single page.
 */
static void
pagination(struct view *v, const char *first, size_t n, size_t per)
{
	size_t parts = paging_parts(n, per), k;
	struct val *m, *list;

	if (parts == 1) {
		val_set(v->arena, v->root, "pagination", val_null(v->arena));
		return;
	}
	m = val_map(v->arena);
	list = val_list(v->arena);
	for (k = 1; k <= parts; k++) {
		if (part_shown(v, k, parts))
			val_push(v->arena, list, part_link(v, first, k));
		else if (part_shown(v, k - 1, parts))
			val_push(v->arena, list, part_gap(v));
	}
	val_set(v->arena, m, "pages", list);
	val_set(v->arena, m, "prev", v->part > 1 ?
	    part_link(v, first, v->part - 1) : val_null(v->arena));
	val_set(v->arena, m, "next", v->part < parts ?
	    part_link(v, first, v->part + 1) : val_null(v->arena));
	val_set(v->arena, m, "current", val_stringf(v->arena, "%zu", v->part));
	val_set(v->arena, m, "count", val_stringf(v->arena, "%zu", parts));
	val_set(v->arena, v->root, "pagination", m);
}

/*
 * Sets m's "articles" to this page's cards of a listing at first, and
 * the listing's pagination.
 */
static void
paged_cards(struct view *v, struct val *m, const struct idlist *articles,
    const char *first)
{
	size_t from, to;

	paging_range(articles->count, PAGING_LISTED, v->part, &from, &to);
	val_set(v->arena, m, "articles", view_cards_range(v, articles, from,
	    to));
	pagination(v, first, articles->count, PAGING_LISTED);
}

/*
 * Appends part to a line of parts joined by " · ", the dot held to the
 * part before it (a no-break space) so that no line starts with it.
 */
static void
put_part(struct buf *b, const char *before, const char *part,
    const char *after)
{
	if (part == NULL)
		return;
	if (b->len > 0)
		buf_puts(b, "\u00A0· ");
	buf_puts(b, before);
	buf_puts(b, part);
	buf_puts(b, after);
}

/*
 * A line of the table of contents: title, link, and what else it says,
 * joined: district, author (role), series (of which a note is the
 * editor's note).
 */
static struct val *
toc_row(struct view *v, size_t i)
{
	const struct site *s = v->site;
	const struct site_article *a = &s->articles[i];
	struct val *m = val_map(v->arena);
	struct buf meta = BUF_INIT;

	val_set(v->arena, m, "title", view_text(v, a->src->title));
	val_set(v->arena, m, "href", view_link(v, a->href));
	put_part(&meta, "", a->district == SITE_NONE ? NULL :
	    s->districts[a->district].name, "");
	put_part(&meta, "", a->src->author, "");
	if (a->src->author != NULL && a->src->author_title != NULL) {
		buf_puts(&meta, "（");
		buf_puts(&meta, a->src->author_title);
		buf_puts(&meta, "）");
	}
	put_part(&meta, "系列「", a->src->series,
	    a->src->kind == ARTICLE_KIND_NOTE ? "」的编者按" : "」");
	val_set(v->arena, m, "meta", val_string(v->arena, buf_str(&meta),
	    meta.len));
	buf_free(&meta);
	return m;
}

/*
 * A group of rows under a heading: {place, rows}, place a link map (a
 * city's or a province's) or null.
 */
static struct val *
toc_group(struct view *v, struct val *groups, struct val *place)
{
	struct val *m = val_map(v->arena), *rows = val_list(v->arena);

	val_set(v->arena, m, "place", place);
	val_set(v->arena, m, "rows", rows);
	val_push(v->arena, groups, m);
	return rows;
}

/*
 * Districts a district's page names beside it: a province can have a
 * hundred or more, and every page naming all of them would make the
 * site grow with the square of its districts.  The province page lists
 * them all.
 */
#define NEIGHBOURS_SHOWN 24

/*
 * The other districts of the same province nearest in the province's
 * order, which groups them by city: those of the same city first.
 */
static struct val *
neighbours_in_province(struct view *v, size_t district)
{
	const struct site *s = v->site;
	const struct site_province *p =
	    &s->provinces[s->districts[district].province];
	struct val *list = val_list(v->arena);
	size_t n = p->districts.count, at = 0, from, to, k;

	while (at < n && p->districts.items[at] != district)
		at++;
	from = at > NEIGHBOURS_SHOWN / 2 ? at - NEIGHBOURS_SHOWN / 2 : 0;
	to = from + NEIGHBOURS_SHOWN + 1 < n ? from + NEIGHBOURS_SHOWN + 1 : n;
	from = to > NEIGHBOURS_SHOWN + 1 ? to - NEIGHBOURS_SHOWN - 1 : 0;
	for (k = from; k < to; k++)
		if (p->districts.items[k] != district)
			val_push(v->arena, list, view_district_link(v,
			    p->districts.items[k]));
	return list;
}

void
listings_build_district(struct view *v, size_t index)
{
	const struct site *s = v->site;
	const struct site_district *d = &s->districts[index];
	const struct site_province *p = &s->provinces[d->province];
	struct val *themes = val_list(v->arena);
	struct val *m = view_district_link(v, index);
	char *name, *title, *desc;
	size_t t;

	name = xasprintf("%s%s", d->city ? d->city : "", d->name);
	title = part_title(v, name);
	desc = xasprintf("%s%s%s的城市基层党建文章", p->name,
	    d->city ? d->city : "", d->name);
	view_common(v, title, desc, "districts");
	view_trail(v, d->province, d->city_index, index, v->part > 1);
	val_set(v->arena, m, "province", view_province_link(v, d->province));
	val_set(v->arena, m, "city_link", d->city_index == SITE_NONE ?
	    val_null(v->arena) : view_city_link(v, d->city_index));
	paged_cards(v, m, &d->articles, d->path);
	for (t = 0; t < d->themes.count; t++)
		val_push(v->arena, themes, view_theme_link(v,
		    d->themes.items[t]));
	val_set(v->arena, m, "themes", themes);
	val_set(v->arena, m, "neighbours", neighbours_in_province(v, index));
	val_set_bool(v->arena, m, "more_neighbours",
	    p->districts.count > NEIGHBOURS_SHOWN + 1);
	val_set(v->arena, v->root, "district", m);
	free(name);
	free(title);
	free(desc);
}

/*
 * A prefecture: its districts, each with its articles as lines of a
 * table of contents (the district's own page has the cards).
 */
void
listings_build_city(struct view *v, size_t index)
{
	const struct site *s = v->site;
	const struct site_city *c = &s->cities[index];
	const struct site_province *p = &s->provinces[c->province];
	struct val *m = view_city_link(v, index), *groups, *rows = NULL;
	char *title = part_title(v, c->name), *desc;
	size_t k, i, from, to, district = SITE_NONE;

	desc = xasprintf("%s%s各区县的城市基层党建文章", p->name, c->name);
	view_common(v, title, desc, "districts");
	view_trail(v, c->province, index, SITE_NONE, v->part > 1);
	val_set(v->arena, m, "province", view_province_link(v, c->province));
	val_set(v->arena, m, "district_count", val_stringf(v->arena, "%zu",
	    c->districts.count));
	groups = val_list(v->arena);
	paging_range(c->articles.count, PAGING_ROWS, v->part, &from, &to);
	for (k = from; k < to; k++) {
		i = c->articles.items[k];
		if (rows == NULL || s->articles[i].district != district) {
			district = s->articles[i].district;
			rows = toc_group(v, groups, view_district_link(v,
			    district));
		}
		val_push(v->arena, rows, toc_row(v, i));
	}
	val_set(v->arena, m, "districts", groups);
	pagination(v, c->path, c->articles.count, PAGING_ROWS);
	val_set(v->arena, v->root, "city", m);
	free(title);
	free(desc);
}

/*
 * The heading of the districts directly under province: {name, href
 * null}, as the yearbooks head them.
 */
static struct val *
direct_heading(struct view *v, size_t province)
{
	const char *name = v->site->provinces[province].name;
	size_t n = strlen(name), k = strlen("自治区");
	struct val *m = val_map(v->arena);

	val_set_str(v->arena, m, "name", n > k &&
	    strcmp(name + n - k, "自治区") == 0 ? "自治区直辖" : "省直辖");
	val_set(v->arena, m, "href", val_null(v->arena));
	return m;
}

/*
 * A group of districts under a city (linked to its page) or directly
 * under the province (city SITE_NONE); returns its list of districts.
 */
static struct val *
city_group(struct view *v, struct val **group, size_t province,
    size_t city)
{
	struct val *districts = val_list(v->arena);

	*group = city != SITE_NONE ? view_city_link(v, city) :
	    direct_heading(v, province);
	val_set(v->arena, *group, "districts", districts);
	return districts;
}

/*
 * The province's districts grouped by city, and last those directly under
 * it.  Site order keeps a city's districts together: one pass.
 */
static struct val *
city_groups(struct view *v, size_t index)
{
	const struct site *s = v->site;
	const struct site_province *p = &s->provinces[index];
	struct val *groups = val_list(v->arena), *group, *direct_group = NULL;
	struct val *list = NULL, *direct = NULL;
	const struct site_district *d;
	size_t k, city = SITE_NONE;

	for (k = 0; k < p->districts.count; k++) {
		d = &s->districts[p->districts.items[k]];
		if (d->city_index == SITE_NONE) {
			if (direct == NULL)
				direct = city_group(v, &direct_group,
				    index, SITE_NONE);
			val_push(v->arena, direct, view_district_link(v,
			    p->districts.items[k]));
			continue;
		}
		if (list == NULL || city != d->city_index) {
			city = d->city_index;
			list = city_group(v, &group, index, city);
			val_push(v->arena, groups, group);
		}
		val_push(v->arena, list, view_district_link(v,
		    p->districts.items[k]));
	}
	if (direct_group != NULL)
		val_push(v->arena, groups, direct_group);
	return groups;
}

void
listings_build_province(struct view *v, size_t index)
{
	const struct site_province *p = &v->site->provinces[index];
	struct val *trail = val_list(v->arena), *m;
	char *home = url_path(URL_HOME, NULL), *desc, *title = part_title(v,
	    p->name);

	desc = xasprintf("%s各区县的城市基层党建文章", p->name);
	view_common(v, title, desc, "districts");
	view_crumb(v, trail, "首页", home);
	view_crumb(v, trail, p->name, v->part > 1 ? p->path : NULL);
	val_set(v->arena, v->root, "breadcrumb", trail);
	m = view_province_link(v, index);
	val_set(v->arena, m, "cities", city_groups(v, index));
	val_set(v->arena, m, "city_count", p->cities.count == 0 ?
	    val_null(v->arena) : val_stringf(v->arena, "%zu",
	    p->cities.count));
	paged_cards(v, m, &p->articles, p->path);
	val_set(v->arena, m, "district_count", val_stringf(v->arena, "%zu",
	    p->districts.count));
	val_set(v->arena, v->root, "province", m);
	free(home);
	free(title);
	free(desc);
}

/*
 * The table of contents: every article in site order, by province and,
 * within it, by city (the districts under the province together), each
 * page of it starting its groups afresh.
 */
void
listings_build_toc(struct view *v, size_t index)
{
	const struct site *s = v->site;
	const struct site_article *a;
	struct val *provinces = val_list(v->arena), *p = NULL, *cities = NULL;
	struct val *rows = NULL, *place;
	size_t i, from, to, province = SITE_NONE, city = SITE_NONE;
	char *title = part_title(v, "目录"), *first;

	(void)index;
	view_common(v, title, "全部文章的目录：按省份和城市列出每篇文章的"
	    "标题、地区、作者和职务", "toc");
	paging_range(s->narticles, PAGING_ROWS, v->part, &from, &to);
	for (i = from; i < to; i++) {
		a = &s->articles[i];
		if (p == NULL || a->province != province) {
			province = a->province;
			p = province == SITE_NONE ? val_map(v->arena) :
			    view_province_link(v, province);
			if (province == SITE_NONE)
				val_set_str(v->arena, p, "name", "其他");
			cities = val_list(v->arena);
			val_set(v->arena, p, "groups", cities);
			val_push(v->arena, provinces, p);
			rows = NULL;
		}
		if (rows == NULL || a->city != city) {
			city = a->city;
			place = city != SITE_NONE ? view_city_link(v, city) :
			    a->district != SITE_NONE &&
			    s->provinces[province].cities.count > 0 ?
			    direct_heading(v, province) : val_null(v->arena);
			rows = toc_group(v, cities, place);
		}
		val_push(v->arena, rows, toc_row(v, i));
	}
	val_set(v->arena, v->root, "provinces", provinces);
	/* Editors' notes are listed with the articles, not counted. */
	val_set(v->arena, v->root, "count", val_stringf(v->arena, "%zu",
	    s->narticles - s->nnotes));
	val_set(v->arena, v->root, "notes", s->nnotes == 0 ?
	    val_null(v->arena) : val_stringf(v->arena, "%zu", s->nnotes));
	val_set(v->arena, v->root, "first", val_stringf(v->arena, "%zu",
	    from + 1));
	val_set(v->arena, v->root, "last", val_stringf(v->arena, "%zu", to));
	first = url_path(URL_TOC, NULL);
	pagination(v, first, s->narticles, PAGING_ROWS);
	free(first);
	free(title);
}

/* An author's entry: name, role, place and articles. */
static struct val *
author_entry(struct view *v, size_t author)
{
	const struct site *s = v->site;
	const struct site_author *au = &s->authors[author];
	struct val *m = val_map(v->arena), *list = val_list(v->arena), *t;
	const struct site_article *a;
	struct buf anchor = BUF_INIT;
	size_t i;

	view_author_anchor(s, author, &anchor);
	val_set(v->arena, m, "name", view_text(v, au->name));
	val_set(v->arena, m, "anchor", val_string(v->arena, anchor.data,
	    anchor.len));
	buf_free(&anchor);
	val_set(v->arena, m, "title", view_text(v, au->title));
	val_set(v->arena, m, "district", au->district == SITE_NONE ?
	    val_null(v->arena) : view_district_link(v, au->district));
	for (i = au->first; i != SITE_NONE; i = a->author_next) {
		a = &s->articles[i];
		t = val_map(v->arena);
		val_set(v->arena, t, "title", view_text(v, a->src->title));
		val_set(v->arena, t, "href", view_link(v, a->href));
		val_push(v->arena, list, t);
	}
	val_set(v->arena, m, "articles", list);
	return m;
}

/* Every author with role, district and articles, by province. */
void
listings_build_authors(struct view *v, size_t index)
{
	const struct site *s = v->site;
	struct val *provinces = val_list(v->arena), *p = NULL, *entries = NULL;
	size_t i, from, to, province = SITE_NONE;
	char *title = part_title(v, "作者"), *first;

	(void)index;
	view_common(v, title, "全部文章的作者：职务、所在区县和文章",
	    "authors");
	paging_range(s->nauthors, PAGING_ROWS, v->part, &from, &to);
	for (i = from; i < to; i++) {
		if (p == NULL || s->authors[i].province != province) {
			province = s->authors[i].province;
			p = province == SITE_NONE ? val_map(v->arena) :
			    view_province_link(v, province);
			if (province == SITE_NONE)
				val_set_str(v->arena, p, "name", "其他");
			entries = val_list(v->arena);
			val_set(v->arena, p, "authors", entries);
			val_push(v->arena, provinces, p);
		}
		val_push(v->arena, entries, author_entry(v, i));
	}
	val_set(v->arena, v->root, "provinces", provinces);
	val_set(v->arena, v->root, "count", val_stringf(v->arena, "%zu",
	    s->nauthors));
	first = url_path(URL_AUTHORS, NULL);
	pagination(v, first, s->nauthors, PAGING_ROWS);
	free(first);
	free(title);
}

void
listings_build_theme(struct view *v, size_t index)
{
	const struct site *s = v->site;
	const struct site_theme *t = &s->themes[index];
	const struct site_article *a;
	struct val *m = view_theme_link(v, index), *list = val_list(v->arena);
	struct val *passage, *trail = val_list(v->arena);
	char *home = url_path(URL_HOME, NULL), *themes, *title;
	size_t i, k, from, to;

	themes = url_path(URL_THEME_INDEX, NULL);
	title = part_title(v, t->def->name);
	view_common(v, title, t->def->description, "themes");
	view_crumb(v, trail, "首页", home);
	view_crumb(v, trail, "主题", themes);
	view_crumb(v, trail, t->def->name,
	    v->part > 1 ? t->path : NULL);
	val_set(v->arena, v->root, "breadcrumb", trail);
	val_set_str(v->arena, m, "description", t->def->description);
	paging_range(t->articles.count, PAGING_LISTED, v->part, &from, &to);
	for (i = from; i < to; i++) {
		a = &s->articles[t->articles.items[i]];
		passage = NULL;
		for (k = 0; k < a->themes.count; k++)
			if (a->themes.items[k] == index)
				passage = view_passage(v, &a->passages[k]);
		val_push(v->arena, list,
		    view_card_item(v, t->articles.items[i], passage));
	}
	val_set(v->arena, m, "articles", view_card_block(v, list));
	val_set(v->arena, m, "count", val_stringf(v->arena, "%zu",
	    t->articles.count));
	val_set(v->arena, m, "feed", view_href(v, t->feed_path));
	val_set(v->arena, v->root, "theme", m);
	pagination(v, t->path, t->articles.count, PAGING_LISTED);
	free(home);
	free(themes);
	free(title);
}
