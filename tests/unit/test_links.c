/* Resolving and checking the links a page holds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../generator/util/xalloc.h"
#include "../../generator/write/links.h"

static void
check_resolve(const char *page, const char *link, const char *want)
{
	char *got = links_resolve(page, link, strlen(link));

	if (want == NULL)
		assert_null(got);
	else
		assert_string_equal(got, want);
	free(got);
}

static void
test_resolve(void **state)
{
	(void)state;
	check_resolve("articles/a/index.html", "../b/index.html",
	    "articles/b/index.html");
	check_resolve("articles/a/index.html", "../../", "index.html");
	check_resolve("articles/a/index.html", "../../themes/",
	    "themes/index.html");
	check_resolve("index.html", "districts/%E6%96%B0/index.html#x",
	    "districts/新/index.html");
	check_resolve("index.html", "search/index.html?q=a", "search/index.html");
	check_resolve("index.html", "https://example.org/", NULL);
	check_resolve("index.html", "mailto:a@b", NULL);
	check_resolve("index.html", "//cdn.example.org/x.js", NULL);
	check_resolve("index.html", "#main", NULL);
	check_resolve("index.html", "../escape.html", NULL);
}

static int
exists_in_list(const void *arg, const char *path)
{
	const char *const *p;

	for (p = arg; *p != NULL; p++)
		if (strcmp(*p, path) == 0)
			return 1;
	return 0;
}

/* The image was written in an article's Markdown; the rest was not. */
static int
locate_image(const void *arg, const char *page, const char *target,
    char **path, unsigned *line, unsigned *col)
{
	(void)arg;
	if (strcmp(page, "index.html") != 0 || strcmp(target, "missing.png"))
		return -1;
	*path = xstrdup("content/articles/a.md");
	*line = 7;
	*col = 3;
	return 0;
}

static void
test_check(void **state)
{
	static const char *const files[] = {
		"index.html", "articles/a/index.html", "assets/style.css", NULL,
	};
	static const char page[] =
	    "<a href=\"articles/a/index.html\">a</a>"
	    "<link href=\"assets/style.css\">"
	    "<a href=\"articles/gone/index.html\">gone</a>"
	    "<img src=\"missing.png\" alt=\"\">"
	    "<a href=\"https://example.org/\">out</a>";
	struct links l = LINKS_INIT;
	struct diags d = DIAGS_INIT;
	char *msg;

	(void)state;
	links_scan(&l, "index.html", page, strlen(page), NULL, &d);
	assert_int_equal(d.count, 0);
	assert_int_equal(links_check(&l, exists_in_list, files, NULL,
	    locate_image, "public", &d), 2);
	assert_int_equal(d.errors, 2);
	diags_sort(&d);
	msg = diag_format(&d.items[0]);
	assert_string_equal(msg, "content/articles/a.md:7:3: error: broken "
	    "link \"missing.png\" (no missing.png)");
	free(msg);
	msg = diag_format(&d.items[1]);
	assert_string_equal(msg, "public/index.html: error: broken link "
	    "\"articles/gone/index.html\" (no articles/gone/index.html)");
	free(msg);
	links_free(&l);
	diags_free(&d);
}

/*
 * A fragment must name an id: one within the page is checked as the page
 * is scanned, one into another page against the ids pages hold.
 */
static void
test_fragments(void **state)
{
	static const char *const files[] = {
		"index.html", "authors/index.html", NULL,
	};
	static const char page[] =
	    "<h2 id=\"坚持-高位&amp;统筹\">x</h2>"
	    "<a href=\"#坚持-高位&amp;统筹\">ok</a>"
	    "<a href=\"#%E5%9D%9A%E6%8C%81-%E9%AB%98%E4%BD%8D&amp;统筹\">ok</a>"
	    "<a href=\"#nowhere\">no</a>"
	    "<a href=\"authors/index.html#%E5%86%AF%E7%90%B3\">ok</a>"
	    "<a href=\"authors/index.html#gone\">no</a>";
	static const char authors[] = "<div id=\"冯琳\"></div>";
	struct links l = LINKS_INIT;
	struct link_targets t = LINK_TARGETS_INIT;
	struct link_anchors a = LINK_ANCHORS_INIT;
	struct diags d = DIAGS_INIT;
	char *msg;

	(void)state;
	links_scan(&l, "index.html", page, strlen(page), NULL, &d);
	assert_int_equal(d.errors, 1);
	msg = diag_format(&d.items[0]);
	assert_string_equal(msg, "index.html: error: broken link \"#nowhere\" "
	    "(no id \"nowhere\" in the page)");
	free(msg);
	links_scan(&l, "authors/index.html", authors, strlen(authors), &t, &d);
	assert_int_equal(t.nanchors, 1);
	links_anchors_add(&a, "authors/index.html", t.anchors, t.nanchors);
	assert_true(links_anchors_has(&a, "authors/index.html", "冯琳"));
	assert_false(links_anchors_has(&a, "index.html", "冯琳"));
	assert_int_equal(links_check(&l, exists_in_list, files, &a, NULL,
	    "public", &d), 1);
	msg = diag_format(&d.items[1]);
	assert_string_equal(msg, "public/index.html: error: broken link "
	    "\"authors/index.html#gone\" (no id for authors/index.html#gone)");
	free(msg);
	/* The key a link is checked as, as locating finds it again. */
	msg = links_target("index.html", "authors/index.html#%E5%86%AF%E7%90%B3",
	    strlen("authors/index.html#%E5%86%AF%E7%90%B3"));
	assert_string_equal(msg, "authors/index.html#冯琳");
	free(msg);
	assert_null(links_target("index.html", "#冯琳", strlen("#冯琳")));
	link_targets_free(&t);
	links_anchors_free(&a);
	links_free(&l);
	diags_free(&d);
}

static void
test_root_absolute(void **state)
{
	static const char page[] = "<a href=\"/themes/\">t</a>";
	struct links l = LINKS_INIT;
	struct diags d = DIAGS_INIT;

	(void)state;
	links_scan(&l, "articles/a/index.html", page, strlen(page), NULL, &d);
	assert_int_equal(d.errors, 1);
	assert_int_equal(l.absolute, 1);
	links_free(&l);
	diags_free(&d);
}

static void
test_merge(void **state)
{
	static const char page[] = "<a href=\"x.html\">x</a>";
	struct links a = LINKS_INIT, b = LINKS_INIT;
	struct diags d = DIAGS_INIT;

	(void)state;
	links_scan(&a, "p1.html", page, strlen(page), NULL, &d);
	links_scan(&b, "p2.html", page, strlen(page), NULL, &d);
	links_merge(&a, &b);
	assert_int_equal(a.targets.count, 1);
	assert_int_equal(b.targets.count, 0);
	links_free(&a);
	diags_free(&d);
}

/*
 * A page's targets are kept as hashes, each once, in order of first
 * mention; the names come back from the links that recorded them.
 */
static void
test_targets_by_hash(void **state)
{
	static const char page[] =
	    "<a href=\"a/index.html\">1</a><a href=\"b/\">2</a>"
	    "<a href=\"a/index.html\">again</a><a href=\"b/index.html#x\">3</a>"
	    "<a href=\"#top\">self</a><h1 id=\"top\">t</h1>";
	static const char *const want[] = { "a/index.html", "b/index.html",
	    "b/index.html#x" };
	struct links l = LINKS_INIT;
	struct link_targets t = LINK_TARGETS_INIT;
	struct link_names n = LINK_NAMES_INIT;
	struct diags d = DIAGS_INIT;
	char many[32];
	size_t k;

	(void)state;
	links_scan(&l, "index.html", page, strlen(page), &t, &d);
	assert_int_equal(d.errors, 0);
	assert_int_equal(t.ntargets, 3);
	assert_null(t.seen);
	link_names_build(&n, &l);
	for (k = 0; k < 3; k++) {
		assert_int_equal(t.targets[k], links_target_hash(want[k],
		    strlen(want[k])));
		assert_string_equal(link_names_get(&n, t.targets[k]), want[k]);
	}
	assert_null(link_names_get(&n, links_target_hash("c", 1)));
	link_targets_free(&t);
	/* Past the first sizes of the set and the list. */
	for (k = 0; k < 1000; k++) {
		snprintf(many, sizeof(many), "p%zu/index.html", k % 700);
		link_targets_add(&t, many);
	}
	assert_int_equal(t.ntargets, 700);
	assert_int_equal(t.targets[699], links_target_hash("p699/index.html",
	    strlen("p699/index.html")));
	link_targets_free(&t);
	link_names_free(&n);
	links_free(&l);
	diags_free(&d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_targets_by_hash),
		cmocka_unit_test(test_resolve),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_fragments),
		cmocka_unit_test(test_root_absolute),
		cmocka_unit_test(test_merge),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
