/*
 * Runs the official Mustache spec (the YAML files in $MUSTACHE_SPEC) as
 * data, the way cmark runs its spec.txt: one TAP line per test, then a
 * summary on stderr.  Exits non-zero when a test fails or none ran.
 *
 * Each test's data becomes a view: maps, lists and strings; plain true,
 * false, null and ~ become booleans and null; numbers become the text
 * of their value (1.210 is "1.21").  Tests needing lambdas (!code) are
 * skipped.  Besides the output, tmpl_check must not call any spec
 * template self-including: the recursive ones are all guarded.
 */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "../../generator/render/tmpl.h"
#include "../../generator/render/value.h"
#include "../../generator/util/buf.h"
#include "../../generator/util/diag.h"
#include "../../generator/util/fs.h"
#include "../../generator/util/xalloc.h"

struct run {
	int	 number;	/* TAP test number */
	int	 passed;
	int	 failed;
	int	 skipped;
};

static yaml_node_t *
map_get(yaml_document_t *doc, yaml_node_t *map, const char *key)
{
	yaml_node_pair_t *p;
	yaml_node_t *k;

	if (map == NULL || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (p = map->data.mapping.pairs.start;
	    p < map->data.mapping.pairs.top; p++) {
		k = yaml_document_get_node(doc, p->key);
		if (k != NULL && k->type == YAML_SCALAR_NODE &&
		    strcmp((char *)k->data.scalar.value, key) == 0)
			return yaml_document_get_node(doc, p->value);
	}
	return NULL;
}

static const char *
scalar(yaml_node_t *n)
{
	if (n == NULL || n->type != YAML_SCALAR_NODE)
		return NULL;
	return (const char *)n->data.scalar.value;
}

/* Whether the node or anything below it is tagged !code (a lambda). */
static int
needs_lambda(yaml_document_t *doc, yaml_node_t *n)
{
	yaml_node_item_t *i;
	yaml_node_pair_t *p;

	if (n == NULL)
		return 0;
	if (n->tag != NULL && strcmp((char *)n->tag, "!code") == 0)
		return 1;
	if (n->type == YAML_SEQUENCE_NODE) {
		for (i = n->data.sequence.items.start;
		    i < n->data.sequence.items.top; i++)
			if (needs_lambda(doc, yaml_document_get_node(doc, *i)))
				return 1;
	} else if (n->type == YAML_MAPPING_NODE) {
		for (p = n->data.mapping.pairs.start;
		    p < n->data.mapping.pairs.top; p++)
			if (needs_lambda(doc,
			    yaml_document_get_node(doc, p->value)))
				return 1;
	}
	return 0;
}

/* A plain scalar that YAML reads as a number, printed as its value. */
static struct val *
number(struct val_arena *a, const char *s)
{
	char *end;
	double d;

	if (*s == '\0' || strchr("+-.0123456789", *s) == NULL)
		return NULL;
	d = strtod(s, &end);
	if (*end != '\0' || !isfinite(d))
		return NULL;
	return val_stringf(a, "%.15g", d);
}

static struct val *
convert(struct val_arena *a, yaml_document_t *doc, yaml_node_t *n)
{
	static const char *const nulls[] = { "null", "Null", "NULL", "~", "" };
	yaml_node_item_t *i;
	yaml_node_pair_t *p;
	struct val *v;
	const char *s;
	size_t k;

	if (n == NULL)
		return val_null(a);
	switch (n->type) {
	case YAML_SCALAR_NODE:
		s = scalar(n);
		if (n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
			return val_string(a, s, n->data.scalar.length);
		for (k = 0; k < sizeof(nulls) / sizeof(nulls[0]); k++)
			if (strcmp(s, nulls[k]) == 0)
				return val_null(a);
		if (strcmp(s, "true") == 0 || strcmp(s, "false") == 0)
			return val_bool(a, s[0] == 't');
		if ((v = number(a, s)) != NULL)
			return v;
		return val_string(a, s, n->data.scalar.length);
	case YAML_SEQUENCE_NODE:
		v = val_list(a);
		for (i = n->data.sequence.items.start;
		    i < n->data.sequence.items.top; i++)
			val_push(a, v, convert(a, doc,
			    yaml_document_get_node(doc, *i)));
		return v;
	case YAML_MAPPING_NODE:
		v = val_map(a);
		for (p = n->data.mapping.pairs.start;
		    p < n->data.mapping.pairs.top; p++) {
			s = scalar(yaml_document_get_node(doc, p->key));
			if (s != NULL)
				val_set(a, v, s, convert(a, doc,
				    yaml_document_get_node(doc, p->value)));
		}
		return v;
	default:
		return val_null(a);
	}
}

/* Prints s on one line, escaped, after a TAP comment prefix. */
static void
print_escaped(const char *label, const char *s)
{
	printf("#   %-9s \"", label);
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '\n': fputs("\\n", stdout); break;
		case '\r': fputs("\\r", stdout); break;
		case '\t': fputs("\\t", stdout); break;
		case '"': fputs("\\\"", stdout); break;
		case '\\': fputs("\\\\", stdout); break;
		default: putchar(*s); break;
		}
	}
	puts("\"");
}

static int
has_cycle_error(const struct diags *d)
{
	size_t i;

	for (i = 0; i < d->count; i++)
		if (strstr(d->items[i].message, "includes itself") != NULL)
			return 1;
	return 0;
}

/*
 * Adds a test's template and partials to a fresh set, renders it and
 * compares.  Returns 1 when it passed; fills why otherwise.
 */
static int
run_test(yaml_document_t *doc, yaml_node_t *test, struct val_arena *a,
    struct buf *got, struct diags *d)
{
	struct tmpl_set *set = tmpl_set_new();
	yaml_node_t *partials = map_get(doc, test, "partials");
	const char *template = scalar(map_get(doc, test, "template"));
	const char *expected = scalar(map_get(doc, test, "expected"));
	yaml_node_pair_t *p;
	const char *name, *src;
	struct val *view;
	int ok = 0;

	if (template == NULL || expected == NULL)
		goto out;
	if (partials != NULL && partials->type == YAML_MAPPING_NODE)
		for (p = partials->data.mapping.pairs.start;
		    p < partials->data.mapping.pairs.top; p++) {
			name = scalar(yaml_document_get_node(doc, p->key));
			src = scalar(yaml_document_get_node(doc, p->value));
			if (name != NULL && src != NULL &&
			    tmpl_add(set, name, name, src, strlen(src), d) == -1)
				goto out;
		}
	if (tmpl_add(set, "(template)", "(template)", template,
	    strlen(template), d) == -1)
		goto out;
	view = convert(a, doc, map_get(doc, test, "data"));
	if (tmpl_render(set, "(template)", view, got) == -1)
		goto out;
	tmpl_check(set, d);
	ok = strcmp(buf_str(got), expected) == 0 && !has_cycle_error(d);
out:
	tmpl_set_free(set);
	return ok;
}

static void
report(struct run *run, const char *file, yaml_document_t *doc,
    yaml_node_t *test, int ok, const struct buf *got,
    const struct diags *d)
{
	const char *name = scalar(map_get(doc, test, "name"));
	const char *expected = scalar(map_get(doc, test, "expected"));
	char *line;
	size_t i;

	run->number++;
	printf("%s %d - %s: %s\n", ok ? "ok" : "not ok", run->number, file,
	    name != NULL ? name : "(unnamed)");
	if (ok) {
		run->passed++;
		return;
	}
	run->failed++;
	print_escaped("template:", scalar(map_get(doc, test, "template")));
	print_escaped("expected:", expected != NULL ? expected : "");
	print_escaped("got:", buf_str(got));
	for (i = 0; i < d->count; i++) {
		line = diag_format(&d->items[i]);
		printf("#   %s\n", line);
		free(line);
	}
}

static int
run_file(struct run *run, const char *dir, const char *file)
{
	char *path = fs_join(dir, file);
	FILE *f = NULL;
	yaml_parser_t parser;
	yaml_document_t doc;
	yaml_node_t *tests, *test;
	yaml_node_item_t *item;
	struct val_arena *a = val_arena_new();
	struct buf got = BUF_INIT;
	struct diags d = DIAGS_INIT;
	int rc = -1, have_parser = 0, have_doc = 0, ok;

	if ((f = fopen(path, "rb")) == NULL) {
		printf("not ok %d - %s: cannot open\n", ++run->number, file);
		run->failed++;
		goto out;
	}
	yaml_parser_initialize(&parser);
	have_parser = 1;
	yaml_parser_set_input_file(&parser, f);
	if (!yaml_parser_load(&parser, &doc)) {
		printf("not ok %d - %s: %s at line %zu\n", ++run->number, file,
		    parser.problem ? parser.problem : "yaml error",
		    parser.problem_mark.line + 1);
		run->failed++;
		goto out;
	}
	have_doc = 1;
	tests = map_get(&doc, yaml_document_get_root_node(&doc), "tests");
	if (tests == NULL || tests->type != YAML_SEQUENCE_NODE)
		goto out;
	for (item = tests->data.sequence.items.start;
	    item < tests->data.sequence.items.top; item++) {
		test = yaml_document_get_node(&doc, *item);
		if (needs_lambda(&doc, test)) {
			run->skipped++;
			continue;
		}
		ok = run_test(&doc, test, a, &got, &d);
		report(run, file, &doc, test, ok, &got, &d);
		buf_truncate(&got, 0);
		diags_free(&d);
		val_arena_reset(a);
	}
	rc = 0;
out:
	if (have_doc)
		yaml_document_delete(&doc);
	if (have_parser)
		yaml_parser_delete(&parser);
	if (f != NULL)
		fclose(f);
	buf_free(&got);
	diags_free(&d);
	val_arena_free(a);
	free(path);
	return rc;
}

int
main(void)
{
	const char *dir = getenv("MUSTACHE_SPEC");
	struct run run = { 0, 0, 0, 0 };
	char **files = NULL;
	size_t count = 0, i;

	if (dir == NULL)
		dir = "tests/mustache-spec";
	if (fs_list(dir, ".yml", &files, &count) == -1) {
		printf("not ok 1 - cannot list %s\n", dir);
		return 1;
	}
	for (i = 0; i < count; i++)
		run_file(&run, dir, files[i]);
	fs_names_free(files, count);
	printf("1..%d\n", run.number);
	fflush(stdout);
	fprintf(stderr, "mustache spec: %d/%d passed", run.passed,
	    run.passed + run.failed);
	if (run.skipped > 0)
		fprintf(stderr, " (%d skipped: lambdas)", run.skipped);
	fputc('\n', stderr);
	return run.failed == 0 && run.passed > 0 ? 0 : 1;
}
