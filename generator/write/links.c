#include "links.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "../util/href.h"
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

/*
 * Decodes %XX escapes and the few entities an attribute may hold.  Into
 * the buffer's room at once: a Chinese link is nothing but escapes, and
 * every link of every page passes here.
 */
static void
decode(struct buf *out, const char *s, size_t len)
{
	size_t i;
	int hi, lo;
	char *p;

	buf_grow(out, len + 1);
	p = out->data + out->len;
	for (i = 0; i < len; i++) {
		if (s[i] == '%' && i + 2 < len &&
		    (hi = hex_value(s[i + 1])) >= 0 &&
		    (lo = hex_value(s[i + 2])) >= 0) {
			*p++ = (char)(hi * 16 + lo);
			i += 2;
		} else if (s[i] == '&' && len - i >= 5 &&
		    memcmp(s + i, "&amp;", 5) == 0) {
			*p++ = '&';
			i += 4;
		} else
			*p++ = s[i];
	}
	out->len = (size_t)(p - out->data);
	out->data[out->len] = '\0';
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

uint64_t
links_target_hash(const char *target, size_t len)
{
	uint64_t h = XXH3_64bits(target, len);

	return h != 0 ? h : 1;
}

/* Puts h into the open-addressing set of cap slots; false if there. */
static bool
set_put(uint64_t *slots, size_t cap, uint64_t h)
{
	size_t i;

	for (i = h & (cap - 1); slots[i] != 0; i = (i + 1) & (cap - 1))
		if (slots[i] == h)
			return false;
	slots[i] = h;
	return true;
}

/* Doubles the set of t's targets (a quarter full at most after). */
static void
grow_seen(struct link_targets *t)
{
	size_t k;

	free(t->seen);
	t->seen_cap = t->seen_cap ? t->seen_cap * 2 : 64;
	t->seen = xcalloc(t->seen_cap, sizeof(*t->seen));
	for (k = 0; k < t->ntargets; k++)
		set_put(t->seen, t->seen_cap, t->targets[k]);
}

void
link_targets_add(struct link_targets *t, const char *target)
{
	uint64_t h = links_target_hash(target, strlen(target));

	/* A hash set: a theme page links to thousands of articles. */
	if (2 * (t->ntargets + 1) > t->seen_cap)
		grow_seen(t);
	if (!set_put(t->seen, t->seen_cap, h))
		return;
	if (t->ntargets == t->targets_cap) {
		t->targets_cap = t->targets_cap ? t->targets_cap * 2 : 16;
		t->targets = xreallocarray(t->targets, t->targets_cap,
		    sizeof(*t->targets));
	}
	t->targets[t->ntargets++] = h;
}

/* The page is scanned: its set goes, and its list takes what it needs. */
static void
link_targets_done(struct link_targets *t)
{
	free(t->seen);
	t->seen = NULL;
	t->seen_cap = 0;
	if (t->ntargets > 0 && t->ntargets < t->targets_cap) {
		t->targets = xreallocarray(t->targets, t->ntargets,
		    sizeof(*t->targets));
		t->targets_cap = t->ntargets;
	}
}

void
link_targets_free(struct link_targets *t)
{
	free(t->targets);
	free(t->seen);
	free(t->anchors);
	memset(t, 0, sizeof(*t));
}

void
link_names_build(struct link_names *n, const struct links *l)
{
	const struct strmap_entry *e;
	uint64_t h;
	size_t i, k;

	n->cap = 16;
	while (n->cap < 2 * l->targets.count)
		n->cap *= 2;
	n->hashes = xcalloc(n->cap, sizeof(*n->hashes));
	n->names = xcalloc(n->cap, sizeof(*n->names));
	for (i = 0; i < l->targets.count; i++) {
		e = &l->targets.entries[i];
		h = links_target_hash(e->key, e->keylen);
		for (k = h & (n->cap - 1); n->hashes[k] != 0 &&
		    n->hashes[k] != h; k = (k + 1) & (n->cap - 1))
			continue;
		n->hashes[k] = h;
		n->names[k] = e->key;
	}
}

const char *
link_names_get(const struct link_names *n, uint64_t hash)
{
	size_t k;

	if (n->cap == 0)
		return NULL;
	for (k = hash & (n->cap - 1); n->hashes[k] != 0;
	    k = (k + 1) & (n->cap - 1))
		if (n->hashes[k] == hash)
			return n->names[k];
	return NULL;
}

void
link_names_free(struct link_names *n)
{
	free(n->hashes);
	free(n->names);
	*n = (struct link_names)LINK_NAMES_INIT;
}

/* Decodes the entities an attribute value may hold. */
static void
decode_entities(struct buf *out, const char *s, size_t len)
{
	static const struct {
		const char *name;
		char	 c;
	} entities[] = {
		{ "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' },
		{ "&quot;", '"' }, { "&#39;", '\'' },
	};
	size_t i, k, n;

	for (i = 0; i < len; i++) {
		for (k = 0; k < sizeof(entities) / sizeof(entities[0]); k++) {
			n = strlen(entities[k].name);
			if (s[i] == '&' && len - i >= n &&
			    memcmp(s + i, entities[k].name, n) == 0)
				break;
		}
		if (k < sizeof(entities) / sizeof(entities[0])) {
			buf_putc(out, entities[k].c);
			i += strlen(entities[k].name) - 1;
		} else
			buf_putc(out, s[i]);
	}
}

uint64_t
links_anchor_hash(const char *id, size_t len)
{
	uint64_t h = XXH3_64bits(id, len);

	return h ? h : 1;
}

/* Where the id hashed h of the page hashed page goes in the set. */
static uint64_t
anchor_key(uint64_t page, uint64_t h)
{
	uint64_t k = (page ^ (h * 0x9E3779B97F4A7C15ULL)) *
	    0xFF51AFD7ED558CCDULL;

	return k ? k : 1;
}

static void
anchors_put(struct link_anchors *a, uint64_t key)
{
	struct link_anchors old = *a;
	size_t i, mask;

	if ((a->n + 1) * 2 > a->cap) {
		a->cap = a->cap ? a->cap * 2 : 1024;
		a->slots = xcalloc(a->cap, sizeof(*a->slots));
		a->n = 0;
		for (i = 0; i < old.cap; i++)
			if (old.slots[i] != 0)
				anchors_put(a, old.slots[i]);
		free(old.slots);
	}
	mask = a->cap - 1;
	for (i = (size_t)(key >> 32) & mask; a->slots[i] != 0;
	    i = (i + 1) & mask)
		if (a->slots[i] == key)
			return;
	a->slots[i] = key;
	a->n++;
}

void
links_anchors_add(struct link_anchors *a, const char *path,
    const uint64_t *ids, size_t n)
{
	uint64_t page = XXH3_64bits(path, strlen(path));
	size_t k;

	for (k = 0; k < n; k++)
		anchors_put(a, anchor_key(page, ids[k]));
}

bool
links_anchors_has(const struct link_anchors *a, const char *path,
    const char *id)
{
	uint64_t key = anchor_key(XXH3_64bits(path, strlen(path)),
	    links_anchor_hash(id, strlen(id)));
	size_t i, mask;

	if (a == NULL || a->cap == 0)
		return false;
	mask = a->cap - 1;
	for (i = (size_t)(key >> 32) & mask; a->slots[i] != 0;
	    i = (i + 1) & mask)
		if (a->slots[i] == key)
			return true;
	return false;
}

void
links_anchors_free(struct link_anchors *a)
{
	free(a->slots);
	memset(a, 0, sizeof(*a));
}

/* A link's value within a page's text. */
struct link_value {
	const char *v;
	size_t	 len;
};

/* What a page holds: its links' values and its ids' hashes. */
struct page_scan {
	struct link_value *links;	/* owned */
	size_t	 nlinks, links_cap;
	uint64_t *ids;			/* owned */
	size_t	 nids, ids_cap;
};

/*
 * One pass over the page's attributes, at each '="': the values of
 * href and src, the ids (entities decoded, hashed).  Attribute values
 * are escaped, so '="' starts one and never lies inside one; a quote is
 * found with memchr, much faster than memmem on two bytes.
 */
static void
scan_page(const char *text, size_t len, struct page_scan *ps)
{
	const char *p = text, *end = text + len, *q, *v, *close;
	struct buf id = BUF_INIT;
	size_t before;

	memset(ps, 0, sizeof(*ps));
	while ((q = memchr(p, '"', (size_t)(end - p))) != NULL) {
		p = q + 1;
		before = (size_t)(q - text);
		if (before < 4 || q[-1] != '=')
			continue;
		v = q + 1;
		if ((close = memchr(v, '"', (size_t)(end - v))) == NULL)
			break;
		p = close + 1;
		if ((before >= 6 && memcmp(q - 6, " href", 5) == 0) ||
		    (before >= 5 && memcmp(q - 5, " src", 4) == 0)) {
			if (ps->nlinks == ps->links_cap) {
				ps->links_cap = ps->links_cap ?
				    ps->links_cap * 2 : 64;
				ps->links = xreallocarray(ps->links,
				    ps->links_cap, sizeof(*ps->links));
			}
			ps->links[ps->nlinks].v = v;
			ps->links[ps->nlinks++].len = (size_t)(close - v);
		} else if (memcmp(q - 4, " id", 3) == 0) {
			buf_truncate(&id, 0);
			decode_entities(&id, v, (size_t)(close - v));
			if (ps->nids == ps->ids_cap) {
				ps->ids_cap = ps->ids_cap ? ps->ids_cap * 2 : 16;
				ps->ids = xreallocarray(ps->ids, ps->ids_cap,
				    sizeof(*ps->ids));
			}
			ps->ids[ps->nids++] = links_anchor_hash(buf_str(&id),
			    id.len);
		}
	}
	buf_free(&id);
}

size_t
links_page_ids(const char *text, size_t len, uint64_t **ids)
{
	struct page_scan ps;

	scan_page(text, len, &ps);
	free(ps.links);
	*ids = ps.ids;
	return ps.nids;
}

static bool
has_id(const uint64_t *ids, size_t n, const char *id, size_t len)
{
	uint64_t h = links_anchor_hash(id, len);
	size_t k;

	for (k = 0; k < n; k++)
		if (ids[k] == h)
			return true;
	return false;
}

/*
 * The fragment of link (after its "#"), decoded, into frag; false when
 * it has none.
 */
static bool
fragment_of(const char *link, size_t len, struct buf *frag)
{
	const char *hash = memchr(link, '#', len);

	buf_truncate(frag, 0);
	if (hash == NULL || hash + 1 == link + len)
		return false;
	decode(frag, hash + 1, (size_t)(link + len - hash - 1));
	return true;
}

char *
links_target(const char *page, const char *link, size_t len)
{
	struct buf frag = BUF_INIT, full = BUF_INIT;
	char *target = links_resolve(page, link, len);

	if (target != NULL && fragment_of(link, len, &frag)) {
		if (strcmp(target, page) == 0) {
			free(target);
			target = NULL;
		} else {
			buf_printf(&full, "%s#%s", target, buf_str(&frag));
			free(target);
			target = buf_detach(&full);
		}
	}
	buf_free(&frag);
	return target;
}

void
links_scan(struct links *l, const char *page, const char *text, size_t len,
    struct link_targets *targets, struct diags *d)
{
	struct buf frag = BUF_INIT, full = BUF_INIT;
	struct page_scan ps;
	const char *v;
	size_t k, n;
	char *target;

	scan_page(text, len, &ps);
	for (k = 0; k < ps.nlinks; k++) {
		v = ps.links[k].v;
		n = ps.links[k].len;
		if (n >= 1 && v[0] == '/' && (n < 2 || v[1] != '/')) {
			diag_error(d, page, 0, 0, "root-absolute link "
			    "\"%.*s\" breaks the site under a sub-path",
			    (int)n, v);
			l->absolute++;
			continue;
		}
		target = n > 0 && v[0] == '#' ? xstrdup(page) :
		    links_resolve(page, v, n);
		if (target == NULL)
			continue;
		if (fragment_of(v, n, &frag)) {
			if (strcmp(target, page) == 0) {
				/* Within the page: checked now. */
				if (!has_id(ps.ids, ps.nids, buf_str(&frag),
				    frag.len))
					diag_error(d, page, 0, 0, "broken link "
					    "\"%.*s\" (no id \"%s\" in the "
					    "page)", (int)n, v, buf_str(&frag));
				free(target);
				continue;
			}
			buf_truncate(&full, 0);
			buf_printf(&full, "%s#%s", target, buf_str(&frag));
			free(target);
			target = buf_detach(&full);
		}
		record(l, page, target, v, n, 1);
		if (targets != NULL)
			link_targets_add(targets, target);
		free(target);
	}
	if (targets != NULL) {
		link_targets_done(targets);
		free(targets->anchors);
		targets->anchors = ps.ids;
		targets->nanchors = targets->cap = ps.nids;
		ps.ids = NULL;
	}
	free(ps.ids);
	free(ps.links);
	buf_free(&frag);
	buf_free(&full);
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

/* The link from page to target, "path" or "path#id", as a page says it. */
static void
relative_link(struct buf *out, const char *page, const char *target,
    size_t len)
{
	const char *hash = memchr(target, '#', len);
	char *path;

	if (hash == NULL) {
		href_relative(out, page, target);
		return;
	}
	path = xstrndup(target, (size_t)(hash - target));
	href_relative(out, page, path);
	buf_puts(out, hash);
	free(path);
}

/*
 * Whether target ("path" or "path#id") is in the site; path is the
 * caller's, for the path part of a target with an id.
 */
static bool
target_found(const char *target, size_t len,
    int (*exists)(const void *arg, const char *path), const void *arg,
    const struct link_anchors *anchors, struct buf *path, bool *no_id)
{
	const char *hash = memchr(target, '#', len);

	*no_id = false;
	if (hash == NULL)
		return exists(arg, target);
	buf_truncate(path, 0);
	buf_append(path, target, (size_t)(hash - target));
	if (!exists(arg, path->data))
		return false;
	*no_id = !links_anchors_has(anchors, path->data, hash + 1);
	return !*no_id;
}

size_t
links_check(const struct links *l,
    int (*exists)(const void *arg, const char *path), const void *arg,
    const struct link_anchors *anchors, links_locate_fn *locate,
    const char *outname, struct diags *d)
{
	const struct strmap_entry *e;
	const struct link_ref *ref;
	struct buf link = BUF_INIT, path = BUF_INIT;
	size_t i, broken = 0;
	unsigned line, col;
	char *where;
	bool no_id;

	for (i = 0; i < l->targets.count; i++) {
		e = &l->targets.entries[i];
		if (target_found(e->key, e->keylen, exists, arg, anchors,
		    &path, &no_id))
			continue;
		ref = e->value;
		line = col = 0;
		if (locate == NULL || locate(arg, ref->page, e->key, &where,
		    &line, &col) == -1)
			where = xasprintf("%s/%s", outname, ref->page);
		buf_truncate(&link, 0);
		if (ref->link)
			buf_puts(&link, ref->link);
		else
			relative_link(&link, ref->page, e->key, e->keylen);
		if (ref->pages > 1)
			diag_error(d, where, line, col, "broken link \"%s\" (no "
			    "%s%s; %zu links in all)", buf_str(&link),
			    no_id ? "id for " : "", e->key, ref->pages);
		else
			diag_error(d, where, line, col, "broken link \"%s\" (no "
			    "%s%s)", buf_str(&link), no_id ? "id for " : "",
			    e->key);
		free(where);
		broken++;
	}
	buf_free(&link);
	buf_free(&path);
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
