#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <xxhash.h>

#include "../util/fs.h"
#include "../util/suggest.h"
#include "../util/utf8.h"
#include "../util/xalloc.h"
#include "ydoc.h"

/* Reads a file of at most max bytes into *text (caller frees). */
static int
read_file(const char *fspath, const char *path, size_t max, char **text,
    size_t *len, struct diags *d)
{
	*len = 0;
	if (fs_read_max(fspath, max, text, len) == -1) {
		fs_read_failed(d, path, errno, *len, max);
		return -1;
	}
	return 0;
}

static bool
is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

bool
config_is_date(const char *s)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	int y, m, dd, i;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return false;
	y = atoi(s);
	m = atoi(s + 5);
	dd = atoi(s + 8);
	if (m < 1 || m > 12 || dd < 1)
		return false;
	return dd <= days[m - 1] + (m == 2 && is_leap(y));
}

static bool
is_absolute_url(const char *u)
{
	return strncmp(u, "https://", 8) == 0 || strncmp(u, "http://", 7) == 0;
}

int
config_set_base_url(struct site_config *c, const char *url)
{
	size_t n = strlen(url);

	if (!is_absolute_url(url))
		return -1;
	while (n > 0 && url[n - 1] == '/')
		n--;
	free(c->base_url);
	c->base_url = xstrndup(url, n);
	return 0;
}

static const char *const site_keys[] = {
	"title", "base_url", "language", "description", "published",
	"max_file_size", "max_page_size",
};
#define NSITE_KEYS (sizeof(site_keys) / sizeof(site_keys[0]))

/* The largest limit a site may set: templates count in 32 bits. */
#define CONFIG_SIZE_CEILING	((uint64_t)1 << 30)

/*
 * Reads a size: a whole number of bytes, or of K, M or G (1024, 1024^2,
 * 1024^3 bytes), from 1 to CONFIG_SIZE_CEILING.  Returns 0, or -1.
 */
static int
parse_size(const char *s, size_t *out)
{
	uint64_t n = 0, unit = 1;
	const char *p = s;

	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		n = n * 10 + (uint64_t)(*p - '0');
		if (n > CONFIG_SIZE_CEILING)
			return -1;
	}
	if (*p == 'K' || *p == 'k')
		unit = (uint64_t)1 << 10;
	else if (*p == 'M')
		unit = (uint64_t)1 << 20;
	else if (*p == 'G')
		unit = (uint64_t)1 << 30;
	if (unit > 1)
		p++;
	if (*p != '\0' || n == 0 || n > CONFIG_SIZE_CEILING / unit)
		return -1;
	*out = (size_t)(n * unit);
	return 0;
}

static int
read_size_key(struct site_config *c, struct ydoc *y, const char *key,
    yaml_node_t *v, struct diags *d)
{
	size_t *slot = strcmp(key, "max_file_size") == 0 ?
	    &c->max_file_size : &c->max_page_size;
	const char *s = ydoc_scalar(v);

	if (s == NULL || parse_size(s, slot) == -1) {
		ydoc_error(y, d, v, "\"%s\" must be a size in bytes, or in K, "
		    "M or G (as 16M), from 1 to 1G, not \"%s\"", key,
		    s ? s : "(not a string)");
		return -1;
	}
	return 0;
}

static int
read_site_key(struct site_config *c, struct ydoc *y, yaml_node_t *k,
    yaml_node_t *v, struct diags *d)
{
	const char *key = ydoc_scalar(k), *s = ydoc_scalar(v), *guess;
	char **slot[] = { &c->title, &c->base_url, &c->language,
	    &c->description, &c->published, NULL, NULL };
	size_t i;

	for (i = 0; i < NSITE_KEYS; i++) {
		if (key == NULL || strcmp(key, site_keys[i]) != 0)
			continue;
		if (slot[i] == NULL)
			return read_size_key(c, y, key, v, d);
		if (s == NULL || s[0] == '\0') {
			ydoc_error(y, d, v, "\"%s\" must be a non-empty string",
			    key);
			return -1;
		}
		if (slot[i] == &c->base_url) {
			if (config_set_base_url(c, s) == -1) {
				ydoc_error(y, d, v, "\"base_url\" must be an "
				    "absolute http(s) URL, not \"%s\"", s);
				return -1;
			}
			return 0;
		}
		if (slot[i] == &c->published && !config_is_date(s)) {
			ydoc_error(y, d, v, "\"published\" must be a date "
			    "written YYYY-MM-DD, not \"%s\"", s);
			return -1;
		}
		free(*slot[i]);
		*slot[i] = xstrdup(s);
		return 0;
	}
	guess = key ? suggest(key, site_keys, NSITE_KEYS) : NULL;
	if (guess)
		ydoc_error(y, d, k, "unknown key \"%s\" (did you mean \"%s\"?)",
		    key, guess);
	else
		ydoc_error(y, d, k, "unknown key \"%s\"", key ? key : "?");
	return -1;
}

/* An empty configuration: the limits set, every string unset. */
static void
config_init(struct site_config *c)
{
	memset(c, 0, sizeof(*c));
	c->max_file_size = CONFIG_MAX_FILE_SIZE;
	c->max_page_size = CONFIG_MAX_PAGE_SIZE;
}

int
config_load(struct site_config *c, const char *fspath, const char *path,
    struct diags *d)
{
	char *text = NULL;
	size_t len;
	int rc = -1;

	config_init(c);
	if (read_file(fspath, path, CONFIG_MAX_FILE_SIZE, &text, &len,
	    d) == 0)
		rc = config_parse(c, path, text, len, d);
	free(text);
	return rc;
}

int
config_parse(struct site_config *c, const char *path, const char *text,
    size_t len, struct diags *d)
{
	struct ydoc y = { 0 };
	yaml_node_t *root;
	yaml_node_pair_t *p;
	int rc = -1, bad = 0;

	config_init(c);
	if (ydoc_load_text(&y, path, text, len, d) == -1)
		goto out;
	root = ydoc_root(&y);
	if (root == NULL || root->type != YAML_MAPPING_NODE) {
		ydoc_error(&y, d, root, "site settings must be a map of keys");
		goto out;
	}
	for (p = root->data.mapping.pairs.start;
	    p < root->data.mapping.pairs.top; p++)
		if (read_site_key(c, &y, ydoc_node(&y, p->key),
		    ydoc_node(&y, p->value), d) == -1)
			bad = 1;
	if (c->title == NULL) {
		diag_error(d, path, 1, 1, "missing \"title\"");
		bad = 1;
	}
	if (c->base_url == NULL) {
		diag_error(d, path, 1, 1, "missing \"base_url\"");
		bad = 1;
	}
	if (c->language == NULL)
		c->language = xstrdup("zh-CN");
	if (c->description == NULL)
		c->description = xstrdup("");
	if (c->published == NULL)
		c->published = xstrdup("1970-01-01");
	if (!bad)
		rc = 0;
out:
	ydoc_free(&y);
	return rc;
}

void
config_free(struct site_config *c)
{
	free(c->title);
	free(c->base_url);
	free(c->language);
	free(c->description);
	free(c->published);
	memset(c, 0, sizeof(*c));
}

static bool
is_theme_slug(const char *s)
{
	const char *p;

	if (*s == '\0' || *s == '-')
		return false;
	for (p = s; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    *p == '-'))
			return false;
	return true;
}

static int
read_keywords(struct theme *t, struct ydoc *y, yaml_node_t *v,
    struct diags *d)
{
	yaml_node_item_t *it;
	const char *s;
	size_t n, i;

	if (v->type != YAML_SEQUENCE_NODE) {
		ydoc_error(y, d, v, "\"keywords\" must be a list of words");
		return -1;
	}
	/* A key given twice: the last wins. */
	for (i = 0; i < t->nkeywords; i++)
		free(t->keywords[i]);
	free(t->keywords);
	t->nkeywords = 0;
	n = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
	t->keywords = xcalloc(n + 1, sizeof(*t->keywords));
	for (it = v->data.sequence.items.start; it < v->data.sequence.items.top;
	    it++) {
		s = ydoc_scalar(ydoc_node(y, *it));
		if (s == NULL || *s == '\0') {
			ydoc_error(y, d, ydoc_node(y, *it),
			    "a keyword must be a non-empty string");
			return -1;
		}
		t->keywords[t->nkeywords++] = xstrdup(s);
	}
	return 0;
}

static const char *const theme_keys[] = {
	"slug", "name", "description", "keywords",
};

static int
read_theme(struct theme *t, struct ydoc *y, yaml_node_t *node,
    struct diags *d)
{
	yaml_node_pair_t *p;
	yaml_node_t *k, *v;
	const char *key, *s, *guess;
	int rc = 0;

	t->line = ydoc_line(y, node);
	if (node->type != YAML_MAPPING_NODE) {
		ydoc_error(y, d, node, "a theme must be a map with slug, name, "
		    "description and keywords");
		return -1;
	}
	for (p = node->data.mapping.pairs.start;
	    p < node->data.mapping.pairs.top; p++) {
		k = ydoc_node(y, p->key);
		v = ydoc_node(y, p->value);
		key = ydoc_scalar(k) ? ydoc_scalar(k) : "?";
		s = ydoc_scalar(v);
		if (strcmp(key, "keywords") == 0) {
			if (read_keywords(t, y, v, d) == -1)
				rc = -1;
			continue;
		}
		if (strcmp(key, "slug") != 0 && strcmp(key, "name") != 0 &&
		    strcmp(key, "description") != 0) {
			guess = suggest(key, theme_keys, 4);
			if (guess)
				ydoc_error(y, d, k, "unknown key \"%s\" (did you "
				    "mean \"%s\"?)", key, guess);
			else
				ydoc_error(y, d, k, "unknown key \"%s\"", key);
			rc = -1;
			continue;
		}
		if (s == NULL || *s == '\0') {
			ydoc_error(y, d, v, "\"%s\" must be a non-empty string",
			    key);
			rc = -1;
			continue;
		}
		if (strcmp(key, "slug") == 0) {
			if (!is_theme_slug(s)) {
				ydoc_error(y, d, v, "theme slug \"%s\" must be "
				    "lowercase letters, digits and \"-\"", s);
				rc = -1;
			}
			free(t->slug);
			t->slug = xstrdup(s);
		} else if (strcmp(key, "name") == 0) {
			free(t->name);
			t->name = xstrdup(s);
		} else {
			free(t->description);
			t->description = xstrdup(s);
		}
	}
	if (rc == 0 && (t->slug == NULL || t->name == NULL)) {
		ydoc_error(y, d, node, "a theme needs a \"slug\" and a \"name\"");
		rc = -1;
	}
	if (t->description == NULL)
		t->description = xstrdup("");
	return rc;
}

int
themes_load(struct theme_list *t, const char *fspath, const char *path,
    size_t max, struct diags *d)
{
	char *text = NULL;
	size_t len;
	int rc = -1;

	memset(t, 0, sizeof(*t));
	if (read_file(fspath, path, max, &text, &len, d) == 0)
		rc = themes_parse(t, path, text, len, d);
	free(text);
	return rc;
}

int
themes_parse(struct theme_list *t, const char *path, const char *text,
    size_t len, struct diags *d)
{
	struct ydoc y = { 0 };
	yaml_node_t *root;
	yaml_node_item_t *it;
	size_t n, i, j;
	int rc = -1, bad = 0;

	memset(t, 0, sizeof(*t));
	if (ydoc_load_text(&y, path, text, len, d) == -1)
		goto out;
	root = ydoc_root(&y);
	if (root == NULL || root->type != YAML_SEQUENCE_NODE) {
		ydoc_error(&y, d, root, "themes must be a list of themes");
		goto out;
	}
	n = (size_t)(root->data.sequence.items.top -
	    root->data.sequence.items.start);
	t->items = xcalloc(n, sizeof(*t->items));
	for (it = root->data.sequence.items.start;
	    it < root->data.sequence.items.top; it++)
		if (read_theme(&t->items[t->count++], &y, ydoc_node(&y, *it),
		    d) == -1)
			bad = 1;
	/* Two themes of one name could not be told apart by readers. */
	for (i = 0; i < t->count && !bad; i++)
		for (j = 0; j < i; j++)
			if (strcmp(t->items[i].slug, t->items[j].slug) == 0) {
				diag_error(d, path, t->items[i].line, 1,
				    "duplicate theme slug \"%s\" (first at "
				    "line %u)", t->items[i].slug,
				    t->items[j].line);
				bad = 1;
			} else if (strcmp(t->items[i].name,
			    t->items[j].name) == 0) {
				diag_error(d, path, t->items[i].line, 1,
				    "duplicate theme name \"%s\" (theme \"%s\" "
				    "at line %u has it)", t->items[i].name,
				    t->items[j].slug, t->items[j].line);
				bad = 1;
			}
	if (!bad)
		rc = 0;
out:
	ydoc_free(&y);
	return rc;
}

void
themes_free(struct theme_list *t)
{
	size_t i, j;

	for (i = 0; i < t->count; i++) {
		free(t->items[i].slug);
		free(t->items[i].name);
		free(t->items[i].description);
		for (j = 0; j < t->items[i].nkeywords; j++)
			free(t->items[i].keywords[j]);
		free(t->items[i].keywords);
	}
	free(t->items);
	memset(t, 0, sizeof(*t));
}

uint64_t
themes_fingerprint(const struct theme_list *t)
{
	XXH3_state_t *state = XXH3_createState();
	uint64_t h;
	size_t i, k;

	if (state == NULL)
		abort();
	XXH3_64bits_reset(state);
	for (i = 0; i < t->count; i++) {
		/* NUL-terminated pieces, so "ab"+"c" differs from "a"+"bc". */
		XXH3_64bits_update(state, t->items[i].slug,
		    strlen(t->items[i].slug) + 1);
		for (k = 0; k < t->items[i].nkeywords; k++)
			XXH3_64bits_update(state, t->items[i].keywords[k],
			    strlen(t->items[i].keywords[k]) + 1);
		XXH3_64bits_update(state, "", 1);
	}
	h = XXH3_64bits_digest(state);
	XXH3_freeState(state);
	return h;
}

const struct theme *
themes_find(const struct theme_list *t, const char *slug)
{
	size_t i;

	for (i = 0; i < t->count; i++)
		if (strcmp(t->items[i].slug, slug) == 0)
			return &t->items[i];
	return NULL;
}
