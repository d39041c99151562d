#include "related.h"

#include <math.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "../util/pool.h"
#include "../util/ser.h"
#include "../util/utf8.h"
#include "../util/xalloc.h"
#include "idf_data.h"
#include "site.h"

#define POSTINGS_PER_TERM 64	/* articles kept per bigram ("champions") */
#define COUNTER_KEEP	65536	/* slots a thread's counter keeps (1 MB) */

/*
 * What an article shares with another adds to the likeness of their
 * words (a cosine, mostly 0.05 to 0.4): being in the same district, city
 * or province (the nearest counts), in the same series, and each theme
 * up to THEMES_COUNTED.  Only an article that shares one of these is
 * related at all: words alone do not say why a reader would go on to it.
 */
#define DISTRICT_WEIGHT	0.30f
#define CITY_WEIGHT	0.20f
#define PROVINCE_WEIGHT	0.06f
#define SERIES_WEIGHT	0.15f
#define THEME_WEIGHT	0.08f
#define THEMES_COUNTED	3

/*
 * Besides its terms, an article is listed in the index under its
 * district, city, province, series and first THEME_FACETS themes, so
 * that the articles it shares them with are candidates even when their
 * words differ (two articles seldom share one of their 32 strongest
 * bigrams).  Such a facet weighs FACET_WEIGHT on both sides, too little
 * to move a score: it is what the article shares that scores.  A
 * theme's list keeps THEME_CHAMPIONS articles: enough to fill a related
 * list in a small site, where they are all its articles; in a large one,
 * where they are a sample of thousands, more would only cost scoring.
 */
#define THEME_FACETS	4
#define THEME_CHAMPIONS	16
#define RELATED_KEYS	(ARTICLE_TERMS + 4 + THEME_FACETS)
#define FACET_WEIGHT	1e-4f

/*
 * A map from bigram keys to counts, open addressing; keys are never 0.
 * used[] names the filled slots in the order they were filled, so a
 * walk over the entries or a clear for the next article visits those
 * alone, however large the table has grown.
 */
struct counter_slot {
	uint64_t key;		/* 0: empty */
	uint32_t count;
};

struct counter {
	struct counter_slot *slots;
	uint32_t *used;		/* slot numbers, n of them */
	size_t	 n, cap;	/* cap is a power of two */
};

static size_t
counter_slot(const struct counter *c, uint64_t key)
{
	size_t mask = c->cap - 1;
	size_t i = (size_t)((key * 0x9E3779B97F4A7C15ULL) >> 32) & mask;

	while (c->slots[i].key != 0 && c->slots[i].key != key)
		i = (i + 1) & mask;
	return i;
}

/* Doubles the table, keeping the entries in the order they came. */
static void
counter_grow(struct counter *c)
{
	struct counter old = *c;
	size_t i, slot;

	c->cap = c->cap ? c->cap * 2 : 1024;
	c->slots = xcalloc(c->cap, sizeof(*c->slots));
	c->used = xreallocarray(NULL, c->cap / 2, sizeof(*c->used));
	for (i = 0; i < old.n; i++) {
		slot = counter_slot(c, old.slots[old.used[i]].key);
		c->slots[slot] = old.slots[old.used[i]];
		c->used[i] = (uint32_t)slot;
	}
	free(old.slots);
	free(old.used);
}

/* Makes room for n entries in an empty counter, at once. */
static void
counter_reserve(struct counter *c, size_t n)
{
	size_t cap = 1024;

	while ((n + 1) * 2 > cap)
		cap *= 2;
	if (c->n > 0 || cap <= c->cap)
		return;
	free(c->slots);
	free(c->used);
	c->cap = cap;
	c->slots = xcalloc(cap, sizeof(*c->slots));
	c->used = xreallocarray(NULL, cap / 2, sizeof(*c->used));
}

static void
counter_add(struct counter *c, uint64_t key, uint32_t by)
{
	size_t i;

	if ((c->n + 1) * 2 > c->cap)
		counter_grow(c);
	i = counter_slot(c, key);
	if (c->slots[i].key == 0) {
		c->slots[i].key = key;
		c->used[c->n++] = (uint32_t)i;
	}
	c->slots[i].count += by;
}

static uint32_t
counter_get(const struct counter *c, uint64_t key)
{
	size_t i;

	if (c->cap == 0)
		return 0;
	i = counter_slot(c, key);
	return c->slots[i].key == key ? c->slots[i].count : 0;
}

static void
counter_free(struct counter *c)
{
	free(c->slots);
	free(c->used);
	memset(c, 0, sizeof(*c));
}

/*
 * Empties c and keeps its memory for the next article, unless a huge
 * one grew it past COUNTER_KEEP slots: that much is not held for good.
 */
static void
counter_clear(struct counter *c)
{
	size_t i;

	if (c->cap > COUNTER_KEEP)
		counter_free(c);
	else {
		for (i = 0; i < c->n; i++)
			memset(&c->slots[c->used[i]], 0, sizeof(*c->slots));
		c->n = 0;
	}
}

/*
 * The reference table again, as an open-addressing hash from key to
 * inverse document frequency: looking a bigram up is the commonest step
 * of describing an article after counting it, and a binary search spent
 * a dozen unpredictable branches on each.  Sparse, so that a lookup
 * mostly takes one probe.  Built once, then only read, by any thread.
 */
static struct {
	uint64_t *keys;		/* never freed; 0: an empty slot */
	double	*idf;		/* never freed; per slot */
	size_t	 mask;		/* slots - 1; slots is a power of two */
	double	 unknown_idf;	/* of a bigram not in the table */
} reference;

/* 1 + log(count) for the small counts, which are nearly all of them. */
#define TF_FACTORS	64
static double tf_factors[TF_FACTORS];

static pthread_key_t counter_key;	/* each thread's struct counter */
static pthread_once_t setup_once = PTHREAD_ONCE_INIT;

static size_t
reference_hash(uint64_t key)
{
	return (size_t)((key * 0x9E3779B97F4A7C15ULL) >> 32) & reference.mask;
}

/*
 * The weight of a bigram's rarity: none for one that more than
 * COMMON_SHARE of the reference articles hold, words every article uses
 * (党建, 基层, 社区) that would make every article like every other.
 */
#define COMMON_SHARE	0.4

static double
inverse_frequency(unsigned documents)
{
	if (documents > COMMON_SHARE * idf_documents)
		return 0;
	return log((idf_documents + 1.0) / (documents + 1.0));
}

static void
reference_build(void)
{
	size_t cap = 1, i, slot;

	while (cap < idf_count * 6)
		cap *= 2;
	reference.keys = xcalloc(cap, sizeof(*reference.keys));
	reference.idf = xcalloc(cap, sizeof(*reference.idf));
	reference.mask = cap - 1;
	for (i = 0; i < idf_count; i++) {
		slot = reference_hash(idf_table[i].key);
		while (reference.keys[slot] != 0)
			slot = (slot + 1) & reference.mask;
		reference.keys[slot] = idf_table[i].key;
		reference.idf[slot] = inverse_frequency(idf_table[i].documents);
	}
	reference.unknown_idf = inverse_frequency(0);
}

static double
reference_idf(uint64_t key)
{
	size_t slot = reference_hash(key);

	for (; reference.keys[slot] != 0; slot = (slot + 1) & reference.mask)
		if (reference.keys[slot] == key)
			return reference.idf[slot];
	return reference.unknown_idf;
}

/* The same double as 1.0 + log(count), from the table where it can. */
static double
tf_factor(uint32_t count)
{
	return count < TF_FACTORS ? tf_factors[count] : 1.0 + log(count);
}

/* Frees a thread's counter (see thread_counter) as the thread ends. */
static void
thread_counter_free(void *c)
{
	counter_free(c);
	free(c);
}

/* What the first call of related_terms, on any thread, sets up. */
static void
setup_terms(void)
{
	uint32_t count;

	reference_build();
	for (count = 1; count < TF_FACTORS; count++)
		tf_factors[count] = 1.0 + log(count);
	/* Fails only when the process is out of keys or memory. */
	if (pthread_key_create(&counter_key, thread_counter_free) != 0) {
		fprintf(stderr, "jiceng: error: cannot create a thread key\n");
		abort();
	}
}

/*
 * The calling thread's counter, empty, kept from one article to the
 * next: a fresh one per article cost over a tenth of related_terms, in
 * zeroed memory and in rehashing as it grew.
 */
static struct counter *
thread_counter(void)
{
	struct counter *c = pthread_getspecific(counter_key);

	if (c == NULL) {
		c = xcalloc(1, sizeof(*c));
		if (pthread_setspecific(counter_key, c) != 0) {
			fprintf(stderr, "jiceng: error: out of memory\n");
			abort();
		}
	}
	return c;
}

/*
 * The next code point of s, as utf8_next gives it, one call less for
 * most characters of a body: a lead byte E1-EC or EE-EF followed by two
 * continuation bytes is always a valid sequence (neither overlong nor a
 * surrogate).  The calls through utf8proc took an eighth of the time
 * related_terms spends.
 */
static int32_t
next_char(const char *s, size_t len, size_t *pos)
{
	const unsigned char *p = (const unsigned char *)s + *pos;

	if (*pos + 3 <= len && p[0] >= 0xE1 && p[0] <= 0xEF &&
	    p[0] != 0xED && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80) {
		*pos += 3;
		return (int32_t)(p[0] & 0x0F) << 12 |
		    (int32_t)(p[1] & 0x3F) << 6 | (p[2] & 0x3F);
	}
	return utf8_next(s, len, pos);
}

/* Whether term a ranks before b: heavier, then smaller key. */
static int
term_before(const struct related_term *a, const struct related_term *b)
{
	if (a->weight != b->weight)
		return a->weight > b->weight;
	return a->key < b->key;
}

/*
 * Keeps the best k terms seen so far in heap[], a min-heap on rank whose
 * root is the weakest kept term.
 */
static void
heap_offer(struct related_term *heap, size_t *n, size_t k,
    struct related_term t)
{
	size_t i, child;
	struct related_term tmp;

	if (*n < k) {
		i = (*n)++;
		heap[i] = t;
		while (i > 0 && term_before(&heap[(i - 1) / 2], &heap[i])) {
			tmp = heap[i];
			heap[i] = heap[(i - 1) / 2];
			heap[(i - 1) / 2] = tmp;
			i = (i - 1) / 2;
		}
		return;
	}
	if (!term_before(&t, &heap[0]))
		return;
	heap[0] = t;
	for (i = 0; (child = 2 * i + 1) < *n; i = child) {
		if (child + 1 < *n && term_before(&heap[child], &heap[child + 1]))
			child++;
		if (!term_before(&heap[i], &heap[child]))
			break;
		tmp = heap[i];
		heap[i] = heap[child];
		heap[child] = tmp;
	}
}

static int
compare_terms(const void *a, const void *b)
{
	return term_before(b, a) - term_before(a, b);
}

/* Suffixes a place's name drops when it is written short (海口市, 海口). */
static const char *const place_suffixes[] = {
	"维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "自治州",
	"自治县", "自治旗", "地区", "省", "市", "区", "县", "旗", "盟", "州",
};

static void
add_name(struct related_name *out, size_t *n, const char *s, size_t len)
{
	if (s != NULL && len > 0 && *n < RELATED_NAMES) {
		out[*n].s = s;
		out[(*n)++].len = len;
	}
}

/* Adds name, and its stem when two characters or more are left. */
static void
add_place(struct related_name *out, size_t *n, const char *name)
{
	size_t len, k, suffix;

	if (name == NULL)
		return;
	len = strlen(name);
	add_name(out, n, name, len);
	for (k = 0; k < sizeof(place_suffixes) / sizeof(*place_suffixes);
	    k++) {
		suffix = strlen(place_suffixes[k]);
		if (len > suffix && memcmp(name + len - suffix,
		    place_suffixes[k], suffix) == 0) {
			if (utf8_length(name, len - suffix) >= 2)
				add_name(out, n, name, len - suffix);
			break;
		}
	}
}

size_t
related_names(const struct article *a, struct related_name *out)
{
	size_t n = 0;

	add_place(out, &n, a->province);
	add_place(out, &n, a->city);
	add_place(out, &n, a->district);
	if (a->author != NULL)
		add_name(out, &n, a->author, strlen(a->author));
	return n;
}

/*
 * The bytes of the name of names[] that body[at..len) starts with, the
 * longest, or 0.  first is a bit per name's first character (its code
 * point modulo 64), so that most characters are passed at once.
 */
static size_t
name_at(const char *body, size_t at, size_t len, int32_t cp,
    const struct related_name *names, size_t n, uint64_t first)
{
	size_t k, best = 0;

	if (!(first >> (cp & 63) & 1))
		return 0;
	for (k = 0; k < n; k++)
		if (names[k].len > best && names[k].len <= len - at &&
		    memcmp(body + at, names[k].s, names[k].len) == 0)
			best = names[k].len;
	return best;
}

size_t
related_terms(const char *body, size_t len, const struct related_name *names,
    size_t nnames, struct related_term *out)
{
	struct counter *tf;
	const struct counter_slot *slot;
	struct related_term t;
	size_t pos = 0, n = 0, i, at, skip;
	int32_t cp, prev = -1;
	uint64_t first = 0;
	double norm = 0;

	pthread_once(&setup_once, setup_terms);
	tf = thread_counter();
	for (i = 0; i < nnames; i++) {
		at = 0;
		first |= 1ULL << (utf8_next(names[i].s, names[i].len, &at) &
		    63);
	}
	while (at = pos, (cp = next_char(body, len, &pos)) != -1) {
		if (!utf8_is_han(cp)) {
			prev = -1;
			continue;
		}
		if (nnames > 0 && (skip = name_at(body, at, len, cp, names,
		    nnames, first)) > 0) {
			pos = at + skip;
			prev = -1;
			continue;
		}
		if (prev != -1)
			counter_add(tf, ((uint64_t)prev << 21) | (uint64_t)cp, 1);
		prev = cp;
	}
	for (i = 0; i < tf->n; i++) {
		slot = &tf->slots[tf->used[i]];
		t.key = slot->key;
		t.weight = (float)(tf_factor(slot->count) *
		    reference_idf(slot->key));
		if (t.weight > 0)
			heap_offer(out, &n, RELATED_TERMS, t);
	}
	counter_clear(tf);
	qsort(out, n, sizeof(*out), compare_terms);
	for (i = 0; i < n; i++)
		norm += (double)out[i].weight * out[i].weight;
	norm = norm > 0 ? sqrt(norm) : 1;
	for (i = 0; i < n; i++)
		out[i].weight = (float)(out[i].weight / norm);
	return n;
}

/*
 * The kinds of facet: a facet's key holds its kind in the byte below its
 * top bit, which no bigram's key sets.
 */
#define FACET_BIT	(1ULL << 63)
#define FACET_THEME	't'

/* The key of a facet of that kind and name: never a bigram's, never 0. */
static uint64_t
facet_key(char kind, const char *name)
{
	return FACET_BIT | (uint64_t)(unsigned char)kind << 55 |
	    (XXH3_64bits(name, strlen(name)) & ((1ULL << 55) - 1));
}

/* How many postings the list of key keeps. */
static size_t
champions(uint64_t key)
{
	return (key & FACET_BIT) && (key >> 55 & 0xFF) == FACET_THEME ?
	    THEME_CHAMPIONS : POSTINGS_PER_TERM;
}

/* An article's terms and facets, as the index lists it under them. */
struct article_keys {
	uint64_t key[RELATED_KEYS];
	float	 weight[RELATED_KEYS];
	uint32_t n;			/* 0 for a note: never listed */
};

static uint64_t
mix(uint64_t h, uint64_t x)
{
	h ^= x + 0x9E3779B97F4A7C15ULL + (h << 6) + (h >> 2);
	return h * 0xFF51AFD7ED558CCDULL;
}

static uint32_t
float_bits(float f)
{
	uint32_t bits;

	memcpy(&bits, &f, sizeof(bits));
	return bits;
}

/* What an article is known by from one build to the next. */
static uint64_t
identity(const struct site_article *a)
{
	uint64_t h = XXH3_64bits(a->path, strlen(a->path));

	return h ? h : 1;
}

/*
 * What is known of every article for the memo: articles by identity, not
 * index, which shifts as others come and go without changing any score
 * or tie.
 */
struct known {
	uint64_t *ids;		/* identity per article */
	struct article_keys *keys;	/* per article: terms and facets */
	uint64_t *series;	/* hash of its series per article, or 0 */
	uint64_t *traits;	/* hash of its themes, places and series per
				   article: what another's score reads */
	uint64_t *own;		/* hash of its kind, traits and keys */
	uint64_t *seen;		/* see seen_hash */
	struct counter by_id;	/* identity -> index + 1 */
	bool	 unique;	/* no two articles with one identity */
};

/*
 * The facet keys and name hashes of the site's places and themes, made
 * once: per article, they cost a dozen hashes where its terms cost none.
 */
struct place_keys {
	uint64_t *district, *city, *province, *theme;	/* facet keys */
	uint64_t *district_name, *city_name, *province_name; /* name_hash */
};

struct know_job {
	struct known *known;
	const struct site *site;
	const struct place_keys *places;
};

static void
add_key(struct article_keys *ak, uint64_t key, float weight)
{
	ak->key[ak->n] = key;
	ak->weight[ak->n++] = weight;
}

/* An article's keys: its terms, then its facets; none for a note. */
static void
article_keys(const struct site_article *a, const struct place_keys *pk,
    struct article_keys *ak)
{
	const struct article_digest *g = a->src->digest;
	size_t k;

	ak->n = 0;
	if (a->src->kind != ARTICLE_KIND_ARTICLE)
		return;
	for (k = 0; k < g->nterms; k++)
		add_key(ak, g->term_keys[k], g->term_weights[k]);
	if (a->district != SITE_NONE)
		add_key(ak, pk->district[a->district], FACET_WEIGHT);
	if (a->city != SITE_NONE)
		add_key(ak, pk->city[a->city], FACET_WEIGHT);
	if (a->province != SITE_NONE)
		add_key(ak, pk->province[a->province], FACET_WEIGHT);
	if (a->src->series != NULL)
		add_key(ak, facet_key('s', a->src->series), FACET_WEIGHT);
	for (k = 0; k < a->themes.count && k < THEME_FACETS; k++)
		add_key(ak, pk->theme[a->themes.items[k]], FACET_WEIGHT);
}

/* A hash of a name that may be missing; the same for the same name. */
static uint64_t
name_hash(const char *name)
{
	return name != NULL ? XXH3_64bits(name, strlen(name)) : 0;
}

static void
place_keys_init(struct place_keys *pk, const struct site *s)
{
	size_t i;

	pk->district = xcalloc(s->ndistricts + 1, sizeof(*pk->district));
	pk->district_name = xcalloc(s->ndistricts + 1,
	    sizeof(*pk->district_name));
	pk->city = xcalloc(s->ncities + 1, sizeof(*pk->city));
	pk->city_name = xcalloc(s->ncities + 1, sizeof(*pk->city_name));
	pk->province = xcalloc(s->nprovinces + 1, sizeof(*pk->province));
	pk->province_name = xcalloc(s->nprovinces + 1,
	    sizeof(*pk->province_name));
	pk->theme = xcalloc(s->nthemes + 1, sizeof(*pk->theme));
	for (i = 0; i < s->ndistricts; i++) {
		pk->district[i] = facet_key('d', s->districts[i].slug);
		pk->district_name[i] = name_hash(s->districts[i].slug);
	}
	for (i = 0; i < s->ncities; i++) {
		pk->city[i] = facet_key('c', s->cities[i].slug);
		pk->city_name[i] = name_hash(s->cities[i].slug);
	}
	for (i = 0; i < s->nprovinces; i++) {
		pk->province[i] = facet_key('p', s->provinces[i].name);
		pk->province_name[i] = name_hash(s->provinces[i].name);
	}
	for (i = 0; i < s->nthemes; i++)
		pk->theme[i] = facet_key(FACET_THEME, s->themes[i].def->slug);
}

static void
place_keys_free(struct place_keys *pk)
{
	free(pk->district);
	free(pk->district_name);
	free(pk->city);
	free(pk->city_name);
	free(pk->province);
	free(pk->province_name);
	free(pk->theme);
}

static void
know_article(void *arg, size_t worker, size_t i)
{
	struct know_job *job = arg;
	struct known *kn = job->known;
	const struct site *s = job->site;
	const struct place_keys *pk = job->places;
	const struct site_article *a = &s->articles[i];
	struct article_keys *ak = &kn->keys[i];
	uint64_t h = a->themes.count;
	size_t k;

	(void)worker;
	kn->ids[i] = identity(a);
	article_keys(a, pk, ak);
	for (k = 0; k < a->themes.count; k++)
		h = mix(h, a->themes.items[k]);
	kn->series[i] = name_hash(a->src->series);
	h = mix(h, kn->series[i]);
	h = mix(h, a->district != SITE_NONE ? pk->district_name[a->district] :
	    0);
	h = mix(h, a->city != SITE_NONE ? pk->city_name[a->city] : 0);
	h = mix(h, a->province != SITE_NONE ?
	    pk->province_name[a->province] : 0);
	kn->traits[i] = h;
	h = mix(mix(s->themes_hash, a->src->kind), h);
	for (k = 0; k < ak->n; k++)
		h = mix(mix(h, ak->key[k]), float_bits(ak->weight[k]));
	kn->own[i] = h;
}

static void
known_init(struct known *kn, const struct site *s, size_t nthreads)
{
	struct place_keys pk;
	struct know_job job = { kn, s, &pk };
	size_t n = s->narticles, i;

	memset(kn, 0, sizeof(*kn));
	kn->ids = xcalloc(n + 1, sizeof(*kn->ids));
	kn->keys = xcalloc(n + 1, sizeof(*kn->keys));
	kn->series = xcalloc(n + 1, sizeof(*kn->series));
	kn->traits = xcalloc(n + 1, sizeof(*kn->traits));
	kn->own = xcalloc(n + 1, sizeof(*kn->own));
	kn->seen = xcalloc(n + 1, sizeof(*kn->seen));
	place_keys_init(&pk, s);
	pool_for(nthreads, n, know_article, &job);
	place_keys_free(&pk);
	counter_reserve(&kn->by_id, n);
	kn->unique = true;
	for (i = 0; i < n && kn->unique; i++) {
		/* Two paths with one hash: trust nothing. */
		if (counter_get(&kn->by_id, kn->ids[i]) != 0)
			kn->unique = false;
		counter_add(&kn->by_id, kn->ids[i], (uint32_t)i + 1);
	}
}

static void
known_free(struct known *kn)
{
	free(kn->ids);
	free(kn->keys);
	free(kn->series);
	free(kn->traits);
	free(kn->own);
	free(kn->seen);
	counter_free(&kn->by_id);
}

/* The index of the article with identity id, or -1. */
static long
known_at(const struct known *kn, uint64_t id)
{
	return (long)counter_get(&kn->by_id, id) - 1;
}

struct posting {
	uint32_t article;
	float	 weight;
};

struct postings {
	struct posting *items;
	size_t	 n, cap;
};

struct index {
	struct postings *postings;	/* owned */
	uint64_t *keys;			/* owned; the term of each list */
	size_t	 nlists;
	uint32_t *term_lists;		/* owned; RELATED_KEYS per article:
					   the list number + 1 of each key */
};

/*
 * One share of the index while it is built: the terms whose keys fall to
 * it (see part_of), with lists numbered within the share.  Each share
 * has a thread and its own memory, so none waits on another.
 */
struct index_part {
	struct counter lists;		/* term -> list number + 1 */
	struct postings *postings;	/* owned until merged */
	uint64_t *keys;			/* likewise */
	size_t	 nlists, cap;
	uint32_t *term_lists;		/* as in struct index, for its terms */
};

/*
 * Whether posting x ranks before y: heavier, then the article of smaller
 * identity (ids[], per article), not the earlier one: a list so ordered
 * stays the same while its articles do, however the site's order moves
 * them, and the memo can keep it.
 */
static int
posting_before(const struct posting *x, const struct posting *y,
    const uint64_t *ids)
{
	if (x->weight != y->weight)
		return x->weight > y->weight;
	if (ids[x->article] != ids[y->article])
		return ids[x->article] < ids[y->article];
	return x->article < y->article;
}

static int
posting_by_weight(const void *a, const void *b, void *ids)
{
	return posting_before(b, a, ids) - posting_before(a, b, ids);
}

static void
postings_sort(struct postings *pl, const uint64_t *ids)
{
	if (pl->n < 2)		/* items may be NULL */
		return;
	qsort_r(pl->items, pl->n, sizeof(*pl->items), posting_by_weight,
	    (void *)ids);
}

/*
 * Keeps the champions(key) best postings offered to pl, the list of
 * key, in a min-heap on rank whose root is the weakest kept, as
 * heap_offer keeps terms: the lists of common bigrams run to thousands
 * of articles, and storing and sorting them whole took a quarter of
 * related_compute.
 */
static void
postings_offer(struct postings *pl, uint64_t key, struct posting p,
    const uint64_t *ids)
{
	struct posting *heap, tmp;
	size_t i, child;

	if (pl->n < champions(key)) {
		if (pl->n == pl->cap) {
			pl->cap = pl->cap ? pl->cap * 2 : 4;
			pl->items = xreallocarray(pl->items, pl->cap,
			    sizeof(*pl->items));
		}
		heap = pl->items;
		i = pl->n++;
		heap[i] = p;
		while (i > 0 &&
		    posting_before(&heap[(i - 1) / 2], &heap[i], ids)) {
			tmp = heap[i];
			heap[i] = heap[(i - 1) / 2];
			heap[(i - 1) / 2] = tmp;
			i = (i - 1) / 2;
		}
		return;
	}
	heap = pl->items;
	if (!posting_before(&p, &heap[0], ids))
		return;
	heap[0] = p;
	for (i = 0; (child = 2 * i + 1) < pl->n; i = child) {
		if (child + 1 < pl->n &&
		    posting_before(&heap[child], &heap[child + 1], ids))
			child++;
		if (!posting_before(&heap[i], &heap[child], ids))
			break;
		tmp = heap[i];
		heap[i] = heap[child];
		heap[child] = tmp;
	}
}

/* Offers the article to the term's list; returns the list number + 1. */
static uint32_t
index_add(struct index_part *ix, uint64_t key, size_t article, float weight,
    const uint64_t *ids)
{
	uint32_t list = counter_get(&ix->lists, key);
	struct posting p = { (uint32_t)article, weight };

	if (list == 0) {
		if (ix->nlists == ix->cap) {
			ix->cap = ix->cap ? ix->cap * 2 : 1024;
			ix->postings = xreallocarray(ix->postings, ix->cap,
			    sizeof(*ix->postings));
			ix->keys = xreallocarray(ix->keys, ix->cap,
			    sizeof(*ix->keys));
		}
		memset(&ix->postings[ix->nlists], 0, sizeof(*ix->postings));
		ix->keys[ix->nlists] = key;
		list = (uint32_t)++ix->nlists;
		counter_add(&ix->lists, key, list);
	}
	postings_offer(&ix->postings[list - 1], key, p, ids);
	return list;
}

/* The share of the index that term key falls to, of n. */
static size_t
part_of(uint64_t key, size_t n)
{
	/* The top bits: the counters' slots are chosen by lower ones. */
	return (size_t)((((key * 0x9E3779B97F4A7C15ULL) >> 56) * n) >> 8);
}

struct index_job {
	const struct site *site;
	const struct article_keys *keys;	/* per article */
	const uint64_t *ids;	/* identity per article */
	struct index *index;
	struct index_part *parts;
	size_t	 nparts;
	size_t	*first;		/* per part, the number of its first list */
};

static void
build_part(void *arg, size_t worker, size_t p)
{
	struct index_job *job = arg;
	const struct site *s = job->site;
	struct index_part *part = &job->parts[p];
	const struct article_keys *ak;
	uint32_t *lists;
	size_t i, k;

	(void)worker;
	part->term_lists = xcalloc(s->narticles + 1,
	    RELATED_KEYS * sizeof(*part->term_lists));
	/* Only articles have keys, so notes take no champion's place. */
	for (i = 0; i < s->narticles; i++) {
		ak = &job->keys[i];
		lists = &part->term_lists[i * RELATED_KEYS];
		for (k = 0; k < ak->n; k++)
			if (part_of(ak->key[k], job->nparts) == p)
				lists[k] = index_add(part, ak->key[k], i,
				    ak->weight[k], job->ids);
	}
	for (k = 0; k < part->nlists; k++)
		postings_sort(&part->postings[k], job->ids);
	counter_free(&part->lists);
}

/* Numbers article i's lists in the whole index, from its parts'. */
static void
merge_lists(void *arg, size_t worker, size_t i)
{
	struct index_job *job = arg;
	const struct article_keys *ak = &job->keys[i];
	uint32_t *lists = &job->index->term_lists[i * RELATED_KEYS];
	size_t k, p, at = i * RELATED_KEYS;

	(void)worker;
	for (k = 0; k < ak->n; k++) {
		p = part_of(ak->key[k], job->nparts);
		lists[k] = (uint32_t)job->first[p] +
		    job->parts[p].term_lists[at + k];
	}
}

static void
index_build(struct index *ix, const struct site *s,
    const struct article_keys *keys, const uint64_t *ids, size_t nthreads)
{
	struct index_job job = { s, keys, ids, ix, NULL,
	    pool_threads(nthreads), NULL };
	size_t p;

	job.parts = xcalloc(job.nparts, sizeof(*job.parts));
	job.first = xcalloc(job.nparts, sizeof(*job.first));
	pool_for(nthreads, job.nparts, build_part, &job);
	for (p = 0; p < job.nparts; p++) {
		job.first[p] = ix->nlists;
		ix->nlists += job.parts[p].nlists;
	}
	ix->postings = xcalloc(ix->nlists + 1, sizeof(*ix->postings));
	ix->keys = xcalloc(ix->nlists + 1, sizeof(*ix->keys));
	for (p = 0; p < job.nparts; p++) {
		if (job.parts[p].nlists == 0)
			continue;
		memcpy(&ix->postings[job.first[p]], job.parts[p].postings,
		    job.parts[p].nlists * sizeof(*ix->postings));
		memcpy(&ix->keys[job.first[p]], job.parts[p].keys,
		    job.parts[p].nlists * sizeof(*ix->keys));
	}
	ix->term_lists = xcalloc(s->narticles + 1,
	    RELATED_KEYS * sizeof(*ix->term_lists));
	pool_for(nthreads, s->narticles, merge_lists, &job);
	for (p = 0; p < job.nparts; p++) {
		free(job.parts[p].postings);
		free(job.parts[p].keys);
		free(job.parts[p].term_lists);
	}
	free(job.parts);
	free(job.first);
}

static void
index_free(struct index *ix)
{
	size_t k;

	for (k = 0; k < ix->nlists; k++)
		free(ix->postings[k].items);
	free(ix->postings);
	free(ix->keys);
	free(ix->term_lists);
}

static size_t
shared_themes(const struct site_article *a, const struct site_article *b)
{
	size_t i, j, n = 0;

	/* Both lists are in taxonomy order. */
	for (i = j = 0; i < a->themes.count && j < b->themes.count;) {
		if (a->themes.items[i] == b->themes.items[j]) {
			n++;
			i++;
			j++;
		} else if (a->themes.items[i] < b->themes.items[j])
			i++;
		else
			j++;
	}
	return n;
}

/*
 * The number of bits set in x.  __builtin_popcountll is a library call
 * where the target has no such instruction (x86-64 without -mpopcnt),
 * and it ran once per candidate.
 */
static unsigned
count_bits(uint64_t x)
{
	x = x - ((x >> 1) & 0x5555555555555555ULL);
	x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
	x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0FULL;
	return (unsigned)((x * 0x0101010101010101ULL) >> 56);
}

/* What one scoring thread owns. */
struct scorer {
	float	*acc;		/* score per article, 0 when untouched */
	uint32_t *touched;	/* articles with a score */
};

struct score_job {
	struct site *site;
	const struct index *index;
	const struct known *known;
	struct scorer *scorers;
	uint64_t *masks;	/* per article, its themes as bits, or NULL */
};

/*
 * What articles i and j share, as it adds to their score: 0 when they
 * share nothing, neither place nor series nor theme.
 */
static float
shared_weight(const struct score_job *job, size_t i, size_t j)
{
	const struct site_article *a = &job->site->articles[i];
	const struct site_article *b = &job->site->articles[j];
	float w = 0;
	size_t themes;

	if (a->district != SITE_NONE && a->district == b->district)
		w += DISTRICT_WEIGHT;
	else if (a->city != SITE_NONE && a->city == b->city)
		w += CITY_WEIGHT;
	else if (a->province != SITE_NONE && a->province == b->province)
		w += PROVINCE_WEIGHT;
	if (job->known->series[i] != 0 &&
	    job->known->series[i] == job->known->series[j])
		w += SERIES_WEIGHT;
	themes = job->masks ? count_bits(job->masks[i] & job->masks[j]) :
	    shared_themes(a, b);
	return w + THEME_WEIGHT * (float)(themes < THEMES_COUNTED ? themes :
	    THEMES_COUNTED);
}

/* Inserts b with score into the best list of a, kept in rank order. */
static void
keep_best(struct site_article *a, size_t b, float score, float *scores)
{
	size_t i = a->nrelated;

	if (i == SITE_RELATED_MAX) {
		if (score <= scores[i - 1])	/* ties: the earlier article */
			return;
		i--;
	} else
		a->nrelated++;
	while (i > 0 && score > scores[i - 1]) {
		a->related[i] = a->related[i - 1];
		scores[i] = scores[i - 1];
		i--;
	}
	a->related[i] = b;
	scores[i] = score;
}

static void
score_article(void *arg, size_t worker, size_t i)
{
	struct score_job *job = arg;
	struct site *s = job->site;
	struct site_article *a = &s->articles[i];
	const struct article_keys *ak = &job->known->keys[i];
	const uint32_t *lists = &job->index->term_lists[i * RELATED_KEYS];
	const struct postings *pl;
	float *acc = job->scorers[worker].acc;
	uint32_t *touched = job->scorers[worker].touched;
	float scores[SITE_RELATED_MAX], score, weight, shared;
	size_t k, p, n = 0;
	uint32_t b;

	a->nrelated = 0;
	/* Each key of an article is in the index: it was offered. */
	for (k = 0; k < ak->n; k++) {
		pl = &job->index->postings[lists[k] - 1];
		/* Read once: for all the compiler knows, acc[b] is it. */
		weight = ak->weight[k];
		for (p = 0; p < pl->n; p++) {
			b = pl->items[p].article;
			if (b == i)
				continue;
			/*
			 * Whether b is new is a coin toss a branch would
			 * mispredict: write b anyway, count it only if new.
			 */
			touched[n] = b;
			n += acc[b] == 0;
			acc[b] += weight * pl->items[p].weight;
		}
	}
	/* Candidates in the order first met, so equal scores rank stably. */
	for (k = 0; k < n; k++) {
		b = touched[k];
		score = acc[b];
		acc[b] = 0;
		if ((shared = shared_weight(job, i, b)) > 0)
			keep_best(a, b, score + shared, scores);
	}
}

/*
 * The last build's memo, as read: per article its identity, the hashes
 * struct known has and its related list; per champion list, in order of
 * term, the term, the list's hash and its postings (identity, weight).
 */
struct memo_view {
	uint32_t narticles;
	uint64_t *ids, *own, *seen;
	uint32_t *nrel;
	const unsigned char **rel;	/* nrel identities each */
	uint32_t nlists;
	uint64_t *keys, *hashes;
	uint32_t *n;
	const unsigned char **postings;	/* n of (identity, weight) */
	struct counter by_id;		/* identity -> article + 1 */
};

#define MEMO_POSTING	12	/* bytes: a u64 identity, a u32 weight */

static void
memo_alloc(struct memo_view *m)
{
	m->ids = xcalloc(m->narticles + 1, sizeof(*m->ids));
	m->own = xcalloc(m->narticles + 1, sizeof(*m->own));
	m->seen = xcalloc(m->narticles + 1, sizeof(*m->seen));
	m->nrel = xcalloc(m->narticles + 1, sizeof(*m->nrel));
	m->rel = xcalloc(m->narticles + 1, sizeof(*m->rel));
}

static void
memo_free(struct memo_view *m)
{
	free(m->ids);
	free(m->own);
	free(m->seen);
	free(m->nrel);
	free(m->rel);
	free(m->keys);
	free(m->hashes);
	free(m->n);
	free(m->postings);
	counter_free(&m->by_id);
	memset(m, 0, sizeof(*m));
}

static void
read_memo_lists(struct memo_view *m, struct ser_reader *r)
{
	uint32_t i;

	m->nlists = ser_read_u32(r);
	if (m->nlists > (size_t)(r->end - r->p) / 20) {
		r->bad = true;
		return;
	}
	m->keys = xcalloc(m->nlists + 1, sizeof(*m->keys));
	m->hashes = xcalloc(m->nlists + 1, sizeof(*m->hashes));
	m->n = xcalloc(m->nlists + 1, sizeof(*m->n));
	m->postings = xcalloc(m->nlists + 1, sizeof(*m->postings));
	for (i = 0; i < m->nlists && !r->bad; i++) {
		m->keys[i] = ser_read_u64(r);
		m->hashes[i] = ser_read_u64(r);
		m->n[i] = ser_read_u32(r);
		/* Keys are never 0, and in order. */
		if (m->n[i] > POSTINGS_PER_TERM ||
		    m->keys[i] <= (i > 0 ? m->keys[i - 1] : 0))
			r->bad = true;
		m->postings[i] = ser_read_bytes(r, (size_t)m->n[i] *
		    MEMO_POSTING);
	}
}

/* Reads the memo; 0, or -1 when it is missing or damaged. */
static int
memo_read(struct memo_view *m, const void *data, size_t len)
{
	struct ser_reader r;
	uint32_t i;

	memset(m, 0, sizeof(*m));
	if (data == NULL)
		return -1;
	ser_reader_init(&r, data, len);
	m->narticles = ser_read_u32(&r);
	if (m->narticles > len / 28)
		return -1;
	memo_alloc(m);
	counter_reserve(&m->by_id, m->narticles);
	for (i = 0; i < m->narticles && !r.bad; i++) {
		m->ids[i] = ser_read_u64(&r);
		m->own[i] = ser_read_u64(&r);
		m->seen[i] = ser_read_u64(&r);
		m->nrel[i] = ser_read_u32(&r);
		if (m->nrel[i] > SITE_RELATED_MAX || m->ids[i] == 0 ||
		    counter_get(&m->by_id, m->ids[i]) != 0)
			r.bad = true;
		else
			counter_add(&m->by_id, m->ids[i], i + 1);
		m->rel[i] = ser_read_bytes(&r, (size_t)m->nrel[i] * 8);
	}
	read_memo_lists(m, &r);
	if (r.bad || r.p != r.end) {
		memo_free(m);
		return -1;
	}
	return 0;
}

/* The number of the memo's list for term key, or -1. */
static long
memo_list(const struct memo_view *m, uint64_t key)
{
	size_t lo = 0, hi = m->nlists, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (m->keys[mid] < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < m->nlists && m->keys[lo] == key ? (long)lo : -1;
}

/* A posting's weight in the memo, where it lies. */
static float
read_weight_at(const unsigned char *p)
{
	uint32_t bits = ser_get_u32(p);
	float f;

	memcpy(&f, &bits, sizeof(f));
	return f;
}

/* The hash of a champion list, from the postings it holds now. */
static uint64_t
list_hash(const struct postings *pl, const struct known *kn)
{
	uint64_t h = pl->n;
	size_t p;

	for (p = 0; p < pl->n; p++) {
		h = mix(h, kn->ids[pl->items[p].article]);
		h = mix(h, float_bits(pl->items[p].weight));
		h = mix(h, kn->traits[pl->items[p].article]);
	}
	return h;
}

/* What one term of an article adds to its seen_hash. */
static uint64_t
seen_term(uint64_t key, uint64_t list_hash)
{
	return mix(mix(0x5EE5, key), list_hash);
}

/*
 * What score_article reads for article i besides its own hash: the
 * lists of its terms (list_hashes[], per term).  Combined by xor, so that
 * a list that changed is swapped in without looking up the others.
 */
static uint64_t
seen_hash(const struct known *kn, size_t i, const uint64_t *list_hashes)
{
	const struct article_keys *ak = &kn->keys[i];
	uint64_t h = 0;
	size_t k;

	for (k = 0; k < ak->n; k++)
		h ^= seen_term(ak->key[k], list_hashes[k]);
	return h;
}

/* The inputs of every article, from a whole index. */
struct inputs_job {
	const struct site *site;
	const struct index *index;
	struct known *known;
	uint64_t *list_hash;		/* per list */
};

static void
hash_list(void *arg, size_t worker, size_t k)
{
	struct inputs_job *job = arg;

	(void)worker;
	job->list_hash[k] = list_hash(&job->index->postings[k], job->known);
}

static void
hash_inputs(void *arg, size_t worker, size_t i)
{
	struct inputs_job *job = arg;
	const uint32_t *lists = &job->index->term_lists[i * RELATED_KEYS];
	const struct article_keys *ak = &job->known->keys[i];
	uint64_t hashes[RELATED_KEYS];
	size_t k;

	(void)worker;
	for (k = 0; k < ak->n; k++)
		hashes[k] = lists[k] ? job->list_hash[lists[k] - 1] : 0;
	job->known->seen[i] = seen_hash(job->known, i, hashes);
}

/*
 * Champion lists to write into the next memo, in order of term: those
 * of an index, or those rebuilt, beside the last memo's others.
 */
struct fresh_lists {
	struct postings *postings;	/* borrowed */
	const uint64_t *keys;		/* borrowed */
	uint64_t *hashes;		/* owned */
	uint32_t *order;		/* owned; list numbers by term */
	size_t	 n;
};

static int
by_key(const void *a, const void *b, void *keys)
{
	uint64_t x = ((const uint64_t *)keys)[*(const uint32_t *)a];
	uint64_t y = ((const uint64_t *)keys)[*(const uint32_t *)b];

	return (x > y) - (x < y);
}

static void
order_lists(struct fresh_lists *f)
{
	size_t k;

	f->order = xcalloc(f->n + 1, sizeof(*f->order));
	for (k = 0; k < f->n; k++)
		f->order[k] = (uint32_t)k;
	qsort_r(f->order, f->n, sizeof(*f->order), by_key, (void *)f->keys);
}

static void
write_fresh(struct buf *b, const struct fresh_lists *f, size_t k,
    const struct known *kn)
{
	const struct postings *pl = &f->postings[k];
	size_t p;

	ser_u64(b, f->keys[k]);
	ser_u64(b, f->hashes[k]);
	ser_u32(b, (uint32_t)pl->n);
	for (p = 0; p < pl->n; p++) {
		ser_u64(b, kn->ids[pl->items[p].article]);
		ser_u32(b, float_bits(pl->items[p].weight));
	}
}

static void
write_kept(struct buf *b, const struct memo_view *m, size_t k)
{
	ser_u64(b, m->keys[k]);
	ser_u64(b, m->hashes[k]);
	ser_u32(b, m->n[k]);
	buf_append(b, m->postings[k], (size_t)m->n[k] * MEMO_POSTING);
}

/*
 * Writes the memo: the articles, then the lists, the fresh ones merged
 * with those of old (if not NULL) whose terms are not in redone.
 */
static void
remember(const struct site *s, const struct known *kn,
    const struct fresh_lists *f, const struct memo_view *old,
    const struct counter *redone, struct buf *b)
{
	const struct site_article *a;
	size_t i, k, j = 0, n = 0, at;

	buf_truncate(b, 0);
	ser_u32(b, (uint32_t)s->narticles);
	for (i = 0; i < s->narticles; i++) {
		a = &s->articles[i];
		ser_u64(b, kn->ids[i]);
		ser_u64(b, kn->own[i]);
		ser_u64(b, kn->seen[i]);
		ser_u32(b, (uint32_t)a->nrelated);
		for (k = 0; k < a->nrelated; k++)
			ser_u64(b, kn->ids[a->related[k]]);
	}
	at = b->len;
	ser_u32(b, 0);
	for (k = 0; k < f->n || (old != NULL && j < old->nlists);) {
		if (old != NULL && j < old->nlists &&
		    counter_get(redone, old->keys[j]) != 0) {
			j++;
			continue;
		}
		if (old != NULL && j < old->nlists && (k == f->n ||
		    old->keys[j] < f->keys[f->order[k]]))
			write_kept(b, old, j++);
		else if (f->postings[f->order[k]].n == 0) {
			k++;
			continue;
		} else
			write_fresh(b, f, f->order[k++], kn);
		n++;
	}
	ser_put_u32((unsigned char *)b->data + at, (uint32_t)n);
}

/*
 * The lists the memo gives articles whose inputs are unchanged; marks
 * the others to be scored.
 */
static void
recall(struct site *s, const struct known *kn, const struct memo_view *m,
    bool *score)
{
	uint32_t i, k;
	long at, b;
	struct site_article *a;

	for (i = 0; i < s->narticles; i++)
		score[i] = true;
	if (!kn->unique)
		return;
	for (i = 0; i < m->narticles; i++) {
		at = known_at(kn, m->ids[i]);
		if (at < 0 || kn->own[at] != m->own[i] ||
		    kn->seen[at] != m->seen[i])
			continue;
		a = &s->articles[at];
		a->nrelated = 0;
		for (k = 0; k < m->nrel[i]; k++) {
			b = known_at(kn, ser_get_u64(m->rel[i] + 8 * k));
			if (b < 0)
				break;
			a->related[a->nrelated++] = (size_t)b;
		}
		if (k == m->nrel[i])
			score[at] = false;
	}
}

/*
 * The lists made again after a few articles changed: those of their
 * terms, and those they were champions in.
 */
struct redo {
	struct counter terms;		/* term -> number + 1 */
	struct postings *postings;	/* owned; per term */
	uint64_t *keys;			/* owned */
	uint64_t *hashes;		/* owned */
	uint64_t *old;			/* owned; the memo's hash, or 0 */
	bool	*changed;		/* owned; hash not the memo's */
	size_t	 n, cap;
};

static void
redo_add(struct redo *rd, uint64_t key)
{
	if (counter_get(&rd->terms, key) != 0)
		return;
	if (rd->n == rd->cap) {
		rd->cap = rd->cap ? rd->cap * 2 : 64;
		rd->postings = xreallocarray(rd->postings, rd->cap,
		    sizeof(*rd->postings));
		rd->keys = xreallocarray(rd->keys, rd->cap, sizeof(*rd->keys));
	}
	memset(&rd->postings[rd->n], 0, sizeof(*rd->postings));
	rd->keys[rd->n++] = key;
	counter_add(&rd->terms, key, (uint32_t)rd->n);
}

static void
redo_free(struct redo *rd)
{
	size_t k;

	for (k = 0; k < rd->n; k++)
		free(rd->postings[k].items);
	free(rd->postings);
	free(rd->keys);
	free(rd->hashes);
	free(rd->old);
	free(rd->changed);
	counter_free(&rd->terms);
	memset(rd, 0, sizeof(*rd));
}

/* The memo's number of article i, or -1. */
static long
memo_at(const struct memo_view *m, const struct known *kn, size_t i)
{
	return (long)counter_get(&m->by_id, kn->ids[i]) - 1;
}

/*
 * The terms whose lists must be made again: those of the articles whose
 * own hash is new (fresh[] marks them), and those of the lists that held
 * an article since changed or gone.  Returns how many articles changed.
 */
static size_t
find_changes(const struct site *s, const struct known *kn,
    const struct memo_view *m, bool *fresh, struct redo *rd)
{
	const struct article_keys *ak;
	struct counter gone = { 0 };
	size_t i, k, p, changed = 0;
	long j, at;

	for (i = 0; i < s->narticles; i++) {
		j = memo_at(m, kn, i);
		if (j >= 0 && m->own[j] == kn->own[i])
			continue;
		fresh[i] = true;
		changed++;
		ak = &kn->keys[i];
		for (k = 0; k < ak->n; k++)
			redo_add(rd, ak->key[k]);
	}
	for (i = 0; i < m->narticles; i++) {
		at = known_at(kn, m->ids[i]);
		if (at < 0 || kn->own[at] != m->own[i]) {
			counter_add(&gone, m->ids[i], 1);
			changed++;
		}
	}
	for (i = 0; gone.n > 0 && i < m->nlists; i++)
		for (p = 0; p < m->n[i]; p++)
			if (counter_get(&gone, ser_get_u64(m->postings[i] +
			    p * MEMO_POSTING)) != 0) {
				redo_add(rd, m->keys[i]);
				break;
			}
	counter_free(&gone);
	return changed;
}

/* The lists of rd made again from a share of the articles each. */
struct redo_job {
	const struct site *site;
	const struct known *known;
	const struct redo *rd;
	bool	*touched;
	struct postings **lists;	/* per share, per term of rd */
	size_t	 nshares;
};

static void
redo_share(void *arg, size_t worker, size_t share)
{
	struct redo_job *job = arg;
	const struct site *s = job->site;
	const struct article_keys *ak;
	size_t n = s->narticles, i, k, end = (share + 1) * n / job->nshares;
	struct posting p;
	uint32_t r;

	(void)worker;
	for (i = share * n / job->nshares; i < end; i++) {
		ak = &job->known->keys[i];
		for (k = 0; k < ak->n; k++) {
			r = counter_get(&job->rd->terms, ak->key[k]);
			if (r == 0)
				continue;
			p.article = (uint32_t)i;
			p.weight = ak->weight[k];
			postings_offer(&job->lists[share][r - 1],
			    job->rd->keys[r - 1], p,
			    job->known->ids);
			job->touched[i] = true;
		}
	}
}

/*
 * Makes the lists of rd again from every article, and marks in touched[]
 * the articles that have one of their terms.
 */
static void
redo_lists(const struct site *s, const struct known *kn,
    const struct memo_view *m, struct redo *rd, bool *touched,
    size_t nthreads)
{
	struct redo_job job = { s, kn, rd, touched, NULL,
	    pool_threads(nthreads) };
	size_t k, w, p;
	long l;

	job.lists = xcalloc(job.nshares, sizeof(*job.lists));
	for (w = 0; w < job.nshares; w++)
		job.lists[w] = xcalloc(rd->n + 1, sizeof(**job.lists));
	pool_for(nthreads, job.nshares, redo_share, &job);
	/* The first share's heaps take the others' postings. */
	for (w = 0; w < job.nshares; w++)
		for (k = 0; k < rd->n; k++) {
			for (p = 0; w > 0 && p < job.lists[w][k].n; p++)
				postings_offer(&job.lists[0][k], rd->keys[k],
				    job.lists[w][k].items[p], kn->ids);
			if (w > 0)
				free(job.lists[w][k].items);
		}
	for (k = 0; k < rd->n; k++)
		rd->postings[k] = job.lists[0][k];
	for (w = 0; w < job.nshares; w++)
		free(job.lists[w]);
	free(job.lists);
	rd->hashes = xcalloc(rd->n + 1, sizeof(*rd->hashes));
	rd->old = xcalloc(rd->n + 1, sizeof(*rd->old));
	rd->changed = xcalloc(rd->n + 1, sizeof(*rd->changed));
	for (k = 0; k < rd->n; k++) {
		postings_sort(&rd->postings[k], kn->ids);
		rd->hashes[k] = list_hash(&rd->postings[k], kn);
		l = memo_list(m, rd->keys[k]);
		rd->old[k] = l < 0 ? 0 : m->hashes[l];
		rd->changed[k] = l < 0 || m->hashes[l] != rd->hashes[k] ||
		    rd->postings[k].n == 0;
	}
}

/* The hash of the list of term key now; -1 when nothing knows it. */
static int
hash_of(const struct memo_view *m, const struct redo *rd, uint64_t key,
    uint64_t *h)
{
	uint32_t r = counter_get(&rd->terms, key);
	long l;

	if (r != 0) {
		*h = rd->hashes[r - 1];
		return 0;
	}
	if ((l = memo_list(m, key)) < 0)
		return -1;
	*h = m->hashes[l];
	return 0;
}

/*
 * The seen hash of an article that did not change, from the memo's:
 * each list of its terms that changed swapped in.  Returns -1 when the
 * memo had no such list: then it cannot tell.
 */
static int
update_seen(const struct article_keys *ak, const struct redo *rd,
    uint64_t *seen)
{
	uint32_t r;
	size_t k;

	for (k = 0; k < ak->n; k++) {
		r = counter_get(&rd->terms, ak->key[k]);
		if (r == 0 || !rd->changed[r - 1])
			continue;
		if (rd->old[r - 1] == 0)
			return -1;
		*seen ^= seen_term(ak->key[k], rd->old[r - 1]) ^
		    seen_term(ak->key[k], rd->hashes[r - 1]);
	}
	return 0;
}

/*
 * The seen hash of every article from the memo and the lists made again:
 * made anew for the articles that changed, updated for those that see a
 * list made again, the memo's for the others.  Returns -1 when the memo
 * cannot tell.
 */
static int
update_inputs(const struct site *s, struct known *kn,
    const struct memo_view *m, const struct redo *rd, const bool *fresh,
    const bool *touched)
{
	const struct article_keys *ak;
	uint64_t hashes[RELATED_KEYS];
	size_t i, k;

	for (i = 0; i < s->narticles; i++) {
		ak = &kn->keys[i];
		if (!fresh[i]) {
			kn->seen[i] = m->seen[memo_at(m, kn, i)];
			if (touched[i] && update_seen(ak, rd, &kn->seen[i]) == -1)
				return -1;
			continue;
		}
		for (k = 0; k < ak->n; k++)
			if (hash_of(m, rd, ak->key[k], &hashes[k]) == -1)
				return -1;
		kn->seen[i] = seen_hash(kn, i, hashes);
	}
	return 0;
}

/* Adds list key to ix with no postings; returns its number + 1. */
static uint32_t
index_list(struct index *ix, size_t *cap, uint64_t key)
{
	if (ix->nlists == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		ix->postings = xreallocarray(ix->postings, *cap,
		    sizeof(*ix->postings));
		ix->keys = xreallocarray(ix->keys, *cap, sizeof(*ix->keys));
	}
	memset(&ix->postings[ix->nlists], 0, sizeof(*ix->postings));
	ix->keys[ix->nlists] = key;
	return (uint32_t)++ix->nlists;
}

/* Fills pl with the memo's list l, its articles by index now. */
static int
list_from_memo(struct postings *pl, const struct memo_view *m, long l,
    const struct known *kn)
{
	const unsigned char *at;
	size_t p;
	long b;

	pl->n = pl->cap = m->n[l];
	pl->items = xcalloc(pl->cap + 1, sizeof(*pl->items));
	for (p = 0; p < pl->n; p++) {
		at = m->postings[l] + p * MEMO_POSTING;
		if ((b = known_at(kn, ser_get_u64(at))) < 0)
			return -1;
		pl->items[p].article = (uint32_t)b;
		pl->items[p].weight = read_weight_at(at + 8);
	}
	return 0;
}

/*
 * An index of only the lists the articles in which[] read, from those
 * made again and the memo's.  Returns -1 when the memo cannot tell.
 */
static int
index_for(struct index *ix, const struct site *s, const struct known *kn,
    const struct memo_view *m, const struct redo *rd, const uint32_t *which,
    size_t n)
{
	const struct article_keys *ak;
	struct counter have = { 0 };
	struct postings *pl;
	size_t w, k, i, cap = 0;
	uint32_t list, r;
	long l;
	int rc = 0;

	ix->term_lists = xcalloc(s->narticles + 1,
	    RELATED_KEYS * sizeof(*ix->term_lists));
	for (w = 0; w < n && rc == 0; w++) {
		i = which[w];
		ak = &kn->keys[i];
		for (k = 0; k < ak->n && rc == 0; k++) {
			if ((list = counter_get(&have, ak->key[k])) == 0) {
				list = index_list(ix, &cap, ak->key[k]);
				counter_add(&have, ak->key[k], list);
				pl = &ix->postings[list - 1];
				r = counter_get(&rd->terms, ak->key[k]);
				l = memo_list(m, ak->key[k]);
				if (r != 0) {
					pl->n = pl->cap = rd->postings[r - 1].n;
					pl->items = xcalloc(pl->n + 1,
					    sizeof(*pl->items));
					memcpy(pl->items,
					    rd->postings[r - 1].items,
					    pl->n * sizeof(*pl->items));
				} else if (l < 0 ||
				    list_from_memo(pl, m, l, kn) == -1)
					rc = -1;
			}
			ix->term_lists[i * RELATED_KEYS + k] = list;
		}
	}
	counter_free(&have);
	return rc;
}

/* Scores the articles marked, only. */
struct marked_job {
	struct score_job *score;
	const uint32_t *which;
};

static void
score_marked(void *arg, size_t worker, size_t i)
{
	struct marked_job *job = arg;

	score_article(job->score, worker, job->which[i]);
}

/* Scores the n articles in which[] (all of them when which is NULL). */
static void
score_all(struct site *s, const struct index *ix, const struct known *kn,
    size_t nthreads, const uint32_t *which, size_t n)
{
	struct score_job job = { s, ix, kn, NULL, NULL };
	struct marked_job marked = { &job, which };
	size_t nworkers = pool_threads(nthreads), w, i, k;

	/* Shared themes by counting common bits, where a word holds them. */
	if (s->nthemes <= 64) {
		job.masks = xcalloc(s->narticles + 1, sizeof(*job.masks));
		for (i = 0; i < s->narticles; i++)
			for (k = 0; k < s->articles[i].themes.count; k++)
				job.masks[i] |= 1ULL <<
				    s->articles[i].themes.items[k];
	}
	job.scorers = xcalloc(nworkers, sizeof(*job.scorers));
	for (w = 0; w < nworkers; w++) {
		job.scorers[w].acc = xcalloc(s->narticles + 1, sizeof(float));
		job.scorers[w].touched = xcalloc(s->narticles + 1,
		    sizeof(uint32_t));
	}
	if (which != NULL)
		pool_for(nworkers, n, score_marked, &marked);
	else
		pool_for(nworkers, s->narticles, score_article, &job);
	for (w = 0; w < nworkers; w++) {
		free(job.scorers[w].acc);
		free(job.scorers[w].touched);
	}
	free(job.scorers);
	free(job.masks);
}

/* The articles recall left to be scored, into which[]; how many. */
static size_t
to_score(const struct site *s, const bool *score, uint32_t *which)
{
	size_t i, n = 0;

	for (i = 0; i < s->narticles; i++)
		if (score[i])
			which[n++] = (uint32_t)i;
	return n;
}

/*
 * With a memo that knows most articles as they are: only the lists of
 * the articles that changed are made again, and only the articles that
 * see a change are scored.  Returns -1, having changed nothing the
 * caller keeps, when the memo cannot tell; the whole index must then be
 * built.
 */
static int
related_update(struct site *s, struct known *kn, const struct memo_view *m,
    size_t nthreads, struct buf *next)
{
	struct redo rd = { 0 };
	struct index ix = { 0 };
	struct fresh_lists f = { 0 };
	bool *fresh = xcalloc(s->narticles + 1, sizeof(*fresh));
	bool *touched = xcalloc(s->narticles + 1, sizeof(*touched));
	bool *score = xcalloc(s->narticles + 1, sizeof(*score));
	uint32_t *which = xcalloc(s->narticles + 1, sizeof(*which));
	size_t n;
	int rc = -1;

	/* Many changes: the whole index costs no more than this. */
	if (!kn->unique ||
	    find_changes(s, kn, m, fresh, &rd) > s->narticles / 4 + 16)
		goto out;
	redo_lists(s, kn, m, &rd, touched, nthreads);
	if (update_inputs(s, kn, m, &rd, fresh, touched) == -1)
		goto out;
	recall(s, kn, m, score);
	n = to_score(s, score, which);
	if (index_for(&ix, s, kn, m, &rd, which, n) == -1)
		goto out;
	score_all(s, &ix, kn, nthreads, which, n);
	f.postings = rd.postings;
	f.keys = rd.keys;
	f.hashes = rd.hashes;
	f.n = rd.n;
	order_lists(&f);
	remember(s, kn, &f, m, &rd.terms, next);
	free(f.order);
	rc = 0;
out:
	index_free(&ix);
	redo_free(&rd);
	free(fresh);
	free(touched);
	free(score);
	free(which);
	return rc;
}

void
related_compute(struct site *s, size_t nthreads, struct related_memo *memo)
{
	struct index ix = { 0 };
	struct known kn;
	struct memo_view m;
	struct inputs_job inputs;
	struct fresh_lists f = { 0 };
	struct counter none = { 0 };
	bool *score = NULL;
	uint32_t *which = NULL;
	size_t n;
	int have_memo;

	known_init(&kn, s, nthreads);
	have_memo = memo != NULL &&
	    memo_read(&m, memo->prev, memo->prev_len) == 0;
	if (have_memo && related_update(s, &kn, &m, nthreads,
	    &memo->next) == 0)
		goto out;
	index_build(&ix, s, kn.keys, kn.ids, nthreads);
	if (memo == NULL) {
		score_all(s, &ix, &kn, nthreads, NULL, 0);
		goto out;
	}
	inputs = (struct inputs_job){ s, &ix, &kn, NULL };
	inputs.list_hash = xcalloc(ix.nlists + 1, sizeof(*inputs.list_hash));
	pool_for(nthreads, ix.nlists, hash_list, &inputs);
	pool_for(nthreads, s->narticles, hash_inputs, &inputs);
	score = xcalloc(s->narticles + 1, sizeof(*score));
	which = xcalloc(s->narticles + 1, sizeof(*which));
	if (have_memo)
		recall(s, &kn, &m, score);
	else
		memset(score, true, s->narticles * sizeof(*score));
	n = to_score(s, score, which);
	score_all(s, &ix, &kn, nthreads, which, n);
	f.postings = ix.postings;
	f.keys = ix.keys;
	f.hashes = inputs.list_hash;
	f.n = ix.nlists;
	order_lists(&f);
	remember(s, &kn, &f, NULL, &none, &memo->next);
	free(f.order);
	free(inputs.list_hash);
out:
	if (have_memo)
		memo_free(&m);
	index_free(&ix);
	known_free(&kn);
	free(score);
	free(which);
}
