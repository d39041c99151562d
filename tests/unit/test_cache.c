/* The build cache's article records, written and read back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "../../generator/load/article.h"
#include "../../generator/util/diag.h"
#include "../../generator/util/fs.h"
#include "../../generator/util/xalloc.h"
#include "../../generator/write/cache.h"

#define ENGINE	0x1234
#define PATH	"content/articles/美兰区.md"

static const struct article_stamp stamp = { 120, 1000, 1000, 42 };

/* Writes a cache at file holding one article, read from fspath. */
static void
write_cache(const char *file, const char *fspath)
{
	static const char text[] = "---\ntitle: 标题\nprovince: 海南省\n"
	    "city: 海口市\ndistrict: 美兰区\n---\n正文。\n";
	struct cache_writer w = CACHE_WRITER_INIT;
	struct diags d = DIAGS_INIT;
	struct article *a;

	a = article_parse(PATH, text, strlen(text), &d);
	assert_non_null(a);
	a->stamp = stamp;
	free(a->fspath);
	a->fspath = xstrdup(fspath);
	a->digest = xcalloc(1, sizeof(*a->digest));
	a->digest->summary = xstrdup("正文。");
	w.started_ns = 2000;
	cache_add_article(&w, a);
	assert_int_equal(cache_save(&w, file, ENGINE, &d), 0);
	cache_writer_free(&w);
	article_free(a);
	diags_free(&d);
}

/*
 * The site reached by another path than when it was recorded ("-C DIR"
 * or not): the record holds, and the body is read from where it is now.
 */
static void
test_site_named_otherwise(void **state)
{
	char dir[] = "/tmp/jiceng-cache-test.XXXXXX", *file;
	struct build_cache c = BUILD_CACHE_INIT;
	struct article_stamp other = stamp;
	struct article *a;

	(void)state;
	assert_non_null(mkdtemp(dir));
	file = fs_join(dir, "out");
	write_cache(file, "/srv/site/" PATH);
	cache_load(&c, file, ENGINE);
	a = cache_article(&c, PATH, "./" PATH, &stamp);
	assert_non_null(a);
	assert_string_equal(a->fspath, "./" PATH);
	assert_string_equal(a->title, "标题");
	article_free(a);
	/* Another file, or this one changed: no record holds. */
	assert_null(cache_article(&c, "content/articles/x.md",
	    "./content/articles/x.md", &stamp));
	other.mtime_ns++;
	assert_null(cache_article(&c, PATH, "./" PATH, &other));
	cache_free(&c);
	assert_int_equal(cache_remove(file), 0);
	free(file);
	rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_site_named_otherwise),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
