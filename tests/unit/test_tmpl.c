/*
 * The Mustache engine beyond the spec: diagnostics word for word,
 * tmpl_check, escaping, layouts, fingerprints, threads, pathological
 * nesting and loading a folder.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "../../generator/render/tmpl.h"
#include "../../generator/render/value.h"
#include "../../generator/util/fs.h"
#include "../../generator/util/xalloc.h"

#define PATH	"templates/x.mustache"

/* Joins every diagnostic, formatted, one per line. */
static char *
diags_text(const struct diags *d)
{
	struct buf b = BUF_INIT;
	char *line;
	size_t i;

	for (i = 0; i < d->count; i++) {
		line = diag_format(&d->items[i]);
		buf_puts(&b, line);
		buf_putc(&b, '\n');
		free(line);
	}
	return buf_detach(&b);
}

/* Compiles src as x and expects exactly the diagnostics want. */
static void
expect_compile(const char *src, size_t len, const char *want)
{
	struct tmpl_set *set = tmpl_set_new();
	struct diags d = DIAGS_INIT;
	char *got;
	int rc;

	rc = tmpl_add(set, "x", PATH, src, len, &d);
	got = diags_text(&d);
	assert_string_equal(got, want);
	assert_int_equal(rc, want[0] == '\0' ? 0 : -1);
	assert_int_equal(tmpl_has(set, "x"), want[0] == '\0');
	free(got);
	diags_free(&d);
	tmpl_set_free(set);
}

#define EXPECT_COMPILE(src, want) expect_compile((src), strlen(src), (want))

/* A set from name, source pairs ending in NULL; every one must compile. */
static struct tmpl_set *
set_of(const char *name, ...)
{
	struct tmpl_set *set = tmpl_set_new();
	struct diags d = DIAGS_INIT;
	const char *src;
	char *path;
	va_list ap;

	va_start(ap, name);
	for (; name != NULL; name = va_arg(ap, const char *)) {
		src = va_arg(ap, const char *);
		path = xasprintf("templates/%s.mustache", name);
		assert_int_equal(tmpl_add(set, name, path, src, strlen(src),
		    &d), 0);
		free(path);
	}
	va_end(ap);
	assert_int_equal(d.count, 0);
	return set;
}

static char *
render(const struct tmpl_set *set, const char *name, const struct val *view)
{
	struct buf out = BUF_INIT;

	assert_int_equal(tmpl_render(set, name, view, &out), 0);
	return buf_detach(&out);
}

static void
expect_render(const struct tmpl_set *set, const char *name,
    const struct val *view, const char *want)
{
	char *got = render(set, name, view);

	assert_string_equal(got, want);
	free(got);
}

static void
expect_diags_of_check(const struct tmpl_set *set, const char *want)
{
	struct diags d = DIAGS_INIT;
	char *got;
	int rc;

	rc = tmpl_check(set, &d);
	diags_sort(&d);
	got = diags_text(&d);
	assert_string_equal(got, want);
	assert_int_equal(rc, want[0] == '\0' ? 0 : -1);
	free(got);
	diags_free(&d);
}

static void
test_unclosed_section(void **state)
{
	(void)state;
	EXPECT_COMPILE("<ul>\n{{#items}}\n  <li>{{name}}</li>\n",
	    PATH ":2:1: error: unclosed section \"items\"\n");
	EXPECT_COMPILE("{{^none}}", PATH ":1:1: error: unclosed inverted "
	    "section \"none\"\n");
	EXPECT_COMPILE("  {{<layout}}{{$body}}",
	    PATH ":1:14: error: unclosed block \"body\"\n"
	    PATH ":1:3: error: unclosed parent \"layout\"\n");
}

static void
test_mismatch(void **state)
{
	(void)state;
	/* The stray tag is ignored, so "a" is still open at the end. */
	EXPECT_COMPILE("{{#a}}\n  {{/b}}\n",
	    PATH ":2:3: error: mismatched closing tag \"b\" (expected \"a\", "
	    "opened at 1:1)\n"
	    PATH ":1:1: error: unclosed section \"a\"\n");
	/* Closing an outer section closes the inner one too. */
	EXPECT_COMPILE("{{#a}}{{#b}}{{/a}}",
	    PATH ":1:13: error: mismatched closing tag \"a\" (expected \"b\", "
	    "opened at 1:7)\n");
	EXPECT_COMPILE("text {{/a}}", PATH ":1:6: error: unexpected closing "
	    "tag \"a\" (no section is open)\n");
}

static void
test_tag_errors(void **state)
{
	(void)state;
	/* Columns count characters, not bytes. */
	EXPECT_COMPILE("abc\n基层党建 {{name", PATH ":2:6: error: unclosed tag: "
	    "no \"}}\" after \"{{\"\n");
	EXPECT_COMPILE("{{{raw}}", PATH ":1:1: error: unclosed tag: "
	    "no \"}}}\" after \"{{\"\n");
	EXPECT_COMPILE("{{=<% %>=}}<%name", PATH ":1:12: error: unclosed tag: "
	    "no \"%>\" after \"<%\"\n");
	/* Every error of a file, not just the first. */
	EXPECT_COMPILE("{{ }}\n{{#a b}}{{/a b}}\n{{=<%=}}\n{{a..b}}{{>*dyn}}",
	    PATH ":1:1: error: empty tag name\n"
	    PATH ":2:1: error: invalid tag name \"a b\" (names cannot hold "
	    "spaces)\n"
	    PATH ":2:9: error: invalid tag name \"a b\" (names cannot hold "
	    "spaces)\n"
	    PATH ":3:1: error: bad delimiter change \"<%\" (expected two "
	    "delimiters separated by a space)\n"
	    PATH ":4:1: error: invalid name \"a..b\"\n"
	    PATH ":4:9: error: dynamic names are not supported (\"*dyn\")\n");
	EXPECT_COMPILE("{{.x}}{{x.}}{{.}}",
	    PATH ":1:1: error: invalid name \".x\"\n"
	    PATH ":1:7: error: invalid name \"x.\"\n");
	/* Long names are cut, control characters never break the line. */
	EXPECT_COMPILE("{{#aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa}}",
	    PATH ":1:1: error: unclosed section "
	    "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...\"\n");
	EXPECT_COMPILE("{{/a\x01}}", PATH ":1:1: error: unexpected closing tag "
	    "\"a \" (no section is open)\n");
}

static void
test_invalid_utf8(void **state)
{
	(void)state;
	EXPECT_COMPILE("ab\n党建\xff", PATH ":2:3: error: invalid UTF-8 "
	    "(byte 0xff)\n");
	expect_compile("a\0b", 3, PATH ":1:2: error: invalid UTF-8 "
	    "(byte 0x00)\n");
}

static void
test_failed_add_keeps_old(void **state)
{
	struct tmpl_set *set = set_of("x", "old", NULL);
	struct diags d = DIAGS_INIT;

	(void)state;
	assert_int_equal(tmpl_add(set, "x", PATH, "{{#", 3, &d), -1);
	expect_render(set, "x", NULL, "old");
	assert_int_equal(tmpl_add(set, "x", PATH, "new", 3, &d), 0);
	expect_render(set, "x", NULL, "new");
	diags_free(&d);
	tmpl_set_free(set);
}

static void
test_missing_partial(void **state)
{
	struct tmpl_set *set = set_of(
	    "page", "{{>header}}\n  {{<layout}}{{/layout}}\n{{>footer}}",
	    "footer", "{{#x}}{{>gone}}{{/x}}", NULL);
	struct diags d = DIAGS_INIT;
	struct buf out = BUF_INIT;

	(void)state;
	expect_diags_of_check(set,
	    "templates/footer.mustache:1:7: error: missing partial \"gone\"\n"
	    "templates/page.mustache:1:1: error: missing partial \"header\"\n"
	    "templates/page.mustache:2:3: error: missing parent \"layout\"\n");
	/* Rendering still works: the spec wants missing partials empty. */
	assert_int_equal(tmpl_render(set, "page", NULL, &out), 0);
	assert_string_equal(buf_str(&out), "");
	assert_int_equal(tmpl_render(set, "nope", NULL, &out), -1);
	/* An empty template is a template. */
	assert_int_equal(tmpl_add(set, "header", "h", "", 0, &d), 0);
	assert_int_equal(tmpl_render(set, "page", NULL, &out), 0);
	assert_string_equal(buf_str(&out), "");
	assert_int_equal(d.count, 0);
	buf_free(&out);
	tmpl_set_free(set);
}

static void
test_self_inclusion(void **state)
{
	struct tmpl_set *set = set_of(
	    "a", "x\n  {{>a}}",
	    "b", "{{#items}}{{>b}}{{/items}}{{^items}}{{>b}}{{/items}}",
	    "c", "{{>d}}",
	    "d", "{{<c}}{{$x}}{{>d}}{{/x}}{{/c}}",
	    "e", "{{$block}}{{>e}}{{/block}}",
	    NULL);
	struct val_arena *arena = val_arena_new();
	struct val *view = val_map(arena);
	struct buf out = BUF_INIT;

	(void)state;
	expect_diags_of_check(set,
	    "templates/a.mustache:2:3: error: partial \"a\" includes itself\n"
	    "templates/c.mustache:1:1: error: template \"c\" includes itself "
	    "through partial \"d\"\n"
	    "templates/d.mustache:1:1: error: template \"d\" includes itself "
	    "through parent \"c\"\n");
	/* Rendering anyway stops at the depth limit, leaving out as it was. */
	buf_puts(&out, "kept");
	assert_int_equal(tmpl_render(set, "a", view, &out), -1);
	assert_int_equal(tmpl_render(set, "c", view, &out), -1);
	val_set_bool(arena, view, "items", true);
	assert_int_equal(tmpl_render(set, "b", view, &out), -1);
	assert_string_equal(buf_str(&out), "kept");
	buf_free(&out);
	val_arena_free(arena);
	tmpl_set_free(set);
}

static void
test_escaping(void **state)
{
	struct tmpl_set *set = set_of("x",
	    "{{v}}|{{{v}}}|{{&v}}|{{ v }}|{{=<% %>=}}<%v%>|<%{v}%>", NULL);
	struct val_arena *a = val_arena_new();
	struct val *view = val_map(a);

	(void)state;
	val_set_str(a, view, "v", "<a href=\"x\">&'党");
	expect_render(set, "x", view,
	    "&lt;a href=&quot;x&quot;&gt;&amp;&#39;党|<a href=\"x\">&'党|"
	    "<a href=\"x\">&'党|&lt;a href=&quot;x&quot;&gt;&amp;&#39;党|"
	    "&lt;a href=&quot;x&quot;&gt;&amp;&#39;党|<a href=\"x\">&'党");
	val_arena_free(a);
	tmpl_set_free(set);
}

static void
test_values(void **state)
{
	struct tmpl_set *set = set_of("x",
	    "{{yes}} {{no}} {{none}} {{map}} {{list}} {{#empty}}E{{/empty}}"
	    "{{^empty}}not-empty{{/empty}} {{#map}}{{k}}{{/map}} "
	    "{{map.k}} {{#list}}[{{.}}]{{/list}}", NULL);
	struct val_arena *a = val_arena_new();
	struct val *view = val_map(a), *map = val_map(a), *list = val_list(a);

	(void)state;
	val_set_bool(a, view, "yes", true);
	val_set_bool(a, view, "no", false);
	val_set(a, view, "none", val_null(a));
	val_set_str(a, map, "k", "v");
	val_set(a, view, "map", map);
	val_push(a, list, val_cstring(a, "1"));
	val_push(a, list, val_bool(a, true));
	val_set(a, view, "list", list);
	val_set_str(a, view, "empty", "");
	expect_render(set, "x", view,
	    "true false    not-empty v v [1][true]");
	val_arena_free(a);
	tmpl_set_free(set);
}

static void
test_layout(void **state)
{
	struct tmpl_set *set = set_of(
	    "layout", "<html>\n<head>\n  <title>{{$title}}{{site}}{{/title}}"
	    "</title>\n</head>\n<body>\n  {{$content}}{{/content}}\n"
	    "  {{>footer}}\n</body>\n",
	    "footer", "<footer>\n  {{site}}\n</footer>\n",
	    "page", "{{<layout}}\n{{$title}}{{title}} - {{site}}{{/title}}\n"
	    "{{$content}}\n<h1>{{title}}</h1>\n<p>\n  text\n</p>\n"
	    "{{/content}}\n{{/layout}}\n",
	    NULL);
	struct val_arena *a = val_arena_new();
	struct val *view = val_map(a);

	(void)state;
	val_set_str(a, view, "site", "基层");
	val_set_str(a, view, "title", "党建");
	expect_render(set, "page", view,
	    "<html>\n<head>\n  <title>党建 - 基层</title>\n</head>\n<body>\n"
	    "  <h1>党建</h1>\n  <p>\n    text\n  </p>\n"
	    "  <footer>\n    基层\n  </footer>\n</body>\n");
	/* Without overrides the empty block's line disappears. */
	expect_render(set, "layout", view,
	    "<html>\n<head>\n  <title>基层</title>\n</head>\n<body>\n"
	    "  <footer>\n    基层\n  </footer>\n</body>\n");
	expect_diags_of_check(set, "");
	val_arena_free(a);
	tmpl_set_free(set);
}

static void
test_partial_indentation(void **state)
{
	struct tmpl_set *set = set_of(
	    "x", "<ul>\n  {{#items}}\n  {{>item}}\n  {{/items}}\n</ul>\n",
	    "item", "<li>\n\n  {{>name}}\n</li>\n",
	    "name", "{{.}}\n",
	    NULL);
	struct val_arena *a = val_arena_new();
	struct val *view = val_map(a), *items = val_list(a);

	(void)state;
	val_push(a, items, val_cstring(a, "a"));
	val_push(a, items, val_cstring(a, "b\nc"));	/* data is not indented */
	val_set(a, view, "items", items);
	expect_render(set, "x", view,
	    "<ul>\n  <li>\n\n    a\n  </li>\n  <li>\n\n    b\nc\n  </li>\n"
	    "</ul>\n");
	val_arena_free(a);
	tmpl_set_free(set);
}

static void
test_fingerprint(void **state)
{
	struct tmpl_set *set = set_of(
	    "page", "{{>header}}body{{#x}}{{>footer}}{{/x}}",
	    "header", "H{{>logo}}{{>missing}}",
	    "logo", "L",
	    "footer", "F{{>page}}",
	    "other", "O",
	    NULL);
	struct tmpl_set *reversed = set_of(
	    "other", "O",
	    "footer", "F{{>page}}",
	    "logo", "L",
	    "header", "H{{>logo}}{{>missing}}",
	    "page", "{{>header}}body{{#x}}{{>footer}}{{/x}}",
	    NULL);
	struct diags d = DIAGS_INIT;
	uint64_t fp, other;

	(void)state;
	fp = tmpl_fingerprint(set, "page");
	other = tmpl_fingerprint(set, "other");
	assert_true(fp != 0);
	assert_true(fp != other);
	assert_true(fp != tmpl_fingerprint(set, "header"));
	assert_int_equal(tmpl_fingerprint(set, "nope"), 0);
	/* Independent of the order templates were added in. */
	assert_true(fp == tmpl_fingerprint(reversed, "page"));
	/* Unchanged by an unrelated edit or by re-adding the same text. */
	assert_int_equal(tmpl_add(set, "other", "o", "O2", 2, &d), 0);
	assert_int_equal(tmpl_add(set, "logo", "l", "L", 1, &d), 0);
	assert_true(fp == tmpl_fingerprint(set, "page"));
	assert_true(other != tmpl_fingerprint(set, "other"));
	/* Changed by an edit of a partial two levels down... */
	assert_int_equal(tmpl_add(set, "logo", "l", "L2", 2, &d), 0);
	assert_true(fp != tmpl_fingerprint(set, "page"));
	fp = tmpl_fingerprint(set, "page");
	/* ...and by a missing partial appearing. */
	assert_int_equal(tmpl_add(set, "missing", "m", "", 0, &d), 0);
	assert_true(fp != tmpl_fingerprint(set, "page"));
	assert_int_equal(d.count, 0);
	tmpl_set_free(set);
	tmpl_set_free(reversed);
}

struct job {
	const struct tmpl_set *set;
	const struct val *view;
	const char *want;
	int	 failures;
};

static void *
render_many(void *arg)
{
	struct job *job = arg;
	struct buf out = BUF_INIT;
	int i;

	for (i = 0; i < 300; i++) {
		buf_truncate(&out, 0);
		if (tmpl_render(job->set, "page", job->view, &out) != 0 ||
		    strcmp(buf_str(&out), job->want) != 0)
			job->failures++;
	}
	buf_free(&out);
	return NULL;
}

static void
test_threads(void **state)
{
	struct tmpl_set *set = set_of(
	    "page", "{{<layout}}{{$body}}\n{{#items}}\n  {{>item}}\n"
	    "{{/items}}\n{{/body}}{{/layout}}",
	    "layout", "<main>\n  {{$body}}{{/body}}\n</main>\n",
	    "item", "<li class=\"{{#odd}}odd{{/odd}}\">{{name}}</li>\n",
	    NULL);
	struct val_arena *a = val_arena_new();
	struct val *view = val_map(a), *items = val_list(a), *item;
	struct job jobs[2];
	pthread_t threads[2];
	char *want;
	int i;

	(void)state;
	for (i = 0; i < 200; i++) {
		item = val_map(a);
		val_set(a, item, "name", val_stringf(a, "第%d篇 <&>", i));
		val_set_bool(a, item, "odd", i % 2);
		val_push(a, items, item);
	}
	val_set(a, view, "items", items);
	want = render(set, "page", view);
	assert_non_null(strstr(want, "<main>\n    <li class=\"\">第0篇 "
	    "&lt;&amp;&gt;</li>\n    <li class=\"odd\">第1篇"));
	for (i = 0; i < 2; i++) {
		jobs[i] = (struct job){ set, view, want, 0 };
		assert_int_equal(pthread_create(&threads[i], NULL, render_many,
		    &jobs[i]), 0);
	}
	for (i = 0; i < 2; i++) {
		assert_int_equal(pthread_join(threads[i], NULL), 0);
		assert_int_equal(jobs[i].failures, 0);
	}
	free(want);
	val_arena_free(a);
	tmpl_set_free(set);
}

/*
 * Pathological inputs must take linear time: a quadratic pass over these
 * sizes takes minutes, so this generous bound still catches it (and
 * holds under sanitizers on a busy machine).
 */
#define PATHOLOGICAL_SECONDS	10.0

static double
seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* n copies of open, then middle, then n copies of close. */
static char *
repeat(const char *open, size_t n, const char *middle, const char *close)
{
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; i < n; i++)
		buf_puts(&b, open);
	buf_puts(&b, middle);
	for (i = 0; i < n; i++)
		buf_puts(&b, close);
	return buf_detach(&b);
}

static void
test_deep_nesting(void **state)
{
	struct tmpl_set *set = tmpl_set_new();
	struct val_arena *a = val_arena_new();
	struct val *view = val_map(a);
	struct diags d = DIAGS_INIT;
	struct buf out = BUF_INIT;
	double start = seconds();
	char *src, *got;

	(void)state;
	/* 10,000 nested sections: a clean error, no stack overflow. */
	src = repeat("{{#a}}", 10000, "x", "{{/a}}");
	EXPECT_COMPILE(src, PATH ":1:601: error: sections nested more than "
	    "100 levels deep\n");
	free(src);
	src = repeat("{{$b}}\n", 10000, "", "");
	EXPECT_COMPILE(src, PATH ":101:1: error: sections nested more than "
	    "100 levels deep\n");
	free(src);
	/* 100 levels compile and render. */
	src = repeat("{{#a}}\n", 100, "x\n", "{{/a}}\n");
	assert_int_equal(tmpl_add(set, "x", PATH, src, strlen(src), &d), 0);
	val_set_bool(a, view, "a", true);
	expect_render(set, "x", view, "x\n");
	free(src);
	/* An unclosed tag after many tags on one line; then rendered. */
	src = repeat("{{x}}", 200000, "{{", "");
	assert_int_equal(tmpl_add(set, "y", PATH, src, strlen(src), &d), -1);
	assert_int_equal(d.count, 1);
	src[strlen(src) - 2] = '\0';
	assert_int_equal(tmpl_add(set, "y", PATH, src, strlen(src), &d), 0);
	val_set_str(a, view, "x", "<");
	got = render(set, "y", view);
	assert_int_equal(strlen(got), 4 * 200000);
	free(got);
	free(src);
	/* Recursion guarded by a section that stays true hits the limit. */
	assert_int_equal(tmpl_add(set, "r", PATH, "{{#a}}r{{>r}}{{/a}}", 19,
	    &d), 0);
	expect_diags_of_check(set, "");
	assert_int_equal(tmpl_render(set, "r", view, &out), -1);
	assert_int_equal(out.len, 0);
	buf_free(&out);
	/* Many lines of standalone tags, blocks nested to the limit. */
	src = repeat("  {{$b}}\n  text {{x}}\n", 100, "", "  {{/b}}\n");
	assert_int_equal(tmpl_add(set, "z", PATH, src, strlen(src), &d), 0);
	free(src);
	src = repeat("{{#a}}\n{{/a}}\n", 200000, "", "");
	assert_int_equal(tmpl_add(set, "z", PATH, src, strlen(src), &d), 0);
	free(src);
	assert_true(seconds() - start < PATHOLOGICAL_SECONDS);
	diags_free(&d);
	val_arena_free(a);
	tmpl_set_free(set);
}

static void
test_load_dir(void **state)
{
	char dir[] = "/tmp/tmpl-test.XXXXXX", *path;
	struct tmpl_set *set = tmpl_set_new();
	struct diags d = DIAGS_INIT;
	static const char *const files[][2] = {
		{ "b.mustache", "B{{>a}}" },
		{ "a.mustache", "A" },
		{ "d.mustache", "\xef\xbb\xbf" "D{{>a}}" },	/* a byte-order mark */
		{ "c.mustache", "line\n{{#open}}" },
		{ "notes.txt", "{{#not a template" },
		{ ".#a.mustache", "{{#an editor's lock file" },
	};
	char *got;
	size_t i;

	(void)state;
	assert_non_null(mkdtemp(dir));
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		path = fs_join(dir, files[i][0]);
		assert_int_equal(fs_write_atomic(path, files[i][1],
		    strlen(files[i][1])), 0);
		free(path);
	}
	assert_int_equal(tmpl_load_dir(set, dir, "templates", SIZE_MAX, &d),
	    -1);
	got = diags_text(&d);
	assert_string_equal(got, "templates/c.mustache:2:1: error: unclosed "
	    "section \"open\"\n");
	free(got);
	assert_true(tmpl_has(set, "a"));
	assert_true(tmpl_has(set, "b"));
	assert_false(tmpl_has(set, "c"));
	assert_false(tmpl_has(set, "notes"));
	expect_render(set, "b", NULL, "BA");
	expect_render(set, "d", NULL, "DA");
	diags_free(&d);
	path = fs_join(dir, "missing");
	assert_int_equal(tmpl_load_dir(set, path, "templates/missing", SIZE_MAX,
	    &d), -1);
	assert_int_equal(d.count, 1);
	assert_string_equal(d.items[0].path, "templates/missing");
	free(path);
	diags_free(&d);
	assert_int_equal(fs_remove_tree(dir), 0);
	tmpl_set_free(set);
	tmpl_set_free(NULL);
}

/* Names no view holds are errors, each part of a dotted one too. */
static void
test_check_names(void **state)
{
	static const char *const known[] = { "title", "site", "items", NULL };
	struct tmpl_set *set = set_of(
	    "a", "{{title}} {{site.title}} {{#items}}{{.}}{{items.0}}"
	    "{{/items}}{{$block}}{{/block}}{{>b}}",
	    "b", "{{titel}}\n{{#site}}{{{site.nmae}}}{{/site}}{{^zzz}}{{/zzz}}",
	    NULL);
	struct diags d = DIAGS_INIT;
	char *got;

	(void)state;
	assert_int_equal(tmpl_check_names(set, known, &d), -1);
	got = diags_text(&d);
	assert_string_equal(got,
	    "templates/b.mustache:1:1: error: unknown variable \"titel\": no "
	    "page has \"titel\" (did you mean \"title\"?)\n"
	    "templates/b.mustache:2:10: error: unknown variable \"site.nmae\": "
	    "no page has \"nmae\"\n"
	    "templates/b.mustache:2:34: error: unknown section \"zzz\": no "
	    "page has \"zzz\"\n");
	free(got);
	diags_free(&d);
	tmpl_set_free(set);
}

/* A page's renders stop with a located error: too deep, too large. */
static void
test_render_page_limits(void **state)
{
	struct tmpl_set *set = set_of(
	    "r", "{{#list}}\n  {{>r}}{{/list}}",
	    "big", "<p>{{#list}}{{#list}}{{#list}}{{#list}}"
	    "0123456789{{/list}}{{/list}}{{/list}}{{/list}}</p>",
	    NULL);
	struct val_arena *a = val_arena_new();
	struct val *view = val_map(a), *list = val_list(a);
	struct diags d = DIAGS_INIT;
	struct buf out = BUF_INIT;
	char *got;
	size_t i;

	(void)state;
	for (i = 0; i < 10; i++)
		val_push(a, list, val_cstring(a, "item"));
	val_set(a, view, "list", list);
	buf_puts(&out, "kept");
	/* 10^4 times 10 bytes, and 7 of the paragraph: 100,007 bytes. */
	assert_int_equal(tmpl_render_page(set, "big", view, 100007, "p.html",
	    &out, &d), 0);
	assert_int_equal(out.len, 4 + 100007);
	buf_truncate(&out, 4);
	assert_int_equal(tmpl_render_page(set, "big", view, 100006, "p.html",
	    &out, &d), -1);
	assert_int_equal(tmpl_render_page(set, "r", view, SIZE_MAX, "r.html",
	    &out, &d), -1);
	assert_int_equal(tmpl_render_page(set, "none", view, SIZE_MAX,
	    "n.html", &out, &d), -1);
	assert_string_equal(buf_str(&out), "kept");
	got = diags_text(&d);
	assert_string_equal(got,
	    "templates/big.mustache:1:86: error: rendering p.html: the page "
	    "grows past max_page_size (100006 bytes)\n"
	    "templates/r.mustache:2:3: error: rendering r.html: sections, "
	    "partials and blocks nest more than 256 deep\n"
	    "n.html: error: no template \"none\"\n");
	free(got);
	diags_free(&d);
	buf_free(&out);
	val_arena_free(a);
	tmpl_set_free(set);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unclosed_section),
		cmocka_unit_test(test_mismatch),
		cmocka_unit_test(test_tag_errors),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_failed_add_keeps_old),
		cmocka_unit_test(test_missing_partial),
		cmocka_unit_test(test_self_inclusion),
		cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_partial_indentation),
		cmocka_unit_test(test_fingerprint),
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_load_dir),
		cmocka_unit_test(test_render_page_limits),
		cmocka_unit_test(test_check_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
