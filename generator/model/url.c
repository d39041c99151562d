#include "url.h"

#include <string.h>

#include "../util/xalloc.h"

/* Pattern per kind: %s stands for the slug. */
static const char *const patterns[] = {
	[URL_HOME] = "index.html",
	[URL_TOC] = "articles/index.html",
	[URL_ARTICLE] = "articles/%s/index.html",
	[URL_DISTRICT_INDEX] = "districts/index.html",
	[URL_DISTRICT] = "districts/%s/index.html",
	[URL_CITY] = "cities/%s/index.html",
	[URL_PROVINCE] = "provinces/%s/index.html",
	[URL_AUTHORS] = "authors/index.html",
	[URL_THEME_INDEX] = "themes/index.html",
	[URL_THEME] = "themes/%s/index.html",
	[URL_SEARCH] = "search/index.html",
	[URL_FEED] = "feed.xml",
	[URL_THEME_FEED] = "themes/%s/feed.xml",
	[URL_SITEMAP] = "sitemap.xml",
	[URL_ROBOTS] = "robots.txt",
	[URL_NOT_FOUND] = "404.html",
	[URL_SOURCE] = "sources/%s/index.html",
	[URL_SOURCE_TEXT] = "sources/%s.txt",
};

/* Spliced, not printed: the model makes one per article and district. */
char *
url_path(enum url_kind kind, const char *slug)
{
	const char *p = patterns[kind], *tail = strstr(p, "%s");
	size_t head, n, rest;
	char *path;

	if (tail == NULL)
		return xstrdup(p);
	if (slug == NULL)
		slug = "";
	head = (size_t)(tail - p);
	n = strlen(slug);
	tail += 2;
	rest = strlen(tail);
	path = xmalloc(head + n + rest + 1);
	memcpy(path, p, head);
	memcpy(path + head, slug, n);
	memcpy(path + head + n, tail, rest + 1);
	return path;
}

/* Spliced, not printed: every page of a long listing asks, every build. */
char *
url_part(const char *path, size_t part)
{
	size_t dir = strlen(path) - strlen("index.html"), n = 0;
	char digits[24], *out;

	if (part <= 1)
		return xstrdup(path);
	do
		digits[sizeof(digits) - ++n] = (char)('0' + part % 10);
	while ((part /= 10) > 0);
	out = xmalloc(dir + strlen("page/") + n + strlen("/index.html") + 1);
	memcpy(out, path, dir);
	memcpy(out + dir, "page/", 5);
	memcpy(out + dir + 5, digits + sizeof(digits) - n, n);
	memcpy(out + dir + 5 + n, "/index.html", strlen("/index.html") + 1);
	return out;
}
