/* Listings paged: how many pages, which items each shows, and back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "../../generator/render/paging.h"

static void
test_parts(void **state)
{
	(void)state;
	/* An empty listing still has its first page. */
	assert_int_equal(paging_parts(0, 50), 1);
	assert_int_equal(paging_parts(1, 50), 1);
	assert_int_equal(paging_parts(50, 50), 1);
	assert_int_equal(paging_parts(51, 50), 2);
	assert_int_equal(paging_parts(401, 200), 3);
}

static void
test_range(void **state)
{
	size_t from, to;

	(void)state;
	paging_range(120, 50, 1, &from, &to);
	assert_int_equal(from, 0);
	assert_int_equal(to, 50);
	paging_range(120, 50, 3, &from, &to);
	assert_int_equal(from, 100);
	assert_int_equal(to, 120);
	/* A page past the end shows nothing. */
	paging_range(120, 50, 4, &from, &to);
	assert_int_equal(from, 120);
	assert_int_equal(to, 120);
	paging_range(0, 50, 1, &from, &to);
	assert_int_equal(from, 0);
	assert_int_equal(to, 0);
}

/* Every item is on the page whose range holds it. */
static void
test_part_of(void **state)
{
	size_t i, part, from, to;

	(void)state;
	for (i = 0; i < 450; i++) {
		part = paging_part_of(i, 200);
		paging_range(450, 200, part, &from, &to);
		assert_true(from <= i && i < to);
		assert_true(part <= paging_parts(450, 200));
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parts),
		cmocka_unit_test(test_range),
		cmocka_unit_test(test_part_of),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
