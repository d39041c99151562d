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

/* A first sentence too long for the summary ends at a clause, never in a
 * word, never inside quotes. */
static void
test_summary_clause(void **state)
{
	static const char body[] = "作为省会城市的中心城区，龙华区始终坚持以"
	    "“党建引领、多元共治，服务为先”为路径，不断提升城市基层治理能力"
	    "和水平，为推动经济社会高质量发展提供组织保证。\n";
	static const char runin[] = "美兰区积极探索城市基层党建融合发展新模式，"
	    "全面启动了聚力工程。抓实三级联动。\n";
	char *s;

	(void)state;
	s = text_summary(body, strlen(body), 40);
	assert_string_equal(s, "作为省会城市的中心城区，龙华区始终坚持以"
	    "“党建引领、多元共治，服务为先”为路径……");
	free(s);
	/* Without a clause end within max, the first one past it. */
	s = text_summary(body, strlen(body), 15);
	assert_string_equal(s, "作为省会城市的中心城区……");
	free(s);
	/* A run-in heading (抓实三级联动。) is no place to stop. */
	s = text_summary(runin, strlen(runin), 40);
	assert_string_equal(s, "美兰区积极探索城市基层党建融合发展新模式，"
	    "全面启动了聚力工程。");
	free(s);
}

/* The passage quoted is the sentence that says most of the theme. */
static void
test_passage_most_telling(void **state)
{
	struct theme t = { 0 };
	char *kw[] = { "物业", "红色物业" };
	static const char body[] = "## 红色物业\n\n小区有物业。"
	    "我们推行“红色物业”，让物业企业与社区党组织联动。短句说物业。\n";
	struct passage p;

	(void)state;
	t.keywords = kw;
	t.nkeywords = 2;
	assert_true(text_find_passage(body, strlen(body), &t, &p));
	assert_int_equal(p.len, strlen("我们推行“红色物业”，让物业企业与社区党组织联动。"));
	assert_memory_equal(body + p.off, "我们推行", strlen("我们推行"));
	assert_memory_equal(body + p.mark_off, "红色物业", p.mark_len);
	assert_false(p.cut_before);
	assert_false(p.cut_after);
}

/* A long sentence is narrowed to whole clauses around the keyword. */
static void
test_passage_clauses(void **state)
{
	struct theme t = { 0 };
	char *kw[] = { "网格" };
	struct passage p;
	char body[4096] = "";
	size_t i;

	(void)state;
	for (i = 0; i < 12; i++)
		strcat(body, "前面的一个分句有十个字，");
	strcat(body, "中间建立网格党支部，");
	for (i = 0; i < 12; i++)
		strcat(body, "后面的一个分句有十个字，");
	strcat(body, "完。");
	t.keywords = kw;
	t.nkeywords = 1;
	assert_true(text_find_passage(body, strlen(body), &t, &p));
	assert_true(p.cut_before);
	assert_true(p.cut_after);
	assert_true(utf8_length(body + p.off, p.len) <= TEXT_PASSAGE_CHARS);
	/* Starts with its clause, not a comma; ends before a comma. */
	assert_memory_equal(body + p.off, "中间", strlen("中间"));
	assert_memory_equal(body + p.off + p.len - strlen("字"), "字",
	    strlen("字"));
	assert_true(p.mark_off > p.off);
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
		cmocka_unit_test(test_summary_clause),
		cmocka_unit_test(test_passage_most_telling),
		cmocka_unit_test(test_passage_clauses),
		cmocka_unit_test(test_passage_long_sentence),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
