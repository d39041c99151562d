/*
 * The whitespace rules of the Mustache spec, as passes over the tokens
 * (see tmpl_parse.c): a line of only blanks and tags that print nothing
 * loses its blanks and line ending, the blanks becoming the tag's
 * indentation; and a block's content is re-indented where it expands
 * (the inheritance module).
 */
#include "tmpl_internal.h"

#include <string.h>

static bool
is_blank(char ch)
{
	return ch == ' ' || ch == '\t';
}

/* A line of the source, while the standalone pass looks at it. */
struct standalone_line {
	size_t	 start;		/* offset of its first byte */
	size_t	 first, last;	/* its first and last tag tokens */
	size_t	 tags;
	bool	 blank;		/* its text is only spaces and tabs */
	bool	 structural;	/* every tag may share a standalone line */
};

static void
line_reset(struct standalone_line *l, size_t start)
{
	l->start = start;
	l->first = l->last = NO_TOKEN;
	l->tags = 0;
	l->blank = true;
	l->structural = true;
}

/* Whether a tag may share a standalone line: parents, blocks, their ends. */
static bool
tag_structural(const struct compile *c, const struct token *t)
{
	if (t->kind == TOK_CLOSE)
		return t->match != NO_TOKEN &&
		    tmpl_kinds[c->toks[t->match].kind].structural;
	return tmpl_kinds[t->kind].structural;
}

/*
 * Ends a line at nl (the offset of its '\n', or NO_TOKEN at the end of the
 * source).  A line with one tag that prints nothing and otherwise only
 * blanks is standalone (the spec's rule); so, for inheritance, is a line
 * of only parent and block tags ("{{<parent}}{{$block}}").  Its blanks and
 * line ending are cut; the blanks become the first tag's indentation.
 */
static void
line_end(struct compile *c, struct standalone_line *l, size_t nl)
{
	struct token *first, *last, *t;
	const char *src = c->pool.data;
	size_t i;

	if (l->tags == 0 || !l->blank)
		return;
	first = &c->toks[l->first];
	last = &c->toks[l->last];
	if (l->tags == 1 ? !tmpl_kinds[first->kind].standalone : !l->structural)
		return;
	first->indent_off = l->start;
	first->indent_len = first->start - l->start;
	if (first->indent_len > 0)
		c->toks[l->first - 1].cut_end = l->start;
	for (i = l->first; i <= l->last; i++) {
		t = &c->toks[i];
		if (t->kind == TOK_TEXT)
			t->cut_start = t->cut_end;
		else
			t->flags |= TF_STANDALONE |
			    (i > l->first ? TF_RUN_REST : 0);
	}
	if (l->last + 1 < c->ntoks && c->toks[l->last + 1].kind == TOK_TEXT) {
		t = &c->toks[l->last + 1];
		t->cut_start = nl != NO_TOKEN ? nl + 1 : t->end;
	}
	if (nl != NO_TOKEN) {
		last->eol_off = nl > last->end && src[nl - 1] == '\r' ?
		    nl - 1 : nl;
		last->eol_len = nl + 1 - last->eol_off;
	}
	if (l->tags == 2 && first->kind == TOK_BLOCK &&
	    first->match == l->last)
		first->flags |= TF_PAIR;
}

/* Reads one text token for the standalone pass, ending lines within it. */
static void
line_text(struct compile *c, struct standalone_line *l, const struct token *t)
{
	const char *src = c->pool.data, *nl;
	size_t p = t->start, end = t->end, seg, i;

	for (;;) {
		nl = memchr(src + p, '\n', end - p);
		seg = nl != NULL ? (size_t)(nl - src) : end;
		if (nl != NULL && seg > p && src[seg - 1] == '\r')
			seg--;		/* CRLF: the CR belongs to the ending */
		for (i = p; i < seg && l->blank; i++)
			if (!is_blank(src[i]))
				l->blank = false;
		if (nl == NULL)
			break;
		line_end(c, l, (size_t)(nl - src));
		p = (size_t)(nl - src) + 1;
		line_reset(l, p);
	}
}

void
tmpl_cut_standalone(struct compile *c)
{
	struct standalone_line l;
	struct token *t;
	size_t i;

	line_reset(&l, 0);
	for (i = 0; i < c->ntoks; i++) {
		t = &c->toks[i];
		if (t->kind == TOK_TEXT) {
			line_text(c, &l, t);
			continue;
		}
		if (l.tags++ == 0)
			l.first = i;
		l.last = i;
		l.structural = l.structural && tag_structural(c, t);
	}
	line_end(c, &l, NO_TOKEN);
	for (i = 0; i < c->ntoks; i++) {
		t = &c->toks[i];
		if (t->kind != TOK_TEXT)
			continue;
		t->off = t->cut_start;
		t->len = t->cut_end > t->cut_start ?
		    t->cut_end - t->cut_start : 0;
	}
}

/*
 * Walks the lines of a block's content for dedent: measuring the blanks
 * that every non-blank line starts with, or cutting strip bytes of them.
 */
struct lines {
	bool	 at_start;	/* the next token starts a line */
	bool	 found;		/* a non-blank line was seen */
	size_t	 prefix_off;	/* common leading blanks, in pool */
	size_t	 prefix_len;
	size_t	 strip;		/* 0: measure; else bytes to cut */
};

static void
lines_measure(struct lines *w, const char *pool, size_t off, size_t n)
{
	size_t common = 0;

	if (!w->found) {
		w->found = true;
		w->prefix_off = off;
		w->prefix_len = n;
		return;
	}
	while (common < w->prefix_len && common < n &&
	    pool[w->prefix_off + common] == pool[off + common])
		common++;
	w->prefix_len = common;
}

static void
lines_measure_text(struct lines *w, const char *pool, const struct token *t)
{
	size_t p = t->off, end = t->off + t->len, q;
	const char *nl;

	while (p < end) {
		if (w->at_start) {
			for (q = p; q < end && is_blank(pool[q]); q++)
				;
			/* Lines of only blanks do not count. */
			if (q == end || (pool[q] != '\n' && !(pool[q] == '\r' &&
			    q + 1 < end && pool[q + 1] == '\n')))
				lines_measure(w, pool, p, q - p);
		}
		nl = memchr(pool + p, '\n', end - p);
		w->at_start = nl != NULL;
		if (nl == NULL)
			break;
		p = (size_t)(nl - pool) + 1;
	}
}

static void
lines_strip_text(struct lines *w, char *pool, struct token *t)
{
	size_t r = t->off, wr = t->off, end = t->off + t->len, n;

	while (r < end) {
		if (w->at_start) {
			for (n = 0; n < w->strip && r + n < end &&
			    is_blank(pool[r + n]); n++)
				;
			r += n;
			w->at_start = false;
			continue;
		}
		if ((pool[wr++] = pool[r++]) == '\n')
			w->at_start = true;
	}
	t->len = wr - t->off;
}

static void
lines_walk(struct compile *c, struct lines *w, size_t from, size_t to)
{
	struct token *t;
	size_t i, n;

	for (i = from; i < to; i++) {
		if (!w->strip && w->found && w->prefix_len == 0)
			break;		/* nothing in common: done */
		t = &c->toks[i];
		if (t->kind == TOK_TEXT) {
			if (w->strip)
				lines_strip_text(w, c->pool.data, t);
			else
				lines_measure_text(w, c->pool.data, t);
			continue;
		}
		if (t->flags & TF_RUN_REST)
			continue;
		if (t->flags & TF_STANDALONE) {
			if (w->strip) {
				n = t->indent_len < w->strip ?
				    t->indent_len : w->strip;
				t->indent_off += n;
				t->indent_len -= n;
			} else
				lines_measure(w, c->pool.data, t->indent_off,
				    t->indent_len);
			w->at_start = true;
			continue;
		}
		if (w->at_start && !w->strip)
			lines_measure(w, c->pool.data, t->start, 0);
		w->at_start = false;
	}
}

/*
 * Re-indents the content of blocks whose opening tag stands alone, as the
 * inheritance spec asks: the blanks all its lines share are removed where
 * the block is written and added back where it expands (or, when it has
 * no content, the opening tag's own indentation is).  Outer blocks go
 * first so inner ones measure what is left.
 */
void
tmpl_dedent_blocks(struct compile *c)
{
	struct lines w;
	struct token *t;
	size_t i;

	for (i = 0; i < c->ntoks; i++) {
		t = &c->toks[i];
		if (t->kind != TOK_BLOCK || !(t->flags & TF_STANDALONE) ||
		    t->match == NO_TOKEN)
			continue;
		memset(&w, 0, sizeof(w));
		w.at_start = true;
		lines_walk(c, &w, i + 1, t->match);
		if (!w.found) {
			t->xindent_off = t->indent_off;
			t->xindent_len = t->indent_len;
			continue;
		}
		/* Keep a copy: stripping rewrites the text it came from. */
		t->xindent_off = c->pool.len;
		t->xindent_len = w.prefix_len;
		buf_grow(&c->pool, w.prefix_len);	/* no move while copying */
		buf_append(&c->pool, c->pool.data + w.prefix_off, w.prefix_len);
		if (w.prefix_len == 0)
			continue;
		w.strip = w.prefix_len;
		w.at_start = true;
		lines_walk(c, &w, i + 1, t->match);
	}
}

