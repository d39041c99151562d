/*
 * The views of pages: every key any view holds is one of pages_names,
 * the list templates are checked against, so that a key added to a view
 * and not to the list fails here rather than as an error in check.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../generator/render/pages.h"
#include "golden_fixture.h"

static bool
listed(const char *key)
{
	size_t i;

	for (i = 0; pages_names[i] != NULL; i++)
		if (strcmp(pages_names[i], key) == 0)
			return true;
	return false;
}

/* Fails on the first key of v, at any depth, that is not listed. */
static void
expect_listed(const struct val *v, const char *page, size_t *keys)
{
	size_t i;

	for (i = 0; i < val_map_count(v); i++) {
		if (!listed(val_map_key(v, i)))
			fail_msg("%s: key \"%s\" is not in pages_names", page,
			    val_map_key(v, i));
		(*keys)++;
		expect_listed(val_map_value(v, i), page, keys);
	}
	for (i = 0; i < val_list_count(v); i++)
		expect_listed(val_list_item(v, i), page, keys);
}

static void
test_every_key_is_listed(void **state)
{
	struct golden_site f;
	struct page *pages;
	struct view_hashes h;
	struct val_arena *a = val_arena_new();
	size_t n, i, keys = 0;
	char *path;

	(void)state;
	golden_site_open(&f, "basic", NULL);
	n = pages_list(f.site, &pages);
	pages_hash(f.site, 1, &h);
	for (i = 0; i < n; i++) {
		path = pages_path(f.site, &pages[i]);
		val_arena_reset(a);
		expect_listed(pages_view(f.site, &pages[i], a, NULL), path,
		    &keys);
		val_arena_reset(a);
		expect_listed(pages_view(f.site, &pages[i], a, &h), path,
		    &keys);
		free(path);
	}
	assert_true(keys > 1000);
	pages_hash_free(&h);
	free(pages);
	val_arena_free(a);
	golden_site_close(&f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_key_is_listed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
