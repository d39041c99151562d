/*
 * Lines cut by the column become paragraphs (also across a blank line
 * while a sentence is unfinished), and short lines without closing
 * punctuation section headings; a heading printed after its text goes
 * back above it.
 */
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

/* Marks that may not occur in a section heading. */
static const int32_t clause_marks[] = {
	0x3002, 0xFF0C, 0xFF1B, 0xFF01, 0xFF1F, ',', ';', '!', '?',
};

/* Appends a line to a paragraph, closing up the break. */
static void
append_line(struct unit *u, struct buf *text, const struct page_line *l)
{
	chars_join(text, l->text, l->len);
	unit_add_span(u, text->len - l->len, l->line, l->col);
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
		if (!(cp >= '0' && cp <= '9') && (cp < 0x80 || memmem(numerals,
		    sizeof(numerals) - 1, enc, utf8_encode(cp, enc)) == NULL))
			return 0;
		n++;
	}
	return 0;
}

static bool	balanced(const struct import_page *, const struct unit *);

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
			if (chars_opens(cp))
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

	while ((b = chars_next_letter(heading, hlen, &hp)) >= 0) {
		a = chars_next_letter(para, plen, &pp);
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
join_units(struct import_page *p)
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

