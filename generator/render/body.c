#include "body.h"

#include <cmark.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "../util/buf.h"
#include "../util/prose.h"
#include "../util/utf8.h"
#include "../util/xalloc.h"

const char *const body_reserved_ids[] = {
	"main", "site-search", "contents-heading", "members-heading",
	"related-heading", "ways-heading", "collation", NULL,
};

/* Whether cp belongs in an id: a letter or a digit of any script. */
static bool
is_word(int32_t cp)
{
	switch (utf8proc_category(cp)) {
	case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL:
	case UTF8PROC_CATEGORY_LT: case UTF8PROC_CATEGORY_LM:
	case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_ND:
	case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
		return true;
	default:
		return false;
	}
}

#define ONES	0x0101010101010101ULL
#define HIGHS	0x8080808080808080ULL
#define LOWS	0x7F7F7F7F7F7F7F7FULL

/* A word's bytes equal to c, as their high bits (exactly, no carries). */
static uint64_t
bytes_equal(uint64_t x, unsigned char c)
{
	uint64_t y = x ^ (ONES * c);

	return ~(((y & LOWS) + LOWS) | y | LOWS);
}

/* How many of a word's bytes have their high bit set in m. */
static size_t
count_highs(uint64_t m)
{
	return (size_t)(((m >> 7) * ONES) >> 56);
}

/*
 * Counts the characters of s that are not ASCII white space: the bytes
 * that start a character, less spaces, tabs and line ends.  Every text
 * of every article passes here, eight bytes at a time (decoding each
 * character cost a tenth of the page).
 */
static size_t
count_chars(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n = 0;
	uint64_t x;

	for (; i + 8 <= len; i += 8) {
		memcpy(&x, p + i, 8);
		n += 8 - count_highs(x & ~(x << 1) & HIGHS) -
		    count_highs(bytes_equal(x, ' ') | bytes_equal(x, '\n') |
		    bytes_equal(x, '\t') | bytes_equal(x, '\r'));
	}
	for (; i < len; i++)
		n += ((p[i] & 0xC0) != 0x80) - (p[i] == ' ') - (p[i] == '\n') -
		    (p[i] == '\t') - (p[i] == '\r');
	return n;
}

/*
 * Splits the text node t at each lacuna mark, which becomes a span a
 * reader sees and a screen reader names, or a link to the collation note
 * when there is one.  cmark writes a custom inline node's on_enter and
 * on_exit as they are.
 */
static void
mark_lacunae(cmark_node *t, bool noted)
{
	static const size_t n = sizeof(PROSE_LACUNA) - 1;
	const char *text = cmark_node_get_literal(t), *at;
	cmark_node *before, *mark, *inner;
	char *rest;

	while (text != NULL && (at = strstr(text, PROSE_LACUNA)) != NULL) {
		before = cmark_node_new(CMARK_NODE_TEXT);
		rest = xstrndup(text, (size_t)(at - text));
		cmark_node_set_literal(before, rest);
		free(rest);
		cmark_node_insert_before(t, before);
		mark = cmark_node_new(CMARK_NODE_CUSTOM_INLINE);
		cmark_node_set_on_enter(mark, noted ? "<a class=\"lacuna\" "
		    "href=\"#collation\" title=\"印刷原文此处有文字缺失，见文末"
		    "校勘记\">" : "<span class=\"lacuna\" title=\"印刷原文此处"
		    "有文字缺失\">");
		cmark_node_set_on_exit(mark, noted ? "</a>" : "</span>");
		inner = cmark_node_new(CMARK_NODE_TEXT);
		cmark_node_set_literal(inner, PROSE_LACUNA);
		cmark_node_append_child(mark, inner);
		cmark_node_insert_before(t, mark);
		rest = xstrdup(at + n);
		cmark_node_set_literal(t, rest);
		free(rest);
		text = cmark_node_get_literal(t);
	}
}

/* The text of heading node h, inline markup dropped. */
static char *
heading_text(cmark_node *h)
{
	cmark_iter *it = cmark_iter_new(h);
	cmark_event_type ev;
	cmark_node *n;
	struct buf b = BUF_INIT;
	const char *lit;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		n = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER)
			continue;
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
			if ((lit = cmark_node_get_literal(n)) != NULL)
				buf_puts(&b, lit);
			break;
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK:
			buf_putc(&b, ' ');
			break;
		default:
			break;
		}
	}
	cmark_iter_free(it);
	return buf_detach(&b);
}

static bool
id_taken(const struct body *b, const char *id)
{
	size_t k;

	for (k = 0; body_reserved_ids[k] != NULL; k++)
		if (strcmp(body_reserved_ids[k], id) == 0)
			return true;
	for (k = 0; k < b->nheadings; k++)
		if (strcmp(b->headings[k].id, id) == 0)
			return true;
	return false;
}

/* The id of heading number k (from 0) with text, unique in b. */
static char *
make_id(const struct body *b, const char *text, size_t k)
{
	struct buf id = BUF_INIT;
	size_t pos = 0, len = strlen(text), start, base, n;
	bool gap = false;
	int32_t cp;

	while (start = pos, (cp = utf8_next(text, len, &pos)) != -1) {
		if (!is_word(cp)) {
			gap = id.len > 0;
			continue;
		}
		if (gap)
			buf_putc(&id, '-');
		gap = false;
		buf_append(&id, text + start, pos - start);
	}
	if (id.len == 0)
		buf_printf(&id, "section-%zu", k + 1);
	base = id.len;
	for (n = 2; id_taken(b, buf_str(&id)); n++) {
		buf_truncate(&id, base);
		buf_printf(&id, "-%zu", n);
	}
	return buf_detach(&id);
}

/*
 * Gives each "<hN>" of the HTML, in order, the id of its heading: raw
 * HTML is not passed through and text is escaped, so each is a heading.
 */
static void
anchor_headings(struct body *b, const char *html, size_t len)
{
	struct buf out = BUF_INIT;
	const char *p = html, *end = html + len, *hit;
	size_t k = 0;

	/* memchr for the '<': prose holds few, and memmem scans slower. */
	while (k < b->nheadings &&
	    (hit = memchr(p, '<', (size_t)(end - p))) != NULL) {
		if (hit + 4 > end || hit[1] != 'h' || hit[2] < '1' ||
		    hit[2] > '6' || hit[3] != '>') {
			buf_append(&out, p, (size_t)(hit + 1 - p));
			p = hit + 1;
			continue;
		}
		buf_append(&out, p, (size_t)(hit + 3 - p));
		buf_puts(&out, " id=\"");
		buf_put_html(&out, b->headings[k].id,
		    strlen(b->headings[k].id));
		buf_putc(&out, '"');
		p = hit + 3;
		k++;
	}
	buf_append(&out, p, (size_t)(end - p));
	b->html_len = out.len;
	b->html = buf_detach(&out);
}

void
body_render(const char *md, size_t len, bool noted, struct body *out)
{
	cmark_node *doc = cmark_parse_document(md, len, CMARK_OPT_DEFAULT);
	cmark_iter *it;
	cmark_event_type ev;
	cmark_node *n;
	struct body_heading *h;
	const char *lit;
	char *html;
	size_t cap = 0;
	bool marked = memmem(md, len, PROSE_LACUNA,
	    sizeof(PROSE_LACUNA) - 1) != NULL;

	/* Lacunae first: a span each, which headings and lengths read past. */
	it = cmark_iter_new(doc);
	while (marked && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		n = cmark_iter_get_node(it);
		if (ev == CMARK_EVENT_ENTER &&
		    cmark_node_get_type(n) == CMARK_NODE_TEXT)
			mark_lacunae(n, noted);
	}
	cmark_iter_free(it);
	it = cmark_iter_new(doc);

	memset(out, 0, sizeof(*out));
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		n = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER)
			continue;
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_HEADING:
			if (out->nheadings == cap) {
				cap = cap ? cap * 2 : 8;
				out->headings = xreallocarray(out->headings,
				    cap, sizeof(*out->headings));
			}
			h = &out->headings[out->nheadings];
			h->level = cmark_node_get_heading_level(n);
			h->text = heading_text(n);
			h->id = make_id(out, h->text, out->nheadings);
			out->nheadings++;
			break;
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
		case CMARK_NODE_CODE_BLOCK:
			if ((lit = cmark_node_get_literal(n)) != NULL)
				out->chars += count_chars(lit, strlen(lit));
			break;
		default:
			break;
		}
	}
	cmark_iter_free(it);
	html = cmark_render_html(doc, CMARK_OPT_DEFAULT);
	anchor_headings(out, html, strlen(html));
	free(html);
	cmark_node_free(doc);
}

void
body_free(struct body *b)
{
	size_t k;

	if (b == NULL)
		return;
	for (k = 0; k < b->nheadings; k++) {
		free(b->headings[k].id);
		free(b->headings[k].text);
	}
	free(b->headings);
	free(b->html);
	memset(b, 0, sizeof(*b));
}
