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

char *
text_summary(const char *body, size_t len, size_t max)
{
	const char *p = body, *end = body + len, *e, *start = NULL;
	struct buf plain = BUF_INIT;
	size_t cut;
	int32_t last;

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
	cut = utf8_cut(plain.data, plain.len, max, max / 3);
	if (cut < plain.len) {
		buf_truncate(&plain, cut);
		/* Find the last character to see whether a sentence ended. */
		last = -1;
		for (size_t i = 0; i < plain.len;)
			last = utf8_next(plain.data, plain.len, &i);
		if (!utf8_is_sentence_end(last))
			buf_puts(&plain, "……");
	}
	return buf_detach(&plain);
}

/* Earliest occurrence of any keyword in [s, e); sets *klen. */
static const char *
first_keyword(const char *s, const char *e, const struct theme *t,
    size_t *klen)
{
	const char *best = NULL, *hit;
	size_t i, n;

	for (i = 0; i < t->nkeywords; i++) {
		n = strlen(t->keywords[i]);
		hit = memmem(s, (size_t)(e - s), t->keywords[i], n);
		if (hit != NULL && (best == NULL || hit < best)) {
			best = hit;
			*klen = n;
		}
	}
	return best;
}

/* Whether the code point just before p (within [s, p)) ends a sentence. */
static bool
ends_sentence_before(const char *s, const char *p)
{
	const char *q = p;
	size_t pos;

	if (q == s)
		return true;
	do
		q--;
	while (q > s && ((unsigned char)*q & 0xC0) == 0x80);
	pos = 0;
	return utf8_is_sentence_end(utf8_next(q, (size_t)(p - q), &pos));
}

/* Narrows [*a, *b) around the keyword so it holds at most max chars. */
static void
trim_window(const char **a, const char **b, const char *kw, size_t klen,
    size_t max)
{
	size_t before = max / 3, n;
	const char *p;

	for (n = 0, p = kw; p > *a && n < before; n++) {
		do
			p--;
		while (p > *a && ((unsigned char)*p & 0xC0) == 0x80);
	}
	*a = p;
	n = utf8_cut(*a, (size_t)(*b - *a), max, 0);
	if (*a + n < kw + klen)
		n = (size_t)(kw + klen - *a);
	*b = *a + n;
}

static bool
passage_in(const char *body, const char *s, const char *e,
    const struct theme *t, struct passage *out)
{
	const char *kw, *a, *b;
	size_t klen = 0, pos;
	int32_t cp;

	if ((kw = first_keyword(s, e, t, &klen)) == NULL)
		return false;
	for (a = kw; a > s && !ends_sentence_before(s, a);) {
		do
			a--;
		while (a > s && ((unsigned char)*a & 0xC0) == 0x80);
	}
	for (pos = (size_t)(kw + klen - s); pos < (size_t)(e - s);) {
		cp = utf8_next(s, (size_t)(e - s), &pos);
		if (utf8_is_sentence_end(cp))
			break;
	}
	b = s + pos;
	if (utf8_length(a, (size_t)(b - a)) > TEXT_PASSAGE_CHARS)
		trim_window(&a, &b, kw, klen, TEXT_PASSAGE_CHARS);
	out->off = (size_t)(a - body);
	out->len = (size_t)(b - a);
	out->mark_off = (size_t)(kw - body);
	out->mark_len = klen;
	return true;
}

bool
text_find_passage(const char *body, size_t len, const struct theme *t,
    struct passage *out)
{
	const char *p, *e, *end = body + len;
	int pass;

	/* Paragraph lines first; a heading only when nothing else has it. */
	for (pass = 0; pass < 2; pass++) {
		for (p = body; p < end; p = e + 1) {
			e = line_end(p, end);
			if (is_heading(p, e) == (pass == 1) &&
			    passage_in(body, p, e, t, out))
				return true;
			if (e == end)
				break;
		}
	}
	memset(out, 0, sizeof(*out));
	return false;
}
