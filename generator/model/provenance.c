#include "provenance.h"

#include <stdlib.h>
#include <string.h>

#include "../util/buf.h"
#include "../util/href.h"
#include "../util/suggest.h"
#include "../util/xalloc.h"
#include "url.h"

/*
 * A page's name for readers: the paper, day and page its metadata give
 * (《中国组织人事报》2020年7月1日第6版); without them, "原始版面" and the
 * number the file name starts with, which is all the page says of itself.
 */
static char *
title_of(const struct source *src)
{
	struct buf b = BUF_INIT;
	size_t n;

	if (src->publication != NULL)
		buf_printf(&b, "《%s》", src->publication);
	if (src->date != NULL)
		buf_printf(&b, "%.4s年%d月%d日", src->date,
		    atoi(src->date + 5), atoi(src->date + 8));
	if (src->page != NULL)
		buf_printf(&b, src->page[strspn(src->page, "0123456789")] ==
		    '\0' ? "第%s版" : "%s", src->page);
	if (b.len > 0)
		return buf_detach(&b);
	n = strcspn(src->stem, "_");
	buf_printf(&b, "原始版面 %.*s", (int)(n > 0 ? n : strlen(src->stem)),
	    src->stem);
	return buf_detach(&b);
}

/* Orders a page's articles by the line they start on. */
static int
by_line(const void *a, const void *b, void *site)
{
	const struct site *s = site;
	unsigned x = s->articles[*(const size_t *)a].src->source_line;
	unsigned y = s->articles[*(const size_t *)b].src->source_line;

	return x < y ? -1 : x > y;
}

/*
 * Warns of an article whose source names no raw page of the site, or a
 * line past the end of it: its footer and collation note would lead
 * nowhere (a line past the end is linked as the page's top).  A site
 * that publishes no raw pages is not warned.
 */
static unsigned
count_lines(const struct source *src)
{
	const char *p = src->text, *end = src->text + src->len;
	unsigned n = 0;

	while (p < end) {
		n++;
		if ((p = memchr(p, '\n', (size_t)(end - p))) == NULL)
			break;
		p++;
	}
	return n;
}

static void
check_source(const struct site *s, const struct article *a,
    const struct site_source *ss, const char *const *names, struct diags *d)
{
	unsigned line, col;
	const char *near;
	size_t k;

	if (s->raw.count == 0 || a->source_file == NULL)
		return;
	article_locate_key(a, "source", &line, &col);
	if (ss == NULL) {
		near = suggest(a->source_file, names, s->raw.count);
		diag_warning(d, a->path, line, col, "source file "
		    "\"%s\" is no raw page in content/sources/%s%s%s",
		    a->source_file, near ? " (did you mean \"" : "",
		    near ? near : "", near ? "\"?)" : "");
		return;
	}
	if (a->source_line > ss->nlines)
		diag_warning(d, a->path, line, col, "source line "
		    "%u is past the end of %s, which has %u lines",
		    a->source_line, ss->src->name, ss->nlines);
	for (k = 0; k < a->nnotes; k++)
		if (a->notes[k].line > ss->nlines) {
			article_locate_key(a, "collation", &line, &col);
			diag_warning(d, a->path, line, col, "collation "
			    "note %zu names line %u, past the end of %s, "
			    "which has %u lines", k + 1, a->notes[k].line,
			    ss->src->name, ss->nlines);
		}
}

void
provenance_link(struct site *s, struct diags *d)
{
	struct site_source *ss;
	struct site_article *sa;
	const struct source *src;
	const char **names;
	size_t i;

	s->nsources = s->raw.count;
	s->sources = xcalloc(s->nsources + 1, sizeof(*s->sources));
	for (i = 0; i < s->nsources; i++) {
		ss = &s->sources[i];
		ss->src = &s->raw.items[i];
		ss->path = url_path(URL_SOURCE, ss->src->stem);
		ss->href = href_encoded(ss->path);
		ss->text_path = url_path(URL_SOURCE_TEXT, ss->src->stem);
		ss->title = title_of(ss->src);
		ss->nlines = count_lines(ss->src);
	}
	names = xcalloc(s->nsources + 1, sizeof(*names));
	for (i = 0; i < s->nsources; i++)
		names[i] = s->raw.items[i].name;
	for (i = 0; i < s->narticles; i++) {
		sa = &s->articles[i];
		sa->source = SITE_NONE;
		sa->date = sa->src->date;
		src = sa->src->source_file == NULL ? NULL :
		    sources_find(&s->raw, sa->src->source_file);
		sa->source = src == NULL ? SITE_NONE :
		    (size_t)(src - s->raw.items);
		check_source(s, sa->src, src == NULL ? NULL :
		    &s->sources[sa->source], names, d);
		if (src == NULL)
			continue;
		if (sa->date == NULL)
			sa->date = src->date;
		idlist_push(&s->sources[sa->source].articles, i);
	}
	free(names);
	/* qsort_r is not to be given the null array of an empty list. */
	for (i = 0; i < s->nsources; i++)
		if (s->sources[i].articles.count > 1)
			qsort_r(s->sources[i].articles.items,
			    s->sources[i].articles.count, sizeof(size_t),
			    by_line, s);
}

void
provenance_free(struct site *s)
{
	size_t i;

	for (i = 0; i < s->nsources; i++) {
		free(s->sources[i].path);
		free(s->sources[i].href);
		free(s->sources[i].text_path);
		free(s->sources[i].title);
		idlist_free(&s->sources[i].articles);
	}
	free(s->sources);
	s->sources = NULL;
	s->nsources = 0;
	sources_free(&s->raw);
}
