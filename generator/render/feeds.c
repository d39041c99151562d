#include "feeds.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "../model/url.h"
#include "../util/xalloc.h"
#include "paging.h"

/* Atom wants a time; articles carry a day, the site a fallback day. */
static struct val *
atom_time(struct view *v, const char *date)
{
	if (date == NULL)
		date = v->site->config.published;
	return val_stringf(v->arena, "%sT00:00:00Z", date);
}

struct val *
feeds_entry(struct view *v, size_t i)
{
	const struct site_article *a = &v->site->articles[i];
	struct val *m = val_map(v->arena), *cats = val_list(v->arena), *c;
	size_t k;

	val_set_str(v->arena, m, "title", a->src->title);
	val_set(v->arena, m, "url", view_url(v, a->path));
	val_set(v->arena, m, "updated", atom_time(v, a->date));
	val_set_str(v->arena, m, "author", a->src->author ? a->src->author :
	    v->site->config.title);
	val_set_str(v->arena, m, "summary", a->summary);
	for (k = 0; k < a->themes.count; k++) {
		c = val_map(v->arena);
		val_set_str(v->arena, c, "term",
		    v->site->themes[a->themes.items[k]].def->slug);
		val_set_str(v->arena, c, "label",
		    v->site->themes[a->themes.items[k]].def->name);
		val_push(v->arena, cats, c);
	}
	val_set(v->arena, m, "categories", cats);
	return m;
}

/*
 * Feed readers poll a feed often and keep what they saw, so a feed holds
 * the newest entries, not the whole collection.
 */
#define FEED_ENTRIES 50

/* Whether article a goes before b in a feed: newer, then site order. */
static bool
newer(const struct site *s, size_t a, size_t b)
{
	const char *da = s->articles[a].date, *db = s->articles[b].date;
	int c;

	if (da == NULL)
		da = s->config.published;
	if (db == NULL)
		db = s->config.published;
	c = strcmp(da, db);
	return c != 0 ? c > 0 : a < b;
}

/*
 * Picks the newest FEED_ENTRIES of the articles (only, or all) into
 * best, newest first; returns how many.  An insertion into a short
 * sorted array: one pass, and no copy of a long list.
 */
static size_t
newest_entries(const struct site *s, const struct idlist *only,
    size_t best[FEED_ENTRIES])
{
	size_t i, k, id, kept = 0, n = only ? only->count : s->narticles;

	for (i = 0; i < n; i++) {
		id = only ? only->items[i] : i;
		if (kept == FEED_ENTRIES && !newer(s, id, best[kept - 1]))
			continue;
		if (kept < FEED_ENTRIES)
			kept++;
		for (k = kept - 1; k > 0 && newer(s, id, best[k - 1]); k--)
			best[k] = best[k - 1];
		best[k] = id;
	}
	return kept;
}

static void
feed_view(struct view *v, const char *title, const char *page,
    const struct idlist *only)
{
	const struct site *s = v->site;
	struct val *entries = val_list(v->arena);
	size_t best[FEED_ENTRIES], i, n = newest_entries(s, only, best);

	view_common(v, title, s->config.description, NULL);
	val_set(v->arena, v->root, "self", view_url(v, v->path));
	val_set(v->arena, v->root, "link", view_url(v, page));
	val_set(v->arena, v->root, "updated", atom_time(v, n > 0 ?
	    s->articles[best[0]].date : NULL));
	for (i = 0; i < n; i++)
		val_push(v->arena, entries, v->hashes == NULL ?
		    feeds_entry(v, best[i]) :
		    view_stand_in(v, v->hashes->entries[best[i]]));
	val_set(v->arena, v->root, "entries", entries);
}

void
feeds_build_site(struct view *v, size_t index)
{
	char *home = url_path(URL_HOME, NULL);

	(void)index;
	feed_view(v, v->site->config.title, home, NULL);
	free(home);
}

void
feeds_build_theme(struct view *v, size_t theme)
{
	const struct site_theme *t = &v->site->themes[theme];
	char *title = xasprintf("%s · %s", t->def->name,
	    v->site->config.title);

	feed_view(v, title, t->path, &t->articles);
	free(title);
}

static void
add_url(struct view *v, struct val *list, const char *path,
    const char *lastmod)
{
	struct val *m = val_map(v->arena);

	val_set(v->arena, m, "loc", view_url(v, path));
	val_set(v->arena, m, "lastmod", view_text(v, lastmod));
	val_push(v->arena, list, m);
}

/*
 * Every page of a listing of n articles, per a page, whose first page
 * is at path.
 */
static void
add_listing(struct view *v, struct val *list, const char *path, size_t n,
    size_t per)
{
	size_t part, parts = paging_parts(n, per);
	char *p;

	for (part = 1; part <= parts; part++) {
		p = url_part(path, part);
		add_url(v, list, p, NULL);
		free(p);
	}
}

void
feeds_build_sitemap(struct view *v, size_t index)
{
	static const enum url_kind singles[] = {
		URL_HOME, URL_DISTRICT_INDEX, URL_THEME_INDEX,
	};
	const struct site *s = v->site;
	struct val *urls = val_list(v->arena);
	char *p;
	size_t i;

	(void)index;
	view_common(v, s->config.title, NULL, NULL);
	for (i = 0; i < sizeof(singles) / sizeof(singles[0]); i++) {
		p = url_path(singles[i], NULL);
		add_url(v, urls, p, NULL);
		free(p);
	}
	/* An article's date is the day it was printed: its last change. */
	for (i = 0; i < s->narticles; i++)
		add_url(v, urls, s->articles[i].path, s->articles[i].date);
	p = url_path(URL_TOC, NULL);
	add_listing(v, urls, p, s->narticles, PAGING_ROWS);
	free(p);
	p = url_path(URL_AUTHORS, NULL);
	add_listing(v, urls, p, s->nauthors, PAGING_ROWS);
	free(p);
	for (i = 0; i < s->ndistricts; i++)
		add_listing(v, urls, s->districts[i].path,
		    s->districts[i].articles.count, PAGING_LISTED);
	for (i = 0; i < s->ncities; i++)
		add_listing(v, urls, s->cities[i].path,
		    s->cities[i].articles.count, PAGING_ROWS);
	for (i = 0; i < s->nprovinces; i++)
		add_listing(v, urls, s->provinces[i].path,
		    s->provinces[i].articles.count, PAGING_LISTED);
	for (i = 0; i < s->nthemes; i++)
		add_listing(v, urls, s->themes[i].path,
		    s->themes[i].articles.count, PAGING_LISTED);
	/* A raw page as printed, dated as its metadata says. */
	for (i = 0; i < s->nsources; i++)
		add_url(v, urls, s->sources[i].path, s->sources[i].src->date);
	val_set(v->arena, v->root, "urls", urls);
}

void
feeds_build_robots(struct view *v, size_t index)
{
	char *sitemap = url_path(URL_SITEMAP, NULL);

	(void)index;
	view_common(v, v->site->config.title, NULL, NULL);
	val_set(v->arena, v->root, "sitemap", view_url(v, sitemap));
	free(sitemap);
}
