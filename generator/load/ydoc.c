#include "ydoc.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/fs.h"
#include "../util/utf8.h"
#include "../util/xalloc.h"

int
ydoc_load(struct ydoc *y, const char *path, unsigned line_offset,
    const char *text, size_t len, struct diags *d)
{
	yaml_parser_t parser;
	int rc = -1;

	memset(y, 0, sizeof(*y));
	y->path = path;
	y->line_offset = line_offset;
	if (!yaml_parser_initialize(&parser)) {
		diag_error(d, path, 0, 0, "cannot start the YAML parser");
		return -1;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, &y->doc)) {
		diag_error(d, path, line_offset + (unsigned)parser.problem_mark.line + 1,
		    (unsigned)parser.problem_mark.column + 1,
		    "malformed YAML: %s%s%s",
		    parser.problem ? parser.problem : "unknown problem",
		    parser.context ? " " : "",
		    parser.context ? parser.context : "");
		goto out;
	}
	y->loaded = true;
	rc = 0;
out:
	yaml_parser_delete(&parser);
	return rc;
}

int
ydoc_load_file(struct ydoc *y, const char *fspath, const char *path,
    char **text, struct diags *d)
{
	size_t len, bad;

	if (fs_read(fspath, text, &len) == -1) {
		diag_error(d, path, 0, 0, "cannot read: %s", strerror(errno));
		return -1;
	}
	if ((bad = utf8_invalid_at(*text, len)) != len) {
		diag_error(d, path, 0, 0, "invalid UTF-8 at byte %zu", bad);
		return -1;
	}
	return ydoc_load(y, path, 0, *text, len, d);
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
