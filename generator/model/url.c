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

static int
is_unreserved(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
	    c == '~' || c == '/';
}

/*
 * Room for every byte escaped, then one pass: a Chinese slug is nothing
 * but escapes, and an append for each cost more than the bytes.
 */
void
url_encode_path(struct buf *out, const char *s, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	unsigned char c;
	size_t i;
	char *p;

	buf_grow(out, len * 3);
	p = out->data + out->len;
	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (is_unreserved(c)) {
			*p++ = (char)c;
			continue;
		}
		*p++ = '%';
		*p++ = hex[c >> 4];
		*p++ = hex[c & 15];
	}
	out->len = (size_t)(p - out->data);
	out->data[out->len] = '\0';
}

void
url_root(struct buf *out, const char *from)
{
	const char *p;

	for (p = from; (p = strchr(p, '/')) != NULL; p++)
		buf_puts(out, "../");
}

void
url_relative(struct buf *out, const char *from, const char *to)
{
	const char *f = from, *t = to, *fs, *ts;

	/* Skip the folders both paths share, then climb out of the rest. */
	for (;;) {
		fs = strchr(f, '/');
		ts = strchr(t, '/');
		if (fs == NULL || ts == NULL || fs - f != ts - t ||
		    memcmp(f, t, (size_t)(fs - f)) != 0)
			break;
		f = fs + 1;
		t = ts + 1;
	}
	url_root(out, f);
	url_encode_path(out, t, strlen(t));
}

void
url_absolute(struct buf *out, const char *base, const char *to)
{
	size_t n = strlen(to);

	buf_puts(out, base);
	buf_putc(out, '/');
	if (n >= 10 && strcmp(to + n - 10, "index.html") == 0)
		n -= 10;
	url_encode_path(out, to, n);
}

char *
url_encoded(const char *path)
{
	struct buf b = BUF_INIT;

	url_encode_path(&b, path, strlen(path));
	return buf_detach(&b);
}
