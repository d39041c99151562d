/*
 * Where the printed page lost text, the lacuna mark 〔原文缺〕 goes into
 * the article, and the collation note says why: a paragraph that opens
 * inside a clause or stops mid-sentence, a page that runs out, a
 * passage printed twice over the page's own text.
 */
#include <stdlib.h>
#include <string.h>

#include "../util/prose.h"
#include "../util/utf8.h"
#include "../util/xalloc.h"
#include "internal.h"

void
gap_mark(struct import_page *p, struct unit *u, size_t off,
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
		if ((f == PROSE_OPENS_WITH_MARK || f == PROSE_WORD_TAIL ||
		    (f == PROSE_SHORT_CLAUSE && !first)) &&
		    strncmp(u->text, PROSE_LACUNA, strlen(PROSE_LACUNA)) != 0)
			gap_mark(p, u, 0, "the paragraph opens inside "
			    "a clause", "段落从句子中间开始，前文缺失");
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
