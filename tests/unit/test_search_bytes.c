/*
 * The bytes of the search index's files (render/search/bytes.h):
 * varints written and read back, a reader that stops at the end of
 * damaged bytes, and the script each file is wrapped in.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "../../generator/render/search/bytes.h"
#include "../../generator/util/buf.h"

static const uint64_t values[] = {
	0, 1, 0x7F, 0x80, 0x3FFF, 0x4000, 300, 0xFFFFFFFF, 1ULL << 35,
	UINT64_MAX - 1, UINT64_MAX,
};
#define NVALUES	(sizeof(values) / sizeof(values[0]))

static void
test_varints(void **state)
{
	struct buf b = BUF_INIT;
	struct search_reader r;
	size_t i, pos = 0, at;

	(void)state;
	for (i = 0; i < NVALUES; i++) {
		at = b.len;
		search_put_varint(&b, values[i]);
		assert_int_equal(b.len - at, search_varint_size(values[i]));
	}
	/* Seven bits a byte, the high bit saying another follows. */
	assert_int_equal(search_varint_size(0x7F), 1);
	assert_int_equal(search_varint_size(0x80), 2);
	assert_int_equal(search_varint_size(UINT64_MAX), 10);
	assert_memory_equal(b.data + 3, "\x80\x01", 2);
	r = (struct search_reader){ (const unsigned char *)b.data, b.len, 0,
	    false };
	for (i = 0; i < NVALUES; i++) {
		assert_int_equal(search_get_varint(b.data, &pos), values[i]);
		assert_int_equal(search_read_varint(&r), values[i]);
	}
	assert_int_equal(pos, b.len);
	assert_int_equal(r.pos, b.len);
	assert_false(r.bad);
	buf_free(&b);
}

/* A varint cut short or longer than 64 bits is no varint. */
static void
test_damaged_varints(void **state)
{
	static const unsigned char cut[] = { 0x80, 0x80 };
	static const unsigned char long_[] = { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
	    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01 };
	struct search_reader r = { cut, sizeof(cut), 0, false };

	(void)state;
	assert_int_equal(search_read_varint(&r), 0);
	assert_true(r.bad);
	assert_int_equal(r.pos, sizeof(cut));
	r = (struct search_reader){ long_, sizeof(long_), 0, false };
	search_read_varint(&r);
	assert_true(r.bad);
	r = (struct search_reader){ cut, 0, 0, false };
	search_read_varint(&r);
	assert_true(r.bad);
}

/* Every byte goes through; only \, ", LF and CR are escaped. */
static void
test_wrap(void **state)
{
	unsigned char data[256];
	struct buf b = BUF_INIT;
	size_t i;
	long n;

	(void)state;
	for (i = 0; i < 256; i++)
		data[i] = (unsigned char)(255 - i);
	search_wrap(&b, "search/s/0a.js", data, sizeof(data));
	assert_memory_equal(b.data, "jicengSearch(\"s/0a\",\"", 21);
	assert_memory_equal(b.data + b.len - 4, "\");\n", 4);
	/* Four bytes take a backslash before them. */
	assert_int_equal(b.len, 21 + 256 + 4 + 4);
	assert_non_null(memmem(b.data, b.len, "\\n", 2));
	assert_non_null(memmem(b.data, b.len, "\\r", 2));
	assert_non_null(memmem(b.data, b.len, "\\\"", 2));
	assert_non_null(memmem(b.data, b.len, "\\\\", 2));
	assert_null(memchr(b.data, '\n', b.len - 1));
	n = search_unwrap((unsigned char *)b.data, b.len);
	assert_int_equal(n, 256);
	assert_memory_equal(b.data, data, 256);
	/* Nothing, and long runs needing no escape (eight at a time). */
	search_wrap(&b, "search/d/7.js", (const unsigned char *)"", 0);
	assert_string_equal(b.data, "jicengSearch(\"d/7\",\"\");\n");
	search_wrap(&b, "search/t/1.js",
	    (const unsigned char *)"abcdefghijklmnop\"qrstuvwxyz", 27);
	assert_string_equal(b.data,
	    "jicengSearch(\"t/1\",\"abcdefghijklmnop\\\"qrstuvwxyz\");\n");
	/* A byte to escape alone in a run. */
	search_wrap(&b, "search/t/2.js",
	    (const unsigned char *)"0123456789\rabcdefghijklmnop", 27);
	assert_string_equal(b.data,
	    "jicengSearch(\"t/2\",\"0123456789\\rabcdefghijklmnop\");\n");
	buf_free(&b);
}

static void
test_unwrap_refuses(void **state)
{
	static const char *const bad[] = {
		"jicengSearch(\"d/1\",\"abc\");",	/* no line end */
		"jicengsearch(\"d/1\",\"abc\");\n",
		"jicengSearch(\"d/1\",\"abc\\\");\n",	/* ends escaping */
		"jicengSearch(\"d/1\"abc\");\n",
		"\");\n",
	};
	char copy[64];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		strcpy(copy, bad[i]);
		if (search_unwrap((unsigned char *)copy, strlen(copy)) != -1)
			fail_msg("unwrapped %s", bad[i]);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_varints),
		cmocka_unit_test(test_damaged_varints),
		cmocka_unit_test(test_wrap),
		cmocka_unit_test(test_unwrap_refuses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
