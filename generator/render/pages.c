#include "pages.h"

#include <cmark.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "../model/url.h"
#include "../util/pool.h"
#include "../util/prose.h"
#include "../util/ser.h"
#include "../util/xalloc.h"
#include "feeds.h"
#include "home.h"
#include "keys.h"
#include "view.h"

typedef void build_fn(struct view *v, size_t index);

static void build_home(struct view *v, size_t index);
static void build_article(struct view *v, size_t index);
static void build_district_index(struct view *v, size_t index);
static void build_district(struct view *v, size_t index);
static void build_province(struct view *v, size_t index);
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
	[PAGE_ARTICLE] = { "article", build_article },
	[PAGE_DISTRICT_INDEX] = { "districts", build_district_index },
	[PAGE_DISTRICT] = { "district", build_district },
	[PAGE_PROVINCE] = { "province", build_province },
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
	"home", "article", "districts", "district", "province", "themes",
	"theme", "search", "404", "feed", "sitemap", "robots", "source", NULL,
};

const char *
pages_template(enum page_kind k)
{
	return kinds[k].template;
}

size_t
pages_parts(size_t n)
{
	return n == 0 ? 1 : (n + PAGES_LISTED - 1) / PAGES_LISTED;
}

/* The articles a page of kind k lists, or NULL if it is no listing. */
static const struct idlist *
listed(const struct site *s, enum page_kind k, size_t index)
{
	switch (k) {
	case PAGE_DISTRICT:
		return &s->districts[index].articles;
	case PAGE_PROVINCE:
		return &s->provinces[index].articles;
	case PAGE_THEME:
		return &s->themes[index].articles;
	default:
		return NULL;
	}
}

static void
add_pages(const struct site *s, struct page **pages, size_t *n,
    enum page_kind kind, size_t count)
{
	const struct idlist *l;
	size_t i, part, parts;

	for (i = 0; i < count; i++) {
		l = listed(s, kind, i);
		parts = l != NULL ? pages_parts(l->count) : 1;
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
	add_pages(s, pages, &n, PAGE_ARTICLE, s->narticles);
	add_pages(s, pages, &n, PAGE_DISTRICT_INDEX, 1);
	add_pages(s, pages, &n, PAGE_DISTRICT, s->ndistricts);
	add_pages(s, pages, &n, PAGE_PROVINCE, s->nprovinces);
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

char *
pages_path(const struct site *s, const struct page *p)
{
	static const enum url_kind singles[PAGE_KINDS] = {
		[PAGE_HOME] = URL_HOME,
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
		job->hashes->articles[i] = keys_article(job->site, i,
		    job->hashes, b);
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
	h->articles = xcalloc(s->narticles + 1, sizeof(*h->articles));
	for (i = 0; i < s->nthemes; i++)
		job.themes[i] = view_theme_hash(s, i, &job.scratch[0]);
	pool_for(n, (s->narticles + HASH_BLOCK - 1) / HASH_BLOCK,
	    hash_articles, &job);
	keys_compute(s, h);
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
	free(h->articles);
	h->cards = h->entries = h->articles = NULL;
}

/*
 * Splits the text node t at each lacuna mark, which becomes a span a
 * reader sees and a screen reader names.  cmark writes a custom inline
 * node's on_enter and on_exit as they are.
 */
static void
mark_lacunae(cmark_node *t)
{
	static const size_t n = sizeof(PROSE_LACUNA) - 1;
	const char *text = cmark_node_get_literal(t), *at;
	cmark_node *before, *mark, *inner;
	char *rest;

	while (text != NULL && (at = strstr(text, PROSE_LACUNA)) != NULL) {
		before = cmark_node_new(CMARK_NODE_TEXT);
		rest = xstrndup(text, (size_t)(at - text));
		cmark_node_set_literal(before, rest);
		free(rest);
		cmark_node_insert_before(t, before);
		mark = cmark_node_new(CMARK_NODE_CUSTOM_INLINE);
		cmark_node_set_on_enter(mark, "<span class=\"lacuna\" "
		    "title=\"印刷原文此处有文字缺失，见文末校勘记\">");
		cmark_node_set_on_exit(mark, "</span>");
		inner = cmark_node_new(CMARK_NODE_TEXT);
		cmark_node_set_literal(inner, PROSE_LACUNA);
		cmark_node_append_child(mark, inner);
		cmark_node_insert_before(t, mark);
		rest = xstrdup(at + n);
		cmark_node_set_literal(t, rest);
		free(rest);
		text = cmark_node_get_literal(t);
	}
}

/* Markdown to HTML; raw HTML in content is not passed through. */
static struct val *
body_html(struct view *v, const struct article *a)
{
	cmark_node *doc = cmark_parse_document(a->body, a->body_len,
	    CMARK_OPT_DEFAULT), *node;
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	char *html;
	struct val *s;
	bool marked = memmem(a->body, a->body_len, PROSE_LACUNA,
	    sizeof(PROSE_LACUNA) - 1) != NULL;

	while (marked && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		node = cmark_iter_get_node(it);
		if (ev == CMARK_EVENT_ENTER &&
		    cmark_node_get_type(node) == CMARK_NODE_TEXT)
			mark_lacunae(node);
	}
	cmark_iter_free(it);
	html = cmark_render_html(doc, CMARK_OPT_DEFAULT);
	s = val_cstring(v->arena, html);
	cmark_node_free(doc);
	free(html);
	return s;
}

/* A link to line of source page ss: "…/sources/NAME/index.html#L12". */
static struct val *
line_link(struct view *v, const struct site_source *ss, unsigned line)
{
	return val_stringf(v->arena, "%s%s#L%u", v->up, ss->href, line);
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
		val_set(v->arena, page, "href", src->source_line > 0 ?
		    line_link(v, ss, src->source_line) :
		    view_link(v, ss->href));
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
	val_set(v->arena, m, "collation", collation);
}

static void
article_trail(struct view *v, const struct site_article *a)
{
	struct val *trail = val_list(v->arena);
	const struct site *s = v->site;
	char *home = url_path(URL_HOME, NULL);

	view_crumb(v, trail, "首页", home);
	if (a->province != SITE_NONE)
		view_crumb(v, trail, s->provinces[a->province].name,
		    s->provinces[a->province].path);
	if (a->src->city != NULL)
		view_crumb(v, trail, a->src->city, NULL);
	if (a->district != SITE_NONE)
		view_crumb(v, trail, s->districts[a->district].name,
		    s->districts[a->district].path);
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

static void
build_article(struct view *v, size_t index)
{
	const struct site *s = v->site;
	const struct site_article *a = &s->articles[index];
	struct val *m = view_card(v, index), *related = val_list(v->arena);
	size_t k;

	view_common(v, a->src->title, a->summary, NULL);
	article_trail(v, a);
	if (v->hashes == NULL)
		val_set(v->arena, m, "body", body_html(v, a->src));
	/* Every key set, null when absent; see view_district_link. */
	val_set(v->arena, m, "date", view_text(v, a->date));
	article_provenance(v, a, m);
	val_set(v->arena, m, "district", a->district == SITE_NONE ?
	    val_null(v->arena) : view_district_link(v, a->district));
	val_set(v->arena, m, "source_file", view_text(v, a->src->source_file));
	val_set(v->arena, m, "source_line", a->src->source_line == 0 ?
	    val_null(v->arena) : val_stringf(v->arena, "%u",
	    a->src->source_line));
	for (k = 0; k < a->nrelated; k++)
		val_push(v->arena, related,
		    view_card_item(v, a->related[k], NULL));
	val_set(v->arena, m, "related", view_card_block(v, related));
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

void
pages_range(size_t n, size_t part, size_t *from, size_t *to)
{
	*from = (part - 1) * PAGES_LISTED;
	*to = *from + PAGES_LISTED < n ? *from + PAGES_LISTED : n;
	if (*from > n)
		*from = n;
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
 * Sets "pagination" for a listing of n articles whose first page is at
 * first: the pages, and the previous and next; null on a single page.
 */
static void
pagination(struct view *v, const char *first, size_t n)
{
	size_t parts = pages_parts(n), k;
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
	struct val *trail = val_list(v->arena), *themes = val_list(v->arena);
	struct val *m = view_district_link(v, index);
	char *home = url_path(URL_HOME, NULL), *name, *title, *desc;
	size_t t, from, to;

	name = xasprintf("%s%s", d->city ? d->city : "", d->name);
	title = part_title(v, name);
	desc = xasprintf("%s%s%s的城市基层党建文章", p->name,
	    d->city ? d->city : "", d->name);
	view_common(v, title, desc, "districts");
	view_crumb(v, trail, "首页", home);
	view_crumb(v, trail, p->name, p->path);
	if (d->city)
		view_crumb(v, trail, d->city, NULL);
	view_crumb(v, trail, d->name, v->part > 1 ? d->path : NULL);
	val_set(v->arena, v->root, "breadcrumb", trail);
	val_set(v->arena, m, "province", view_province_link(v, d->province));
	pages_range(d->articles.count, v->part, &from, &to);
	val_set(v->arena, m, "articles", view_cards_range(v, &d->articles,
	    from, to));
	pagination(v, d->path, d->articles.count);
	for (t = 0; t < d->themes.count; t++)
		val_push(v->arena, themes, view_theme_link(v,
		    d->themes.items[t]));
	val_set(v->arena, m, "themes", themes);
	val_set(v->arena, m, "neighbours", neighbours_in_province(v, index));
	val_set_bool(v->arena, m, "more_neighbours",
	    p->districts.count > NEIGHBOURS_SHOWN + 1);
	val_set(v->arena, v->root, "district", m);
	free(home);
	free(name);
	free(title);
	free(desc);
}

/* A group of districts named city; returns its list of districts. */
static struct val *
city_group(struct view *v, struct val **group, const char *city)
{
	struct val *districts = val_list(v->arena);

	*group = val_map(v->arena);
	val_set_str(v->arena, *group, "city", city);
	val_set(v->arena, *group, "districts", districts);
	return districts;
}

/*
 * The province's districts grouped by city, and last those directly under
 * it.  Site order keeps a city's districts together: one pass.
 */
static struct val *
city_groups(struct view *v, const struct site_province *p)
{
	const struct site *s = v->site;
	struct val *groups = val_list(v->arena), *group, *direct_group = NULL;
	struct val *list = NULL, *direct = NULL;
	const struct site_district *d;
	const char *city = NULL;
	size_t k;

	for (k = 0; k < p->districts.count; k++) {
		d = &s->districts[p->districts.items[k]];
		if (d->city == NULL) {
			if (direct == NULL)
				direct = city_group(v, &direct_group, "省直辖");
			val_push(v->arena, direct, view_district_link(v,
			    p->districts.items[k]));
			continue;
		}
		if (city == NULL || strcmp(city, d->city) != 0) {
			city = d->city;
			list = city_group(v, &group, city);
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
	val_set(v->arena, m, "cities", city_groups(v, p));
	pages_range(p->articles.count, v->part, &from, &to);
	val_set(v->arena, m, "articles", view_cards_range(v, &p->articles,
	    from, to));
	pagination(v, p->path, p->articles.count);
	val_set(v->arena, m, "district_count", val_stringf(v->arena, "%zu",
	    p->districts.count));
	val_set(v->arena, v->root, "province", m);
	free(home);
	free(title);
	free(desc);
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
	pages_range(t->articles.count, v->part, &from, &to);
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
	pagination(v, t->path, t->articles.count);
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
		val_set(v->arena, item, "line", val_stringf(v->arena, "%u",
		    a->src->source_line));
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
