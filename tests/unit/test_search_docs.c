/*
 * The code of the search index's article files (render/search/docs.h):
 * characters in one, two or four bytes, copies of what came before,
 * read back to the same text, damaged files refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../generator/render/search/docs.h"
#include "../../generator/util/buf.h"
#include "../../generator/util/utf8.h"

struct coding {
	struct search_coder *coder;
	struct search_lz lz;
	struct buf coded;
};

static int
setup(void **state)
{
	struct coding *c = calloc(1, sizeof(*c));

	c->coder = search_coder_new();
	*state = c;
	return 0;
}

static int
teardown(void **state)
{
	struct coding *c = *state;

	search_coder_free(c->coder);
	search_lz_free(&c->lz);
	buf_free(&c->coded);
	free(c);
	return 0;
}

/* Codes text into c->coded. */
static void
encode(struct coding *c, const char *text)
{
	size_t n = search_doc_chars(&c->lz, text, strlen(text));

	search_doc_encode(&c->coded, &c->lz, n, c->coder);
}

/* Decodes bytes back to UTF-8; NULL when they are no article file. */
static char *
decode(struct coding *c, const char *bytes, size_t len)
{
	struct buf out = BUF_INIT;
	char utf8[4];
	size_t n, i;

	if (search_doc_decode(&c->lz, (const unsigned char *)bytes, len,
	    c->coder, &n) == -1)
		return NULL;
	for (i = 0; i < n; i++)
		buf_append(&out, utf8, utf8_encode(c->lz.cps[i], utf8));
	return buf_detach(&out);
}

static void
round_trip(struct coding *c, const char *text)
{
	char *back;

	encode(c, text);
	back = decode(c, c->coded.data, c->coded.len);
	assert_non_null(back);
	assert_string_equal(back, text);
	free(back);
}

/* A character of the table is one byte, one of a range two, any other
 * four: 0xFF and its code point. */
static void
test_characters(void **state)
{
	struct coding *c = *state;

	encode(c, "的");
	assert_int_equal(c->coded.len, 1);
	assert_int_equal((unsigned char)c->coded.data[0], 8);
	/* U+9F98, 0x5198 into the first range: lead 160 + 0x51. */
	encode(c, "龘");
	assert_int_equal(c->coded.len, 2);
	assert_memory_equal(c->coded.data, "\xf1\x98", 2);
	encode(c, "가");
	assert_int_equal(c->coded.len, 4);
	assert_memory_equal(c->coded.data, "\xff\x00\xac\x00", 4);
	encode(c, "\xf0\xa0\x80\x80");
	assert_memory_equal(c->coded.data, "\xff\x02\x00\x00", 4);
	round_trip(c, "的龘，。あ「」５Ｇ“α”—①→○ ~é가😀\xf0\xa0\x80\x80"
	    "\nAPP上线abc-DEF");
	round_trip(c, "");
}

/* Each byte that starts no character is read as U+FFFD. */
static void
test_bad_utf8(void **state)
{
	struct coding *c = *state;
	static const char text[] = "a\xff\xe4\xb8" "b";
	static const int32_t want[] = { 'a', 0xFFFD, 0xFFFD, 0xFFFD, 'b' };
	size_t n = search_doc_chars(&c->lz, text, strlen(text));

	assert_int_equal(n, 5);
	assert_memory_equal(c->lz.cps, want, sizeof(want));
}

/* A phrase said again is a copy: 0xFF, its length + 14, how far back. */
static void
test_copies(void **state)
{
	struct coding *c = *state;
	struct buf text = BUF_INIT;
	size_t i, once;

	(void)state;
	encode(c, "城市基层党建引领，");
	once = c->coded.len;
	encode(c, "城市基层党建引领，城市基层党建引领，");
	assert_int_equal(c->coded.len, once + 3);
	assert_memory_equal(c->coded.data + once, "\xff\x17\x09", 3);
	round_trip(c, "城市基层党建引领，城市基层党建引领，");
	/* Three characters at least, and only where the copy is smaller. */
	encode(c, "abab");
	assert_int_equal(c->coded.len, 4 * 2);
	/* Runs longer than a copy holds, and copies that overlap. */
	for (i = 0; i < 400; i++)
		buf_puts(&text, "社区");
	buf_puts(&text, "abcabcabc");
	encode(c, buf_str(&text));
	/* 社区, four copies of 241, 241, 241 and 75, abc, a copy of 6. */
	assert_int_equal(c->coded.len, 2 + 4 * 3 + 6 + 3);
	round_trip(c, buf_str(&text));
	/* The same text gives the same bytes, whatever came before. */
	encode(c, "社区社区社区，党建");
	buf_truncate(&text, 0);
	buf_append(&text, c->coded.data, c->coded.len);
	encode(c, "城市基层党建引领，城市基层党建引领，");
	encode(c, "社区社区社区，党建");
	assert_int_equal(c->coded.len, text.len);
	assert_memory_equal(c->coded.data, text.data, text.len);
	buf_free(&text);
}

static void
test_damaged(void **state)
{
	struct coding *c = *state;
	static const struct {
		const char *bytes;
		size_t	 len;
	} bad[] = {
		{ "\xf1", 1 },			/* a pair cut short */
		{ "\xff\x00\xac", 3 },		/* a code point cut short */
		{ "\xff", 1 },			/* an escape alone */
		{ "\x08\xff\x11\x00", 4 },	/* a copy from no distance */
		{ "\x08\xff\x11\x02", 4 },	/* from before the start */
		{ "\x08\xff\x11", 3 },		/* without its distance */
		{ "\x08\xff\x11\x80", 4 },	/* a distance cut short */
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (decode(c, bad[i].bytes, bad[i].len) != NULL)
			fail_msg("decoded damaged file %zu", i);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_characters, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_bad_utf8, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_copies, setup, teardown),
		cmocka_unit_test_setup_teardown(test_damaged, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
