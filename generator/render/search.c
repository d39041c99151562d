/*
 * The search index, read by assets/search.js.  Everything a query needs
 * comes in small files, so a reader fetches a few kilobytes, not the
 * whole index: the manifest once, the shards of the query's terms, and
 * the text of the ten or so articles shown.  Paths are relative to the
 * folder, so the site works under any sub-path.
 *
 *   search/index.json  the manifest: format, build (a hash of the other
 *                      files, which the script adds to their addresses so
 *                      no cache mixes two builds), docs (article count),
 *                      shards (bits of the term hash that pick a shard),
 *                      provinces as [name, first, end) ranges of article
 *                      numbers (site order groups them), theme slugs, and
 *                      chars, the table article files are coded with
 *   search/s/HEX.bin   a shard: every term whose hash & (2^shards - 1) is
 *                      HEX, written with (shards + 3) / 4 digits; there
 *                      are about SHARD_TARGET bytes in each
 *   search/d/N.bin     article N in site order: the text the script
 *                      checks matches against and cuts snippets from
 *   search/t/N.bin     a set: the articles that carry theme N
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
 *          set T of positions in A where it is in a strong field;
 *          varint tf, and when tf > 0, set F of positions in A where it
 *          occurs at least tf times (about the top eighth; universe of
 *          both: |A|)
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
 *          paragraph of the body as plain text; each character is coded
 *          by its rank r in the manifest's table: r < 192 as one byte r,
 *          r < 192 + 63 * 256 as 0xC0 + (r - 192) / 256 then (r - 192)
 *          % 256, any other character as 0xFF and three bytes of its
 *          code point, high byte first.  Ranked by use, most text
 *          takes 1.3 bytes a character where UTF-8 takes 3.
 */
#include "search.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#include <xxhash.h>

#include "../util/buf.h"
#include "../util/pool.h"
#include "../util/utf8.h"
#include "../util/xalloc.h"

#define SEARCH_FORMAT	1
#define SHARD_TARGET	2048	/* bytes a shard holds on average */
#define SHARD_BITS_MIN	4
#define SHARD_BITS_MAX	14	/* 16384 files at most */
#define TF_MAX		127	/* occurrences counted per article */
#define CODE_ONE	192	/* ranks coded in one byte */
#define CODE_TWO	(CODE_ONE + 63 * 256) /* ranks coded in two */
#define NCODEPOINTS	0x110000
#define PAGE_BITS	12	/* code points per page of counts: 4096 */
#define NPAGES		(NCODEPOINTS >> PAGE_BITS)
#define PART_MIN	64	/* articles in a range at least */
#define PARTS_MAX	8	/* ranges read in parallel at most */
#define RICE_MAX	24
#define UNIGRAM_DIRECT	0x10000	/* characters below: a direct table */
#define DOC_STRONG_FIRST 1	/* lines of a doc: 0 path, 1-3 strong */
#define DOC_STRONG_LAST	3

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
	uint32_t seen;		/* article being read + 1, when touched */
	uint8_t	 tf;		/* occurrences in it, at most TF_MAX */
	uint8_t	 strong;	/* whether one was in a strong field */
};

/* A number per code point, in pages allocated as characters turn up. */
struct counts {
	uint32_t *pages[NPAGES];	/* owned */
};

/* Open addressing from a term's packed code points to its number. */
struct gram_slot {
	uint64_t key;		/* 0 marks an empty slot */
	uint32_t id;
};

struct grams {
	struct gram_slot *slots; /* owned */
	size_t	 nslots;	/* a power of two */
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
	struct counts counts;	/* uses of each code point in docs */
	uint32_t *unigrams;	/* owned; term id + 1 of each BMP character */
};

/* A term's place in the output, for sorting. */
struct slot {
	uint32_t shard;
	uint32_t id;
	char	 key[12];		/* UTF-8 of its characters */
	size_t	 keylen;
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
classify(int32_t cp)
{
	utf8proc_category_t c;

	if (cp < 0x80) {
		if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9'))
			return CLASS_WORD;
		return CLASS_SEPARATOR;
	}
	/* The common case first, without a call. */
	if ((cp >= 0x4E00 && cp <= 0x9FFF) || utf8_is_han(cp))
		return CLASS_GRAM;
	c = utf8proc_category(cp);
	if ((c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO) ||
	    (c >= UTF8PROC_CATEGORY_ND && c <= UTF8PROC_CATEGORY_NO))
		return CLASS_GRAM;
	return CLASS_SEPARATOR;
}

/* The number of cp, allocating its page when missing. */
static uint32_t *
counts_at(struct counts *c, int32_t cp)
{
	uint32_t **page = &c->pages[cp >> PAGE_BITS];

	if (*page == NULL)
		*page = xcalloc((size_t)1 << PAGE_BITS, sizeof(**page));
	return &(*page)[cp & ((1 << PAGE_BITS) - 1)];
}

static uint32_t
counts_get(const struct counts *c, int32_t cp)
{
	const uint32_t *page = c->pages[cp >> PAGE_BITS];

	return page ? page[cp & ((1 << PAGE_BITS) - 1)] : 0;
}

static void
counts_free(struct counts *c)
{
	size_t i;

	for (i = 0; i < NPAGES; i++)
		free(c->pages[i]);
	memset(c, 0, sizeof(*c));
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

/* Appends v as an unsigned LEB128 varint. */
static void
put_varint(struct buf *b, uint64_t v)
{
	buf_grow(b, 11);
	while (v >= 0x80) {
		b->data[b->len++] = (char)((v & 0x7F) | 0x80);
		v >>= 7;
	}
	b->data[b->len++] = (char)v;
	b->data[b->len] = '\0';
}

static uint64_t
get_varint(const char *s, size_t *pos)
{
	uint64_t v = 0;
	unsigned shift = 0;
	unsigned char c;

	do {
		c = (unsigned char)s[(*pos)++];
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

static size_t
find_slot(const struct grams *g, uint64_t key)
{
	size_t mask = g->nslots - 1;
	size_t i = (size_t)((key * 0x9E3779B97F4A7C15ull) >> 20) & mask;

	while (g->slots[i].key != 0 && g->slots[i].key != key)
		i = (i + 1) & mask;
	return i;
}

static void
grams_grow(struct grams *g)
{
	struct gram_slot *old = g->slots;
	size_t n = g->nslots, i;

	g->nslots = n ? n * 2 : 4096;
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

/* Counts one occurrence of term id in the article being read. */
static void
touch(struct index *ix, uint32_t id, bool strong)
{
	struct tally *t = &ix->tallies[id];

	if (t->seen != ix->doc + 1) {
		t->seen = ix->doc + 1;
		t->tf = 0;
		t->strong = false;
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

/* The term of one to three characters (b, c: 0 when absent). */
static uint32_t
term_for(struct index *ix, int32_t a, int32_t b, int32_t c)
{
	uint64_t key = (uint64_t)a << 42 | (uint64_t)b << 21 | (uint64_t)c;
	struct grams *g = &ix->grams;
	size_t slot;
	uint32_t id;

	/* One character is a table lookup in the BMP, where nearly all are. */
	if (b == 0 && a < UNIGRAM_DIRECT) {
		if ((id = ix->unigrams[a]) == 0) {
			id = term_new(ix) + 1;
			ix->terms[id - 1].cp[0] = a;
			ix->unigrams[a] = id;
		}
		return id - 1;
	}
	if ((g->count + 1) * 2 > g->nslots)
		grams_grow(g);
	slot = find_slot(g, key);
	if (g->slots[slot].key == 0) {
		id = term_new(ix);
		ix->terms[id].cp[0] = a;
		ix->terms[id].cp[1] = b;
		ix->terms[id].cp[2] = c;
		g->slots[slot].key = key;
		g->slots[slot].id = id;
		g->count++;
	}
	return g->slots[slot].id;
}

/*
 * Reads a doc's terms (line 0, the path, has none) and counts its
 * characters for the code table, then posts the article to each term.
 */
static void
index_doc(struct index *ix, const char *doc, size_t len)
{
	size_t pos = 0, line = 0, i, runlen = 0;
	int32_t cp, prev = 0, before = 0;
	enum char_class c, run = CLASS_SEPARATOR;
	bool strong = false;
	struct term *t;
	struct tally *tally;

	while (pos < len) {
		cp = next_char(doc, len, &pos);
		(*counts_at(&ix->counts, cp))++;
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
	}
	ix->ntouched = 0;
	ix->doc++;
}

/*
 * Moves the terms and counts of part, which read articles after those of
 * ix, into ix.  The postings of a term append: only the first gap, from
 * article 0 in part, is made relative to the last one in ix.
 */
static void
index_merge(struct index *ix, struct index *part)
{
	struct term *from, *to;
	size_t i, pos;
	uint64_t first;

	for (i = 0; i < part->nterms; i++) {
		from = &part->terms[i];
		to = &ix->terms[term_for(ix, from->cp[0], from->cp[1],
		    from->cp[2])];
		pos = 0;
		first = get_varint(from->post.data, &pos);
		put_varint(&to->post, first - ((uint64_t)to->next << 3));
		buf_append(&to->post, from->post.data + pos,
		    from->post.len - pos);
		to->next = from->next;
		to->df += from->df;
	}
	for (i = 0; i < NPAGES; i++) {
		if (part->counts.pages[i] == NULL)
			continue;
		if (ix->counts.pages[i] == NULL) {
			ix->counts.pages[i] = part->counts.pages[i];
			part->counts.pages[i] = NULL;
			continue;
		}
		for (pos = 0; pos < (1 << PAGE_BITS); pos++)
			ix->counts.pages[i][pos] += part->counts.pages[i][pos];
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
	const char *p = s, *end = s + len, *run = s, *close;

	while (p < end) {
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

struct bits {
	struct buf *out;
	uint64_t acc;
	unsigned n;
};

static void
bits_put(struct bits *w, uint32_t v, unsigned count)
{
	w->acc |= (uint64_t)v << w->n;
	w->n += count;
	while (w->n >= 8) {
		buf_putc(w->out, (char)(w->acc & 0xFF));
		w->acc >>= 8;
		w->n -= 8;
	}
}

static void
bits_end(struct bits *w)
{
	if (w->n > 0)
		buf_putc(w->out, (char)(w->acc & 0xFF));
	w->acc = 0;
	w->n = 0;
}

static uint64_t
rice_cost(const uint32_t *v, size_t n, unsigned k)
{
	uint64_t bits = (uint64_t)n * (k + 1);
	uint32_t prev = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		bits += (v[i] - prev) >> k;
		prev = v[i] + 1;
	}
	return bits;
}

/* The Rice parameter for these gaps, or -1 when a bitmap is smaller. */
static int
choose_coding(const uint32_t *v, size_t n, uint32_t universe)
{
	uint64_t mean = (v[n - 1] + 1 - n) / n, cost, best;
	unsigned k0 = 0, k, lo, hi;
	int choice = -1;

	/* The best k is near log2(mean gap * ln 2); try its neighbours. */
	while (k0 < RICE_MAX && (2ull << k0) <= mean * 69 / 100 * 2)
		k0++;
	lo = k0 > 0 ? k0 - 1 : 0;
	hi = k0 < RICE_MAX ? k0 + 1 : RICE_MAX;
	best = ((uint64_t)universe + 7) / 8 * 8;
	for (k = lo; k <= hi; k++) {
		cost = rice_cost(v, n, k);
		if (cost < best) {
			best = cost;
			choice = (int)k;
		}
	}
	return choice;
}

static void
put_set(struct buf *out, const uint32_t *v, size_t n, uint32_t universe)
{
	struct bits w = { out, 0, 0 };
	uint32_t prev = 0, gap, q;
	size_t i, base;
	int k;

	put_varint(out, n);
	if (n == 0)
		return;
	k = choose_coding(v, n, universe);
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
	for (i = 0; i < n; i++) {
		gap = v[i] - prev;
		prev = v[i] + 1;
		for (q = gap >> k; q >= 24; q -= 24)
			bits_put(&w, 0xFFFFFF, 24);
		bits_put(&w, (1u << q) - 1, q + 1);
		if (k > 0)
			bits_put(&w, gap & ((1u << k) - 1), (unsigned)k);
	}
	bits_end(&w);
}

/* Working arrays for encoding one term's entry. */
struct scratch {
	uint32_t *docs, *strong, *frequent;
	unsigned char *tf;
	size_t	 cap;
};

/* A thread's own buffers. */
struct worker {
	struct buf doc, coded;
	struct buf entries;	/* encoded entries of the terms it did */
	struct scratch sc;
};

/*
 * The threshold that picks about the top eighth of articles by number of
 * occurrences (at least two), or 0 when too few articles hold the term
 * for that to mean anything.
 */
static unsigned
frequent_threshold(const unsigned char *tf, size_t n)
{
	size_t hist[TF_MAX + 1] = { 0 }, above = 0, i;
	unsigned t;

	for (i = 0; i < n; i++)
		hist[tf[i]]++;
	for (t = TF_MAX; t >= 2; t--) {
		if (above + hist[t] > n / 8)
			break;
		above += hist[t];
	}
	return above > 0 ? t + 1 : 0;
}

static void
encode_term(struct term *t, uint32_t ndocs, struct scratch *sc,
    struct buf *out)
{
	size_t i, pos = 0, nstrong = 0, nfrequent = 0;
	uint32_t doc = 0;
	unsigned threshold, tf;
	bool strong;

	if (t->df > sc->cap) {
		sc->cap = t->df;
		sc->docs = xreallocarray(sc->docs, sc->cap, sizeof(uint32_t));
		sc->strong = xreallocarray(sc->strong, sc->cap,
		    sizeof(uint32_t));
		sc->frequent = xreallocarray(sc->frequent, sc->cap,
		    sizeof(uint32_t));
		sc->tf = xrealloc(sc->tf, sc->cap);
	}
	for (i = 0; i < t->df; i++) {
		doc += get_posting(t->post.data, &pos, &tf, &strong);
		sc->docs[i] = doc++;
		sc->tf[i] = (unsigned char)tf;
		if (strong)
			sc->strong[nstrong++] = (uint32_t)i;
	}
	threshold = frequent_threshold(sc->tf, t->df);
	for (i = 0; threshold > 0 && i < t->df; i++)
		if (sc->tf[i] >= threshold)
			sc->frequent[nfrequent++] = (uint32_t)i;
	t->off = out->len;
	put_set(out, sc->docs, t->df, ndocs);
	put_set(out, sc->strong, nstrong, t->df);
	put_varint(out, threshold);
	if (threshold > 0)
		put_set(out, sc->frequent, nfrequent, t->df);
	t->len = out->len - t->off;
	buf_free(&t->post);
}

/* Output. */

static void
add_file(struct search_files *f, char *path, char *data, size_t len)
{
	/* Room doubles: a count that is a power of two fills the array. */
	if ((f->count & (f->count - 1)) == 0)
		f->items = xreallocarray(f->items, f->count ? f->count * 2 : 1,
		    sizeof(*f->items));
	f->items[f->count].path = path;
	f->items[f->count].data = data;
	f->items[f->count].len = len;
	f->count++;
}

static void
term_key(const struct term *t, struct slot *s)
{
	size_t i;

	s->keylen = 0;
	for (i = 0; i < 3 && t->cp[i] != 0; i++)
		s->keylen += utf8_encode(t->cp[i], s->key + s->keylen);
}

static int
compare_slots(const void *pa, const void *pb)
{
	const struct slot *a = pa, *b = pb;
	size_t n = a->keylen < b->keylen ? a->keylen : b->keylen;
	int c;

	if (a->shard != b->shard)
		return a->shard < b->shard ? -1 : 1;
	if ((c = memcmp(a->key, b->key, n)) != 0)
		return c;
	return (a->keylen > b->keylen) - (a->keylen < b->keylen);
}

/* Enough shards for about SHARD_TARGET bytes each. */
static unsigned
shard_bits(size_t total)
{
	unsigned bits = SHARD_BITS_MIN;

	while (bits < SHARD_BITS_MAX && (total >> bits) > SHARD_TARGET)
		bits++;
	return bits;
}

static void
write_shards(struct index *ix, const struct worker *workers,
    struct search_files *out, unsigned *bits_out)
{
	struct slot *slots = xcalloc(ix->nterms ? ix->nterms : 1,
	    sizeof(*slots));
	size_t total = 0, i, j, nshards, count;
	unsigned bits, digits;
	struct buf shard = BUF_INIT;
	const struct term *t;

	for (i = 0; i < ix->nterms; i++) {
		term_key(&ix->terms[i], &slots[i]);
		slots[i].id = (uint32_t)i;
		total += ix->terms[i].len + slots[i].keylen + 4;
	}
	bits = shard_bits(total);
	nshards = (size_t)1 << bits;
	digits = (bits + 3) / 4;
	for (i = 0; i < ix->nterms; i++)
		slots[i].shard = hash_key(slots[i].key, slots[i].keylen) &
		    (uint32_t)(nshards - 1);
	qsort(slots, ix->nterms, sizeof(*slots), compare_slots);
	for (i = 0, j = 0; j < nshards; j++) {
		buf_truncate(&shard, 0);
		for (count = 0; i + count < ix->nterms &&
		    slots[i + count].shard == j; count++)
			;
		put_varint(&shard, count);
		for (; count > 0; count--, i++) {
			t = &ix->terms[slots[i].id];
			put_varint(&shard, slots[i].keylen);
			buf_append(&shard, slots[i].key, slots[i].keylen);
			put_varint(&shard, t->len);
			buf_append(&shard,
			    workers[t->worker].entries.data + t->off, t->len);
		}
		count = shard.len;
		add_file(out, xasprintf("search/s/%0*zx.bin", (int)digits, j),
		    buf_detach(&shard), count);
	}
	buf_free(&shard);
	free(slots);
	*bits_out = bits;
}

/* The code table: characters by how often docs use them. */

struct code_use {
	int32_t	 cp;
	uint32_t count;
};

static int
compare_uses(const void *pa, const void *pb)
{
	const struct code_use *a = pa, *b = pb;

	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	return (a->cp > b->cp) - (a->cp < b->cp);
}

/*
 * Turns counts (per code point) into ranks + 1 (0: not in the table) and
 * appends the table, in rank order, to table as UTF-8.
 */
static void
make_code_table(struct counts *counts, struct buf *table)
{
	struct code_use *uses = NULL;
	size_t n = 0, cap = 0, i;
	int32_t cp;
	uint32_t count;
	char utf8[4];

	for (cp = 0; cp < NCODEPOINTS; cp++) {
		if (counts->pages[cp >> PAGE_BITS] == NULL) {
			cp |= (1 << PAGE_BITS) - 1;
			continue;
		}
		if ((count = counts_get(counts, cp)) == 0)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 1024;
			uses = xreallocarray(uses, cap, sizeof(*uses));
		}
		uses[n].cp = cp;
		uses[n++].count = count;
		*counts_at(counts, cp) = 0;
	}
	if (n > 0)
		qsort(uses, n, sizeof(*uses), compare_uses);
	for (i = 0; i < n && i < CODE_TWO; i++) {
		*counts_at(counts, uses[i].cp) = (uint32_t)i + 1;
		buf_append(table, utf8, utf8_encode(uses[i].cp, utf8));
	}
	free(uses);
}

static void
encode_doc(struct buf *out, const char *doc, size_t len,
    const struct counts *ranks)
{
	size_t pos = 0;
	int32_t cp;
	uint32_t r;
	unsigned char *o;

	/* No character takes more than four bytes either way. */
	buf_truncate(out, 0);
	buf_grow(out, len * 4);
	o = (unsigned char *)out->data;
	while (pos < len) {
		cp = next_char(doc, len, &pos);
		r = counts_get(ranks, cp);
		if (r == 0) {
			*o++ = 0xFF;
			*o++ = (unsigned char)(cp >> 16);
			*o++ = (unsigned char)(cp >> 8 & 0xFF);
			*o++ = (unsigned char)(cp & 0xFF);
		} else if (--r < CODE_ONE) {
			*o++ = (unsigned char)r;
		} else {
			r -= CODE_ONE;
			*o++ = (unsigned char)(0xC0 + r / 256);
			*o++ = (unsigned char)(r % 256);
		}
	}
	out->len = (size_t)((char *)o - out->data);
	out->data[out->len] = '\0';
}

static void
write_themes(const struct site *s, struct search_files *out)
{
	struct buf b = BUF_INIT;
	uint32_t *ids = NULL;
	size_t i, k, n;

	for (i = 0; i < s->nthemes; i++) {
		n = s->themes[i].articles.count;
		ids = xreallocarray(ids, n ? n : 1, sizeof(*ids));
		for (k = 0; k < n; k++)
			ids[k] = (uint32_t)s->themes[i].articles.items[k];
		put_set(&b, ids, n, (uint32_t)s->narticles);
		n = b.len;
		add_file(out, xasprintf("search/t/%zu.bin", i), buf_detach(&b),
		    n);
	}
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

static void
write_manifest(const struct site *s, unsigned bits, const struct buf *table,
    uint64_t build, struct search_files *out)
{
	json_t *root, *themes = must(json_array());
	char hex[17], *text;
	size_t i;

	for (i = 0; i < s->nthemes; i++)
		json_array_append_new(themes,
		    must(json_string(s->themes[i].def->slug)));
	snprintf(hex, sizeof(hex), "%016llx", (unsigned long long)build);
	root = must(json_pack("{s:i,s:s,s:i,s:i,s:o,s:o,s:s%}",
	    "format", SEARCH_FORMAT, "build", hex,
	    "docs", (json_int_t)s->narticles, "shards", (int)bits,
	    "provinces", province_ranges(s), "themes", themes,
	    "chars", buf_str(table), table->len));
	text = must(json_dumps(root, JSON_COMPACT));
	json_decref(root);
	add_file(out, xstrdup("search/index.json"), text, strlen(text));
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
	counts_free(&ix->counts);
	free(ix->unigrams);
}

/* What the threads share. */
struct job {
	const struct site *site;
	struct index *parts;	/* one per range of articles */
	size_t	 nparts;
	struct index *ix;	/* all of them, once merged */
	struct counts *ranks;	/* the code table */
	struct worker *workers;
	char	**docs;		/* each article's file */
	size_t	*doclens;
};

static void
read_part(void *arg, size_t worker, size_t i)
{
	struct job *job = arg;
	struct index *ix = &job->parts[i];
	struct buf *doc = &job->workers[worker].doc;
	size_t n = job->site->narticles, a, end = n * (i + 1) / job->nparts;

	ix->unigrams = xcalloc(UNIGRAM_DIRECT, sizeof(*ix->unigrams));
	ix->doc = (uint32_t)(n * i / job->nparts);
	for (a = ix->doc; a < end; a++) {
		make_doc(doc, &job->site->articles[a]);
		index_doc(ix, doc->data, doc->len);
	}
}

static void
encode_one(void *arg, size_t worker, size_t i)
{
	struct job *job = arg;
	struct worker *w = &job->workers[worker];

	job->ix->terms[i].worker = worker;
	encode_term(&job->ix->terms[i], (uint32_t)job->site->narticles,
	    &w->sc, &w->entries);
}

static void
code_one(void *arg, size_t worker, size_t i)
{
	struct job *job = arg;
	struct worker *w = &job->workers[worker];

	make_doc(&w->doc, &job->site->articles[i]);
	encode_doc(&w->coded, w->doc.data, w->doc.len, job->ranks);
	job->doclens[i] = w->coded.len;
	job->docs[i] = buf_detach(&w->coded);
}

/*
 * Reads the articles in ranges, one index per range, on every core, then
 * merges them: the same files come out whatever the number of threads.
 */
void
search_build(const struct site *s, struct search_files *out)
{
	struct job job;
	struct buf table = BUF_INIT;
	size_t nthreads = pool_threads(0), i;
	uint64_t build = 0;
	unsigned bits;

	memset(out, 0, sizeof(*out));
	memset(&job, 0, sizeof(job));
	job.site = s;
	/* Ranges do not depend on the machine: every one merges the same. */
	job.nparts = s->narticles / PART_MIN;
	if (job.nparts > PARTS_MAX)
		job.nparts = PARTS_MAX;
	if (job.nparts == 0)
		job.nparts = 1;
	job.parts = xcalloc(job.nparts, sizeof(*job.parts));
	job.workers = xcalloc(nthreads, sizeof(*job.workers));
	pool_for(nthreads, job.nparts, read_part, &job);
	job.ix = &job.parts[0];
	for (i = 1; i < job.nparts; i++) {
		index_merge(job.ix, &job.parts[i]);
		index_free(&job.parts[i]);
	}
	pool_for(nthreads, job.ix->nterms, encode_one, &job);
	write_shards(job.ix, job.workers, out, &bits);
	for (i = 0; i < nthreads; i++)
		buf_free(&job.workers[i].entries);
	make_code_table(&job.ix->counts, &table);
	job.ranks = &job.ix->counts;
	job.docs = xcalloc(s->narticles + 1, sizeof(*job.docs));
	job.doclens = xcalloc(s->narticles + 1, sizeof(*job.doclens));
	pool_for(nthreads, s->narticles, code_one, &job);
	for (i = 0; i < s->narticles; i++)
		add_file(out, xasprintf("search/d/%zu.bin", i), job.docs[i],
		    job.doclens[i]);
	write_themes(s, out);
	/* Names the version, so readers never mix files of two builds. */
	for (i = 0; i < out->count; i++)
		build = XXH3_64bits_withSeed(out->items[i].data,
		    out->items[i].len, build);
	write_manifest(s, bits, &table, build, out);
	buf_free(&table);
	for (i = 0; i < nthreads; i++) {
		buf_free(&job.workers[i].doc);
		buf_free(&job.workers[i].coded);
		free(job.workers[i].sc.docs);
		free(job.workers[i].sc.strong);
		free(job.workers[i].sc.frequent);
		free(job.workers[i].sc.tf);
	}
	index_free(job.ix);
	free(job.parts);
	free(job.workers);
	free(job.docs);
	free(job.doclens);
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
