#include "text.h"

#include <cmark.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../util/buf.h"
#include "../util/ser.h"
#include "../util/utf8.h"
#include "../util/xalloc.h"

/* Plain text. */

static bool
is_ascii_alnum(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z');
}

/* The Markdown being read: where its lines start, for blocks' places. */
struct md_lines {
	size_t	 len;		/* of the Markdown */
	size_t	*lines;		/* owned; byte of each line's start */
	size_t	 nlines;
};

static void
lines_init(struct md_lines *src, const char *md, size_t len)
{
	const char *p = md, *nl;
	size_t cap = 64;

	src->len = len;
	src->lines = xcalloc(cap, sizeof(*src->lines));
	src->nlines = 1;
	while ((nl = memchr(p, '\n', len - (size_t)(p - md))) != NULL) {
		if (src->nlines == cap) {
			cap *= 2;
			src->lines = xreallocarray(src->lines, cap,
			    sizeof(*src->lines));
		}
		p = nl + 1;
		src->lines[src->nlines++] = (size_t)(p - md);
	}
}

/* The byte where line n (from 1) starts; the end past the last line. */
static size_t
line_start(const struct md_lines *src, int n)
{
	if (n < 1)
		return 0;
	return (size_t)n <= src->nlines ? src->lines[n - 1] : src->len;
}

/*
 * Starts a block of kind in p, whose text is being written to b, read
 * from node n's lines.
 */
static void
open_block(struct text_plain *p, struct buf *b, enum text_kind kind,
    const struct md_lines *src, cmark_node *n, size_t *cap)
{
	struct text_block *k;

	if (p->nblocks == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		p->blocks = xreallocarray(p->blocks, *cap, sizeof(*p->blocks));
	}
	buf_putc(b, '\n');
	k = &p->blocks[p->nblocks];
	k->off = b->len;
	k->kind = kind;
	k->from = line_start(src, cmark_node_get_start_line(n));
	k->to = line_start(src, cmark_node_get_end_line(n) + 1);
	if (k->to < k->from)
		k->to = k->from;
}

/* Ends the block open_block started; one with no text is left out. */
static void
close_block(struct text_plain *p, struct buf *b)
{
	struct text_block *k = &p->blocks[p->nblocks];

	if ((k->len = b->len - k->off) == 0)
		buf_truncate(b, k->off - 1);
	else
		p->nblocks++;
}

/*
 * Appends a text node's literal to the block being written.  After a
 * line break, a space only between two ASCII letters or digits.
 */
static void
put_text(struct text_plain *p, struct buf *b, const char *lit, bool *joint)
{
	if (lit == NULL || *lit == '\0')
		return;
	if (*joint && b->len > p->blocks[p->nblocks].off &&
	    is_ascii_alnum(b->data[b->len - 1]) && is_ascii_alnum(*lit))
		buf_putc(b, ' ');
	*joint = false;
	buf_puts(b, lit);
}

/* Code block n: a block for each of its lines. */
static void
put_code(struct text_plain *p, struct buf *b, const struct md_lines *src,
    cmark_node *n, size_t *cap)
{
	const char *lit = cmark_node_get_literal(n), *nl;

	for (; lit != NULL && *lit != '\0'; lit = nl + 1) {
		nl = strchr(lit, '\n');
		if (nl == NULL)
			nl = lit + strlen(lit);
		open_block(p, b, TEXT_CODE, src, n, cap);
		buf_append(b, lit, (size_t)(nl - lit));
		close_block(p, b);
		if (*nl == '\0')
			break;
	}
}

void
text_plain_parse(const char *md, size_t len, struct text_plain *out)
{
	cmark_node *doc = cmark_parse_document(md, len, CMARK_OPT_DEFAULT);
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	cmark_node *n;
	struct buf b = BUF_INIT;
	struct md_lines src;
	size_t cap = 0;
	bool joint = false;	/* a line break since the block's last text */

	memset(out, 0, sizeof(*out));
	lines_init(&src, md, len);
	/* Room at once: the text is about as long as the Markdown. */
	buf_grow(&b, len + 1);
	b.data[0] = '\0';
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		n = cmark_iter_get_node(it);
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_PARAGRAPH:
		case CMARK_NODE_HEADING:
			if (ev == CMARK_EVENT_ENTER)
				open_block(out, &b, cmark_node_get_type(n) ==
				    CMARK_NODE_HEADING ? TEXT_HEADING :
				    TEXT_PARAGRAPH, &src, n, &cap);
			else
				close_block(out, &b);
			joint = false;
			break;
		case CMARK_NODE_CODE_BLOCK:
			put_code(out, &b, &src, n, &cap);
			break;
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
			put_text(out, &b, cmark_node_get_literal(n), &joint);
			break;
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK:
			joint = true;
			break;
		default:
			/* Raw HTML, which pages leave out; containers. */
			break;
		}
	}
	cmark_iter_free(it);
	cmark_node_free(doc);
	free(src.lines);
	out->len = b.len;
	out->text = buf_detach(&b);
}

void
text_plain_free(struct text_plain *p)
{
	if (p == NULL)
		return;
	free(p->text);
	free(p->blocks);
	memset(p, 0, sizeof(*p));
}

/*
 * Where text lies in w: where its first byte first occurs, nearly
 * always (what comes before it is a block's marker: "## ", "- "), else
 * wherever memmem, linear in the window, finds it.
 */
static const char *
find_verbatim(const char *w, size_t wlen, const char *text, size_t len)
{
	const char *at;

	if (len == 0 || len > wlen)
		return NULL;
	at = memchr(w, text[0], wlen - len + 1);
	if (at != NULL && memcmp(at, text, len) == 0)
		return at;
	return memmem(w, wlen, text, len);
}

/*
 * A note is a record a block: a 32-bit number, the block's length times
 * two, plus one when the block's bytes follow it; else a second one, the
 * byte of md where they lie.  Each block's text starts a line.
 */
int
text_plain_pack(const struct text_plain *p, const char *md, size_t len,
    struct buf *out)
{
	const struct text_block *k;
	const char *text, *at;
	size_t i;

	if (len > INT32_MAX || p->len > INT32_MAX)
		return -1;
	for (i = 0; i < p->nblocks; i++) {
		k = &p->blocks[i];
		text = p->text + k->off;
		at = find_verbatim(md + k->from, k->to - k->from, text,
		    k->len);
		ser_u32(out, (uint32_t)(k->len * 2 + (at == NULL)));
		if (at != NULL)
			ser_u32(out, (uint32_t)(at - md));
		else
			buf_append(out, text, k->len);
	}
	return 0;
}

void
text_plain_unpack(const char *note, size_t len, const char *md,
    struct buf *out)
{
	struct ser_reader r;
	uint32_t head, n;

	const void *own;

	ser_reader_init(&r, note, len);
	while (r.p < r.end && !r.bad) {
		head = ser_read_u32(&r);
		n = head / 2;
		buf_putc(out, '\n');
		if (!(head & 1))
			buf_append(out, md + ser_read_u32(&r), n);
		else if ((own = ser_read_bytes(&r, n)) != NULL)
			buf_append(out, own, n);
	}
}

/* Whether cp ends a sentence: 。！？ and their ASCII forms. */
static bool
is_full_stop(int32_t cp)
{
	return cp == 0x3002 || cp == 0xFF01 || cp == 0xFF1F || cp == '!' ||
	    cp == '?';
}

/* Whether cp ends a clause within a sentence: ，；：、 and ASCII ,;: */
static bool
is_clause_end(int32_t cp)
{
	return cp == 0xFF0C || cp == 0xFF1B || cp == 0xFF1A || cp == 0x3001 ||
	    cp == ',' || cp == ';' || cp == ':';
}

/*
 * Whether cp only parts the items of a list (、): a summary cut there
 * stops in the middle of an enumeration (坚持把加强基层党组织建设……).
 */
static bool
is_list_comma(int32_t cp)
{
	return cp == 0x3001;
}

/* +1 for an opening quote or bracket, -1 for a closing one, else 0. */
static int
nesting(int32_t cp)
{
	switch (cp) {
	case 0x201C: case 0x2018: case 0x300C: case 0x300E: case 0x300A:
	case 0xFF08: case 0x3010: case '(':
		return 1;
	case 0x201D: case 0x2019: case 0x300D: case 0x300F: case 0x300B:
	case 0xFF09: case 0x3011: case ')':
		return -1;
	default:
		return 0;
	}
}

/* Characters below which a sentence is a heading run into the text. */
#define SHORT_SENTENCE	12

/* A place text may be cut: its byte offset and the characters before. */
struct boundary {
	size_t	 at;		/* bytes; 0: none found */
	size_t	 chars;
};

/*
 * Where plain text may end when it must be cut to max characters: the
 * last sentence end within max; the last clause end within max (the
 * clause's punctuation left out), and apart from it the last 、, which
 * ends no clause but an item of a list; and the first clause end past
 * max, or failing one the first 、.  Only outside quotes and brackets,
 * which a cut would leave open; a closing quote after a full stop
 * belongs to the sentence it closes.
 */
static void
find_boundaries(const char *s, size_t len, size_t max, struct boundary *full,
    struct boundary *clause, struct boundary *item, struct boundary *later)
{
	size_t pos = 0, before, chars = 0, peek, sentence = 0;
	struct boundary later_item = { 0, 0 }, *in, *past;
	int depth = 0;
	int32_t cp;

	memset(full, 0, sizeof(*full));
	memset(clause, 0, sizeof(*clause));
	memset(item, 0, sizeof(*item));
	memset(later, 0, sizeof(*later));
	while (pos < len && chars <= 2 * max) {
		before = pos;
		cp = utf8_next_fast(s, len, &pos);
		chars++;
		depth += nesting(cp);
		if (depth < 0)
			depth = 0;
		if (is_full_stop(cp)) {
			/* Take the quotes it closes along. */
			for (peek = pos; peek < len; pos = peek, chars++) {
				cp = utf8_next_fast(s, len, &peek);
				if (nesting(cp) >= 0 || depth == 0)
					break;
				depth--;
			}
			/*
			 * A sentence of a few characters is a heading run in
			 * (强化一个核心。): a summary does not end on one.
			 */
			if (depth == 0 && chars <= max &&
			    (chars - sentence >= SHORT_SENTENCE ||
			    full->at == 0)) {
				full->at = pos;
				full->chars = chars;
			}
			if (depth == 0)
				sentence = chars;
		} else if (is_clause_end(cp) && depth == 0 && chars > 1) {
			in = is_list_comma(cp) ? item : clause;
			past = is_list_comma(cp) ? &later_item : later;
			if (chars - 1 <= max) {
				in->at = before;
				in->chars = chars - 1;
			} else if (past->at == 0) {
				past->at = before;
				past->chars = chars - 1;
			}
		}
	}
	if (later->at == 0)
		*later = later_item;
}

char *
text_summary(const struct text_plain *p, size_t max)
{
	struct buf plain = BUF_INIT;
	struct boundary full, clause, item, later;
	size_t min = max / 3, chars, k;

	for (k = 0; k < p->nblocks && p->blocks[k].kind != TEXT_PARAGRAPH; k++)
		continue;
	if (k == p->nblocks)
		return xstrdup("");
	buf_append(&plain, p->text + p->blocks[k].off, p->blocks[k].len);
	chars = utf8_length(plain.data, plain.len);
	if (chars <= max) {
		/* Whole, but for a heading run in at its end. */
		find_boundaries(plain.data, plain.len, chars, &full, &clause,
		    &item, &later);
		if (full.at != 0 && chars - full.chars < SHORT_SENTENCE &&
		    full.chars >= min)
			buf_truncate(&plain, full.at);
		return buf_detach(&plain);
	}
	/*
	 * Whole sentences when they say enough; else the first sentence up
	 * to a clause end, within max if one is there, else to the end of an
	 * item of a list within max, else to a clause end past max; a word
	 * is cut only when the text has no punctuation at all.
	 */
	find_boundaries(plain.data, plain.len, max, &full, &clause, &item,
	    &later);
	if (clause.chars < min && item.chars >= min)
		clause = item;
	else if (clause.at == 0)
		clause = item;
	if (full.at != 0 && (full.chars >= min ||
	    clause.at <= full.at || clause.chars < min))
		buf_truncate(&plain, full.at);
	else {
		if (clause.at != 0 && clause.chars >= min)
			buf_truncate(&plain, clause.at);
		else if (later.at != 0)
			buf_truncate(&plain, later.at);
		else if (clause.at != 0)
			buf_truncate(&plain, clause.at);
		else
			buf_truncate(&plain, utf8_cut(plain.data, plain.len,
			    max, 0));
		buf_puts(&plain, "……");
	}
	return buf_detach(&plain);
}

/* A keyword's place in the text. */
struct keyword_hit {
	size_t	 at, len;	/* bytes */
};

/*
 * The keywords of several themes by their first character, so that one
 * pass over a body finds them all: an open-addressing table from a code
 * point to a run of the keywords that start with it.
 */
#define KEYWORD_SLOTS	256	/* a power of two, past any theme list's
				   first characters */

struct keyword {
	const char *s;
	size_t	 len;
	size_t	 theme;		/* index into the themes searched */
};

struct keyword_table {
	uint64_t firsts[4];	/* a bit per first character, by its code
				   point modulo 256 */
	int32_t	 first[KEYWORD_SLOTS];	/* 0: empty */
	size_t	 from[KEYWORD_SLOTS], to[KEYWORD_SLOTS];
	struct keyword *kw;	/* owned; by first character */
	size_t	 n;
};

static int32_t
first_char(const char *s, size_t len)
{
	size_t pos = 0;

	return utf8_next_fast(s, len, &pos);
}

static int
compare_keywords(const void *pa, const void *pb)
{
	const struct keyword *a = pa, *b = pb;
	int32_t x = first_char(a->s, a->len), y = first_char(b->s, b->len);

	if (x != y)
		return x < y ? -1 : 1;
	if (a->theme != b->theme)
		return a->theme < b->theme ? -1 : 1;
	return strcmp(a->s, b->s);
}

static size_t
slot_of(int32_t cp)
{
	return (size_t)(((uint32_t)cp * 2654435761u) >> 24) &
	    (KEYWORD_SLOTS - 1);
}

/* Returns -1 when the themes hold too many first characters. */
static int
table_build(struct keyword_table *kt, const struct theme *const *themes,
    size_t nthemes)
{
	size_t i, k, slot;
	int32_t cp;

	memset(kt, 0, sizeof(*kt));
	for (i = 0; i < nthemes; i++)
		kt->n += themes[i]->nkeywords;
	kt->kw = xcalloc(kt->n + 1, sizeof(*kt->kw));
	kt->n = 0;
	for (i = 0; i < nthemes; i++)
		for (k = 0; k < themes[i]->nkeywords; k++)
			if (themes[i]->keywords[k][0] != '\0') {
				kt->kw[kt->n].s = themes[i]->keywords[k];
				kt->kw[kt->n].len = strlen(kt->kw[kt->n].s);
				kt->kw[kt->n++].theme = i;
			}
	qsort(kt->kw, kt->n, sizeof(*kt->kw), compare_keywords);
	for (k = 0; k < kt->n; k = kt->to[slot]) {
		cp = first_char(kt->kw[k].s, kt->kw[k].len);
		for (slot = slot_of(cp), i = 0; kt->first[slot] != 0;
		    slot = (slot + 1) & (KEYWORD_SLOTS - 1))
			if (++i == KEYWORD_SLOTS / 2)
				return -1;
		kt->first[slot] = cp;
		kt->firsts[(cp >> 6) & 3] |= 1ULL << (cp & 63);
		kt->from[slot] = k;
		for (kt->to[slot] = k; kt->to[slot] < kt->n &&
		    first_char(kt->kw[kt->to[slot]].s,
		    kt->kw[kt->to[slot]].len) == cp; kt->to[slot]++)
			continue;
	}
	return 0;
}

/* The slot of the keywords starting with cp, or -1. */
static long
table_find(const struct keyword_table *kt, int32_t cp)
{
	size_t slot;

	for (slot = slot_of(cp); kt->first[slot] != 0;
	    slot = (slot + 1) & (KEYWORD_SLOTS - 1))
		if (kt->first[slot] == cp)
			return (long)slot;
	return -1;
}

struct hits {
	struct keyword_hit *items;	/* owned */
	size_t	 n, cap;
};

static void
hits_push(struct hits *h, size_t at, size_t len)
{
	if (h->n == h->cap) {
		h->cap = h->cap ? h->cap * 2 : 16;
		h->items = xreallocarray(h->items, h->cap, sizeof(*h->items));
	}
	h->items[h->n].at = at;
	h->items[h->n++].len = len;
}

/*
 * The places in body where one of each theme's keywords starts, per
 * theme, in order, the longest at each, none inside another: one pass,
 * each character looked up among the keywords' first characters.
 */
static void
find_hits(const char *body, size_t len, const struct keyword_table *kt,
    struct hits *per_theme)
{
	const struct keyword *kw;
	struct hits *h;
	size_t pos = 0, at, k;
	int32_t cp;
	long slot;

	while (at = pos, (cp = utf8_next_fast(body, len, &pos)) != -1) {
		/* Most characters start no keyword: one bit says so. */
		if (!(kt->firsts[(cp >> 6) & 3] >> (cp & 63) & 1) ||
		    (slot = table_find(kt, cp)) < 0)
			continue;
		/* Longest first within a theme: sorted by text, so the
		   longer of two that share a start comes later. */
		for (k = kt->from[slot]; k < kt->to[slot]; k++) {
			kw = &kt->kw[k];
			if (kw->len > len - at ||
			    memcmp(body + at, kw->s, kw->len) != 0)
				continue;
			h = &per_theme[kw->theme];
			/* One per start and none inside another. */
			if (h->n > 0 && h->items[h->n - 1].at == at) {
				if (kw->len > h->items[h->n - 1].len)
					h->items[h->n - 1].len = kw->len;
				continue;
			}
			if (h->n > 0 && at < h->items[h->n - 1].at +
			    h->items[h->n - 1].len)
				continue;
			hits_push(h, at, kw->len);
		}
	}
}

/* The code point before p (p > s). */
static int32_t
char_before(const char *s, const char **p)
{
	const char *q = *p, *end = *p;
	size_t pos = 0;

	do
		q--;
	while (q > s && ((unsigned char)*q & 0xC0) == 0x80);
	*p = q;
	return utf8_next_fast(q, (size_t)(end - q), &pos);
}

/*
 * Moves s past what a quoted sentence should not start with: spaces,
 * clause punctuation, closing quotes.
 */
static const char *
skip_lead(const char *s, const char *e)
{
	size_t pos;
	int32_t cp;

	while (s < e) {
		pos = 0;
		cp = utf8_next_fast(s, (size_t)(e - s), &pos);
		if (cp != ' ' && cp != 0x3000 && !is_clause_end(cp) &&
		    !is_full_stop(cp) && nesting(cp) >= 0)
			break;
		s += pos;
	}
	return s;
}

/* The end of the sentence starting at s, its closing quotes taken. */
static const char *
sentence_end(const char *s, const char *e)
{
	size_t pos = 0, peek;
	int32_t cp;

	while (pos < (size_t)(e - s)) {
		cp = utf8_next_fast(s, (size_t)(e - s), &pos);
		if (!is_full_stop(cp))
			continue;
		for (peek = pos; peek < (size_t)(e - s); pos = peek) {
			cp = utf8_next_fast(s, (size_t)(e - s), &peek);
			if (nesting(cp) >= 0)
				break;
		}
		break;
	}
	return s + pos;
}

/*
 * Narrows the sentence [*a, *b) to whole clauses around the keyword at
 * [kw, kw + klen), as many as max characters hold, starting with the
 * clause that holds it; within that clause, to a window of characters
 * when it alone is too long.  Says which ends were cut.
 */
static void
trim_to_clauses(const char **a, const char **b, const char *kw, size_t klen,
    size_t max, struct passage *out)
{
	const char *s = *a, *e = *b, *from = kw, *to = kw + klen, *p;
	size_t pos, chars, more;
	int32_t cp;

	/* The clause holding the keyword. */
	while (from > s) {
		p = from;
		if (is_clause_end(char_before(s, &p)))
			break;
		from = p;
	}
	for (pos = (size_t)(to - s); pos < (size_t)(e - s);) {
		cp = utf8_next_fast(s, (size_t)(e - s), &pos);
		if (is_clause_end(cp))
			break;
	}
	to = s + pos;
	if ((chars = utf8_length(from, (size_t)(to - from))) > max) {
		/* One long clause: a third of the room before the keyword. */
		for (pos = 0, p = kw; p > from && pos < max / 3; pos++)
			char_before(from, &p);
		from = p;
		to = from + utf8_cut(from, (size_t)(e - from), max, 0);
		if (to < kw + klen)
			to = kw + klen;
	} else {
		/* Then the clauses after it, then those before, while they fit. */
		for (;;) {
			p = to;
			for (pos = 0; pos < (size_t)(e - p);) {
				cp = utf8_next_fast(p, (size_t)(e - p), &pos);
				if (is_clause_end(cp))
					break;
			}
			more = utf8_length(p, pos);
			if (p == e || chars + more > max)
				break;
			to = p + pos;
			chars += more;
		}
		for (;;) {
			p = from;
			if (p == s)
				break;
			char_before(s, &p);
			while (p > s) {
				const char *q = p;
				if (is_clause_end(char_before(s, &q)))
					break;
				p = q;
			}
			more = utf8_length(p, (size_t)(from - p));
			if (chars + more > max)
				break;
			from = p;
			chars += more;
		}
	}
	out->cut_before = from > s;
	out->cut_after = to < e;
	*a = from;
	*b = to;
}

/* A sentence holding hits, and what they weigh. */
struct scored {
	const char *s, *stop;	/* the sentence */
	size_t	 score;		/* each hit's length, squared, summed */
	const char *mark;	/* its longest hit, the first of them */
	size_t	 mark_len;
	bool	 minor;		/* a heading, or a heading run in */
};

/* Keeps sc as the best of its tier when it weighs more than that one. */
static void
offer_sentence(const struct scored *sc, struct scored *best)
{
	struct scored *b = &best[sc->minor];

	if (sc->score > b->score)
		*b = *sc;
}

/*
 * The most telling sentence of the text for the hits of a theme, in two
 * tiers: sentences of paragraphs long enough not to be a heading run
 * into the text (best[0]), and the others, headings too (best[1]).
 */
static void
best_sentences(const struct text_plain *p, const struct keyword_hit *hits,
    size_t n, struct scored *best)
{
	const char *line_end = NULL, *at;
	struct scored cur = { NULL, NULL, 0, NULL, 0, false };
	bool heading = false;
	size_t k, b = 0;

	memset(best, 0, 2 * sizeof(*best));
	for (k = 0; k < n; k++) {
		at = p->text + hits[k].at;
		if (cur.s == NULL || at >= cur.stop) {
			if (cur.score > 0)
				offer_sentence(&cur, best);
			cur.score = cur.mark_len = 0;
			/* Each block is a line; hits come in order. */
			if (line_end == NULL || at >= line_end) {
				while (b + 1 < p->nblocks && hits[k].at >=
				    p->blocks[b].off + p->blocks[b].len)
					b++;
				line_end = p->text + p->blocks[b].off +
				    p->blocks[b].len;
				heading = p->blocks[b].kind == TEXT_HEADING;
				cur.stop = p->text + p->blocks[b].off;
			}
			do {
				cur.s = cur.stop;
				cur.stop = sentence_end(cur.s, line_end);
			} while (cur.stop <= at && cur.stop < line_end);
			cur.minor = heading || utf8_length(cur.s,
			    (size_t)(cur.stop - cur.s)) < SHORT_SENTENCE;
		}
		cur.score += hits[k].len * hits[k].len;
		if (hits[k].len > cur.mark_len) {
			cur.mark = at;
			cur.mark_len = hits[k].len;
		}
	}
	if (cur.score > 0)
		offer_sentence(&cur, best);
}

/* The passage of one theme from its hits, as text_find_passages says. */
static bool
passage_of(const struct text_plain *p, const struct hits *h,
    struct passage *out)
{
	struct scored best[2], *b;
	const char *a, *z, *q;

	memset(out, 0, sizeof(*out));
	best_sentences(p, h->items, h->n, best);
	/* Paragraphs first; a heading only when nothing else has it. */
	b = best[0].score > 0 ? &best[0] : &best[1];
	if (b->score == 0)
		return false;
	out->mark_off = (size_t)(b->mark - p->text);
	out->mark_len = b->mark_len;
	a = skip_lead(b->s, b->mark);
	z = b->stop;
	while (z > a && (z[-1] == ' ' || z[-1] == '\r'))
		z--;
	if (utf8_length(a, (size_t)(z - a)) > TEXT_PASSAGE_CHARS)
		trim_to_clauses(&a, &z, b->mark, b->mark_len,
		    TEXT_PASSAGE_CHARS, out);
	/* "……" follows a cut, not a comma. */
	q = z;
	if (out->cut_after && z > b->mark + b->mark_len &&
	    is_clause_end(char_before(a, &q)))
		z = q;
	out->off = (size_t)(a - p->text);
	out->len = (size_t)(z - a);
	return true;
}

void
text_find_passages(const struct text_plain *p,
    const struct theme *const *themes, size_t n, struct passage *out)
{
	struct keyword_table kt;
	struct hits *hits = xcalloc(n + 1, sizeof(*hits));
	size_t i;

	if (table_build(&kt, themes, n) == 0)
		find_hits(p->text, p->len, &kt, hits);
	else
		/* So many first characters: a theme at a time. */
		for (i = 0; i < n; i++) {
			free(kt.kw);
			table_build(&kt, &themes[i], 1);
			find_hits(p->text, p->len, &kt, &hits[i]);
		}
	for (i = 0; i < n; i++) {
		passage_of(p, &hits[i], &out[i]);
		free(hits[i].items);
	}
	free(kt.kw);
	free(hits);
}

bool
text_find_passage(const struct text_plain *p, const struct theme *t,
    struct passage *out)
{
	text_find_passages(p, &t, 1, out);
	return out->len > 0;
}
