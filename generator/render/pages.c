#include "pages.h"

#include <cmark.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "../model/related.h"
#include "../model/url.h"
#include "../util/buf.h"
#include "../util/href.h"
#include "../util/pool.h"
#include "../util/prose.h"
#include "../util/ser.h"
#include "../util/xalloc.h"
#include "body.h"
#include "feeds.h"
#include "home.h"
#include "paging.h"
#include "view.h"

typedef void build_fn(struct view *v, size_t index);

static void build_home(struct view *v, size_t index);
static void build_toc(struct view *v, size_t index);
static void build_article(struct view *v, size_t index);
static void build_district_index(struct view *v, size_t index);
static void build_district(struct view *v, size_t index);
static void build_city(struct view *v, size_t index);
static void build_province(struct view *v, size_t index);
static void build_authors(struct view *v, size_t index);
static void build_theme_index(struct view *v, size_t index);
static void build_theme(struct view *v, size_t index);
static void build_search(struct view *v, size_t index);
static void build_not_found(struct view *v, size_t index);
static void build_source(struct view *v, size_t index);

static const struct {
	const char *template;
	build_fn *build;
} kinds[PAGE_KINDS] = {
	[PAGE_HOME] = { "home", build_home },
	[PAGE_TOC] = { "toc", build_toc },
	[PAGE_ARTICLE] = { "article", build_article },
	[PAGE_DISTRICT_INDEX] = { "districts", build_district_index },
	[PAGE_DISTRICT] = { "district", build_district },
	[PAGE_CITY] = { "city", build_city },
	[PAGE_PROVINCE] = { "province", build_province },
	[PAGE_AUTHORS] = { "authors", build_authors },
	[PAGE_THEME_INDEX] = { "themes", build_theme_index },
	[PAGE_THEME] = { "theme", build_theme },
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
 * A link to line of source page ss: "…/sources/NAME/index.html#L12"; to
 * the page when it has no such line, of which the build warned.
 */
static struct val *
line_link(struct view *v, const struct site_source *ss, unsigned line)
{
	if (line == 0 || line > ss->nlines)
		return view_link(v, ss->href);
	return val_stringf(v->arena, "%s%s#L%u", v->up, ss->href, line);
}

/* The line a starts on, null when unknown or past its page's end. */
static struct val *
source_line(struct view *v, const struct site_article *a)
{
	unsigned line = a->src->source_line;

	if (line == 0 || (a->source != SITE_NONE &&
	    line > v->site->sources[a->source].nlines))
		return val_null(v->arena);
	return val_stringf(v->arena, "%u", line);
}

/*
 * What the article says of where it was printed: the page's name for
 * readers, a link to its first line there, and the collation note,
 * each note linked to the line it speaks of.  Null keys when there is
 * no page or no note.
 */
static void
article_provenance(struct view *v, const struct site_article *a,
    struct val *m)
{
	const struct site_source *ss = a->source == SITE_NONE ? NULL :
	    &v->site->sources[a->source];
	const struct article *src = a->src;
	struct val *page = val_null(v->arena), *notes, *note, *collation;
	size_t k;

	if (ss != NULL) {
		page = val_map(v->arena);
		val_set(v->arena, page, "title", view_text(v, ss->title));
		val_set(v->arena, page, "href", line_link(v, ss,
		    src->source_line));
		val_set(v->arena, page, "text", view_href(v, ss->text_path));
	}
	val_set(v->arena, m, "printed", page);
	if (src->nnotes == 0) {
		val_set(v->arena, m, "collation", val_null(v->arena));
		return;
	}
	notes = val_list(v->arena);
	for (k = 0; k < src->nnotes; k++) {
		note = val_map(v->arena);
		val_set(v->arena, note, "text", view_text(v,
		    src->notes[k].text));
		val_set(v->arena, note, "line", src->notes[k].line == 0 ?
		    val_null(v->arena) : val_stringf(v->arena, "%u",
		    src->notes[k].line));
		val_set(v->arena, note, "href", ss == NULL ||
		    src->notes[k].line == 0 ? val_null(v->arena) :
		    line_link(v, ss, src->notes[k].line));
		val_push(v->arena, notes, note);
	}
	collation = val_map(v->arena);
	val_set(v->arena, collation, "notes", notes);
	val_set(v->arena, collation, "count", val_stringf(v->arena, "%zu",
	    src->nnotes));
	/*
	 * The note explains the mark only where the body has one.  A
	 * fingerprint view may have no body: the article's hash stands in.
	 */
	val_set(v->arena, collation, "lacuna", val_bool(v->arena,
	    src->body != NULL && memmem(src->body, src->body_len,
	    PROSE_LACUNA, sizeof(PROSE_LACUNA) - 1) != NULL));
	val_set(v->arena, m, "collation", collation);
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

/* "2,900": n with a comma between each three digits. */
static void
put_grouped(struct buf *b, size_t n)
{
	if (n >= 1000) {
		put_grouped(b, n / 1000);
		buf_printf(b, ",%03zu", n % 1000);
	} else
		buf_printf(b, "%zu", n);
}

/*
 * Characters a reader of Chinese takes in a minute, for the reading
 * time: about 500 by the usual measures of reading speed.
 */
#define CHARS_PER_MINUTE 500

/*
 * The body as HTML with anchored headings; with three headings or more,
 * a contents box; and the length, rounded to a hundred characters, with
 * the reading time in whole minutes.
 */
static void
add_body(struct view *v, struct val *m, const struct article *a)
{
	struct body b;
	struct val *contents = val_list(v->arena), *h;
	struct buf len = BUF_INIT;
	size_t k, hundreds;

	body_render(a->body, a->body_len, a->nnotes > 0, &b);
	val_set(v->arena, m, "body", val_string(v->arena, b.html,
	    b.html_len));
	for (k = 0; b.nheadings >= 3 && k < b.nheadings; k++) {
		h = val_map(v->arena);
		val_set_str(v->arena, h, "id", b.headings[k].id);
		val_set_str(v->arena, h, "text", b.headings[k].text);
		val_set_bool(v->arena, h, "sub", b.headings[k].level > 2);
		val_push(v->arena, contents, h);
	}
	val_set(v->arena, m, "contents", b.nheadings >= 3 ? contents :
	    val_null(v->arena));
	hundreds = (b.chars + 50) / 100;
	buf_puts(&len, "约 ");
	put_grouped(&len, (hundreds ? hundreds : 1) * 100);
	buf_printf(&len, " 字 · 阅读约 %zu 分钟",
	    (b.chars + CHARS_PER_MINUTE - 1) / CHARS_PER_MINUTE ?
	    (b.chars + CHARS_PER_MINUTE - 1) / CHARS_PER_MINUTE : 1);
	val_set(v->arena, m, "length", val_string(v->arena, len.data,
	    len.len));
	buf_free(&len);
	body_free(&b);
}

/* 首页 › province › city › district, each a link; the place's own last. */
static void
place_trail(struct view *v, size_t province, size_t city, size_t district,
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

static struct val *
neighbour(struct view *v, size_t i)
{
	const struct site_article *a = &v->site->articles[i];
	struct val *m = val_map(v->arena);

	val_set(v->arena, m, "title", view_text(v, a->src->title));
	val_set(v->arena, m, "href", view_link(v, a->href));
	val_set(v->arena, m, "place", view_place(v, a));
	return m;
}

/* A way on from the article: its label's words, and where it leads. */
struct way {
	const char *before, *name, *after;
	const char *again;	/* before the name after one of its kind */
	const struct site_pager *pg;
	bool	 taken;		/* into a row already */
};

/* Appends w's words to the label of a row, after those of last. */
static void
way_label(struct buf *label, const struct way *w, const struct way *last)
{
	if (last != NULL && last->again != NULL && last->before == w->before)
		buf_puts(label, w->again);
	else {
		if (last != NULL)
			buf_puts(label, "\u00A0· ");
		buf_puts(label, w->before);
	}
	buf_puts(label, w->name);
	buf_puts(label, w->after);
}

/*
 * A row of the ways on: the label, and the articles before and after
 * along ways[first] and the ways after it that lead to the same two,
 * which it names too (主题「疫情防控」「志愿服务」), so that a pair of
 * titles is shown once.
 */
static void
add_way(struct view *v, struct val *rows, struct way *ways, size_t n,
    size_t first)
{
	const struct site_pager *pg = ways[first].pg;
	const struct way *last = NULL;
	struct buf label = BUF_INIT;
	struct val *m;
	size_t k;

	for (k = first; k < n; k++) {
		if (ways[k].taken || ways[k].pg->prev != pg->prev ||
		    ways[k].pg->next != pg->next)
			continue;
		way_label(&label, &ways[k], last);
		ways[k].taken = true;
		last = &ways[k];
	}
	m = val_map(v->arena);
	val_set(v->arena, m, "label", val_string(v->arena, buf_str(&label),
	    label.len));
	val_set(v->arena, m, "prev", pg->prev == SITE_NONE ?
	    val_null(v->arena) : neighbour(v, pg->prev));
	val_set(v->arena, m, "next", pg->next == SITE_NONE ?
	    val_null(v->arena) : neighbour(v, pg->next));
	val_push(v->arena, rows, m);
	buf_free(&label);
}

/*
 * The ways on from an article: within its district, its series and each
 * of its themes, each labelled, so a reader who came by one of them
 * goes on along it.
 */
static struct val *
article_ways(struct view *v, const struct site_article *a)
{
	static const char theme[] = "主题「";
	const struct site *s = v->site;
	struct val *rows = val_list(v->arena);
	struct way *ways = xcalloc(a->themes.count + 2, sizeof(*ways));
	size_t n = 0, k;

	if (a->district != SITE_NONE)
		ways[n++] = (struct way){ "同在", s->districts[a->district].name,
		    "", NULL, &a->in_district, false };
	if (a->src->series != NULL)
		ways[n++] = (struct way){ "系列「", a->src->series, "」", NULL,
		    &a->in_series, false };
	for (k = 0; k < a->themes.count; k++)
		ways[n++] = (struct way){ theme,
		    s->themes[a->themes.items[k]].def->name, "」", "「",
		    &a->in_themes[k], false };
	for (k = 0; k < n; k++)
		if (!ways[k].taken && (ways[k].pg->prev != SITE_NONE ||
		    ways[k].pg->next != SITE_NONE))
			add_way(v, rows, ways, n, k);
	free(ways);
	return rows;
}

/* Why article b is related to a (model/related.c says it). */
static struct val *
related_reason(struct view *v, const struct site_article *a,
    const struct site_article *b)
{
	struct buf why = BUF_INIT;
	struct val *text;

	related_why(v->site, a, b, &why);
	text = val_string(v->arena, buf_str(&why), why.len);
	buf_free(&why);
	return text;
}

/*
 * A related article as a line: title, place, author (and why, which the
 * caller adds); in a fingerprint view, its card's hash stands for them.
 */
static struct val *
related_entry(struct view *v, size_t i)
{
	const struct site_article *a = &v->site->articles[i];
	struct val *m = val_map(v->arena);

	if (v->hashes != NULL) {
		val_set(v->arena, m, "card", view_stand_in(v,
		    v->hashes->cards[i]));
		return m;
	}
	val_set(v->arena, m, "title", view_text(v, a->src->title));
	val_set(v->arena, m, "href", view_link(v, a->href));
	val_set(v->arena, m, "place", view_place(v, a));
	val_set(v->arena, m, "author", view_text(v, a->src->author));
	return m;
}

/* The link to the author's entry in the index of authors. */
static struct val *
author_link(struct view *v, size_t author)
{
	char *first = url_path(URL_AUTHORS, NULL), *path;
	struct buf href = BUF_INIT, anchor = BUF_INIT;
	struct val *link;

	path = url_part(first, paging_part_of(author, PAGING_ROWS));
	if (v->absolute)
		href_absolute(&href, v->site->config.base_url, path);
	else
		href_relative(&href, v->path, path);
	buf_putc(&href, '#');
	view_author_anchor(v->site, author, &anchor);
	href_encode(&href, anchor.data, anchor.len);
	buf_free(&anchor);
	link = val_string(v->arena, buf_str(&href), href.len);
	buf_free(&href);
	free(first);
	free(path);
	return link;
}

static void
build_article(struct view *v, size_t index)
{
	const struct site *s = v->site;
	const struct site_article *a = &s->articles[index];
	struct val *m = view_card(v, index), *related = val_list(v->arena);
	struct val *card;
	size_t k;

	view_common(v, a->src->title, a->summary, NULL);
	place_trail(v, a->province, a->city, a->district, true);
	if (v->hashes == NULL)
		add_body(v, m, a->src);
	/* Every key set, null when absent; see view_district_link. */
	val_set(v->arena, m, "date", view_text(v, a->date));
	article_provenance(v, a, m);
	val_set(v->arena, m, "district", a->district == SITE_NONE ?
	    val_null(v->arena) : view_district_link(v, a->district));
	val_set(v->arena, m, "author_href", a->author == SITE_NONE ?
	    val_null(v->arena) : author_link(v, a->author));
	val_set(v->arena, m, "source_file", view_text(v, a->src->source_file));
	val_set(v->arena, m, "source_line", source_line(v, a));
	for (k = 0; k < a->nrelated; k++) {
		card = related_entry(v, a->related[k]);
		val_set(v->arena, card, "why", related_reason(v, a,
		    &s->articles[a->related[k]]));
		val_push(v->arena, related, card);
	}
	val_set(v->arena, m, "related", related);
	val_set(v->arena, m, "ways", article_ways(v, a));
	val_set(v->arena, m, "prev", a->prev == SITE_NONE ?
	    val_null(v->arena) : neighbour(v, a->prev));
	val_set(v->arena, m, "next", a->next == SITE_NONE ?
	    val_null(v->arena) : neighbour(v, a->next));
	val_set(v->arena, m, "series_note", a->note == SITE_NONE ?
	    val_null(v->arena) : neighbour(v, a->note));
	val_set(v->arena, m, "members", view_cards(v, &a->members));
	val_set(v->arena, v->root, "article", m);
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

static void
build_district(struct view *v, size_t index)
{
	const struct site *s = v->site;
	const struct site_district *d = &s->districts[index];
	const struct site_province *p = &s->provinces[d->province];
	struct val *themes = val_list(v->arena);
	struct val *m = view_district_link(v, index);
	char *name, *title, *desc;
	size_t t, from, to;

	name = xasprintf("%s%s", d->city ? d->city : "", d->name);
	title = part_title(v, name);
	desc = xasprintf("%s%s%s的城市基层党建文章", p->name,
	    d->city ? d->city : "", d->name);
	view_common(v, title, desc, "districts");
	place_trail(v, d->province, d->city_index, index, v->part > 1);
	val_set(v->arena, m, "province", view_province_link(v, d->province));
	val_set(v->arena, m, "city_link", d->city_index == SITE_NONE ?
	    val_null(v->arena) : view_city_link(v, d->city_index));
	paging_range(d->articles.count, PAGING_LISTED, v->part, &from, &to);
	val_set(v->arena, m, "articles", view_cards_range(v, &d->articles,
	    from, to));
	pagination(v, d->path, d->articles.count, PAGING_LISTED);
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
static void
build_city(struct view *v, size_t index)
{
	const struct site *s = v->site;
	const struct site_city *c = &s->cities[index];
	const struct site_province *p = &s->provinces[c->province];
	struct val *m = view_city_link(v, index), *groups, *rows = NULL;
	char *title = part_title(v, c->name), *desc;
	size_t k, i, from, to, district = SITE_NONE;

	desc = xasprintf("%s%s各区县的城市基层党建文章", p->name, c->name);
	view_common(v, title, desc, "districts");
	place_trail(v, c->province, index, SITE_NONE, v->part > 1);
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

static void
build_province(struct view *v, size_t index)
{
	const struct site_province *p = &v->site->provinces[index];
	struct val *trail = val_list(v->arena), *m;
	char *home = url_path(URL_HOME, NULL), *desc, *title = part_title(v,
	    p->name);
	size_t from, to;

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
	paging_range(p->articles.count, PAGING_LISTED, v->part, &from, &to);
	val_set(v->arena, m, "articles", view_cards_range(v, &p->articles,
	    from, to));
	pagination(v, p->path, p->articles.count, PAGING_LISTED);
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
static void
build_toc(struct view *v, size_t index)
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
static void
build_authors(struct view *v, size_t index)
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

static void
build_theme_index(struct view *v, size_t index)
{
	(void)index;
	view_common(v, "全部主题", "城市基层党建文章的主题分类", "themes");
	val_set(v->arena, v->root, "themes", theme_list(v));
}

static void
build_theme(struct view *v, size_t index)
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
		item = neighbour(v, ss->articles.items[k]);
		val_set(v->arena, item, "line", source_line(v, a));
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
			val_push(v->arena, starts, neighbour(v,
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
