/*
 * Where the printed page lost text, the lacuna mark 〔原文缺〕 goes into
 * the article, and the collation note says why: a paragraph that opens
 * inside a clause or stops mid-sentence, a page that runs out, a
 * passage printed twice over the page's own text.
 */
#include <stdlib.h>
#include <string.h>

#include "../load/source.h"
#include "../util/prose.h"
#include "../util/utf8.h"
#include "../util/xalloc.h"
#include "internal.h"

/* Puts the mark at byte off of u's text. */
static void
insert_mark(struct unit *u, size_t off)
{
	size_t len = strlen(u->text), mark = strlen(PROSE_LACUNA), i;
	char *text;

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
}

void
gap_mark(struct import_page *p, struct unit *u, size_t off,
    const char *why, const char *why_zh)
{
	unsigned line, col;

	unit_locate(u, off, &line, &col);
	insert_mark(u, off);
	page_report(p, IMPORT_REPAIR_GAP, line, col, "marked a gap in the "
	    "printed text: %s", why);
	page_explain(p, "原文此处缺失（%s），标作%s", why_zh, PROSE_LACUNA);
}

/* Whether the mark stands at byte off of s, before or after it. */
static bool
marked_at(const char *s, size_t off)
{
	size_t mark = strlen(PROSE_LACUNA);

	return strncmp(s + off, PROSE_LACUNA, mark) == 0 || (off >= mark &&
	    strncmp(s + off - mark, PROSE_LACUNA, mark) == 0);
}

/*
 * Finds text as printed on line of the page: its unit and the byte it
 * starts at in the unit's text.  The first such place; NULL when there
 * is none.
 */
static struct unit *
find_on_line(struct import_page *p, const char *text, unsigned line,
    size_t *at, unsigned *col)
{
	struct unit *u;
	const char *hit;
	unsigned l;
	size_t i;

	for (i = 0; i < p->nunits; i++) {
		u = &p->units[i];
		if (u->removed || u->text == NULL || (u->kind != UNIT_PARAGRAPH &&
		    u->kind != UNIT_HEADING))
			continue;
		for (hit = strstr(u->text, text); hit != NULL;
		    hit = strstr(hit + 1, text)) {
			unit_locate(u, (size_t)(hit - u->text), &l, col);
			if (l == line) {
				*at = (size_t)(hit - u->text);
				return u;
			}
		}
	}
	return NULL;
}

void
gap_mark_decided(struct import_page *p)
{
	const struct import_decisions *dec = p->decided;
	const struct source_gap *g;
	const char *text;
	struct unit *u;
	size_t i, at;
	unsigned col;

	for (i = 0; dec != NULL && i < dec->ngaps; i++) {
		g = &dec->gaps[i];
		text = g->before != NULL ? g->before : g->after;
		if ((u = find_on_line(p, text, g->line, &at, &col)) == NULL) {
			diag_error(p->d, dec->path, g->at_line, g->at_col, "gap: "
			    "\"%s\" is not on line %u of %s", text, g->line,
			    p->name);
			p->undecidable = true;
			continue;
		}
		if (g->after != NULL) {
			at += strlen(text);
			col += (unsigned)utf8_length(text, strlen(text));
		}
		if (marked_at(u->text, at)) {
			page_warn(p, g->line, col, "the gap recorded at %s:%u "
			    "is marked already", dec->path, g->at_line);
			continue;
		}
		insert_mark(u, at);
		page_report_decided(p, IMPORT_REPAIR_GAP, g->line, col,
		    "marked the gap recorded at %s:%u", dec->path, g->at_line);
		page_explain(p, "原文此处缺失（%s），标作%s", g->note != NULL ?
		    g->note : "据编者校读", PROSE_LACUNA);
	}
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
void
gap_after_cut(struct import_page *p, struct unit *u, size_t at, bool gone,
    bool mid_clause)
{
	if (at > 0 ? !mid_clause || prose_ends_paragraph(u->text, at) :
	    gone || !letter_follows(u->text, 0))
		return;
	gap_mark(p, u, at, "a passage printed twice covered it",
	    "重复印出的文字覆盖了原文");
}

/* Whether u is the last text printed on the page. */
static bool
ends_page(const struct import_page *p, const struct unit *u)
{
	size_t i;

	for (i = (size_t)(u - p->units) + 1; i < p->nunits; i++)
		if (!p->units[i].removed && (p->units[i].kind == UNIT_PARAGRAPH ||
		    p->units[i].kind == UNIT_HEADING))
			return false;
	return true;
}

/*
 * A short first clause that is no known connective is the only sign of
 * a loss: the paragraph may open inside a clause (下沉，强化…) or with a
 * word the list lacks.  Which it is the editors decide, by reading the
 * page; a gap they find they record (gap_mark_decided).
 */
static void
warn_short_clause(struct import_page *p, struct unit *u)
{
	const char *comma = strstr(u->text, "，"), *other = strstr(u->text,
	    "、");
	size_t stem = strlen(p->name) > 4 && strcmp(p->name + strlen(p->name) -
	    4, ".txt") == 0 ? strlen(p->name) - 4 : strlen(p->name);
	int clause = comma != NULL ? (int)(comma - u->text) : 0;
	unsigned line, col;

	if (other != NULL && (comma == NULL || other < comma))
		clause = (int)(other - u->text);
	unit_locate(u, 0, &line, &col);
	page_warn(p, line, col, "the paragraph may open inside a clause "
	    "(\"%.*s\" is no connective); if the page lost text before it, "
	    "record the gap in %.*s.yaml", clause, u->text, (int)stem, p->name);
}

void
gap_mark_body(struct import_page *p, size_t body, size_t n)
{
	struct unit *u;
	enum prose_fragment f;
	size_t i, len;
	bool first = true;

	for (i = 0; i < n; i++) {
		u = &p->units[body + i];
		if (u->removed || u->kind != UNIT_PARAGRAPH || u->text == NULL)
			continue;
		len = strlen(u->text);
		f = prose_fragment_start(u->text, len);
		if (strncmp(u->text, PROSE_LACUNA, strlen(PROSE_LACUNA)) != 0) {
			if (f == PROSE_OPENS_WITH_MARK || f == PROSE_WORD_TAIL)
				gap_mark(p, u, 0, "the paragraph opens inside "
				    "a clause", "段落从句子中间开始，前文缺失");
			else if (f == PROSE_SHORT_CLAUSE && !first)
				warn_short_clause(p, u);
		}
		first = false;
		len = strlen(u->text);
		if (!prose_ends_paragraph(u->text, len)) {
			if (ends_page(p, u))
				gap_mark(p, u, len, "the page stops "
				    "mid-sentence", "版面在此中断，后文缺失");
			else
				gap_mark(p, u, len, "the paragraph "
				    "stops mid-sentence", "句子在此中断，后文缺失");
		}
	}
}
