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

/* The items page part of a listing of n, per a page, shows. */
static void
expect_range(size_t n, size_t per, size_t part, size_t from, size_t to)
{
	size_t f, t;

	paging_range(n, per, part, &f, &t);
	assert_int_equal(f, from);
	assert_int_equal(t, to);
}

static void
test_range(void **state)
{
	(void)state;
	expect_range(120, 50, 1, 0, 50);
	expect_range(120, 50, 3, 100, 120);
	/* A page past the end shows nothing. */
	expect_range(120, 50, 4, 120, 120);
	expect_range(0, 50, 1, 0, 0);
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
