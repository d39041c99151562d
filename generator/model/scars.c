#include "scars.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/buf.h"
#include "../util/prose.h"
#include "../util/utf8.h"
#include "../util/xalloc.h"

/* A line of the body: where it lies, and the file line it is. */
struct scar_line {
	const char *s;
	size_t	 len;
	unsigned number;
};

/* What the checks of one article share. */
struct scan {
	const struct article *a;
	struct diags *d;
	size_t	 at;		/* a byte of the body located last */
	unsigned at_line;	/* its line */
	size_t	 at_start;	/* where that line starts */
	size_t	 counts[SCARS_RULES];	/* warnings of each rule so far */
};

/* The rules, in the order their counts are kept. */
static const char *const rules[SCARS_RULES] = {
	"fragment", "mid-sentence", "latin", "traditional", "repeat",
};

/*
 * Whether the warning of rule about text[from..to) (within a paragraph
 * or line, text[0..len)) is accepted by the article's front matter:
 * "RULE" for all of the rule's, "RULE: words" for one whose words, as
 * they stand in the text, take in the spot.
 */
static bool
accepted(const struct article *a, const char *rule, const char *text,
    size_t len, size_t from, size_t to)
{
	size_t i, n = strlen(rule), wlen;
	const char *e, *want, *at, *p;

	for (i = 0; i < a->naccept; i++) {
		e = a->accept[i];
		if (strncmp(e, rule, n) != 0)
			continue;
		if (e[n] == '\0')
			return true;
		if (e[n] != ':')
			continue;
		for (want = e + n + 1; *want == ' '; want++)
			;
		if ((wlen = strlen(want)) == 0)
			continue;
		for (p = text; (at = memmem(p, len - (size_t)(p - text), want,
		    wlen)) != NULL; p = at + 1)
			if ((size_t)(at - text) <= from &&
			    (size_t)(at - text) + wlen >= to)
				return true;
	}
	return false;
}

/* Warns of text[from..to) at line:col unless it is accepted. */
static void
warn(struct scan *sc, const char *rule, const char *text, size_t len,
    size_t from, size_t to, unsigned line, unsigned col, const char *message)
{
	size_t r;

	if (accepted(sc->a, rule, text, len, from, to))
		return;
	for (r = 0; strcmp(rules[r], rule) != 0; r++)
		;
	/* A page of scars tells no more than its first few. */
	if (++sc->counts[r] <= SCARS_MAX)
		diag_warning(sc->d, sc->a->path, line, col, "%s [%s]", message,
		    rule);
	else if (sc->counts[r] == SCARS_MAX + 1)
		diag_warning(sc->d, sc->a->path, line, col, "more scars of "
		    "this rule; no more are named [%s]", rule);
}

/* Whether a line opens a block other than a paragraph. */
static bool
opens_other_block(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len && i < 4 && s[i] == ' ')
		i++;
	if (i == 4)
		return true;	/* indented code */
	if (i == len)
		return false;
	if (strchr("#>|", s[i]) != NULL)
		return true;
	if ((s[i] == '-' || s[i] == '*' || s[i] == '+') &&
	    (i + 1 == len || s[i + 1] == ' '))
		return true;
	while (i < len && s[i] >= '0' && s[i] <= '9')
		i++;
	return i < len && i > 0 && (s[i] == '.' || s[i] == ')');
}

static bool
is_fence(const char *s, size_t len)
{
	return len >= 3 && (strncmp(s, "```", 3) == 0 ||
	    strncmp(s, "~~~", 3) == 0);
}

/*
 * Appends s without Markdown's inline markers.  The checks read the
 * lines as the editor wrote them, for warnings that point into the
 * file, and look at a piece of a line: markup is dropped from it, not
 * parsed, as the page's text (model/text.h) is.
 */
static void
strip_inline(struct buf *out, const char *s, size_t len)
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

/*
 * Enough of a paragraph's start or end for its checks: a clause, markup
 * taken out.  The bytes of s[0..len) from or up to PEEK, cut at a
 * character boundary.
 */
#define PEEK	96

static void
peek(struct buf *out, const char *s, size_t len, bool head)
{
	size_t from = 0, to = len;

	if (len > PEEK) {
		if (head)
			to = utf8_cut(s, len, PEEK / 3, 0);
		else
			for (from = len - PEEK; ((unsigned char)s[from] &
			    0xC0) == 0x80; from++)
				;
	}
	buf_truncate(out, 0);
	strip_inline(out, s + from, to - from);
}

/* A paragraph's start and end, checked once its lines are known. */
static void
check_paragraph(struct scan *sc, const struct scar_line *lines, size_t n,
    bool first)
{
	struct buf text = BUF_INIT;
	enum prose_fragment f;
	const struct scar_line *last = &lines[n - 1];

	peek(&text, lines[0].s, lines[0].len, true);
	f = prose_fragment_start(text.data, text.len);
	if (text.len > 0 &&
	    strncmp(text.data, PROSE_LACUNA, strlen(PROSE_LACUNA)) != 0 &&
	    (f == PROSE_OPENS_WITH_MARK || f == PROSE_WORD_TAIL ||
	    (f == PROSE_SHORT_CLAUSE && !first)))
		warn(sc, "fragment", text.data, text.len, 0, 0,
		    lines[0].number, 1,
		    "the paragraph opens inside a clause; if the printed page "
		    "lost the text before it, start it with " PROSE_LACUNA);
	peek(&text, last->s, last->len, false);
	if (text.len > 0 && !prose_ends_paragraph(text.data, text.len))
		warn(sc, "mid-sentence", text.data, text.len, text.len,
		    text.len, last->number,
		    (unsigned)utf8_length(last->s, last->len),
		    "the paragraph stops mid-sentence; if the printed page "
		    "lost the rest, end it with " PROSE_LACUNA);
	buf_free(&text);
}

/* Latin words, a line at a time. */
static void
check_words(struct scan *sc, const struct scar_line *l)
{
	size_t pos = 0, start, end;
	const char *han;
	char *word;
	char msg[160];

	while (prose_next_latin_word(l->s, l->len, &pos, &start, &end)) {
		word = xstrndup(l->s + start, end - start);
		han = prose_latin_meaning(word, end - start);
		snprintf(msg, sizeof(msg), "a Latin word \"%s\" between Chinese "
		    "characters%s%s%s", word, han ? " (did you mean \"" : "",
		    han ? han : "", han ? "\"?)" : "");
		warn(sc, "latin", l->s, l->len, start, end, l->number,
		    (unsigned)utf8_length(l->s, start) + 1, msg);
		free(word);
	}
}

/*
 * Passages printed twice.  The letters of the body (punctuation, spaces
 * and markup aside) are hashed in windows of WINDOW letters; those that
 * start at a multiple of STEP are indexed.  A repeat of REPEAT letters
 * holds an indexed window wholly in its first copy, so looking every
 * window up finds it with a fraction of the index.
 */
#define REPEAT	SCARS_REPEAT_CHARS
#define STEP	8
#define WINDOW	(REPEAT - STEP + 1)

struct scar_letters {
	int32_t	*cps;		/* owned */
	size_t	*off;		/* owned; byte of each in the body */
	size_t	 n;
};

static void warn_traditional(struct scan *, size_t, size_t, int32_t);

/*
 * The letters of the body, for the repeats; a traditional character met
 * on the way is reported then.
 */
static void
letters_of(struct scan *sc, struct scar_letters *l)
{
	const char *s = sc->a->body;
	size_t len = sc->a->body_len, pos = 0, start;
	int32_t cp, simple;

	l->cps = xreallocarray(NULL, len + 1, sizeof(*l->cps));
	l->off = xreallocarray(NULL, len + 1, sizeof(*l->off));
	l->n = 0;
	while (start = pos, (cp = utf8_next_fast(s, len, &pos)) >= 0) {
		if (cp < 0x80) {
			if (!((cp >= '0' && cp <= '9') || (cp >= 'a' &&
			    cp <= 'z') || (cp >= 'A' && cp <= 'Z')))
				continue;
		} else if (!utf8_is_han(cp))
			continue;
		else if ((simple = prose_simplified(cp)) >= 0)
			warn_traditional(sc, start, pos, simple);
		l->cps[l->n] = cp;
		l->off[l->n++] = start;
	}
}

/*
 * A polynomial hash of a window, so that the next window's is one step
 * away (window_roll): a body has thousands of windows.  Equal hashes are
 * checked letter by letter.
 */
#define HASH_BASE	1099511628211ULL

static uint64_t
window_hash(const int32_t *cps)
{
	uint64_t h = 0;
	size_t i;

	for (i = 0; i < WINDOW; i++)
		h = h * HASH_BASE + (uint32_t)cps[i];
	return h;
}

/* The hash of the window one letter on; top is HASH_BASE^(WINDOW-1). */
static uint64_t
window_roll(uint64_t h, const int32_t *cps, uint64_t top)
{
	return (h - (uint32_t)cps[0] * top) * HASH_BASE +
	    (uint32_t)cps[WINDOW];
}

/*
 * The 1-based line and column of byte off of the body, counted on from
 * the last byte located: each pass over the body locates in order, so
 * the whole body is counted about once, not once per warning.
 */
static void
locate(struct scan *sc, size_t off, unsigned *line, unsigned *col)
{
	const char *b = sc->a->body, *nl;

	if (off < sc->at) {
		sc->at = sc->at_start = 0;
		sc->at_line = sc->a->body_line;
	}
	while ((nl = memchr(b + sc->at, '\n', off - sc->at)) != NULL) {
		sc->at = sc->at_start = (size_t)(nl - b) + 1;
		sc->at_line++;
	}
	sc->at = off;
	*line = sc->at_line;
	*col = (unsigned)utf8_length(b + sc->at_start, off - sc->at_start) + 1;
}

/* The line of the body holding byte off, for an accepted text. */
static void
line_at(const struct article *a, size_t off, const char **s, size_t *len)
{
	const char *b = a->body, *e = a->body + a->body_len, *p = b + off;
	const char *from = p, *to = p;

	while (from > b && from[-1] != '\n')
		from--;
	while (to < e && *to != '\n')
		to++;
	*s = from;
	*len = (size_t)(to - from);
}

/* Warns of the traditional character at body[start..end). */
static void
warn_traditional(struct scan *sc, size_t start, size_t end, int32_t simple)
{
	const char *text;
	size_t tlen, at;
	unsigned line, col;
	char enc[5], msg[120];

	enc[utf8_encode(simple, enc)] = '\0';
	snprintf(msg, sizeof(msg), "a traditional character \"%.*s\" in "
	    "simplified text (simplified: \"%s\")", (int)(end - start),
	    sc->a->body + start, enc);
	line_at(sc->a, start, &text, &tlen);
	at = (size_t)(sc->a->body + start - text);
	locate(sc, start, &line, &col);
	warn(sc, "traditional", text, tlen, at, at + (end - start), line, col,
	    msg);
}

static void
check_repeats(struct scan *sc)
{
	struct scar_letters l;
	size_t size = 64, mask, i, k, q, p, len, back;
	struct { uint64_t key; size_t at; } *table;
	unsigned line, col, first, fcol;
	const char *text;
	size_t tlen, at;
	uint64_t h, top;
	char msg[120];

	letters_of(sc, &l);
	if (l.n < REPEAT)
		goto out;
	while (size < 2 * (l.n / STEP + 1))
		size *= 2;
	mask = size - 1;
	table = xcalloc(size, sizeof(*table));
	for (i = 0, top = 1; i + 1 < WINDOW; i++)
		top *= HASH_BASE;
	for (i = 0; i + WINDOW <= l.n; i += STEP) {
		h = window_hash(l.cps + i) | 1;
		for (k = (h ^ h >> 29) & mask; table[k].key != 0;
		    k = (k + 1) & mask)
			;
		table[k].key = h;
		table[k].at = i;
	}
	for (q = 1, h = window_hash(l.cps); q + WINDOW <= l.n; q++) {
		h = window_roll(h, l.cps + q - 1, top);
		for (k = ((h | 1) ^ (h | 1) >> 29) & mask; table[k].key != 0;
		    k = (k + 1) & mask) {
			p = table[k].at;
			if (table[k].key != (h | 1) || p >= q ||
			    memcmp(l.cps + p, l.cps + q, WINDOW *
			    sizeof(*l.cps)) != 0)
				continue;
			/* The whole repeat: back to its start, then on. */
			for (back = 0; back < p && l.cps[p - back - 1] ==
			    l.cps[q - back - 1]; back++)
				;
			for (len = back + WINDOW; q - back + len < l.n &&
			    l.cps[p - back + len] == l.cps[q - back + len];
			    len++)
				;
			if (len < REPEAT)
				continue;
			locate(sc, l.off[q - back], &line, &col);
			locate(sc, l.off[p - back], &first, &fcol);
			snprintf(msg, sizeof(msg), "a passage of %zu characters "
			    "printed twice (first at line %u)", len, first);
			line_at(sc->a, l.off[q - back], &text, &tlen);
			at = (size_t)(sc->a->body + l.off[q - back] - text);
			warn(sc, "repeat", text, tlen, at, at, line, col, msg);
			q = q - back + len - 1;
			if (q + 1 + WINDOW <= l.n)
				h = window_hash(l.cps + q);
			break;
		}
	}
	free(table);
out:
	free(l.cps);
	free(l.off);
}

void
scars_check(const struct article *a, struct diags *d)
{
	struct scan sc = { a, d, 0, a->body_line, 0, { 0 } };
	const char *p = a->body, *end = a->body + a->body_len, *nl;
	struct scar_line *para = NULL, l;
	size_t npara = 0, cap = 0;
	unsigned number = a->body_line;
	bool fenced = false, first = true;

	for (;; p = nl + 1, number++) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		l.s = p;
		l.len = (size_t)(nl - p);
		l.number = number;
		if (l.len > 0 && l.s[l.len - 1] == '\r')
			l.len--;
		if (is_fence(l.s, l.len))
			fenced = !fenced;
		else if (!fenced)
			check_words(&sc, &l);
		if (!fenced && l.len > 0 && !is_fence(l.s, l.len) &&
		    !opens_other_block(l.s, l.len)) {
			if (npara == cap) {
				cap = cap ? cap * 2 : 8;
				para = xreallocarray(para, cap, sizeof(*para));
			}
			para[npara++] = l;
		} else if (npara > 0) {
			check_paragraph(&sc, para, npara, first);
			first = false;
			npara = 0;
		}
		if (nl == end)
			break;
	}
	if (npara > 0)
		check_paragraph(&sc, para, npara, first);
	free(para);
	check_repeats(&sc);
}
