/* The links between output paths, and absolute URLs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <cmocka.h>

#include "../../generator/util/href.h"

static void
check_relative(const char *from, const char *to, const char *want)
{
	struct buf b = BUF_INIT;

	href_relative(&b, from, to);
	assert_string_equal(buf_str(&b), want);
	buf_free(&b);
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
	/* The pages of a listing. */
	check_relative("themes/grid/page/2/index.html", "themes/grid/index.html",
	    "../../index.html");
	check_relative("themes/grid/index.html", "themes/grid/page/3/index.html",
	    "page/3/index.html");
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
	href_absolute(&b, "https://x.org/sub", "articles/a/index.html");
	assert_string_equal(buf_str(&b), "https://x.org/sub/articles/a/");
	buf_truncate(&b, 0);
	href_absolute(&b, "https://x.org", "feed.xml");
	assert_string_equal(buf_str(&b), "https://x.org/feed.xml");
	buf_truncate(&b, 0);
	href_absolute(&b, "https://x.org", "index.html");
	assert_string_equal(buf_str(&b), "https://x.org/");
	buf_free(&b);
}

static void
test_encoded(void **state)
{
	char *p;

	(void)state;
	p = href_encoded("districts/新 区/index.html");
	assert_string_equal(p, "districts/%E6%96%B0%20%E5%8C%BA/index.html");
	free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_relative),
		cmocka_unit_test(test_encoding),
		cmocka_unit_test(test_absolute),
		cmocka_unit_test(test_encoded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
