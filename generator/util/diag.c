#include "diag.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
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

/*
 * Whether the UTF-8 sequence at s is a control that reorders or hides
 * text on a terminal: the marks and overrides of direction (U+200E,
 * U+200F, U+202A to U+202E, U+2066 to U+2069).
 */
static bool
is_bidi_control(const unsigned char *s)
{
	if (s[0] != 0xE2)
		return false;
	if (s[1] == 0x80)
		return s[2] == 0x8E || s[2] == 0x8F ||
		    (s[2] >= 0xAA && s[2] <= 0xAE);
	return s[1] == 0x81 && s[2] >= 0xA6 && s[2] <= 0xA9;
}

/*
 * A message quotes names and text from the site, which may hold control
 * characters: printed raw they would ring, erase or turn the line
 * around on the terminal, so each is written as an escape.  Frees s.
 */
static char *
escape_controls(char *s)
{
	const unsigned char *p;
	struct buf out = BUF_INIT;

	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7F || is_bidi_control(p))
			break;
	if (*p == '\0')
		return s;
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7F)
			buf_printf(&out, "\\x%02X", *p);
		else if (is_bidi_control(p)) {
			buf_printf(&out, "\\u%04X", (unsigned)((p[0] & 0x0F) << 12 |
			    (p[1] & 0x3F) << 6 | (p[2] & 0x3F)));
			p += 2;
		} else
			buf_append(&out, (const char *)p, 1);
	}
	free(s);
	return buf_detach(&out);
}

char *
diag_format(const struct diag *item)
{
	const char *level = level_names[item->level];
	char *s;

	if (item->line == 0)
		s = xasprintf("%s: %s: %s", item->path, level, item->message);
	else if (item->col == 0)
		s = xasprintf("%s:%u: %s: %s", item->path, item->line, level,
		    item->message);
	else
		s = xasprintf("%s:%u:%u: %s: %s", item->path, item->line,
		    item->col, level, item->message);
	return escape_controls(s);
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
