/*
 * Theme tags.  content/themes.yaml lists the themes, each with the
 * keywords that count as evidence:
 *
 *   - {slug: grid, name: 网格化管理, description: ..., keywords: [网格, ...]}
 *
 * An article gets a theme when its body holds at least THEME_MIN_HITS
 * keyword hits and at least THEME_DENSITY hits per thousand characters,
 * or one hit in a section heading, or one hit of the keyword that is the
 * theme's own name: 红色物业 said once names the practice, where 物业
 * or 品牌 is said in passing.  A passing mention is not what an article is about, and a long
 * article mentions much in passing.  Tuned on the seed pages: 1.5 per
 * thousand keeps a 3000-character article to the themes it returns to
 * four or five times.
 *
 * An article that earns no theme so still gets one, the theme with the
 * most evidence (keyword characters, squared, summed over the hits), so
 * that every article can be reached by theme; one without any keyword
 * gets none.
 */
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "../load/ydoc.h"
#include "../util/utf8.h"
#include "../util/xalloc.h"
#include "internal.h"

#define THEME_MIN_HITS	2
#define THEME_DENSITY	1.5

struct theme {
	char	*slug;		/* owned */
	char	*name;		/* owned */
	char	**keywords;	/* owned */
	size_t	 nkeywords;
};

struct import_themes {
	struct theme *items;	/* owned */
	size_t	 count;
};

static const char *const theme_keys[] = {
	"slug", "name", "description", "keywords",
};

void
import_themes_free(struct import_themes *t)
{
	size_t i, k;

	if (t == NULL)
		return;
	for (i = 0; i < t->count; i++) {
		free(t->items[i].slug);
		free(t->items[i].name);
		for (k = 0; k < t->items[i].nkeywords; k++)
			free(t->items[i].keywords[k]);
		free(t->items[i].keywords);
	}
	free(t->items);
	free(t);
}

static const char *
scalar(yaml_node_t *n)
{
	return n != NULL && n->type == YAML_SCALAR_NODE ?
	    (const char *)n->data.scalar.value : NULL;
}

static bool
slug_is_valid(const char *s)
{
	size_t i;

	if (s == NULL || s[0] == '\0' || s[0] == '-')
		return false;
	for (i = 0; s[i] != '\0'; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return false;
	return s[i - 1] != '-';
}

static void
error_at(struct diags *d, const char *path, yaml_node_t *n,
    const char *message)
{
	diag_error(d, path, (unsigned)n->start_mark.line + 1,
	    (unsigned)n->start_mark.column + 1, "%s", message);
}

/* Reads a theme's keywords; returns how many errors it added to d. */
static int
read_keywords(yaml_document_t *doc, yaml_node_t *list, const char *path,
    struct theme *t, struct diags *d)
{
	yaml_node_item_t *item;
	yaml_node_t *kw;
	const char *s;
	int errors = 0;

	if (list->type != YAML_SEQUENCE_NODE) {
		error_at(d, path, list, "\"keywords\" must be a list");
		return 1;
	}
	for (item = list->data.sequence.items.start;
	    item < list->data.sequence.items.top; item++) {
		kw = yaml_document_get_node(doc, *item);
		if ((s = scalar(kw)) == NULL || s[0] == '\0') {
			error_at(d, path, kw, "a keyword must be a non-empty "
			    "string");
			errors++;
			continue;
		}
		t->keywords = xreallocarray(t->keywords, t->nkeywords + 1,
		    sizeof(*t->keywords));
		t->keywords[t->nkeywords++] = xstrdup(s);
	}
	return errors;
}

/* Reads one theme; returns -1 after adding errors to d. */
static int
read_theme(yaml_document_t *doc, yaml_node_t *map, const char *path,
    struct theme *t, struct diags *d)
{
	yaml_node_pair_t *pair;
	yaml_node_t *key, *value;
	const char *k, *s;
	size_t i;
	bool known, seen[4] = { false, false, false, false };
	int rc = -1, errors = 0;

	if (map->type != YAML_MAPPING_NODE) {
		error_at(d, path, map, "a theme must be a mapping");
		goto out;
	}
	for (pair = map->data.mapping.pairs.start;
	    pair < map->data.mapping.pairs.top; pair++) {
		key = yaml_document_get_node(doc, pair->key);
		value = yaml_document_get_node(doc, pair->value);
		k = scalar(key);
		known = false;
		for (i = 0; k != NULL && i < 4; i++)
			if (strcmp(k, theme_keys[i]) == 0) {
				known = seen[i] = true;
				break;
			}
		if (!known) {
			diag_error(d, path, (unsigned)key->start_mark.line + 1,
			    (unsigned)key->start_mark.column + 1,
			    "unknown theme key \"%s\"", k ? k : "");
			errors++;
			continue;
		}
		if (i == 0) {
			s = scalar(value);
			if (!slug_is_valid(s)) {
				error_at(d, path, value, "a theme slug is "
				    "lowercase ASCII words joined by hyphens");
				errors++;
			} else {
				free(t->slug);	/* a key given twice */
				t->slug = xstrdup(s);
			}
		} else if (i == 1 && scalar(value) != NULL) {
			free(t->name);	/* a key given twice */
			t->name = xstrdup(scalar(value));
		} else if (i == 3) {
			errors += read_keywords(doc, value, path, t, d);
		} else if (scalar(value) == NULL) {
			error_at(d, path, value, "theme names and "
			    "descriptions are strings");
			errors++;
		}
	}
	for (i = 0; i < 4; i++)
		if (!seen[i]) {
			diag_error(d, path, (unsigned)map->start_mark.line + 1,
			    (unsigned)map->start_mark.column + 1,
			    "theme without \"%s\"", theme_keys[i]);
			errors++;
		}
	if (errors == 0)
		rc = 0;
out:
	return rc;
}

struct import_themes *
import_themes_parse(const char *path, const char *data, size_t len,
    struct diags *d)
{
	struct import_themes *t = xcalloc(1, sizeof(*t));
	struct ydoc y;
	yaml_node_t *root;
	yaml_node_item_t *item;
	size_t errors = d->errors, bom = utf8_bom_length(data, len);

	if (ydoc_load(&y, path, 0, data + bom, len - bom, d) == -1)
		goto out;
	root = ydoc_root(&y);
	if (root == NULL || root->type != YAML_SEQUENCE_NODE) {
		diag_error(d, path, 1, 1, "themes must be a list");
		goto out;
	}
	for (item = root->data.sequence.items.start;
	    item < root->data.sequence.items.top; item++) {
		t->items = xreallocarray(t->items, t->count + 1,
		    sizeof(*t->items));
		memset(&t->items[t->count], 0, sizeof(t->items[0]));
		t->count++;
		read_theme(&y.doc, ydoc_node(&y, *item), path,
		    &t->items[t->count - 1], d);
	}
out:
	ydoc_free(&y);
	if (d->errors > errors) {
		import_themes_free(t);
		t = NULL;
	}
	return t;
}

/*
 * Words a keyword starts that are not evidence of its theme: the kinds
 * of autonomous divisions (内蒙古自治区) hold 自治 without self-government.
 */
static const char *const not_evidence[] = {
	"自治区", "自治州", "自治县", "自治旗",
};

/* The length of the word of not_evidence at s, or 0. */
static size_t
not_evidence_at(const char *s)
{
	size_t i, n;

	for (i = 0; i < sizeof(not_evidence) / sizeof(not_evidence[0]); i++) {
		n = strlen(not_evidence[i]);
		if (strncmp(s, not_evidence[i], n) == 0)
			return n;
	}
	return 0;
}

/* What a body holds of one theme's keywords. */
struct evidence {
	size_t	 hits;		/* places where a keyword starts */
	size_t	 heading;	/* of them, inside "## " lines */
	size_t	 strong;	/* of them, of the keyword that is its name */
	size_t	 weight;	/* keyword characters, squared, summed */
};

/*
 * Counts the places where one of the keywords starts, taking the longest
 * at each, so 网格员 counts once, not also as 网格.
 */
static void
count_hits(const struct theme *t, const char *body, struct evidence *ev)
{
	size_t pos = 0, len = strlen(body), k, klen, longest, chars;
	size_t name = t->name != NULL ? strlen(t->name) : 0;
	bool in_heading = strncmp(body, "## ", 3) == 0;

	memset(ev, 0, sizeof(*ev));
	while (pos < len) {
		if (body[pos] == '\n')
			in_heading = strncmp(body + pos + 1, "## ", 3) == 0;
		if ((longest = not_evidence_at(body + pos)) > 0) {
			pos += longest;
			continue;
		}
		for (k = 0; k < t->nkeywords; k++) {
			klen = strlen(t->keywords[k]);
			if (klen > longest && strncmp(body + pos,
			    t->keywords[k], klen) == 0)
				longest = klen;
		}
		if (longest > 0) {
			chars = utf8_length(body + pos, longest);
			ev->hits++;
			ev->heading += in_heading;
			ev->strong += longest == name &&
			    memcmp(body + pos, t->name, name) == 0;
			ev->weight += chars * chars;
			pos += longest;
		} else
			pos++;
	}
}

static bool
is_evident(const struct evidence *ev, size_t chars)
{
	return ev->heading > 0 || ev->strong > 0 ||
	    (ev->hits >= THEME_MIN_HITS &&
	    (double)ev->hits * 1000 >= THEME_DENSITY * (double)chars);
}

static void
add_theme(struct import_article *a, const char *slug)
{
	a->themes = xreallocarray(a->themes, a->nthemes + 1,
	    sizeof(*a->themes));
	a->themes[a->nthemes++] = xstrdup(slug);
}

void
themes_tag(const struct import_themes *t, struct import_article *a)
{
	size_t i, chars = utf8_length(a->body, strlen(a->body)), best = 0;
	struct evidence ev;
	const char *fallback = NULL;

	if (t == NULL)
		return;
	for (i = 0; i < t->count; i++) {
		count_hits(&t->items[i], a->body, &ev);
		if (is_evident(&ev, chars))
			add_theme(a, t->items[i].slug);
		else if (ev.weight > best) {
			best = ev.weight;
			fallback = t->items[i].slug;
		}
	}
	if (a->nthemes == 0 && fallback != NULL)
		add_theme(a, fallback);
}
