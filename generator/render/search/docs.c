/*
 * Article files, as docs.h describes them: the plain text of an article
 * made from the site model, and the code it is written in, with copies
 * of what came before found through a hash of three characters (LZ77
 * over code points rather than bytes).
 */
#include "docs.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "../../model/text.h"
#include "../../util/utf8.h"
#include "../../util/xalloc.h"
#include "bytes.h"
#include "search_chars.h"

#define CODE_ONE	SEARCH_CHARS_ONE /* characters coded in one byte */
#define CODE_ESCAPE	0xFF	/* then three bytes of a code point */
#define CODE_DIRECT	0x10000	/* characters below: a direct table */
#define LZ_MIN		3	/* characters a copy holds at least */
#define LZ_BIAS		14	/* a copy's length + LZ_BIAS: 0x11 to 0xFF */
#define LZ_MAX		(0xFF - LZ_BIAS) /* characters a copy holds at most */
#define LZ_CHAIN	8	/* earlier places tried for a copy */

/*
 * The ranges of code points a two-byte code counts through, in turn;
 * together they fill the 95 lead bytes (CODE_ONE to 254) exactly.
 */
static const struct window {
	int32_t	 first;
	uint32_t count;
} windows[] = {
	{ 0x4E00, 0x5200 },	/* CJK unified ideographs */
	{ 0x3000, 0x100 },	/* CJK punctuation, kana */
	{ 0xFF00, 0x100 },	/* full- and half-width forms */
	{ 0x2000, 0x600 },	/* punctuation, letterlike, arrows, shapes */
	{ 0x0080, 0x480 },	/* Latin, IPA, Greek, Cyrillic */
	{ 0x0000, 0x80 },	/* ASCII */
};
#define NWINDOWS	(sizeof(windows) / sizeof(windows[0]))

/*
 * How each BMP character is coded: 0 escaped, 1 to CODE_ONE one byte
 * (the value - 1), more two bytes (the value - CODE_ONE - 1).
 */
struct search_coder {
	uint16_t code[CODE_DIRECT];
	int32_t	 one[CODE_ONE];	/* the one-byte table */
	size_t	 none;		/* entries in it */
};

/*
 * Decodes the code point at s[*pos] and moves past it, as utf8_next does
 * but inline: this runs for every character of every article, twice.
 * The loader has checked the text; a bad byte still decodes as U+FFFD.
 */
static inline int32_t
next_char(const char *s, size_t len, size_t *pos)
{
	const unsigned char *p = (const unsigned char *)s + *pos;
	size_t left = len - *pos, n, i;
	int32_t cp;

	if (p[0] < 0x80) {
		*pos += 1;
		return p[0];
	}
	/* Han characters, most of the text, take three bytes. */
	if (p[0] >= 0xE0 && p[0] < 0xF0 && left >= 3 &&
	    (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80) {
		*pos += 3;
		return (p[0] & 0x0F) << 12 | (p[1] & 0x3F) << 6 |
		    (p[2] & 0x3F);
	}
	if (p[0] >= 0xC2 && p[0] < 0xE0) {
		n = 2;
		cp = p[0] & 0x1F;
	} else if (p[0] >= 0xE0 && p[0] < 0xF0) {
		n = 3;
		cp = p[0] & 0x0F;
	} else if (p[0] >= 0xF0 && p[0] < 0xF5) {
		n = 4;
		cp = p[0] & 0x07;
	} else
		n = 0;
	if (n == 0 || n > left)
		goto bad;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xC0) != 0x80)
			goto bad;
		cp = cp << 6 | (p[i] & 0x3F);
	}
	*pos += n;
	return cp;
bad:
	*pos += 1;
	return 0xFFFD;
}

struct search_coder *
search_coder_new(void)
{
	struct search_coder *c = xcalloc(1, sizeof(*c));
	size_t i, pos = 0, len = strlen(search_chars_one);
	uint32_t v = CODE_ONE + 1, k;
	int32_t cp;

	for (i = 0; i < NWINDOWS; i++)
		for (k = 0; k < windows[i].count; k++)
			c->code[windows[i].first + (int32_t)k] = (uint16_t)v++;
	while (pos < len && c->none < CODE_ONE) {
		cp = utf8_next(search_chars_one, len, &pos);
		if (cp < CODE_DIRECT)
			c->code[cp] = (uint16_t)(c->none + 1);
		c->one[c->none++] = cp;
	}
	return c;
}

void
search_coder_free(struct search_coder *c)
{
	free(c);
}

void
search_lz_free(struct search_lz *z)
{
	free(z->cps);
	free(z->prev);
	memset(z, 0, sizeof(*z));
}

/* The bytes character code takes in an article file. */
static unsigned
code_size(unsigned code)
{
	return code == 0 ? 4 : code <= CODE_ONE ? 1 : 2;
}

static unsigned
code_of(const struct search_coder *c, int32_t cp)
{
	return cp < CODE_DIRECT ? c->code[cp] : 0;
}

static unsigned char *
put_char(unsigned char *o, const struct search_coder *c, int32_t cp)
{
	unsigned code = code_of(c, cp), v;

	if (code == 0) {
		*o++ = CODE_ESCAPE;
		*o++ = (unsigned char)(cp >> 16);
		*o++ = (unsigned char)(cp >> 8 & 0xFF);
		*o++ = (unsigned char)(cp & 0xFF);
	} else if (code <= CODE_ONE) {
		*o++ = (unsigned char)(code - 1);
	} else {
		v = code - CODE_ONE - 1;
		*o++ = (unsigned char)(CODE_ONE + v / 256);
		*o++ = (unsigned char)(v % 256);
	}
	return o;
}

static uint32_t
lz_hash(const int32_t *cp)
{
	uint32_t h = (uint32_t)cp[0] * 0x9E3779B1u + (uint32_t)cp[1] *
	    0x85EBCA77u + (uint32_t)cp[2] * 0xC2B2AE3Du;

	return h >> (32 - SEARCH_LZ_HASH_BITS);
}

/* Files position i as the latest with its first three characters. */
static void
lz_insert(struct search_lz *z, size_t n, size_t i)
{
	uint32_t h;

	if (i + LZ_MIN > n)
		return;
	h = lz_hash(z->cps + i);
	z->prev[i] = z->head[h];
	z->head[h] = (int32_t)i;
}

/*
 * The longest earlier copy of the text at i: its length, and *dist.  Of
 * places as long, the latest wins.  Then files i as lz_insert does, with
 * the hash already made.
 */
static size_t
lz_longest(struct search_lz *z, size_t n, size_t i, size_t *dist)
{
	const int32_t *cps = z->cps;
	int32_t at;
	uint32_t h;
	size_t best = 0, l, steps, most = n - i < LZ_MAX ? n - i : LZ_MAX;

	if (n - i < LZ_MIN)
		return 0;
	h = lz_hash(cps + i);
	at = z->head[h];
	for (steps = 0; at >= 0 && steps < LZ_CHAIN && best < most;
	    steps++, at = z->prev[at]) {
		/* Only a place that also matches at best can be longer. */
		if (cps[at + best] != cps[i + best])
			continue;
		for (l = 0; l < most && cps[at + l] == cps[i + l]; l++)
			;
		if (l > best) {
			best = l;
			*dist = i - (size_t)at;
		}
	}
	z->prev[i] = z->head[h];
	z->head[h] = (int32_t)i;
	return best;
}

/*
 * Whether a copy of the len characters at cps, dist back, takes fewer
 * bytes than the characters do.  Counting stops once the characters
 * outweigh the copy, so a long copy is not counted to its end.
 */
static bool
copy_pays(const struct search_coder *c, const int32_t *cps, size_t len,
    size_t dist)
{
	size_t copy = 2 + search_varint_size(dist), literal = 0, k;

	if (len < LZ_MIN)
		return false;
	for (k = 0; k < len && literal <= copy; k++)
		literal += code_size(code_of(c, cps[k]));
	return copy < literal;
}

/* Makes room in z for n characters. */
static void
lz_reserve(struct search_lz *z, size_t n)
{
	if (n <= z->cap)
		return;
	z->cap = n;
	z->cps = xreallocarray(z->cps, z->cap, sizeof(*z->cps));
	z->prev = xreallocarray(z->prev, z->cap, sizeof(*z->prev));
}

size_t
search_doc_chars(struct search_lz *z, const char *doc, size_t len)
{
	size_t pos = 0, n = 0;

	lz_reserve(z, len + 1);
	while (pos < len)
		z->cps[n++] = next_char(doc, len, &pos);
	return n;
}

void
search_doc_encode(struct buf *out, struct search_lz *z, size_t n,
    const struct search_coder *c)
{
	size_t i, k, best, dist = 0;
	unsigned char *o;

	memset(z->head, 0xFF, sizeof(z->head));
	/* No character takes more than four bytes, nor a copy. */
	buf_truncate(out, 0);
	buf_grow(out, n * 4 + 16);
	o = (unsigned char *)out->data;
	for (i = 0; i < n;) {
		best = lz_longest(z, n, i, &dist);
		if (copy_pays(c, z->cps + i, best, dist)) {
			*o++ = CODE_ESCAPE;
			*o++ = (unsigned char)(best + LZ_BIAS);
			for (; dist >= 0x80; dist >>= 7)
				*o++ = (unsigned char)((dist & 0x7F) | 0x80);
			*o++ = (unsigned char)dist;
			for (k = 1; k < best; k++)
				lz_insert(z, n, i + k);
			i += best;
		} else
			o = put_char(o, c, z->cps[i++]);
	}
	out->len = (size_t)((char *)o - out->data);
	out->data[out->len] = '\0';
}

/* The next character of an article file, at *i; -1 when there is none. */
static int32_t
decode_char(const unsigned char *p, size_t len, size_t *i,
    const struct search_coder *c)
{
	uint32_t v;
	size_t w;

	if (p[*i] < CODE_ONE)
		return p[*i] < c->none ? c->one[p[(*i)++]] : -1;
	if (*i + 1 >= len)
		return -1;
	v = (uint32_t)(p[*i] - CODE_ONE) * 256 + p[*i + 1];
	*i += 2;
	for (w = 0; w < NWINDOWS && v >= windows[w].count; w++)
		v -= windows[w].count;
	return w < NWINDOWS ? windows[w].first + (int32_t)v : -1;
}

int
search_doc_decode(struct search_lz *z, const unsigned char *p, size_t len,
    const struct search_coder *c, size_t *count)
{
	struct search_reader r = { p, len, 0, false };
	size_t n = 0, k, copied;
	uint64_t dist;
	int32_t cp;

	while (r.pos < len) {
		if (n + LZ_MAX + 1 > z->cap)
			lz_reserve(z, (n + LZ_MAX + 1) * 2);
		if (p[r.pos] != CODE_ESCAPE) {
			if ((cp = decode_char(p, len, &r.pos, c)) < 0)
				return -1;
			z->cps[n++] = cp;
		} else if (r.pos + 1 < len && p[r.pos + 1] <= 0x10) {
			if (r.pos + 3 >= len)
				return -1;
			z->cps[n++] = p[r.pos + 1] << 16 | p[r.pos + 2] << 8 |
			    p[r.pos + 3];
			r.pos += 4;
		} else {
			if (r.pos + 1 >= len)
				return -1;
			copied = p[r.pos + 1] - (size_t)LZ_BIAS;
			r.pos += 2;
			dist = search_read_varint(&r);
			if (r.bad || dist == 0 || dist > n)
				return -1;
			for (k = 0; k < copied; k++, n++)
				z->cps[n] = z->cps[n - dist];
		}
	}
	*count = n;
	return 0;
}

/* Appends s (may be NULL) with line breaks turned into spaces. */
static void
put_field(struct buf *out, const char *s)
{
	size_t start = out->len, i;

	if (s != NULL)
		buf_puts(out, s);
	for (i = start; i < out->len; i++)
		if (out->data[i] == '\n' || out->data[i] == '\r')
			out->data[i] = ' ';
	buf_putc(out, '\n');
}

void
search_doc_make(struct buf *out, const struct site_article *a)
{
	const struct article *src = a->src;
	struct text_plain plain;

	buf_truncate(out, 0);
	put_field(out, a->path);
	put_field(out, src->title);
	buf_puts(out, src->province ? src->province : "");
	buf_puts(out, src->city ? src->city : "");
	put_field(out, src->district);
	put_field(out, src->author);
	buf_puts(out, src->author_title ? src->author_title : "");
	/* As the model found it reading the body this build, or anew. */
	if (src->digest != NULL && src->digest->plain_note != NULL &&
	    src->body != NULL) {
		text_plain_unpack(src->digest->plain_note,
		    src->digest->plain_note_len, src->body, out);
		return;
	}
	text_plain_parse(src->body, src->body_len, &plain);
	buf_append(out, plain.text, plain.len);
	text_plain_free(&plain);
}
