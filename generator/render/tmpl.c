/*
 * Mustache, compiled once and rendered many times.
 *
 * Compiling runs in passes over the source, each simple on its own:
 *   1. tokenize: split text from tags, following set-delimiter tags;
 *   2. match: pair section tags with their closing tags, building the
 *      node tree (a flat array in document order, each node knowing the
 *      size of its subtree) with an explicit stack, never recursion;
 *   3. standalone: find lines that hold only whitespace and tags that
 *      print nothing, and cut that whitespace and the line ending;
 *   4. dedent: re-indent block content (the inheritance module);
 *   5. finish: copy the final text spans into the nodes.
 * Rendering walks the nodes and writes into the caller's buffer; its
 * state lives on the C stack, so threads can share a set.
 */
#include "tmpl.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "../util/fs.h"
#include "../util/suggest.h"
#include "../util/utf8.h"
#include "../util/xalloc.h"

/* Sections open at once in one template: deeper is surely a mistake. */
#define TMPL_MAX_NESTING	100
/*
 * Nested renders (sections, partials, parents, blocks) before rendering
 * gives up; bounds the C stack whatever the templates and the view.
 */
#define TMPL_MAX_DEPTH		256
/* Longest tag name quoted in a message, in characters. */
#define TMPL_QUOTE_CHARS	40

#define TMPL_SUFFIX		".mustache"

enum tok_kind {
	TOK_TEXT,
	TOK_VAR,	/* {{name}} */
	TOK_RAW,	/* {{{name}}} or {{&name}} */
	TOK_SECTION,	/* {{#name}} */
	TOK_INVERTED,	/* {{^name}} */
	TOK_CLOSE,	/* {{/name}} */
	TOK_PARTIAL,	/* {{>name}} */
	TOK_PARENT,	/* {{<name}} */
	TOK_BLOCK,	/* {{$name}} */
	TOK_COMMENT,	/* {{! text}} */
	TOK_DELIM,	/* {{=<% %>=}} */
};

static const struct kind_info {
	bool	 opens;		/* needs a closing tag */
	bool	 standalone;	/* may stand alone on a line */
	bool	 structural;	/* may share a standalone line (inheritance) */
	const char *word;	/* what messages call it */
} kinds[] = {
	[TOK_TEXT] = { false, false, false, "text" },
	[TOK_VAR] = { false, false, false, "variable" },
	[TOK_RAW] = { false, false, false, "variable" },
	[TOK_SECTION] = { true, true, false, "section" },
	[TOK_INVERTED] = { true, true, false, "inverted section" },
	[TOK_CLOSE] = { false, true, false, "closing tag" },
	[TOK_PARTIAL] = { false, true, false, "partial" },
	[TOK_PARENT] = { true, true, true, "parent" },
	[TOK_BLOCK] = { true, true, true, "block" },
	[TOK_COMMENT] = { false, true, false, "comment" },
	[TOK_DELIM] = { false, true, false, "delimiter change" },
};

/* The character after the opening delimiter picks the kind of tag. */
static const struct sigil {
	char	 c;
	enum tok_kind kind;
	char	 closing;	/* must precede the closing delimiter, or 0 */
} sigils[] = {
	{ '#', TOK_SECTION, 0 },
	{ '^', TOK_INVERTED, 0 },
	{ '/', TOK_CLOSE, 0 },
	{ '>', TOK_PARTIAL, 0 },
	{ '<', TOK_PARENT, 0 },
	{ '$', TOK_BLOCK, 0 },
	{ '!', TOK_COMMENT, 0 },
	{ '&', TOK_RAW, 0 },
	{ '{', TOK_RAW, '}' },
	{ '=', TOK_DELIM, '=' },
};

enum {
	TF_STANDALONE = 1 << 0,	/* its line was cut from the output */
	TF_RUN_REST = 1 << 1,	/* standalone, but not first on its line */
	TF_PAIR = 1 << 2,	/* a block opened and closed on one such line */
};

#define NO_TOKEN	((size_t)-1)

struct token {
	enum tok_kind kind;
	unsigned flags;		/* TF_* */
	size_t	 off, len;	/* text, or the tag's trimmed name; in pool */
	size_t	 start, end;	/* the whole token in the source */
	size_t	 cut_start;	/* text kept after the standalone pass */
	size_t	 cut_end;
	size_t	 indent_off;	/* blanks before a standalone tag; in pool */
	size_t	 indent_len;
	size_t	 eol_off;	/* line ending after a standalone line */
	size_t	 eol_len;
	size_t	 xindent_off;	/* a block's indentation where it expands */
	size_t	 xindent_len;
	size_t	 match;		/* the closing or opening token, or NO_TOKEN */
	size_t	 node;		/* its node, or NO_TOKEN when dropped */
	unsigned line, col;	/* 1-based; col in characters */
};

enum node_kind {
	NODE_TEXT,
	NODE_VAR,
	NODE_RAW,
	NODE_SECTION,
	NODE_INVERTED,
	NODE_PARTIAL,
	NODE_PARENT,
	NODE_BLOCK,
};

enum {
	NF_STANDALONE = 1 << 0,	/* starts no output line of its own */
	NF_PAIR = 1 << 1,	/* block alone on a line with its closing tag */
};

struct node {
	unsigned char kind;	/* enum node_kind */
	unsigned char flags;	/* NF_* */
	uint32_t size;		/* nodes in the subtree, this one included */
	uint32_t line, col;	/* of the tag, for diagnostics */
	uint32_t off, len;	/* text or name, in the template's pool */
	uint32_t indent_off;	/* partial, parent: standalone indentation; */
	uint32_t indent_len;	/* block: indentation of its content */
	uint32_t eol_off;	/* NF_PAIR: the line ending to restore */
	uint32_t eol_len;
	const struct tmpl *target; /* partial, parent: set by set_link */
};

struct tmpl {
	char	*name;		/* owned */
	char	*path;		/* owned; for diagnostics */
	char	*pool;		/* owned; source, then extra strings */
	size_t	 pool_len;
	struct node *nodes;	/* owned; count of them */
	size_t	 count;
	size_t	*refs;		/* owned; indexes of partial, parent nodes */
	size_t	 nrefs;
	uint64_t hash;		/* XXH3 of the source */
};

struct tmpl_set {
	struct tmpl **items;	/* owned; in the order added */
	size_t	 count;
	size_t	 cap;
};

struct compile {
	const char *path;	/* borrowed; for diagnostics */
	struct diags *d;	/* borrowed */
	struct buf pool;	/* the source, then strings made by dedent */
	size_t	 src_len;
	struct token *toks;
	size_t	 ntoks, captoks;
	struct node *nodes;
	size_t	*node_tok;	/* token of each node, while compiling */
	size_t	 nnodes, capnodes;
	size_t	 errors;
	bool	 stopped;	/* the tokenizer could not go on */
	size_t	 scanned;	/* position tracking: offset counted up to */
	unsigned line;		/* the line at scanned */
	unsigned col;		/* the column at scanned, in characters */
};

static void compile_error(struct compile *, unsigned, unsigned, const char *,
    ...) __attribute__((format(printf, 4, 5)));

static void
compile_error(struct compile *c, unsigned line, unsigned col,
    const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	diag_error(c->d, c->path, line, col, "%s", msg);
	c->errors++;
}

/*
 * Copies a name for a message: at most TMPL_QUOTE_CHARS characters, and
 * control characters shown as spaces so the message stays on one line.
 */
static const char *
quote(char *out, size_t size, const char *s, size_t len)
{
	size_t n = utf8_cut(s, len, TMPL_QUOTE_CHARS, 0), i;

	if (n > size - 4)
		n = size - 4;
	for (i = 0; i < n; i++)
		out[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? ' ' :
		    s[i];
	if (n < len) {
		memcpy(out + n, "...", 3);
		n += 3;
	}
	out[n] = '\0';
	return out;
}

static bool
is_blank(char ch)
{
	return ch == ' ' || ch == '\t';
}

static bool
is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

/*
 * Moves line tracking forward to offset off (never backwards) and sets
 * *line and *col for it.  Counting on from the last position keeps long
 * lines with many tags linear.
 */
static void
track_position(struct compile *c, size_t off, unsigned *line, unsigned *col)
{
	const char *src = c->pool.data;
	const char *nl;

	while (c->scanned < off) {
		nl = memchr(src + c->scanned, '\n', off - c->scanned);
		if (nl == NULL) {
			c->col += diag_column(src + c->scanned,
			    off - c->scanned) - 1;
			c->scanned = off;
			break;
		}
		c->line++;
		c->col = 1;
		c->scanned = (size_t)(nl - src) + 1;
	}
	*line = c->line;
	*col = c->col;
}

static struct token *
token_add(struct compile *c, enum tok_kind kind, size_t start, size_t end)
{
	struct token *t;

	if (c->ntoks == c->captoks) {
		c->captoks = c->captoks ? c->captoks * 2 : 64;
		c->toks = xreallocarray(c->toks, c->captoks, sizeof(*c->toks));
	}
	t = &c->toks[c->ntoks++];
	memset(t, 0, sizeof(*t));
	t->kind = kind;
	t->start = start;
	t->end = end;
	t->off = start;
	t->len = end - start;
	t->cut_start = start;
	t->cut_end = end;
	t->match = NO_TOKEN;
	t->node = NO_TOKEN;
	return t;
}

/*
 * Finds delim (dlen > 0 bytes) in s.  Not memmem: sanitizers check all
 * of memmem's haystack on each call, which makes a scan for every tag
 * of a long template quadratic; memchr is checked up to its match.
 */
static const char *
find_delim(const char *s, size_t len, const char *delim, size_t dlen)
{
	const char *p = s, *end = s + len;

	while ((p = memchr(p, delim[0], (size_t)(end - p))) != NULL) {
		if ((size_t)(end - p) < dlen)
			return NULL;
		if (memcmp(p, delim, dlen) == 0)
			return p;
		p++;
	}
	return NULL;
}

/* Finds the closing delimiter, preceded by closing when that is set. */
static const char *
find_closing(const char *s, size_t len, char closing, const char *ctag,
    size_t clen)
{
	const char *p = s, *end = s + len;

	while ((p = find_delim(p, (size_t)(end - p), ctag, clen)) != NULL) {
		if (closing == 0)
			return p;
		if (p > s && p[-1] == closing)
			return p - 1;
		p++;
	}
	return NULL;
}

/*
 * Reads a set-delimiter tag's content: two delimiters separated by
 * whitespace, neither holding whitespace or "=".  Returns 0 and sets the
 * spans, or -1.
 */
static int
parse_delimiters(const char *s, size_t len, size_t *o1, size_t *l1,
    size_t *o2, size_t *l2)
{
	size_t i = 0, a, b;

	while (i < len && is_space(s[i]))
		i++;
	a = i;
	while (i < len && !is_space(s[i]) && s[i] != '=')
		i++;
	*o1 = a;
	*l1 = i - a;
	while (i < len && is_space(s[i]))
		i++;
	b = i;
	while (i < len && !is_space(s[i]) && s[i] != '=')
		i++;
	*o2 = b;
	*l2 = i - b;
	while (i < len && is_space(s[i]))
		i++;
	return *l1 > 0 && *l2 > 0 && i == len ? 0 : -1;
}

/* Whether a variable or section name is "." or dot-separated words. */
static bool
name_valid(const char *s, size_t len)
{
	size_t i;

	if (len == 1 && s[0] == '.')
		return true;
	if (s[0] == '.' || s[len - 1] == '.')
		return false;
	for (i = 1; i < len; i++)
		if (s[i] == '.' && s[i - 1] == '.')
			return false;
	return true;
}

/* Checks a tag's trimmed name, reporting what is wrong with it. */
static void
check_name(struct compile *c, const struct token *t)
{
	const char *s = c->pool.data + t->off;
	char q[TMPL_QUOTE_CHARS * 4 + 8];
	size_t i;

	if (t->kind == TOK_COMMENT || t->kind == TOK_DELIM)
		return;
	if (t->len == 0) {
		compile_error(c, t->line, t->col, "empty tag name");
		return;
	}
	for (i = 0; i < t->len; i++)
		if (is_space(s[i])) {
			compile_error(c, t->line, t->col,
			    "invalid tag name \"%s\" (names cannot hold spaces)",
			    quote(q, sizeof(q), s, t->len));
			return;
		}
	if ((t->kind == TOK_PARTIAL || t->kind == TOK_PARENT) && s[0] == '*') {
		compile_error(c, t->line, t->col,
		    "dynamic names are not supported (\"%s\")",
		    quote(q, sizeof(q), s, t->len));
		return;
	}
	if ((t->kind == TOK_VAR || t->kind == TOK_RAW ||
	    t->kind == TOK_SECTION || t->kind == TOK_INVERTED) &&
	    !name_valid(s, t->len))
		compile_error(c, t->line, t->col, "invalid name \"%s\"",
		    quote(q, sizeof(q), s, t->len));
}

/* The current tag delimiters: spans of the pool, or the defaults. */
struct delims {
	const char *open, *close;
	size_t	 olen, clen;
};

/* Follows a set-delimiter tag, or reports why it cannot. */
static void
change_delimiters(struct compile *c, const struct token *t,
    struct delims *dl)
{
	const char *s = c->pool.data + t->off;
	char q[TMPL_QUOTE_CHARS * 4 + 8];
	size_t o1, l1, o2, l2;

	if (parse_delimiters(s, t->len, &o1, &l1, &o2, &l2) == -1) {
		compile_error(c, t->line, t->col, "bad delimiter change \"%s\" "
		    "(expected two delimiters separated by a space)",
		    quote(q, sizeof(q), s, t->len));
		return;
	}
	dl->open = s + o1;
	dl->olen = l1;
	dl->close = s + o2;
	dl->clen = l2;
}

/*
 * Reads the tag whose opening delimiter is at open and adds its token.
 * Returns the offset just past the tag, or NO_TOKEN after reporting an
 * unclosed tag.
 */
static size_t
read_tag(struct compile *c, const struct delims *dl, size_t open)
{
	const char *src = c->pool.data, *q;
	size_t len = c->src_len, cs = open + dl->olen, ce, end = NO_TOKEN, i;
	enum tok_kind kind = TOK_VAR;
	unsigned line, col;
	char closing = 0;
	struct token *t;

	track_position(c, open, &line, &col);
	for (i = 0; cs < len && i < sizeof(sigils) / sizeof(sigils[0]); i++)
		if (src[cs] == sigils[i].c) {
			kind = sigils[i].kind;
			closing = sigils[i].closing;
			cs++;
			break;
		}
	q = find_closing(src + cs, len - cs, closing, dl->close, dl->clen);
	if (q == NULL) {
		compile_error(c, line, col,
		    "unclosed tag: no \"%s%.*s\" after \"%.*s\"",
		    closing ? (char[]){ closing, '\0' } : "", (int)dl->clen,
		    dl->close, (int)dl->olen, dl->open);
		goto out;
	}
	ce = (size_t)(q - src);
	end = ce + (closing ? 1 : 0) + dl->clen;
	t = token_add(c, kind, open, end);
	t->line = line;
	t->col = col;
	while (cs < ce && is_space(src[cs]))
		cs++;
	while (ce > cs && is_space(src[ce - 1]))
		ce--;
	t->off = cs;
	t->len = ce - cs;
	check_name(c, t);
out:
	return end;
}

/*
 * Splits the source into text and tag tokens.  An unclosed tag stops it:
 * nothing after it can be told apart from text.
 */
static void
tokenize(struct compile *c)
{
	struct delims dl = { "{{", "}}", 2, 2 };
	const char *src = c->pool.data, *p;
	size_t len = c->src_len, pos = 0, open;
	struct token *t;

	while (pos < len) {
		p = find_delim(src + pos, len - pos, dl.open, dl.olen);
		open = p != NULL ? (size_t)(p - src) : len;
		if (open > pos) {
			/* Located too: a page may grow too large in text. */
			t = token_add(c, TOK_TEXT, pos, open);
			track_position(c, pos, &t->line, &t->col);
		}
		if (p == NULL)
			break;
		if ((pos = read_tag(c, &dl, open)) == NO_TOKEN) {
			c->stopped = true;
			break;
		}
		if (c->toks[c->ntoks - 1].kind == TOK_DELIM)
			change_delimiters(c, &c->toks[c->ntoks - 1], &dl);
	}
}

static bool
same_name(const struct compile *c, const struct token *a,
    const struct token *b)
{
	return a->len == b->len &&
	    memcmp(c->pool.data + a->off, c->pool.data + b->off, a->len) == 0;
}

static size_t
node_add(struct compile *c, size_t tok)
{
	static const enum node_kind node_kinds[] = {
		[TOK_TEXT] = NODE_TEXT,
		[TOK_VAR] = NODE_VAR,
		[TOK_RAW] = NODE_RAW,
		[TOK_SECTION] = NODE_SECTION,
		[TOK_INVERTED] = NODE_INVERTED,
		[TOK_PARTIAL] = NODE_PARTIAL,
		[TOK_PARENT] = NODE_PARENT,
		[TOK_BLOCK] = NODE_BLOCK,
	};
	struct node *n;

	if (c->nnodes == c->capnodes) {
		c->capnodes = c->capnodes ? c->capnodes * 2 : 64;
		c->nodes = xreallocarray(c->nodes, c->capnodes,
		    sizeof(*c->nodes));
		c->node_tok = xreallocarray(c->node_tok, c->capnodes,
		    sizeof(*c->node_tok));
	}
	n = &c->nodes[c->nnodes];
	memset(n, 0, sizeof(*n));
	n->kind = (unsigned char)node_kinds[c->toks[tok].kind];
	n->size = 1;
	c->node_tok[c->nnodes] = tok;
	c->toks[tok].node = c->nnodes;
	return c->nnodes++;
}

struct open_section {
	size_t	 tok;
	bool	 dropped;	/* inside a parent but not a block: ignored */
};

/* Ends the subtree of an open section at the current node count. */
static void
close_section(struct compile *c, const struct open_section *o)
{
	size_t node = c->toks[o->tok].node;

	if (node != NO_TOKEN)
		c->nodes[node].size = (uint32_t)(c->nnodes - node);
}

/*
 * Handles a closing tag: pairs it with the innermost open section of the
 * same name, reporting a mismatch and recovering when the names differ.
 */
static void
match_close(struct compile *c, size_t i, struct open_section *stack,
    size_t *depth)
{
	struct token *t = &c->toks[i], *top;
	char q1[TMPL_QUOTE_CHARS * 4 + 8], q2[TMPL_QUOTE_CHARS * 4 + 8];
	const char *src = c->pool.data;
	size_t j;

	if (*depth == 0) {
		compile_error(c, t->line, t->col, "unexpected closing tag "
		    "\"%s\" (no section is open)",
		    quote(q1, sizeof(q1), src + t->off, t->len));
		return;
	}
	top = &c->toks[stack[*depth - 1].tok];
	if (!same_name(c, t, top)) {
		compile_error(c, t->line, t->col, "mismatched closing tag "
		    "\"%s\" (expected \"%s\", opened at %u:%u)",
		    quote(q1, sizeof(q1), src + t->off, t->len),
		    quote(q2, sizeof(q2), src + top->off, top->len),
		    top->line, top->col);
		for (j = *depth; j > 0; j--)
			if (same_name(c, t, &c->toks[stack[j - 1].tok]))
				break;
		if (j == 0)
			return;		/* a stray: ignore it */
		while (*depth > j) {	/* close the unclosed ones inside */
			close_section(c, &stack[*depth - 1]);
			(*depth)--;
		}
		top = &c->toks[stack[*depth - 1].tok];
	}
	top->match = i;
	t->match = (size_t)(top - c->toks);
	close_section(c, &stack[*depth - 1]);
	(*depth)--;
}

/*
 * Pairs sections with their closing tags and builds the node tree, with
 * an explicit stack so deep nesting cannot exhaust the C stack.  Inside a
 * parent only blocks count; the rest is checked, then dropped.
 */
static void
match_sections(struct compile *c)
{
	struct open_section stack[TMPL_MAX_NESTING];
	char q[TMPL_QUOTE_CHARS * 4 + 8];
	const struct open_section *top;
	size_t depth = 0, i;
	struct token *t, *o;
	bool drop;

	for (i = 0; i < c->ntoks; i++) {
		t = &c->toks[i];
		if (t->kind == TOK_COMMENT || t->kind == TOK_DELIM)
			continue;
		if (t->kind == TOK_CLOSE) {
			match_close(c, i, stack, &depth);
			continue;
		}
		/* Whatever a dropped section holds is dropped with it. */
		top = depth > 0 ? &stack[depth - 1] : NULL;
		drop = top != NULL && (top->dropped ||
		    (c->toks[top->tok].kind == TOK_PARENT &&
		    t->kind != TOK_BLOCK));
		if (!drop)
			node_add(c, i);
		if (!kinds[t->kind].opens)
			continue;
		if (depth == TMPL_MAX_NESTING) {
			compile_error(c, t->line, t->col, "sections nested "
			    "more than %d levels deep", TMPL_MAX_NESTING);
			c->stopped = true;
			return;
		}
		stack[depth].tok = i;
		stack[depth].dropped = drop;
		depth++;
	}
	if (c->stopped)
		return;
	while (depth > 0) {
		o = &c->toks[stack[--depth].tok];
		compile_error(c, o->line, o->col, "unclosed %s \"%s\"",
		    kinds[o->kind].word,
		    quote(q, sizeof(q), c->pool.data + o->off, o->len));
		close_section(c, &stack[depth]);
	}
}

/* A line of the source, while the standalone pass looks at it. */
struct line {
	size_t	 start;		/* offset of its first byte */
	size_t	 first, last;	/* its first and last tag tokens */
	size_t	 tags;
	bool	 blank;		/* its text is only spaces and tabs */
	bool	 structural;	/* every tag may share a standalone line */
};

static void
line_reset(struct line *l, size_t start)
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
		    kinds[c->toks[t->match].kind].structural;
	return kinds[t->kind].structural;
}

/*
 * Ends a line at nl (the offset of its '\n', or NO_TOKEN at the end of the
 * source).  A line with one tag that prints nothing and otherwise only
 * blanks is standalone (the spec's rule); so, for inheritance, is a line
 * of only parent and block tags ("{{<parent}}{{$block}}").  Its blanks and
 * line ending are cut; the blanks become the first tag's indentation.
 */
static void
line_end(struct compile *c, struct line *l, size_t nl)
{
	struct token *first, *last, *t;
	const char *src = c->pool.data;
	size_t i;

	if (l->tags == 0 || !l->blank)
		return;
	first = &c->toks[l->first];
	last = &c->toks[l->last];
	if (l->tags == 1 ? !kinds[first->kind].standalone : !l->structural)
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
line_text(struct compile *c, struct line *l, const struct token *t)
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

static void
cut_standalone(struct compile *c)
{
	struct line l;
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
static void
dedent_blocks(struct compile *c)
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

/* Copies the final spans and flags of the tokens into their nodes. */
static void
finish_nodes(struct compile *c)
{
	const struct token *t, *close;
	struct node *n;
	size_t i;

	for (i = 0; i < c->nnodes; i++) {
		n = &c->nodes[i];
		t = &c->toks[c->node_tok[i]];
		n->line = t->line;
		n->col = t->col;
		n->off = (uint32_t)t->off;
		n->len = (uint32_t)t->len;
		if (t->flags & TF_STANDALONE)
			n->flags |= NF_STANDALONE;
		if (n->kind == NODE_PARTIAL || n->kind == NODE_PARENT) {
			n->indent_off = (uint32_t)t->indent_off;
			n->indent_len = (t->flags & TF_STANDALONE) ?
			    (uint32_t)t->indent_len : 0;
		} else if (n->kind == NODE_BLOCK) {
			n->indent_off = (uint32_t)t->xindent_off;
			n->indent_len = (uint32_t)t->xindent_len;
		}
		if (t->flags & TF_PAIR) {
			close = &c->toks[t->match];
			n->flags |= NF_PAIR;
			n->eol_off = (uint32_t)close->eol_off;
			n->eol_len = (uint32_t)close->eol_len;
		}
	}
}

/* Reports the first invalid UTF-8 sequence; returns -1 if there is one. */
static int
check_utf8(struct compile *c, const char *src, size_t len)
{
	size_t bad = utf8_invalid_at(src, len), start;
	const char *nl;
	unsigned line = 1;

	if (bad == len)
		return 0;
	for (start = 0; (nl = memchr(src + start, '\n', bad - start)) != NULL;
	    line++)
		start = (size_t)(nl - src) + 1;
	compile_error(c, line, diag_column(src + start, bad - start),
	    "invalid UTF-8 (byte 0x%02x)", (unsigned char)src[bad]);
	return -1;
}

static void
tmpl_free(struct tmpl *t)
{
	if (t == NULL)
		return;
	free(t->name);
	free(t->path);
	free(t->pool);
	free(t->nodes);
	free(t->refs);
	free(t);
}

/*
 * Compiles src into a new template, or returns NULL after adding errors
 * to d.  Caller frees with tmpl_free.
 */
static struct tmpl *
compile(const char *name, const char *path, const char *src, size_t len,
    struct diags *d)
{
	struct compile c;
	struct tmpl *t = NULL;
	size_t i;

	memset(&c, 0, sizeof(c));
	c.path = path;
	c.d = d;
	c.line = 1;
	c.col = 1;
	if (check_utf8(&c, src, len) == -1)
		goto out;
	/* Pool offsets must fit the nodes' 32 bits, extra strings included. */
	if (len > UINT32_MAX / 4) {
		compile_error(&c, 0, 0, "template too large (%zu bytes)", len);
		goto out;
	}
	buf_append(&c.pool, src, len);
	c.src_len = len;
	tokenize(&c);
	match_sections(&c);
	if (c.errors > 0)
		goto out;
	cut_standalone(&c);
	dedent_blocks(&c);
	finish_nodes(&c);
	t = xcalloc(1, sizeof(*t));
	t->name = xstrdup(name);
	t->path = xstrdup(path);
	t->pool_len = c.pool.len;
	t->pool = buf_detach(&c.pool);
	/* Never NULL, even when empty: node loops do pointer arithmetic. */
	t->nodes = c.nodes != NULL ? c.nodes : xmalloc(sizeof(*t->nodes));
	t->count = c.nnodes;
	c.nodes = NULL;
	t->hash = XXH3_64bits(src, len);
	for (i = 0; i < t->count; i++)
		t->nrefs += t->nodes[i].kind == NODE_PARTIAL ||
		    t->nodes[i].kind == NODE_PARENT;
	t->refs = xreallocarray(NULL, t->nrefs, sizeof(*t->refs));
	for (i = 0, t->nrefs = 0; i < t->count; i++)
		if (t->nodes[i].kind == NODE_PARTIAL ||
		    t->nodes[i].kind == NODE_PARENT)
			t->refs[t->nrefs++] = i;
out:
	buf_free(&c.pool);
	free(c.toks);
	free(c.nodes);
	free(c.node_tok);
	return t;
}

struct tmpl_set *
tmpl_set_new(void)
{
	return xcalloc(1, sizeof(struct tmpl_set));
}

void
tmpl_set_free(struct tmpl_set *set)
{
	size_t i;

	if (set == NULL)
		return;
	for (i = 0; i < set->count; i++)
		tmpl_free(set->items[i]);
	free(set->items);
	free(set);
}

static struct tmpl *
set_find(const struct tmpl_set *set, const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < set->count; i++)
		if (strncmp(set->items[i]->name, name, len) == 0 &&
		    set->items[i]->name[len] == '\0')
			return set->items[i];
	return NULL;
}

/*
 * Points every partial and parent node at its template, or NULL.  Run
 * after each change to the set, so rendering never looks names up.
 */
static void
set_link(struct tmpl_set *set)
{
	struct tmpl *t;
	struct node *n;
	size_t i, j;

	for (i = 0; i < set->count; i++) {
		t = set->items[i];
		for (j = 0; j < t->nrefs; j++) {
			n = &t->nodes[t->refs[j]];
			n->target = set_find(set, t->pool + n->off, n->len);
		}
	}
}

int
tmpl_add(struct tmpl_set *set, const char *name, const char *path,
    const char *src, size_t len, struct diags *d)
{
	struct tmpl *t, *old;
	size_t i;
	int rc = -1;

	if ((t = compile(name, path, src, len, d)) == NULL)
		goto out;
	if ((old = set_find(set, name, strlen(name))) != NULL) {
		for (i = 0; set->items[i] != old; i++)
			;
		set->items[i] = t;
		tmpl_free(old);
	} else {
		if (set->count == set->cap) {
			set->cap = set->cap ? set->cap * 2 : 16;
			set->items = xreallocarray(set->items, set->cap,
			    sizeof(*set->items));
		}
		set->items[set->count++] = t;
	}
	set_link(set);
	rc = 0;
out:
	return rc;
}

int
tmpl_load_dir(struct tmpl_set *set, const char *dir, const char *display,
    size_t max, struct diags *d)
{
	char **names = NULL, *path = NULL, *shown = NULL, *name = NULL;
	char *src = NULL;
	size_t count = 0, len = 0, i, bom;
	int rc = -1, failed = 0;

	if (fs_list(dir, TMPL_SUFFIX, &names, &count) == -1) {
		diag_error(d, display, 0, 0, "cannot read folder: %s",
		    strerror(errno));
		goto out;
	}
	for (i = 0; i < count; i++) {
		if (names[i][0] == '.')
			continue;	/* editors' lock and backup files */
		path = fs_join(dir, names[i]);
		shown = fs_join(display, names[i]);
		if (fs_read_max(path, max, &src, &len) == -1) {
			fs_read_failed(d, shown, errno, len, max);
			failed = 1;
		} else {
			name = xstrndup(names[i],
			    strlen(names[i]) - strlen(TMPL_SUFFIX));
			bom = utf8_bom_length(src, len);
			if (tmpl_add(set, name, shown, src + bom, len - bom,
			    d) == -1)
				failed = 1;
		}
		free(name);
		free(src);
		free(shown);
		free(path);
		name = src = shown = path = NULL;
	}
	if (failed)
		goto out;
	rc = 0;
out:
	fs_names_free(names, count);
	return rc;
}

int
tmpl_has(const struct tmpl_set *set, const char *name)
{
	return set_find(set, name, strlen(name)) != NULL;
}

static size_t
set_index(const struct tmpl_set *set, const struct tmpl *t)
{
	size_t i;

	for (i = 0; set->items[i] != t; i++)
		;
	return i;
}

/*
 * Whether template from reaches template goal (indexes in the set) by
 * partials and parents that no section, inverted section or block
 * guards: such a path renders on every visit, so a cycle never ends.
 * seen and stack have room for one entry per template.
 */
static bool
reaches(const struct tmpl_set *set, size_t from, size_t goal,
    unsigned char *seen, size_t *stack)
{
	const struct tmpl *t;
	const struct node *n, *end;
	size_t depth = 0, k, u;
	bool found = false;

	memset(seen, 0, set->count);
	seen[from] = 1;
	stack[depth++] = from;
	while (depth > 0 && !found) {
		k = stack[--depth];
		found = k == goal;
		t = set->items[k];
		end = t->nodes + t->count;
		/* Stepping by size skips every subtree: only top-level tags. */
		for (n = t->nodes; n < end; n += n->size) {
			if ((n->kind != NODE_PARTIAL &&
			    n->kind != NODE_PARENT) || n->target == NULL)
				continue;
			u = set_index(set, n->target);
			if (!seen[u]) {
				seen[u] = 1;
				stack[depth++] = u;
			}
		}
	}
	return found;
}

static const char *
ref_word(const struct node *n)
{
	return n->kind == NODE_PARENT ? "parent" : "partial";
}

/* Reports the partials and parents of template i that are missing. */
static int
check_missing(const struct tmpl *t, struct diags *d)
{
	char q[TMPL_QUOTE_CHARS * 4 + 8];
	const struct node *n;
	size_t j;
	int rc = 0;

	for (j = 0; j < t->nrefs; j++) {
		n = &t->nodes[t->refs[j]];
		if (n->target != NULL)
			continue;
		diag_error(d, t->path, n->line, n->col, "missing %s \"%s\"",
		    ref_word(n), quote(q, sizeof(q), t->pool + n->off, n->len));
		rc = -1;
	}
	return rc;
}

/* Reports the unguarded tags of template i that lead back to it. */
static int
check_cycles(const struct tmpl_set *set, size_t i, unsigned char *seen,
    size_t *stack, struct diags *d)
{
	const struct tmpl *t = set->items[i];
	const struct node *n, *end = t->nodes + t->count;
	size_t u;
	int rc = 0;

	for (n = t->nodes; n < end; n += n->size) {
		if ((n->kind != NODE_PARTIAL && n->kind != NODE_PARENT) ||
		    n->target == NULL)
			continue;
		u = set_index(set, n->target);
		if (u == i)
			diag_error(d, t->path, n->line, n->col,
			    "%s \"%s\" includes itself", ref_word(n), t->name);
		else if (reaches(set, u, i, seen, stack))
			diag_error(d, t->path, n->line, n->col,
			    "template \"%s\" includes itself through %s \"%s\"",
			    t->name, ref_word(n), n->target->name);
		else
			continue;
		rc = -1;
	}
	return rc;
}

int
tmpl_check(const struct tmpl_set *set, struct diags *d)
{
	unsigned char *seen = xmalloc(set->count);
	size_t *stack = xreallocarray(NULL, set->count, sizeof(*stack));
	size_t i;
	int rc = 0;

	for (i = 0; i < set->count; i++) {
		if (check_missing(set->items[i], d) == -1)
			rc = -1;
		if (check_cycles(set, i, seen, stack, d) == -1)
			rc = -1;
	}
	free(seen);
	free(stack);
	return rc;
}

static bool
name_known(const char *name, size_t len, const char *const *known)
{
	size_t i;

	if (len == 1 && name[0] == '.')
		return true;
	for (i = 0; i < len && name[i] >= '0' && name[i] <= '9'; i++)
		;
	if (i == len)
		return true;	/* a list index */
	for (; *known != NULL; known++)
		if (strlen(*known) == len && memcmp(*known, name, len) == 0)
			return true;
	return false;
}

/* Reports the first part of node n's name that is not known, if any. */
static int
check_node_name(const struct tmpl *t, const struct node *n,
    const char *const *known, size_t nknown, struct diags *d)
{
	char q[TMPL_QUOTE_CHARS * 4 + 8], part[TMPL_QUOTE_CHARS * 4 + 8];
	const char *name = t->pool + n->off, *end = name + n->len, *p, *dot;
	const char *guess;

	for (p = name; p < end; p = dot + 1) {
		dot = memchr(p, '.', (size_t)(end - p));
		if (dot == NULL || (n->len == 1 && *name == '.'))
			dot = end;
		if (name_known(p, (size_t)(dot - p), known))
			continue;
		quote(part, sizeof(part), p, (size_t)(dot - p));
		guess = suggest(part, known, nknown);
		diag_error(d, t->path, n->line, n->col, "unknown %s \"%s\": "
		    "no page has \"%s\"%s%s%s", n->kind == NODE_VAR ||
		    n->kind == NODE_RAW ? "variable" : "section",
		    quote(q, sizeof(q), name, n->len), part,
		    guess ? " (did you mean \"" : "", guess ? guess : "",
		    guess ? "\"?)" : "");
		return -1;
	}
	return 0;
}

int
tmpl_check_names(const struct tmpl_set *set, const char *const *known,
    struct diags *d)
{
	const struct tmpl *t;
	const struct node *n;
	size_t i, j, nknown = 0;
	int rc = 0;

	while (known[nknown] != NULL)
		nknown++;
	for (i = 0; i < set->count; i++) {
		t = set->items[i];
		for (j = 0; j < t->count; j++) {
			n = &t->nodes[j];
			if ((n->kind == NODE_VAR || n->kind == NODE_RAW ||
			    n->kind == NODE_SECTION ||
			    n->kind == NODE_INVERTED) &&
			    check_node_name(t, n, known, nknown, d) == -1)
				rc = -1;
		}
	}
	return rc;
}

/*
 * Hashes each template reachable from start once, in the order their
 * tags first appear (depth first), so the result is stable; a missing
 * partial hashes its name, so adding it later changes the fingerprint.
 */
uint64_t
tmpl_fingerprint(const struct tmpl_set *set, const char *name)
{
	const struct tmpl *start = set_find(set, name, strlen(name)), *t;
	unsigned char *seen = NULL;
	size_t *stack = NULL, depth = 0, j, k;
	const struct node *n;
	XXH3_state_t *state = NULL;
	uint64_t h = 0;

	if (start == NULL)
		goto out;
	seen = xcalloc(set->count, 1);
	stack = xreallocarray(NULL, set->count, sizeof(*stack));
	if ((state = XXH3_createState()) == NULL ||
	    XXH3_64bits_reset(state) == XXH_ERROR)
		goto out;
	k = set_index(set, start);
	seen[k] = 1;
	stack[depth++] = k;
	while (depth > 0) {
		t = set->items[stack[--depth]];
		XXH3_64bits_update(state, t->name, strlen(t->name) + 1);
		XXH3_64bits_update(state, &t->hash, sizeof(t->hash));
		/* Push in reverse so the first tag is visited first. */
		for (j = t->nrefs; j > 0; j--) {
			n = &t->nodes[t->refs[j - 1]];
			if (n->target == NULL) {
				XXH3_64bits_update(state, "\1", 1);
				XXH3_64bits_update(state, t->pool + n->off,
				    n->len);
				continue;
			}
			k = set_index(set, n->target);
			if (!seen[k]) {
				seen[k] = 1;
				stack[depth++] = k;
			}
		}
	}
	h = XXH3_64bits_digest(state);
	if (h == 0)
		h = 1;		/* 0 means "unknown template" */
out:
	XXH3_freeState(state);
	free(seen);
	free(stack);
	return h;
}

/*
 * Rendering.  The context stack, the indentation to add at line starts
 * and the block overrides in force are linked lists whose links live in
 * the frames of the render functions: no allocation while rendering.
 */
struct ctx {
	const struct val *value;
	const struct ctx *up;		/* the enclosing context, or NULL */
};

struct indent {
	const char *text;
	size_t	 len;
	const struct indent *outer;	/* added before this one, or NULL */
};

/* The blocks a parent tag passes down, and those passed to it. */
struct scope {
	const struct tmpl *tmpl;	/* holds the parent node */
	const struct node *parent;
	const struct scope *outer;	/* these win over ours */
};

enum render_stop {
	RENDER_GOING,
	RENDER_TOO_DEEP,		/* TMPL_MAX_DEPTH was reached */
	RENDER_TOO_LARGE,		/* the output passed max bytes */
};

struct render {
	struct buf *out;		/* borrowed; appended to */
	size_t	 start;			/* out's length before */
	size_t	 max;			/* bytes it may grow by */
	unsigned depth;			/* nested render_nodes calls */
	bool	 line_start;		/* the template starts a line here */
	enum render_stop stop;
	const struct tmpl *at_tmpl;	/* where it stopped, once known */
	const struct node *at;
};

static void render_nodes(struct render *, const struct tmpl *,
    const struct node *, const struct node *, const struct ctx *,
    const struct scope *, const struct indent *);

static void
put_indent(struct render *r, const struct indent *in)
{
	if (in == NULL)
		return;
	put_indent(r, in->outer);
	buf_append(r->out, in->text, in->len);
}

/*
 * Something of the template is about to print: if a line starts here,
 * indent it first.  Spec: a standalone partial's indentation goes before
 * every line of it, however the line begins.
 */
static void
start_line(struct render *r, const struct indent *in)
{
	if (r->line_start)
		put_indent(r, in);
	r->line_start = false;
}

static void
put_text(struct render *r, const struct indent *in, const char *s,
    size_t len)
{
	const char *nl;
	size_t n;

	if (len == 0)
		return;
	if (in == NULL) {
		buf_append(r->out, s, len);
		r->line_start = s[len - 1] == '\n';
		return;
	}
	while (len > 0) {
		/* Empty lines stay empty: no trailing blanks in the output. */
		if (!r->line_start || (s[0] != '\n' && !(s[0] == '\r' &&
		    len > 1 && s[1] == '\n')))
			start_line(r, in);
		nl = memchr(s, '\n', len);
		n = nl != NULL ? (size_t)(nl - s) + 1 : len;
		buf_append(r->out, s, n);
		s += n;
		len -= n;
		r->line_start = nl != NULL;
	}
}

/*
 * Resolves a name against the context stack, as the spec says: "." is
 * the top; otherwise the first part is looked up from the top down, and
 * the rest of a dotted name only inside what that found.
 */
static const struct val *
lookup(const struct ctx *c, const char *name, size_t len)
{
	const struct val *v = NULL;
	const char *dot, *end = name + len;
	size_t n;

	if (len == 1 && name[0] == '.')
		return c->value;
	dot = memchr(name, '.', len);
	n = dot != NULL ? (size_t)(dot - name) : len;
	for (; c != NULL && v == NULL; c = c->up)
		v = val_get(c->value, name, n);
	while (v != NULL && dot != NULL) {
		name = dot + 1;
		dot = memchr(name, '.', (size_t)(end - name));
		n = dot != NULL ? (size_t)(dot - name) : (size_t)(end - name);
		v = val_get(v, name, n);
	}
	return v;
}

static void
put_value(struct render *r, const struct val *v, bool escape)
{
	const char *s;
	size_t len;

	switch (val_kind(v)) {
	case VAL_STRING:
		s = val_text(v, &len);
		if (escape)
			buf_put_html(r->out, s, len);
		else
			buf_append(r->out, s, len);
		break;
	case VAL_BOOL:
		buf_puts(r->out, val_truthy(v) ? "true" : "false");
		break;
	default:
		break;
	}
}

/* Adds a node's indentation to in, in the frame the caller provides. */
static const struct indent *
push_indent(struct indent *frame, const struct tmpl *t, const struct node *n,
    const struct indent *in)
{
	if (n->indent_len == 0)
		return in;
	frame->text = t->pool + n->indent_off;
	frame->len = n->indent_len;
	frame->outer = in;
	return frame;
}

static void
render_section(struct render *r, const struct tmpl *t, const struct node *n,
    const struct ctx *c, const struct scope *s, const struct indent *in)
{
	const struct val *v = lookup(c, t->pool + n->off, n->len);
	struct ctx inner = { v, c };
	size_t i, count;

	if (!val_truthy(v))
		return;
	if (val_kind(v) != VAL_LIST) {
		render_nodes(r, t, n + 1, n + n->size, &inner, s, in);
		return;
	}
	count = val_list_count(v);
	for (i = 0; i < count && r->stop == RENDER_GOING; i++) {
		inner.value = val_list_item(v, i);
		render_nodes(r, t, n + 1, n + n->size, &inner, s, in);
	}
}

/*
 * Renders a block: the outermost override of its name that a parent tag
 * passed down, else its own content.  Either way it renders here, in
 * this context and at this block's indentation.
 */
static void
render_block(struct render *r, const struct tmpl *t, const struct node *n,
    const struct ctx *c, const struct scope *s, const struct indent *in)
{
	const struct tmpl *bt = t;
	const struct node *b = n, *k, *end;
	const struct scope *sc;
	struct indent frame;

	for (sc = s; sc != NULL; sc = sc->outer) {
		end = sc->parent + sc->parent->size;
		for (k = sc->parent + 1; k < end; k += k->size)
			if (k->kind == NODE_BLOCK && k->len == n->len &&
			    memcmp(sc->tmpl->pool + k->off, t->pool + n->off,
			    n->len) == 0) {
				bt = sc->tmpl;
				b = k;
				break;
			}
	}
	render_nodes(r, bt, b + 1, b + b->size, c, s,
	    push_indent(&frame, t, n, in));
	/* Alone on its line with its end tag: it keeps the line's end. */
	if ((n->flags & NF_PAIR) && !r->line_start) {
		buf_append(r->out, t->pool + n->eol_off, n->eol_len);
		r->line_start = n->eol_len > 0;
	}
}

static void
render_node(struct render *r, const struct tmpl *t, const struct node *n,
    const struct ctx *c, const struct scope *s, const struct indent *in)
{
	const struct tmpl *target = n->target;
	struct indent frame;
	struct scope inner;

	if (n->kind != NODE_TEXT && !(n->flags & NF_STANDALONE))
		start_line(r, in);
	switch ((enum node_kind)n->kind) {
	case NODE_TEXT:
		put_text(r, in, t->pool + n->off, n->len);
		break;
	case NODE_VAR:
	case NODE_RAW:
		put_value(r, lookup(c, t->pool + n->off, n->len),
		    n->kind == NODE_VAR);
		break;
	case NODE_SECTION:
		render_section(r, t, n, c, s, in);
		break;
	case NODE_INVERTED:
		if (!val_truthy(lookup(c, t->pool + n->off, n->len)))
			render_nodes(r, t, n + 1, n + n->size, c, s, in);
		break;
	case NODE_PARTIAL:
		/* Spec: a partial is a parent that overrides nothing. */
		if (target != NULL)
			render_nodes(r, target, target->nodes,
			    target->nodes + target->count, c, s,
			    push_indent(&frame, t, n, in));
		break;
	case NODE_PARENT:
		inner.tmpl = t;
		inner.parent = n;
		inner.outer = s;
		if (target != NULL)
			render_nodes(r, target, target->nodes,
			    target->nodes + target->count, c, &inner,
			    push_indent(&frame, t, n, in));
		break;
	case NODE_BLOCK:
		render_block(r, t, n, c, s, in);
		break;
	}
	/* The innermost tag that went too far is where it stopped. */
	if (r->stop != RENDER_GOING && r->at == NULL) {
		r->at_tmpl = t;
		r->at = n;
	}
}

static void
render_nodes(struct render *r, const struct tmpl *t, const struct node *first,
    const struct node *end, const struct ctx *c, const struct scope *s,
    const struct indent *in)
{
	const struct node *n;

	if (++r->depth > TMPL_MAX_DEPTH)
		r->stop = RENDER_TOO_DEEP;
	for (n = first; n < end && r->stop == RENDER_GOING; n += n->size) {
		render_node(r, t, n, c, s, in);
		if (r->stop == RENDER_GOING &&
		    r->out->len - r->start > r->max) {
			r->stop = RENDER_TOO_LARGE;
			r->at_tmpl = t;
			r->at = n;
		}
	}
	r->depth--;
}

/* Renders t; returns 0, or -1 with r->stop saying why, out as it was. */
static int
render_all(struct render *r, const struct tmpl *t, const struct val *view)
{
	struct ctx root = { view, NULL };

	r->start = r->out->len;
	r->line_start = true;
	render_nodes(r, t, t->nodes, t->nodes + t->count, &root, NULL, NULL);
	if (r->stop == RENDER_GOING)
		return 0;
	buf_truncate(r->out, r->start);
	return -1;
}

int
tmpl_render(const struct tmpl_set *set, const char *name,
    const struct val *view, struct buf *out)
{
	const struct tmpl *t = set_find(set, name, strlen(name));
	struct render r = { .out = out, .max = SIZE_MAX };

	return t != NULL ? render_all(&r, t, view) : -1;
}

int
tmpl_render_page(const struct tmpl_set *set, const char *name,
    const struct val *view, size_t max, const char *page, struct buf *out,
    struct diags *d)
{
	const struct tmpl *t = set_find(set, name, strlen(name));
	struct render r = { .out = out, .max = max };
	int rc = -1;

	if (t == NULL) {
		diag_error(d, page, 0, 0, "no template \"%s\"", name);
		goto out;
	}
	if (render_all(&r, t, view) == 0) {
		rc = 0;
		goto out;
	}
	if (r.stop == RENDER_TOO_DEEP)
		diag_error(d, r.at_tmpl->path, r.at->line, r.at->col,
		    "rendering %s: sections, partials and blocks nest more "
		    "than %d deep", page, TMPL_MAX_DEPTH);
	else
		diag_error(d, r.at_tmpl->path, r.at->line, r.at->col,
		    "rendering %s: the page grows past max_page_size (%zu "
		    "bytes)", page, max);
out:
	return rc;
}
