/*
 * Diagnostics: content and template errors are data.  Parsers append
 * them and carry on, so one run reports every problem; only main prints
 * them and picks the exit code.  Tests assert on the formatted text.
 */
#ifndef JICENG_DIAG_H
#define JICENG_DIAG_H

#include <stddef.h>

enum diag_level {
	DIAG_ERROR,
	DIAG_WARNING,
	DIAG_NOTE,
	DIAG_DETAIL,		/* a note for whoever asks for every one */
};

struct diag {
	enum diag_level level;
	char	*path;		/* owned; relative to the site folder */
	unsigned line;		/* 1-based; 0 when the whole file is meant */
	unsigned col;		/* 1-based, in characters; 0 when unknown */
	char	*message;	/* owned; one line, lowercase, no period */
};

struct diags {
	struct diag *items;	/* owned */
	size_t	 count;
	size_t	 cap;
	size_t	 errors;	/* how many items are DIAG_ERROR */
};

#define DIAGS_INIT { NULL, 0, 0, 0 }

void	diag_add(struct diags *d, enum diag_level level, const char *path,
	    unsigned line, unsigned col, const char *fmt, ...)
	    __attribute__((format(printf, 6, 7)));
#define diag_error(d, path, line, col, ...) \
	diag_add((d), DIAG_ERROR, (path), (line), (col), __VA_ARGS__)
#define diag_warning(d, path, line, col, ...) \
	diag_add((d), DIAG_WARNING, (path), (line), (col), __VA_ARGS__)
/* Moves every item of src to the end of dst, leaving src empty. */
void	diags_move(struct diags *dst, struct diags *src);
/* Removes (and frees) every item of level. */
void	diags_remove(struct diags *d, enum diag_level level);
/* Orders by path, line, column so parallel stages report stably. */
void	diags_sort(struct diags *d);
/* Returns "path:line:col: error: message" (caller frees). */
char	*diag_format(const struct diag *item);
void	diags_print(const struct diags *d, void *stream);
/*
 * Prints every error and notice but at most max warnings (every one when
 * max is 0); returns how many warnings it left out.
 */
size_t	diags_print_some(const struct diags *d, size_t max, void *stream);
void	diags_free(struct diags *d);

/*
 * Column of byte offset off in the line starting at line_start, counted in
 * characters (code points) and 1-based, as messages people read expect.
 */
unsigned diag_column(const char *line_start, size_t off);

#endif
