/*
 * Repairs what the page layout broke: ASCII punctuation in Chinese text,
 * stray spaces, lines cut by the column (joined into paragraphs, also
 * across blank lines while a sentence is unfinished), section headings,
 * a heading printed after its text, and passages printed twice.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../util/prose.h"
#include "../util/utf8.h"
#include "../util/xalloc.h"
#include "internal.h"

/* Longest section heading, in characters, and most lines it may take. */
#define HEADING_MAX_CHARS	32
#define HEADING_MAX_LINES	3
/*
 * Hard-wrapped blocks have lines this short; in them a line that ends a
 * sentence well short of the column (at most 3/5 of the widest) ends
 * its paragraph.
 */
#define COLUMN_MAX_CHARS	40

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

/* Marks that may not occur in a section heading. */
static const int32_t clause_marks[] = {
	0x3002, 0xFF0C, 0xFF1B, 0xFF01, 0xFF1F, ',', ';', '!', '?',
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

/* Appends a line to a paragraph, closing up the break. */
static void
append_line(struct unit *u, struct buf *text, const struct page_line *l)
{
	chars_join(text, l->text, l->len);
	unit_add_span(u, text->len - l->len, l->line, l->col);
}

void
repair_mark_gap(struct import_page *p, struct unit *u, size_t off,
    const char *why, const char *why_zh)
{
	size_t len = strlen(u->text), mark = strlen(PROSE_LACUNA), i;
	unsigned line, col;
	char *text;

	unit_locate(u, off, &line, &col);
	text = xmalloc(len + mark + 1);
	memcpy(text, u->text, off);
	memcpy(text + off, PROSE_LACUNA, mark);
	memcpy(text + off + mark, u->text + off, len - off + 1);
	free(u->text);
	u->text = text;
	/* The mark stands where the text after it was printed. */
	for (i = 0; i < u->nspans; i++)
		if (u->spans[i].offset > off || (off == 0 &&
		    u->spans[i].offset == 0 && i > 0))
			u->spans[i].offset += mark;
	page_report(p, IMPORT_REPAIR_GAP, line, col, "marked a gap in the "
	    "printed text: %s", why);
	page_explain(p, "原文此处缺失（%s），标作%s", why_zh, PROSE_LACUNA);
}

/* Bytes of a leading list numeral with its 、 (一、 2、), else 0. */
static size_t
numeral_prefix(const char *s, size_t len)
{
	static const char numerals[] = "一二三四五六七八九十";
	size_t pos = 0, n = 0;
	char enc[4];
	int32_t cp;

	while ((cp = utf8_next(s, len, &pos)) >= 0 && n < 4) {
		if (cp == 0x3001)
			return n > 0 ? pos : 0;
		if (!is_digit(cp) && (cp < 0x80 || memmem(numerals,
		    sizeof(numerals) - 1, enc, utf8_encode(cp, enc)) == NULL))
			return 0;
		n++;
	}
	return 0;
}

static bool	balanced(const struct import_page *, const struct unit *);
static bool	opens(int32_t);

/* Whether a block of text lines can be a section heading. */
static bool
heading_like(const struct import_page *p, const struct unit *u)
{
	size_t i, chars = 0, skip;
	const struct page_line *l;
	int32_t last = -1;
	static const int32_t comma[] = { 0x3001 };

	if (u->count == 0 || u->count > HEADING_MAX_LINES)
		return false;
	for (i = u->first; i < u->first + u->count; i++) {
		l = &p->lines[i];
		skip = i == u->first ? numeral_prefix(l->text, l->len) : 0;
		if (chars_has_any(l->text, l->len, clause_marks,
		    sizeof(clause_marks) / sizeof(clause_marks[0])) ||
		    chars_has_any(l->text + skip, l->len - skip, comma, 1))
			return false;
		chars += l->chars;
		last = utf8_last(l->text, l->len, NULL);
	}
	return chars >= 2 && chars <= HEADING_MAX_CHARS && last != 0xFF1A &&
	    last != ':' && last != 0x3001 && !prose_is_terminal(last) &&
	    balanced(p, u);
}

/*
 * Whether quotes and brackets close within the block: a line cut inside
 * “…” (瓯宁街道福宁社区党委探索推行“三) goes on in the next block.
 */
static bool
balanced(const struct import_page *p, const struct unit *u)
{
	size_t i, pos;
	int depth = 0;
	int32_t cp;

	for (i = u->first; i < u->first + u->count; i++)
		for (pos = 0; (cp = utf8_next(p->lines[i].text,
		    p->lines[i].len, &pos)) >= 0;)
			if (opens(cp))
				depth++;
			else if (cp == 0x201D || cp == 0x2019 ||
			    cp == 0xFF09 || cp == ')' || cp == 0x300B ||
			    cp == 0x300D || cp == 0x300F || cp == 0x3011)
				depth--;
	return depth == 0;
}

/*
 * Whether a text block opens with the tail of a word cut by the column:
 * at most two letters, then a full stop (用。贵池区建立……).
 */
static bool
opens_with_fragment(const struct import_page *p, const struct unit *u)
{
	const struct page_line *l = &p->lines[u->first];
	size_t pos = 0, letters = 0;
	int32_t cp;

	while ((cp = utf8_next(l->text, l->len, &pos)) >= 0 && letters <= 2) {
		if (prose_is_terminal(cp) || cp == 0xFF1B)
			return letters > 0;
		if (prose_is_punct(cp) || chars_is_space(cp))
			return false;
		letters++;
	}
	return false;
}

static struct unit *
new_unit(struct unit **units, size_t *n, size_t *cap, enum unit_kind kind)
{
	struct unit *u;

	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		*units = xreallocarray(*units, *cap, sizeof(**units));
	}
	u = &(*units)[(*n)++];
	memset(u, 0, sizeof(*u));
	u->kind = kind;
	return u;
}

/* Whether line i of a hard-wrapped block ends its paragraph early. */
static bool
ends_paragraph(const struct import_page *p, const struct unit *block, size_t i,
    size_t widest)
{
	const struct page_line *l = &p->lines[i];

	return block->count >= 3 && widest <= COLUMN_MAX_CHARS &&
	    i + 1 < block->first + block->count &&
	    l->chars * 5 <= widest * 3 && chars_ends_sentence(l->text, l->len);
}

/*
 * Turns a text block into paragraphs (appending to *open when it goes on
 * with an unfinished one) and returns the last.
 */
static struct unit *
join_paragraphs(struct import_page *p, const struct unit *block,
    struct unit **units, size_t *n, size_t *cap, size_t open)
{
	struct buf text = BUF_INIT;
	struct unit *u;
	size_t i, widest = 0, joined = 0, at;
	bool fresh = open == (size_t)-1;

	for (i = block->first; i < block->first + block->count; i++)
		if (p->lines[i].chars > widest)
			widest = p->lines[i].chars;
	if (open != (size_t)-1) {
		at = open;
		u = &(*units)[at];
		buf_puts(&text, u->text);
		free(u->text);
		u->text = NULL;
		page_report(p, IMPORT_REPAIR_WRAP, block->line, block->col,
		    "joined a sentence broken across a blank line");
	} else {
		u = new_unit(units, n, cap, UNIT_PARAGRAPH);
		u->line = block->line;
		u->col = block->col;
		at = *n - 1;
		buf_puts(&text, "");
	}
	for (i = block->first; i < block->first + block->count; i++) {
		u = &(*units)[at];
		append_line(u, &text, &p->lines[i]);
		if (!fresh && i > block->first)
			joined++;
		fresh = false;
		if (ends_paragraph(p, block, i, widest)) {
			u->text = buf_detach(&text);
			u = new_unit(units, n, cap, UNIT_PARAGRAPH);
			u->line = p->lines[i + 1].line;
			u->col = p->lines[i + 1].col;
			at = *n - 1;
			buf_puts(&text, "");
			fresh = true;
		}
	}
	u = &(*units)[at];
	u->text = buf_detach(&text);
	if (joined > 0)
		page_report(p, IMPORT_REPAIR_WRAP, block->line, block->col,
		    "joined %zu line%s cut by the column", joined,
		    joined == 1 ? "" : "s");
	return u;
}

static void
add_heading(struct import_page *p, const struct unit *block, size_t width,
    struct unit **units, size_t *n, size_t *cap)
{
	struct chars_pieces ps = { NULL, 0, 0 };
	struct unit *u;
	size_t i;

	for (i = block->first; i < block->first + block->count; i++)
		chars_pieces_add(&ps, p->lines[i].text, p->lines[i].len);
	u = new_unit(units, n, cap, UNIT_HEADING);
	u->text = chars_join_title(&ps, width);
	u->line = block->line;
	u->col = block->col;
	unit_add_span(u, 0, u->line, u->col);
	free(ps.items);
	if (block->count > 1)
		page_report(p, IMPORT_REPAIR_HEADING, u->line, u->col,
		    "made a section heading of %zu lines without closing "
		    "punctuation", block->count);
	else
		page_report(p, IMPORT_REPAIR_HEADING, u->line, u->col,
		    "made a section heading of a short line without closing "
		    "punctuation");
}

/* The next code point that is neither space nor punctuation. */
static int32_t
next_letter(const char *s, size_t len, size_t *pos)
{
	int32_t cp;

	while ((cp = utf8_next(s, len, pos)) >= 0 &&
	    (chars_is_space(cp) || prose_is_punct(cp)))
		;
	return cp;
}

/*
 * The bytes of para that spell heading (spaces and punctuation aside),
 * with the punctuation after them; 0 when para does not start with it
 * or has nothing more.
 */
static size_t
heading_prefix(const char *para, const char *heading)
{
	size_t plen = strlen(para), hlen = strlen(heading), pp = 0, hp = 0,
	    matched = 0, start;
	int32_t a, b;

	while ((b = next_letter(heading, hlen, &hp)) >= 0) {
		a = next_letter(para, plen, &pp);
		if (a != b)
			return 0;
		matched++;
	}
	if (matched < 4)
		return 0;
	/* Skip the marks after the words, but not a quote opening more. */
	while (start = pp, (a = utf8_next(para, plen, &pp)) >= 0 &&
	    (chars_is_space(a) || (prose_is_punct(a) && a != 0x201C &&
	    a != 0x300A && a != 0xFF08)))
		;
	return a >= 0 ? start : 0;
}

/*
 * A heading printed after its text, which also opens with the heading's
 * words (抓关键强轴心。激发基层治理新动能。城市基层党组织是……), goes back
 * above it; the words repeated at the start of the text go.
 */
static void
place_headings(struct import_page *p, struct unit *units, size_t n)
{
	struct unit tmp;
	size_t i, cut;

	for (i = 0; i < n; i++) {
		if (units[i].kind != UNIT_HEADING)
			continue;
		if (i > 0 && units[i - 1].kind == UNIT_PARAGRAPH &&
		    (cut = heading_prefix(units[i - 1].text,
		    units[i].text)) > 0) {
			unit_cut(&units[i - 1], 0, cut);
			page_report(p, IMPORT_REPAIR_MISPLACED, units[i].line,
			    units[i].col, "moved the heading \"%s\" above "
			    "the text it was printed after", units[i].text);
			page_explain(p, "小标题“%s”原印在其正文之后，正文开头又印"
			    "有它的文字：移至正文之前，删去重印的文字",
			    units[i].text);
			tmp = units[i - 1];
			units[i - 1] = units[i];
			units[i] = tmp;
		} else if (i + 1 < n && units[i + 1].kind == UNIT_PARAGRAPH &&
		    (cut = heading_prefix(units[i + 1].text,
		    units[i].text)) > 0) {
			unit_cut(&units[i + 1], 0, cut);
			page_report(p, IMPORT_REPAIR_DUPLICATE,
			    units[i + 1].line, units[i + 1].col,
			    "removed the heading's words printed again at the "
			    "start of its text");
			page_explain(p, "删去正文开头重印的小标题文字");
		}
	}
}

/*
 * The page's column, in characters: its widest line in a block of three
 * or more lines (a hard-wrapped paragraph), else its widest line.
 */
static size_t
column_width(const struct import_page *p)
{
	size_t i, j, wrapped = 0, any = 0;
	const struct unit *u;

	for (i = 0; i < p->nunits; i++) {
		u = &p->units[i];
		if (u->kind != UNIT_TEXT)
			continue;
		for (j = u->first; j < u->first + u->count; j++) {
			if (u->count >= 3 && p->lines[j].chars > wrapped)
				wrapped = p->lines[j].chars;
			if (p->lines[j].chars > any)
				any = p->lines[j].chars;
		}
	}
	return wrapped > 0 ? wrapped : any;
}

void
repair_join(struct import_page *p)
{
	struct unit *old = p->units, *units = NULL, *last;
	size_t nold = p->nunits, n = 0, cap = 0, i, open,
	    width = column_width(p);
	bool text_follows;

	for (i = 0; i < nold; i++) {
		if (old[i].kind != UNIT_TEXT) {
			*new_unit(&units, &n, &cap, old[i].kind) = old[i];
			continue;
		}
		last = n > 0 ? &units[n - 1] : NULL;
		open = last != NULL && last->kind == UNIT_PARAGRAPH &&
		    i > 0 && old[i - 1].kind == UNIT_TEXT &&
		    !chars_ends_sentence(last->text, strlen(last->text)) ?
		    n - 1 : (size_t)-1;
		text_follows = i + 1 < nold && old[i + 1].kind == UNIT_TEXT &&
		    !opens_with_fragment(p, &old[i + 1]);
		if (open == (size_t)-1 && text_follows &&
		    heading_like(p, &old[i]))
			add_heading(p, &old[i], width, &units, &n, &cap);
		else
			join_paragraphs(p, &old[i], &units, &n, &cap, open);
	}
	free(old);
	place_headings(p, units, n);
	p->units = units;
	p->nunits = n;
	p->cap = cap;
}

/*
 * Passages printed twice.  Each heading and paragraph is reduced to its
 * letters (no spaces, no punctuation, so 抓关键强轴心。激发… matches
 * 抓关键强轴心 激发…) and every run of SHINGLE letters is hashed.  A run
 * seen before is stretched as far as the two copies agree, bridging a
 * few differing letters (晋源区委认为 / 珠山区委认为).  Each hash keeps at
 * most MAX_POSTINGS earlier places, so the work stays linear in the page
 * however repetitive it is.
 */
#define SHINGLE		8
#define MAX_POSTINGS	8
#define GAP_MAX		3
/* A copy glued to other text must be this long to go (letters). */
#define GLUED_MIN	30
/* A repeat right after itself in one paragraph (X，X，X). */
#define TANDEM_MIN	12
/* A unit this much (percent) made of an earlier one is a copy of it. */
#define WHOLE_SHARE	80
#define WHOLE_MIN	6

struct letters {
	int32_t	*cps;		/* owned */
	size_t	*start;		/* owned; byte of each letter in the text */
	size_t	*end;		/* owned; byte after it */
	size_t	 n;
};

struct posting {
	uint64_t key;
	uint32_t count;
	uint32_t unit[MAX_POSTINGS];
	uint32_t pos[MAX_POSTINGS];
};

struct region {
	size_t	 from, to;	/* letters of the later copy */
	size_t	 src;		/* unit of the earlier copy */
	size_t	 src_from;
};

struct regions {
	struct region *items;	/* owned */
	size_t	 count;
	size_t	 whole;		/* unit it shares a passage with,
				   (size_t)-1: none */
	size_t	 best;		/* the region of that passage */
};

static void
letters_of(const struct unit *u, struct letters *l)
{
	size_t len = strlen(u->text), pos = 0, start;
	int32_t cp;

	l->cps = xreallocarray(NULL, len + 1, sizeof(*l->cps));
	l->start = xreallocarray(NULL, len + 1, sizeof(*l->start));
	l->end = xreallocarray(NULL, len + 1, sizeof(*l->end));
	l->n = 0;
	while (start = pos, (cp = utf8_next(u->text, len, &pos)) >= 0) {
		if (chars_is_space(cp) || prose_is_punct(cp))
			continue;
		l->cps[l->n] = cp;
		l->start[l->n] = start;
		l->end[l->n] = pos;
		l->n++;
	}
}

static uint64_t
shingle_key(const int32_t *cps)
{
	uint64_t h = 1469598103934665603ULL;
	size_t i;

	/* FNV-1a over the code points; collisions are checked anyway. */
	for (i = 0; i < SHINGLE; i++) {
		h ^= (uint64_t)(uint32_t)cps[i];
		h *= 1099511628211ULL;
	}
	return h | 1;			/* 0 marks an empty slot */
}

static struct posting *
find_slot(struct posting *table, size_t mask, uint64_t key)
{
	size_t i = (size_t)(key ^ (key >> 29)) & mask;

	while (table[i].key != 0 && table[i].key != key)
		i = (i + 1) & mask;
	return &table[i];
}

static bool
same_letters(const struct letters *a, size_t i, const struct letters *b,
    size_t j, size_t n)
{
	return i + n <= a->n && j + n <= b->n &&
	    memcmp(a->cps + i, b->cps + j, n * sizeof(*a->cps)) == 0;
}

/* How far copy b[j..] follows a[i..], bridging small differences. */
static size_t
stretch(const struct letters *a, size_t i, const struct letters *b, size_t j)
{
	size_t len = 0, gap;
	bool bridged;

	do {
		while (i + len < a->n && j + len < b->n &&
		    a->cps[i + len] == b->cps[j + len])
			len++;
		bridged = false;
		for (gap = 1; gap <= GAP_MAX && !bridged; gap++)
			if (same_letters(a, i + len + gap, b, j + len + gap,
			    SHINGLE)) {
				len += gap;
				bridged = true;
			}
	} while (bridged);
	return len;
}

static void
add_region(struct regions *r, size_t from, size_t to, size_t src,
    size_t src_from)
{
	r->items = xreallocarray(r->items, r->count + 1, sizeof(*r->items));
	r->items[r->count].from = from;
	r->items[r->count].to = to;
	r->items[r->count].src = src;
	r->items[r->count].src_from = src_from;
	r->count++;
}

/* Remembers that letters i.. of unit u start a shingle. */
static void
add_posting(struct posting *table, size_t mask, const struct letters *l,
    size_t u, size_t i)
{
	struct posting *slot;
	uint64_t key;

	if (i + SHINGLE > l->n)
		return;
	key = shingle_key(l->cps + i);
	slot = find_slot(table, mask, key);
	slot->key = key;
	if (slot->count < MAX_POSTINGS) {
		slot->unit[slot->count] = (uint32_t)u;
		slot->pos[slot->count] = (uint32_t)i;
		slot->count++;
	}
}

/* Finds the regions of unit u copied from earlier text. */
static void
match_unit(struct posting *table, size_t mask, const struct letters *all,
    size_t u, struct regions *r)
{
	const struct letters *b = &all[u];
	struct posting *slot;
	size_t i = 0, k, len, best, best_unit = 0, best_pos = 0, v, q, end;

	while (i + SHINGLE <= b->n) {
		slot = find_slot(table, mask, shingle_key(b->cps + i));
		best = 0;
		for (k = 0; slot->key != 0 && k < slot->count; k++) {
			v = slot->unit[k];
			q = slot->pos[k];
			if (v == u && q + SHINGLE > i)
				continue;
			if (!same_letters(&all[v], q, b, i, SHINGLE))
				continue;
			if ((len = stretch(&all[v], q, b, i)) > best) {
				best = len;
				best_unit = v;
				best_pos = q;
			}
		}
		if (best >= SHINGLE) {
			add_region(r, i, i + best, best_unit, best_pos);
			/* A copy is text too: later copies may match it. */
			for (end = i + best; i < end; i++)
				add_posting(table, mask, b, u, i);
			continue;
		}
		add_posting(table, mask, b, u, i);
		i++;
	}
}

static bool
is_content(const struct unit *u)
{
	return (u->kind == UNIT_PARAGRAPH || u->kind == UNIT_HEADING) &&
	    !u->removed && u->text != NULL;
}

/*
 * Whether unit u and an earlier unit are copies of one passage: the
 * longest region makes up nearly all of one of them (the other may go
 * on with text of its own, 珠山区委认为… running into the next column).
 */
static void
find_whole(const struct letters *all, size_t u, struct regions *r)
{
	size_t i, len, longest = 0;
	const struct region *best;

	r->whole = (size_t)-1;
	if (r->count == 0)
		return;
	for (i = 0; i < r->count; i++) {
		len = r->items[i].to - r->items[i].from;
		if (len > r->items[longest].to - r->items[longest].from)
			longest = i;
	}
	best = &r->items[longest];
	len = best->to - best->from;
	if (best->src == u || len < WHOLE_MIN)
		return;
	if (len * 100 >= all[u].n * WHOLE_SHARE ||
	    len * 100 >= all[best->src].n * WHOLE_SHARE) {
		r->whole = best->src;
		r->best = longest;
	}
}

/* How much text speaks for article a: its district minus the others. */
static long
place_score(const char *text, int a, const char *const *districts,
    size_t ndistricts)
{
	long score = 0;
	size_t i;

	for (i = 0; i < ndistricts; i++) {
		if (districts[i] == NULL)
			continue;
		if ((int)i == a)
			score += (long)chars_count(text, districts[i]);
		else if (a < 0 || districts[a] == NULL ||
		    strcmp(districts[i], districts[a]) != 0)
			score -= (long)chars_count(text, districts[i]);
	}
	return score;
}

/* The next content unit after i, or p->nunits. */
static size_t
next_content(const struct import_page *p, size_t i)
{
	while (++i < p->nunits && !is_content(&p->units[i]))
		;
	return i;
}

/* Whether cp opens a quotation or a bracket. */
static bool
opens(int32_t cp)
{
	return cp == 0x201C || cp == 0x2018 || cp == 0xFF08 || cp == '(' ||
	    cp == 0x300A || cp == 0x300C || cp == 0x300E || cp == 0x3010;
}

/*
 * The passage s[0..len) as a collation note quotes it, inside “”: whole
 * when short, else its first clause and its last around an ellipsis
 * (each cut short when long).  Quotes inside become ‘’.  Caller frees.
 */
char *
repair_quote(const char *s, size_t len)
{
	struct buf b = BUF_INIT;
	size_t head = 0, tail = len, pos = 0, n, at;
	int32_t cp;
	char enc[4];

	/* Marks before the first letter only open the cut. */
	while (len > 0 && (cp = utf8_next(s, len, &pos)) >= 0 &&
	    (chars_is_space(cp) || (prose_is_punct(cp) && !opens(cp)))) {
		s += pos;
		len -= pos;
		pos = 0;
	}
	pos = 0;
	if (utf8_length(s, len) > 24) {
		for (n = 0; n < 16 && (cp = utf8_next(s, len, &pos)) >= 0;
		    n++)
			if (n >= 3 && prose_is_punct(cp) && !opens(cp) &&
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

/* Whether the text after byte at goes on with a letter. */
static bool
letter_follows(const char *s, size_t at)
{
	size_t pos = at;
	int32_t cp;

	while ((cp = utf8_next(s, strlen(s), &pos)) >= 0 && chars_is_space(cp))
		;
	return cp >= 0 && !prose_is_punct(cp);
}

/*
 * Marks the gap a cut copy leaves, if it leaves one: the copy was printed
 * over the page's own text, and where the sentence around it no longer
 * reads through, the text it covered is lost.  A copy that began inside
 * a clause (mid_clause: 紧紧围绕 + the copy) cut into a sentence; one that
 * opened the unit took the start of the sentence its tail goes on with,
 * unless it ended one (gone).
 */
static void
mark_cut_gap(struct import_page *p, struct unit *u, size_t at, bool gone,
    bool mid_clause)
{
	if (at > 0 ? !mid_clause || prose_ends_paragraph(u->text, at) :
	    gone || !letter_follows(u->text, 0))
		return;
	repair_mark_gap(p, u, at, "a passage printed twice covered it",
	    "重复印出的文字覆盖了原文");
}

/*
 * Cuts a copy glued to other text.  When the text after the copy goes
 * on with a letter, the cut ends at the copy's last punctuation (the
 * clause after it is the page's own); when a mark follows, the marks
 * before the copy go with it, so no doubled punctuation is left; when
 * nothing follows, the marks after it go too.  A few letters left at
 * either end of the unit (the 晋源 of 晋源区委认为 against 珠山区委认为) go
 * with the copy.  A repeat right after itself (tandem) only doubles the
 * text; any other copy covered the page's own, and the gap it leaves is
 * marked.  src_line names where the copy kept was printed, why and
 * why_zh why it was kept (for the editor, and for the reader).  Returns
 * where the cut was, or (size_t)-1 when nothing was cut.
 */
static size_t
cut_copy(struct import_page *p, struct unit *u, const struct letters *l,
    size_t from, size_t to, unsigned src_line, const char *why,
    const char *why_zh, bool tandem)
{
	size_t start, end, len = strlen(u->text), pos, k;
	int32_t cp;
	unsigned line, col;
	char *quoted;
	bool whole, gone, mid_clause;

	if (from <= GAP_MAX)
		from = 0;
	if (to + GAP_MAX >= l->n)
		to = l->n;
	whole = from == 0 && to == l->n;
	start = from == 0 ? 0 : l->start[from];
	end = whole ? len : l->end[to - 1];
	mid_clause = start > 0 &&
	    !prose_is_punct(utf8_last(u->text, start, NULL));
	pos = end;
	cp = utf8_next(u->text, len, &pos);
	if (cp >= 0 && !prose_is_punct(cp) && !chars_is_space(cp)) {
		for (k = end; k > start; k = pos)
			if (prose_is_punct(utf8_last(u->text, k, &pos)))
				break;
		if (k == start)
			return (size_t)-1;	/* no clause boundary */
		end = k;
	} else if (start == 0 || (to == l->n && !tandem)) {
		/* The marks after the copy go with it. */
		while (pos = end, (cp = utf8_next(u->text, len, &pos)) >= 0 &&
		    (chars_is_space(cp) || (prose_is_punct(cp) &&
		    !opens(cp))))
			end = pos;
	} else {
		while (start > 0 &&
		    (cp = utf8_last(u->text, start, &pos)) >= 0 &&
		    (chars_is_space(cp) || (prose_is_punct(cp) &&
		    !prose_is_closer(cp))))
			start = pos;
	}
	unit_locate(u, start, &line, &col);
	quoted = repair_quote(u->text + start, end - start);
	if (whole) {
		u->removed = true;
		page_report(p, IMPORT_REPAIR_DUPLICATE, line, col, "removed a "
		    "%s printed twice (kept the copy at line %u%s)",
		    u->kind == UNIT_HEADING ? "heading" : "paragraph",
		    src_line, why);
		page_explain(p, "删去重复印出的%s%s，保留第 %u 行的一处%s",
		    u->kind == UNIT_HEADING ? "小标题" : "一段", quoted,
		    src_line, why_zh);
		free(quoted);
		return 0;
	}
	page_report(p, IMPORT_REPAIR_DUPLICATE, line, col, "removed %zu "
	    "characters printed twice (kept the copy at line %u%s)",
	    utf8_length(u->text + start, end - start), src_line, why);
	if (tandem)
		page_explain(p, "删去紧接着重复印出的%s（%zu 字）", quoted,
		    utf8_length(u->text + start, end - start));
	else
		page_explain(p, "删去重复印出的%s（%zu 字），保留第 %u 行的一处%s",
		    quoted, utf8_length(u->text + start, end - start),
		    src_line, why_zh);
	free(quoted);
	gone = prose_ends_paragraph(u->text + start, end - start);
	unit_cut(u, start, end);
	if (next_letter(u->text, strlen(u->text), &(size_t){ 0 }) < 0)
		u->removed = true;
	else if (!tandem)
		mark_cut_gap(p, u, start, gone, mid_clause);
	return start;
}

/* The source line where letter i of unit u was printed. */
static unsigned
letter_line(const struct import_page *p, const struct letters *all, size_t u,
    size_t i)
{
	unsigned line, col;

	unit_locate(&p->units[u], i < all[u].n ? all[u].start[i] : 0,
	    &line, &col);
	return line;
}

/* A set of Han bigrams, sorted once filled. */
struct bigrams {
	uint64_t *keys;		/* owned */
	size_t	 count;
};

static void
bigrams_add(struct bigrams *b, const struct letters *l, size_t from,
    size_t to)
{
	size_t i;

	b->keys = xreallocarray(b->keys, b->count + (to > from ? to - from :
	    0) + 1, sizeof(*b->keys));
	for (i = from; i + 1 < to; i++)
		if (utf8_is_han(l->cps[i]) && utf8_is_han(l->cps[i + 1]))
			b->keys[b->count++] = (uint64_t)l->cps[i] << 21 |
			    (uint64_t)l->cps[i + 1];
}

static int
compare_key(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Sorts the set and drops repeats. */
static void
bigrams_settle(struct bigrams *b)
{
	size_t i, n = 0;

	qsort(b->keys, b->count, sizeof(*b->keys), compare_key);
	for (i = 0; i < b->count; i++)
		if (n == 0 || b->keys[n - 1] != b->keys[i])
			b->keys[n++] = b->keys[i];
	b->count = n;
}

/*
 * How well a copy (letters from..to of unit u) fits where it was
 * printed: how many of its distinct bigrams the rest of its section
 * uses, the heading above it, the paragraphs under that heading and the
 * text around the copy in its own unit, but not the other copy.  The
 * copy under the heading it belongs to speaks its section's words; a
 * stray printed into another section does not.  Scaled by the square
 * root of the section's distinct bigrams (a cosine, the copy's own size
 * being the same for both), so a long section does not win by length.
 */
static double
affinity(const struct import_page *p, const struct letters *all,
    const int *owner, size_t u, size_t from, size_t to, size_t other)
{
	struct bigrams section = { NULL, 0 }, copy = { NULL, 0 };
	size_t first = u, last = u, i, hits = 0;
	double score;

	while (first > 0 && is_content(&p->units[first - 1]) &&
	    owner[first - 1] == owner[u] &&
	    p->units[first].kind != UNIT_HEADING)
		first--;
	while (last + 1 < p->nunits && is_content(&p->units[last + 1]) &&
	    owner[last + 1] == owner[u] &&
	    p->units[last + 1].kind != UNIT_HEADING)
		last++;
	for (i = first; i <= last; i++)
		if (i == u) {
			bigrams_add(&section, &all[i], 0, from);
			bigrams_add(&section, &all[i], to, all[i].n);
		} else if (i != other)
			bigrams_add(&section, &all[i], 0, all[i].n);
	bigrams_add(&copy, &all[u], from, to);
	bigrams_settle(&section);
	bigrams_settle(&copy);
	for (i = 0; i < copy.count; i++)
		hits += bsearch(&copy.keys[i], section.keys, section.count,
		    sizeof(*section.keys), compare_key) != NULL;
	score = section.count > 0 ? (double)hits / sqrt((double)section.count) :
	    0;
	free(section.keys);
	free(copy.keys);
	return score;
}

/*
 * Removes passages printed twice across units.  Consecutive units that
 * copy consecutive units form one passage (a heading and its paragraph
 * repeated under another article).  Of its two copies the one in the
 * article whose district it names stays; else the one that fits its
 * section better (affinity); else the first.
 */
static void
remove_copies(struct import_page *p, struct regions *rs,
    const struct letters *all, bool *stale, const int *owner, const char *const *districts,
    size_t ndistricts)
{
	size_t i, j, end, src, gone;
	long later, earlier;
	double fit_later, fit_earlier;
	bool drop_later;
	const struct region *r;
	const char *why, *why_zh;

	for (i = 0; i < p->nunits; i = end) {
		end = i + 1;
		if (!is_content(&p->units[i]) || rs[i].whole == (size_t)-1)
			continue;
		later = earlier = 0;
		src = rs[i].whole;
		for (j = i; j < p->nunits; j = next_content(p, j)) {
			if (src >= j || rs[j].whole != src ||
			    owner[j] != owner[i] ||
			    owner[src] != owner[rs[i].whole])
				break;
			later += place_score(p->units[j].text, owner[j],
			    districts, ndistricts);
			earlier += place_score(p->units[src].text, owner[src],
			    districts, ndistricts);
			end = j + 1;
			src = next_content(p, src);
		}
		r = &rs[i].items[rs[i].best];
		fit_later = affinity(p, all, owner, i, r->from, r->to, r->src);
		fit_earlier = affinity(p, all, owner, r->src, r->src_from,
		    r->src_from + (r->to - r->from), i);
		if (later != earlier) {
			drop_later = later < earlier;
			why = drop_later ? "" : ", in the article of the "
			    "district it names";
		} else {
			drop_later = fit_later <= fit_earlier;
			why = fit_later != fit_earlier ? ", under the heading "
			    "it belongs to" : "";
		}
		why_zh = owner[i] != owner[rs[i].whole] ? "（在另一篇文章中）" :
		    "";
		for (j = i; j < end; j = next_content(p, j)) {
			r = &rs[j].items[rs[j].best];
			gone = drop_later ? j : r->src;
			/* A unit cut once has stale letters: leave it be. */
			if (!stale[gone] && is_content(&p->units[gone])) {
				if (drop_later)
					cut_copy(p, &p->units[j], &all[j],
					    r->from, r->to, letter_line(p, all,
					    r->src, r->src_from), why, why_zh,
					    false);
				else
					cut_copy(p, &p->units[r->src],
					    &all[r->src], r->src_from,
					    r->src_from + (r->to - r->from),
					    letter_line(p, all, j, r->from), why,
					    why_zh, false);
				stale[gone] = true;
			}
			rs[j].count = 0;
		}
	}
}

/* Whether region r of unit u repeats the text right before it (X，X，X). */
static bool
is_tandem(const struct region *r, size_t u)
{
	return r->src == u && r->to - r->from >= r->from - r->src_from;
}

/*
 * Aligns a repeat X，X，X to whole copies: it starts after a mark (the
 * match may begin a letter early, when the text before the first X ends
 * like X does) and spans a whole number of periods.  Returns false when
 * no whole copy is left to cut.
 */
static bool
align_tandem(const struct unit *u, const struct letters *l, size_t *from,
    size_t *to, size_t period)
{
	size_t s, pos;
	int32_t cp;

	for (s = *from; s < *from + period && s < *to; s++) {
		cp = utf8_last(u->text, l->start[s], &pos);
		if (cp >= 0 && prose_is_punct(cp))
			break;
	}
	if (s == *from + period || s >= *to || (*to - s) / period == 0)
		return false;
	*to = s + (*to - s) / period * period;
	*from = s;
	return true;
}

void
repair_duplicates(struct import_page *p, const int *owner,
    const char *const *districts, size_t ndistricts)
{
	struct letters *all = xcalloc(p->nunits + 1, sizeof(*all));
	struct regions *rs = xcalloc(p->nunits + 1, sizeof(*rs));
	bool *stale = xcalloc(p->nunits + 1, sizeof(*stale));
	struct posting *table;
	size_t i, k, total = 0, size = 64, limit, from, to;
	const struct region *r;

	for (i = 0; i < p->nunits; i++) {
		rs[i].whole = (size_t)-1;
		if (is_content(&p->units[i])) {
			letters_of(&p->units[i], &all[i]);
			total += all[i].n;
		}
	}
	while (size < total * 2)
		size *= 2;
	table = xcalloc(size, sizeof(*table));
	for (i = 0; i < p->nunits; i++)
		if (is_content(&p->units[i])) {
			match_unit(table, size - 1, all, i, &rs[i]);
		}
	free(table);
	for (i = 0; i < p->nunits; i++)
		if (is_content(&p->units[i]))
			find_whole(all, i, &rs[i]);
	remove_copies(p, rs, all, stale, owner, districts, ndistricts);
	/* Last regions first, so earlier letters keep their offsets. */
	for (i = 0; i < p->nunits; i++) {
		limit = (size_t)-1;
		for (k = rs[i].count; k-- > 0;) {
			r = &rs[i].items[k];
			from = r->from;
			to = r->to;
			if (!is_content(&p->units[i]) || stale[i] ||
			    all[i].end[to - 1] > limit ||
			    to - from < (is_tandem(r, i) ? TANDEM_MIN :
			    GLUED_MIN) || (is_tandem(r, i) &&
			    !align_tandem(&p->units[i], &all[i], &from, &to,
			    r->from - r->src_from)))
				continue;
			limit = cut_copy(p, &p->units[i], &all[i], from, to,
			    letter_line(p, all, r->src, r->src_from), "", "",
			    is_tandem(r, i));
		}
	}
	for (i = 0; i < p->nunits; i++) {
		free(all[i].cps);
		free(all[i].start);
		free(all[i].end);
		free(rs[i].items);
	}
	free(all);
	free(rs);
	free(stale);
}
