#include "diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

void
diag_add(struct diags *d, enum diag_level level, const char *path,
    unsigned line, unsigned col, const char *fmt, ...)
{
	struct diag *item;
	va_list ap;
	int n;

	if (d->count == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 8;
		d->items = xreallocarray(d->items, d->cap, sizeof(*d->items));
	}
	item = &d->items[d->count++];
	item->level = level;
	item->path = xstrdup(path ? path : "");
	item->line = line;
	item->col = col;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	item->message = xmalloc(n > 0 ? (size_t)n + 1 : 1);
	va_start(ap, fmt);
	vsnprintf(item->message, n > 0 ? (size_t)n + 1 : 1, fmt, ap);
	va_end(ap);
	if (level == DIAG_ERROR)
		d->errors++;
}

void
diags_move(struct diags *dst, struct diags *src)
{
	size_t i;

	for (i = 0; i < src->count; i++) {
		if (dst->count == dst->cap) {
			dst->cap = dst->cap ? dst->cap * 2 : 8;
			dst->items = xreallocarray(dst->items, dst->cap,
			    sizeof(*dst->items));
		}
		dst->items[dst->count++] = src->items[i];
	}
	dst->errors += src->errors;
	free(src->items);
	src->items = NULL;
	src->count = src->cap = src->errors = 0;
}

static int
diag_compare(const void *a, const void *b)
{
	const struct diag *x = a, *y = b;
	int c = strcmp(x->path, y->path);

	if (c != 0)
		return c;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return strcmp(x->message, y->message);
}

void
diags_sort(struct diags *d)
{
	if (d->count > 1)
		qsort(d->items, d->count, sizeof(*d->items), diag_compare);
}

static const char *const level_names[] = {
	[DIAG_ERROR] = "error",
	[DIAG_WARNING] = "warning",
	[DIAG_NOTE] = "note",
	[DIAG_DETAIL] = "note",
};

char *
diag_format(const struct diag *item)
{
	const char *level = level_names[item->level];

	if (item->line == 0)
		return xasprintf("%s: %s: %s", item->path, level, item->message);
	if (item->col == 0)
		return xasprintf("%s:%u: %s: %s", item->path, item->line,
		    level, item->message);
	return xasprintf("%s:%u:%u: %s: %s", item->path, item->line,
	    item->col, level, item->message);
}

void
diags_remove(struct diags *d, enum diag_level level)
{
	size_t i, kept = 0;

	for (i = 0; i < d->count; i++) {
		if (d->items[i].level != level) {
			d->items[kept++] = d->items[i];
			continue;
		}
		free(d->items[i].path);
		free(d->items[i].message);
	}
	d->count = kept;
}

void
diags_print(const struct diags *d, void *stream)
{
	diags_print_some(d, 0, stream);
}

size_t
diags_print_some(const struct diags *d, size_t max, void *stream)
{
	size_t i, warnings = 0;
	char *s;

	for (i = 0; i < d->count; i++) {
		if (d->items[i].level == DIAG_WARNING && max > 0 &&
		    ++warnings > max)
			continue;
		s = diag_format(&d->items[i]);
		fprintf(stream, "%s\n", s);
		free(s);
	}
	return warnings > max ? warnings - max : 0;
}

void
diags_free(struct diags *d)
{
	size_t i;

	for (i = 0; i < d->count; i++) {
		free(d->items[i].path);
		free(d->items[i].message);
	}
	free(d->items);
	d->items = NULL;
	d->count = d->cap = d->errors = 0;
}

unsigned
diag_column(const char *line_start, size_t off)
{
	unsigned col = 1;
	size_t i;

	/* Count bytes that start a code point: all but 10xxxxxx. */
	for (i = 0; i < off; i++)
		if (((unsigned char)line_start[i] & 0xC0) != 0x80)
			col++;
	return col;
}
