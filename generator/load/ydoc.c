#include "ydoc.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/fs.h"
#include "../util/strmap.h"
#include "../util/utf8.h"
#include "../util/xalloc.h"

/*
 * The document is built here from libyaml's events rather than by
 * yaml_parser_load, so that nesting is counted as it arrives: libyaml
 * spends time on the square of the depth, and 100,000 nested "[" took
 * seconds before any error.  What yaml_parser_load does besides (marks,
 * default tags, anchors and aliases) is done the same way.
 */
struct loader {
	yaml_parser_t parser;
	struct ydoc *y;
	struct diags *d;
	int	 open[YDOC_MAX_DEPTH];	/* the collections open, outermost
					   first */
	int	 key[YDOC_MAX_DEPTH];	/* a mapping's key awaiting its value,
					   or 0 */
	size_t	 depth;
	struct strmap anchors;	/* name to node; a later anchor of a
				   name replaces the earlier */
};

static void
load_error(struct loader *l, const yaml_mark_t *at, const char *what)
{
	diag_error(l->d, l->y->path, l->y->line_offset +
	    (unsigned)at->line + 1, (unsigned)at->column + 1, "%s", what);
}

static void
parse_error(struct loader *l)
{
	const yaml_parser_t *p = &l->parser;

	diag_error(l->d, l->y->path, l->y->line_offset +
	    (unsigned)p->problem_mark.line + 1,
	    (unsigned)p->problem_mark.column + 1, "malformed YAML: %s%s%s",
	    p->problem ? p->problem : "unknown problem",
	    p->context ? " " : "", p->context ? p->context : "");
}

/* The tag a node gets: its own, or the default for its kind. */
static const yaml_char_t *
tag_of(const yaml_char_t *tag, const char *fallback)
{
	if (tag == NULL || strcmp((const char *)tag, "!") == 0)
		return (const yaml_char_t *)fallback;
	return tag;
}

static int
remember_anchor(struct loader *l, const yaml_char_t *name, int node)
{
	const char *s = (const char *)name;

	if (s != NULL)
		strmap_put(&l->anchors, s, strlen(s), NULL)->value =
		    (void *)(intptr_t)node;
	return 0;
}

/* The node an alias names: the latest anchor of that name, or 0. */
static int
find_anchor(const struct loader *l, const yaml_char_t *name)
{
	const char *s = (const char *)name;
	const struct strmap_entry *e;

	e = strmap_get(&l->anchors, s, strlen(s));
	return e != NULL ? (int)(intptr_t)e->value : 0;
}

/* Puts node into the collection open innermost; the first is the root. */
static int
attach(struct loader *l, int node)
{
	yaml_document_t *doc = &l->y->doc;
	int parent, ok = 1;

	if (l->depth == 0)
		return 0;
	parent = l->open[l->depth - 1];
	if (doc->nodes.start[parent - 1].type == YAML_SEQUENCE_NODE)
		ok = yaml_document_append_sequence_item(doc, parent, node);
	else if (l->key[l->depth - 1] == 0)
		l->key[l->depth - 1] = node;
	else {
		ok = yaml_document_append_mapping_pair(doc, parent,
		    l->key[l->depth - 1], node);
		l->key[l->depth - 1] = 0;
	}
	return ok ? 0 : -1;
}

/* Adds the node an event starts, with its marks; its id, or 0. */
static int
add_node(struct loader *l, const yaml_event_t *ev)
{
	yaml_document_t *doc = &l->y->doc;
	int id = 0;

	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		if (ev->data.scalar.length > INT_MAX)
			return 0;
		id = yaml_document_add_scalar(doc, tag_of(ev->data.scalar.tag,
		    YAML_DEFAULT_SCALAR_TAG), ev->data.scalar.value,
		    (int)ev->data.scalar.length, ev->data.scalar.style);
		break;
	case YAML_SEQUENCE_START_EVENT:
		id = yaml_document_add_sequence(doc, tag_of(
		    ev->data.sequence_start.tag, YAML_DEFAULT_SEQUENCE_TAG),
		    ev->data.sequence_start.style);
		break;
	case YAML_MAPPING_START_EVENT:
		id = yaml_document_add_mapping(doc, tag_of(
		    ev->data.mapping_start.tag, YAML_DEFAULT_MAPPING_TAG),
		    ev->data.mapping_start.style);
		break;
	default:
		break;
	}
	if (id != 0) {
		doc->nodes.start[id - 1].start_mark = ev->start_mark;
		doc->nodes.start[id - 1].end_mark = ev->end_mark;
	}
	return id;
}

/* Takes one event: 1 to go on, 0 at the document's end, -1 on error. */
static int
take_event(struct loader *l, const yaml_event_t *ev)
{
	const yaml_char_t *anchor = NULL;
	int id;

	switch (ev->type) {
	case YAML_STREAM_START_EVENT:
	case YAML_DOCUMENT_START_EVENT:
		return 1;
	case YAML_DOCUMENT_END_EVENT:
	case YAML_STREAM_END_EVENT:
		return 0;
	case YAML_ALIAS_EVENT:
		if ((id = find_anchor(l, ev->data.alias.anchor)) == 0) {
			load_error(l, &ev->start_mark, "malformed YAML: found "
			    "undefined alias");
			return -1;
		}
		return attach(l, id) == 0 ? 1 : -1;
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		l->depth--;
		l->y->doc.nodes.start[l->open[l->depth] - 1].end_mark =
		    ev->end_mark;
		return 1;
	case YAML_SCALAR_EVENT:
		anchor = ev->data.scalar.anchor;
		break;
	case YAML_SEQUENCE_START_EVENT:
		anchor = ev->data.sequence_start.anchor;
		break;
	case YAML_MAPPING_START_EVENT:
		anchor = ev->data.mapping_start.anchor;
		break;
	default:
		load_error(l, &ev->start_mark, "malformed YAML: unknown event");
		return -1;
	}
	if (ev->type != YAML_SCALAR_EVENT && l->depth == YDOC_MAX_DEPTH) {
		diag_error(l->d, l->y->path, l->y->line_offset +
		    (unsigned)ev->start_mark.line + 1,
		    (unsigned)ev->start_mark.column + 1, "YAML nested more "
		    "than %d levels deep", YDOC_MAX_DEPTH);
		return -1;
	}
	if ((id = add_node(l, ev)) == 0 || attach(l, id) == -1) {
		load_error(l, &ev->start_mark, "malformed YAML: cannot hold "
		    "this node");
		return -1;
	}
	remember_anchor(l, anchor, id);
	if (ev->type != YAML_SCALAR_EVENT) {
		l->key[l->depth] = 0;
		l->open[l->depth++] = id;
	}
	return 1;
}

int
ydoc_load(struct ydoc *y, const char *path, unsigned line_offset,
    const char *text, size_t len, struct diags *d)
{
	struct loader l;
	yaml_event_t ev;
	int rc = -1, more = 1;

	memset(y, 0, sizeof(*y));
	y->path = path;
	y->line_offset = line_offset;
	memset(&l, 0, sizeof(l));
	l.y = y;
	l.d = d;
	if (!yaml_parser_initialize(&l.parser)) {
		diag_error(d, path, 0, 0, "cannot start the YAML parser");
		return -1;
	}
	yaml_parser_set_input_string(&l.parser, (const unsigned char *)text,
	    len);
	if (!yaml_document_initialize(&y->doc, NULL, NULL, NULL, 1, 1)) {
		diag_error(d, path, 0, 0, "cannot start a YAML document");
		goto out;
	}
	y->loaded = true;
	while (more == 1) {
		if (!yaml_parser_parse(&l.parser, &ev)) {
			parse_error(&l);
			goto out;
		}
		more = take_event(&l, &ev);
		yaml_event_delete(&ev);
	}
	if (more == -1)
		goto out;
	rc = 0;
out:
	if (rc == -1)
		ydoc_free(y);
	strmap_free(&l.anchors);
	yaml_parser_delete(&l.parser);
	return rc;
}

int
ydoc_load_text(struct ydoc *y, const char *path, const char *text,
    size_t len, struct diags *d)
{
	size_t bad, bom;

	memset(y, 0, sizeof(*y));
	if ((bad = utf8_invalid_at(text, len)) != len) {
		diag_error(d, path, 0, 0, "invalid UTF-8 at byte %zu", bad);
		return -1;
	}
	bom = utf8_bom_length(text, len);
	return ydoc_load(y, path, 0, text + bom, len - bom, d);
}

int
ydoc_load_file(struct ydoc *y, const char *fspath, const char *path,
    size_t max, char **text, struct diags *d)
{
	size_t len = 0;

	memset(y, 0, sizeof(*y));
	if (fs_read_max(fspath, max, text, &len) == -1) {
		fs_read_failed(d, path, errno, len, max);
		return -1;
	}
	return ydoc_load_text(y, path, *text, len, d);
}

void
ydoc_free(struct ydoc *y)
{
	if (y->loaded)
		yaml_document_delete(&y->doc);
	y->loaded = false;
}

yaml_node_t *
ydoc_root(struct ydoc *y)
{
	return y->loaded ? yaml_document_get_root_node(&y->doc) : NULL;
}

yaml_node_t *
ydoc_node(struct ydoc *y, int id)
{
	return yaml_document_get_node(&y->doc, id);
}

unsigned
ydoc_line(const struct ydoc *y, const yaml_node_t *node)
{
	return y->line_offset + (unsigned)node->start_mark.line + 1;
}

unsigned
ydoc_col(const yaml_node_t *node)
{
	/* libyaml counts columns in characters, from 0. */
	return (unsigned)node->start_mark.column + 1;
}

void
ydoc_error(struct ydoc *y, struct diags *d, const yaml_node_t *node,
    const char *fmt, ...)
{
	va_list ap;
	char *msg;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	msg = xmalloc(n > 0 ? (size_t)n + 1 : 1);
	va_start(ap, fmt);
	vsnprintf(msg, n > 0 ? (size_t)n + 1 : 1, fmt, ap);
	va_end(ap);
	if (node != NULL)
		diag_error(d, y->path, ydoc_line(y, node), ydoc_col(node), "%s",
		    msg);
	else
		diag_error(d, y->path, y->line_offset + 1, 1, "%s", msg);
	free(msg);
}

const char *
ydoc_scalar(const yaml_node_t *node)
{
	if (node == NULL || node->type != YAML_SCALAR_NODE)
		return NULL;
	return (const char *)node->data.scalar.value;
}

bool
ydoc_is_null(const yaml_node_t *node)
{
	static const char *const nulls[] = { "", "~", "null", "Null", "NULL" };
	const char *s = ydoc_scalar(node);
	size_t i;

	if (s == NULL || node->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	for (i = 0; i < sizeof(nulls) / sizeof(nulls[0]); i++)
		if (strcmp(s, nulls[i]) == 0)
			return true;
	return false;
}

int
ydoc_bool(const yaml_node_t *node, bool *b)
{
	static const struct {
		const char *text;
		bool value;
	} words[] = {
		{ "true", true }, { "True", true }, { "TRUE", true },
		{ "false", false }, { "False", false }, { "FALSE", false },
	};
	const char *s = ydoc_scalar(node);
	size_t i;

	if (s == NULL || node->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return -1;
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		if (strcmp(s, words[i].text) == 0) {
			*b = words[i].value;
			return 0;
		}
	}
	return -1;
}
