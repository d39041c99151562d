/*
 * jiceng init and new: where the data folder is found, a site copied from
 * it without overwriting anything, and an article's front matter that
 * loads as a draft once its place is known.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "../../generator/init.h"
#include "../../generator/load/article.h"
#include "../../generator/util/fs.h"
#include "../../generator/util/xalloc.h"

/* Writes text to dir/rel, creating folders. */
static void
put(const char *dir, const char *rel, const char *text)
{
	char *path = fs_join(dir, rel);

	assert_int_equal(fs_write(path, text, strlen(text)), 0);
	free(path);
}

static char *
read_back(const char *dir, const char *rel)
{
	char *path = fs_join(dir, rel), *data = NULL;
	size_t len;

	if (fs_read(path, &data, &len) == -1)
		data = NULL;
	free(path);
	return data;
}

/* A data folder below dir/under: templates, assets, the sample site. */
static void
make_data(const char *dir, const char *under)
{
	char *root = fs_join(dir, under), *sub;

	put(root, "templates/base.mustache", "{{title}}\n");
	put(root, "assets/img/logo.svg", "<svg/>\n");
	put(root, "sample/site.yaml", "title: t\n");
	put(root, "sample/articles/a.md", "---\ntitle: a\n---\n");
	/* An empty folder is a folder all the same. */
	sub = fs_join(root, "assets/empty");
	assert_int_equal(fs_mkdirs(sub), 0);
	free(sub);
	free(root);
}

static char *
scratch(void)
{
	char *dir = xstrdup("/tmp/jiceng-init.XXXXXX");

	assert_non_null(mkdtemp(dir));
	return dir;
}

static void
assert_found(const char *dir, const char *exe, const char *configured,
    const char *want)
{
	char *e = fs_join(dir, exe), *w = want ? fs_join(dir, want) : NULL,
	    *real = w ? realpath(w, NULL) : NULL, *got;

	/* The binary is there, or its folder cannot be walked through. */
	put(dir, exe, "");
	got = init_find_data(e, configured);
	if (want == NULL)
		assert_null(got);
	else {
		assert_non_null(got);
		assert_string_equal(got, real);
	}
	free(got);
	free(real);
	free(w);
	free(e);
}

static void
test_find_data(void **state)
{
	char *dir = scratch();

	(void)state;
	/* Nothing beside the binary and nothing configured. */
	assert_found(dir, "usr/bin/jiceng", NULL, NULL);
	/* Installed: share/jiceng beside bin/, under any prefix. */
	make_data(dir, "usr/share/jiceng");
	assert_found(dir, "usr/bin/jiceng", NULL, "usr/share/jiceng");
	/* A source tree, its binary in build/ or build/san/. */
	make_data(dir, "src");
	assert_found(dir, "src/build/jiceng", NULL, "src");
	assert_found(dir, "src/build/san/jiceng", NULL, "src");
	/* A folder that lacks the sample site is not one. */
	put(dir, "half/templates/base.mustache", "x\n");
	put(dir, "half/assets/style.css", "x\n");
	assert_found(dir, "half/build/jiceng", NULL, NULL);
	fs_remove_tree(dir);
	free(dir);
}

/* A binary copied away from its data falls back on the configured one. */
static void
test_find_configured(void **state)
{
	char *dir = scratch(), *exe, *configured, *got;

	(void)state;
	make_data(dir, "share/jiceng");
	configured = fs_join(dir, "share/jiceng");
	exe = fs_join(dir, "elsewhere/bin/jiceng");
	put(dir, "elsewhere/bin/jiceng", "");
	got = init_find_data(exe, configured);
	assert_non_null(got);
	assert_string_equal(got, configured);
	free(got);
	/* A configured folder that is not a data folder is no answer. */
	got = init_find_data(exe, dir);
	assert_null(got);
	fs_remove_tree(dir);
	free(exe);
	free(configured);
	free(dir);
}

static void
test_init_site(void **state)
{
	char *dir = scratch(), *data = fs_join(dir, "data"),
	    *site = fs_join(dir, "new/site"), *text;
	struct diags d = DIAGS_INIT;
	size_t files = 0;

	(void)state;
	make_data(dir, "data");
	assert_int_equal(init_site(data, site, &files, &d), 0);
	assert_int_equal(d.count, 0);
	assert_int_equal(files, 4);
	text = read_back(site, "templates/base.mustache");
	assert_non_null(text);
	assert_string_equal(text, "{{title}}\n");
	free(text);
	text = read_back(site, "assets/img/logo.svg");
	assert_non_null(text);
	free(text);
	text = read_back(site, "content/site.yaml");
	assert_non_null(text);
	assert_string_equal(text, "title: t\n");
	free(text);
	text = read_back(site, "content/articles/a.md");
	assert_non_null(text);
	free(text);

	/* Again: every part there is reported, and nothing is touched. */
	put(site, "content/site.yaml", "title: mine\n");
	assert_int_equal(init_site(data, site, &files, &d), 1);
	assert_int_equal(d.errors, 3);
	assert_string_equal(d.items[0].path, "templates");
	assert_non_null(strstr(d.items[0].message, "already exists"));
	text = read_back(site, "content/site.yaml");
	assert_string_equal(text, "title: mine\n");
	free(text);
	diags_free(&d);

	/* One part there is enough to refuse. */
	fs_remove_tree(site);
	put(site, "assets/mine.css", "x\n");
	assert_int_equal(init_site(data, site, &files, &d), 1);
	assert_int_equal(d.errors, 1);
	assert_string_equal(d.items[0].path, "assets");
	text = fs_join(site, "content");
	assert_false(fs_exists(text));
	free(text);
	diags_free(&d);
	fs_remove_tree(dir);
	free(data);
	free(site);
	free(dir);
}

static void
test_new_article(void **state)
{
	char *dir = scratch(), *text, *place = NULL, *path;
	struct diags d = DIAGS_INIT;
	struct article *a;

	(void)state;
	/* Not a site: an I/O error. */
	assert_int_equal(init_article(dir, "x", &place, &d), 3);
	assert_string_equal(d.items[0].path, "content/articles");
	diags_free(&d);

	put(dir, "content/themes.yaml", "- slug: grid\n  name: 网格\n"
	    "  description: d\n  keywords: [网格]\n- slug: covid\n"
	    "  name: 疫情\n  description: d\n  keywords: [疫情]\n");
	put(dir, "content/articles/.keep", "");
	assert_int_equal(init_article(dir, "呼和浩特市新城区-2", &place, &d),
	    0);
	assert_int_equal(d.count, 0);
	assert_non_null(place);
	assert_string_equal(place, "内蒙古自治区 呼和浩特市 新城区");
	free(place);
	text = read_back(dir, "content/articles/呼和浩特市新城区-2.md");
	assert_non_null(text);
	assert_non_null(strstr(text, "\nprovince: \"内蒙古自治区\"\n"
	    "city: \"呼和浩特市\"\ndistrict: \"新城区\"\n"));
	assert_non_null(strstr(text, "# The slugs of content/themes.yaml: "
	    "grid, covid\n"));
	free(text);
	/* It loads, as a draft titled by its name. */
	path = fs_join(dir, "content/articles/呼和浩特市新城区-2.md");
	a = article_load(path, "content/articles/呼和浩特市新城区-2.md",
	    SIZE_MAX, &d);
	assert_non_null(a);
	assert_int_equal(d.errors, 0);
	assert_true(a->draft);
	assert_string_equal(a->title, "呼和浩特市新城区-2");
	assert_null(a->author);
	article_free(a);
	free(path);

	/* A district directly under its province has no city. */
	assert_int_equal(init_article(dir, "海南省澄迈县", &place, &d), 0);
	assert_string_equal(place, "海南省 澄迈县");
	free(place);
	text = read_back(dir, "content/articles/海南省澄迈县.md");
	assert_non_null(strstr(text, "\ncity: null\n"));
	free(text);

	/* A name that is no place: the place is left to fill in. */
	assert_int_equal(init_article(dir, "notes", &place, &d), 0);
	assert_null(place);
	text = read_back(dir, "content/articles/notes.md");
	assert_non_null(strstr(text, "\nprovince: \"\"\n"));
	free(text);

	/* Never over an article. */
	put(dir, "content/articles/mine.md", "mine\n");
	assert_int_equal(init_article(dir, "mine", &place, &d), 1);
	assert_int_equal(d.errors, 1);
	text = read_back(dir, "content/articles/mine.md");
	assert_string_equal(text, "mine\n");
	free(text);
	diags_free(&d);
	fs_remove_tree(dir);
	free(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_find_data),
		cmocka_unit_test(test_find_configured),
		cmocka_unit_test(test_init_site),
		cmocka_unit_test(test_new_article),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
