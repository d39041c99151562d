#include "pages.h"

#include <cmark.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "../model/url.h"
#include "../util/buf.h"
#include "../util/pool.h"
#include "../util/ser.h"
#include "../util/xalloc.h"
#include "article_page.h"
#include "feeds.h"
#include "home.h"
#include "listings.h"
#include "paging.h"
#include "view.h"

typedef void build_fn(struct view *v, size_t index);

static void build_home(struct view *v, size_t index);
static void build_district_index(struct view *v, size_t index);
static void build_theme_index(struct view *v, size_t index);
static void build_search(struct view *v, size_t index);
static void build_not_found(struct view *v, size_t index);
static void build_source(struct view *v, size_t index);

static const struct {
	const char *template;
	build_fn *build;
} kinds[PAGE_KINDS] = {
	[PAGE_HOME] = { "home", build_home },
	[PAGE_TOC] = { "toc", listings_build_toc },
	[PAGE_ARTICLE] = { "article", article_page_build },
	[PAGE_DISTRICT_INDEX] = { "districts", build_district_index },
	[PAGE_DISTRICT] = { "district", listings_build_district },
	[PAGE_CITY] = { "city", listings_build_city },
	[PAGE_PROVINCE] = { "province", listings_build_province },
	[PAGE_AUTHORS] = { "authors", listings_build_authors },
	[PAGE_THEME_INDEX] = { "themes", build_theme_index },
	[PAGE_THEME] = { "theme", listings_build_theme },
	[PAGE_SEARCH] = { "search", build_search },
	[PAGE_NOT_FOUND] = { "404", build_not_found },
	[PAGE_FEED] = { "feed", feeds_build_site },
	[PAGE_THEME_FEED] = { "feed", feeds_build_theme },
	[PAGE_SITEMAP] = { "sitemap", feeds_build_sitemap },
	[PAGE_ROBOTS] = { "robots", feeds_build_robots },
	[PAGE_SOURCE] = { "source", build_source },
};

const char *const pages_templates[] = {
	"home", "toc", "article", "districts", "district", "city", "province",
	"authors", "themes", "theme", "search", "404", "feed", "sitemap",
	"robots", "source", NULL,
};

const char *const pages_names[] = {
	"anchor", "article", "articles", "author", "author_count",
	"author_href", "author_title", "authors", "base_url", "body",
	"breadcrumb", "canonical", "card", "cards", "categories", "cells",
	"chart", "cities", "city", "city_count", "city_link", "collation",
	"contents", "count", "counts", "current", "date", "description",
	"district", "district_count", "districts", "entries", "feed",
	"first", "gap", "groups", "href", "id", "label", "lacuna",
	"lang", "last",
	"lastmod", "length", "level", "line", "lines", "link", "loc",
	"map_legend", "map_provinces", "map_svg", "members", "meta",
	"more_neighbours", "name", "nav", "neighbours", "next", "note",
	"notes", "number", "page", "pages", "pagination", "passage", "path",
	"place", "prev", "printed", "province", "province_count",
	"provinces", "range", "related", "root", "rows", "self", "series",
	"series_note", "site", "sitemap", "slug", "source", "source_file",
	"source_line", "sub", "summary", "term", "text", "theme", "themes",
	"title", "updated", "url", "urls", "ways", "why", "width", NULL,
};

const char *
pages_template(enum page_kind k)
{
	return kinds[k].template;
}

/* The articles a page of kind k lists, or NULL if it is no listing. */
static const struct idlist *
listed(const struct site *s, enum page_kind k, size_t index)
{
	switch (k) {
	case PAGE_DISTRICT:
		return &s->districts[index].articles;
	case PAGE_CITY:
		return &s->cities[index].articles;
	case PAGE_PROVINCE:
		return &s->provinces[index].articles;
	case PAGE_THEME:
		return &s->themes[index].articles;
	default:
		return NULL;
	}
}

size_t
pages_per_part(enum page_kind k)
{
	return k == PAGE_CITY || k == PAGE_TOC || k == PAGE_AUTHORS ?
	    PAGING_ROWS : PAGING_LISTED;
}

/* How many pages page index of kind k takes. */
static size_t
parts_of(const struct site *s, enum page_kind k, size_t index)
{
	const struct idlist *l = listed(s, k, index);

	if (l != NULL)
		return paging_parts(l->count, pages_per_part(k));
	if (k == PAGE_TOC)
		return paging_parts(s->narticles, PAGING_ROWS);
	if (k == PAGE_AUTHORS)
		return paging_parts(s->nauthors, PAGING_ROWS);
	return 1;
}

static void
add_pages(const struct site *s, struct page **pages, size_t *n,
    enum page_kind kind, size_t count)
{
	size_t i, part, parts;

	for (i = 0; i < count; i++) {
		parts = parts_of(s, kind, i);
		*pages = xreallocarray(*pages, *n + parts + 1, sizeof(**pages));
		for (part = 1; part <= parts; part++) {
			(*pages)[*n].kind = kind;
			(*pages)[*n].index = i;
			(*pages)[(*n)++].part = part;
		}
	}
}

size_t
pages_list(const struct site *s, struct page **pages)
{
	size_t n = 0;

	*pages = NULL;
	add_pages(s, pages, &n, PAGE_HOME, 1);
	add_pages(s, pages, &n, PAGE_TOC, 1);
	add_pages(s, pages, &n, PAGE_ARTICLE, s->narticles);
	add_pages(s, pages, &n, PAGE_DISTRICT_INDEX, 1);
	add_pages(s, pages, &n, PAGE_DISTRICT, s->ndistricts);
	add_pages(s, pages, &n, PAGE_CITY, s->ncities);
	add_pages(s, pages, &n, PAGE_PROVINCE, s->nprovinces);
	add_pages(s, pages, &n, PAGE_AUTHORS, 1);
	add_pages(s, pages, &n, PAGE_THEME_INDEX, 1);
	add_pages(s, pages, &n, PAGE_THEME, s->nthemes);
	add_pages(s, pages, &n, PAGE_SEARCH, 1);
	add_pages(s, pages, &n, PAGE_NOT_FOUND, 1);
	add_pages(s, pages, &n, PAGE_FEED, 1);
	add_pages(s, pages, &n, PAGE_THEME_FEED, s->nthemes);
	add_pages(s, pages, &n, PAGE_SITEMAP, 1);
	add_pages(s, pages, &n, PAGE_ROBOTS, 1);
	add_pages(s, pages, &n, PAGE_SOURCE, s->nsources);
	return n;
}

/* Page part of the listing whose first page is the url_path of kind. */
static char *
listing_part(enum url_kind kind, size_t part)
{
	char *first = url_path(kind, NULL), *path;

	if (part <= 1)
		return first;
	path = url_part(first, part);
	free(first);
	return path;
}

char *
pages_path(const struct site *s, const struct page *p)
{
	static const enum url_kind singles[PAGE_KINDS] = {
		[PAGE_HOME] = URL_HOME,
		[PAGE_TOC] = URL_TOC,
		[PAGE_AUTHORS] = URL_AUTHORS,
		[PAGE_DISTRICT_INDEX] = URL_DISTRICT_INDEX,
		[PAGE_THEME_INDEX] = URL_THEME_INDEX,
		[PAGE_SEARCH] = URL_SEARCH,
		[PAGE_NOT_FOUND] = URL_NOT_FOUND,
		[PAGE_FEED] = URL_FEED,
		[PAGE_SITEMAP] = URL_SITEMAP,
		[PAGE_ROBOTS] = URL_ROBOTS,
	};

	switch (p->kind) {
	case PAGE_ARTICLE:
		return xstrdup(s->articles[p->index].path);
	case PAGE_DISTRICT:
		return url_part(s->districts[p->index].path, p->part);
	case PAGE_CITY:
		return url_part(s->cities[p->index].path, p->part);
	case PAGE_TOC:
	case PAGE_AUTHORS:
		return listing_part(singles[p->kind], p->part);
	case PAGE_PROVINCE:
		return url_part(s->provinces[p->index].path, p->part);
	case PAGE_THEME:
		return url_part(s->themes[p->index].path, p->part);
	case PAGE_THEME_FEED:
		return xstrdup(s->themes[p->index].feed_path);
	case PAGE_SOURCE:
		return xstrdup(s->sources[p->index].path);
	default:
		return url_path(singles[p->kind], NULL);
	}
}

uint64_t
pages_source_hash(const struct site *s, const struct page *p)
{
	if (p->kind == PAGE_SOURCE)
		return s->sources[p->index].src->hash;
	return p->kind == PAGE_ARTICLE ? s->articles[p->index].src->hash : 0;
}

struct val *
pages_view(const struct site *s, const struct page *p, struct val_arena *a,
    const struct view_hashes *hashes)
{
	struct view v;
	char *path = pages_path(s, p);

	/*
	 * A host serves 404.html for a missing page at any depth, where
	 * relative links would point nowhere; that page links absolutely.
	 */
	view_init(&v, s, a, path, p->kind == PAGE_NOT_FOUND, hashes);
	v.part = p->part;
	kinds[p->kind].build(&v, p->index);
	free(path);
	return v.root;
}

/*
 * What a feed entry shows, hashed from the model as its card is: the
 * card's title, author, summary and themes (in the card's hash), its
 * own URL and date, and the settings it falls back on: the site's title
 * for want of an author, its day of publication for want of a date.
 */
static uint64_t
entry_hash(const struct site *s, size_t i, uint64_t card, struct buf *b)
{
	const struct site_article *a = &s->articles[i];

	buf_truncate(b, 0);
	ser_u64(b, card);
	ser_str(b, a->path);
	ser_str(b, a->date);
	ser_str(b, s->config.base_url);
	ser_str(b, s->config.title);
	ser_str(b, s->config.published);
	return XXH3_64bits(b->data, b->len);
}

/*
 * Articles a worker takes at a time: a hash is quick to make, and one
 * article at a time would have the workers take turns at the pool's
 * counter and at the cache lines of the hashes they write.
 */
#define HASH_BLOCK	64

struct hash_job {
	const struct site *site;
	struct view_hashes *hashes;
	uint64_t *themes;		/* view_theme_hash of each */
	struct buf *scratch;		/* per worker */
};

static void
hash_articles(void *arg, size_t worker, size_t block)
{
	struct hash_job *job = arg;
	struct buf *b = &job->scratch[worker];
	size_t i = block * HASH_BLOCK, end = i + HASH_BLOCK;
	uint64_t card;

	if (end > job->site->narticles)
		end = job->site->narticles;
	for (; i < end; i++) {
		card = view_card_hash(job->site, i, job->themes, b);
		job->hashes->cards[i] = card;
		job->hashes->entries[i] = entry_hash(job->site, i, card, b);
	}
}

void
pages_hash(const struct site *s, size_t threads, struct view_hashes *h)
{
	size_t n = pool_threads(threads), i;
	struct hash_job job = { s, h, xcalloc(s->nthemes + 1,
	    sizeof(*job.themes)), xcalloc(n, sizeof(*job.scratch)) };

	h->cards = xcalloc(s->narticles + 1, sizeof(*h->cards));
	h->entries = xcalloc(s->narticles + 1, sizeof(*h->entries));
	for (i = 0; i < s->nthemes; i++)
		job.themes[i] = view_theme_hash(s, i, &job.scratch[0]);
	pool_for(n, (s->narticles + HASH_BLOCK - 1) / HASH_BLOCK,
	    hash_articles, &job);
	for (i = 0; i < n; i++)
		buf_free(&job.scratch[i]);
	free(job.themes);
	free(job.scratch);
}

void
pages_hash_free(struct view_hashes *h)
{
	free(h->cards);
	free(h->entries);
	h->cards = h->entries = NULL;
}

/*
 * The file column of cmark's byte column col (1-based) on line line of
 * the body: columns count characters.
 */
static unsigned
body_column(const struct article *a, unsigned line, unsigned col)
{
	const char *p = a->body, *end = a->body + a->body_len, *nl;
	unsigned k;

	for (k = 1; k < line && (nl = memchr(p, '\n', (size_t)(end - p))); k++)
		p = nl + 1;
	if (col == 0 || (size_t)(end - p) < col - 1)
		return col;
	return diag_column(p, col - 1);
}

int
pages_body_links(const struct site *s, size_t article, pages_link_fn *fn,
    void *arg, struct diags *d)
{
	struct article *a = s->articles[article].src;
	cmark_node *doc, *n;
	cmark_iter *it;
	cmark_event_type ev;
	unsigned line;

	if (article_read_body(a, d) == -1)
		return -1;
	doc = cmark_parse_document(a->body, a->body_len, CMARK_OPT_DEFAULT);
	it = cmark_iter_new(doc);
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		n = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER ||
		    (cmark_node_get_type(n) != CMARK_NODE_LINK &&
		    cmark_node_get_type(n) != CMARK_NODE_IMAGE) ||
		    cmark_node_get_url(n) == NULL)
			continue;
		/* cmark counts the body's lines, and bytes in them. */
		line = (unsigned)cmark_node_get_start_line(n);
		fn(arg, cmark_node_get_url(n), a->body_line + line - 1,
		    body_column(a, line,
		    (unsigned)cmark_node_get_start_column(n)));
	}
	cmark_iter_free(it);
	cmark_node_free(doc);
	return 0;
}

/* The provinces, each with its districts: the index of places. */
static struct val *
province_tree(struct view *v)
{
	const struct site *s = v->site;
	struct val *list = val_list(v->arena), *p, *ds;
	size_t i, k;

	for (i = 0; i < s->nprovinces; i++) {
		p = view_province_link(v, i);
		ds = val_list(v->arena);
		for (k = 0; k < s->provinces[i].districts.count; k++)
			val_push(v->arena, ds, view_district_link(v,
			    s->provinces[i].districts.items[k]));
		val_set(v->arena, p, "districts", ds);
		val_push(v->arena, list, p);
	}
	return list;
}

static struct val *
theme_list(struct view *v)
{
	const struct site *s = v->site;
	struct val *list = val_list(v->arena), *m;
	size_t t;

	for (t = 0; t < s->nthemes; t++) {
		m = view_theme_link(v, t);
		val_set_str(v->arena, m, "description",
		    s->themes[t].def->description);
		val_set(v->arena, m, "count", val_stringf(v->arena, "%zu",
		    s->themes[t].articles.count));
		val_push(v->arena, list, m);
	}
	return list;
}

static void
build_home(struct view *v, size_t index)
{
	const struct site *s = v->site;

	(void)index;
	view_common(v, s->config.title, s->config.description, "home");
	val_set(v->arena, v->root, "provinces", province_tree(v));
	val_set(v->arena, v->root, "themes", theme_list(v));
	val_set(v->arena, v->root, "counts", val_stringf(v->arena,
	    "%zu", s->narticles - s->nnotes));
	val_set(v->arena, v->root, "province_count", val_stringf(v->arena,
	    "%zu", s->nprovinces));
	val_set(v->arena, v->root, "district_count", val_stringf(v->arena,
	    "%zu", s->ndistricts));
	val_set(v->arena, v->root, "author_count", val_stringf(v->arena,
	    "%zu", s->nauthors));
	home_add_pictures(v);
}

static void
build_district_index(struct view *v, size_t index)
{
	(void)index;
	view_common(v, "全部地区", "按省份浏览各区县的城市基层党建文章",
	    "districts");
	val_set(v->arena, v->root, "provinces", province_tree(v));
}

static void
build_theme_index(struct view *v, size_t index)
{
	(void)index;
	view_common(v, "全部主题", "城市基层党建文章的主题分类", "themes");
	val_set(v->arena, v->root, "themes", theme_list(v));
}

static void
build_search(struct view *v, size_t index)
{
	(void)index;
	view_common(v, "搜索", "在全部文章中搜索", "search");
	val_set(v->arena, v->root, "provinces", province_tree(v));
	val_set(v->arena, v->root, "themes", theme_list(v));
}

static void
build_not_found(struct view *v, size_t index)
{
	(void)index;
	view_common(v, "页面不存在", "", NULL);
}

/*
 * A raw page as printed: its lines numbered and anchored (#L12) for the
 * collation notes to point at, and at the line where each article made
 * from it starts, a link to that article.
 */
static void
build_source(struct view *v, size_t index)
{
	const struct site *s = v->site;
	const struct site_source *ss = &s->sources[index];
	const struct source *src = ss->src;
	struct val *m = val_map(v->arena), *lines = val_list(v->arena), *line;
	struct val *trail = val_list(v->arena), *starts, *item;
	struct val *contents = val_list(v->arena);
	const struct site_article *a;
	const char *p = src->text, *end = src->text + src->len, *nl;
	char *home = url_path(URL_HOME, NULL), *desc;
	size_t next = 0, k;
	unsigned n = 1;

	desc = xasprintf("%s：印刷原样的文本，供与整理后的文章对照", ss->title);
	view_common(v, ss->title, desc, NULL);
	view_crumb(v, trail, "首页", home);
	view_crumb(v, trail, ss->title, NULL);
	val_set(v->arena, v->root, "breadcrumb", trail);
	val_set(v->arena, m, "title", view_text(v, ss->title));
	val_set(v->arena, m, "name", view_text(v, src->name));
	val_set(v->arena, m, "text", view_href(v, ss->text_path));
	for (k = 0; k < ss->articles.count; k++) {
		a = &s->articles[ss->articles.items[k]];
		item = view_neighbour(v, ss->articles.items[k]);
		val_set(v->arena, item, "line", view_source_line(v, a));
		val_push(v->arena, contents, item);
	}
	for (; p < end; n++) {
		nl = memchr(p, '\n', (size_t)(end - p));
		line = val_map(v->arena);
		val_set(v->arena, line, "number", val_stringf(v->arena, "%u",
		    n));
		val_set(v->arena, line, "text", val_string(v->arena, p,
		    (size_t)((nl ? nl : end) - p)));
		starts = val_list(v->arena);
		while (next < ss->articles.count && (a = &s->articles[
		    ss->articles.items[next]])->src->source_line <= n) {
			val_push(v->arena, starts, view_neighbour(v,
			    ss->articles.items[next]));
			next++;
		}
		val_set(v->arena, line, "articles", starts);
		val_push(v->arena, lines, line);
		p = nl ? nl + 1 : end;
	}
	val_set(v->arena, m, "lines", lines);
	val_set(v->arena, m, "articles", contents);
	val_set(v->arena, v->root, "source", m);
	free(home);
	free(desc);
}
