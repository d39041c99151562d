#include "article_page.h"

#include <stdlib.h>
#include <string.h>

#include "../model/related.h"
#include "../model/url.h"
#include "../util/buf.h"
#include "../util/href.h"
#include "../util/prose.h"
#include "../util/xalloc.h"
#include "body.h"
#include "paging.h"

/*
 * A link to line of source page ss: "…/sources/NAME/index.html#L12"; to
 * the page when it has no such line, of which the build warned.
 */
static struct val *
line_link(struct view *v, const struct site_source *ss, unsigned line)
{
	if (line == 0 || line > ss->nlines)
		return view_link(v, ss->href);
	return val_stringf(v->arena, "%s%s#L%u", v->up, ss->href, line);
}

/*
 * What the article says of where it was printed: the page's name for
 * readers, a link to its first line there, and the collation note,
 * each note linked to the line it speaks of.  Null keys when there is
 * no page or no note.
 */
static void
article_provenance(struct view *v, const struct site_article *a,
    struct val *m)
{
	const struct site_source *ss = a->source == SITE_NONE ? NULL :
	    &v->site->sources[a->source];
	const struct article *src = a->src;
	struct val *page = val_null(v->arena), *notes, *note, *collation;
	size_t k;

	if (ss != NULL) {
		page = val_map(v->arena);
		val_set(v->arena, page, "title", view_text(v, ss->title));
		val_set(v->arena, page, "href", line_link(v, ss,
		    src->source_line));
		val_set(v->arena, page, "text", view_href(v, ss->text_path));
	}
	val_set(v->arena, m, "printed", page);
	if (src->nnotes == 0) {
		val_set(v->arena, m, "collation", val_null(v->arena));
		return;
	}
	notes = val_list(v->arena);
	for (k = 0; k < src->nnotes; k++) {
		note = val_map(v->arena);
		val_set(v->arena, note, "text", view_text(v,
		    src->notes[k].text));
		val_set(v->arena, note, "line", src->notes[k].line == 0 ?
		    val_null(v->arena) : val_stringf(v->arena, "%u",
		    src->notes[k].line));
		val_set(v->arena, note, "href", ss == NULL ||
		    src->notes[k].line == 0 ? val_null(v->arena) :
		    line_link(v, ss, src->notes[k].line));
		val_push(v->arena, notes, note);
	}
	collation = val_map(v->arena);
	val_set(v->arena, collation, "notes", notes);
	val_set(v->arena, collation, "count", val_stringf(v->arena, "%zu",
	    src->nnotes));
	/*
	 * The note explains the mark only where the body has one.  A
	 * fingerprint view may have no body: the article's hash stands in.
	 */
	val_set(v->arena, collation, "lacuna", val_bool(v->arena,
	    src->body != NULL && memmem(src->body, src->body_len,
	    PROSE_LACUNA, sizeof(PROSE_LACUNA) - 1) != NULL));
	val_set(v->arena, m, "collation", collation);
}

/* "2,900": n with a comma between each three digits. */
static void
put_grouped(struct buf *b, size_t n)
{
	if (n >= 1000) {
		put_grouped(b, n / 1000);
		buf_printf(b, ",%03zu", n % 1000);
	} else
		buf_printf(b, "%zu", n);
}

/*
 * Characters a reader of Chinese takes in a minute, for the reading
 * time: about 500 by the usual measures of reading speed.
 */
#define CHARS_PER_MINUTE 500

/*
 * The body as HTML with anchored headings; with three headings or more,
 * a contents box; and the length, rounded to a hundred characters, with
 * the reading time in whole minutes.
 */
static void
add_body(struct view *v, struct val *m, const struct article *a)
{
	struct body b;
	struct val *contents = val_list(v->arena), *h;
	struct buf len = BUF_INIT;
	size_t k, hundreds;

	body_render(a->body, a->body_len, a->nnotes > 0, &b);
	val_set(v->arena, m, "body", val_string(v->arena, b.html,
	    b.html_len));
	for (k = 0; b.nheadings >= 3 && k < b.nheadings; k++) {
		h = val_map(v->arena);
		val_set_str(v->arena, h, "id", b.headings[k].id);
		val_set_str(v->arena, h, "text", b.headings[k].text);
		val_set_bool(v->arena, h, "sub", b.headings[k].level > 2);
		val_push(v->arena, contents, h);
	}
	val_set(v->arena, m, "contents", b.nheadings >= 3 ? contents :
	    val_null(v->arena));
	hundreds = (b.chars + 50) / 100;
	buf_puts(&len, "约 ");
	put_grouped(&len, (hundreds ? hundreds : 1) * 100);
	buf_printf(&len, " 字 · 阅读约 %zu 分钟",
	    (b.chars + CHARS_PER_MINUTE - 1) / CHARS_PER_MINUTE ?
	    (b.chars + CHARS_PER_MINUTE - 1) / CHARS_PER_MINUTE : 1);
	val_set(v->arena, m, "length", val_string(v->arena, len.data,
	    len.len));
	buf_free(&len);
	body_free(&b);
}

/* A way on from the article: its label's words, and where it leads. */
struct way {
	const char *before, *name, *after;
	const char *again;	/* before the name after one of its kind */
	const struct site_pager *pg;
	bool	 taken;		/* into a row already */
};

/* Appends w's words to the label of a row, after those of last. */
static void
way_label(struct buf *label, const struct way *w, const struct way *last)
{
	if (last != NULL && last->again != NULL && last->before == w->before)
		buf_puts(label, w->again);
	else {
		if (last != NULL)
			buf_puts(label, "\u00A0· ");
		buf_puts(label, w->before);
	}
	buf_puts(label, w->name);
	buf_puts(label, w->after);
}

/*
 * A row of the ways on: the label, and the articles before and after
 * along ways[first] and the ways after it that lead to the same two,
 * which it names too (主题「疫情防控」「志愿服务」), so that a pair of
 * titles is shown once.
 */
static void
add_way(struct view *v, struct val *rows, struct way *ways, size_t n,
    size_t first)
{
	const struct site_pager *pg = ways[first].pg;
	const struct way *last = NULL;
	struct buf label = BUF_INIT;
	struct val *m;
	size_t k;

	for (k = first; k < n; k++) {
		if (ways[k].taken || ways[k].pg->prev != pg->prev ||
		    ways[k].pg->next != pg->next)
			continue;
		way_label(&label, &ways[k], last);
		ways[k].taken = true;
		last = &ways[k];
	}
	m = val_map(v->arena);
	val_set(v->arena, m, "label", val_string(v->arena, buf_str(&label),
	    label.len));
	val_set(v->arena, m, "prev", pg->prev == SITE_NONE ?
	    val_null(v->arena) : view_neighbour(v, pg->prev));
	val_set(v->arena, m, "next", pg->next == SITE_NONE ?
	    val_null(v->arena) : view_neighbour(v, pg->next));
	val_push(v->arena, rows, m);
	buf_free(&label);
}

/*
 * The ways on from an article: within its district, its series and each
 * of its themes, each labelled, so a reader who came by one of them
 * goes on along it.
 */
static struct val *
article_ways(struct view *v, const struct site_article *a)
{
	static const char theme[] = "主题「";
	const struct site *s = v->site;
	struct val *rows = val_list(v->arena);
	struct way *ways = xcalloc(a->themes.count + 2, sizeof(*ways));
	size_t n = 0, k;

	if (a->district != SITE_NONE)
		ways[n++] = (struct way){ "同在", s->districts[a->district].name,
		    "", NULL, &a->in_district, false };
	if (a->src->series != NULL)
		ways[n++] = (struct way){ "系列「", a->src->series, "」", NULL,
		    &a->in_series, false };
	for (k = 0; k < a->themes.count; k++)
		ways[n++] = (struct way){ theme,
		    s->themes[a->themes.items[k]].def->name, "」", "「",
		    &a->in_themes[k], false };
	for (k = 0; k < n; k++)
		if (!ways[k].taken && (ways[k].pg->prev != SITE_NONE ||
		    ways[k].pg->next != SITE_NONE))
			add_way(v, rows, ways, n, k);
	free(ways);
	return rows;
}

/* Why article b is related to a (model/related.c says it). */
static struct val *
related_reason(struct view *v, const struct site_article *a,
    const struct site_article *b)
{
	struct buf why = BUF_INIT;
	struct val *text;

	related_why(v->site, a, b, &why);
	text = val_string(v->arena, buf_str(&why), why.len);
	buf_free(&why);
	return text;
}

/*
 * A related article as a line: title, place, author (and why, which the
 * caller adds); in a fingerprint view, its card's hash stands for them.
 */
static struct val *
related_entry(struct view *v, size_t i)
{
	const struct site_article *a = &v->site->articles[i];
	struct val *m = val_map(v->arena);

	if (v->hashes != NULL) {
		val_set(v->arena, m, "card", view_stand_in(v,
		    v->hashes->cards[i]));
		return m;
	}
	val_set(v->arena, m, "title", view_text(v, a->src->title));
	val_set(v->arena, m, "href", view_link(v, a->href));
	val_set(v->arena, m, "place", view_place(v, a));
	val_set(v->arena, m, "author", view_text(v, a->src->author));
	return m;
}

/* The link to the author's entry in the index of authors. */
static struct val *
author_link(struct view *v, size_t author)
{
	char *first = url_path(URL_AUTHORS, NULL), *path;
	struct buf href = BUF_INIT, anchor = BUF_INIT;
	struct val *link;

	path = url_part(first, paging_part_of(author, PAGING_ROWS));
	if (v->absolute)
		href_absolute(&href, v->site->config.base_url, path);
	else
		href_relative(&href, v->path, path);
	buf_putc(&href, '#');
	view_author_anchor(v->site, author, &anchor);
	href_encode(&href, anchor.data, anchor.len);
	buf_free(&anchor);
	link = val_string(v->arena, buf_str(&href), href.len);
	buf_free(&href);
	free(first);
	free(path);
	return link;
}

void
article_page_build(struct view *v, size_t index)
{
	const struct site *s = v->site;
	const struct site_article *a = &s->articles[index];
	struct val *m = view_card(v, index), *related = val_list(v->arena);
	struct val *card;
	size_t k;

	view_common(v, a->src->title, a->summary, NULL);
	view_trail(v, a->province, a->city, a->district, true);
	if (v->hashes == NULL)
		add_body(v, m, a->src);
	/* Every key set, null when absent; see view_district_link. */
	val_set(v->arena, m, "date", view_text(v, a->date));
	article_provenance(v, a, m);
	val_set(v->arena, m, "district", a->district == SITE_NONE ?
	    val_null(v->arena) : view_district_link(v, a->district));
	val_set(v->arena, m, "author_href", a->author == SITE_NONE ?
	    val_null(v->arena) : author_link(v, a->author));
	val_set(v->arena, m, "source_file", view_text(v, a->src->source_file));
	val_set(v->arena, m, "source_line", view_source_line(v, a));
	for (k = 0; k < a->nrelated; k++) {
		card = related_entry(v, a->related[k]);
		val_set(v->arena, card, "why", related_reason(v, a,
		    &s->articles[a->related[k]]));
		val_push(v->arena, related, card);
	}
	val_set(v->arena, m, "related", related);
	val_set(v->arena, m, "ways", article_ways(v, a));
	val_set(v->arena, m, "prev", a->prev == SITE_NONE ?
	    val_null(v->arena) : view_neighbour(v, a->prev));
	val_set(v->arena, m, "next", a->next == SITE_NONE ?
	    val_null(v->arena) : view_neighbour(v, a->next));
	val_set(v->arena, m, "series_note", a->note == SITE_NONE ?
	    val_null(v->arena) : view_neighbour(v, a->note));
	val_set(v->arena, m, "members", view_cards(v, &a->members));
	val_set(v->arena, v->root, "article", m);
}
