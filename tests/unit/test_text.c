/* Summaries and cuts count characters and prefer sentence ends. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../generator/model/text.h"
#include "../../generator/util/utf8.h"

static void
test_cut(void **state)
{
	static const char s[] = "一二三。四五六七八九十";

	(void)state;
	/* Five characters fit; the sentence ended after three. */
	assert_int_equal(utf8_cut(s, strlen(s), 5, 2), strlen("一二三。"));
	/* With no slack, cut at five characters exactly. */
	assert_int_equal(utf8_cut(s, strlen(s), 5, 0), strlen("一二三。四"));
	/* Never inside a sequence: every cut is a character boundary. */
	for (size_t n = 0; n < 12; n++)
		assert_int_equal(utf8_cut(s, strlen(s), n, 0) % 3, 0);
	assert_int_equal(utf8_cut(s, strlen(s), 100, 5), strlen(s));
}

static void
test_summary(void **state)
{
	static const char body[] = "## 标题\n\n第一段**加粗**和[链接](http://x)。"
	    "第二句很长很长很长。\n第一段续行。\n\n第二段。\n";
	char *s;

	(void)state;
	s = text_summary(body, strlen(body), 100);
	assert_string_equal(s, "第一段加粗和链接。第二句很长很长很长。第一段续行。");
	free(s);
	s = text_summary(body, strlen(body), 12);
	assert_string_equal(s, "第一段加粗和链接。");
	free(s);
	s = text_summary(body, strlen(body), 5);
	assert_string_equal(s, "第一段加粗……");
	free(s);
	s = text_summary("", 0, 10);
	assert_string_equal(s, "");
	free(s);
}

static void
test_passage_long_sentence(void **state)
{
	struct theme t = { 0 };
	char *kw[] = { "网格" };
	struct passage p;
	char body[4096] = "";
	size_t i;

	(void)state;
	for (i = 0; i < 200; i++)
		strcat(body, "长");
	strcat(body, "网格");
	for (i = 0; i < 200; i++)
		strcat(body, "尾");
	strcat(body, "。");
	t.keywords = kw;
	t.nkeywords = 1;
	assert_true(text_find_passage(body, strlen(body), &t, &p));
	assert_true(utf8_length(body + p.off, p.len) <= TEXT_PASSAGE_CHARS);
	assert_true(p.mark_off >= p.off);
	assert_true(p.mark_off + p.mark_len <= p.off + p.len);
	assert_memory_equal(body + p.mark_off, "网格", 6);
	t.keywords[0] = "没有";
	assert_false(text_find_passage(body, strlen(body), &t, &p));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cut),
		cmocka_unit_test(test_summary),
		cmocka_unit_test(test_passage_long_sentence),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
