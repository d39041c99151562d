#include "source.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "../util/fs.h"
#include "../util/utf8.h"
#include "../util/xalloc.h"
#include "article.h"
#include "config.h"
#include "ydoc.h"

/* The keys of a source's metadata, and where each goes. */
static const struct {
	const char *key;
	size_t	 offset;
} meta_keys[] = {
	{ "publication", offsetof(struct source, publication) },
	{ "date", offsetof(struct source, date) },
	{ "page", offsetof(struct source, page) },
};
#define NMETA (sizeof(meta_keys) / sizeof(meta_keys[0]))

static char **
meta_member(struct source *s, size_t k)
{
	return (char **)((char *)s + meta_keys[k].offset);
}

/* A text value of a key, or NULL after adding an error. */
static const char *
text_value(struct ydoc *y, yaml_node_t *v, const char *key, struct diags *d)
{
	const char *value = ydoc_scalar(v);

	if (value == NULL || value[0] == '\0') {
		ydoc_error(y, d, v, "\"%s\" must be a text", key);
		return NULL;
	}
	return value;
}

/* Reads one key of a gap entry into g; -1 after adding an error. */
static int
read_gap_key(struct ydoc *y, yaml_node_t *k, yaml_node_t *v,
    struct source_gap *g, struct diags *d)
{
	const char *key = ydoc_scalar(k), *value;
	char **to = NULL, *end;
	unsigned long n;

	if (key != NULL && strcmp(key, "before") == 0)
		to = &g->before;
	else if (key != NULL && strcmp(key, "after") == 0)
		to = &g->after;
	else if (key != NULL && strcmp(key, "note") == 0)
		to = &g->note;
	else if (key == NULL || strcmp(key, "line") != 0) {
		ydoc_error(y, d, k, "unknown key \"%s\" in a gap (expected "
		    "\"line\", \"before\", \"after\" or \"note\")",
		    key ? key : "?");
		return -1;
	}
	if ((value = text_value(y, v, key, d)) == NULL)
		return -1;
	if (to != NULL) {
		free(*to);
		*to = xstrdup(value);
		return 0;
	}
	errno = 0;
	n = strtoul(value, &end, 10);
	if (value[0] < '1' || value[0] > '9' || *end != '\0' || errno != 0 ||
	    n > UINT32_MAX) {
		ydoc_error(y, d, v, "\"line\" must be a line number, not "
		    "\"%s\"", value);
		return -1;
	}
	g->line = (unsigned)n;
	return 0;
}

/* Reads one entry of gaps into s; -1 after adding errors. */
static int
read_gap(struct ydoc *y, yaml_node_t *node, struct source *s,
    struct diags *d)
{
	struct source_gap *g;
	yaml_node_pair_t *p;
	int rc = 0;

	if (node->type != YAML_MAPPING_NODE) {
		ydoc_error(y, d, node, "a gap must be a map (line, before or "
		    "after, note)");
		return -1;
	}
	s->gaps = xreallocarray(s->gaps, s->ngaps + 1, sizeof(*s->gaps));
	g = &s->gaps[s->ngaps++];
	memset(g, 0, sizeof(*g));
	g->at_line = ydoc_line(y, node);
	g->at_col = ydoc_col(node);
	for (p = node->data.mapping.pairs.start;
	    p < node->data.mapping.pairs.top; p++)
		if (read_gap_key(y, ydoc_node(y, p->key),
		    ydoc_node(y, p->value), g, d) == -1)
			rc = -1;
	if (rc == 0 && g->line == 0) {
		ydoc_error(y, d, node, "a gap needs the \"line\" of the page "
		    "it is on");
		rc = -1;
	} else if (rc == 0 && (g->before == NULL) == (g->after == NULL)) {
		ydoc_error(y, d, node, "a gap needs one of \"before\" and "
		    "\"after\": the text the lost words came before or after");
		rc = -1;
	}
	return rc;
}

/* Reads the list under gaps into s; -1 after adding errors. */
static int
read_gaps(struct ydoc *y, yaml_node_t *v, struct source *s, struct diags *d)
{
	yaml_node_item_t *it;
	int rc = 0;

	if (ydoc_is_null(v))
		return 0;
	if (v->type != YAML_SEQUENCE_NODE) {
		ydoc_error(y, d, v, "\"gaps\" must be a list");
		return -1;
	}
	for (it = v->data.sequence.items.start;
	    it < v->data.sequence.items.top; it++)
		if (read_gap(y, ydoc_node(y, *it), s, d) == -1)
			rc = -1;
	return rc;
}

/* Reads one key of NAME.yaml into s; -1 after adding an error. */
static int
read_meta_key(struct ydoc *y, yaml_node_t *k, yaml_node_t *v,
    struct source *s, struct diags *d)
{
	const char *key = ydoc_scalar(k), *value;
	size_t i;

	if (key != NULL && strcmp(key, "gaps") == 0)
		return read_gaps(y, v, s, d);
	for (i = 0; key != NULL && i < NMETA; i++)
		if (strcmp(key, meta_keys[i].key) == 0)
			break;
	if (key == NULL || i == NMETA) {
		ydoc_error(y, d, k, "unknown key \"%s\" (expected "
		    "\"publication\", \"date\", \"page\" or \"gaps\")",
		    key ? key : "?");
		return -1;
	}
	if ((value = text_value(y, v, key, d)) == NULL)
		return -1;
	if (i == 1 && !config_is_date(value)) {
		ydoc_error(y, d, v, "\"date\" must be a date written "
		    "YYYY-MM-DD, not \"%s\"", value);
		return -1;
	}
	free(*meta_member(s, i));
	*meta_member(s, i) = xstrdup(value);
	return 0;
}

int
source_meta_read(struct source *s, const char *fspath, const char *path,
    size_t max, struct diags *d)
{
	struct ydoc y = { 0 };
	yaml_node_t *root;
	yaml_node_pair_t *p;
	char *data = NULL;
	int rc = -1;

	if (ydoc_load_file(&y, fspath, path, max, &data, d) == -1)
		goto out;
	rc = 0;
	if ((root = ydoc_root(&y)) == NULL)
		goto out;
	if (root->type != YAML_MAPPING_NODE) {
		ydoc_error(&y, d, root, "a source's metadata must be a map "
		    "(publication, date, page, gaps)");
		rc = -1;
		goto out;
	}
	for (p = root->data.mapping.pairs.start;
	    p < root->data.mapping.pairs.top; p++)
		if (read_meta_key(&y, ydoc_node(&y, p->key),
		    ydoc_node(&y, p->value), s, d) == -1)
			rc = -1;
out:
	ydoc_free(&y);
	free(data);
	return rc;
}

/* The hash of everything a source's page shows of it. */
static uint64_t
source_hash(const struct source *s)
{
	XXH3_state_t *st = XXH3_createState();
	uint64_t h;
	size_t k;

	XXH3_64bits_reset(st);
	XXH3_64bits_update(st, s->name, strlen(s->name) + 1);
	XXH3_64bits_update(st, s->text, s->len);
	for (k = 0; k < NMETA; k++)
		if (*meta_member((struct source *)s, k) != NULL)
			XXH3_64bits_update(st, *meta_member(
			    (struct source *)s, k), strlen(*meta_member(
			    (struct source *)s, k)) + 1);
		else
			XXH3_64bits_update(st, "", 1);
	h = XXH3_64bits_digest(st);
	XXH3_freeState(st);
	return h;
}

static int
load_one(struct source *s, const char *dir, const char *name, size_t max,
    struct diags *d)
{
	char *fspath = fs_join(dir, name), *path = fs_join("content/sources",
	    name), *meta = NULL, *metapath = NULL, *nfc;
	size_t bad;
	int rc = -1;

	memset(s, 0, sizeof(*s));
	if (!article_file_name_is_safe(name)) {
		diag_error(d, path, 0, 0, "the file name cannot be published "
		    "(use letters, digits, \"-\", \"_\" and \".\")");
		goto out;
	}
	/* Articles name their source in NFC; another spelling matches none. */
	if ((nfc = utf8_nfc_if_needed(name)) != NULL) {
		diag_error(d, path, 0, 0, "the file name is not in Unicode NFC: "
		    "rename it \"%s\"", nfc);
		free(nfc);
		goto out;
	}
	s->name = xstrdup(name);
	s->stem = xstrndup(name, strlen(name) - strlen(".txt"));
	if (fs_read_max(fspath, max, &s->text, &s->len) == -1) {
		fs_read_failed(d, path, errno, s->len, max);
		goto out;
	}
	if ((bad = utf8_invalid_at(s->text, s->len)) < s->len) {
		diag_error(d, path, 0, 0, "not UTF-8 text (byte 0x%02x at "
		    "offset %zu)", (unsigned char)s->text[bad], bad);
		goto out;
	}
	meta = xasprintf("%s/%s.yaml", dir, s->stem);
	metapath = xasprintf("content/sources/%s.yaml", s->stem);
	if (fs_exists(meta) && source_meta_read(s, meta, metapath, max,
	    d) == -1)
		goto out;
	s->hash = source_hash(s);
	rc = 0;
out:
	free(fspath);
	free(path);
	free(meta);
	free(metapath);
	return rc;
}

void
source_meta_free(struct source *s)
{
	size_t k;

	for (k = 0; k < NMETA; k++) {
		free(*meta_member(s, k));
		*meta_member(s, k) = NULL;
	}
	for (k = 0; k < s->ngaps; k++) {
		free(s->gaps[k].before);
		free(s->gaps[k].after);
		free(s->gaps[k].note);
	}
	free(s->gaps);
	s->gaps = NULL;
	s->ngaps = 0;
}

static void
source_clear(struct source *s)
{
	free(s->name);
	free(s->stem);
	free(s->text);
	source_meta_free(s);
}

int
sources_load(struct source_list *l, const char *dir, size_t max,
    struct diags *d)
{
	char *folder = fs_join(dir, "content/sources"), **names = NULL;
	size_t n = 0, i;
	int rc = 0;

	memset(l, 0, sizeof(*l));
	if (!fs_exists(folder))
		goto out;
	if (fs_list(folder, ".txt", &names, &n) == -1) {
		diag_error(d, "content/sources", 0, 0, "cannot list: %s",
		    strerror(errno));
		rc = -1;
		goto out;
	}
	l->items = xcalloc(n + 1, sizeof(*l->items));
	for (i = 0; i < n; i++) {
		if (load_one(&l->items[l->count], folder, names[i], max,
		    d) == 0)
			l->count++;
		else {
			source_clear(&l->items[l->count]);
			rc = -1;
		}
	}
out:
	fs_names_free(names, n);
	free(folder);
	return rc;
}

void
sources_free(struct source_list *l)
{
	size_t i;

	for (i = 0; i < l->count; i++)
		source_clear(&l->items[i]);
	free(l->items);
	memset(l, 0, sizeof(*l));
}

const struct source *
sources_find(const struct source_list *l, const char *name)
{
	size_t lo = 0, hi = l->count, mid;
	int c;

	/* Listed in name order: a binary search. */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = strcmp(l->items[mid].name, name);
		if (c == 0)
			return &l->items[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}
