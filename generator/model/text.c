#include "text.h"

#include <stdlib.h>
#include <string.h>

#include "../util/buf.h"
#include "../util/utf8.h"
#include "../util/xalloc.h"

/* The end of the line starting at s (its newline or the end). */
static const char *
line_end(const char *s, const char *end)
{
	const char *nl = memchr(s, '\n', (size_t)(end - s));

	return nl ? nl : end;
}

static bool
is_blank(const char *s, const char *e)
{
	for (; s < e; s++)
		if (*s != ' ' && *s != '\t' && *s != '\r')
			return false;
	return true;
}

static bool
is_heading(const char *s, const char *e)
{
	while (s < e && *s == ' ')
		s++;
	return s < e && *s == '#';
}

void
text_strip_inline(struct buf *out, const char *s, size_t len)
{
	const char *p = s, *end = s + len, *run, *close;

	/* The bytes that end a run of plain text: markup and line ends. */
	static const bool stops[256] = {
		['*'] = true, ['_'] = true, ['`'] = true, ['\\'] = true,
		['['] = true, [']'] = true, ['\r'] = true, ['\n'] = true,
	};

	while (p < end) {
		/* Copy a run of plain text at once. */
		for (run = p; p < end && !stops[(unsigned char)*p]; p++)
			continue;
		buf_append(out, run, (size_t)(p - run));
		if (p == end)
			break;
		/* Drop the "(target)" of an inline link after its "]". */
		if (*p++ == ']' && p < end && *p == '(' &&
		    (close = memchr(p, ')', (size_t)(end - p))) != NULL)
			p = close + 1;
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
 * last sentence end within max, the last clause end within max (the
 * clause's punctuation left out), and the first clause end past max.
 * Only outside quotes and brackets, which a cut would leave open; a
 * closing quote after a full stop belongs to the sentence it closes.
 */
static void
find_boundaries(const char *s, size_t len, size_t max, struct boundary *full,
    struct boundary *clause, struct boundary *later)
{
	size_t pos = 0, before, chars = 0, peek, sentence = 0;
	int depth = 0;
	int32_t cp;

	memset(full, 0, sizeof(*full));
	memset(clause, 0, sizeof(*clause));
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
			if (chars - 1 <= max) {
				clause->at = before;
				clause->chars = chars - 1;
			} else if (later->at == 0) {
				later->at = before;
				later->chars = chars - 1;
			}
		}
	}
}

char *
text_summary(const char *body, size_t len, size_t max)
{
	const char *p = body, *end = body + len, *e, *start = NULL;
	struct buf plain = BUF_INIT;
	struct boundary full, clause, later;
	size_t min = max / 3, chars;

	/* The first paragraph that is not a heading. */
	for (; p < end; p = e + 1) {
		e = line_end(p, end);
		if (start == NULL) {
			if (!is_blank(p, e) && !is_heading(p, e))
				start = p;
		} else if (is_blank(p, e) || is_heading(p, e))
			break;
		if (e == end) {
			p = end;
			break;
		}
	}
	if (start == NULL)
		return xstrdup("");
	text_strip_inline(&plain, start, (size_t)((p < end ? p : end) - start));
	chars = utf8_length(plain.data, plain.len);
	if (chars <= max) {
		/* Whole, but for a heading run in at its end. */
		find_boundaries(plain.data, plain.len, chars, &full, &clause,
		    &later);
		if (full.at != 0 && chars - full.chars < SHORT_SENTENCE &&
		    full.chars >= min)
			buf_truncate(&plain, full.at);
		return buf_detach(&plain);
	}
	/*
	 * Whole sentences when they say enough; else the first sentence up
	 * to a clause end, within max if one is there, past it if not; a
	 * word is cut only when the text has no punctuation at all.
	 */
	find_boundaries(plain.data, plain.len, max, &full, &clause, &later);
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

/* A keyword's place in a body. */
struct hit {
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
	struct hit *items;	/* owned */
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
 * The most telling sentence of the body for the hits of a theme, in two
 * tiers: sentences of paragraphs long enough not to be a heading run
 * into the text (best[0]), and the others, headings too (best[1]).
 */
static void
best_sentences(const char *body, size_t len, const struct hit *hits,
    size_t n, struct scored *best)
{
	const char *end = body + len, *line = NULL, *line_end = NULL, *at;
	struct scored cur = { NULL, NULL, 0, NULL, 0, false };
	bool heading = false;
	size_t k;

	memset(best, 0, 2 * sizeof(*best));
	for (k = 0; k < n; k++) {
		at = body + hits[k].at;
		if (cur.s == NULL || at >= cur.stop) {
			if (cur.score > 0)
				offer_sentence(&cur, best);
			cur.score = cur.mark_len = 0;
			if (line == NULL || at >= line_end) {
				for (line = at; line > body && line[-1] != '\n';)
					line--;
				line_end = memchr(at, '\n', (size_t)(end - at));
				if (line_end == NULL)
					line_end = end;
				heading = is_heading(line, line_end);
				cur.stop = line;
				while (heading && cur.stop < line_end &&
				    (*cur.stop == '#' || *cur.stop == ' '))
					cur.stop++;
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
passage_of(const char *body, size_t len, const struct hits *h,
    struct passage *out)
{
	struct scored best[2], *b;
	const char *a, *z, *q;

	memset(out, 0, sizeof(*out));
	best_sentences(body, len, h->items, h->n, best);
	/* Paragraphs first; a heading only when nothing else has it. */
	b = best[0].score > 0 ? &best[0] : &best[1];
	if (b->score == 0)
		return false;
	out->mark_off = (size_t)(b->mark - body);
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
	out->off = (size_t)(a - body);
	out->len = (size_t)(z - a);
	return true;
}

void
text_find_passages(const char *body, size_t len,
    const struct theme *const *themes, size_t n, struct passage *out)
{
	struct keyword_table kt;
	struct hits *hits = xcalloc(n + 1, sizeof(*hits));
	size_t i;

	if (table_build(&kt, themes, n) == 0)
		find_hits(body, len, &kt, hits);
	else
		/* So many first characters: a theme at a time. */
		for (i = 0; i < n; i++) {
			free(kt.kw);
			table_build(&kt, &themes[i], 1);
			find_hits(body, len, &kt, &hits[i]);
		}
	for (i = 0; i < n; i++) {
		passage_of(body, len, &hits[i], &out[i]);
		free(hits[i].items);
	}
	free(kt.kw);
	free(hits);
}

bool
text_find_passage(const char *body, size_t len, const struct theme *t,
    struct passage *out)
{
	text_find_passages(body, len, &t, 1, out);
	return out->len > 0;
}
