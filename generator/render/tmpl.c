/*
 * A set of templates: added by name, partials and parents linked to
 * their templates once per change, checked for what is missing and for
 * endless inclusion, fingerprinted for the build.
 */
#include "tmpl_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "../util/fs.h"
#include "../util/suggest.h"
#include "../util/utf8.h"
#include "../util/xalloc.h"

#define TMPL_SUFFIX		".mustache"

struct tmpl_set *
tmpl_set_new(void)
{
	return xcalloc(1, sizeof(struct tmpl_set));
}

void
tmpl_set_free(struct tmpl_set *set)
{
	size_t i;

	if (set == NULL)
		return;
	for (i = 0; i < set->count; i++)
		tmpl_discard(set->items[i]);
	free(set->items);
	free(set);
}

struct tmpl *
tmpl_find(const struct tmpl_set *set, const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < set->count; i++)
		if (strncmp(set->items[i]->name, name, len) == 0 &&
		    set->items[i]->name[len] == '\0')
			return set->items[i];
	return NULL;
}

/*
 * Points every partial and parent node at its template, or NULL.  Run
 * after each change to the set, so rendering never looks names up.
 */
static void
set_link(struct tmpl_set *set)
{
	struct tmpl *t;
	struct node *n;
	size_t i, j;

	for (i = 0; i < set->count; i++) {
		t = set->items[i];
		for (j = 0; j < t->nrefs; j++) {
			n = &t->nodes[t->refs[j]];
			n->target = tmpl_find(set, t->pool + n->off, n->len);
		}
	}
}

int
tmpl_add(struct tmpl_set *set, const char *name, const char *path,
    const char *src, size_t len, struct diags *d)
{
	struct tmpl *t, *old;
	size_t i;
	int rc = -1;

	if ((t = tmpl_compile(name, path, src, len, d)) == NULL)
		goto out;
	if ((old = tmpl_find(set, name, strlen(name))) != NULL) {
		for (i = 0; set->items[i] != old; i++)
			;
		set->items[i] = t;
		tmpl_discard(old);
	} else {
		if (set->count == set->cap) {
			set->cap = set->cap ? set->cap * 2 : 16;
			set->items = xreallocarray(set->items, set->cap,
			    sizeof(*set->items));
		}
		set->items[set->count++] = t;
	}
	set_link(set);
	rc = 0;
out:
	return rc;
}

int
tmpl_load_dir(struct tmpl_set *set, const char *dir, const char *display,
    size_t max, struct diags *d)
{
	char **names = NULL, *path = NULL, *shown = NULL, *name = NULL;
	char *src = NULL;
	size_t count = 0, len = 0, i, bom;
	int rc = -1, failed = 0;

	if (fs_list(dir, TMPL_SUFFIX, &names, &count) == -1) {
		diag_error(d, display, 0, 0, "cannot read folder: %s",
		    strerror(errno));
		goto out;
	}
	for (i = 0; i < count; i++) {
		if (names[i][0] == '.')
			continue;	/* editors' lock and backup files */
		path = fs_join(dir, names[i]);
		shown = fs_join(display, names[i]);
		if (fs_read_max(path, max, &src, &len) == -1) {
			fs_read_failed(d, shown, errno, len, max);
			failed = 1;
		} else {
			name = xstrndup(names[i],
			    strlen(names[i]) - strlen(TMPL_SUFFIX));
			bom = utf8_bom_length(src, len);
			if (tmpl_add(set, name, shown, src + bom, len - bom,
			    d) == -1)
				failed = 1;
		}
		free(name);
		free(src);
		free(shown);
		free(path);
		name = src = shown = path = NULL;
	}
	if (failed)
		goto out;
	rc = 0;
out:
	fs_names_free(names, count);
	return rc;
}

int
tmpl_has(const struct tmpl_set *set, const char *name)
{
	return tmpl_find(set, name, strlen(name)) != NULL;
}

static size_t
set_index(const struct tmpl_set *set, const struct tmpl *t)
{
	size_t i;

	for (i = 0; set->items[i] != t; i++)
		;
	return i;
}

/*
 * Whether template from reaches template goal (indexes in the set) by
 * partials and parents that no section, inverted section or block
 * guards: such a path renders on every visit, so a cycle never ends.
 * seen and stack have room for one entry per template.
 */
static bool
reaches(const struct tmpl_set *set, size_t from, size_t goal,
    unsigned char *seen, size_t *stack)
{
	const struct tmpl *t;
	const struct node *n, *end;
	size_t depth = 0, k, u;
	bool found = false;

	memset(seen, 0, set->count);
	seen[from] = 1;
	stack[depth++] = from;
	while (depth > 0 && !found) {
		k = stack[--depth];
		found = k == goal;
		t = set->items[k];
		end = t->nodes + t->count;
		/* Stepping by size skips every subtree: only top-level tags. */
		for (n = t->nodes; n < end; n += n->size) {
			if ((n->kind != NODE_PARTIAL &&
			    n->kind != NODE_PARENT) || n->target == NULL)
				continue;
			u = set_index(set, n->target);
			if (!seen[u]) {
				seen[u] = 1;
				stack[depth++] = u;
			}
		}
	}
	return found;
}

static const char *
ref_word(const struct node *n)
{
	return n->kind == NODE_PARENT ? "parent" : "partial";
}

/* Reports the partials and parents of template i that are missing. */
static int
check_missing(const struct tmpl *t, struct diags *d)
{
	char q[TMPL_QUOTE_SIZE];
	const struct node *n;
	size_t j;
	int rc = 0;

	for (j = 0; j < t->nrefs; j++) {
		n = &t->nodes[t->refs[j]];
		if (n->target != NULL)
			continue;
		diag_error(d, t->path, n->line, n->col, "missing %s \"%s\"",
		    ref_word(n), tmpl_quote(q, sizeof(q), t->pool + n->off,
		    n->len));
		rc = -1;
	}
	return rc;
}

/* Reports the unguarded tags of template i that lead back to it. */
static int
check_cycles(const struct tmpl_set *set, size_t i, unsigned char *seen,
    size_t *stack, struct diags *d)
{
	const struct tmpl *t = set->items[i];
	const struct node *n, *end = t->nodes + t->count;
	size_t u;
	int rc = 0;

	for (n = t->nodes; n < end; n += n->size) {
		if ((n->kind != NODE_PARTIAL && n->kind != NODE_PARENT) ||
		    n->target == NULL)
			continue;
		u = set_index(set, n->target);
		if (u == i)
			diag_error(d, t->path, n->line, n->col,
			    "%s \"%s\" includes itself", ref_word(n), t->name);
		else if (reaches(set, u, i, seen, stack))
			diag_error(d, t->path, n->line, n->col,
			    "template \"%s\" includes itself through %s \"%s\"",
			    t->name, ref_word(n), n->target->name);
		else
			continue;
		rc = -1;
	}
	return rc;
}

int
tmpl_check(const struct tmpl_set *set, struct diags *d)
{
	unsigned char *seen = xmalloc(set->count);
	size_t *stack = xreallocarray(NULL, set->count, sizeof(*stack));
	size_t i;
	int rc = 0;

	for (i = 0; i < set->count; i++) {
		if (check_missing(set->items[i], d) == -1)
			rc = -1;
		if (check_cycles(set, i, seen, stack, d) == -1)
			rc = -1;
	}
	free(seen);
	free(stack);
	return rc;
}

static bool
name_known(const char *name, size_t len, const char *const *known)
{
	size_t i;

	if (len == 1 && name[0] == '.')
		return true;
	for (i = 0; i < len && name[i] >= '0' && name[i] <= '9'; i++)
		;
	if (i == len)
		return true;	/* a list index */
	for (; *known != NULL; known++)
		if (strlen(*known) == len && memcmp(*known, name, len) == 0)
			return true;
	return false;
}

/* Reports the first part of node n's name that is not known, if any. */
static int
check_node_name(const struct tmpl *t, const struct node *n,
    const char *const *known, size_t nknown, struct diags *d)
{
	char q[TMPL_QUOTE_SIZE], part[TMPL_QUOTE_SIZE];
	const char *name = t->pool + n->off, *end = name + n->len, *p, *dot;
	const char *guess;

	for (p = name; p < end; p = dot + 1) {
		dot = memchr(p, '.', (size_t)(end - p));
		if (dot == NULL || (n->len == 1 && *name == '.'))
			dot = end;
		if (name_known(p, (size_t)(dot - p), known))
			continue;
		tmpl_quote(part, sizeof(part), p, (size_t)(dot - p));
		guess = suggest(part, known, nknown);
		diag_error(d, t->path, n->line, n->col, "unknown %s \"%s\": "
		    "no page has \"%s\"%s%s%s", n->kind == NODE_VAR ||
		    n->kind == NODE_RAW ? "variable" : "section",
		    tmpl_quote(q, sizeof(q), name, n->len), part,
		    guess ? " (did you mean \"" : "", guess ? guess : "",
		    guess ? "\"?)" : "");
		return -1;
	}
	return 0;
}

int
tmpl_check_names(const struct tmpl_set *set, const char *const *known,
    struct diags *d)
{
	const struct tmpl *t;
	const struct node *n;
	size_t i, j, nknown = 0;
	int rc = 0;

	while (known[nknown] != NULL)
		nknown++;
	for (i = 0; i < set->count; i++) {
		t = set->items[i];
		for (j = 0; j < t->count; j++) {
			n = &t->nodes[j];
			if ((n->kind == NODE_VAR || n->kind == NODE_RAW ||
			    n->kind == NODE_SECTION ||
			    n->kind == NODE_INVERTED) &&
			    check_node_name(t, n, known, nknown, d) == -1)
				rc = -1;
		}
	}
	return rc;
}

/*
 * Hashes each template reachable from start once, in the order their
 * tags first appear (depth first), so the result is stable; a missing
 * partial hashes its name, so adding it later changes the fingerprint.
 */
uint64_t
tmpl_fingerprint(const struct tmpl_set *set, const char *name)
{
	const struct tmpl *start = tmpl_find(set, name, strlen(name)), *t;
	unsigned char *seen = NULL;
	size_t *stack = NULL, depth = 0, j, k;
	const struct node *n;
	XXH3_state_t *state = NULL;
	uint64_t h = 0;

	if (start == NULL)
		goto out;
	seen = xcalloc(set->count, 1);
	stack = xreallocarray(NULL, set->count, sizeof(*stack));
	if ((state = XXH3_createState()) == NULL ||
	    XXH3_64bits_reset(state) == XXH_ERROR)
		goto out;
	k = set_index(set, start);
	seen[k] = 1;
	stack[depth++] = k;
	while (depth > 0) {
		t = set->items[stack[--depth]];
		XXH3_64bits_update(state, t->name, strlen(t->name) + 1);
		XXH3_64bits_update(state, &t->hash, sizeof(t->hash));
		/* Push in reverse so the first tag is visited first. */
		for (j = t->nrefs; j > 0; j--) {
			n = &t->nodes[t->refs[j - 1]];
			if (n->target == NULL) {
				XXH3_64bits_update(state, "\1", 1);
				XXH3_64bits_update(state, t->pool + n->off,
				    n->len);
				continue;
			}
			k = set_index(set, n->target);
			if (!seen[k]) {
				seen[k] = 1;
				stack[depth++] = k;
			}
		}
	}
	h = XXH3_64bits_digest(state);
	if (h == 0)
		h = 1;		/* 0 means "unknown template" */
out:
	XXH3_freeState(state);
	free(seen);
	free(stack);
	return h;
}

