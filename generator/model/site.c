#include "site.h"

#include <stdlib.h>
#include <string.h>

#include "../util/buf.h"
#include "../util/pool.h"
#include "../util/strmap.h"
#include "../util/suggest.h"
#include "../util/xalloc.h"
#include "places.h"
#include "related.h"
#include "text.h"
#include "url.h"

/* The output path as links spell it; caller frees. */
static char *
encoded(const char *path)
{
	struct buf b = BUF_INIT;

	url_encode_path(&b, path, strlen(path));
	return buf_detach(&b);
}

static char *
place_of(const struct article *a)
{
	if (a->province == NULL)
		return xstrdup("");
	if (a->district == NULL)
		return xstrdup(a->province);
	if (a->city == NULL)
		return xasprintf("%s %s", a->province, a->district);
	return xasprintf("%s %s %s", a->province, a->city, a->district);
}

void
idlist_push(struct idlist *l, size_t id)
{
	if (l->count == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 4;
		l->items = xreallocarray(l->items, l->cap, sizeof(*l->items));
	}
	l->items[l->count++] = id;
}

bool
idlist_has(const struct idlist *l, size_t id)
{
	size_t i;

	for (i = 0; i < l->count; i++)
		if (l->items[i] == id)
			return true;
	return false;
}

void
idlist_free(struct idlist *l)
{
	free(l->items);
	memset(l, 0, sizeof(*l));
}

static int
compare_opt(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

/* An article and its province's rank, looked up once before sorting. */
struct ranked {
	struct article *a;
	int	 rank;
};

/*
 * Site order: by province (code order), city, district; within a
 * district the editor's note first, then by date, source and file.
 * Articles without a place come last.
 */
static int
compare_articles(const void *pa, const void *pb)
{
	const struct ranked *x = pa, *y = pb;
	const struct article *a = x->a, *b = y->a;
	int c;

	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	if ((c = compare_opt(a->city, b->city)) != 0 ||
	    (c = compare_opt(a->district, b->district)) != 0)
		return c;
	if (a->kind != b->kind)
		return a->kind == ARTICLE_KIND_NOTE ? -1 : 1;
	if ((c = compare_opt(a->date, b->date)) != 0 ||
	    (c = compare_opt(a->source_file, b->source_file)) != 0)
		return c;
	if (a->source_line != b->source_line)
		return a->source_line < b->source_line ? -1 : 1;
	return strcmp(a->path, b->path);
}

static void
check_province(const struct article *a, struct diags *d)
{
	const char *guess;

	if (a->province == NULL || places_province_rank(a->province) >= 0)
		return;
	guess = places_province_guess(a->province);
	if (guess)
		diag_error(d, a->path, 1, 1, "unknown province \"%s\" (did you "
		    "mean \"%s\"?)", a->province, guess);
	else
		diag_error(d, a->path, 1, 1, "unknown province \"%s\"",
		    a->province);
}

/* Resolves theme slugs to taxonomy indices, in taxonomy order. */
static void
resolve_themes(struct site *s, struct site_article *sa, struct diags *d)
{
	const struct article *a = sa->src;
	const char **slugs = xcalloc(s->taxonomy.count + 1, sizeof(*slugs));
	bool *has = xcalloc(s->taxonomy.count + 1, sizeof(*has));
	const char *guess;
	size_t i, t;

	for (t = 0; t < s->taxonomy.count; t++)
		slugs[t] = s->taxonomy.items[t].slug;
	for (i = 0; i < a->nthemes; i++) {
		for (t = 0; t < s->taxonomy.count; t++)
			if (strcmp(a->themes[i], slugs[t]) == 0)
				break;
		if (t < s->taxonomy.count) {
			has[t] = true;
			continue;
		}
		guess = suggest(a->themes[i], slugs, s->taxonomy.count);
		if (guess)
			diag_error(d, a->path, a->theme_lines[i],
			    a->theme_cols[i], "unknown theme \"%s\" (did you "
			    "mean \"%s\"?)", a->themes[i], guess);
		else
			diag_error(d, a->path, a->theme_lines[i],
			    a->theme_cols[i], "unknown theme \"%s\"",
			    a->themes[i]);
	}
	for (t = 0; t < s->taxonomy.count; t++)
		if (has[t])
			idlist_push(&sa->themes, t);
	free(slugs);
	free(has);
}

static size_t
add_province(struct site *s, const char *name)
{
	struct site_province *p;

	if (s->nprovinces > 0 &&
	    strcmp(s->provinces[s->nprovinces - 1].name, name) == 0)
		return s->nprovinces - 1;
	s->provinces = xreallocarray(s->provinces, s->nprovinces + 1,
	    sizeof(*s->provinces));
	p = &s->provinces[s->nprovinces];
	memset(p, 0, sizeof(*p));
	p->name = xstrdup(name);
	p->rank = (unsigned)places_province_rank(name);
	p->path = url_path(URL_PROVINCE, name);
	p->href = encoded(p->path);
	return s->nprovinces++;
}

static void
add_city(struct site_province *p, const char *city)
{
	size_t i;

	for (i = 0; i < p->ncities; i++)
		if (strcmp(p->cities[i], city) == 0)
			return;
	p->cities = xreallocarray(p->cities, p->ncities + 1,
	    sizeof(*p->cities));
	p->cities[p->ncities++] = xstrdup(city);
}

/* Articles arrive in site order, so a district's come one after another. */
static size_t
add_district(struct site *s, const struct article *a, size_t province)
{
	struct site_district *last = s->ndistricts ?
	    &s->districts[s->ndistricts - 1] : NULL, *dst;

	if (last != NULL && last->province == province &&
	    compare_opt(last->city, a->city) == 0 &&
	    strcmp(last->name, a->district) == 0)
		return s->ndistricts - 1;
	s->districts = xreallocarray(s->districts, s->ndistricts + 1,
	    sizeof(*s->districts));
	dst = &s->districts[s->ndistricts];
	memset(dst, 0, sizeof(*dst));
	dst->name = xstrdup(a->district);
	dst->city = a->city ? xstrdup(a->city) : NULL;
	/* The prefecture (or province) tells apart districts of one name. */
	dst->slug = xasprintf("%s%s", a->city ? a->city : a->province,
	    a->district);
	dst->path = url_path(URL_DISTRICT, dst->slug);
	dst->href = encoded(dst->path);
	dst->province = province;
	idlist_push(&s->provinces[province].districts, s->ndistricts);
	if (a->city)
		add_city(&s->provinces[province], a->city);
	return s->ndistricts++;
}

static void
place_article(struct site *s, size_t i)
{
	struct site_article *sa = &s->articles[i];
	struct site_district *dst;
	size_t t;

	sa->district = sa->province = SITE_NONE;
	if (sa->src->province == NULL)
		return;
	sa->province = add_province(s, sa->src->province);
	idlist_push(&s->provinces[sa->province].articles, i);
	if (sa->src->district == NULL)
		return;
	sa->district = add_district(s, sa->src, sa->province);
	dst = &s->districts[sa->district];
	idlist_push(&dst->articles, i);
	for (t = 0; t < sa->themes.count; t++)
		if (!idlist_has(&dst->themes, sa->themes.items[t]))
			idlist_push(&dst->themes, sa->themes.items[t]);
}

/*
 * Every output path has one owner.  Paths are compared case-folded too:
 * a host on a case-insensitive file system would merge "A" and "a".
 */
static void
claim_path(struct strmap *owners, const char *path, const char *owner,
    const char *file, struct diags *d)
{
	struct strmap_entry *e;
	char *folded = xstrdup(path), *p;
	bool added;

	for (p = folded; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	e = strmap_put(owners, folded, strlen(folded), &added);
	if (added)
		e->value = xstrdup(owner);
	else
		diag_error(d, file, 1, 1, "%s and %s both make \"%s\"",
		    (char *)e->value, owner, path);
	free(folded);
}

static void
check_paths(struct site *s, struct diags *d)
{
	struct strmap owners = STRMAP_INIT;
	size_t i;
	char *p;

	for (i = 0; i < s->narticles; i++)
		claim_path(&owners, s->articles[i].path, s->articles[i].src->path,
		    s->articles[i].src->path, d);
	for (i = 0; i < s->ndistricts; i++) {
		p = xasprintf("district %s", s->districts[i].slug);
		claim_path(&owners, s->districts[i].path, p, "content/articles",
		    d);
		free(p);
	}
	for (i = 0; i < owners.count; i++)
		free(owners.entries[i].value);
	strmap_free(&owners);
}

static void
link_series(struct site *s, struct diags *d)
{
	struct strmap notes = STRMAP_INIT;
	struct strmap_entry *e;
	struct site_article *sa;
	size_t i, note;
	bool added;

	for (i = 0; i < s->narticles; i++) {
		sa = &s->articles[i];
		sa->note = SITE_NONE;
		if (sa->src->kind != ARTICLE_KIND_NOTE)
			continue;
		if (sa->src->series == NULL) {
			diag_error(d, sa->src->path, 1, 1, "an editor's note "
			    "needs a \"series\"");
			continue;
		}
		e = strmap_put(&notes, sa->src->series,
		    strlen(sa->src->series), &added);
		if (!added)
			diag_error(d, sa->src->path, 1, 1, "series \"%s\" "
			    "already has an editor's note: %s",
			    sa->src->series,
			    s->articles[(size_t)e->value - 1].src->path);
		else
			e->value = (void *)(i + 1);
	}
	for (i = 0; i < s->narticles; i++) {
		sa = &s->articles[i];
		if (sa->src->kind != ARTICLE_KIND_ARTICLE ||
		    sa->src->series == NULL)
			continue;
		e = strmap_get(&notes, sa->src->series,
		    strlen(sa->src->series));
		if (e == NULL)
			continue;
		note = (size_t)e->value - 1;
		sa->note = note;
		idlist_push(&s->articles[note].members, i);
	}
	strmap_free(&notes);
}

static void
link_neighbours(struct site *s)
{
	size_t i, last = SITE_NONE;

	for (i = 0; i < s->narticles; i++)
		s->articles[i].prev = s->articles[i].next = SITE_NONE;
	for (i = 0; i < s->narticles; i++) {
		if (s->articles[i].src->kind != ARTICLE_KIND_ARTICLE)
			continue;
		if (last != SITE_NONE) {
			s->articles[i].prev = last;
			s->articles[last].next = i;
		}
		last = i;
	}
}

static void
build_themes(struct site *s)
{
	struct site_theme *st;
	size_t t, i, k, p;

	s->nthemes = s->taxonomy.count;
	s->themes = xcalloc(s->nthemes + 1, sizeof(*s->themes));
	for (t = 0; t < s->nthemes; t++) {
		st = &s->themes[t];
		st->def = &s->taxonomy.items[t];
		st->path = url_path(URL_THEME, st->def->slug);
		st->href = encoded(st->path);
		st->feed_path = url_path(URL_THEME_FEED, st->def->slug);
	}
	for (i = 0; i < s->narticles; i++) {
		for (k = 0; k < s->articles[i].themes.count; k++) {
			st = &s->themes[s->articles[i].themes.items[k]];
			idlist_push(&st->articles, i);
			p = s->articles[i].province;
			if (p != SITE_NONE && !idlist_has(&st->provinces, p))
				idlist_push(&st->provinces, p);
		}
	}
}

/* The passage as plain text, the keyword's place kept. */
static void
plain_passage(const char *body, const struct passage *p,
    struct article_passage *out)
{
	struct buf b = BUF_INIT;

	memset(out, 0, sizeof(*out));
	if (p->len == 0)
		return;
	text_strip_inline(&b, body + p->off, p->mark_off - p->off);
	out->mark_off = b.len;
	text_strip_inline(&b, body + p->mark_off, p->mark_len);
	out->mark_len = b.len - out->mark_off;
	text_strip_inline(&b, body + p->mark_off + p->mark_len,
	    p->off + p->len - p->mark_off - p->mark_len);
	out->text = buf_detach(&b);
}

/* Summary, passages and terms: the article's own work, any thread's. */
static void
digest_article(struct site *s, struct site_article *sa)
{
	struct article_digest *g = xcalloc(1, sizeof(*g));
	struct related_term terms[RELATED_TERMS];
	const struct article *a = sa->src;
	struct passage p;
	size_t k;

	g->themes_hash = s->themes_hash;
	g->summary = text_summary(a->body, a->body_len, TEXT_SUMMARY_CHARS);
	g->npassages = sa->themes.count;
	g->passages = xcalloc(g->npassages + 1, sizeof(*g->passages));
	for (k = 0; k < sa->themes.count; k++) {
		text_find_passage(a->body, a->body_len,
		    &s->taxonomy.items[sa->themes.items[k]], &p);
		plain_passage(a->body, &p, &g->passages[k]);
	}
	g->nterms = related_terms(a->body, a->body_len, terms);
	for (k = 0; k < g->nterms; k++) {
		g->term_keys[k] = terms[k].key;
		g->term_weights[k] = terms[k].weight;
	}
	article_digest_free(sa->src->digest);
	sa->src->digest = g;
}

/*
 * Derives what is missing or stale.  An article restored from the build
 * cache has no body: its digest was made with the same theme keywords,
 * or it would not have been restored (see site_needs_bodies).
 */
struct describe_job {
	struct site *site;
	struct diags *diags;	/* one list per article */
};

static void
describe_article(void *arg, size_t worker, size_t i)
{
	struct describe_job *job = arg;
	struct site *s = job->site;
	struct site_article *sa = &s->articles[i];
	const struct article_digest *g = sa->src->digest;

	(void)worker;
	if (g == NULL || g->themes_hash != s->themes_hash ||
	    g->npassages != sa->themes.count) {
		if (article_read_body(sa->src, &job->diags[i]) == -1)
			return;
		digest_article(s, sa);
	}
	sa->summary = sa->src->digest->summary;
	sa->passages = sa->src->digest->passages;
}

/* Digests every article, on every core; 0, or -1 after adding to d. */
static int
describe_articles(struct site *s, size_t nthreads, struct diags *d)
{
	struct describe_job job = { s, NULL };
	size_t i, errors = d->errors;

	job.diags = xcalloc(s->narticles + 1, sizeof(*job.diags));
	pool_for(nthreads, s->narticles, describe_article, &job);
	for (i = 0; i < s->narticles; i++)
		diags_move(d, &job.diags[i]);
	free(job.diags);
	return d->errors > errors ? -1 : 0;
}

/* Drops drafts and sorts the rest into site order. */
static void
adopt_articles(struct site *s, struct article **articles, size_t n,
    struct diags *d)
{
	struct ranked *ranked;
	size_t i, kept = 0;

	for (i = 0; i < n; i++) {
		if (articles[i]->draft) {
			article_free(articles[i]);
			continue;
		}
		check_province(articles[i], d);
		articles[kept++] = articles[i];
	}
	ranked = xcalloc(kept + 1, sizeof(*ranked));
	for (i = 0; i < kept; i++) {
		ranked[i].a = articles[i];
		ranked[i].rank = articles[i]->province ?
		    places_province_rank(articles[i]->province) : 999;
	}
	qsort(ranked, kept, sizeof(*ranked), compare_articles);
	s->narticles = kept;
	s->articles = xcalloc(kept + 1, sizeof(*s->articles));
	for (i = 0; i < kept; i++) {
		articles[i] = ranked[i].a;
		s->articles[i].src = articles[i];
		s->articles[i].path = url_path(URL_ARTICLE, articles[i]->slug);
		s->articles[i].href = encoded(s->articles[i].path);
		s->articles[i].place = place_of(articles[i]);
	}
	free(ranked);
	free(articles);
}

struct site *
site_build(struct site_config *config, struct theme_list *taxonomy,
    struct article **articles, size_t narticles, size_t nthreads,
    struct related_memo *memo, struct diags *d)
{
	struct site *s = xcalloc(1, sizeof(*s));
	size_t errors = d->errors, i;

	s->config = *config;
	memset(config, 0, sizeof(*config));
	s->taxonomy = *taxonomy;
	memset(taxonomy, 0, sizeof(*taxonomy));
	s->themes_hash = themes_fingerprint(&s->taxonomy);
	adopt_articles(s, articles, narticles, d);
	if (d->errors > errors)
		goto fail;
	for (i = 0; i < s->narticles; i++) {
		resolve_themes(s, &s->articles[i], d);
		place_article(s, i);
	}
	check_paths(s, d);
	link_series(s, d);
	if (d->errors > errors)
		goto fail;
	build_themes(s);
	link_neighbours(s);
	if (describe_articles(s, nthreads, d) == -1)
		goto fail;
	related_compute(s, nthreads, memo);
	return s;
fail:
	site_free(s);
	return NULL;
}

void
site_free(struct site *s)
{
	size_t i, k;

	if (s == NULL)
		return;
	for (i = 0; i < s->narticles; i++) {
		article_free(s->articles[i].src);
		free(s->articles[i].path);
		free(s->articles[i].href);
		free(s->articles[i].place);
		idlist_free(&s->articles[i].themes);
		idlist_free(&s->articles[i].members);
	}
	free(s->articles);
	for (i = 0; i < s->ndistricts; i++) {
		free(s->districts[i].name);
		free(s->districts[i].city);
		free(s->districts[i].slug);
		free(s->districts[i].path);
		free(s->districts[i].href);
		idlist_free(&s->districts[i].articles);
		idlist_free(&s->districts[i].themes);
	}
	free(s->districts);
	for (i = 0; i < s->nprovinces; i++) {
		free(s->provinces[i].name);
		free(s->provinces[i].path);
		free(s->provinces[i].href);
		idlist_free(&s->provinces[i].districts);
		idlist_free(&s->provinces[i].articles);
		for (k = 0; k < s->provinces[i].ncities; k++)
			free(s->provinces[i].cities[k]);
		free(s->provinces[i].cities);
	}
	free(s->provinces);
	for (i = 0; i < s->nthemes; i++) {
		free(s->themes[i].path);
		free(s->themes[i].href);
		free(s->themes[i].feed_path);
		idlist_free(&s->themes[i].articles);
		idlist_free(&s->themes[i].provinces);
	}
	free(s->themes);
	config_free(&s->config);
	themes_free(&s->taxonomy);
	free(s);
}
