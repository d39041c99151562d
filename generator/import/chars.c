/*
 * Characters and strings as the importer reads a raw page: spaces of
 * every width, Latin letters beside Chinese text, and the pieces of a
 * title broken over the lines of a column.
 */
#include <stdlib.h>
#include <string.h>

#include "../util/prose.h"
#include "../util/utf8.h"
#include "../util/xalloc.h"
#include "internal.h"

bool
chars_is_space(int32_t cp)
{
	return cp == ' ' || cp == '\t' || cp == '\r' || cp == '\n' ||
	    cp == '\f' || cp == '\v' || cp == 0x3000 || cp == 0x00A0 ||
	    cp == 0xFEFF;
}
bool
chars_is_latin(int32_t cp)
{
	return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
	    (cp >= '0' && cp <= '9');
}

bool
chars_ends_sentence(const char *s, size_t len)
{
	size_t start;
	int32_t cp;

	while ((cp = utf8_last(s, len, &start)) >= 0 &&
	    (prose_is_closer(cp) || chars_is_space(cp)))
		len = start;
	return cp >= 0 && prose_is_terminal(cp);
}

bool
chars_has_any(const char *s, size_t len, const int32_t *set, size_t nset)
{
	size_t pos = 0, i;
	int32_t cp;

	while ((cp = utf8_next(s, len, &pos)) >= 0)
		for (i = 0; i < nset; i++)
			if (cp == set[i])
				return true;
	return false;
}

char *
chars_without_spaces(const char *s, size_t len)
{
	struct buf b = BUF_INIT;
	size_t pos = 0, start;
	int32_t cp;

	buf_puts(&b, "");
	while (start = pos, (cp = utf8_next(s, len, &pos)) >= 0)
		if (!chars_is_space(cp))
			buf_append(&b, s + start, pos - start);
	return buf_detach(&b);
}

size_t
chars_count(const char *s, const char *needle)
{
	size_t n = 0, nlen = strlen(needle);
	const char *p = s;

	if (nlen == 0)
		return 0;
	while ((p = strstr(p, needle)) != NULL) {
		n++;
		p += nlen;
	}
	return n;
}

void
chars_join(struct buf *a, const char *b, size_t len)
{
	size_t pos = 0;
	int32_t left = utf8_last(a->data, a->len, NULL);
	int32_t right = utf8_next(b, len, &pos);

	if (left >= 0 && right >= 0 && chars_is_latin(left) &&
	    chars_is_latin(right) && !(left >= '0' && left <= '9' &&
	    right >= '0' && right <= '9'))
		buf_putc(a, ' ');
	buf_append(a, b, len);
}

void
chars_pieces_add(struct chars_pieces *ps, const char *s, size_t len)
{
	size_t pos = 0, start;
	int32_t cp;

	while (start = pos, (cp = utf8_next(s, len, &pos)) >= 0 &&
	    chars_is_space(cp)) {
		s += pos - start;
		len -= pos - start;
		pos = 0;
	}
	while (len > 0 && (cp = utf8_last(s, len, &start)) >= 0 &&
	    chars_is_space(cp))
		len = start;
	if (len == 0)
		return;
	if (ps->count == ps->cap) {
		ps->cap = ps->cap ? ps->cap * 2 : 8;
		ps->items = xreallocarray(ps->items, ps->cap,
		    sizeof(*ps->items));
	}
	ps->items[ps->count].s = s;
	ps->items[ps->count].len = len;
	ps->items[ps->count].chars = utf8_length(s, len);
	ps->count++;
}

/*
 * A line clearly shorter than the column was ended on purpose (坚持高位
 * 统筹 / 凝聚城市基层治理合力), so a space keeps the two phrases apart; a
 * full line was cut by the column, so it is closed up.
 */
char *
chars_join_title(const struct chars_pieces *ps, size_t width)
{
	struct buf b = BUF_INIT;
	size_t i, widest = width, pos;
	int32_t left, right;

	buf_puts(&b, "");
	for (i = 0; width == 0 && i < ps->count; i++)
		if (ps->items[i].chars > widest)
			widest = ps->items[i].chars;
	for (i = 0; i < ps->count; i++) {
		pos = 0;
		left = utf8_last(b.data, b.len, NULL);
		right = utf8_next(ps->items[i].s, ps->items[i].len, &pos);
		if (i > 0 && ps->items[i - 1].chars + 1 < widest &&
		    !prose_is_punct(left) && !prose_is_punct(right))
			buf_putc(&b, ' ');
		chars_join(&b, ps->items[i].s, ps->items[i].len);
	}
	return buf_detach(&b);
}

/* Whether cp opens a quotation or a bracket. */
bool
chars_opens(int32_t cp)
{
	return cp == 0x201C || cp == 0x2018 || cp == 0xFF08 || cp == '(' ||
	    cp == 0x300A || cp == 0x300C || cp == 0x300E || cp == 0x3010;
}

/* The next code point that is neither space nor punctuation. */
int32_t
chars_next_letter(const char *s, size_t len, size_t *pos)
{
	int32_t cp;

	while ((cp = utf8_next(s, len, pos)) >= 0 &&
	    (chars_is_space(cp) || prose_is_punct(cp)))
		;
	return cp;
}

/*
 * The passage s[0..len) as a collation note quotes it, inside “”: whole
 * when short, else its first clause and its last around an ellipsis
 * (each cut short when long).  Quotes inside become ‘’.  Caller frees.
 */
char *
chars_quote(const char *s, size_t len)
{
	struct buf b = BUF_INIT;
	size_t head = 0, tail = len, pos = 0, n, at;
	int32_t cp;
	char enc[4];

	/* Marks before the first letter only open the cut. */
	while (len > 0 && (cp = utf8_next(s, len, &pos)) >= 0 &&
	    (chars_is_space(cp) || (prose_is_punct(cp) && !chars_opens(cp)))) {
		s += pos;
		len -= pos;
		pos = 0;
	}
	pos = 0;
	if (utf8_length(s, len) > 24) {
		for (n = 0; n < 16 && (cp = utf8_next(s, len, &pos)) >= 0;
		    n++)
			if (n >= 3 && prose_is_punct(cp) && !chars_opens(cp) &&
			    !prose_is_closer(cp))
				break;
		head = pos;
		if (n == 16)
			head = utf8_cut(s, len, 10, 0);
		/* The last clause: from after the mark before the last. */
		utf8_last(s, len, &at);
		for (n = 0, tail = at; n < 12 && tail > head; n++) {
			cp = utf8_last(s, tail, &at);
			if (n >= 3 && prose_is_punct(cp) && !prose_is_closer(cp))
				break;
			tail = at;
		}
		if (n == 12)
			for (tail = len, n = 0; n < 8; n++)
				utf8_last(s, tail, &tail);
	} else
		head = len;
	buf_puts(&b, "“");
	for (pos = 0; pos < len && (cp = utf8_next(s, len, &pos)) >= 0;) {
		if (pos > head && pos - (size_t)utf8_encode(cp, enc) < tail) {
			buf_puts(&b, "……");
			pos = tail;
			continue;
		}
		cp = cp == 0x201C ? 0x2018 : cp == 0x201D ? 0x2019 : cp;
		buf_append(&b, enc, utf8_encode(cp, enc));
	}
	buf_puts(&b, "”");
	return buf_detach(&b);
}
