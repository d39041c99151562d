/*
 * Rendering: the nodes of a template and a view into text.  Its state
 * lives on the C stack, so threads can share a set.
 */
#include "tmpl_internal.h"

#include <stdint.h>
#include <string.h>

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
	const struct tmpl *t = tmpl_find(set, name, strlen(name));
	struct render r = { .out = out, .max = SIZE_MAX };

	return t != NULL ? render_all(&r, t, view) : -1;
}

int
tmpl_render_page(const struct tmpl_set *set, const char *name,
    const struct val *view, size_t max, const char *page, struct buf *out,
    struct diags *d)
{
	const struct tmpl *t = tmpl_find(set, name, strlen(name));
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

