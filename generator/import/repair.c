/*
 * Repairs what the typesetting broke in a line: ASCII punctuation in
 * Chinese text, stray spaces, a Latin word set for a Chinese one, a
 * traditional character in simplified text.
 */
#include <stdlib.h>
#include <string.h>

#include "../util/prose.h"
#include "../util/utf8.h"
#include "../util/xalloc.h"
#include "internal.h"

static const struct {
	int32_t	 ascii;
	int32_t	 wide;
} wide_marks[] = {
	{ ',', 0xFF0C }, { ';', 0xFF1B }, { ':', 0xFF1A }, { '(', 0xFF08 },
	{ ')', 0xFF09 }, { '?', 0xFF1F }, { '!', 0xFF01 },
};

/* Full-width marks that need no space beside them. */
static const int32_t spaced_marks[] = {
	0xFF0C, 0x3002, 0xFF1B, 0xFF1A, 0x3001, 0xFF1F, 0xFF01, 0xFF08,
	0xFF09,
};

static bool
is_cjk(int32_t cp)
{
	return utf8_is_han(cp) || utf8_is_cjk_punct(cp);
}

static bool
is_digit(int32_t cp)
{
	return cp >= '0' && cp <= '9';
}

static bool
is_spaced_mark(int32_t cp)
{
	size_t i;

	for (i = 0; i < sizeof(spaced_marks) / sizeof(spaced_marks[0]); i++)
		if (spaced_marks[i] == cp)
			return true;
	return false;
}

static int32_t
wide_form(int32_t cp)
{
	size_t i;

	for (i = 0; i < sizeof(wide_marks) / sizeof(wide_marks[0]); i++)
		if (wide_marks[i].ascii == cp)
			return wide_marks[i].wide;
	return -1;
}

/* The nearest code point before i (after j) that is not a space, or -1. */
static int32_t
before(const int32_t *cps, size_t i)
{
	while (i-- > 0)
		if (!chars_is_space(cps[i]))
			return cps[i];
	return -1;
}

static int32_t
after(const int32_t *cps, size_t n, size_t i)
{
	while (++i < n)
		if (!chars_is_space(cps[i]))
			return cps[i];
	return -1;
}

/* Whether the brackets at open..close hold Chinese text. */
static bool
holds_han(const int32_t *cps, size_t open, size_t close)
{
	size_t i;

	for (i = open + 1; i < close; i++)
		if (utf8_is_han(cps[i]))
			return true;
	return false;
}

/*
 * Makes ASCII punctuation inside Chinese text full-width: a mark beside
 * a Chinese character (not between two digits, as in 1,000 or 10:30),
 * and brackets holding Chinese text or following it.  Returns how many
 * marks changed and the index of the first in *first.
 */
static size_t
widen_marks(int32_t *cps, size_t n, size_t *first)
{
	size_t i, j, changed = 0;
	int32_t left, right, wide;
	int depth;

	for (i = 0; i < n; i++) {
		if ((wide = wide_form(cps[i])) < 0)
			continue;
		left = before(cps, i);
		right = after(cps, n, i);
		if (cps[i] == '(') {
			for (j = i + 1, depth = 1; j < n; j++) {
				depth += cps[j] == '(' ? 1 : cps[j] == ')' ?
				    -1 : 0;
				if (depth == 0)
					break;
			}
			if (!(j < n ? holds_han(cps, i, j) ||
			    (left >= 0 && is_cjk(left)) : (left >= 0 &&
			    is_cjk(left)) || (right >= 0 && is_cjk(right))))
				continue;
			if (j < n)
				cps[j] = 0xFF09;
		} else if (cps[i] == ')' || cps[i] == '?' || cps[i] == '!') {
			if (!(left >= 0 && is_cjk(left)) &&
			    !(cps[i] == ')' && right >= 0 && is_cjk(right)))
				continue;
		} else {
			if (!((left >= 0 && is_cjk(left)) ||
			    (right >= 0 && is_cjk(right))))
				continue;
			if (left >= 0 && right >= 0 && is_digit(left) &&
			    is_digit(right))
				continue;
		}
		if (changed++ == 0)
			*first = i;
		cps[i] = wide;
	}
	return changed;
}

/*
 * Whether the space at i is stray: between Chinese text and a digit
 * (巡逻队 218 支), or beside a full-width mark.
 */
static bool
stray_space(const int32_t *cps, size_t n, size_t i, int32_t left)
{
	int32_t right = after(cps, n, i);

	if (left < 0 || right < 0)
		return false;
	if ((utf8_is_han(left) && is_digit(right)) ||
	    (is_digit(left) && utf8_is_han(right)))
		return true;
	return (is_spaced_mark(left) && (is_cjk(right) || is_digit(right))) ||
	    (is_spaced_mark(right) && (is_cjk(left) || is_digit(left)));
}

/* Replaces s[start..end) of l's text with with. */
static void
splice_line(struct page_line *l, size_t start, size_t end, const char *with)
{
	struct buf b = BUF_INIT;

	buf_append(&b, l->text, start);
	buf_puts(&b, with);
	buf_append(&b, l->text + end, l->len - end);
	free(l->text);
	l->len = b.len;
	l->text = buf_detach(&b);
}

/*
 * A lowercase Latin word set in Chinese text (带动作用 and 统筹) is a slip
 * of the typesetter: replaced when what it means is plain ("and" is 和),
 * else reported and left.  Acronyms (APP, QQ, 5G) belong there.
 */
static void
fix_latin_words(struct import_page *p, struct page_line *l)
{
	size_t pos = 0, start, end, from, to;
	const char *han;
	char *word;

	while (prose_next_latin_word(l->text, l->len, &pos, &start, &end)) {
		word = xstrndup(l->text + start, end - start);
		han = prose_latin_meaning(word, end - start);
		if (han == NULL) {
			page_warn(p, l->line, l->col + (unsigned)utf8_length(
			    l->text, start), "a Latin word \"%s\" inside "
			    "Chinese text; left as printed", word);
			free(word);
			continue;
		}
		for (from = start; from > 0 && l->text[from - 1] == ' ';)
			from--;
		for (to = end; to < l->len && l->text[to] == ' ';)
			to++;
		page_report(p, IMPORT_REPAIR_LATIN, l->line, l->col +
		    (unsigned)utf8_length(l->text, start), "replaced the Latin "
		    "word \"%s\" in Chinese text with \"%s\"", word, han);
		page_explain(p, "“%s”误排为英文“%s”，改为“%s”", han, word, han);
		splice_line(l, from, to, han);
		pos = from + strlen(han);
		free(word);
	}
}

/*
 * Converts traditional-only characters in simplified text (旗委書記 →
 * 旗委书记), a run at a time.  A page set in traditional characters is
 * left as printed.
 */
static void
fix_traditional(struct import_page *p, struct page_line *l)
{
	struct buf out = BUF_INIT, from = BUF_INIT, to = BUF_INIT;
	size_t pos = 0, run_start = 0;
	int32_t cp, simple;
	char enc[4];

	if (p->traditional)
		return;
	buf_puts(&out, "");
	for (;;) {
		cp = utf8_next(l->text, l->len, &pos);
		simple = cp >= 0 ? prose_simplified(cp) : -1;
		if (simple >= 0) {
			if (from.len == 0)
				run_start = out.len;
			buf_append(&from, enc, utf8_encode(cp, enc));
			buf_append(&to, enc, utf8_encode(simple, enc));
			buf_append(&out, enc, utf8_encode(simple, enc));
			continue;
		}
		if (from.len > 0) {
			page_report(p, IMPORT_REPAIR_CONVERT, l->line, l->col +
			    (unsigned)utf8_length(out.data, run_start),
			    "converted the traditional \"%s\" to \"%s\"",
			    from.data, to.data);
			page_explain(p, "繁体字“%s”改为简体“%s”", from.data,
			    to.data);
			buf_truncate(&from, 0);
			buf_truncate(&to, 0);
		}
		if (cp < 0)
			break;
		buf_append(&out, enc, utf8_encode(cp, enc));
	}
	free(l->text);
	l->len = out.len;
	l->text = buf_detach(&out);
	buf_free(&from);
	buf_free(&to);
}

void
repair_line(struct import_page *p, struct page_line *l)
{
	int32_t *cps;
	size_t n = 0, pos = 0, i, widened, first = 0, dropped = 0,
	    first_drop = 0;
	struct buf out = BUF_INIT;
	int32_t cp, left = -1;
	char enc[4];

	fix_latin_words(p, l);
	fix_traditional(p, l);
	cps = xreallocarray(NULL, l->len + 1, sizeof(*cps));
	while ((cp = utf8_next(l->text, l->len, &pos)) >= 0)
		cps[n++] = cp;
	widened = widen_marks(cps, n, &first);
	buf_puts(&out, "");
	for (i = 0; i < n; i++) {
		if (chars_is_space(cps[i]) && stray_space(cps, n, i, left)) {
			if (dropped++ == 0)
				first_drop = i;
			continue;
		}
		buf_append(&out, enc, utf8_encode(cps[i], enc));
		if (!chars_is_space(cps[i]))
			left = cps[i];
	}
	if (widened > 0)
		page_report(p, IMPORT_REPAIR_PUNCTUATION, l->line,
		    l->col + (unsigned)first, "made %zu ASCII punctuation "
		    "mark%s in Chinese text full-width", widened,
		    widened == 1 ? "" : "s");
	if (dropped > 0)
		page_report(p, IMPORT_REPAIR_SPACING, l->line,
		    l->col + (unsigned)first_drop, "removed %zu stray "
		    "space%s in Chinese text", dropped, dropped == 1 ? "" : "s");
	free(l->text);
	l->len = out.len;
	l->text = buf_detach(&out);
	free(cps);
}
