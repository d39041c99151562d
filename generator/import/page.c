/*
 * A page as the import's files share it: its lines and units, where
 * each piece of a unit's text was printed, and the record of every
 * repair made to it, reported as it is made.  Every other file of the
 * stage calls in here; this file calls none of them.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/utf8.h"
#include "../util/xalloc.h"
#include "internal.h"

/* Formats like vsprintf into a string the caller frees. */
static char *
format_message(const char *fmt, va_list ap)
{
	va_list again;
	char *msg;
	int n;

	va_copy(again, ap);
	n = vsnprintf(NULL, 0, fmt, again);
	va_end(again);
	msg = xmalloc((size_t)(n > 0 ? n : 0) + 1);
	vsnprintf(msg, (size_t)(n > 0 ? n : 0) + 1, fmt, ap);
	return msg;
}

/* How each kind of repair is reported (page_report). */
static const enum diag_level repair_levels[IMPORT_REPAIR_KINDS] = {
	[IMPORT_REPAIR_WRAP] = DIAG_DETAIL,
	[IMPORT_REPAIR_HEADING] = DIAG_DETAIL,
	[IMPORT_REPAIR_DUPLICATE] = DIAG_NOTE,
	[IMPORT_REPAIR_PUNCTUATION] = DIAG_DETAIL,
	[IMPORT_REPAIR_NORMALIZE] = DIAG_DETAIL,
	[IMPORT_REPAIR_NAME] = DIAG_DETAIL,
	[IMPORT_REPAIR_SPACING] = DIAG_DETAIL,
	[IMPORT_REPAIR_MISPLACED] = DIAG_NOTE,
	[IMPORT_REPAIR_CONVERT] = DIAG_NOTE,
	[IMPORT_REPAIR_LATIN] = DIAG_NOTE,
	[IMPORT_REPAIR_GAP] = DIAG_WARNING,
	[IMPORT_REPAIR_VARIANT] = DIAG_WARNING,
};

/* Reports msg (freed) at level, counts the repair and records it. */
static void
record(struct import_page *p, enum diag_level level, enum import_repair kind,
    unsigned line, unsigned col, char *msg)
{
	struct page_record *r;

	diag_add(p->d, level, p->path, line, col, "%s", msg);
	free(msg);
	p->sum->repairs[kind]++;
	if (level == DIAG_WARNING)
		p->sum->warnings++;
	p->records = xreallocarray(p->records, p->nrecords + 1,
	    sizeof(*p->records));
	r = &p->records[p->nrecords++];
	r->kind = kind;
	r->line = line;
	r->col = col;
	r->note = NULL;
}

void
page_report(struct import_page *p, enum import_repair kind, unsigned line,
    unsigned col, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = format_message(fmt, ap);
	va_end(ap);
	record(p, repair_levels[kind], kind, line, col, msg);
}

void
page_report_decided(struct import_page *p, enum import_repair kind,
    unsigned line, unsigned col, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = format_message(fmt, ap);
	va_end(ap);
	record(p, DIAG_NOTE, kind, line, col, msg);
}

void
page_explain(struct import_page *p, const char *fmt, ...)
{
	struct page_record *r = &p->records[p->nrecords - 1];
	va_list ap;

	va_start(ap, fmt);
	free(r->note);
	r->note = format_message(fmt, ap);
	va_end(ap);
}

void
page_warn(struct import_page *p, unsigned line, unsigned col,
    const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = format_message(fmt, ap);
	va_end(ap);
	diag_add(p->d, DIAG_WARNING, p->path, line, col, "%s", msg);
	free(msg);
	p->sum->warnings++;
}

struct unit *
page_add_unit(struct import_page *p, enum unit_kind kind)
{
	struct unit *u;

	if (p->nunits == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 16;
		p->units = xreallocarray(p->units, p->cap, sizeof(*p->units));
	}
	u = &p->units[p->nunits++];
	memset(u, 0, sizeof(*u));
	u->kind = kind;
	return u;
}

void
page_free(struct import_page *p)
{
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < p->nlines; i++)
		free(p->lines[i].text);
	free(p->lines);
	for (i = 0; i < p->nunits; i++) {
		free(p->units[i].text);
		free(p->units[i].spans);
		free(p->units[i].place);
		free(p->units[i].role);
		free(p->units[i].name);
	}
	free(p->units);
	for (i = 0; i < p->nrecords; i++)
		free(p->records[i].note);
	free(p->records);
	free(p->name);
	memset(p, 0, sizeof(*p));
}

void
unit_add_span(struct unit *u, size_t offset, unsigned line, unsigned col)
{
	u->spans = xreallocarray(u->spans, u->nspans + 1, sizeof(*u->spans));
	u->spans[u->nspans].offset = offset;
	u->spans[u->nspans].line = line;
	u->spans[u->nspans].col = col;
	u->nspans++;
}

void
unit_locate(const struct unit *u, size_t off, unsigned *line,
    unsigned *col)
{
	size_t i = u->nspans;

	*line = u->line;
	*col = u->col;
	if (u->text != NULL && off > strlen(u->text))
		off = strlen(u->text);
	while (i > 0 && u->spans[i - 1].offset > off)
		i--;
	if (i == 0 || u->text == NULL)
		return;
	*line = u->spans[i - 1].line;
	*col = u->spans[i - 1].col + (unsigned)utf8_length(u->text +
	    u->spans[i - 1].offset, off - u->spans[i - 1].offset);
}

void
unit_cut(struct unit *u, size_t start, size_t end)
{
	size_t len = strlen(u->text), i, j = 0;

	memmove(u->text + start, u->text + end, len - end + 1);
	for (i = 0; i < u->nspans; i++) {
		if (u->spans[i].offset >= end)
			u->spans[i].offset -= end - start;
		else if (u->spans[i].offset > start)
			u->spans[i].offset = start;
		/* Spans collapsed onto one offset: keep the last. */
		if (j > 0 && u->spans[j - 1].offset == u->spans[i].offset)
			j--;
		u->spans[j++] = u->spans[i];
	}
	u->nspans = j;
}
