#include "links.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "../model/url.h"
#include "../util/buf.h"
#include "../util/xalloc.h"

struct link_ref {
	char	*page;		/* the first page that named the target */
	char	*link;		/* as written there */
	size_t	 pages;		/* how many links name the target */
};

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

/* Decodes %XX escapes and the few entities an attribute may hold. */
static void
decode(struct buf *out, const char *s, size_t len)
{
	size_t i;
	int hi, lo;

	for (i = 0; i < len; i++) {
		if (s[i] == '%' && i + 2 < len &&
		    (hi = hex_value(s[i + 1])) >= 0 &&
		    (lo = hex_value(s[i + 2])) >= 0) {
			buf_putc(out, (char)(hi * 16 + lo));
			i += 2;
		} else if (s[i] == '&' && len - i >= 5 &&
		    memcmp(s + i, "&amp;", 5) == 0) {
			buf_putc(out, '&');
			i += 4;
		} else
			buf_putc(out, s[i]);
	}
}

static bool
has_scheme(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (s[i] == ':')
			return i > 0;
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') ||
		    s[i] == '+' || s[i] == '-' || s[i] == '.'))
			return false;
	}
	return false;
}

/* Appends segment to the path in out, folding "." and "..". */
static bool
push_segment(struct buf *out, const char *seg, size_t n)
{
	char *slash;

	if (n == 0 || (n == 1 && seg[0] == '.'))
		return true;
	if (n == 2 && seg[0] == '.' && seg[1] == '.') {
		if (out->len == 0)
			return false;	/* above the site root */
		slash = strrchr(out->data, '/');
		buf_truncate(out, slash ? (size_t)(slash - out->data) : 0);
		return true;
	}
	if (out->len > 0)
		buf_putc(out, '/');
	buf_append(out, seg, n);
	return true;
}

char *
links_resolve(const char *page, const char *link, size_t len)
{
	struct buf path = BUF_INIT, raw = BUF_INIT;
	const char *p, *end, *slash, *dir_end;
	bool folder;

	for (end = link; end < link + len && *end != '?' && *end != '#'; end++)
		continue;
	if (end == link || has_scheme(link, len) ||
	    (len >= 2 && link[0] == '/' && link[1] == '/'))
		return NULL;
	decode(&raw, link, (size_t)(end - link));
	/* Start from the page's folder. */
	dir_end = strrchr(page, '/');
	if (dir_end != NULL)
		buf_append(&path, page, (size_t)(dir_end - page));
	if (raw.data[0] == '/')
		buf_truncate(&path, 0);
	folder = raw.data[raw.len - 1] == '/';
	for (p = raw.data; *p != '\0'; p = slash + 1) {
		slash = strchr(p, '/');
		if (slash == NULL)
			slash = p + strlen(p);
		if (!push_segment(&path, p, (size_t)(slash - p))) {
			buf_free(&path);
			buf_free(&raw);
			return NULL;
		}
		if (*slash == '\0')
			break;
	}
	if (folder || path.len == 0)
		buf_puts(&path, path.len ? "/index.html" : "index.html");
	buf_free(&raw);
	return buf_detach(&path);
}

/*
 * Notes n links to target, the first from page; link may be NULL, to be
 * spelt out if it is broken.
 */
static void
record(struct links *l, const char *page, const char *target,
    const char *link, size_t len, size_t n)
{
	struct strmap_entry *e;
	struct link_ref *ref;
	bool added;

	e = strmap_put(&l->targets, target, strlen(target), &added);
	if (added) {
		ref = xcalloc(1, sizeof(*ref));
		ref->page = xstrdup(page);
		ref->link = link ? xstrndup(link, len) : NULL;
		e->value = ref;
	}
	((struct link_ref *)e->value)->pages += n;
}

void
links_add(struct links *l, const char *page, const char *target, size_t n)
{
	record(l, page, target, NULL, 0, n);
}

void
link_targets_add(struct link_targets *t, const char *target)
{
	/* A hash set: a theme page links to thousands of articles. */
	strmap_put(&t->seen, target, strlen(target), NULL);
}

void
link_targets_free(struct link_targets *t)
{
	strmap_free(&t->seen);
}

void
links_scan(struct links *l, const char *page, const char *text, size_t len,
    struct link_targets *targets, struct diags *d)
{
	static const char *const attrs[] = { " href=\"", " src=\"" };
	const char *p, *end = text + len, *v, *close, *hit;
	size_t a;
	char *target;

	for (a = 0; a < 2; a++) {
		for (p = text; p < end; p = close + 1) {
			hit = memmem(p, (size_t)(end - p), attrs[a],
			    strlen(attrs[a]));
			if (hit == NULL)
				break;
			v = hit + strlen(attrs[a]);
			close = memchr(v, '"', (size_t)(end - v));
			if (close == NULL)
				break;
			if (close - v >= 1 && v[0] == '/' &&
			    (close - v < 2 || v[1] != '/')) {
				diag_error(d, page, 0, 0, "root-absolute link "
				    "\"%.*s\" breaks the site under a sub-path",
				    (int)(close - v), v);
				l->absolute++;
				continue;
			}
			target = links_resolve(page, v, (size_t)(close - v));
			if (target == NULL)
				continue;
			record(l, page, target, v, (size_t)(close - v), 1);
			if (targets != NULL)
				link_targets_add(targets, target);
			free(target);
		}
	}
}

static void
free_ref(struct link_ref *ref)
{
	if (ref == NULL)
		return;
	free(ref->page);
	free(ref->link);
	free(ref);
}

void
links_merge(struct links *dst, struct links *src)
{
	struct strmap_entry *e, *mine;
	struct link_ref *ref;
	bool added;
	size_t i;

	for (i = 0; i < src->targets.count; i++) {
		e = &src->targets.entries[i];
		ref = e->value;
		mine = strmap_put(&dst->targets, e->key, e->keylen, &added);
		if (added) {
			mine->value = ref;
		} else {
			((struct link_ref *)mine->value)->pages += ref->pages;
			free_ref(ref);
		}
		e->value = NULL;
	}
	dst->absolute += src->absolute;
	links_free(src);
}

size_t
links_check(const struct links *l,
    int (*exists)(const void *arg, const char *path), const void *arg,
    const char *outname, struct diags *d)
{
	const struct strmap_entry *e;
	const struct link_ref *ref;
	struct buf link = BUF_INIT;
	size_t i, broken = 0;
	char *page;

	for (i = 0; i < l->targets.count; i++) {
		e = &l->targets.entries[i];
		if (exists(arg, e->key))
			continue;
		ref = e->value;
		page = xasprintf("%s/%s", outname, ref->page);
		buf_truncate(&link, 0);
		if (ref->link)
			buf_puts(&link, ref->link);
		else
			url_relative(&link, ref->page, e->key);
		if (ref->pages > 1)
			diag_error(d, page, 0, 0, "broken link \"%s\" (no %s; "
			    "%zu links in all)", buf_str(&link), e->key,
			    ref->pages);
		else
			diag_error(d, page, 0, 0, "broken link \"%s\" (no %s)",
			    buf_str(&link), e->key);
		free(page);
		broken++;
	}
	buf_free(&link);
	return broken;
}

void
links_free(struct links *l)
{
	size_t i;

	for (i = 0; i < l->targets.count; i++)
		free_ref(l->targets.entries[i].value);
	strmap_free(&l->targets);
	l->absolute = 0;
}
