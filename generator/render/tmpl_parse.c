/*
 * Mustache, compiled once and rendered many times: the compiler.
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
 * Passes 3 and 4 are the spec's whitespace rules, in tmpl_space.c.
 */
#include "tmpl_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "../util/utf8.h"
#include "../util/xalloc.h"

const struct tmpl_kind tmpl_kinds[] = {
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

const char *
tmpl_quote(char *out, size_t size, const char *s, size_t len)
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
	char q[TMPL_QUOTE_SIZE];
	size_t i;

	if (t->kind == TOK_COMMENT || t->kind == TOK_DELIM)
		return;
	if (t->len == 0) {
		compile_error(c, t->line, t->col, "empty tag name");
		return;
	}
	for (i = 0; i < t->len; i++)
		if (is_space(s[i])) {
			compile_error(c, t->line, t->col, "invalid tag name "
			    "\"%s\" (names cannot hold spaces)",
			    tmpl_quote(q, sizeof(q), s, t->len));
			return;
		}
	if ((t->kind == TOK_PARTIAL || t->kind == TOK_PARENT) && s[0] == '*') {
		compile_error(c, t->line, t->col,
		    "dynamic names are not supported (\"%s\")",
		    tmpl_quote(q, sizeof(q), s, t->len));
		return;
	}
	if ((t->kind == TOK_VAR || t->kind == TOK_RAW ||
	    t->kind == TOK_SECTION || t->kind == TOK_INVERTED) &&
	    !name_valid(s, t->len))
		compile_error(c, t->line, t->col, "invalid name \"%s\"",
		    tmpl_quote(q, sizeof(q), s, t->len));
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
	char q[TMPL_QUOTE_SIZE];
	size_t o1, l1, o2, l2;

	if (parse_delimiters(s, t->len, &o1, &l1, &o2, &l2) == -1) {
		compile_error(c, t->line, t->col, "bad delimiter change \"%s\" "
		    "(expected two delimiters separated by a space)",
		    tmpl_quote(q, sizeof(q), s, t->len));
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
	char q1[TMPL_QUOTE_SIZE], q2[TMPL_QUOTE_SIZE];
	const char *src = c->pool.data;
	size_t j;

	if (*depth == 0) {
		compile_error(c, t->line, t->col, "unexpected closing tag "
		    "\"%s\" (no section is open)",
		    tmpl_quote(q1, sizeof(q1), src + t->off, t->len));
		return;
	}
	top = &c->toks[stack[*depth - 1].tok];
	if (!same_name(c, t, top)) {
		compile_error(c, t->line, t->col, "mismatched closing tag "
		    "\"%s\" (expected \"%s\", opened at %u:%u)",
		    tmpl_quote(q1, sizeof(q1), src + t->off, t->len),
		    tmpl_quote(q2, sizeof(q2), src + top->off, top->len),
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
	char q[TMPL_QUOTE_SIZE];
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
		if (!tmpl_kinds[t->kind].opens)
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
		    tmpl_kinds[o->kind].word,
		    tmpl_quote(q, sizeof(q), c->pool.data + o->off, o->len));
		close_section(c, &stack[depth]);
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

void
tmpl_discard(struct tmpl *t)
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

struct tmpl *
tmpl_compile(const char *name, const char *path, const char *src, size_t len,
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
	tmpl_cut_standalone(&c);
	tmpl_dedent_blocks(&c);
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

