#include "text.h"

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
		cp = utf8_next(s, len, &pos);
		chars++;
		depth += nesting(cp);
		if (depth < 0)
			depth = 0;
		if (is_full_stop(cp)) {
			/* Take the quotes it closes along. */
			for (peek = pos; peek < len; pos = peek, chars++) {
				cp = utf8_next(s, len, &peek);
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

/* The length of the longest keyword of t starting at s, or 0. */
static size_t
keyword_at(const char *s, const char *e, const struct theme *t)
{
	size_t i, n, best = 0;

	for (i = 0; i < t->nkeywords; i++) {
		n = strlen(t->keywords[i]);
		if (n > best && n <= (size_t)(e - s) &&
		    memcmp(s, t->keywords[i], n) == 0)
			best = n;
	}
	return best;
}

/*
 * How telling the sentence [s, e) is of theme t: each keyword hit counts
 * the square of its length, so 红色物业 outweighs 物业 said twice.  *mark
 * and *mark_len get its longest hit, the first of them.
 */
static size_t
sentence_score(const char *s, const char *e, const struct theme *t,
    const char **mark, size_t *mark_len)
{
	size_t score = 0, n;
	const char *p;

	*mark = NULL;
	*mark_len = 0;
	for (p = s; p < e;) {
		if ((n = keyword_at(p, e, t)) == 0) {
			p++;
			continue;
		}
		score += n * n;
		if (n > *mark_len) {
			*mark = p;
			*mark_len = n;
		}
		p += n;
	}
	return score;
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
	return utf8_next(q, (size_t)(end - q), &pos);
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
		cp = utf8_next(s, (size_t)(e - s), &pos);
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
		cp = utf8_next(s, (size_t)(e - s), &pos);
		if (!is_full_stop(cp))
			continue;
		for (peek = pos; peek < (size_t)(e - s); pos = peek) {
			cp = utf8_next(s, (size_t)(e - s), &peek);
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
	size_t pos;
	int32_t cp;

	/* The clause holding the keyword. */
	while (from > s) {
		p = from;
		if (is_clause_end(char_before(s, &p)))
			break;
		from = p;
	}
	for (pos = (size_t)(to - s); pos < (size_t)(e - s);) {
		cp = utf8_next(s, (size_t)(e - s), &pos);
		if (is_clause_end(cp))
			break;
	}
	to = s + pos;
	if (utf8_length(from, (size_t)(to - from)) > max) {
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
				cp = utf8_next(p, (size_t)(e - p), &pos);
				if (is_clause_end(cp))
					break;
			}
			if (p == e || utf8_length(from, (size_t)(p + pos - from)) >
			    max)
				break;
			to = p + pos;
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
			if (utf8_length(p, (size_t)(to - p)) > max)
				break;
			from = p;
		}
	}
	out->cut_before = from > s;
	out->cut_after = to < e;
	*a = from;
	*b = to;
}

/*
 * The most telling sentence of body, as sentence_score weighs them.  With
 * all false, only the sentences of paragraphs long enough not to be a
 * heading run into the text; else headings and short ones too.  *best is
 * the score to beat, raised when one beats it.
 */
static void
best_sentence(const char *body, const char *end, const struct theme *t,
    bool all, size_t *best, struct passage *out)
{
	const char *p, *e, *s, *stop, *mark;
	size_t score, mark_len;
	bool heading;

	for (p = body; p < end; p = e + 1) {
		e = line_end(p, end);
		if ((heading = is_heading(p, e)) && !all)
			goto next;
		while (heading && p < e && (*p == '#' || *p == ' '))
			p++;
		for (s = p; s < e; s = stop) {
			stop = sentence_end(s, e);
			if (!all && utf8_length(s, (size_t)(stop - s)) <
			    SHORT_SENTENCE)
				continue;
			score = sentence_score(s, stop, t, &mark, &mark_len);
			if (score > *best) {
				*best = score;
				out->off = (size_t)(s - body);
				out->len = (size_t)(stop - s);
				out->mark_off = (size_t)(mark - body);
				out->mark_len = mark_len;
			}
		}
next:
		if (e == end)
			break;
	}
}

bool
text_find_passage(const char *body, size_t len, const struct theme *t,
    struct passage *out)
{
	const char *a, *b;
	size_t best = 0;

	memset(out, 0, sizeof(*out));
	/* Paragraphs first; a heading only when nothing else has it. */
	best_sentence(body, body + len, t, false, &best, out);
	if (best == 0)
		best_sentence(body, body + len, t, true, &best, out);
	if (best == 0)
		return false;
	a = skip_lead(body + out->off, body + out->mark_off);
	b = body + out->off + out->len;
	while (b > a && (b[-1] == ' ' || b[-1] == '\r'))
		b--;
	if (utf8_length(a, (size_t)(b - a)) > TEXT_PASSAGE_CHARS)
		trim_to_clauses(&a, &b, body + out->mark_off, out->mark_len,
		    TEXT_PASSAGE_CHARS, out);
	/* "……" follows a cut, not a comma. */
	if (out->cut_after && b > body + out->mark_off + out->mark_len) {
		const char *q = b;
		if (is_clause_end(char_before(a, &q)))
			b = q;
	}
	out->off = (size_t)(a - body);
	out->len = (size_t)(b - a);
	return true;
}
