/* Output paths and the relative links between them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <cmocka.h>

#include "../../generator/model/url.h"

static void
check_relative(const char *from, const char *to, const char *want)
{
	struct buf b = BUF_INIT;

	url_relative(&b, from, to);
	assert_string_equal(buf_str(&b), want);
	buf_free(&b);
}

static void
test_paths(void **state)
{
	char *p;

	(void)state;
	p = url_path(URL_ARTICLE, "海口市美兰区");
	assert_string_equal(p, "articles/海口市美兰区/index.html");
	free(p);
	p = url_path(URL_HOME, NULL);
	assert_string_equal(p, "index.html");
	free(p);
	p = url_path(URL_THEME_FEED, "grid");
	assert_string_equal(p, "themes/grid/feed.xml");
	free(p);
	p = url_part("themes/grid/index.html", 1);
	assert_string_equal(p, "themes/grid/index.html");
	free(p);
	p = url_part("districts/美兰区/index.html", 12);
	assert_string_equal(p, "districts/美兰区/page/12/index.html");
	free(p);
	check_relative("themes/grid/page/2/index.html", "themes/grid/index.html",
	    "../../index.html");
	check_relative("themes/grid/index.html", "themes/grid/page/3/index.html",
	    "page/3/index.html");
}

static void
test_relative(void **state)
{
	(void)state;
	check_relative("index.html", "themes/grid/index.html",
	    "themes/grid/index.html");
	check_relative("articles/a/index.html", "articles/b/index.html",
	    "../b/index.html");
	check_relative("articles/a/index.html", "index.html",
	    "../../index.html");
	check_relative("articles/a/index.html", "assets/style.css",
	    "../../assets/style.css");
	check_relative("articles/a/index.html", "articles/a/index.html",
	    "index.html");
	check_relative("search/index.html", "search/shard-1.json",
	    "shard-1.json");
}

static void
test_encoding(void **state)
{
	(void)state;
	/* 新 is E6 96 B0 in UTF-8. */
	check_relative("index.html", "districts/新/index.html",
	    "districts/%E6%96%B0/index.html");
	check_relative("index.html", "a b/index.html", "a%20b/index.html");
}

static void
test_absolute(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	url_absolute(&b, "https://x.org/sub", "articles/a/index.html");
	assert_string_equal(buf_str(&b), "https://x.org/sub/articles/a/");
	buf_truncate(&b, 0);
	url_absolute(&b, "https://x.org", "feed.xml");
	assert_string_equal(buf_str(&b), "https://x.org/feed.xml");
	buf_truncate(&b, 0);
	url_absolute(&b, "https://x.org", "index.html");
	assert_string_equal(buf_str(&b), "https://x.org/");
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_relative),
		cmocka_unit_test(test_encoding),
		cmocka_unit_test(test_absolute),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
