/* Output paths: where each page lives. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <cmocka.h>

#include "../../generator/model/url.h"

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
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_paths),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
