/*
 * YAML documents for the loaders: a thin layer over libyaml's document
 * API that turns its 0-based marks into the 1-based line:col of the file
 * the YAML came from, and reports problems as diagnostics.
 */
#ifndef JICENG_YDOC_H
#define JICENG_YDOC_H

#include <stdbool.h>
#include <stddef.h>
#include <yaml.h>

#include "../util/diag.h"

struct ydoc {
	yaml_document_t doc;
	bool	 loaded;	/* doc must be deleted */
	const char *path;	/* borrowed; for diagnostics */
	unsigned line_offset;	/* file line of the YAML's first line, less 1 */
};

/*
 * Collections open at once: deeper is surely hostile, and costs libyaml
 * time on the square of the depth.
 */
#define YDOC_MAX_DEPTH		64

/*
 * Parses len bytes of text taken from path, starting at file line
 * line_offset + 1: its first document.  Returns 0, or -1 after adding an
 * error to d (also when collections nest more than YDOC_MAX_DEPTH deep,
 * at the one too many).  An empty text gives a document with no root.
 * Free with ydoc_free.
 */
int	 ydoc_load(struct ydoc *y, const char *path, unsigned line_offset,
	    const char *text, size_t len, struct diags *d);
/*
 * Parses the whole of a YAML file's text (len bytes, named path in
 * messages): UTF-8 checked, a byte-order mark it starts with skipped.
 */
int	 ydoc_load_text(struct ydoc *y, const char *path, const char *text,
	    size_t len, struct diags *d);
/*
 * Reads the file at fspath (named path in messages), refusing one larger
 * than max bytes or not regular, and parses it, after a byte-order mark
 * if it starts with one; *text holds its bytes, which the document
 * points into (caller frees, after ydoc_free).  Returns 0, or -1 after
 * adding an error to d.
 */
int	 ydoc_load_file(struct ydoc *y, const char *fspath, const char *path,
	    size_t max, char **text, struct diags *d);
void	 ydoc_free(struct ydoc *y);

yaml_node_t *ydoc_root(struct ydoc *y);
yaml_node_t *ydoc_node(struct ydoc *y, int id);

/* Adds an error at node's start. */
void	 ydoc_error(struct ydoc *y, struct diags *d, const yaml_node_t *node,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* The 1-based file line and column of node. */
unsigned ydoc_line(const struct ydoc *y, const yaml_node_t *node);
unsigned ydoc_col(const yaml_node_t *node);

/* The scalar's text (borrowed from the document), or NULL. */
const char *ydoc_scalar(const yaml_node_t *node);
/* Whether node is a plain null (~, null, Null, NULL, or empty). */
bool	 ydoc_is_null(const yaml_node_t *node);
/*
 * Reads a boolean scalar (true/false and their capitalised forms) into *b.
 * Returns 0, or -1 when the node is not one.
 */
int	 ydoc_bool(const yaml_node_t *node, bool *b);

#endif
