/*
 * The terms of the search index, as terms.h tells them, read from every
 * character of every article: the loop of search_terms_add_doc is the
 * index's hottest, so a character's class and a single character's term
 * are table lookups, and pairs and triples are found by open addressing
 * on their packed code points.
 */
#include "terms.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "../../util/utf8.h"
#include "../../util/xalloc.h"

#define UNIGRAM_DIRECT	0x10000	/* characters below: a direct table */
#define DOC_STRONG_FIRST 1	/* lines of a doc: 0 path, 1-3 strong */
#define DOC_STRONG_LAST	3

enum char_class {
	CLASS_SEPARATOR,
	CLASS_WORD,		/* ASCII letter or digit, folded */
	CLASS_GRAM,		/* Han, or another letter or digit */
};

static int32_t
fold(int32_t cp)
{
	if (cp >= 0xFF01 && cp <= 0xFF5E)
		cp -= 0xFEE0;
	else if (cp == 0x3000)
		cp = ' ';
	if (cp >= 'A' && cp <= 'Z')
		cp += 'a' - 'A';
	return cp;
}

static enum char_class
classify_slowly(int32_t cp)
{
	utf8proc_category_t c;

	if (cp < 0x80) {
		if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9'))
			return CLASS_WORD;
		return CLASS_SEPARATOR;
	}
	if (utf8_is_han(cp))
		return CLASS_GRAM;
	c = utf8proc_category(cp);
	if ((c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO) ||
	    (c >= UTF8PROC_CATEGORY_ND && c <= UTF8PROC_CATEGORY_NO))
		return CLASS_GRAM;
	return CLASS_SEPARATOR;
}

/*
 * The class of every BMP character, looked up once: Chinese punctuation,
 * a tenth of the text, would otherwise ask utf8proc each time.
 */
static uint8_t bmp_classes[UNIGRAM_DIRECT];
static pthread_once_t bmp_classes_once = PTHREAD_ONCE_INIT;

static void
fill_bmp_classes(void)
{
	int32_t cp;

	for (cp = 0; cp < UNIGRAM_DIRECT; cp++)
		bmp_classes[cp] = (uint8_t)classify_slowly(cp);
}

static inline enum char_class
classify(int32_t cp)
{
	if (cp < UNIGRAM_DIRECT)
		return (enum char_class)bmp_classes[cp];
	return classify_slowly(cp);
}

/* FNV-1a, then a finaliser so that the low bits mix. */
uint32_t
search_hash_key(const char *key, size_t len)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)key[i];
		h *= 16777619u;
	}
	h ^= h >> 16;
	h *= 0x7feb352du;
	h ^= h >> 15;
	h *= 0x846ca68bu;
	h ^= h >> 16;
	return h;
}

void
search_term_key(const int32_t cp[3], char *key, size_t *keylen)
{
	size_t i;

	*keylen = 0;
	for (i = 0; i < 3 && cp[i] != 0; i++)
		*keylen += utf8_encode(cp[i], key + *keylen);
}

int
search_compare_keys(const char *a, size_t alen, const char *b, size_t blen)
{
	int c = memcmp(a, b, alen < blen ? alen : blen);

	if (c != 0)
		return c;
	return (alen > blen) - (alen < blen);
}

static uint32_t
term_new(struct search_terms *ix)
{
	if (ix->nterms == ix->cap) {
		ix->cap = ix->cap ? ix->cap * 2 : 1024;
		ix->terms = xreallocarray(ix->terms, ix->cap,
		    sizeof(*ix->terms));
		ix->tallies = xreallocarray(ix->tallies, ix->cap,
		    sizeof(*ix->tallies));
	}
	memset(&ix->terms[ix->nterms], 0, sizeof(ix->terms[0]));
	memset(&ix->tallies[ix->nterms], 0, sizeof(ix->tallies[0]));
	return (uint32_t)ix->nterms++;
}

/*
 * Fibonacci hashing: the slot is the top bits of the product, which all
 * of the key's bits reach.  Its low bits would depend only on the last
 * character's low bits, and pairs ending alike would crowd together.
 */
static size_t
find_slot(const struct search_grams *g, uint64_t key)
{
	size_t mask = g->nslots - 1;
	size_t i = (size_t)((key * 0x9E3779B97F4A7C15ull) >> (64 - g->bits));

	while (g->slots[i].key != 0 && g->slots[i].key != key)
		i = (i + 1) & mask;
	return i;
}

static void
grams_grow(struct search_grams *g)
{
	struct search_gram_slot *old = g->slots;
	size_t n = g->nslots, i;

	g->bits = n ? g->bits + 1 : 12;
	g->nslots = (size_t)1 << g->bits;
	g->slots = xcalloc(g->nslots, sizeof(*g->slots));
	for (i = 0; i < n; i++)
		if (old[i].key != 0)
			g->slots[find_slot(g, old[i].key)] = old[i];
	free(old);
}

/*
 * Appends one article to a term's postings, in about a byte: the gap
 * from the article after the previous one, whether the term is in a
 * strong field, and its occurrences, tf - 1 in the low two bits up to 3
 * and any more in a varint after.
 */
static void
put_posting(struct buf *b, uint32_t gap, unsigned tf, bool strong)
{
	unsigned low = tf - 1 < 3 ? tf - 1 : 3;

	search_put_varint(b, (uint64_t)gap << 3 | (unsigned)strong << 2 | low);
	if (low == 3)
		search_put_varint(b, tf - 4);
}

static uint32_t
get_posting(const char *s, size_t *pos, unsigned *tf, bool *strong)
{
	uint64_t v = search_get_varint(s, pos);

	*strong = v >> 2 & 1;
	*tf = (unsigned)(v & 3) + 1;
	if ((v & 3) == 3)
		*tf += (unsigned)search_get_varint(s, pos);
	return (uint32_t)(v >> 3);
}

/*
 * Counts one occurrence of term id in the article being read.  Inline,
 * as is term_for's lookup: both run up to three times a character.
 */
static inline void
touch(struct search_terms *ix, uint32_t id, bool strong)
{
	struct search_tally *t = &ix->tallies[id];

	/*
	 * The first in this article: search_terms_add_doc empties the
	 * tallies after.
	 */
	if (t->tf == 0) {
		if (ix->ntouched == ix->touched_cap) {
			ix->touched_cap = ix->touched_cap ?
			    ix->touched_cap * 2 : 1024;
			ix->touched = xreallocarray(ix->touched,
			    ix->touched_cap, sizeof(*ix->touched));
		}
		ix->touched[ix->ntouched++] = id;
	}
	if (t->tf < SEARCH_TF_MAX)
		t->tf++;
	t->strong |= strong;
}

static uint64_t
pack_key(int32_t a, int32_t b, int32_t c)
{
	return (uint64_t)a << 42 | (uint64_t)b << 21 | (uint64_t)c;
}

/* Adds the term of one to three characters that term_for did not find. */
static uint32_t
term_add(struct search_terms *ix, int32_t a, int32_t b, int32_t c)
{
	struct search_grams *g = &ix->grams;
	uint32_t id = term_new(ix);
	size_t slot;

	ix->terms[id].cp[0] = a;
	ix->terms[id].cp[1] = b;
	ix->terms[id].cp[2] = c;
	if (b == 0 && a < UNIGRAM_DIRECT) {
		ix->unigrams[a] = id + 1;
		return id;
	}
	if ((g->count + 1) * 2 > g->nslots)
		grams_grow(g);
	slot = find_slot(g, pack_key(a, b, c));
	g->slots[slot].key = pack_key(a, b, c);
	g->slots[slot].id = id;
	g->count++;
	return id;
}

/* The term of one to three characters (b, c: 0 when absent). */
static inline uint32_t
term_for(struct search_terms *ix, int32_t a, int32_t b, int32_t c)
{
	const struct search_grams *g = &ix->grams;
	size_t slot;

	/* One character is a table lookup in the BMP, where nearly all are. */
	if (b == 0 && a < UNIGRAM_DIRECT) {
		if (ix->unigrams[a] != 0)
			return ix->unigrams[a] - 1;
	} else if (g->nslots > 0) {
		slot = find_slot(g, pack_key(a, b, c));
		if (g->slots[slot].key != 0)
			return g->slots[slot].id;
	}
	return term_add(ix, a, b, c);
}

int64_t
search_terms_find(const struct search_terms *ix, const int32_t cp[3])
{
	const struct search_grams *g = &ix->grams;
	size_t slot;

	if (cp[1] == 0 && cp[0] < UNIGRAM_DIRECT)
		return (int64_t)ix->unigrams[cp[0]] - 1;
	if (g->nslots == 0)
		return -1;
	slot = find_slot(g, pack_key(cp[0], cp[1], cp[2]));
	return g->slots[slot].key == 0 ? -1 : (int64_t)g->slots[slot].id;
}

void
search_terms_init(struct search_terms *ix, uint32_t first)
{
	pthread_once(&bmp_classes_once, fill_bmp_classes);
	memset(ix, 0, sizeof(*ix));
	ix->unigrams = xcalloc(UNIGRAM_DIRECT, sizeof(*ix->unigrams));
	ix->doc = first;
}

void
search_terms_free(struct search_terms *ix)
{
	size_t i;

	for (i = 0; i < ix->nterms; i++)
		buf_free(&ix->terms[i].post);
	free(ix->terms);
	free(ix->tallies);
	free(ix->grams.slots);
	free(ix->touched);
	free(ix->unigrams);
	memset(ix, 0, sizeof(*ix));
}

void
search_terms_add_doc(struct search_terms *ix, const int32_t *cps, size_t n)
{
	size_t k, line = 0, i, runlen = 0;
	int32_t cp, prev = 0, before = 0;
	enum char_class c, run = CLASS_SEPARATOR;
	bool strong = false;
	struct search_term *t;
	struct search_tally *tally;

	for (k = 0; k < n; k++) {
		cp = cps[k];
		if (cp == '\n') {
			run = CLASS_SEPARATOR;
			line++;
			strong = line >= DOC_STRONG_FIRST &&
			    line <= DOC_STRONG_LAST;
			continue;
		}
		if (line == 0)
			continue;
		cp = fold(cp);
		if ((c = classify(cp)) != run)
			runlen = 0;
		if (c != CLASS_SEPARATOR) {
			touch(ix, term_for(ix, cp, 0, 0), strong);
			if (runlen >= 1)
				touch(ix, term_for(ix, prev, cp, 0), strong);
			if (runlen >= 2 && c == CLASS_WORD)
				touch(ix, term_for(ix, before, prev, cp),
				    strong);
			runlen++;
		}
		run = c;
		before = prev;
		prev = cp;
	}
	for (i = 0; i < ix->ntouched; i++) {
		t = &ix->terms[ix->touched[i]];
		tally = &ix->tallies[ix->touched[i]];
		put_posting(&t->post, ix->doc - t->next, tally->tf,
		    tally->strong);
		t->next = ix->doc + 1;
		t->df++;
		tally->tf = 0;
		tally->strong = false;
	}
	ix->ntouched = 0;
	ix->doc++;
}

void
search_terms_union(struct search_terms *ix, const struct search_terms *part)
{
	const struct search_term *t;
	size_t i;

	for (i = 0; i < part->nterms; i++) {
		t = &part->terms[i];
		term_for(ix, t->cp[0], t->cp[1], t->cp[2]);
	}
}

void
search_term_decode_append(const struct search_term *t, const uint32_t *map,
    struct search_postings *p)
{
	size_t pos = 0, i, n = p->n;
	uint32_t doc = 0;
	unsigned tf;
	bool strong;

	search_postings_reserve(p, n + t->df);
	for (i = n; i < n + t->df; i++) {
		doc += get_posting(t->post.data, &pos, &tf, &strong);
		p->docs[i] = map != NULL ? map[doc] : doc;
		p->strong[i] = strong;
		p->tf[i] = (uint8_t)tf;
		doc++;
	}
	p->n = n + t->df;
}

void
search_term_decode(const struct search_term *t, const uint32_t *map,
    struct search_postings *p)
{
	p->n = 0;
	search_term_decode_append(t, map, p);
}
