/*
 * Related articles, the module's contract (related.h): an article's
 * description by its terms, here, and related_compute, which runs the
 * algorithm (related_index.c) alone or through the memo a build keeps
 * (related_memo.c).
 */
#include "related_internal.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>

#include "../util/utf8.h"
#include "idf_data.h"

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
	while (at = pos, (cp = utf8_next_fast(body, len, &pos)) != -1) {
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


void
related_compute(struct site *s, size_t nthreads, struct related_memo *memo)
{
	struct related_index ix = { 0 };
	struct related_known kn;

	related_known_init(&kn, s, nthreads);
	if (memo != NULL)
		related_memo_compute(s, &kn, nthreads, memo);
	else {
		related_index_build(&ix, s, kn.keys, kn.ids, nthreads);
		related_score(s, &ix, &kn, nthreads, NULL, 0);
		related_index_free(&ix);
	}
	related_known_free(&kn);
}

/* The themes a and b share, in taxonomy order, into out[]; how many. */
static size_t
shared_themes(const struct site_article *a, const struct site_article *b,
    size_t *out, size_t room)
{
	size_t i = 0, j = 0, n = 0;

	/* Both lists are in taxonomy order. */
	while (i < a->themes.count && j < b->themes.count && n < room) {
		if (a->themes.items[i] < b->themes.items[j])
			i++;
		else if (a->themes.items[i] > b->themes.items[j])
			j++;
		else {
			out[n++] = a->themes.items[i];
			i++;
			j++;
		}
	}
	return n;
}

void
related_why(const struct site *s, const struct site_article *a,
    const struct site_article *b, struct buf *out)
{
	size_t themes[RELATED_WHY_THEMES + 1], n, named, chars = 0;
	size_t start = out->len;
	const char *name;

	if (a->district != SITE_NONE && a->district == b->district) {
		buf_puts(out, "同在");
		if (a->src->city != NULL)
			buf_puts(out, a->src->city);
		buf_puts(out, s->districts[a->district].name);
	} else if (a->city != SITE_NONE && a->city == b->city) {
		buf_puts(out, "同在");
		buf_puts(out, s->cities[a->city].name);
	} else if (a->province != SITE_NONE && a->province == b->province) {
		buf_puts(out, "同在");
		buf_puts(out, s->provinces[a->province].name);
	}
	/*
	 * The card is on a's page, which names the series.  A dot is held
	 * to the words before it (a no-break space): no line starts with it.
	 */
	if (a->src->series != NULL && b->src->series != NULL &&
	    strcmp(a->src->series, b->src->series) == 0)
		buf_puts(out, out->len > start ? "\u00A0· 同属本系列" :
		    "同属本系列");
	n = shared_themes(a, b, themes, RELATED_WHY_THEMES + 1);
	for (named = 0; named < n && named < RELATED_WHY_THEMES; named++) {
		name = s->themes[themes[named]].def->name;
		chars += utf8_length(name, strlen(name));
		if (named > 0 && chars > RELATED_WHY_CHARS)
			break;
		buf_puts(out, named ? "、" : out->len > start ? "\u00A0· 都谈" :
		    "都谈");
		buf_puts(out, name);
	}
	if (named < n)
		buf_puts(out, "等");
}
