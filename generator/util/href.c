#include "href.h"

#include <string.h>

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
href_encode(struct buf *out, const char *s, size_t len)
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
href_root(struct buf *out, const char *from)
{
	const char *p;

	for (p = from; (p = strchr(p, '/')) != NULL; p++)
		buf_puts(out, "../");
}

void
href_relative(struct buf *out, const char *from, const char *to)
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
	href_root(out, f);
	href_encode(out, t, strlen(t));
}

void
href_absolute(struct buf *out, const char *base, const char *to)
{
	size_t n = strlen(to);

	buf_puts(out, base);
	buf_putc(out, '/');
	if (n >= 10 && strcmp(to + n - 10, "index.html") == 0)
		n -= 10;
	href_encode(out, to, n);
}

char *
href_encoded(const char *path)
{
	struct buf b = BUF_INIT;

	href_encode(&b, path, strlen(path));
	return buf_detach(&b);
}
