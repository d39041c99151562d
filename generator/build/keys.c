#include "keys.h"

#include <stdlib.h>
#include <xxhash.h>

#include "../render/paging.h"
#include "../util/buf.h"
#include "../util/pool.h"
#include "../util/ser.h"
#include "../util/xalloc.h"

/* The records of util/ser.h: no two sequences serialise alike. */
static void
put_ids(struct buf *b, const struct idlist *l)
{
	ser_u64(b, l->count);
	buf_append(b, l->items, l->count * sizeof(*l->items));
}

static void
put_config(struct buf *b, const struct site *s)
{
	ser_str(b, s->config.title);
	ser_str(b, s->config.base_url);
	ser_str(b, s->config.language);
	ser_str(b, s->config.description);
	ser_str(b, s->config.published);
	ser_u64(b, s->themes_hash);
	ser_u64(b, s->narticles);
	ser_u64(b, s->nnotes);
	ser_u64(b, s->nauthors);
}

static void
put_places(struct buf *b, const struct site *s)
{
	const struct site_district *d;
	const struct site_province *p;
	size_t i;

	for (i = 0; i < s->ndistricts; i++) {
		d = &s->districts[i];
		ser_str(b, d->name);
		ser_str(b, d->city);
		ser_str(b, d->path);
		ser_str(b, d->href);
		ser_u64(b, d->province);
		ser_u64(b, d->city_index);
		put_ids(b, &d->articles);
		put_ids(b, &d->themes);
	}
	for (i = 0; i < s->ncities; i++) {
		ser_str(b, s->cities[i].name);
		ser_str(b, s->cities[i].path);
		ser_str(b, s->cities[i].href);
		ser_u64(b, s->cities[i].province);
		put_ids(b, &s->cities[i].districts);
		put_ids(b, &s->cities[i].articles);
	}
	for (i = 0; i < s->nprovinces; i++) {
		p = &s->provinces[i];
		ser_str(b, p->name);
		ser_str(b, p->path);
		ser_str(b, p->href);
		ser_u64(b, p->rank);
		put_ids(b, &p->districts);
		put_ids(b, &p->articles);
		ser_u64(b, p->notes);
		put_ids(b, &p->cities);
	}
}

static void
put_themes(struct buf *b, const struct site *s)
{
	const struct site_theme *t;
	size_t i;

	for (i = 0; i < s->nthemes; i++) {
		t = &s->themes[i];
		ser_str(b, t->def->slug);
		ser_str(b, t->def->name);
		ser_str(b, t->def->description);
		ser_str(b, t->path);
		ser_str(b, t->href);
		ser_str(b, t->feed_path);
		put_ids(b, &t->articles);
		put_ids(b, &t->provinces);
	}
}

/*
 * The key of article i, for k->articles: its source, card, entry, place
 * in the site and the articles it points to.  b is the caller's.
 */
static uint64_t
article_key(const struct site *s, size_t i, const struct view_hashes *h,
    struct buf *b)
{
	const struct site_article *a = &s->articles[i];

	buf_truncate(b, 0);
	ser_u64(b, i);
	ser_u64(b, a->src->hash);
	ser_u64(b, h->cards[i]);
	ser_u64(b, h->entries[i]);
	ser_str(b, a->path);
	ser_u64(b, a->district);
	ser_u64(b, a->province);
	put_ids(b, &a->themes);
	ser_u64(b, a->nrelated);
	buf_append(b, a->related, a->nrelated * sizeof(*a->related));
	ser_u64(b, a->prev);
	ser_u64(b, a->next);
	ser_u64(b, a->in_district.prev);
	ser_u64(b, a->in_district.next);
	ser_u64(b, a->in_series.prev);
	ser_u64(b, a->in_series.next);
	buf_append(b, a->in_themes, a->themes.count * sizeof(*a->in_themes));
	ser_u64(b, a->note);
	put_ids(b, &a->members);
	/*
	 * The page it was printed on, by name and address, and its length,
	 * which decides whether the lines the article names are linked.
	 */
	ser_str(b, a->date);
	ser_u64(b, a->source);
	if (a->source != SITE_NONE) {
		ser_str(b, s->sources[a->source].title);
		ser_str(b, s->sources[a->source].href);
		ser_u64(b, s->sources[a->source].nlines);
	}
	ser_u64(b, a->city);
	/*
	 * The byline links to its entry: the page it is on, and its id, which
	 * the author's name (in the card) and district (in global) make.
	 */
	ser_u64(b, a->author == SITE_NONE ? 0 :
	    paging_part_of(a->author, PAGING_ROWS));
	ser_u64(b, a->author == SITE_NONE ? SITE_NONE :
	    s->authors[a->author].district);
	return XXH3_64bits(b->data, b->len);
}

/*
 * Articles a worker takes at a time: a key is quick to make, and one
 * article at a time would have the workers take turns at the pool's
 * counter and at the cache lines of the keys they write.
 */
#define KEYS_BLOCK	64

struct keys_job {
	const struct site *site;
	const struct view_hashes *hashes;
	struct keys *keys;
	struct buf *scratch;		/* per worker */
};

static void
key_articles(void *arg, size_t worker, size_t block)
{
	struct keys_job *job = arg;
	size_t i = block * KEYS_BLOCK, end = i + KEYS_BLOCK;

	if (end > job->site->narticles)
		end = job->site->narticles;
	for (; i < end; i++)
		job->keys->articles[i] = article_key(job->site, i, job->hashes,
		    &job->scratch[worker]);
}

void
keys_compute(const struct site *s, const struct view_hashes *h,
    size_t threads, struct keys *k)
{
	size_t n = pool_threads(threads), i;
	struct keys_job job = { s, h, k, xcalloc(n, sizeof(*job.scratch)) };
	struct buf b = BUF_INIT;

	k->articles = xcalloc(s->narticles + 1, sizeof(*k->articles));
	pool_for(n, (s->narticles + KEYS_BLOCK - 1) / KEYS_BLOCK,
	    key_articles, &job);
	for (i = 0; i < n; i++)
		buf_free(&job.scratch[i]);
	free(job.scratch);
	put_config(&b, s);
	put_places(&b, s);
	put_themes(&b, s);
	k->global = XXH3_64bits(b.data, b.len);
	buf_truncate(&b, 0);
	for (i = 0; i < s->narticles; i++) {
		ser_str(&b, s->articles[i].path);
		ser_str(&b, s->articles[i].date);
	}
	for (i = 0; i < s->nsources; i++) {
		ser_str(&b, s->sources[i].path);
		ser_str(&b, s->sources[i].src->date);
	}
	k->paths = XXH3_64bits(b.data, b.len);
	k->entries_all = XXH3_64bits(h->entries,
	    s->narticles * sizeof(*h->entries));
	buf_free(&b);
}

void
keys_free(struct keys *k)
{
	free(k->articles);
	k->articles = NULL;
}

/* The cards of the articles a pager leads to. */
static void
put_pager(struct buf *b, const struct site_pager *pg,
    const struct view_hashes *h)
{
	ser_u64(b, pg->prev == SITE_NONE ? 0 : h->cards[pg->prev]);
	ser_u64(b, pg->next == SITE_NONE ? 0 : h->cards[pg->next]);
}

/* The cards an article's page shows besides its own. */
static void
put_article_page(struct buf *b, const struct site *s, size_t i,
    const struct view_hashes *h, const struct keys *keys)
{
	const struct site_article *a = &s->articles[i];
	size_t k;

	ser_u64(b, keys->articles[i]);
	for (k = 0; k < a->nrelated; k++)
		ser_u64(b, h->cards[a->related[k]]);
	if (a->prev != SITE_NONE)
		ser_u64(b, h->cards[a->prev]);
	if (a->next != SITE_NONE)
		ser_u64(b, h->cards[a->next]);
	if (a->note != SITE_NONE)
		ser_u64(b, h->cards[a->note]);
	for (k = 0; k < a->members.count; k++)
		ser_u64(b, h->cards[a->members.items[k]]);
	put_pager(b, &a->in_district, h);
	put_pager(b, &a->in_series, h);
	for (k = 0; k < a->themes.count; k++)
		put_pager(b, &a->in_themes[k], h);
}

/*
 * The rows of a page of the table of contents: the cards' fields, and
 * whether each row's province has cities, which heads the districts
 * directly under it.
 */
static void
put_toc_page(struct buf *b, const struct site *s, size_t part,
    const struct view_hashes *h)
{
	const struct site_article *a;
	size_t from, to, i;

	paging_range(s->narticles, PAGING_ROWS, part, &from, &to);
	for (i = from; i < to; i++) {
		a = &s->articles[i];
		ser_u64(b, h->cards[i]);
		ser_u64(b, a->province != SITE_NONE &&
		    s->provinces[a->province].cities.count > 0);
	}
}

/* The entries of a page of the authors' index. */
static void
put_authors_page(struct buf *b, const struct site *s, size_t part,
    const struct view_hashes *h)
{
	const struct site_author *au;
	size_t from, to, i, k;

	paging_range(s->nauthors, PAGING_ROWS, part, &from, &to);
	for (i = from; i < to; i++) {
		au = &s->authors[i];
		ser_u64(b, au->district);
		ser_u64(b, au->province);
		ser_u64(b, au->count);
		for (k = au->first; k != SITE_NONE;
		    k = s->articles[k].author_next) {
			ser_u64(b, k);
			ser_u64(b, h->cards[k]);
		}
	}
}

/*
 * The cards of a listing's page; a theme's also quote each article's
 * passage, which its source and the themes (in global) decide.
 */
static void
put_listing_page(struct buf *b, const struct idlist *l, size_t per,
    size_t part, bool passages, const struct site *s,
    const struct view_hashes *h)
{
	size_t from, to, k;

	paging_range(l->count, per, part, &from, &to);
	for (k = from; k < to; k++) {
		ser_u64(b, h->cards[l->items[k]]);
		if (passages)
			ser_u64(b, s->articles[l->items[k]].src->hash);
	}
}

/* A raw page: its text and name, and where each article on it starts. */
static void
put_source_page(struct buf *b, const struct site *s, size_t i,
    const struct view_hashes *h)
{
	const struct site_source *ss = &s->sources[i];
	size_t k, a;

	ser_u64(b, ss->src->hash);
	ser_str(b, ss->title);
	for (k = 0; k < ss->articles.count; k++) {
		a = ss->articles.items[k];
		ser_u64(b, h->cards[a]);
		ser_u64(b, s->articles[a].src->source_line);
	}
}

/* What page p is made from, hashed, or 0 for a page that has no key. */
static uint64_t
page_inputs(const struct site *s, const struct page *p,
    const struct view_hashes *h, const struct keys *keys)
{
	struct buf b = BUF_INIT;
	uint64_t key;
	size_t k;

	ser_u64(&b, keys->global);
	ser_u64(&b, p->kind);
	ser_u64(&b, p->index);
	ser_u64(&b, p->part);
	switch (p->kind) {
	case PAGE_ARTICLE:
		put_article_page(&b, s, p->index, h, keys);
		break;
	case PAGE_DISTRICT:
		put_listing_page(&b, &s->districts[p->index].articles,
		    PAGING_LISTED, p->part, false, s, h);
		break;
	case PAGE_CITY:
		put_listing_page(&b, &s->cities[p->index].articles,
		    PAGING_ROWS, p->part, false, s, h);
		break;
	case PAGE_TOC:
		put_toc_page(&b, s, p->part, h);
		break;
	case PAGE_AUTHORS:
		put_authors_page(&b, s, p->part, h);
		break;
	case PAGE_PROVINCE:
		put_listing_page(&b, &s->provinces[p->index].articles,
		    PAGING_LISTED, p->part, false, s, h);
		break;
	case PAGE_THEME:
		put_listing_page(&b, &s->themes[p->index].articles,
		    PAGING_LISTED, p->part, true, s, h);
		break;
	case PAGE_FEED:
		ser_u64(&b, keys->entries_all);
		break;
	case PAGE_THEME_FEED:
		for (k = 0; k < s->themes[p->index].articles.count; k++)
			ser_u64(&b, h->entries[
			    s->themes[p->index].articles.items[k]]);
		break;
	case PAGE_SITEMAP:
		ser_u64(&b, keys->paths);
		for (k = 0; k < s->nsources; k++)
			ser_str(&b, s->sources[k].path);
		break;
	case PAGE_SOURCE:
		put_source_page(&b, s, p->index, h);
		break;
	case PAGE_HOME:
	case PAGE_DISTRICT_INDEX:
	case PAGE_THEME_INDEX:
	case PAGE_SEARCH:
	case PAGE_NOT_FOUND:
	case PAGE_ROBOTS:
		/* Places, themes and settings: all in global. */
		break;
	default:
		buf_free(&b);
		return 0;
	}
	key = XXH3_64bits(b.data, b.len);
	buf_free(&b);
	return key == 0 ? 1 : key;
}

uint64_t
keys_page(const struct site *s, const struct page *p,
    const struct view_hashes *h, const struct keys *k, uint64_t made_by)
{
	uint64_t key = page_inputs(s, p, h, k);

	if (key == 0)
		return 0;
	key ^= made_by * 0x9E3779B97F4A7C15ULL;
	return key == 0 ? 1 : key;
}

uint64_t
keys_fingerprint(const struct site *s, const struct page *p,
    const struct val *view, uint64_t made_by, struct buf *scratch)
{
	/* Mixed before and after, so no two parts can cancel out. */
	uint64_t seed = made_by * 0x9E3779B97F4A7C15ULL +
	    pages_source_hash(s, p);

	return val_hash(view, seed, scratch);
}
