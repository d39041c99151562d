#include "route.h"

#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../util/utf8.h"
#include "../util/xalloc.h"

static const struct {
	const char *ext;
	const char *type;
} types[] = {
	{ "html", "text/html; charset=utf-8" },
	{ "htm", "text/html; charset=utf-8" },
	{ "css", "text/css; charset=utf-8" },
	{ "js", "text/javascript; charset=utf-8" },
	{ "mjs", "text/javascript; charset=utf-8" },
	{ "json", "application/json" },
	{ "map", "application/json" },
	{ "webmanifest", "application/manifest+json" },
	{ "xml", "application/xml; charset=utf-8" },
	{ "txt", "text/plain; charset=utf-8" },
	{ "svg", "image/svg+xml" },
	{ "png", "image/png" },
	{ "jpg", "image/jpeg" },
	{ "jpeg", "image/jpeg" },
	{ "gif", "image/gif" },
	{ "webp", "image/webp" },
	{ "avif", "image/avif" },
	{ "ico", "image/x-icon" },
	{ "woff", "font/woff" },
	{ "woff2", "font/woff2" },
	{ "ttf", "font/ttf" },
	{ "otf", "font/otf" },
	{ "pdf", "application/pdf" },
	{ "wasm", "application/wasm" },
};

const char *
route_type(const char *name)
{
	const char *slash = strrchr(name, '/');
	const char *dot;
	size_t i;

	if (slash != NULL)
		name = slash + 1;
	if ((dot = strrchr(name, '.')) == NULL)
		return "application/octet-stream";
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strcasecmp(dot + 1, types[i].ext) == 0)
			return types[i].type;
	return "application/octet-stream";
}

static int
hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Whether the segment starting at s (up to a slash or the end) is . or .. */
static bool
is_dot_segment(const char *s)
{
	size_t n = strcspn(s, "/");

	return (n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.');
}

char *
route_decode(const char *raw)
{
	size_t len = strlen(raw), i, n = 0;
	char *out = NULL;
	int hi, lo;

	if (raw[0] != '/')
		goto fail;
	out = xmalloc(len + 1);
	for (i = 0; i < len; i++) {
		if (raw[i] != '%') {
			out[n++] = raw[i];
			continue;
		}
		if (i + 2 >= len)
			goto fail;
		if ((hi = hex_value(raw[i + 1])) == -1 ||
		    (lo = hex_value(raw[i + 2])) == -1 || (hi == 0 && lo == 0))
			goto fail;
		out[n++] = (char)(hi * 16 + lo);
		i += 2;
	}
	out[n] = '\0';
	if (utf8_invalid_at(out, n) != n)
		goto fail;
	/* Checked after decoding, so %2e%2e and %2f count like . and /. */
	for (i = 0; i < n; i++)
		if (out[i] == '/' && is_dot_segment(out + i + 1))
			goto fail;
	return out;
fail:
	free(out);
	return NULL;
}

/*
 * Opens name in dir without following a symbolic link; O_NONBLOCK keeps
 * a FIFO from stalling the open.  Returns the descriptor or -1.
 */
static int
open_below(int dir, const char *name, struct stat *st)
{
	int fd = openat(dir, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
	    O_NOCTTY | O_CLOEXEC);

	if (fd != -1 && fstat(fd, st) == -1) {
		close(fd);
		fd = -1;
	}
	return fd;
}

enum route_result
route_open(const char *root, const char *path, int *fd, off_t *size,
    const char **type)
{
	enum route_result rc = ROUTE_NOT_FOUND;
	char *copy = NULL, *segment, *next;
	const char *name = "index.html";
	bool is_dir = true;
	struct stat st;
	int dir = -1, sub = -1;

	*fd = -1;
	if (path[0] != '/') {
		rc = ROUTE_BAD_REQUEST;
		goto out;
	}
	if ((dir = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		goto out;
	copy = xstrdup(path + 1);
	for (segment = copy; segment != NULL; segment = next) {
		if ((next = strchr(segment, '/')) != NULL)
			*next++ = '\0';
		if (segment[0] == '\0')
			continue;
		if (is_dot_segment(segment)) {
			rc = ROUTE_BAD_REQUEST;
			goto out;
		}
		/* Only the last segment may name a file. */
		if (!is_dir || (sub = open_below(dir, segment, &st)) == -1)
			goto out;
		close(dir);
		dir = sub;
		sub = -1;
		is_dir = S_ISDIR(st.st_mode);
		name = segment;
		if (!is_dir && !S_ISREG(st.st_mode))
			goto out;
	}
	if (is_dir) {
		if (path[strlen(path) - 1] != '/') {
			rc = ROUTE_REDIRECT;
			goto out;
		}
		name = "index.html";
		if ((sub = open_below(dir, name, &st)) == -1 ||
		    !S_ISREG(st.st_mode))
			goto out;
		close(dir);
		dir = sub;
		sub = -1;
	} else if (path[strlen(path) - 1] == '/')
		goto out;
	*fd = dir;
	*size = st.st_size;
	*type = route_type(name);
	dir = -1;
	rc = ROUTE_FILE;
out:
	if (sub != -1)
		close(sub);
	if (dir != -1)
		close(dir);
	free(copy);
	return rc;
}

/* Reads the digits at *p into *v, moving *p past them; false if none. */
static bool
read_offset(const char **p, off_t *v)
{
	const char *s = *p;
	off_t n = 0;

	if (*s < '0' || *s > '9')
		return false;
	for (; *s >= '0' && *s <= '9'; s++) {
		if (n > (INT64_MAX - 9) / 10)
			return false;
		n = n * 10 + (*s - '0');
	}
	*p = s;
	*v = n;
	return true;
}

int
route_range(const char *header, off_t size, off_t *from, off_t *len)
{
	const char *p = header;
	off_t first = -1, last = -1;

	if (p == NULL || strncasecmp(p, "bytes=", 6) != 0)
		return 0;
	p += 6;
	if (*p == '-') {	/* the last n bytes */
		p++;
		if (!read_offset(&p, &last) || *p != '\0')
			return 0;
		if (last == 0)
			return -1;
		first = last >= size ? 0 : size - last;
		last = size - 1;
	} else {
		if (!read_offset(&p, &first) || *p++ != '-')
			return 0;
		if (*p == '\0')
			last = size - 1;
		else if (!read_offset(&p, &last) || *p != '\0' || last < first)
			return 0;
		if (first >= size)
			return -1;
		if (last >= size)
			last = size - 1;
	}
	if (size == 0)
		return -1;
	*from = first;
	*len = last - first + 1;
	return 1;
}
