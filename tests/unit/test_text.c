/*
 * An article's plain text, as cmark reads it; summaries and cuts, which
 * count characters and prefer sentence ends; theme passages.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../generator/model/text.h"
#include "../../generator/util/buf.h"
#include "../../generator/util/utf8.h"

/* Every kind of block, and the inline markup a reader never sees. */
static const char markdown[] = "# H1\n\nSetext\n===\n\n> 引用**粗**\n\n"
    "- 项一\n- 项二\n\n1. 第一\n\n```\ncode line\n\nsecond\n```\n\n"
    "    indented\n\n<div>\n块 HTML\n</div>\n\n---\n\n"
    "![图](x.png)和<https://x.org>与`代码`&amp;\\*星\\*\nabc\ndef  \n"
    "中文\\\n换行\n";

/*
 * The text a page shows: a line a block; no markers, no raw HTML, no
 * addresses but those shown; entities and escapes as they read; lines
 * joined without a space but between ASCII letters or digits.
 */
static void
test_plain(void **state)
{
	static const struct {
		const char *text;
		enum text_kind kind;
	} want[] = {
		{ "H1", TEXT_HEADING }, { "Setext", TEXT_HEADING },
		{ "引用粗", TEXT_PARAGRAPH }, { "项一", TEXT_PARAGRAPH },
		{ "项二", TEXT_PARAGRAPH }, { "第一", TEXT_PARAGRAPH },
		{ "code line", TEXT_CODE }, { "second", TEXT_CODE },
		{ "indented", TEXT_CODE },
		{ "图和https://x.org与代码&*星*abc def中文换行", TEXT_PARAGRAPH },
	};
	static const char html[] = "甲\n\n<b></b>\n\n乙\n";
	static const char none[] = "---\n\n<div>\n</div>\n";
	struct text_plain p;
	size_t i;

	(void)state;
	text_plain_parse(markdown, strlen(markdown), &p);
	assert_string_equal(p.text, "\nH1\nSetext\n引用粗\n项一\n项二\n第一\n"
	    "code line\nsecond\nindented\n"
	    "图和https://x.org与代码&*星*abc def中文换行");
	assert_int_equal(p.len, strlen(p.text));
	assert_int_equal(p.nblocks, sizeof(want) / sizeof(want[0]));
	for (i = 0; i < p.nblocks; i++) {
		assert_int_equal(p.blocks[i].len, strlen(want[i].text));
		assert_memory_equal(p.text + p.blocks[i].off, want[i].text,
		    p.blocks[i].len);
		assert_int_equal(p.text[p.blocks[i].off - 1], '\n');
		assert_int_equal(p.blocks[i].kind, want[i].kind);
	}
	text_plain_free(&p);
	text_plain_parse("", 0, &p);
	assert_int_equal(p.len, 0);
	assert_string_equal(p.text, "");
	assert_int_equal(p.nblocks, 0);
	text_plain_free(&p);
	text_plain_parse(none, strlen(none), &p);
	assert_string_equal(p.text, "");
	text_plain_free(&p);
	/* A paragraph of raw HTML alone has no text: no block. */
	text_plain_parse(html, strlen(html), &p);
	assert_string_equal(p.text, "\n甲\n乙");
	text_plain_free(&p);
	text_plain_free(NULL);
}

/*
 * A note of the text holds where its blocks lie in the Markdown, and
 * those with markup whole; it gives the same text back.
 */
static void
test_pack(void **state)
{
	static const char simple[] = "## 小标题\n\n第一段文字很长很长。\n\n"
	    "第二段。\n";
	struct text_plain p;
	struct buf note = BUF_INIT, back = BUF_INIT;

	(void)state;
	text_plain_parse(markdown, strlen(markdown), &p);
	assert_int_equal(text_plain_pack(&p, markdown, strlen(markdown), &note),
	    0);
	/* Two blocks of ten are noted whole: the quote, the last. */
	assert_int_equal(note.len, 10 * 4 + 8 * 4 + strlen("引用粗") +
	    strlen("图和https://x.org与代码&*星*abc def中文换行"));
	text_plain_unpack(note.data, note.len, markdown, &back);
	assert_int_equal(back.len, p.len);
	assert_memory_equal(back.data, p.text, p.len);
	text_plain_free(&p);
	buf_truncate(&note, 0);
	buf_truncate(&back, 0);
	text_plain_parse(simple, strlen(simple), &p);
	assert_int_equal(text_plain_pack(&p, simple, strlen(simple), &note), 0);
	assert_int_equal(note.len, 3 * 8);
	text_plain_unpack(note.data, note.len, simple, &back);
	assert_string_equal(buf_str(&back), p.text);
	text_plain_free(&p);
	buf_free(&note);
	buf_free(&back);
}

/* The summary of Markdown md; caller frees. */
static char *
summary(const char *md, size_t max)
{
	struct text_plain p;
	char *s;

	text_plain_parse(md, strlen(md), &p);
	s = text_summary(&p, max);
	text_plain_free(&p);
	return s;
}

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
	s = summary(body, 100);
	assert_string_equal(s, "第一段加粗和链接。第二句很长很长很长。第一段续行。");
	free(s);
	s = summary(body, 12);
	assert_string_equal(s, "第一段加粗和链接。");
	free(s);
	s = summary(body, 5);
	assert_string_equal(s, "第一段加粗……");
	free(s);
	s = summary("", 10);
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
	s = summary(body, 40);
	assert_string_equal(s, "作为省会城市的中心城区，龙华区始终坚持以"
	    "“党建引领、多元共治，服务为先”为路径……");
	free(s);
	/* Without a clause end within max, the first one past it. */
	s = summary(body, 15);
	assert_string_equal(s, "作为省会城市的中心城区……");
	free(s);
	/* A run-in heading (抓实三级联动。) is no place to stop. */
	s = summary(runin, 40);
	assert_string_equal(s, "美兰区积极探索城市基层党建融合发展新模式，"
	    "全面启动了聚力工程。");
	free(s);
}

/*
 * A 、 parts the items of a list, not clauses: a summary ends there only
 * when no clause end falls within its length.
 */
static void
test_summary_list(void **state)
{
	static const char body[] = "我们坚持以党建引领基层治理，坚持把加强基层"
	    "党组织建设、强化基层政权建设、健全基层群众自治制度"
	    "作为基层治理的主线，不断夯实基础。\n";
	static const char list[] = "坚持把加强基层党组织建设、强化基层政权建设"
	    "、健全基层群众自治制度、完善基层治理体系，作为主线。\n";
	char *s;

	(void)state;
	/* The 、 after 政权建设 lies nearer 40 than the ， after 基层治理. */
	s = summary(body, 40);
	assert_string_equal(s, "我们坚持以党建引领基层治理……");
	free(s);
	/* Nothing but 、 within 40: the last of them. */
	s = summary(list, 40);
	assert_string_equal(s, "坚持把加强基层党组织建设、强化基层政权建设"
	    "、健全基层群众自治制度……");
	free(s);
	/* A 、 within max goes before a clause end past it. */
	s = summary(list, 30);
	assert_string_equal(s, "坚持把加强基层党组织建设、强化基层政权建设……");
	free(s);
}

/*
 * The passage of theme t in Markdown md; the plain text its offsets are
 * into in *text (caller frees).
 */
static bool
passage(const char *md, const struct theme *t, struct passage *p,
    char **text)
{
	struct text_plain plain;
	bool found;

	text_plain_parse(md, strlen(md), &plain);
	found = text_find_passage(&plain, t, p);
	*text = plain.text;
	plain.text = NULL;
	text_plain_free(&plain);
	return found;
}

/*
 * A summary is of the first paragraph as the page shows it: a list's or
 * a quote's without its marker, never a code block, its lines joined
 * with a space only between ASCII letters or digits.
 */
static void
test_summary_markup(void **state)
{
	char *s;

	(void)state;
	s = summary("```\ncode\n```\n\n- 列表第一项，说明。\n", 100);
	assert_string_equal(s, "列表第一项，说明。");
	free(s);
	s = summary("> 开通5G\n> network，&amp; 12345\n热线。\n", 100);
	assert_string_equal(s, "开通5G network，& 12345热线。");
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
	char *text;

	(void)state;
	t.keywords = kw;
	t.nkeywords = 2;
	assert_true(passage(body, &t, &p, &text));
	assert_int_equal(p.len, strlen("我们推行“红色物业”，让物业企业与社区党组织联动。"));
	assert_memory_equal(text + p.off, "我们推行", strlen("我们推行"));
	assert_memory_equal(text + p.mark_off, "红色物业", p.mark_len);
	assert_false(p.cut_before);
	assert_false(p.cut_after);
	free(text);
}

/* A long sentence is narrowed to whole clauses around the keyword. */
static void
test_passage_clauses(void **state)
{
	struct theme t = { 0 };
	char *kw[] = { "网格" };
	struct passage p;
	char body[4096] = "", *text;
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
	assert_true(passage(body, &t, &p, &text));
	assert_true(p.cut_before);
	assert_true(p.cut_after);
	assert_true(utf8_length(text + p.off, p.len) <= TEXT_PASSAGE_CHARS);
	/* Starts with its clause, not a comma; ends before a comma. */
	assert_memory_equal(text + p.off, "中间", strlen("中间"));
	assert_memory_equal(text + p.off + p.len - strlen("字"), "字",
	    strlen("字"));
	assert_true(p.mark_off > p.off);
	free(text);
}

static void
test_passage_long_sentence(void **state)
{
	struct theme t = { 0 };
	char *kw[] = { "网格" };
	struct passage p;
	char body[4096] = "", *text;
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
	assert_true(passage(body, &t, &p, &text));
	assert_true(utf8_length(text + p.off, p.len) <= TEXT_PASSAGE_CHARS);
	assert_true(p.mark_off >= p.off);
	assert_true(p.mark_off + p.mark_len <= p.off + p.len);
	assert_memory_equal(text + p.mark_off, "网格", 6);
	free(text);
	t.keywords[0] = "没有";
	assert_false(passage(body, &t, &p, &text));
	free(text);
}

/* Markup between a keyword's characters does not hide it. */
static void
test_passage_markup(void **state)
{
	struct theme t = { 0 };
	char *kw[] = { "红色物业" };
	struct passage p;
	char *text;

	(void)state;
	t.keywords = kw;
	t.nkeywords = 1;
	assert_true(passage("## 红色物业\n\n我们推行**红色**物业，服务群众。\n", &t,
	    &p, &text));
	assert_memory_equal(text + p.off, "我们推行红色物业，服务群众。", p.len);
	assert_memory_equal(text + p.mark_off, "红色物业", p.mark_len);
	free(text);
	/* A heading only when no paragraph holds it, though it weighs more. */
	assert_true(passage("## 红色物业引领红色物业新格局新气象\n\n"
	    "我们推行红色物业服务群众的工作。\n", &t, &p, &text));
	assert_memory_equal(text + p.off, "我们推行", strlen("我们推行"));
	free(text);
	assert_true(passage("## 红色物业\n\n别的。\n", &t, &p, &text));
	assert_memory_equal(text + p.off, "红色物业", p.len);
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_pack),
		cmocka_unit_test(test_cut),
		cmocka_unit_test(test_summary),
		cmocka_unit_test(test_summary_clause),
		cmocka_unit_test(test_summary_list),
		cmocka_unit_test(test_summary_markup),
		cmocka_unit_test(test_passage_most_telling),
		cmocka_unit_test(test_passage_clauses),
		cmocka_unit_test(test_passage_long_sentence),
		cmocka_unit_test(test_passage_markup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
