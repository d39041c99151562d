/* View values: the arena, strings, lists, maps and their lookups. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../generator/render/value.h"
#include "../../generator/util/buf.h"

static void
test_scalars(void **state)
{
	struct val_arena *a = val_arena_new();
	char text[] = "党建引领";
	const char *s;
	size_t len;

	(void)state;
	assert_int_equal(val_kind(val_null(a)), VAL_NULL);
	assert_int_equal(val_kind(NULL), VAL_NULL);
	assert_int_equal(val_kind(val_bool(a, true)), VAL_BOOL);
	s = val_text(val_string(a, text, strlen(text)), &len);
	text[0] = 'x';		/* the value holds a copy */
	assert_int_equal(len, strlen("党建引领"));
	assert_string_equal(s, "党建引领");
	s = val_text(val_string(a, "abcdef", 3), &len);
	assert_int_equal(len, 3);
	assert_string_equal(s, "abc");	/* copies are NUL-terminated */
	s = val_text(val_stringf(a, "%d篇 %s", 21, "文章"), &len);
	assert_string_equal(s, "21篇 文章");
	assert_int_equal(len, strlen("21篇 文章"));
	s = val_text(val_string_static(a, "static", 6), &len);
	assert_string_equal(s, "static");
	assert_null(val_text(val_bool(a, true), &len));
	assert_int_equal(len, 0);
	assert_null(val_text(NULL, NULL));
	val_arena_free(a);
	val_arena_free(NULL);
}

static void
test_truthy(void **state)
{
	struct val_arena *a = val_arena_new();
	struct val *list = val_list(a);

	(void)state;
	assert_false(val_truthy(NULL));
	assert_false(val_truthy(val_null(a)));
	assert_false(val_truthy(val_bool(a, false)));
	assert_true(val_truthy(val_bool(a, true)));
	assert_false(val_truthy(val_cstring(a, "")));
	assert_true(val_truthy(val_cstring(a, "0")));
	assert_false(val_truthy(list));
	val_push(a, list, val_null(a));
	assert_true(val_truthy(list));
	assert_true(val_truthy(val_map(a)));	/* even empty */
	val_arena_free(a);
}

static void
test_lists(void **state)
{
	struct val_arena *a = val_arena_new();
	struct val *list = val_list(a), *other = val_map(a);
	char key[16];
	size_t i, len;

	(void)state;
	for (i = 0; i < 1000; i++)
		val_push(a, list, val_stringf(a, "%zu", i));
	assert_int_equal(val_list_count(list), 1000);
	for (i = 0; i < 1000; i++) {
		snprintf(key, sizeof(key), "%zu", i);
		assert_string_equal(val_text(val_list_item(list, i), &len),
		    key);
	}
	assert_null(val_list_item(list, 1000));
	assert_int_equal(val_list_count(other), 0);
	assert_null(val_list_item(other, 0));
	val_push(a, other, val_null(a));	/* not a list: ignored */
	assert_int_equal(val_list_count(other), 0);
	val_arena_free(a);
}

static void
test_maps(void **state)
{
	struct val_arena *a = val_arena_new();
	struct val *map = val_map(a);
	char key[16];
	size_t i, len;

	(void)state;
	for (i = 0; i < 50; i++) {
		snprintf(key, sizeof(key), "key%zu", i);
		val_set(a, map, key, val_stringf(a, "v%zu", i));
	}
	for (i = 0; i < 50; i++) {
		snprintf(key, sizeof(key), "key%zu", i);
		snprintf(key + 8, sizeof(key) - 8, "v%zu", i);
		assert_string_equal(val_text(val_get(map, key, strlen(key)),
		    &len), key + 8);
	}
	/* A later set wins; lookups take a length, not a terminator. */
	val_set_str(a, map, "key7", "new");
	assert_string_equal(val_text(val_get(map, "key7.x", 4), &len), "new");
	assert_null(val_get(map, "key", 3));
	assert_null(val_get(map, "key500", 6));
	val_set_bool(a, map, "flag", true);
	assert_true(val_truthy(val_get(map, "flag", 4)));
	val_set_str(a, map, "none", NULL);
	assert_int_equal(val_kind(val_get(map, "none", 4)), VAL_NULL);
	val_set(a, map, "", val_cstring(a, "empty key"));
	assert_string_equal(val_text(val_get(map, "", 0), &len), "empty key");
	assert_null(val_get(val_list(a), "x", 1));
	assert_null(val_get(NULL, "x", 1));
	val_arena_free(a);
}

static void
test_list_index(void **state)
{
	struct val_arena *a = val_arena_new();
	struct val *list = val_list(a);
	size_t len;

	(void)state;
	val_push(a, list, val_cstring(a, "first"));
	val_push(a, list, val_cstring(a, "second"));
	assert_string_equal(val_text(val_get(list, "0", 1), &len), "first");
	assert_string_equal(val_text(val_get(list, "1", 1), &len), "second");
	assert_null(val_get(list, "2", 1));
	assert_null(val_get(list, "x", 1));
	assert_null(val_get(list, "", 0));
	assert_null(val_get(list, "1x", 2));
	val_arena_free(a);
}

static uint64_t
hash_of(const struct val *v)
{
	struct buf scratch = BUF_INIT;
	uint64_t h = val_hash(v, 0, &scratch);

	buf_free(&scratch);
	return h;
}

static void
test_hash(void **state)
{
	struct val_arena *a = val_arena_new();
	struct val *x = val_map(a), *y = val_map(a), *l = val_list(a);

	(void)state;
	val_set_str(a, x, "k", "v");
	val_set_str(a, y, "k", "v");
	assert_true(hash_of(x) == hash_of(y));
	/* Kinds and lengths are part of the hash: no accidental equality. */
	assert_true(hash_of(val_cstring(a, "true")) !=
	    hash_of(val_bool(a, true)));
	assert_true(hash_of(val_null(a)) != hash_of(val_cstring(a, "")));
	val_push(a, l, val_cstring(a, "ab"));
	val_push(a, l, val_cstring(a, "c"));
	assert_true(hash_of(l) != hash_of(val_cstring(a, "abc")));
	/* Replacing a value in place changes the hash, then restores it. */
	val_set_str(a, y, "k", "w");
	assert_true(hash_of(x) != hash_of(y));
	val_set_str(a, y, "k", "v");
	assert_true(hash_of(x) == hash_of(y));
	val_arena_free(a);
}

static void
test_arena(void **state)
{
	struct val_arena *a = val_arena_new();
	char *big;
	void *p;
	size_t i;

	(void)state;
	for (i = 1; i < 100; i++) {
		p = val_arena_alloc(a, i);
		assert_int_equal((uintptr_t)p % _Alignof(max_align_t), 0);
		memset(p, 0xAA, i);
	}
	big = val_arena_alloc(a, 1 << 20);
	memset(big, 'x', 1 << 20);
	val_arena_reset(a);
	/* Memory is reused after a reset; values start afresh. */
	for (i = 0; i < 100000; i++)
		val_cstring(a, "基层治理");
	val_arena_reset(a);
	assert_string_equal(val_text(val_cstring(a, "again"), NULL), "again");
	val_arena_free(a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scalars),
		cmocka_unit_test(test_truthy),
		cmocka_unit_test(test_lists),
		cmocka_unit_test(test_maps),
		cmocka_unit_test(test_list_index),
		cmocka_unit_test(test_hash),
		cmocka_unit_test(test_arena),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
