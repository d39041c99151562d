/*
 * Sets and entries, the codes sets.h describes: written from postings
 * when an index is made, read back when a build patches the previous
 * one.  A set is a bitmap or a Rice code, whichever is smaller.
 */
#include "sets.h"

#include <stdlib.h>
#include <string.h>

#include "../../util/xalloc.h"

#define RICE_MAX	24
#define TF_RICE_MAX	7	/* Rice parameter of occurrences at most */

/*
 * Bits written from the low bit of each byte up, straight into room
 * made for all of them first: a set can hold thousands of numbers, and
 * growing a buffer a byte at a time cost more than the coding.
 */
struct bits {
	unsigned char *o;	/* the next byte */
	uint64_t acc;
	unsigned n;		/* bits in acc */
};

/* Starts writing bits to out, making room for nbits of them. */
static void
bits_start(struct bits *w, struct buf *out, uint64_t nbits)
{
	buf_grow(out, (size_t)((nbits + 7) / 8));
	w->o = (unsigned char *)out->data + out->len;
	w->acc = 0;
	w->n = 0;
}

/* Appends count bits (at most 24) of v; four bytes go out at once. */
static inline void
bits_put(struct bits *w, uint32_t v, unsigned count)
{
	w->acc |= (uint64_t)v << w->n;
	w->n += count;
	if (w->n >= 32) {
		w->o[0] = (unsigned char)(w->acc & 0xFF);
		w->o[1] = (unsigned char)(w->acc >> 8 & 0xFF);
		w->o[2] = (unsigned char)(w->acc >> 16 & 0xFF);
		w->o[3] = (unsigned char)(w->acc >> 24 & 0xFF);
		w->o += 4;
		w->acc >>= 32;
		w->n -= 32;
	}
}

/* Appends v Rice-coded with parameter k. */
static inline void
bits_rice(struct bits *w, uint32_t v, unsigned k)
{
	uint32_t q;

	for (q = v >> k; q >= 24; q -= 24)
		bits_put(w, 0xFFFFFF, 24);
	bits_put(w, (1u << q) - 1, q + 1);
	if (k > 0)
		bits_put(w, v & ((1u << k) - 1), k);
}

/* Ends on a byte boundary and closes out after the bytes written. */
static void
bits_end(struct bits *w, struct buf *out)
{
	for (; w->n >= 8; w->n -= 8, w->acc >>= 8)
		*w->o++ = (unsigned char)(w->acc & 0xFF);
	if (w->n > 0)
		*w->o++ = (unsigned char)(w->acc & 0xFF);
	out->len = (size_t)((char *)w->o - out->data);
	out->data[out->len] = '\0';
}

/*
 * The Rice parameter for these gaps, or -1 when a bitmap is smaller;
 * *nbits: the bits the Rice code takes.
 */
static int
choose_coding(const uint32_t *v, size_t n, uint32_t universe, uint64_t *nbits)
{
	uint64_t mean = (v[n - 1] + 1 - n) / n, cost, best, sums[3] = { 0 };
	uint32_t prev = 0, gap;
	unsigned k0 = 0, k, lo, hi;
	size_t i;
	int choice = -1;

	/* The best k is near log2(mean gap * ln 2); try its neighbours. */
	while (k0 < RICE_MAX && (2ull << k0) <= mean * 69 / 100 * 2)
		k0++;
	lo = k0 > 0 ? k0 - 1 : 0;
	hi = k0 < RICE_MAX ? k0 + 1 : RICE_MAX;
	/* The quotients of all three in one pass over the gaps. */
	for (i = 0; i < n; i++) {
		gap = v[i] - prev;
		prev = v[i] + 1;
		sums[0] += gap >> lo;
		sums[1] += gap >> (lo + 1);
		sums[2] += gap >> (lo + 2);
	}
	best = ((uint64_t)universe + 7) / 8 * 8;
	*nbits = 0;
	for (k = lo; k <= hi; k++) {
		cost = (uint64_t)n * (k + 1) + sums[k - lo];
		if (cost < best) {
			best = cost;
			*nbits = cost;
			choice = (int)k;
		}
	}
	return choice;
}

void
search_set_put(struct buf *out, const uint32_t *v, size_t n, uint32_t universe)
{
	struct bits w;
	uint32_t prev = 0;
	uint64_t nbits;
	size_t i, base;
	int k;

	search_put_varint(out, n);
	if (n == 0)
		return;
	k = choose_coding(v, n, universe, &nbits);
	buf_putc(out, (char)(k + 1));
	if (k < 0) {
		base = out->len;
		buf_grow(out, (universe + 7) / 8);
		memset(out->data + base, 0, (universe + 7) / 8);
		for (i = 0; i < n; i++)
			out->data[base + v[i] / 8] |= (char)(1u << (v[i] % 8));
		out->len = base + (universe + 7) / 8;
		out->data[out->len] = '\0';
		return;
	}
	bits_start(&w, out, nbits);
	for (i = 0; i < n; i++) {
		bits_rice(&w, v[i] - prev, (unsigned)k);
		prev = v[i] + 1;
	}
	bits_end(&w, out);
}

size_t
search_set_read(struct search_reader *r, uint32_t universe, uint32_t **v,
    size_t *cap)
{
	uint64_t n = search_read_varint(r), bit, end, gap, q;
	uint32_t base = 0, low, x, value;
	size_t i;
	unsigned k;

	if (r->bad || n > universe || (n > 0 && r->pos >= r->len))
		goto bad;
	if (n == 0)
		return 0;
	if (n > *cap) {
		*cap = (size_t)n;
		*v = xreallocarray(*v, *cap, sizeof(**v));
	}
	if ((k = r->p[r->pos++]) == 0) {
		if (r->len - r->pos < ((uint64_t)universe + 7) / 8)
			goto bad;
		for (value = 0, i = 0; value < universe; value++)
			if (r->p[r->pos + value / 8] >> (value % 8) & 1) {
				if (i == n)
					goto bad;
				(*v)[i++] = value;
			}
		if (i != n)
			goto bad;
		r->pos += ((size_t)universe + 7) / 8;
		return (size_t)n;
	}
	if (--k > RICE_MAX)
		goto bad;
	bit = (uint64_t)r->pos * 8;
	end = (uint64_t)r->len * 8;
	for (i = 0; i < n; i++) {
		for (q = 0; bit < end && (r->p[bit / 8] >> (bit % 8) & 1);
		    bit++)
			if (++q > universe)
				goto bad;
		if (bit + 1 + k > end)
			goto bad;
		bit++;
		for (x = 0, low = 0; x < k; x++, bit++)
			low |= (uint32_t)(r->p[bit / 8] >> (bit % 8) & 1) << x;
		gap = (q << k) + low;
		if (base + gap >= universe)
			goto bad;
		value = (uint32_t)(base + gap);
		(*v)[i] = value;
		base = value + 1;
	}
	r->pos = (size_t)((bit + 7) / 8);
	return (size_t)n;
bad:
	r->bad = true;
	return 0;
}

void
search_postings_reserve(struct search_postings *p, size_t n)
{
	if (n <= p->cap)
		return;
	p->cap = n;
	p->docs = xreallocarray(p->docs, n, sizeof(*p->docs));
	p->strong = xreallocarray(p->strong, n, sizeof(*p->strong));
	p->tf = xreallocarray(p->tf, n, sizeof(*p->tf));
}

void
search_postings_push(struct search_postings *p, uint32_t doc, uint8_t strong,
    uint8_t tf)
{
	if (p->n == p->cap)
		search_postings_reserve(p, p->cap ? p->cap * 2 : 64);
	p->docs[p->n] = doc;
	p->strong[p->n] = strong;
	p->tf[p->n++] = tf;
}

bool
search_postings_equal(const struct search_postings *a,
    const struct search_postings *b)
{
	return a->n == b->n &&
	    memcmp(a->docs, b->docs, a->n * sizeof(*a->docs)) == 0 &&
	    memcmp(a->strong, b->strong, a->n) == 0 &&
	    memcmp(a->tf, b->tf, a->n) == 0;
}

void
search_postings_free(struct search_postings *p)
{
	free(p->docs);
	free(p->strong);
	free(p->tf);
	memset(p, 0, sizeof(*p));
}

static void
scratch_reserve(uint32_t **v, size_t *cap, size_t n)
{
	if (n > *cap) {
		*cap = n;
		*v = xreallocarray(*v, n, sizeof(**v));
	}
}

void
search_scratch_free(struct search_scratch *sc)
{
	free(sc->a);
	free(sc->b);
	memset(sc, 0, sizeof(*sc));
}

/*
 * The Rice parameter that codes the occurrences of p in fewest bits;
 * *nbits: how many.
 */
static unsigned
choose_tf_coding(const struct search_postings *p, uint64_t *nbits)
{
	uint64_t hist[SEARCH_TF_MAX] = { 0 }, cost, best = UINT64_MAX;
	unsigned k, v, top = 0, choice = 0;
	size_t i;

	/* Most terms are in few articles, holding them a few times. */
	for (i = 0; i < p->n; i++) {
		hist[p->tf[i] - 1]++;
		if (p->tf[i] > top)
			top = p->tf[i];
	}
	for (k = 0; k <= TF_RICE_MAX; k++) {
		for (v = 0, cost = 0; v < top; v++)
			cost += hist[v] * (1 + k + (v >> k));
		if (cost < best) {
			best = cost;
			choice = k;
		}
	}
	*nbits = best;
	return choice;
}

void
search_entry_encode(const struct search_postings *p, uint32_t ndocs,
    struct search_scratch *sc, struct buf *out)
{
	struct bits w;
	size_t i, k;
	unsigned rice;
	uint64_t nbits;
	bool once = true;

	scratch_reserve(&sc->a, &sc->acap, p->n);
	for (i = 0, k = 0; i < p->n; i++) {
		if (p->strong[i])
			sc->a[k++] = (uint32_t)i;
		once &= p->tf[i] == 1;
	}
	search_set_put(out, p->docs, p->n, ndocs);
	search_set_put(out, sc->a, k, (uint32_t)p->n);
	if (once) {
		search_put_varint(out, 0);
		return;
	}
	rice = choose_tf_coding(p, &nbits);
	search_put_varint(out, rice + 1);
	bits_start(&w, out, nbits);
	for (i = 0; i < p->n; i++)
		bits_rice(&w, p->tf[i] - 1u, rice);
	bits_end(&w, out);
}

/* Reads n occurrences Rice-coded with parameter k into tf. */
static void
read_tf(struct search_reader *r, size_t n, unsigned k, uint8_t *tf)
{
	uint64_t bit = (uint64_t)r->pos * 8, end = (uint64_t)r->len * 8;
	uint32_t q, low, x;
	size_t i;

	for (i = 0; i < n && !r->bad; i++) {
		for (q = 0; bit < end && (r->p[bit / 8] >> (bit % 8) & 1); bit++)
			q++;
		if (bit + 1 + k > end) {
			r->bad = true;
			break;
		}
		bit++;
		for (x = 0, low = 0; x < k; x++, bit++)
			low |= (uint32_t)(r->p[bit / 8] >> (bit % 8) & 1) << x;
		if ((q << k) + low >= SEARCH_TF_MAX)
			r->bad = true;
		tf[i] = (uint8_t)((q << k) + low + 1);
	}
	r->pos = (size_t)((bit + 7) / 8);
}

int
search_entry_decode(const unsigned char *e, size_t len, uint32_t ndocs,
    struct search_postings *p, struct search_scratch *sc)
{
	struct search_reader r = { e, len, 0, false };
	size_t n, k, i;
	uint64_t rice;

	/* No term is in no article. */
	if ((n = search_set_read(&r, ndocs, &sc->a, &sc->acap)) == 0)
		return -1;
	search_postings_reserve(p, n);
	p->n = n;
	memcpy(p->docs, sc->a, n * sizeof(*p->docs));
	memset(p->strong, 0, n);
	memset(p->tf, 1, n);
	k = search_set_read(&r, (uint32_t)n, &sc->b, &sc->bcap);
	for (i = 0; i < k; i++)
		p->strong[sc->b[i]] = 1;
	if ((rice = search_read_varint(&r)) > TF_RICE_MAX + 1)
		r.bad = true;
	else if (rice > 0)
		read_tf(&r, n, (unsigned)rice - 1, p->tf);
	return r.bad || r.pos != len ? -1 : 0;
}
