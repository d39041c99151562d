#include "site.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "../util/buf.h"
#include "../util/href.h"
#include "../util/pool.h"
#include "../util/strmap.h"
#include "../util/suggest.h"
#include "../util/utf8.h"
#include "../util/xalloc.h"
#include "gazetteer.h"
#include "provenance.h"
#include "related.h"
#include "scars.h"
#include "text.h"
#include "url.h"

/* "海南省 海口市 美兰区", or "" without a place; caller frees. */
static char *
place_of(const struct article *a)
{
	struct buf b = BUF_INIT;

	if (a->province != NULL)
		buf_puts(&b, a->province);
	if (a->province != NULL && a->district != NULL) {
		if (a->city != NULL) {
			buf_putc(&b, ' ');
			buf_puts(&b, a->city);
		}
		buf_putc(&b, ' ');
		buf_puts(&b, a->district);
	}
	return buf_detach(&b);
}

static int
compare_opt(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

/*
 * An article with what sorting compares first, worked out once: its
 * province's rank, and a key each for its city and district (see
 * place_key).  Most comparisons end on these without a string.
 */
struct ranked {
	struct article *a;
	int	 rank;
	uint64_t city;
	uint64_t district;
};

static uint64_t
prefix_key(const char *s)
{
	uint64_t key;
	size_t i;

	if (s == NULL)
		return 0;
	key = (uint64_t)1 << 63;
	for (i = 0; i < 7 && s[i] != '\0'; i++)
		key |= (uint64_t)(unsigned char)s[i] << (48 - 8 * i);
	return key;
}

/* What no place key reaches: a prefix key's bits 56 to 62 are clear. */
#define KEY_LAST	UINT64_MAX
#define KEY_PREFIX	((uint64_t)1 << 63)

/*
 * The key of a city or district: the gazetteer's code, in the order of
 * every yearbook, when it has the place; else the first bytes of the
 * name (prefix_key), after every code; 0 for none.
 */
static uint64_t
place_key(unsigned long code, const char *name)
{
	return code != 0 ? (uint64_t)code : prefix_key(name);
}

/* Whether two equal keys still need their names compared. */
static bool
keys_tie_on_names(uint64_t key)
{
	return key >= KEY_PREFIX && key != KEY_LAST;
}

static int
compare_keys(uint64_t a, uint64_t b)
{
	return (a > b) - (a < b);
}

/*
 * Site order: by province, city and district, in code order where the
 * gazetteer has them and by name after; a province's own notes before
 * its cities, and the districts directly under it after them, as the
 * codes have them.  Within a district the editor's note first, then by
 * date, source and file.  Articles without a place come last.
 */
static int
compare_articles(const void *pa, const void *pb)
{
	const struct ranked *x = pa, *y = pb;
	const struct article *a = x->a, *b = y->a;
	int c;

	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	/* A city's districts together, whatever their names share. */
	if ((c = compare_keys(x->city, y->city)) != 0 ||
	    (keys_tie_on_names(x->city) &&
	    (c = compare_opt(a->city, b->city)) != 0) ||
	    (c = compare_keys(x->district, y->district)) != 0 ||
	    (keys_tie_on_names(x->district) &&
	    (c = compare_opt(a->district, b->district)) != 0))
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
check_province(const struct article *a, int rank, struct diags *d)
{
	const char *guess;
	unsigned line, col;

	if (a->province == NULL || rank >= 0)
		return;
	article_locate_key(a, "province", &line, &col);
	guess = gazetteer_province_guess(a->province);
	if (guess)
		diag_error(d, a->path, line, col, "unknown province \"%s\" "
		    "(did you mean \"%s\"?)", a->province, guess);
	else
		diag_error(d, a->path, line, col, "unknown province \"%s\"",
		    a->province);
}

/*
 * Places the gazetteer does not know that are reported one by one: each
 * reads its article again for the position, and a site of invented
 * places (a synthetic one) would otherwise pay that on every build.
 */
#define PLACE_WARNINGS	10

/* Names of one level of the gazetteer under one place: at most this. */
#define KNOWN_NAMES	64
/* Of them, listed in a message when none is near what was written. */
#define KNOWN_LISTED	8

/* The one of the n names that ends in name, or NULL if not just one. */
static const char *
ending_in(const char *name, const char *const *names, size_t n)
{
	const char *found = NULL;
	size_t i, len = strlen(name), k;

	for (i = 0; i < n && i < KNOWN_NAMES; i++) {
		k = strlen(names[i]);
		if (k <= len || strcmp(names[i] + k - len, name) != 0)
			continue;
		if (found != NULL)
			return NULL;
		found = names[i];
	}
	return found;
}

/*
 * Warns that article a names a place the gazetteer does not know, at
 * its key: with the known name nearest to name when one is close, else
 * with some of the n names known there.
 */
static void
warn_unknown_place(const struct article *a, const char *key,
    const char *name, const char *where, const char **known, size_t n,
    struct diags *d)
{
	size_t chars = utf8_length(name, strlen(name));
	/* One character wrong in three, two in eight (内蒙古自治区). */
	const char *guess = suggest_within(name, known, n < KNOWN_NAMES ? n :
	    KNOWN_NAMES, chars < 8 ? 1 : 2);
	struct buf list = BUF_INIT;
	unsigned line, col;
	size_t i;

	/* Else a name shortened: 开发区 for 通辽经济技术开发区. */
	if (guess == NULL)
		guess = ending_in(name, known, n);
	article_locate_key(a, key, &line, &col);
	for (i = 0; guess == NULL && i < n && i < KNOWN_LISTED; i++)
		buf_printf(&list, "%s%s", i > 0 ? "、" : "", known[i]);
	if (guess == NULL && n > KNOWN_LISTED)
		buf_puts(&list, "……");
	if (guess != NULL)
		diag_warning(d, a->path, line, col, "unknown %s \"%s\" in %s "
		    "(did you mean \"%s\"?)", key, name, where, guess);
	else if (n > 0)
		diag_warning(d, a->path, line, col, "unknown %s \"%s\" in %s "
		    "(the gazetteer knows %s)", key, name, where,
		    buf_str(&list));
	else
		diag_warning(d, a->path, line, col, "unknown %s \"%s\" in %s",
		    key, name, where);
	buf_free(&list);
}

/*
 * Warns that the district a names lies in another city of its province
 * than the one a names (or directly under the province, lies_in NULL).
 */
static void
warn_city_of(const struct article *a, const char *district,
    const char *province, const char *lies_in, struct diags *d)
{
	unsigned line, col;

	article_locate_key(a, "city", &line, &col);
	if (lies_in == NULL)
		diag_warning(d, a->path, line, col, "%s lies directly under "
		    "%s, not in a city: \"city\" should be null", district,
		    province);
	else
		diag_warning(d, a->path, line, col, "%s lies in %s: \"city\" "
		    "should say so", district, lies_in);
}

static bool
listed(const char *name, const char *const *names, size_t n)
{
	size_t i;

	for (i = 0; i < n && i < KNOWN_NAMES; i++)
		if (strcmp(names[i], name) == 0)
			return true;
	return false;
}

/*
 * Checks the city and district of a district's first article against
 * the gazetteer: a name it does not know is likely a typo (美蓝区 for
 * 美兰区), which would quietly make a district of its own.  Warnings
 * only: the gazetteer is of 2023, and not every place an author names
 * is a division (a development zone).  same_city: the district before
 * had the same province and city, already checked.
 */
static void
check_district(const struct site *s, const struct site_district *dst,
    bool same_city, size_t *unknown, struct diags *d)
{
	const struct article *a = s->articles[dst->articles.items[0]].src;
	const char *province = s->provinces[dst->province].name, *lies_in;
	const char *known[KNOWN_NAMES];
	size_t n;

	/* By name first: every build checks every district. */
	if ((dst->city == NULL ||
	    gazetteer_has_prefecture(province, dst->city)) &&
	    gazetteer_has_district(province, dst->city, dst->name))
		return;
	if (same_city && dst->city != NULL &&
	    !gazetteer_has_prefecture(province, dst->city))
		return;		/* said of the district before */
	if ((*unknown)++ >= PLACE_WARNINGS)
		return;
	n = gazetteer_prefectures_of(province, known, KNOWN_NAMES);
	/* An unknown province is an error already; some have no tables. */
	if (n == 0 && gazetteer_districts_of(province, NULL, NULL, 0) == 0)
		return;
	if (dst->city != NULL && !listed(dst->city, known, n)) {
		warn_unknown_place(a, "city", dst->city, province, known, n,
		    d);
		return;
	}
	n = gazetteer_districts_of(province, dst->city, known, KNOWN_NAMES);
	if (!gazetteer_find_district(province, dst->name, &lies_in))
		warn_unknown_place(a, "district", dst->name, dst->city != NULL ?
		    dst->city : province, known, n, d);
	else
		warn_city_of(a, dst->name, province, lies_in, d);
}

/* Checks every district's place: once a district, and a city once. */
static void
check_places(const struct site *s, struct diags *d)
{
	const struct site_district *dst, *prev = NULL;
	size_t k, unknown = 0;

	for (k = 0; k < s->ndistricts; k++) {
		dst = &s->districts[k];
		check_district(s, dst, prev != NULL &&
		    prev->province == dst->province &&
		    compare_opt(prev->city, dst->city) == 0, &unknown, d);
		prev = dst;
	}
	if (unknown > PLACE_WARNINGS)
		diag_warning(d, "content/articles", 0, 0, "%zu more districts "
		    "or cities not in the gazetteer", unknown - PLACE_WARNINGS);
}

/* The taxonomy's slugs, indexed once for all the articles' themes. */
struct slugs {
	struct strmap index;	/* slug → taxonomy index */
	const char **names;	/* in taxonomy order, for suggestions */
};

static void
slugs_init(struct slugs *sl, const struct theme_list *taxonomy)
{
	struct strmap_entry *e;
	size_t t;

	sl->index = (struct strmap)STRMAP_INIT;
	sl->names = xcalloc(taxonomy->count + 1, sizeof(*sl->names));
	for (t = 0; t < taxonomy->count; t++) {
		sl->names[t] = taxonomy->items[t].slug;
		e = strmap_put(&sl->index, sl->names[t], strlen(sl->names[t]),
		    NULL);
		e->value = (void *)t;
	}
}

static void
slugs_free(struct slugs *sl)
{
	strmap_free(&sl->index);
	free(sl->names);
}

/* Adds theme t to l, which is kept in taxonomy order, without repeats. */
static void
add_theme(struct idlist *l, size_t t)
{
	size_t i;

	if (idlist_has(l, t))
		return;
	idlist_push(l, t);
	for (i = l->count - 1; i > 0 && l->items[i - 1] > t; i--)
		l->items[i] = l->items[i - 1];
	l->items[i] = t;
}

/* Resolves theme slugs to taxonomy indices, in taxonomy order. */
static void
resolve_themes(const struct site *s, const struct slugs *sl,
    struct site_article *sa, struct diags *d)
{
	const struct article *a = sa->src;
	const struct strmap_entry *e;
	const char *guess;
	size_t i;

	for (i = 0; i < a->nthemes; i++) {
		e = strmap_get(&sl->index, a->themes[i], strlen(a->themes[i]));
		if (e != NULL) {
			add_theme(&sa->themes, (size_t)e->value);
			continue;
		}
		guess = suggest(a->themes[i], sl->names, s->taxonomy.count);
		if (guess)
			diag_error(d, a->path, a->theme_lines[i],
			    a->theme_cols[i], "unknown theme \"%s\" (did you "
			    "mean \"%s\"?)", a->themes[i], guess);
		else
			diag_error(d, a->path, a->theme_lines[i],
			    a->theme_cols[i], "unknown theme \"%s\"",
			    a->themes[i]);
	}
}

/*
 * Where an article stands against the one before it in site order, so
 * that placing the articles, one after another, reads no place names.
 */
enum {
	HAS_PROVINCE = 1,
	NEW_PROVINCE = 2,	/* not the province of the article before */
	HAS_DISTRICT = 4,
	NEW_DISTRICT = 8,	/* not the district of the article before */
};

struct resolve_job {
	const struct site *site;
	const struct slugs *slugs;
	struct diags *diags;	/* one list per article */
	unsigned char *moves;	/* per article */
};

static unsigned char
move_of(const struct site *s, size_t i)
{
	const struct article *a = s->articles[i].src;
	const struct article *b = i > 0 ? s->articles[i - 1].src : NULL;
	unsigned char m = 0;

	if (a->province == NULL)
		return 0;
	m |= HAS_PROVINCE;
	if (b == NULL || compare_opt(a->province, b->province) != 0)
		m |= NEW_PROVINCE | NEW_DISTRICT;
	if (a->district == NULL)
		return m;
	m |= HAS_DISTRICT;
	if (b == NULL || compare_opt(a->city, b->city) != 0 ||
	    compare_opt(a->district, b->district) != 0)
		m |= NEW_DISTRICT;
	return m;
}

static void
resolve_one(void *arg, size_t worker, size_t i)
{
	struct resolve_job *job = arg;

	(void)worker;
	resolve_themes(job->site, job->slugs, &job->site->articles[i],
	    &job->diags[i]);
	job->moves[i] = move_of(job->site, i);
}

/*
 * Resolves every article's themes, on every core, and says in moves[]
 * where each stands against the one before.
 */
static void
resolve_all(struct site *s, const struct slugs *sl, size_t nthreads,
    unsigned char *moves, struct diags *d)
{
	struct resolve_job job = { s, sl, NULL, moves };
	size_t i;

	job.diags = xcalloc(s->narticles + 1, sizeof(*job.diags));
	pool_for(nthreads, s->narticles, resolve_one, &job);
	for (i = 0; i < s->narticles; i++)
		diags_move(d, &job.diags[i]);
	free(job.diags);
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
	p->rank = (unsigned)gazetteer_province_rank(name);
	p->path = url_path(URL_PROVINCE, name);
	p->href = href_encoded(p->path);
	return s->nprovinces++;
}

/* The city of that name in province p, added when new. */
static size_t
add_city(struct site *s, size_t p, const char *name)
{
	struct site_province *prov = &s->provinces[p];
	struct site_city *c;
	struct buf slug = BUF_INIT;
	size_t k;

	/* Its districts come together: the last city is nearly always it. */
	for (k = prov->cities.count; k > 0; k--)
		if (strcmp(s->cities[prov->cities.items[k - 1]].name,
		    name) == 0)
			return prov->cities.items[k - 1];
	/* Doubling: a site has a city per few districts. */
	if ((s->ncities & (s->ncities - 1)) == 0)
		s->cities = xreallocarray(s->cities, s->ncities ?
		    s->ncities * 2 : 4, sizeof(*s->cities));
	c = &s->cities[s->ncities];
	memset(c, 0, sizeof(*c));
	c->name = xstrdup(name);
	buf_puts(&slug, prov->name);
	buf_puts(&slug, name);
	c->slug = buf_detach(&slug);
	c->path = url_path(URL_CITY, c->slug);
	c->href = href_encoded(c->path);
	c->province = p;
	idlist_push(&prov->cities, s->ncities);
	return s->ncities++;
}

/* Articles arrive in site order, so a district's come one after another. */
static size_t
add_district(struct site *s, const struct article *a, size_t province)
{
	struct site_district *last = s->ndistricts ?
	    &s->districts[s->ndistricts - 1] : NULL, *dst;
	struct buf slug = BUF_INIT;

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
	buf_puts(&slug, a->city ? a->city : a->province);
	buf_puts(&slug, a->district);
	dst->slug = buf_detach(&slug);
	dst->path = url_path(URL_DISTRICT, dst->slug);
	dst->href = href_encoded(dst->path);
	dst->province = province;
	idlist_push(&s->provinces[province].districts, s->ndistricts);
	dst->city_index = SITE_NONE;
	if (a->city) {
		dst->city_index = add_city(s, province, a->city);
		idlist_push(&s->cities[dst->city_index].districts,
		    s->ndistricts);
	}
	return s->ndistricts++;
}

static void
place_article(struct site *s, size_t i, unsigned char move)
{
	struct site_article *sa = &s->articles[i];
	struct site_district *dst;
	size_t t;

	sa->district = sa->province = sa->city = SITE_NONE;
	if (!(move & HAS_PROVINCE))
		return;
	sa->province = move & NEW_PROVINCE ?
	    add_province(s, sa->src->province) : s->nprovinces - 1;
	idlist_push(&s->provinces[sa->province].articles, i);
	s->provinces[sa->province].notes +=
	    sa->src->kind == ARTICLE_KIND_NOTE;
	if (!(move & HAS_DISTRICT))
		return;
	sa->district = move & NEW_DISTRICT ?
	    add_district(s, sa->src, sa->province) : s->ndistricts - 1;
	dst = &s->districts[sa->district];
	idlist_push(&dst->articles, i);
	if ((sa->city = dst->city_index) != SITE_NONE)
		idlist_push(&s->cities[sa->city].articles, i);
	for (t = 0; t < sa->themes.count; t++)
		if (!idlist_has(&dst->themes, sa->themes.items[t]))
			idlist_push(&dst->themes, sa->themes.items[t]);
}

/* Output path number k: the articles', the districts', the cities'. */
static const char *
numbered_path(const struct site *s, size_t k)
{
	if (k < s->narticles)
		return s->articles[k].path;
	if ((k -= s->narticles) < s->ndistricts)
		return s->districts[k].path;
	return s->cities[k - s->ndistricts].path;
}

/* Who makes output path number k, for messages; caller frees. */
static char *
path_owner(const struct site *s, size_t k)
{
	if (k < s->narticles)
		return xstrdup(s->articles[k].src->path);
	if ((k -= s->narticles) < s->ndistricts)
		return xasprintf("district %s", s->districts[k].slug);
	return xasprintf("city %s", s->cities[k - s->ndistricts].slug);
}

/*
 * Every output path has one owner.  Paths are compared case-folded too:
 * a host on a case-insensitive file system would merge "A" and "a".
 */
static void
check_paths(struct site *s, struct diags *d)
{
	struct strmap owners = STRMAP_INIT;
	struct strmap_entry *e;
	struct buf folded = BUF_INIT;
	size_t k, n = s->narticles + s->ndistricts + s->ncities;
	char *p, *first, *second;
	bool added;

	for (k = 0; k < n; k++) {
		buf_truncate(&folded, 0);
		buf_puts(&folded, numbered_path(s, k));
		for (p = folded.data; *p; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p - 'A' + 'a');
		e = strmap_put(&owners, folded.data, folded.len, &added);
		if (added) {
			e->value = (void *)k;
			continue;
		}
		first = path_owner(s, (size_t)e->value);
		second = path_owner(s, k);
		diag_error(d, k < s->narticles ? s->articles[k].src->path :
		    "content/articles", 1, 1, "%s and %s both make \"%s\"",
		    first, second, numbered_path(s, k));
		free(first);
		free(second);
	}
	buf_free(&folded);
	strmap_free(&owners);
}

/*
 * A series in the order its articles were printed: by page and line;
 * those whose page is not known after, in site order.
 */
static int
by_print_order(const void *pa, const void *pb, void *site)
{
	const struct site *s = site;
	size_t x = *(const size_t *)pa, y = *(const size_t *)pb;
	const struct article *a = s->articles[x].src, *b = s->articles[y].src;
	int c;

	if ((a->source_file == NULL) != (b->source_file == NULL))
		return a->source_file == NULL ? 1 : -1;
	if (a->source_file != NULL &&
	    (c = strcmp(a->source_file, b->source_file)) != 0)
		return c;
	if (a->source_line != b->source_line)
		return a->source_line < b->source_line ? -1 : 1;
	return x < y ? -1 : x > y;
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
	/* qsort_r is not to be given the null array of an empty list. */
	for (i = 0; i < s->narticles; i++) {
		s->nnotes += s->articles[i].src->kind == ARTICLE_KIND_NOTE;
		if (s->articles[i].members.count > 1)
			qsort_r(s->articles[i].members.items,
			    s->articles[i].members.count, sizeof(size_t),
			    by_print_order, s);
	}
	strmap_free(&notes);
}

/*
 * Links the articles (not the notes) of list l, in its order, through
 * the pager at byte offset at of each, or through in_themes[] when at is
 * SITE_NONE, for theme t.
 */
static void
link_list(struct site *s, const struct idlist *l, size_t at, size_t t)
{
	struct site_pager *pg, *last = NULL;
	struct site_article *a;
	size_t k, j, prev = SITE_NONE;

	for (k = 0; k < l->count; k++) {
		a = &s->articles[l->items[k]];
		if (a->src->kind != ARTICLE_KIND_ARTICLE)
			continue;
		if (at != SITE_NONE)
			pg = (struct site_pager *)((char *)a + at);
		else {
			for (j = 0; a->themes.items[j] != t; j++)
				continue;
			pg = &a->in_themes[j];
		}
		pg->prev = prev;
		pg->next = SITE_NONE;
		if (last != NULL)
			last->next = l->items[k];
		last = pg;
		prev = l->items[k];
	}
}

/*
 * Each article's neighbours: in site order, within its district, its
 * series and each of its themes.
 */
static void
link_neighbours(struct site *s)
{
	static const struct site_pager none = { SITE_NONE, SITE_NONE };
	struct site_article *a;
	struct site_pager *pool;
	size_t i, k, last = SITE_NONE, total = 0;

	for (i = 0; i < s->narticles; i++)
		total += s->articles[i].themes.count;
	/* One block for all: the first article's pointer owns it. */
	pool = s->narticles > 0 ? xcalloc(total + 1, sizeof(*pool)) : NULL;
	for (i = 0; i < s->narticles; i++) {
		a = &s->articles[i];
		a->prev = a->next = SITE_NONE;
		a->in_district = a->in_series = none;
		a->in_themes = pool;
		for (k = 0; k < a->themes.count; k++)
			*pool++ = none;
	}
	for (i = 0; i < s->narticles; i++) {
		if (s->articles[i].src->kind != ARTICLE_KIND_ARTICLE)
			continue;
		if (last != SITE_NONE) {
			s->articles[i].prev = last;
			s->articles[last].next = i;
		}
		last = i;
	}
	for (i = 0; i < s->ndistricts; i++)
		link_list(s, &s->districts[i].articles,
		    offsetof(struct site_article, in_district), 0);
	for (i = 0; i < s->narticles; i++)
		if (s->articles[i].src->kind == ARTICLE_KIND_NOTE)
			link_list(s, &s->articles[i].members,
			    offsetof(struct site_article, in_series), 0);
	for (i = 0; i < s->nthemes; i++)
		link_list(s, &s->themes[i].articles, SITE_NONE, i);
}

/*
 * The authors, in order of their first article: one per name and
 * district (or province, for an article without a district).  Site
 * order keeps a district's articles together, so an author's are found
 * among the authors of the place being read, with no table; each
 * article leads to the author's next, so an author costs no list.
 */
static void
gather_authors(struct site *s)
{
	struct site_article *a;
	struct site_author *au;
	size_t i, k, first = 0, district = SITE_NONE, province = SITE_NONE;
	size_t *last;

	s->authors = xcalloc(s->narticles + 1, sizeof(*s->authors));
	last = xcalloc(s->narticles + 1, sizeof(*last));
	for (i = 0; i < s->narticles; i++) {
		a = &s->articles[i];
		a->author = a->author_next = SITE_NONE;
		if (a->src->author == NULL || a->src->author[0] == '\0')
			continue;
		if (a->district != district || a->province != province) {
			district = a->district;
			province = a->province;
			first = s->nauthors;
		}
		for (k = first; k < s->nauthors; k++)
			if (strcmp(s->authors[k].name, a->src->author) == 0)
				break;
		au = &s->authors[k];
		if (k == s->nauthors) {
			s->nauthors++;
			au->name = a->src->author;
			au->title = a->src->author_title;
			au->district = a->district;
			au->province = a->province;
			au->first = i;
		} else
			s->articles[last[k]].author_next = i;
		au->count++;
		last[k] = i;
		a->author = k;
	}
	free(last);
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
		st->href = href_encoded(st->path);
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

/* The passage with "……" where it was cut, the keyword's place kept. */
static void
plain_passage(const char *text, const struct passage *p,
    struct article_passage *out)
{
	struct buf b = BUF_INIT;

	memset(out, 0, sizeof(*out));
	if (p->len == 0)
		return;
	if (p->cut_before)
		buf_puts(&b, "……");
	out->mark_off = b.len + p->mark_off - p->off;
	out->mark_len = p->mark_len;
	buf_append(&b, text + p->off, p->len);
	if (p->cut_after)
		buf_puts(&b, "……");
	out->text = buf_detach(&b);
}

/* Summary, passages and terms: the article's own work, any thread's. */
static void
digest_article(struct site *s, struct site_article *sa)
{
	struct article_digest *g = xcalloc(1, sizeof(*g));
	struct related_term terms[RELATED_TERMS];
	struct related_name names[RELATED_NAMES];
	const struct article *a = sa->src;
	const struct theme **themes;
	struct passage *found;
	struct text_plain plain;
	struct buf note = BUF_INIT;
	size_t k;

	text_plain_parse(a->body, a->body_len, &plain);
	g->themes_hash = s->themes_hash;
	g->summary = text_summary(&plain, TEXT_SUMMARY_CHARS);
	g->npassages = sa->themes.count;
	g->passages = xcalloc(g->npassages + 1, sizeof(*g->passages));
	themes = xcalloc(g->npassages + 1, sizeof(*themes));
	found = xcalloc(g->npassages + 1, sizeof(*found));
	for (k = 0; k < sa->themes.count; k++)
		themes[k] = &s->taxonomy.items[sa->themes.items[k]];
	text_find_passages(&plain, themes, g->npassages, found);
	for (k = 0; k < sa->themes.count; k++)
		plain_passage(plain.text, &found[k], &g->passages[k]);
	/* For the search index, which reads it while the body is there. */
	if (text_plain_pack(&plain, a->body, a->body_len, &note) == 0) {
		g->plain_note_len = note.len;
		g->plain_note = buf_detach(&note);
	}
	text_plain_free(&plain);
	free(themes);
	free(found);
	g->nterms = related_terms(a->body, a->body_len, names,
	    related_names(a, names), terms);
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
	bool had_text;

	(void)worker;
	if (g == NULL || g->themes_hash != s->themes_hash ||
	    g->npassages != sa->themes.count) {
		had_text = sa->src->text != NULL;
		if (article_read_body(sa->src, &job->diags[i]) == -1)
			return;
		digest_article(s, sa);
		/* A text read again (edited) is held to the import's rules. */
		scars_check(sa->src, &job->diags[i]);
		/* Left as it came: the loader freed it to hold less. */
		if (!had_text)
			article_drop_text(sa->src);
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

struct adopt_job {
	struct site *site;
	struct ranked *ranked;
	size_t	 n;
};

static void
rank_article(void *arg, size_t worker, size_t i)
{
	struct ranked *r = &((struct adopt_job *)arg)->ranked[i];
	const struct article *a = r->a;

	(void)worker;
	r->rank = a->province ? gazetteer_province_rank(a->province) : 999;
	r->city = r->district = 0;
	if (a->province == NULL)
		return;
	if (a->city != NULL)
		r->city = place_key(gazetteer_prefecture_code(a->province,
		    a->city), a->city);
	else if (a->district != NULL)
		r->city = KEY_LAST;
	if (a->district != NULL)
		r->district = place_key(gazetteer_district_code(a->province,
		    a->city, a->district), a->district);
}

/* Sorts one half of the articles; sort_ranked merges the two. */
static void
sort_half(void *arg, size_t worker, size_t half)
{
	struct adopt_job *job = arg;
	size_t mid = job->n / 2;

	(void)worker;
	if (half == 0)
		qsort(job->ranked, mid, sizeof(*job->ranked), compare_articles);
	else
		qsort(job->ranked + mid, job->n - mid, sizeof(*job->ranked),
		    compare_articles);
}

/*
 * Sorts the articles into site order, in two halves at once and a merge:
 * the order is total (paths tell any two apart), so it is qsort's.
 */
static void
sort_ranked(struct adopt_job *job, size_t nthreads)
{
	struct ranked *merged, *a = job->ranked, *b = a + job->n / 2;
	struct ranked *aend = b, *bend = a + job->n;
	size_t k = 0;

	if (job->n < 4096 || pool_threads(nthreads) < 2) {
		qsort(job->ranked, job->n, sizeof(*job->ranked),
		    compare_articles);
		return;
	}
	pool_for(nthreads, 2, sort_half, job);
	merged = xcalloc(job->n + 1, sizeof(*merged));
	while (a < aend && b < bend)
		merged[k++] = compare_articles(a, b) <= 0 ? *a++ : *b++;
	while (a < aend)
		merged[k++] = *a++;
	while (b < bend)
		merged[k++] = *b++;
	free(job->ranked);
	job->ranked = merged;
}

static void
name_article(void *arg, size_t worker, size_t i)
{
	struct adopt_job *job = arg;
	struct site_article *sa = &job->site->articles[i];

	(void)worker;
	sa->src = job->ranked[i].a;
	sa->path = url_path(URL_ARTICLE, sa->src->slug);
	sa->href = href_encoded(sa->path);
	sa->place = place_of(sa->src);
}

/* Drops drafts and sorts the rest into site order. */
static void
adopt_articles(struct site *s, struct article **articles, size_t n,
    size_t nthreads, struct diags *d)
{
	struct adopt_job job = { s, xcalloc(n + 1, sizeof(*job.ranked)), 0 };
	size_t i;

	for (i = 0; i < n; i++) {
		if (articles[i]->draft)
			article_free(articles[i]);
		else
			job.ranked[job.n++].a = articles[i];
	}
	pool_for(nthreads, job.n, rank_article, &job);
	for (i = 0; i < job.n; i++)
		check_province(job.ranked[i].a, job.ranked[i].rank, d);
	sort_ranked(&job, nthreads);
	s->narticles = job.n;
	s->articles = xcalloc(job.n + 1, sizeof(*s->articles));
	pool_for(nthreads, job.n, name_article, &job);
	free(job.ranked);
	free(articles);
}

struct site *
site_build(struct site_config *config, struct theme_list *taxonomy,
    struct source_list *raw, struct article **articles, size_t narticles,
    size_t nthreads, struct related_memo *memo, struct diags *d)
{
	struct site *s = xcalloc(1, sizeof(*s));
	struct slugs sl;
	unsigned char *moves;
	size_t errors = d->errors, i;

	s->config = *config;
	memset(config, 0, sizeof(*config));
	s->taxonomy = *taxonomy;
	memset(taxonomy, 0, sizeof(*taxonomy));
	s->themes_hash = themes_fingerprint(&s->taxonomy);
	if (raw != NULL) {
		s->raw = *raw;
		memset(raw, 0, sizeof(*raw));
	}
	adopt_articles(s, articles, narticles, nthreads, d);
	if (d->errors > errors)
		goto fail;
	slugs_init(&sl, &s->taxonomy);
	moves = xcalloc(s->narticles + 1, sizeof(*moves));
	resolve_all(s, &sl, nthreads, moves, d);
	slugs_free(&sl);
	for (i = 0; i < s->narticles; i++)
		place_article(s, i, moves[i]);
	free(moves);
	check_places(s, d);
	check_paths(s, d);
	link_series(s, d);
	if (d->errors > errors)
		goto fail;
	build_themes(s);
	link_neighbours(s);
	provenance_link(s, d);
	gather_authors(s);
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
	size_t i;

	if (s == NULL)
		return;
	provenance_free(s);
	for (i = 0; i < s->narticles; i++) {
		article_free(s->articles[i].src);
		free(s->articles[i].path);
		free(s->articles[i].href);
		free(s->articles[i].place);
		idlist_free(&s->articles[i].themes);
		idlist_free(&s->articles[i].members);
	}
	if (s->narticles > 0)
		free(s->articles[0].in_themes);
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
	for (i = 0; i < s->ncities; i++) {
		free(s->cities[i].name);
		free(s->cities[i].slug);
		free(s->cities[i].path);
		free(s->cities[i].href);
		idlist_free(&s->cities[i].districts);
		idlist_free(&s->cities[i].articles);
	}
	free(s->cities);
	free(s->authors);
	for (i = 0; i < s->nprovinces; i++) {
		free(s->provinces[i].name);
		free(s->provinces[i].path);
		free(s->provinces[i].href);
		idlist_free(&s->provinces[i].districts);
		idlist_free(&s->provinces[i].articles);
		idlist_free(&s->provinces[i].cities);
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
