/*
 * Sets and entries (render/search/sets.h): numbers and postings written
 * and read back, the smaller code chosen, damaged bytes refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../generator/render/search/sets.h"
#include "../../generator/util/buf.h"
#include "../../generator/util/xalloc.h"

/* Writes v[n] below universe and reads it back; returns the mode byte. */
static int
round_trip(const uint32_t *v, size_t n, uint32_t universe)
{
	struct buf b = BUF_INIT;
	struct search_reader r;
	uint32_t *got = NULL;
	size_t cap = 0, count;
	int mode;

	search_set_put(&b, v, n, universe);
	r = (struct search_reader){ (const unsigned char *)b.data, b.len, 0,
	    false };
	count = search_set_read(&r, universe, &got, &cap);
	assert_false(r.bad);
	assert_int_equal(count, n);
	assert_int_equal(r.pos, b.len);
	if (n > 0)
		assert_memory_equal(got, v, n * sizeof(*v));
	mode = n > 0 ? (unsigned char)b.data[search_varint_size(n)] : -1;
	free(got);
	buf_free(&b);
	return mode;
}

static void
test_sets(void **state)
{
	static const uint32_t one[] = { 0 }, last[] = { 99999 };
	static const uint32_t spread[] = { 3, 700, 701, 5000, 123456 };
	uint32_t *v = xcalloc(1000, sizeof(*v));
	size_t i;

	(void)state;
	assert_int_equal(round_trip(NULL, 0, 10), -1);
	round_trip(one, 1, 1);
	round_trip(last, 1, 100000);
	/* Few numbers in a large universe: Rice-coded (mode k + 1). */
	assert_true(round_trip(spread, 5, 200000) > 1);
	/*
	 * Rice with k = 0 takes a bit per number and per gap, as many bits
	 * as the last number: a bitmap (mode 0) only when that is the last
	 * of the universe, rounded up to a byte.
	 */
	for (i = 0; i < 1000; i++)
		v[i] = (uint32_t)i;
	assert_int_equal(round_trip(v, 1000, 1000), 0);
	for (i = 0; i < 1000; i++)
		v[i] = (uint32_t)(2 * i + 1);
	assert_int_equal(round_trip(v, 1000, 2000), 0);
	assert_int_equal(round_trip(v, 999, 2000), 1);
	/* A gap whose quotient runs past 24 ones. */
	for (i = 0; i < 39; i++)
		v[i] = (uint32_t)i;
	v[39] = 1000000;
	assert_true(round_trip(v, 40, 1000001) > 1);
	free(v);
}

/* The exact bytes of small sets, as the formats say. */
static void
test_set_bytes(void **state)
{
	static const uint32_t v[] = { 1, 2, 6 }, all[] = { 0, 1, 2, 3, 4, 5,
	    6, 7 };
	struct buf b = BUF_INIT;

	(void)state;
	/* Gaps 1, 0, 3 with k = 0: 10 0 1110, from the low bit up. */
	search_set_put(&b, v, 3, 8);
	assert_int_equal(b.len, 3);
	assert_memory_equal(b.data, "\x03\x01\x39", 3);
	buf_truncate(&b, 0);
	search_set_put(&b, all, 8, 8);
	assert_int_equal(b.len, 3);
	assert_memory_equal(b.data, "\x08\x00\xff", 3);
	buf_free(&b);
}

static void
expect_bad(const char *bytes, size_t len, uint32_t universe)
{
	struct search_reader r = { (const unsigned char *)bytes, len, 0,
	    false };
	uint32_t *got = NULL;
	size_t cap = 0;

	search_set_read(&r, universe, &got, &cap);
	if (!r.bad)
		fail_msg("read a set of %zu bytes", len);
	free(got);
}

static void
test_damaged_sets(void **state)
{
	(void)state;
	expect_bad("\x05\x00\xff", 3, 8);	/* five numbers, eight bits set */
	expect_bad("\x09\x00\xff\x01", 4, 8);	/* more numbers than room */
	expect_bad("\x02\x00", 2, 16);		/* the bitmap cut short */
	expect_bad("\x01", 1, 8);		/* no mode */
	expect_bad("\x01\x1a\x00", 3, 8);	/* Rice parameter 25 */
	expect_bad("\x01\x01\xff\xff", 4, 8);	/* a gap past the universe */
	expect_bad("\x01\x01\xff\x00", 4, 8);	/* a number past it */
	expect_bad("\x02\x01", 2, 100);		/* the numbers missing */
}

/* Postings: articles, strong fields and occurrences. */
static void
fill(struct search_postings *p, size_t n, uint32_t step, unsigned tfmod)
{
	size_t i;

	p->n = 0;
	for (i = 0; i < n; i++)
		search_postings_push(p, (uint32_t)(i * step), i % 3 == 0,
		    (uint8_t)(tfmod ? 1 + (i * 7) % tfmod : 1));
}

static void
entry_round_trip(const struct search_postings *p, uint32_t ndocs)
{
	struct search_scratch sc = { 0 };
	struct search_postings got = { 0 };
	struct buf b = BUF_INIT;

	search_entry_encode(p, ndocs, &sc, &b);
	assert_int_equal(search_entry_decode((const unsigned char *)b.data,
	    b.len, ndocs, &got, &sc), 0);
	assert_true(search_postings_equal(p, &got));
	/* Every byte counts: one more or one less is no entry. */
	buf_putc(&b, 0);
	assert_int_equal(search_entry_decode((const unsigned char *)b.data,
	    b.len, ndocs, &got, &sc), -1);
	assert_int_equal(search_entry_decode((const unsigned char *)b.data,
	    b.len - 2, ndocs, &got, &sc), -1);
	search_postings_free(&got);
	search_scratch_free(&sc);
	buf_free(&b);
}

static void
test_entries(void **state)
{
	struct search_postings p = { 0 };

	(void)state;
	fill(&p, 1, 1, 0);
	entry_round_trip(&p, 1);
	fill(&p, 50, 3, 0);
	entry_round_trip(&p, 150);
	fill(&p, 50, 3, 5);
	entry_round_trip(&p, 150);
	/* Occurrences up to SEARCH_TF_MAX, many articles. */
	fill(&p, 3000, 2, SEARCH_TF_MAX);
	entry_round_trip(&p, 6000);
	fill(&p, 200, 500, 40);
	entry_round_trip(&p, 100000);
	search_postings_free(&p);
}

/* Each article once: the occurrences are one byte, 0. */
static void
test_entry_bytes(void **state)
{
	struct search_postings p = { 0 };
	struct search_scratch sc = { 0 };
	struct buf b = BUF_INIT;

	(void)state;
	search_postings_push(&p, 2, 1, 1);
	search_postings_push(&p, 5, 0, 1);
	/*
	 * Articles {2, 5} of 8 (gaps 2 and 2, k = 0: 110 110), strong at
	 * {0} of 2, and each once: occurrences 0.
	 */
	search_entry_encode(&p, 8, &sc, &b);
	assert_int_equal(b.len, 7);
	assert_memory_equal(b.data, "\x02\x01\x1b\x01\x01\x00\x00", 7);
	/* Article 5 three times: k = 0 (m = 1), then 0 and 110. */
	p.tf[1] = 3;
	buf_truncate(&b, 0);
	search_entry_encode(&p, 8, &sc, &b);
	assert_int_equal(b.len, 8);
	assert_memory_equal(b.data, "\x02\x01\x1b\x01\x01\x00\x01\x06", 8);
	search_postings_free(&p);
	search_scratch_free(&sc);
	buf_free(&b);
}

static void
test_damaged_entries(void **state)
{
	struct search_postings got = { 0 };
	struct search_scratch sc = { 0 };
	static const struct {
		const char *bytes;
		size_t	 len;
	} bad[] = {
		{ "", 0 },				/* nothing */
		{ "\x00\x00\x00", 3 },			/* in no article */
		{ "\x01\x00\x01\x00\x09\x00\x00", 7 },	/* Rice k = 8 */
		{ "\x01\x00\x01\x00\x01", 5 },		/* no occurrences */
		{ "\x01\x00\x01\x00\x08\xfe", 6 },	/* 128 times */
		{ "\x01\x00\x01\x02\x00\x01\x00", 7 },	/* two strong of one */
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (search_entry_decode((const unsigned char *)bad[i].bytes,
		    bad[i].len, 8, &got, &sc) != -1)
			fail_msg("entry %zu decoded", i);
	search_postings_free(&got);
	search_scratch_free(&sc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sets),
		cmocka_unit_test(test_set_bytes),
		cmocka_unit_test(test_damaged_sets),
		cmocka_unit_test(test_entries),
		cmocka_unit_test(test_entry_bytes),
		cmocka_unit_test(test_damaged_entries),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
