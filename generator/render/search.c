/*
 * The search index, read by assets/search.js.  Everything a query needs
 * comes in small files, so a reader fetches a few kilobytes, not the
 * whole index: the manifest once, the shards of the query's terms, and
 * the text of the ten or so articles shown.  Paths are relative to the
 * folder, so the site works under any sub-path.
 *
 * Every file but index.json is a script, so that a copy of the site
 * opened from disk (file://), where a page may not fetch another file,
 * can load it with a <script> element; over HTTP the script fetches it
 * as bytes.  Either way the binary data below costs little more: the
 * script is one call, jicengSearch("NAME", "DATA"), NAME its path below
 * search/ without ".js", DATA a string whose every character is one
 * byte of the data, the file being read as windows-1252 (the script
 * element says so), with only \, ", LF and CR escaped (\\ \" \n \r):
 * about 1.6% more bytes than the data, for data whose bytes are evenly
 * spread.
 *
 *   search/index.json  the manifest: format, build (a hash of the other
 *                      files, which the script adds to their addresses so
 *                      no cache mixes two builds), docs (article count),
 *                      shards (bits of the term hash that pick a shard),
 *                      provinces as [name, first, end) ranges of article
 *                      numbers (site order groups them), theme slugs, and
 *                      chars, the characters article files code in one
 *                      byte
 *   search/index.js    the same as a script, jicengSearch("index", {...})
 *   search/s/HEX.js    a shard: every term whose hash & (2^shards - 1) is
 *                      HEX, written with (shards + 3) / 4 digits; there
 *                      are about SHARD_TARGET bytes in each
 *   search/d/N.js      article N in site order: the text the script
 *                      checks matches against, counts them in and cuts
 *                      snippets from
 *   search/t/N.js      a set: the articles that carry theme N
 *
 * Terms.  Text is folded first (full-width ASCII to ASCII, ASCII to lower
 * case), then read as runs: of Han characters (and other non-ASCII
 * letters and digits), or of ASCII letters and digits, so "5G网络" is
 * the word "5g" and the Han run "网络".  A run gives each character and
 * each pair of neighbours, so any substring of one or two characters has
 * its own postings and a longer one is found through its pairs; a part of
 * a word or number ("345" of "12345") is found as a plain substring scan
 * would.  Ten digits and 26 letters make pairs that say little ("12345"
 * has pairs a hundred articles share), so an ASCII run also gives each
 * three neighbours.  Nothing crosses a change of run, punctuation,
 * spaces or the end of a field.  Terms are found in the title, place and
 * author (the "strong" fields, which rank first) and in the author's
 * title and body.
 *
 * Binary formats (varint: unsigned LEB128):
 *
 *   shard  varint count, then count terms sorted by key bytes, each
 *          varint keylen, key (UTF-8), varint entrylen, entry
 *   entry  set A of articles holding the term (universe: article count);
 *          set T of positions in A where it is in a strong field
 *          (universe: |A|); varint m: 0 when each article of A holds
 *          the term once, else m - 1 is the parameter k of the Rice
 *          code (as in sets) of |A| numbers, each article's occurrences
 *          (at most TF_MAX) minus one, in the order of A, ending on a
 *          byte boundary
 *   set    varint n; when n > 0, one byte mode, then bits read from the
 *          low bit of each byte up: mode 0 is a bitmap of the universe,
 *          mode k + 1 the n gaps (each value minus the previous minus 1,
 *          the first value itself) Rice-coded with parameter k: the
 *          quotient in unary (ones ended by a zero), then k low bits.
 *          The set ends on a byte boundary.
 *   hash   FNV-1a (32 bits) of the key's bytes, then h ^= h >> 16,
 *          h *= 0x7feb352d, h ^= h >> 15, h *= 0x846ca68b, h ^= h >> 16
 *   doc    lines joined by '\n': path of the page from the site root,
 *          title, place, author, author's title, then one line per
 *          paragraph of the body as plain text; a character in the
 *          manifest's chars (CODE_ONE of them, a fixed table) is one
 *          byte, its rank; a byte b from CODE_ONE to 254 starts a pair,
 *          v = (b - CODE_ONE) * 256 + the next byte, which counts
 *          through these ranges of code points in turn: U+4E00-9FFF,
 *          U+3000-30FF, U+FF00-FFFF, U+2000-25FF, U+0080-04FF,
 *          U+0000-007F; any other character is 0xFF and three bytes of
 *          its code point, high byte first (so at most 0x10).  0xFF and
 *          a byte b above 0x10 are a copy of the b - 14 characters that
 *          start d characters back, d a varint that follows.  Chinese
 *          text takes 1.2 to 1.5 bytes a character where UTF-8 takes 3.
 *
 * A build keeps a state file beside the build cache: the build it was
 * made by, the shard count, and for each article a fingerprint of its
 * text's inputs and the hash of its file.  The next build, finding the
 * output folder as that build committed it, reads only the articles
 * whose fingerprint changed and patches the entries whose postings
 * differ, decoding the old files; any doubt (another binary, another
 * article count, many changes, a file not as recorded, a new shard
 * count) and it builds the index anew.
 */
#include "search.h"

#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#include <xxhash.h>

#include "../util/buf.h"
#include "../util/fs.h"
#include "../util/pool.h"
#include "../util/ser.h"
#include "../util/utf8.h"
#include "../util/xalloc.h"
#include "search_chars.h"

#define SEARCH_FORMAT	3
#define SHARD_TARGET	2048	/* bytes a shard holds on average */
#define SHARD_BITS_MIN	4
#define SHARD_BITS_MAX	14	/* 16384 files at most */
#define TF_MAX		127	/* occurrences counted per article */
#define TF_RICE_MAX	7	/* Rice parameter of occurrences at most */
#define CODE_ONE	SEARCH_CHARS_ONE /* characters coded in one byte */
#define CODE_ESCAPE	0xFF	/* then three bytes of a code point */
#define PART_MIN	64	/* articles in a range at least */
#define PARTS_MAX	8	/* ranges read in parallel at most */
#define RICE_MAX	24
#define UNIGRAM_DIRECT	0x10000	/* characters below: a direct table */
#define DOC_STRONG_FIRST 1	/* lines of a doc: 0 path, 1-3 strong */
#define DOC_STRONG_LAST	3
#define PATCH_MIN	32	/* changed articles a patch always takes */
#define LZ_MIN		3	/* characters a copy holds at least */
#define LZ_BIAS		14	/* a copy's length + LZ_BIAS: 0x11 to 0xFF */
#define LZ_MAX		(0xFF - LZ_BIAS) /* characters a copy holds at most */
#define LZ_CHAIN	8	/* earlier places tried for a copy */
#define LZ_HASH_BITS	12
#define STATE_MAGIC	"JICENGS2"	/* the state's format */

enum char_class {
	CLASS_SEPARATOR,
	CLASS_WORD,		/* ASCII letter or digit, folded */
	CLASS_GRAM,		/* Han, or another letter or digit */
};

struct term {
	int32_t	 cp[3];		/* its characters, 0 after the last */
	uint32_t df;		/* articles posted */
	uint32_t next;		/* the article after the last one posted */
	struct buf post;	/* per article: see put_posting */
	size_t	 worker;	/* whose entries hold the encoded entry */
	size_t	 off, len;	/* the encoded entry, within them */
};

/*
 * A term in the article being read, apart from struct term so that the
 * loop over every character touches few cache lines.
 */
struct tally {
	uint8_t	 tf;		/* occurrences in it, at most TF_MAX */
	uint8_t	 strong;	/* whether one was in a strong field */
};

/* Open addressing from a term's packed code points to its number. */
struct gram_slot {
	uint64_t key;		/* 0 marks an empty slot */
	uint32_t id;
};

struct grams {
	struct gram_slot *slots; /* owned */
	size_t	 nslots;	/* a power of two */
	unsigned bits;		/* log2 of nslots */
	size_t	 count;
};

struct index {
	struct term *terms;	/* owned */
	struct tally *tallies;	/* owned; one per term */
	size_t	 nterms, cap;
	struct grams grams;
	uint32_t *touched;	/* owned; terms of the article being read */
	size_t	 ntouched, touched_cap;
	uint32_t doc;		/* the article being read */
	uint32_t *unigrams;	/* owned; term id + 1 of each BMP character */
};

/* A term's place in the output, for sorting. */
struct slot {
	uint32_t shard;
	uint32_t id;
	char	 key[12];	/* UTF-8 of its characters */
	size_t	 keylen;
};

/* One term's postings, decoded: parallel arrays in article order. */
struct plist {
	uint32_t *docs;		/* owned; article numbers, increasing */
	uint8_t	*strong;	/* owned; in a strong field */
	uint8_t	*tf;		/* owned; occurrences, at most TF_MAX */
	size_t	 n, cap;
};

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

/* Working arrays for coding an article file. */
struct lz {
	int32_t	*cps;		/* owned; its characters */
	int32_t	*prev;		/* owned; per place: the one before with
				   the same first three characters, or -1 */
	size_t	 cap;		/* of both */
	int32_t	 head[1 << LZ_HASH_BITS]; /* the latest place, or -1 */
};

/*
 * How each BMP character is coded: 0 escaped, 1 to CODE_ONE one byte
 * (the value - 1), more two bytes (the value - CODE_ONE - 1).
 */
struct coder {
	uint16_t code[UNIGRAM_DIRECT];
	int32_t	 one[CODE_ONE];	/* the one-byte table */
	size_t	 none;		/* entries in it */
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

/*
 * The hash that picks a term's shard: FNV-1a over the key's bytes, then
 * a finaliser so that the low bits mix.  assets/search.js computes the
 * same in 32-bit arithmetic.
 */
static uint32_t
hash_key(const char *key, size_t len)
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

/*
 * Appends v as an unsigned LEB128 varint.  Inline, and growing only when
 * the room runs short: every posting of every term comes through here.
 */
static inline void
put_varint(struct buf *b, uint64_t v)
{
	unsigned char *o;

	if (b->cap - b->len < 12)
		buf_grow(b, 11);
	o = (unsigned char *)b->data + b->len;
	while (v >= 0x80) {
		*o++ = (unsigned char)((v & 0x7F) | 0x80);
		v >>= 7;
	}
	*o++ = (unsigned char)v;
	*o = '\0';
	b->len = (size_t)((char *)o - b->data);
}

/*
 * Reads a varint of bytes this build wrote.  Most postings take a byte,
 * which the first test returns.
 */
static inline uint64_t
get_varint(const char *s, size_t *pos)
{
	unsigned char c = (unsigned char)s[(*pos)++];
	uint64_t v = c & 0x7F;
	unsigned shift = 7;

	if (c < 0x80)
		return v;
	do {
		c = (unsigned char)s[(*pos)++];
		v |= (uint64_t)(c & 0x7F) << shift;
		shift += 7;
	} while (c & 0x80);
	return v;
}

/*
 * Bytes from a file of an earlier build: checked by hash before they
 * are read, but read so that no corruption can take a read out of them.
 */
struct reader {
	const unsigned char *p;
	size_t	 len, pos;
	bool	 bad;		/* a read went past the end, or was absurd */
};

static uint64_t
read_varint(struct reader *r)
{
	uint64_t v = 0;
	unsigned shift = 0;
	unsigned char c;

	do {
		if (r->pos >= r->len || shift > 63) {
			r->bad = true;
			return 0;
		}
		c = r->p[r->pos++];
		v |= (uint64_t)(c & 0x7F) << shift;
		shift += 7;
	} while (c & 0x80);
	return v;
}

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

/* The code of article files. */

static struct coder *
coder_new(void)
{
	struct coder *c = xcalloc(1, sizeof(*c));
	size_t i, pos = 0, len = strlen(search_chars_one);
	uint32_t v = CODE_ONE + 1, k;
	int32_t cp;

	for (i = 0; i < NWINDOWS; i++)
		for (k = 0; k < windows[i].count; k++)
			c->code[windows[i].first + (int32_t)k] = (uint16_t)v++;
	while (pos < len && c->none < CODE_ONE) {
		cp = utf8_next(search_chars_one, len, &pos);
		if (cp < UNIGRAM_DIRECT)
			c->code[cp] = (uint16_t)(c->none + 1);
		c->one[c->none++] = cp;
	}
	return c;
}

/* The bytes character code takes in an article file. */
static unsigned
code_size(unsigned code)
{
	return code == 0 ? 4 : code <= CODE_ONE ? 1 : 2;
}

static unsigned
code_of(const struct coder *c, int32_t cp)
{
	return cp < UNIGRAM_DIRECT ? c->code[cp] : 0;
}

static unsigned char *
put_char(unsigned char *o, const struct coder *c, int32_t cp)
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

static unsigned
varint_size(uint64_t v)
{
	unsigned n = 1;

	while (v >= 0x80) {
		v >>= 7;
		n++;
	}
	return n;
}

static uint32_t
lz_hash(const int32_t *cp)
{
	uint32_t h = (uint32_t)cp[0] * 0x9E3779B1u + (uint32_t)cp[1] *
	    0x85EBCA77u + (uint32_t)cp[2] * 0xC2B2AE3Du;

	return h >> (32 - LZ_HASH_BITS);
}

/* Files position i as the latest with its first three characters. */
static void
lz_insert(struct lz *z, size_t n, size_t i)
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
lz_longest(struct lz *z, size_t n, size_t i, size_t *dist)
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
copy_pays(const struct coder *c, const int32_t *cps, size_t len,
    size_t dist)
{
	size_t copy = 2 + varint_size(dist), literal = 0, k;

	if (len < LZ_MIN)
		return false;
	for (k = 0; k < len && literal <= copy; k++)
		literal += code_size(code_of(c, cps[k]));
	return copy < literal;
}

/* Makes room in z for n characters. */
static void
lz_reserve(struct lz *z, size_t n)
{
	if (n <= z->cap)
		return;
	z->cap = n;
	z->cps = xreallocarray(z->cps, z->cap, sizeof(*z->cps));
	z->prev = xreallocarray(z->prev, z->cap, sizeof(*z->prev));
}

/*
 * Reads the characters of a doc into z->cps and returns their count:
 * indexing and coding both read them there, so the text is decoded once.
 */
static size_t
doc_chars(struct lz *z, const char *doc, size_t len)
{
	size_t pos = 0, n = 0;

	lz_reserve(z, len + 1);
	while (pos < len)
		z->cps[n++] = next_char(doc, len, &pos);
	return n;
}

/*
 * Codes a doc, the n characters in z->cps: each character by the table,
 * or a run of characters the doc had before as a copy when that is
 * shorter (articles repeat their phrases).  The longest copy is taken
 * first, so the same text always gives the same bytes.
 */
static void
encode_doc(struct buf *out, struct lz *z, size_t n, const struct coder *c)
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
    const struct coder *c)
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

/*
 * Decodes an article file back to its characters, in z->cps; *count
 * says how many.  Returns -1 when the bytes are no article file.
 */
static int
decode_doc(struct lz *z, const unsigned char *p, size_t len,
    const struct coder *c, size_t *count)
{
	struct reader r = { p, len, 0, false };
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
			dist = read_varint(&r);
			if (r.bad || dist == 0 || dist > n)
				return -1;
			for (k = 0; k < copied; k++, n++)
				z->cps[n] = z->cps[n - dist];
		}
	}
	*count = n;
	return 0;
}

/* Terms. */

static uint32_t
term_new(struct index *ix)
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
find_slot(const struct grams *g, uint64_t key)
{
	size_t mask = g->nslots - 1;
	size_t i = (size_t)((key * 0x9E3779B97F4A7C15ull) >> (64 - g->bits));

	while (g->slots[i].key != 0 && g->slots[i].key != key)
		i = (i + 1) & mask;
	return i;
}

static void
grams_grow(struct grams *g)
{
	struct gram_slot *old = g->slots;
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

	put_varint(b, (uint64_t)gap << 3 | (unsigned)strong << 2 | low);
	if (low == 3)
		put_varint(b, tf - 4);
}

static uint32_t
get_posting(const char *s, size_t *pos, unsigned *tf, bool *strong)
{
	uint64_t v = get_varint(s, pos);

	*strong = v >> 2 & 1;
	*tf = (unsigned)(v & 3) + 1;
	if ((v & 3) == 3)
		*tf += (unsigned)get_varint(s, pos);
	return (uint32_t)(v >> 3);
}

/*
 * Counts one occurrence of term id in the article being read.  Inline,
 * as is term_for's lookup: both run up to three times a character.
 */
static inline void
touch(struct index *ix, uint32_t id, bool strong)
{
	struct tally *t = &ix->tallies[id];

	/* The first in this article: index_doc empties the tallies after. */
	if (t->tf == 0) {
		if (ix->ntouched == ix->touched_cap) {
			ix->touched_cap = ix->touched_cap ?
			    ix->touched_cap * 2 : 1024;
			ix->touched = xreallocarray(ix->touched,
			    ix->touched_cap, sizeof(*ix->touched));
		}
		ix->touched[ix->ntouched++] = id;
	}
	if (t->tf < TF_MAX)
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
term_add(struct index *ix, int32_t a, int32_t b, int32_t c)
{
	struct grams *g = &ix->grams;
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
term_for(struct index *ix, int32_t a, int32_t b, int32_t c)
{
	const struct grams *g = &ix->grams;
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

/* The number of a term, or -1 when ix has none such. */
static int64_t
term_find(const struct index *ix, const int32_t cp[3])
{
	const struct grams *g = &ix->grams;
	size_t slot;

	if (cp[1] == 0 && cp[0] < UNIGRAM_DIRECT)
		return (int64_t)ix->unigrams[cp[0]] - 1;
	if (g->nslots == 0)
		return -1;
	slot = find_slot(g, pack_key(cp[0], cp[1], cp[2]));
	return g->slots[slot].key == 0 ? -1 : (int64_t)g->slots[slot].id;
}

static void
index_init(struct index *ix, uint32_t first)
{
	pthread_once(&bmp_classes_once, fill_bmp_classes);
	memset(ix, 0, sizeof(*ix));
	ix->unigrams = xcalloc(UNIGRAM_DIRECT, sizeof(*ix->unigrams));
	ix->doc = first;
}

static void
index_free(struct index *ix)
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

/*
 * Reads the terms of a doc, its n characters cps (line 0, the path, has
 * none), then posts the article to each term.
 */
static void
index_doc(struct index *ix, const int32_t *cps, size_t n)
{
	size_t k, line = 0, i, runlen = 0;
	int32_t cp, prev = 0, before = 0;
	enum char_class c, run = CLASS_SEPARATOR;
	bool strong = false;
	struct term *t;
	struct tally *tally;

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

/*
 * Adds the terms of part to ix, with no postings: those stay in the
 * part, where encode_one reads them, so none are copied.
 */
static void
index_union(struct index *ix, const struct index *part)
{
	const struct term *t;
	size_t i;

	for (i = 0; i < part->nterms; i++) {
		t = &part->terms[i];
		term_for(ix, t->cp[0], t->cp[1], t->cp[2]);
	}
}

/* Docs: the plain text of an article. */

static const char *
skip_blanks(const char *s, const char *e)
{
	while (s < e && (*s == ' ' || *s == '\t'))
		s++;
	return s;
}

/* A fence, a thematic break or a blank line: no text of its own. */
static bool
is_textless(const char *s, const char *e)
{
	const char *p;
	char c;
	size_t n = 0;

	if (s == e || (e - s >= 3 && (memcmp(s, "```", 3) == 0 ||
	    memcmp(s, "~~~", 3) == 0)))
		return true;
	c = *s;
	if (c != '-' && c != '*' && c != '_')
		return false;
	for (p = s; p < e; p++) {
		if (*p == c)
			n++;
		else if (*p != ' ' && *p != '\t' && *p != '\r')
			return false;
	}
	return n >= 3;
}

/*
 * Skips a block marker (blockquote, heading, list item) at s.  Returns
 * whether the line starts a block of its own; *heading says whether the
 * block ends with the line.
 */
static bool
skip_marker(const char **s, const char *e, bool *heading)
{
	const char *p = *s;
	bool starts = false;

	*heading = false;
	while (p < e && *p == '>') {
		p = skip_blanks(p + 1, e);
		starts = true;
	}
	if (p < e && *p == '#') {
		const char *q = p;

		while (q < e && *q == '#')
			q++;
		if (q == e || *q == ' ' || *q == '\t') {
			*s = skip_blanks(q, e);
			*heading = true;
			return true;
		}
	}
	if (e - p >= 2 && (*p == '-' || *p == '*' || *p == '+') &&
	    (p[1] == ' ' || p[1] == '\t')) {
		*s = skip_blanks(p + 1, e);
		return true;
	}
	if (p < e && *p >= '0' && *p <= '9') {
		const char *q = p;

		while (q < e && *q >= '0' && *q <= '9')
			q++;
		if (e - q >= 2 && (*q == '.' || *q == ')') &&
		    (q[1] == ' ' || q[1] == '\t')) {
			*s = skip_blanks(q + 1, e);
			return true;
		}
	}
	*s = p;
	return starts;
}

static bool
is_ascii_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool
is_ascii_alnum(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z');
}

/*
 * Appends s without Markdown's inline markers, as text_strip_inline
 * does, but a run at a time rather than a byte at a time; also without
 * HTML tags, which pages leave out (cmark's safe mode) or do not show.
 */
static void
put_inline(struct buf *out, const char *s, size_t len)
{
	/* The bytes the switch below acts on; the rest are skipped. */
	static const bool marker[256] = {
		['*'] = true, ['_'] = true, ['`'] = true, ['\\'] = true,
		['['] = true, ['\r'] = true, ['\n'] = true, ['<'] = true,
		[']'] = true,
	};
	const char *p = s, *end = s + len, *run = s, *close;

	while (p < end) {
		/* Most bytes are text: step over them with one test each. */
		while (p < end && !marker[(unsigned char)*p])
			p++;
		if (p == end)
			break;
		switch (*p) {
		case '*':
		case '_':
		case '`':
		case '\\':
		case '[':
		case '\r':
		case '\n':
			buf_append(out, run, (size_t)(p - run));
			run = ++p;
			break;
		case '<':
			if (p + 1 < end && (is_ascii_alpha(p[1]) || p[1] == '/' ||
			    p[1] == '!') &&
			    (close = memchr(p, '>', (size_t)(end - p))) != NULL) {
				buf_append(out, run, (size_t)(p - run));
				run = p = close + 1;
			} else
				p++;
			break;
		case ']':
			buf_append(out, run, (size_t)(p - run));
			/* Drop the "(target)" of an inline link. */
			if (++p < end && *p == '(' &&
			    (close = memchr(p, ')', (size_t)(end - p))) != NULL)
				p = close + 1;
			run = p;
			break;
		default:
			p++;
		}
	}
	buf_append(out, run, (size_t)(end - run));
}

/*
 * Appends the body as plain text, "\n" before each paragraph, heading or
 * list item.  The lines of a paragraph join without a space, as Chinese
 * text does, except between two ASCII letters or digits.
 */
static void
put_body(struct buf *out, const char *body, size_t len)
{
	const char *p = body, *end = body + len, *e, *s;
	size_t mark = 0;
	bool open = false, heading;

	for (; p < end; p = e + 1) {
		if ((e = memchr(p, '\n', (size_t)(end - p))) == NULL)
			e = end;
		s = skip_blanks(p, e);
		while (e > s && (e[-1] == ' ' || e[-1] == '\t' ||
		    e[-1] == '\r'))
			e--;
		if (is_textless(s, e)) {
			open = false;
		} else {
			if (skip_marker(&s, e, &heading) || !open) {
				if (open && out->len == mark)
					buf_truncate(out, mark - 1);
				buf_putc(out, '\n');
				mark = out->len;
			} else if (out->len > mark && s < e &&
			    is_ascii_alnum(out->data[out->len - 1]) &&
			    is_ascii_alnum(*s))
				buf_putc(out, ' ');
			put_inline(out, s, (size_t)(e - s));
			open = !heading;
			if (out->len == mark) {
				buf_truncate(out, mark - 1);
				open = false;
			}
		}
		/* e may have moved back over trailing blanks. */
		if ((e = memchr(e, '\n', (size_t)(end - e))) == NULL)
			break;
	}
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

/* Builds the text of article i in out (emptied first). */
static void
make_doc(struct buf *out, const struct site_article *a)
{
	const struct article *src = a->src;

	buf_truncate(out, 0);
	put_field(out, a->path);
	put_field(out, src->title);
	buf_puts(out, src->province ? src->province : "");
	buf_puts(out, src->city ? src->city : "");
	put_field(out, src->district);
	put_field(out, src->author);
	buf_puts(out, src->author_title ? src->author_title : "");
	put_body(out, src->body, src->body_len);
}

/* Sets: sorted numbers below a universe, as a bitmap or Rice-coded. */

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

static void
put_set(struct buf *out, const uint32_t *v, size_t n, uint32_t universe)
{
	struct bits w;
	uint32_t prev = 0;
	uint64_t nbits;
	size_t i, base;
	int k;

	put_varint(out, n);
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


/*
 * Reads a set of numbers below universe into *v (grown as needed, *cap
 * its room); returns their count.  Sets r->bad when the bytes hold no
 * such set.
 */
static size_t
read_set(struct reader *r, uint32_t universe, uint32_t **v, size_t *cap)
{
	uint64_t n = read_varint(r), bit, end, gap, q;
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

/* Postings lists. */

static void
plist_reserve(struct plist *p, size_t n)
{
	if (n <= p->cap)
		return;
	p->cap = n;
	p->docs = xreallocarray(p->docs, n, sizeof(*p->docs));
	p->strong = xreallocarray(p->strong, n, sizeof(*p->strong));
	p->tf = xreallocarray(p->tf, n, sizeof(*p->tf));
}

static void
plist_push(struct plist *p, uint32_t doc, uint8_t strong, uint8_t tf)
{
	if (p->n == p->cap)
		plist_reserve(p, p->cap ? p->cap * 2 : 64);
	p->docs[p->n] = doc;
	p->strong[p->n] = strong;
	p->tf[p->n++] = tf;
}

static bool
plist_equal(const struct plist *a, const struct plist *b)
{
	return a->n == b->n &&
	    memcmp(a->docs, b->docs, a->n * sizeof(*a->docs)) == 0 &&
	    memcmp(a->strong, b->strong, a->n) == 0 &&
	    memcmp(a->tf, b->tf, a->n) == 0;
}

static void
plist_free(struct plist *p)
{
	free(p->docs);
	free(p->strong);
	free(p->tf);
	memset(p, 0, sizeof(*p));
}

/*
 * Decodes a term's postings onto the end of p, numbering articles
 * through map (NULL: as they are).
 */
static void
append_postings(const struct term *t, const uint32_t *map, struct plist *p)
{
	size_t pos = 0, i, n = p->n;
	uint32_t doc = 0;
	unsigned tf;
	bool strong;

	plist_reserve(p, n + t->df);
	for (i = n; i < n + t->df; i++) {
		doc += get_posting(t->post.data, &pos, &tf, &strong);
		p->docs[i] = map != NULL ? map[doc] : doc;
		p->strong[i] = strong;
		p->tf[i] = (uint8_t)tf;
		doc++;
	}
	p->n = n + t->df;
}

/* Decodes a term's postings into p (emptied first), as above. */
static void
read_postings(const struct term *t, const uint32_t *map, struct plist *p)
{
	p->n = 0;
	append_postings(t, map, p);
}

/* Working arrays for one term's entry. */
struct scratch {
	uint32_t *a, *b;
	size_t	 acap, bcap;
};

static void
scratch_reserve(uint32_t **v, size_t *cap, size_t n)
{
	if (n > *cap) {
		*cap = n;
		*v = xreallocarray(*v, n, sizeof(**v));
	}
}

static void
scratch_free(struct scratch *sc)
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
choose_tf_coding(const struct plist *p, uint64_t *nbits)
{
	uint64_t hist[TF_MAX] = { 0 }, cost, best = UINT64_MAX;
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

/* Appends the entry of a term with postings p. */
static void
encode_entry(const struct plist *p, uint32_t ndocs, struct scratch *sc,
    struct buf *out)
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
	put_set(out, p->docs, p->n, ndocs);
	put_set(out, sc->a, k, (uint32_t)p->n);
	if (once) {
		put_varint(out, 0);
		return;
	}
	rice = choose_tf_coding(p, &nbits);
	put_varint(out, rice + 1);
	bits_start(&w, out, nbits);
	for (i = 0; i < p->n; i++)
		bits_rice(&w, p->tf[i] - 1u, rice);
	bits_end(&w, out);
}

/* Reads n occurrences Rice-coded with parameter k into tf. */
static void
read_tf(struct reader *r, size_t n, unsigned k, uint8_t *tf)
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
		if ((q << k) + low >= TF_MAX)
			r->bad = true;
		tf[i] = (uint8_t)((q << k) + low + 1);
	}
	r->pos = (size_t)((bit + 7) / 8);
}

/* Decodes an entry into p (emptied first); -1 when it is no entry. */
static int
decode_entry(const unsigned char *e, size_t len, uint32_t ndocs,
    struct plist *p, struct scratch *sc)
{
	struct reader r = { e, len, 0, false };
	size_t n, k, i;
	uint64_t rice;

	/* No term is in no article. */
	if ((n = read_set(&r, ndocs, &sc->a, &sc->acap)) == 0)
		return -1;
	plist_reserve(p, n);
	p->n = n;
	memcpy(p->docs, sc->a, n * sizeof(*p->docs));
	memset(p->strong, 0, n);
	memset(p->tf, 1, n);
	k = read_set(&r, (uint32_t)n, &sc->b, &sc->bcap);
	for (i = 0; i < k; i++)
		p->strong[sc->b[i]] = 1;
	if ((rice = read_varint(&r)) > TF_RICE_MAX + 1)
		r.bad = true;
	else if (rice > 0)
		read_tf(&r, n, (unsigned)rice - 1, p->tf);
	return r.bad || r.pos != len ? -1 : 0;
}

/* A thread's own buffers. */
struct worker {
	struct buf doc, coded, shard;
	struct buf entries;	/* encoded entries of the terms it did */
	struct lz lz;
	struct scratch sc;
	struct plist pl, other;
};

/* What the threads share. */
struct job {
	const struct site *site;
	const struct search_options *opt;
	const struct search_output *out;
	size_t	 nthreads;
	struct worker *workers;
	struct coder *coder;
	struct index *parts;	/* one per range of articles */
	size_t	 nparts;
	struct index *ix;	/* all of them, once merged */
	struct slot *slots;	/* terms by shard, then key */
	size_t	*starts;	/* per shard: its first slot */
	unsigned bits;		/* of the shard number */
	uint64_t total;		/* bytes of all entries, to pick bits */
	uint64_t *fingerprints;	/* per article: its text's inputs */
	uint64_t *doc_hashes;	/* per article: its file's hash */
	uint64_t *shard_hashes;	/* per shard */
	atomic_int failed;	/* a body or a file could not be had */
	atomic_size_t put;	/* files put */
};

/* The call a file of the index is, before and after its data. */
#define WRAP_HEAD	"jicengSearch(\""
#define WRAP_MIDDLE	"\",\""
#define WRAP_TAIL	"\");\n"

/* Whether a word's bytes hold one equal to b: the SWAR test for zero. */
#define HAS_BYTE(x, b) (((((x) ^ (0x0101010101010101ULL * (b))) - \
	0x0101010101010101ULL) & ~((x) ^ (0x0101010101010101ULL * (b))) & \
	0x8080808080808080ULL) != 0)

/*
 * How many bytes from p on need no escape: eight at a time where a word
 * holds none of the four, since every file of the index passes here.
 */
static size_t
plain_run(const unsigned char *p, size_t len)
{
	size_t i = 0;
	uint64_t x;

	for (; i + 8 <= len; i += 8) {
		memcpy(&x, p + i, 8);
		if (HAS_BYTE(x, '\\') || HAS_BYTE(x, '"') ||
		    HAS_BYTE(x, '\n') || HAS_BYTE(x, '\r'))
			break;
	}
	for (; i < len; i++)
		if (p[i] == '\\' || p[i] == '"' || p[i] == '\n' ||
		    p[i] == '\r')
			break;
	return i;
}

/*
 * The file at path (search/NAME.js) as the script that holds data: see
 * the top of this file.
 */
static void
wrap_file(struct buf *out, const char *path, const unsigned char *data,
    size_t len)
{
	const char *name = path + strlen("search/");
	size_t i = 0, run;
	char esc[2] = { '\\', 0 };

	buf_truncate(out, 0);
	buf_grow(out, len + len / 32 + 64);
	buf_puts(out, WRAP_HEAD);
	buf_append(out, name, strlen(name) - strlen(".js"));
	buf_puts(out, WRAP_MIDDLE);
	while (i < len) {
		run = plain_run(data + i, len - i);
		buf_append(out, data + i, run);
		if ((i += run) == len)
			break;
		esc[1] = data[i] == '\n' ? 'n' : data[i] == '\r' ? 'r' :
		    (char)data[i];
		buf_append(out, esc, 2);
		i++;
	}
	buf_puts(out, WRAP_TAIL);
}

/*
 * The data of a file wrap_file made, in place; returns its length, or
 * -1 when the file is not such a script.
 */
static long
unwrap_file(unsigned char *file, size_t len)
{
	size_t head = strlen(WRAP_HEAD), tail = strlen(WRAP_TAIL), i, n = 0;
	unsigned char *at;

	if (len < head + tail || memcmp(file, WRAP_HEAD, head) != 0 ||
	    memcmp(file + len - tail, WRAP_TAIL, tail) != 0 ||
	    (at = memmem(file, len, WRAP_MIDDLE, strlen(WRAP_MIDDLE))) ==
	    NULL)
		return -1;
	len -= tail;
	for (i = (size_t)(at - file) + strlen(WRAP_MIDDLE); i < len; i++) {
		if (file[i] != '\\') {
			file[n++] = file[i];
			continue;
		}
		if (++i == len)
			return -1;
		file[n++] = file[i] == 'n' ? '\n' : file[i] == 'r' ? '\r' :
		    file[i];
	}
	return (long)n;
}

/* Puts a file, as a script unless it is JSON, and notes its hash. */
static void
put_file(struct job *job, size_t worker, const char *path, const void *data,
    size_t len, uint64_t *hash)
{
	struct buf script = BUF_INIT;
	size_t n = strlen(path);

	if (n > 3 && strcmp(path + n - 3, ".js") == 0) {
		wrap_file(&script, path, data, len);
		data = script.data;
		len = script.len;
	}
	*hash = XXH3_64bits(data, len);
	if (job->out->put(job->out->arg, worker, path, data, len) == -1)
		atomic_store(&job->failed, 1);
	atomic_fetch_add(&job->put, 1);
	buf_free(&script);
}

const char *const search_folders[] = { "search/d", "search/s", NULL };

static void
doc_path(char *path, size_t size, size_t i)
{
	snprintf(path, size, "search/d/%zu.js", i);
}

static void
shard_path(char *path, size_t size, unsigned bits, size_t j)
{
	unsigned digits = (bits + 3) / 4;

	/* SHARD_BITS_MAX keeps it to four; the bound tells the compiler. */
	if (digits > 4)
		digits = 4;
	snprintf(path, size, "search/s/%0*zx.js", (int)digits, j);
}

/* Reads a body, when the caller has to. */
static void
read_body(struct job *job, size_t worker, size_t i)
{
	const struct search_options *opt = job->opt;

	if (opt->read_body != NULL &&
	    opt->read_body(opt->read_arg, worker, i) == -1)
		atomic_store(&job->failed, 1);
}

static void
drop_body(struct job *job, size_t worker, size_t i)
{
	if (job->opt->drop_body != NULL)
		job->opt->drop_body(job->opt->read_arg, worker, i);
}

/* Indexes a range of articles and puts their files. */
static void
read_part(void *arg, size_t worker, size_t i)
{
	struct job *job = arg;
	struct index *ix = &job->parts[i];
	struct worker *w = &job->workers[worker];
	size_t n = job->site->narticles, a, nchars;
	size_t end = n * (i + 1) / job->nparts;
	char path[64];

	index_init(ix, (uint32_t)(n * i / job->nparts));
	for (a = ix->doc; a < end; a++) {
		read_body(job, worker, a);
		make_doc(&w->doc, &job->site->articles[a]);
		drop_body(job, worker, a);
		nchars = doc_chars(&w->lz, w->doc.data, w->doc.len);
		index_doc(ix, w->lz.cps, nchars);
		encode_doc(&w->coded, &w->lz, nchars, job->coder);
		doc_path(path, sizeof(path), a);
		put_file(job, worker, path, w->coded.data, w->coded.len,
		    &job->doc_hashes[a]);
	}
}

static void
encode_one(void *arg, size_t worker, size_t i)
{
	struct job *job = arg;
	struct worker *w = &job->workers[worker];
	struct term *t = &job->ix->terms[i], *from;
	size_t k;
	int64_t id;

	/*
	 * Each part numbers its articles as the site does, and read those
	 * after the part before: their postings follow one another.
	 */
	w->pl.n = 0;
	for (k = 0; k < job->nparts; k++) {
		id = k == 0 ? (int64_t)i : term_find(&job->parts[k], t->cp);
		if (id < 0)
			continue;
		from = &job->parts[k].terms[id];
		append_postings(from, NULL, &w->pl);
		buf_free(&from->post);
	}
	t->worker = worker;
	t->off = w->entries.len;
	encode_entry(&w->pl, (uint32_t)job->site->narticles, &w->sc,
	    &w->entries);
	t->len = w->entries.len - t->off;
}

static void
term_key(const int32_t cp[3], char *key, size_t *keylen)
{
	size_t i;

	*keylen = 0;
	for (i = 0; i < 3 && cp[i] != 0; i++)
		*keylen += utf8_encode(cp[i], key + *keylen);
}

static int
compare_keys(const char *a, size_t alen, const char *b, size_t blen)
{
	int c = memcmp(a, b, alen < blen ? alen : blen);

	if (c != 0)
		return c;
	return (alen > blen) - (alen < blen);
}

static int
compare_slots(const void *pa, const void *pb)
{
	const struct slot *a = pa, *b = pb;

	if (a->shard != b->shard)
		return a->shard < b->shard ? -1 : 1;
	return compare_keys(a->key, a->keylen, b->key, b->keylen);
}

/* Enough shards for about SHARD_TARGET bytes each. */
static unsigned
shard_bits(uint64_t total)
{
	unsigned bits = SHARD_BITS_MIN;

	while (bits < SHARD_BITS_MAX && (total >> bits) > SHARD_TARGET)
		bits++;
	return bits;
}

/* The bytes a term adds to the index, as shard_bits counts them. */
static uint64_t
term_size(size_t keylen, size_t entrylen)
{
	return keylen + entrylen + 4;
}

static void
put_shard(void *arg, size_t worker, size_t j)
{
	struct job *job = arg;
	struct buf *b = &job->workers[worker].shard;
	const struct term *t;
	const struct slot *sl;
	size_t i;
	char path[64];

	buf_truncate(b, 0);
	put_varint(b, job->starts[j + 1] - job->starts[j]);
	for (i = job->starts[j]; i < job->starts[j + 1]; i++) {
		sl = &job->slots[i];
		t = &job->ix->terms[sl->id];
		put_varint(b, sl->keylen);
		buf_append(b, sl->key, sl->keylen);
		put_varint(b, t->len);
		buf_append(b, job->workers[t->worker].entries.data + t->off,
		    t->len);
	}
	shard_path(path, sizeof(path), job->bits, j);
	put_file(job, worker, path, b->data, b->len, &job->shard_hashes[j]);
}

/* Sorts the terms into shards and puts them. */
static void
write_shards(struct job *job)
{
	struct index *ix = job->ix;
	size_t i, j, nshards;

	job->slots = xcalloc(ix->nterms + 1, sizeof(*job->slots));
	job->total = 0;
	for (i = 0; i < ix->nterms; i++) {
		term_key(ix->terms[i].cp, job->slots[i].key,
		    &job->slots[i].keylen);
		job->slots[i].id = (uint32_t)i;
		job->total += term_size(job->slots[i].keylen,
		    ix->terms[i].len);
	}
	job->bits = shard_bits(job->total);
	nshards = (size_t)1 << job->bits;
	for (i = 0; i < ix->nterms; i++)
		job->slots[i].shard = hash_key(job->slots[i].key,
		    job->slots[i].keylen) & (uint32_t)(nshards - 1);
	qsort(job->slots, ix->nterms, sizeof(*job->slots), compare_slots);
	job->starts = xcalloc(nshards + 1, sizeof(*job->starts));
	for (i = 0, j = 0; j <= nshards; j++) {
		while (i < ix->nterms && job->slots[i].shard < j)
			i++;
		job->starts[j] = i;
	}
	job->shard_hashes = xcalloc(nshards, sizeof(*job->shard_hashes));
	pool_for(job->nthreads, nshards, put_shard, job);
}

/*
 * Reads the articles in ranges, one index per range, on every core, then
 * joins their terms: the same files come out whatever the number of
 * threads.
 */
static void
build_all(struct job *job)
{
	const struct site *s = job->site;
	size_t i;

	/* Ranges do not depend on the machine: every one merges the same. */
	job->nparts = s->narticles / PART_MIN;
	if (job->nparts > PARTS_MAX)
		job->nparts = PARTS_MAX;
	if (job->nparts == 0)
		job->nparts = 1;
	job->parts = xcalloc(job->nparts, sizeof(*job->parts));
	pool_for(job->nthreads, job->nparts, read_part, job);
	job->ix = &job->parts[0];
	for (i = 1; i < job->nparts; i++)
		index_union(job->ix, &job->parts[i]);
	pool_for(job->nthreads, job->ix->nterms, encode_one, job);
	for (i = 1; i < job->nparts; i++)
		index_free(&job->parts[i]);
	write_shards(job);
}


static void
write_themes(struct job *job, uint64_t *hashes)
{
	const struct site *s = job->site;
	struct buf b = BUF_INIT;
	uint32_t *ids = NULL;
	size_t i, k, n;
	char path[64];

	for (i = 0; i < s->nthemes; i++) {
		n = s->themes[i].articles.count;
		ids = xreallocarray(ids, n ? n : 1, sizeof(*ids));
		for (k = 0; k < n; k++)
			ids[k] = (uint32_t)s->themes[i].articles.items[k];
		buf_truncate(&b, 0);
		put_set(&b, ids, n, (uint32_t)s->narticles);
		snprintf(path, sizeof(path), "search/t/%zu.js", i);
		put_file(job, 0, path, b.data, b.len, &hashes[i]);
	}
	buf_free(&b);
	free(ids);
}

/* jansson fails only when memory runs out; stop as xmalloc does. */
static void *
must(void *v)
{
	if (v == NULL) {
		fputs("jiceng: error: out of memory\n", stderr);
		abort();
	}
	return v;
}

/*
 * Provinces as [name, first, end): site order sorts articles by province,
 * so each one's articles are consecutive.
 */
static json_t *
province_ranges(const struct site *s)
{
	json_t *list = must(json_array());
	size_t *first = xcalloc(s->nprovinces + 1, sizeof(*first));
	size_t *end = xcalloc(s->nprovinces + 1, sizeof(*end));
	size_t i, p;

	for (i = 0; i < s->narticles; i++) {
		if ((p = s->articles[i].province) == SITE_NONE)
			continue;
		if (end[p] == 0)
			first[p] = i;
		end[p] = i + 1;
	}
	for (p = 0; p < s->nprovinces; p++)
		if (end[p] > 0)
			json_array_append_new(list, must(json_pack("[s,i,i]",
			    s->provinces[p].name, (json_int_t)first[p],
			    (json_int_t)end[p])));
	free(first);
	free(end);
	return list;
}

/*
 * Names the version of the index by the hashes of its files, so readers
 * never mix files of two builds; a patched index names itself as a new
 * one would.
 */
static uint64_t
build_id(const struct job *job, const uint64_t *themes)
{
	struct buf b = BUF_INIT;
	size_t i, nshards = (size_t)1 << job->bits;
	uint64_t id;

	for (i = 0; i < nshards; i++)
		ser_u64(&b, job->shard_hashes[i]);
	for (i = 0; i < job->site->narticles; i++)
		ser_u64(&b, job->doc_hashes[i]);
	for (i = 0; i < job->site->nthemes; i++)
		ser_u64(&b, themes[i]);
	id = XXH3_64bits(b.data, b.len);
	buf_free(&b);
	return id;
}

static void
write_manifest(struct job *job, uint64_t build)
{
	const struct site *s = job->site;
	json_t *root, *themes = must(json_array());
	char hex[17], *text, *script;
	uint64_t hash;
	size_t i;

	for (i = 0; i < s->nthemes; i++)
		json_array_append_new(themes,
		    must(json_string(s->themes[i].def->slug)));
	snprintf(hex, sizeof(hex), "%016llx", (unsigned long long)build);
	root = must(json_pack("{s:i,s:s,s:i,s:i,s:o,s:o,s:s}",
	    "format", SEARCH_FORMAT, "build", hex,
	    "docs", (json_int_t)s->narticles, "shards", (int)job->bits,
	    "provinces", province_ranges(s), "themes", themes,
	    "chars", search_chars_one));
	text = must(json_dumps(root, JSON_COMPACT));
	put_file(job, 0, "search/index.json", text, strlen(text), &hash);
	/*
	 * The manifest is JSON, and so a script's object as it is; in ASCII,
	 * since the page cannot tell a file from disk how it is encoded.
	 */
	free(text);
	text = must(json_dumps(root, JSON_COMPACT | JSON_ENSURE_ASCII));
	script = xasprintf(WRAP_HEAD "index\"," "%s);\n", text);
	if (job->out->put(job->out->arg, 0, "search/index.js", script,
	    strlen(script)) == -1)
		atomic_store(&job->failed, 1);
	atomic_fetch_add(&job->put, 1);
	json_decref(root);
	free(script);
	free(text);
}

/* The state: what the next build needs to patch this one's index. */

struct state {
	uint64_t engine;	/* the binary that wrote it */
	int64_t	 build;		/* the build that wrote it */
	uint32_t ndocs;
	uint32_t bits;
	uint64_t total;
	uint64_t *fingerprints;	/* owned; per article */
	uint64_t *doc_hashes;	/* owned; per article */
	uint64_t *shard_hashes;	/* owned; per shard */
};

static void
state_free(struct state *st)
{
	free(st->fingerprints);
	free(st->doc_hashes);
	free(st->shard_hashes);
	memset(st, 0, sizeof(*st));
}

/*
 * Loads the state at path into st.  Returns 0, or -1 (st empty) when
 * there is none, it is damaged, or it does not describe the output
 * folder as the build that last committed it left it.
 */
static int
state_load(const struct search_options *opt, struct state *st)
{
	struct ser_reader r;
	char *data = NULL;
	size_t len, head = strlen(STATE_MAGIC) + 8, i, nshards;
	uint64_t sum;
	int rc = -1;

	memset(st, 0, sizeof(*st));
	if (fs_read(opt->state_path, &data, &len) == -1 || len < head ||
	    memcmp(data, STATE_MAGIC, strlen(STATE_MAGIC)) != 0)
		goto out;
	ser_reader_init(&r, data + strlen(STATE_MAGIC), 8);
	sum = ser_read_u64(&r);
	if (XXH3_64bits(data + head, len - head) != sum)
		goto out;
	ser_reader_init(&r, data + head, len - head);
	st->engine = ser_read_u64(&r);
	st->build = (int64_t)ser_read_u64(&r);
	st->ndocs = ser_read_u32(&r);
	st->bits = ser_read_u32(&r);
	st->total = ser_read_u64(&r);
	if (r.bad || st->engine != opt->engine || st->build != opt->committed ||
	    st->bits < SHARD_BITS_MIN || st->bits > SHARD_BITS_MAX ||
	    ((size_t)st->ndocs * 16 + ((size_t)8 << st->bits)) !=
	    (size_t)(r.end - r.p))
		goto out;
	nshards = (size_t)1 << st->bits;
	st->shard_hashes = xcalloc(nshards, sizeof(*st->shard_hashes));
	st->fingerprints = xcalloc(st->ndocs + 1, sizeof(*st->fingerprints));
	st->doc_hashes = xcalloc(st->ndocs + 1, sizeof(*st->doc_hashes));
	for (i = 0; i < nshards; i++)
		st->shard_hashes[i] = ser_read_u64(&r);
	for (i = 0; i < st->ndocs; i++) {
		st->fingerprints[i] = ser_read_u64(&r);
		st->doc_hashes[i] = ser_read_u64(&r);
	}
	if (r.bad || r.p != r.end)
		goto out;
	rc = 0;
out:
	if (rc == -1)
		state_free(st);
	free(data);
	return rc;
}

/* Saves the state of the index just made; returns 0 or -1. */
static int
state_save(const struct job *job)
{
	struct buf payload = BUF_INIT, file = BUF_INIT;
	size_t i, nshards = (size_t)1 << job->bits;
	int rc;

	ser_u64(&payload, job->opt->engine);
	ser_u64(&payload, (uint64_t)job->opt->build);
	ser_u32(&payload, (uint32_t)job->site->narticles);
	ser_u32(&payload, job->bits);
	ser_u64(&payload, job->total);
	for (i = 0; i < nshards; i++)
		ser_u64(&payload, job->shard_hashes[i]);
	for (i = 0; i < job->site->narticles; i++) {
		ser_u64(&payload, job->fingerprints[i]);
		ser_u64(&payload, job->doc_hashes[i]);
	}
	buf_puts(&file, STATE_MAGIC);
	ser_u64(&file, XXH3_64bits(payload.data, payload.len));
	buf_append(&file, payload.data, payload.len);
	/* Its hash tells a file cut short or half rewritten. */
	rc = fs_overwrite(job->opt->state_path, file.data, file.len);
	buf_free(&payload);
	buf_free(&file);
	return rc;
}

/*
 * The inputs of an article's text: its page's path and the bytes of its
 * file, which the rest is parsed from.
 */
static void
fingerprint_all(struct job *job)
{
	const struct site *s = job->site;
	size_t i;

	for (i = 0; i < s->narticles; i++)
		job->fingerprints[i] = XXH3_64bits_withSeed(
		    s->articles[i].path, strlen(s->articles[i].path),
		    s->articles[i].src->hash);
}

/* Patching the previous index. */

/* A term whose postings the changed articles change. */
struct change {
	uint32_t shard;
	char	 key[12];
	size_t	 keylen;
	int64_t	 now;		/* the term in patch.now, or -1 */
};

struct patch {
	struct state st;	/* the previous build's */
	uint32_t *changed;	/* owned; articles whose text changed */
	size_t	 nchanged;
	uint8_t	*is_changed;	/* owned; per article */
	struct index old, now;	/* their terms before and after, the
				   articles numbered as in changed */
	char	**coded;	/* owned; their new files */
	size_t	*codedlen;
	struct change *changes;	/* owned; by shard, then key */
	size_t	 nchanges;
	size_t	*firsts;	/* owned; per shard touched: first change */
	size_t	 ntouched;	/* shards touched */
	uint8_t	*touched;	/* owned; per shard */
	char	**shards;	/* owned; per shard touched: its new bytes */
	size_t	*shardlens;
	int64_t	*deltas;	/* per shard touched: bytes it adds */
	atomic_int bad;		/* a file was not as recorded */
};

static void
patch_free(struct patch *p)
{
	size_t i;

	state_free(&p->st);
	for (i = 0; i < p->nchanged && p->coded != NULL; i++)
		free(p->coded[i]);
	for (i = 0; i < p->ntouched && p->shards != NULL; i++)
		free(p->shards[i]);
	free(p->changed);
	free(p->is_changed);
	index_free(&p->old);
	index_free(&p->now);
	free(p->coded);
	free(p->codedlen);
	free(p->changes);
	free(p->firsts);
	free(p->touched);
	free(p->shards);
	free(p->shardlens);
	free(p->deltas);
}

/*
 * Reads a file the previous build wrote, when its bytes are those the
 * state recorded.  Returns 0, or -1 (nothing to free) otherwise.
 */
static int
read_previous(const struct job *job, const char *path, uint64_t hash,
    char **data, size_t *len)
{
	char *fspath = fs_join(job->opt->out_dir, path);
	long n;
	int rc = -1;

	*data = NULL;
	if (fs_read(fspath, data, len) == 0 &&
	    XXH3_64bits(*data, *len) == hash &&
	    (n = unwrap_file((unsigned char *)*data, *len)) >= 0) {
		*len = (size_t)n;
		rc = 0;
	} else {
		free(*data);
		*data = NULL;
	}
	free(fspath);
	return rc;
}

/*
 * Indexes the changed articles' old text (decoded from their files) and
 * new.  Returns 1, 0 when an old file is not as recorded, or -1 when a
 * body cannot be read.
 */
static int
read_changed(struct job *job, struct patch *p)
{
	struct worker *w = &job->workers[0];
	size_t k, len, i, nchars;
	char path[64], *data;
	int rc = 0;

	index_init(&p->old, 0);
	index_init(&p->now, 0);
	p->coded = xcalloc(p->nchanged + 1, sizeof(*p->coded));
	p->codedlen = xcalloc(p->nchanged + 1, sizeof(*p->codedlen));
	for (k = 0; k < p->nchanged; k++) {
		i = p->changed[k];
		doc_path(path, sizeof(path), i);
		if (read_previous(job, path, p->st.doc_hashes[i], &data,
		    &len) == -1)
			goto out;
		if (decode_doc(&w->lz, (const unsigned char *)data, len,
		    job->coder, &nchars) == -1) {
			free(data);
			goto out;
		}
		free(data);
		index_doc(&p->old, w->lz.cps, nchars);
		read_body(job, 0, i);
		if (atomic_load(&job->failed)) {
			rc = -1;
			goto out;
		}
		make_doc(&w->doc, &job->site->articles[i]);
		drop_body(job, 0, i);
		nchars = doc_chars(&w->lz, w->doc.data, w->doc.len);
		index_doc(&p->now, w->lz.cps, nchars);
		encode_doc(&w->coded, &w->lz, nchars, job->coder);
		p->codedlen[k] = w->coded.len;
		p->coded[k] = buf_detach(&w->coded);
	}
	rc = 1;
out:
	return rc;
}

static void
add_change(struct patch *p, size_t *cap, const int32_t cp[3], unsigned bits,
    int64_t now)
{
	struct change *c;

	if (p->nchanges == *cap) {
		*cap = *cap ? *cap * 2 : 256;
		p->changes = xreallocarray(p->changes, *cap,
		    sizeof(*p->changes));
	}
	c = &p->changes[p->nchanges++];
	term_key(cp, c->key, &c->keylen);
	c->shard = hash_key(c->key, c->keylen) & ((1u << bits) - 1);
	c->now = now;
}

static int
compare_changes(const void *pa, const void *pb)
{
	const struct change *a = pa, *b = pb;

	if (a->shard != b->shard)
		return a->shard < b->shard ? -1 : 1;
	return compare_keys(a->key, a->keylen, b->key, b->keylen);
}

/*
 * The terms whose postings differ before and after, sorted by shard and
 * key, and the shards that hold them.
 */
static void
find_changes(struct job *job, struct patch *p)
{
	struct worker *w = &job->workers[0];
	size_t i, cap = 0, nshards = (size_t)1 << p->st.bits;
	int64_t other;

	for (i = 0; i < p->now.nterms; i++) {
		other = term_find(&p->old, p->now.terms[i].cp);
		if (other >= 0) {
			read_postings(&p->now.terms[i], NULL, &w->pl);
			read_postings(&p->old.terms[other], NULL, &w->other);
			if (plist_equal(&w->pl, &w->other))
				continue;
		}
		add_change(p, &cap, p->now.terms[i].cp, p->st.bits,
		    (int64_t)i);
	}
	for (i = 0; i < p->old.nterms; i++)
		if (term_find(&p->now, p->old.terms[i].cp) < 0)
			add_change(p, &cap, p->old.terms[i].cp, p->st.bits,
			    -1);
	if (p->nchanges > 0)
		qsort(p->changes, p->nchanges, sizeof(*p->changes),
		    compare_changes);
	p->touched = xcalloc(nshards, 1);
	p->firsts = xcalloc(p->nchanges + 2, sizeof(*p->firsts));
	for (i = 0; i < p->nchanges; i++)
		if (i == 0 || p->changes[i].shard != p->changes[i - 1].shard) {
			p->touched[p->changes[i].shard] = 1;
			p->firsts[p->ntouched++] = i;
		}
	p->firsts[p->ntouched] = p->nchanges;
	p->shards = xcalloc(p->ntouched + 1, sizeof(*p->shards));
	p->shardlens = xcalloc(p->ntouched + 1, sizeof(*p->shardlens));
	p->deltas = xcalloc(p->ntouched + 1, sizeof(*p->deltas));
}

/*
 * The postings of a term after the change: the old ones but those of
 * the changed articles, and the changed articles' new ones.
 */
static void
merge_postings(const struct plist *old, const struct plist *now,
    const uint8_t *is_changed, struct plist *out)
{
	size_t i = 0, j = 0;

	out->n = 0;
	while (i < old->n || j < now->n) {
		if (i < old->n && is_changed[old->docs[i]]) {
			i++;
		} else if (j == now->n ||
		    (i < old->n && old->docs[i] < now->docs[j])) {
			plist_push(out, old->docs[i], old->strong[i],
			    old->tf[i]);
			i++;
		} else {
			plist_push(out, now->docs[j], now->strong[j],
			    now->tf[j]);
			j++;
		}
	}
}

/* One term of a shard file, as read. */
struct shard_term {
	const char *key;
	size_t	 keylen;
	const unsigned char *entry;
	size_t	 len;
	bool	 valid;		/* false past the last */
};

static void
next_shard_term(struct reader *r, uint64_t *left, struct shard_term *t)
{
	t->valid = false;
	if (*left == 0 || r->bad)
		return;
	(*left)--;
	t->keylen = (size_t)read_varint(r);
	if (r->bad || t->keylen > 12 || r->len - r->pos < t->keylen)
		goto bad;
	t->key = (const char *)r->p + r->pos;
	r->pos += t->keylen;
	t->len = (size_t)read_varint(r);
	if (r->bad || r->len - r->pos < t->len)
		goto bad;
	t->entry = r->p + r->pos;
	r->pos += t->len;
	t->valid = true;
	return;
bad:
	r->bad = true;
}

/* Appends a term to a shard being written. */
static void
append_term(struct buf *b, const char *key, size_t keylen,
    const void *entry, size_t len)
{
	put_varint(b, keylen);
	buf_append(b, key, keylen);
	put_varint(b, len);
	buf_append(b, entry, len);
}

/*
 * The new entry of change c in b (emptied first), given the old one (NULL
 * when the shard had no such term).  Returns false when the term is left
 * with no article, or the old entry cannot be read (r->bad).
 */
static bool
patch_entry(struct job *job, struct patch *p, struct worker *w,
    const struct change *c, const struct shard_term *old, struct buf *b,
    struct reader *r)
{
	uint32_t ndocs = (uint32_t)job->site->narticles;
	struct plist none = { 0 }, merged = { 0 };
	bool any;

	w->other.n = 0;
	if (old != NULL && decode_entry(old->entry, old->len, ndocs,
	    &w->other, &w->sc) == -1) {
		r->bad = true;
		return false;
	}
	if (c->now >= 0)
		read_postings(&p->now.terms[c->now], p->changed, &w->pl);
	merge_postings(&w->other, c->now >= 0 ? &w->pl : &none,
	    p->is_changed, &merged);
	buf_truncate(b, 0);
	if ((any = merged.n > 0))
		encode_entry(&merged, ndocs, &w->sc, b);
	plist_free(&merged);
	return any;
}

/*
 * Makes the new bytes of touched shard k: its terms merged with the
 * changes, in key order.  Marks p->bad when the old file is not as
 * recorded or is inconsistent with the state.
 */
static void
patch_shard(void *arg, size_t worker, size_t k)
{
	struct job *job = ((void **)arg)[0];
	struct patch *p = ((void **)arg)[1];
	struct worker *w = &job->workers[worker];
	size_t first = p->firsts[k], end = p->firsts[k + 1], ci, count = 0;
	uint32_t shard = p->changes[first].shard;
	struct buf entry = BUF_INIT, body = BUF_INIT;
	struct shard_term t;
	const struct change *c;
	struct reader r = { NULL, 0, 0, false };
	uint64_t left;
	int64_t delta = 0;
	char path[64], *data = NULL;
	size_t len;
	int order;

	shard_path(path, sizeof(path), p->st.bits, shard);
	if (read_previous(job, path, p->st.shard_hashes[shard], &data,
	    &len) == -1) {
		atomic_store(&p->bad, 1);
		return;
	}
	r.p = (const unsigned char *)data;
	r.len = len;
	left = read_varint(&r);
	next_shard_term(&r, &left, &t);
	for (ci = first; (t.valid || ci < end) && !r.bad;) {
		c = ci < end ? &p->changes[ci] : NULL;
		order = !t.valid ? 1 : c == NULL ? -1 :
		    compare_keys(t.key, t.keylen, c->key, c->keylen);
		if (order < 0) {
			append_term(&body, t.key, t.keylen, t.entry, t.len);
			count++;
			next_shard_term(&r, &left, &t);
			continue;
		}
		if (order > 0 && c->now < 0) {
			/* A term the old articles had must be in the shard. */
			r.bad = true;
			break;
		}
		if (patch_entry(job, p, w, c, order == 0 ? &t : NULL, &entry,
		    &r)) {
			append_term(&body, c->key, c->keylen, entry.data,
			    entry.len);
			count++;
			delta += (int64_t)term_size(c->keylen, entry.len);
		}
		if (order == 0) {
			delta -= (int64_t)term_size(t.keylen, t.len);
			next_shard_term(&r, &left, &t);
		}
		ci++;
	}
	if (r.bad || left > 0 || r.pos != r.len)
		atomic_store(&p->bad, 1);
	else {
		buf_truncate(&entry, 0);
		put_varint(&entry, count);
		buf_append(&entry, body.data, body.len);
		p->shardlens[k] = entry.len;
		p->shards[k] = buf_detach(&entry);
		p->deltas[k] = delta;
	}
	buf_free(&entry);
	buf_free(&body);
	free(data);
}

/* Keeps the files of the previous index that the changes leave. */
static void
keep_one(void *arg, size_t worker, size_t i)
{
	struct job *job = ((void **)arg)[0];
	struct patch *p = ((void **)arg)[1];
	size_t n = job->site->narticles;
	char path[64];

	if (atomic_load(&p->bad))
		return;
	if (i < n) {
		if (p->is_changed[i])
			return;
		doc_path(path, sizeof(path), i);
	} else {
		if (p->touched[i - n])
			return;
		shard_path(path, sizeof(path), p->st.bits, i - n);
	}
	if (!job->out->keep(job->out->arg, worker, path))
		atomic_store(&p->bad, 1);
}

/* The articles whose fingerprint differs from the state's. */
static void
find_changed(struct job *job, struct patch *p)
{
	size_t i, n = job->site->narticles;

	p->is_changed = xcalloc(n + 1, 1);
	p->changed = xcalloc(n + 1, sizeof(*p->changed));
	for (i = 0; i < n; i++)
		if (job->fingerprints[i] != p->st.fingerprints[i]) {
			p->is_changed[i] = 1;
			p->changed[p->nchanged++] = (uint32_t)i;
		}
}

/* Puts what the patch made and takes the rest from the state. */
static void
put_patched(struct job *job, struct patch *p)
{
	size_t k, n = job->site->narticles, nshards = (size_t)1 << p->st.bits;
	char path[64];

	job->bits = p->st.bits;
	job->shard_hashes = xcalloc(nshards, sizeof(*job->shard_hashes));
	memcpy(job->shard_hashes, p->st.shard_hashes,
	    nshards * sizeof(*job->shard_hashes));
	memcpy(job->doc_hashes, p->st.doc_hashes, n * sizeof(*job->doc_hashes));
	for (k = 0; k < p->nchanged; k++) {
		doc_path(path, sizeof(path), p->changed[k]);
		put_file(job, 0, path, p->coded[k], p->codedlen[k],
		    &job->doc_hashes[p->changed[k]]);
	}
	for (k = 0; k < p->ntouched; k++) {
		shard_path(path, sizeof(path), job->bits,
		    p->changes[p->firsts[k]].shard);
		put_file(job, 0, path, p->shards[k], p->shardlens[k],
		    &job->shard_hashes[p->changes[p->firsts[k]].shard]);
	}
}

/*
 * Patches the index the previous build left, when the state says what it
 * is and few articles changed.  Returns 1 when done, 0 when the index
 * must be built anew (nothing is put then), or -1 when a body could not
 * be read.
 */
static int
patch_index(struct job *job, struct patch *p)
{
	const struct search_options *opt = job->opt;
	size_t n = job->site->narticles, k, nshards;
	void *args[2] = { job, p };
	int64_t total;
	int rc = 0;

	if (opt->state_path == NULL || opt->out_dir == NULL ||
	    opt->committed == 0 || state_load(opt, &p->st) == -1 ||
	    p->st.ndocs != n || n == 0)
		goto out;
	find_changed(job, p);
	if (p->nchanged > PATCH_MIN && p->nchanged > n / 4)
		goto out;
	if ((rc = read_changed(job, p)) != 1) {
		rc = rc == -1 ? -1 : 0;
		goto out;
	}
	rc = 0;
	find_changes(job, p);
	pool_for(job->nthreads, p->ntouched, patch_shard, args);
	if (atomic_load(&p->bad))
		goto out;
	total = (int64_t)p->st.total;
	for (k = 0; k < p->ntouched; k++)
		total += p->deltas[k];
	/* Another shard count moves every term: build anew. */
	if (total < 0 || shard_bits((uint64_t)total) != p->st.bits)
		goto out;
	nshards = (size_t)1 << p->st.bits;
	pool_for(job->nthreads, n + nshards, keep_one, args);
	if (atomic_load(&p->bad))
		goto out;
	job->total = (uint64_t)total;
	put_patched(job, p);
	rc = 1;
out:
	return rc;
}

/* Writing. */

static void
job_free(struct job *job)
{
	size_t i;

	for (i = 0; i < job->nthreads; i++) {
		buf_free(&job->workers[i].doc);
		buf_free(&job->workers[i].coded);
		free(job->workers[i].lz.cps);
		free(job->workers[i].lz.prev);
		buf_free(&job->workers[i].shard);
		buf_free(&job->workers[i].entries);
		scratch_free(&job->workers[i].sc);
		plist_free(&job->workers[i].pl);
		plist_free(&job->workers[i].other);
	}
	if (job->ix != NULL)
		index_free(job->ix);
	free(job->parts);
	free(job->workers);
	free(job->coder);
	free(job->slots);
	free(job->starts);
	free(job->fingerprints);
	free(job->doc_hashes);
	free(job->shard_hashes);
}

int
search_write(const struct site *s, const struct search_options *opt,
    const struct search_output *out, struct search_stats *st)
{
	struct job job;
	struct patch p;
	uint64_t *themes = xcalloc(s->nthemes + 1, sizeof(*themes));
	int patched;

	memset(st, 0, sizeof(*st));
	memset(&job, 0, sizeof(job));
	memset(&p, 0, sizeof(p));
	job.site = s;
	job.opt = opt;
	job.out = out;
	job.nthreads = pool_threads(opt->threads);
	job.workers = xcalloc(job.nthreads, sizeof(*job.workers));
	job.coder = coder_new();
	job.fingerprints = xcalloc(s->narticles + 1,
	    sizeof(*job.fingerprints));
	job.doc_hashes = xcalloc(s->narticles + 1, sizeof(*job.doc_hashes));
	fingerprint_all(&job);
	patched = patch_index(&job, &p);
	if (patched == 0)
		build_all(&job);
	st->patched = patched == 1;
	st->changed = patched == 1 ? p.nchanged : s->narticles;
	patch_free(&p);
	if (patched != -1 && !atomic_load(&job.failed)) {
		write_themes(&job, themes);
		write_manifest(&job, build_id(&job, themes));
		if (opt->state_path != NULL && !atomic_load(&job.failed) &&
		    state_save(&job) == -1)
			st->state_failed = true;
	}
	st->files = ((size_t)1 << job.bits) + s->narticles + s->nthemes + 2;
	st->put = atomic_load(&job.put);
	free(themes);
	job_free(&job);
	return patched == -1 || atomic_load(&job.failed) ? -1 : 0;
}

/* The whole index in memory. */

struct collector {
	pthread_mutex_t lock;
	struct search_files *files;
};

static int
collect(void *arg, size_t worker, const char *path, const void *data,
    size_t len)
{
	struct collector *c = arg;
	struct search_files *f = c->files;
	char *copy = xmalloc(len + 1);

	(void)worker;
	memcpy(copy, data, len);
	copy[len] = '\0';
	pthread_mutex_lock(&c->lock);
	/* Room doubles: a count that is a power of two fills the array. */
	if ((f->count & (f->count - 1)) == 0)
		f->items = xreallocarray(f->items, f->count ? f->count * 2 : 1,
		    sizeof(*f->items));
	f->items[f->count].path = xstrdup(path);
	f->items[f->count].data = copy;
	f->items[f->count].len = len;
	f->count++;
	pthread_mutex_unlock(&c->lock);
	return 0;
}

static int
compare_files(const void *pa, const void *pb)
{
	const struct search_file *a = pa, *b = pb;

	return strcmp(a->path, b->path);
}

void
search_build(const struct site *s, struct search_files *out)
{
	struct search_options opt = { 0 };
	struct search_output sink = { collect, NULL, NULL };
	struct search_stats st;
	struct collector c;

	memset(out, 0, sizeof(*out));
	pthread_mutex_init(&c.lock, NULL);
	c.files = out;
	sink.arg = &c;
	search_write(s, &opt, &sink, &st);
	pthread_mutex_destroy(&c.lock);
	if (out->count > 0)
		qsort(out->items, out->count, sizeof(*out->items),
		    compare_files);
}

void
search_files_free(struct search_files *f)
{
	size_t i;

	if (f == NULL)
		return;
	for (i = 0; i < f->count; i++) {
		free(f->items[i].path);
		free(f->items[i].data);
	}
	free(f->items);
	f->items = NULL;
	f->count = 0;
}
