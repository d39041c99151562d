/*
 * Shards (render/search/shards.h): their number, and their
 * terms written and read back, damaged shards refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "../../generator/render/search/shards.h"
#include "../../generator/util/buf.h"

/* About 2 KB a shard, from 16 shards to 16384. */
static void
test_bits(void **state)
{
	(void)state;
	assert_int_equal(search_shard_bits(0), SEARCH_SHARD_BITS_MIN);
	assert_int_equal(search_shard_bits(2048 << 4), 4);
	assert_int_equal(search_shard_bits((2048 << 4) + 16), 5);
	assert_int_equal(search_shard_bits((uint64_t)2048 << 10), 10);
	assert_int_equal(search_shard_bits(UINT64_MAX),
	    SEARCH_SHARD_BITS_MAX);
	/* A key, an entry and a few bytes of lengths. */
	assert_int_equal(search_term_size(6, 10), 20);
}

static void
test_terms(void **state)
{
	struct buf b = BUF_INIT;
	struct search_reader r;
	struct search_shard_term t;
	uint64_t left;

	(void)state;
	search_put_varint(&b, 2);
	search_shard_append(&b, "社区", 6, "\x01\x01\x00\x00\x00", 5);
	search_shard_append(&b, "5g", 2, "\x02", 1);
	r = (struct search_reader){ (const unsigned char *)b.data, b.len, 0,
	    false };
	left = search_read_varint(&r);
	search_shard_next(&r, &left, &t);
	assert_true(t.valid);
	assert_int_equal(t.keylen, 6);
	assert_memory_equal(t.key, "社区", 6);
	assert_int_equal(t.len, 5);
	search_shard_next(&r, &left, &t);
	assert_true(t.valid);
	assert_memory_equal(t.key, "5g", 2);
	assert_memory_equal(t.entry, "\x02", 1);
	search_shard_next(&r, &left, &t);
	assert_false(t.valid);
	assert_false(r.bad);
	assert_int_equal(r.pos, b.len);
	buf_free(&b);
}

static void
expect_bad(const char *bytes, size_t len)
{
	struct search_reader r = { (const unsigned char *)bytes, len, 0,
	    false };
	struct search_shard_term t;
	uint64_t left = search_read_varint(&r);

	do
		search_shard_next(&r, &left, &t);
	while (t.valid);
	if (!r.bad)
		fail_msg("read a shard of %zu bytes", len);
}

static void
test_damaged(void **state)
{
	(void)state;
	expect_bad("\x01\x0d" "abcdefghijklm\x00", 16);	/* a key too long */
	expect_bad("\x01\x03" "ab", 4);			/* a key cut short */
	expect_bad("\x01\x01" "a\x05\x00", 5);		/* an entry likewise */
	expect_bad("\x02\x01" "a\x01\x00", 5);		/* a term missing */
	expect_bad("\x01\x01" "a", 3);			/* no entry length */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bits),
		cmocka_unit_test(test_terms),
		cmocka_unit_test(test_damaged),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
