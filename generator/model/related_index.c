/*
 * The related-articles algorithm.  Each article is listed in an index
 * under its keys (its terms and facets, see related_internal.h); each
 * list keeps only its champions, the articles that weigh its key most;
 * an article's score against another accumulates through the lists of
 * its own keys, then what the two share is added, and the best
 * SITE_RELATED_MAX are kept.
 */
#include "related_internal.h"

#include <xxhash.h>

#include "../util/pool.h"

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

/* What an article is known by from one build to the next. */
static uint64_t
identity(const struct site_article *a)
{
	uint64_t h = XXH3_64bits(a->path, strlen(a->path));

	return h ? h : 1;
}

/*
 * The facet keys and name hashes of the site's places and themes, made
 * once: per article, they cost a dozen hashes where its terms cost none.
 */
struct place_keys {
	uint64_t *district, *city, *province, *theme;	/* facet keys */
	uint64_t *district_name, *city_name, *province_name; /* name_hash */
};

struct know_job {
	struct related_known *known;
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
	struct related_known *kn = job->known;
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

void
related_known_init(struct related_known *kn, const struct site *s,
    size_t nthreads)
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

void
related_known_free(struct related_known *kn)
{
	free(kn->ids);
	free(kn->keys);
	free(kn->series);
	free(kn->traits);
	free(kn->own);
	free(kn->seen);
	counter_free(&kn->by_id);
}

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
	uint32_t *term_lists;		/* as in struct related_index, for its terms */
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

void
related_postings_sort(struct postings *pl, const uint64_t *ids)
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
void
related_postings_offer(struct postings *pl, uint64_t key,
    struct posting p, const uint64_t *ids)
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
	related_postings_offer(&ix->postings[list - 1], key, p, ids);
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
	struct related_index *index;
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
		related_postings_sort(&part->postings[k], job->ids);
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

void
related_index_build(struct related_index *ix, const struct site *s,
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

void
related_index_free(struct related_index *ix)
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
	const struct related_index *index;
	const struct related_known *known;
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
void
related_score(struct site *s, const struct related_index *ix,
    const struct related_known *kn, size_t nthreads, const uint32_t *which,
    size_t n)
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
