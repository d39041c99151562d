#include "provenance.h"

#include <stdlib.h>
#include <string.h>

#include "../util/buf.h"
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

void
provenance_link(struct site *s)
{
	struct site_source *ss;
	struct site_article *sa;
	const struct source *src;
	size_t i;

	s->nsources = s->raw.count;
	s->sources = xcalloc(s->nsources + 1, sizeof(*s->sources));
	for (i = 0; i < s->nsources; i++) {
		ss = &s->sources[i];
		ss->src = &s->raw.items[i];
		ss->path = url_path(URL_SOURCE, ss->src->stem);
		ss->href = url_encoded(ss->path);
		ss->text_path = url_path(URL_SOURCE_TEXT, ss->src->stem);
		ss->title = title_of(ss->src);
	}
	for (i = 0; i < s->narticles; i++) {
		sa = &s->articles[i];
		sa->source = SITE_NONE;
		sa->date = sa->src->date;
		if (sa->src->source_file == NULL || (src = sources_find(&s->raw,
		    sa->src->source_file)) == NULL)
			continue;
		sa->source = (size_t)(src - s->raw.items);
		if (sa->date == NULL)
			sa->date = src->date;
		idlist_push(&s->sources[sa->source].articles, i);
	}
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
