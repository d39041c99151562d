#include "view.h"

#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "../model/url.h"
#include "../util/buf.h"
#include "../util/href.h"
#include "../util/ser.h"

/* The navigation every page shows, by output path. */
static const struct {
	const char *label;
	enum url_kind kind;
	const char *id;
} nav_items[] = {
	{ "首页", URL_HOME, "home" },
	{ "目录", URL_TOC, "toc" },
	{ "地区", URL_DISTRICT_INDEX, "districts" },
	{ "主题", URL_THEME_INDEX, "themes" },
	{ "搜索", URL_SEARCH, "search" },
};

static struct val *
arena_buf(struct view *v, struct buf *b)
{
	struct val *s = val_string(v->arena, buf_str(b), b->len);

	buf_free(b);
	return s;
}

struct val *
view_href(struct view *v, const char *to)
{
	struct buf b = BUF_INIT;

	if (v->absolute)
		href_absolute(&b, v->site->config.base_url, to);
	else
		href_relative(&b, v->path, to);
	return arena_buf(v, &b);
}

struct val *
view_link(struct view *v, const char *href)
{
	size_t up = strlen(v->up), n = strlen(href);
	char *s = val_arena_alloc(v->arena, up + n + 1);

	memcpy(s, v->up, up);
	memcpy(s + up, href, n + 1);
	return val_string_static(v->arena, s, up + n);
}

struct val *
view_text(struct view *v, const char *s)
{
	return s ? val_string_static(v->arena, s, strlen(s)) :
	    val_null(v->arena);
}

struct val *
view_url(struct view *v, const char *to)
{
	struct buf b = BUF_INIT;

	href_absolute(&b, v->site->config.base_url, to);
	return arena_buf(v, &b);
}

static struct val *
nav_list(struct view *v, const char *current)
{
	struct val *list = val_list(v->arena), *item;
	char *to;
	size_t i;

	for (i = 0; i < sizeof(nav_items) / sizeof(nav_items[0]); i++) {
		item = val_map(v->arena);
		to = url_path(nav_items[i].kind, NULL);
		val_set_str(v->arena, item, "label", nav_items[i].label);
		val_set(v->arena, item, "href", view_href(v, to));
		val_set_bool(v->arena, item, "current",
		    current && strcmp(current, nav_items[i].id) == 0);
		val_push(v->arena, list, item);
		free(to);
	}
	return list;
}

void
view_init(struct view *v, const struct site *s, struct val_arena *a,
    const char *path, bool absolute, const struct view_hashes *hashes)
{
	struct buf up = BUF_INIT;

	v->site = s;
	v->arena = a;
	v->path = path;
	v->root = val_map(a);
	v->absolute = absolute;
	v->hashes = hashes;
	v->part = 1;
	if (absolute)
		buf_printf(&up, "%s/", s->config.base_url);
	else
		href_root(&up, path);
	v->up = val_arena_alloc(a, up.len + 1);
	memcpy(v->up, buf_str(&up), up.len + 1);
	buf_free(&up);
}

void
view_common(struct view *v, const char *title, const char *description,
    const char *nav_current)
{
	const struct site_config *c = &v->site->config;
	struct val *site = val_map(v->arena), *page = val_map(v->arena);

	val_set_str(v->arena, site, "title", c->title);
	val_set_str(v->arena, site, "description", c->description);
	val_set_str(v->arena, site, "lang", c->language);
	val_set_str(v->arena, site, "base_url", c->base_url);
	val_set(v->arena, v->root, "site", site);
	val_set(v->arena, v->root, "root", view_text(v, v->up));
	val_set_str(v->arena, page, "title", title);
	val_set_str(v->arena, page, "description",
	    description && *description ? description : c->description);
	val_set(v->arena, page, "canonical", view_url(v, v->path));
	val_set_str(v->arena, page, "path", v->path);
	val_set(v->arena, v->root, "page", page);
	val_set(v->arena, v->root, "nav", nav_list(v, nav_current));
}

struct val *
view_place(struct view *v, const struct site_article *a)
{
	return view_text(v, a->place);
}

/* What this reads, view_theme_hash reads too. */
struct val *
view_theme_link(struct view *v, size_t theme)
{
	const struct site_theme *t = &v->site->themes[theme];
	struct val *m = val_map(v->arena);

	val_set(v->arena, m, "name", view_text(v, t->def->name));
	val_set(v->arena, m, "slug", view_text(v, t->def->slug));
	val_set(v->arena, m, "href", view_link(v, t->href));
	return m;
}

struct val *
view_district_link(struct view *v, size_t district)
{
	const struct site_district *d = &v->site->districts[district];
	struct val *m = val_map(v->arena);

	val_set(v->arena, m, "name", view_text(v, d->name));
	/*
	 * Optional keys are always set, null when absent: Mustache looks a
	 * missing key up in the enclosing contexts, which would lend this
	 * district the city of the page's own.
	 */
	val_set(v->arena, m, "city", view_text(v, d->city));
	val_set(v->arena, m, "href", view_link(v, d->href));
	val_set(v->arena, m, "count", val_stringf(v->arena, "%zu",
	    d->articles.count));
	return m;
}

struct val *
view_city_link(struct view *v, size_t city)
{
	const struct site_city *c = &v->site->cities[city];
	struct val *m = val_map(v->arena);

	val_set(v->arena, m, "name", view_text(v, c->name));
	val_set(v->arena, m, "href", view_link(v, c->href));
	val_set(v->arena, m, "count", val_stringf(v->arena, "%zu",
	    c->articles.count));
	return m;
}

struct val *
view_province_link(struct view *v, size_t province)
{
	const struct site_province *p = &v->site->provinces[province];
	struct val *m = val_map(v->arena);

	val_set(v->arena, m, "name", view_text(v, p->name));
	val_set(v->arena, m, "href", view_link(v, p->href));
	/* Editors' notes are listed with the articles, not counted. */
	val_set(v->arena, m, "count", val_stringf(v->arena, "%zu",
	    p->articles.count - p->notes));
	return m;
}

/* What this reads, view_card_hash reads too. */
struct val *
view_card(struct view *v, size_t article)
{
	const struct site_article *a = &v->site->articles[article];
	struct val *m = val_map(v->arena), *themes = val_list(v->arena);
	size_t k;

	val_set(v->arena, m, "title", view_text(v, a->src->title));
	val_set(v->arena, m, "href", view_link(v, a->href));
	val_set(v->arena, m, "place", view_place(v, a));
	val_set(v->arena, m, "author", view_text(v, a->src->author));
	val_set(v->arena, m, "author_title", view_text(v, a->src->author_title));
	val_set(v->arena, m, "series", view_text(v, a->src->series));
	val_set(v->arena, m, "summary", view_text(v, a->summary));
	val_set_bool(v->arena, m, "note", a->src->kind == ARTICLE_KIND_NOTE);
	for (k = 0; k < a->themes.count; k++)
		val_push(v->arena, themes,
		    view_theme_link(v, a->themes.items[k]));
	val_set(v->arena, m, "themes", themes);
	return m;
}

uint64_t
view_theme_hash(const struct site *s, size_t theme, struct buf *scratch)
{
	const struct site_theme *t = &s->themes[theme];

	buf_truncate(scratch, 0);
	ser_str(scratch, t->def->name);
	ser_str(scratch, t->def->slug);
	ser_str(scratch, t->href);
	return XXH3_64bits(scratch->data, scratch->len);
}

/*
 * Every build hashes every card, and building each card's view only to
 * hash it cost several times what hashing its fields does.
 */
uint64_t
view_card_hash(const struct site *s, size_t article, const uint64_t *themes,
    struct buf *scratch)
{
	const struct site_article *a = &s->articles[article];
	size_t k;

	buf_truncate(scratch, 0);
	ser_str(scratch, a->src->title);
	ser_str(scratch, a->href);
	ser_str(scratch, a->place);
	ser_str(scratch, a->src->author);
	ser_str(scratch, a->src->author_title);
	ser_str(scratch, a->src->series);
	ser_str(scratch, a->summary);
	ser_u32(scratch, a->src->kind == ARTICLE_KIND_NOTE);
	ser_u64(scratch, a->themes.count);
	for (k = 0; k < a->themes.count; k++)
		ser_u64(scratch, themes[a->themes.items[k]]);
	return XXH3_64bits(scratch->data, scratch->len);
}

struct val *
view_stand_in(struct view *v, uint64_t hash)
{
	return val_stringf(v->arena, "%016llx", (unsigned long long)hash);
}

struct val *
view_card_item(struct view *v, size_t article, struct val *passage)
{
	struct val *m;

	if (v->hashes == NULL) {
		m = view_card(v, article);
		if (passage != NULL)
			val_set(v->arena, m, "passage", passage);
		return m;
	}
	m = val_map(v->arena);
	val_set(v->arena, m, "card", view_stand_in(v,
	    v->hashes->cards[article]));
	if (passage != NULL)
		val_set(v->arena, m, "passage", passage);
	return m;
}

struct val *
view_card_block(struct view *v, struct val *cards)
{
	struct val *m = val_map(v->arena);

	val_set(v->arena, m, "cards", cards);
	val_set(v->arena, m, "count", val_stringf(v->arena, "%zu",
	    val_list_count(cards)));
	return m;
}

struct val *
view_cards(struct view *v, const struct idlist *articles)
{
	return view_cards_range(v, articles, 0, articles->count);
}

struct val *
view_cards_range(struct view *v, const struct idlist *articles, size_t from,
    size_t to)
{
	struct val *list = val_list(v->arena);
	size_t i;

	for (i = from; i < to; i++)
		val_push(v->arena, list,
		    view_card_item(v, articles->items[i], NULL));
	return view_card_block(v, list);
}

void
view_author_anchor(const struct site *s, size_t author, struct buf *out)
{
	const struct site_author *au = &s->authors[author];
	size_t start = out->len, i;

	buf_puts(out, au->name);
	buf_putc(out, '-');
	if (au->district != SITE_NONE)
		buf_puts(out, s->districts[au->district].slug);
	else if (au->province != SITE_NONE)
		buf_puts(out, s->provinces[au->province].name);
	for (i = start; i < out->len; i++)
		if (out->data[i] == ' ' || out->data[i] == '\t')
			out->data[i] = '-';
}

void
view_crumb(struct view *v, struct val *trail, const char *label,
    const char *to)
{
	struct val *m = val_map(v->arena);

	val_set_str(v->arena, m, "label", label);
	val_set(v->arena, m, "href", to ? view_href(v, to) : val_null(v->arena));
	val_push(v->arena, trail, m);
}

struct val *
view_passage(struct view *v, const struct article_passage *p)
{
	struct buf b = BUF_INIT;

	if (p->text == NULL)
		return val_null(v->arena);
	buf_put_html(&b, p->text, p->mark_off);
	buf_puts(&b, "<mark>");
	buf_put_html(&b, p->text + p->mark_off, p->mark_len);
	buf_puts(&b, "</mark>");
	buf_put_html(&b, p->text + p->mark_off + p->mark_len,
	    strlen(p->text) - p->mark_off - p->mark_len);
	return arena_buf(v, &b);
}

void
view_trail(struct view *v, size_t province, size_t city, size_t district,
    bool last_linked)
{
	struct val *trail = val_list(v->arena);
	const struct site *s = v->site;
	char *home = url_path(URL_HOME, NULL);

	view_crumb(v, trail, "首页", home);
	if (province != SITE_NONE)
		view_crumb(v, trail, s->provinces[province].name,
		    city == SITE_NONE && district == SITE_NONE &&
		    !last_linked ? NULL : s->provinces[province].path);
	if (city != SITE_NONE)
		view_crumb(v, trail, s->cities[city].name,
		    district == SITE_NONE && !last_linked ? NULL :
		    s->cities[city].path);
	if (district != SITE_NONE)
		view_crumb(v, trail, s->districts[district].name,
		    last_linked ? s->districts[district].path : NULL);
	val_set(v->arena, v->root, "breadcrumb", trail);
	free(home);
}

struct val *
view_neighbour(struct view *v, size_t i)
{
	const struct site_article *a = &v->site->articles[i];
	struct val *m = val_map(v->arena);

	val_set(v->arena, m, "title", view_text(v, a->src->title));
	val_set(v->arena, m, "href", view_link(v, a->href));
	val_set(v->arena, m, "place", view_place(v, a));
	return m;
}

struct val *
view_source_line(struct view *v, const struct site_article *a)
{
	unsigned line = a->src->source_line;

	if (line == 0 || (a->source != SITE_NONE &&
	    line > v->site->sources[a->source].nlines))
		return val_null(v->arena);
	return val_stringf(v->arena, "%u", line);
}
