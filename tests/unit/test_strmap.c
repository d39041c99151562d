/* The string map and the cache's record encoding. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../generator/util/ser.h"
#include "../../generator/util/strmap.h"
#include "../../generator/util/xalloc.h"

#define KEYS	20000

/* Many keys, through every growth of the table, in insertion order. */
static void
test_many_keys(void **state)
{
	struct strmap m = STRMAP_INIT;
	struct strmap_entry *e;
	char key[32];
	bool added;
	size_t i;

	(void)state;
	for (i = 0; i < KEYS; i++) {
		snprintf(key, sizeof(key), "articles/a%06zu/index.html", i);
		e = strmap_put(&m, key, strlen(key), &added);
		assert_true(added);
		e->value = (void *)(uintptr_t)(i + 1);
	}
	assert_int_equal(m.count, KEYS);
	for (i = 0; i < KEYS; i++) {
		snprintf(key, sizeof(key), "articles/a%06zu/index.html", i);
		e = strmap_get(&m, key, strlen(key));
		assert_non_null(e);
		assert_int_equal((uintptr_t)e->value, i + 1);
		assert_string_equal(m.entries[i].key, key);
		strmap_put(&m, key, strlen(key), &added);
		assert_false(added);
	}
	assert_null(strmap_get(&m, "articles/a", 10));
	assert_int_equal(m.count, KEYS);
	strmap_free(&m);
}

/* Keys are bytes with a length: a NUL, a prefix, a key past a chunk. */
static void
test_odd_keys(void **state)
{
	struct strmap m = STRMAP_INIT;
	size_t big = 200 * 1024;
	char *long_key = xmalloc(big);

	(void)state;
	memset(long_key, 'x', big);
	strmap_reserve(&m, 4);
	strmap_put(&m, "a\0b", 3, NULL)->value = long_key;
	strmap_put(&m, "a", 1, NULL);
	strmap_put(&m, long_key, big, NULL);
	strmap_put(&m, "", 0, NULL);
	assert_int_equal(m.count, 4);
	assert_ptr_equal(strmap_get(&m, "a\0b", 3)->value, long_key);
	assert_null(strmap_get(&m, "a\0c", 3));
	assert_non_null(strmap_get(&m, long_key, big));
	assert_null(strmap_get(&m, long_key, big - 1));
	assert_non_null(strmap_get(&m, "", 0));
	assert_int_equal(m.entries[2].keylen, big);
	strmap_free(&m);
	free(long_key);
}

/* Strings read in place end where they were written, or the read fails. */
static void
test_ser_views(void **state)
{
	struct buf b = BUF_INIT;
	struct ser_reader r;

	(void)state;
	ser_str(&b, "区县");
	ser_str(&b, NULL);
	ser_u32(&b, 7);
	ser_reader_init(&r, b.data, b.len);
	assert_string_equal(ser_read_view(&r), "区县");
	assert_null(ser_read_view(&r));
	assert_int_equal(ser_read_u32(&r), 7);
	assert_false(r.bad);
	/* Without its NUL the string is not there. */
	b.data[4 + strlen("区县")] = 'x';
	ser_reader_init(&r, b.data, b.len);
	assert_null(ser_read_view(&r));
	assert_true(r.bad);
	/* Cut short. */
	ser_reader_init(&r, b.data, 5);
	assert_null(ser_read_view(&r));
	assert_true(r.bad);
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_many_keys),
		cmocka_unit_test(test_odd_keys),
		cmocka_unit_test(test_ser_views),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
