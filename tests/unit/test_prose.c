/*
 * The rules of Chinese prose that import and check share: paragraph ends,
 * paragraphs opening inside a clause, Latin words, traditional characters.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../generator/util/prose.h"

static bool
ends(const char *s)
{
	return prose_ends_paragraph(s, strlen(s));
}

static enum prose_fragment
start(const char *s)
{
	return prose_fragment_start(s, strlen(s));
}

static void
test_paragraph_ends(void **state)
{
	(void)state;
	assert_true(ends("选拔街道干部5名。"));
	assert_true(ends("“明星社区”。”"));
	assert_true(ends("主要做法如下："));
	assert_true(ends("选拔街道干部5名。今年" PROSE_LACUNA));
	assert_false(ends("选拔街道干部5名。今年"));
	assert_false(ends("在不断的探索过程中，"));
	assert_false(ends(""));
}

static void
test_fragment_starts(void **state)
{
	(void)state;
	/* Each a paragraph of the seed pages that lost its start. */
	assert_int_equal(start("下沉，强化机制驱动，将区属10个部门执法人员"),
	    PROSE_SHORT_CLAUSE);
	assert_int_equal(start("力开展品牌活动。充分发挥成员单位职能"),
	    PROSE_WORD_TAIL);
	assert_int_equal(start("，将各类党组织"), PROSE_OPENS_WITH_MARK);
	assert_int_equal(start("”等荣誉称号"), PROSE_OPENS_WITH_MARK);
	/* Sentences that open so on purpose. */
	assert_int_equal(start("目前，全县共组建小区党支部38个。"), PROSE_WHOLE);
	assert_int_equal(start("一是，加强组织领导。"), PROSE_WHOLE);
	assert_int_equal(start("力争到2025年实现全覆盖。"), PROSE_WHOLE);
	assert_int_equal(start("着力打造党建品牌。"), PROSE_WHOLE);
	assert_int_equal(start("近年来，美兰区坚持以党建为引领。"), PROSE_WHOLE);
	assert_int_equal(start("2019年，我们投入600万元。"), PROSE_WHOLE);
	assert_int_equal(start("“上海会议”召开后，我们深刻认识到"), PROSE_WHOLE);
	assert_int_equal(start("抓品牌强活动。选树培育特色品牌"), PROSE_WHOLE);
	assert_int_equal(start("到一线解决问题、到基层服务群众。"), PROSE_WHOLE);
	/* Connectives that open a sentence, of every kind. */
	assert_int_equal(start("再者，市南区推行网格化管理。"), PROSE_WHOLE);
	assert_int_equal(start("综上，党建引领是关键。"), PROSE_WHOLE);
	assert_int_equal(start("那么，如何破解这一难题？"), PROSE_WHOLE);
	assert_int_equal(start("还有，要建好队伍。"), PROSE_WHOLE);
	assert_int_equal(start("期间，共走访群众3000户。"), PROSE_WHOLE);
	assert_int_equal(start("据此，区委制定了实施方案。"), PROSE_WHOLE);
	assert_int_equal(start("与此同时，我们建立了台账。"), PROSE_WHOLE);
	/* Not every short clause is a connective. */
	assert_int_equal(start("融合，推动资源共享。"), PROSE_SHORT_CLAUSE);
	assert_int_equal(start("到位，确保取得实效。"), PROSE_SHORT_CLAUSE);
	assert_int_equal(start(""), PROSE_WHOLE);
}

/* Every Latin word prose_next_latin_word finds, joined by "|". */
static void
latin_words(const char *s, char *out)
{
	size_t pos = 0, a, b, len = strlen(s);

	out[0] = '\0';
	while (prose_next_latin_word(s, len, &pos, &a, &b)) {
		strncat(out, s + a, b - a);
		strcat(out, "|");
	}
}

static void
test_latin_words(void **state)
{
	char found[256];

	(void)state;
	latin_words("强化街道“龙头”带动作用 and 统筹协调功能", found);
	assert_string_equal(found, "and|");
	latin_words("作用and统筹，服务or管理", found);
	assert_string_equal(found, "and|or|");
	/* Acronyms, capitals and digits belong in the text. */
	latin_words("推广了“e岗通”便民APP，借助智能手机APP和5G网络", found);
	assert_string_equal(found, "");
	latin_words("the start and end", found);
	assert_string_equal(found, "");
	assert_string_equal(prose_latin_meaning("and", 3), "和");
	assert_null(prose_latin_meaning("the", 3));
}

static void
test_traditional(void **state)
{
	(void)state;
	assert_int_equal(prose_simplified(0x66F8), 0x4E66);	/* 書 书 */
	assert_int_equal(prose_simplified(0x8A18), 0x8BB0);	/* 記 记 */
	/* Standard characters, though they have simplified variants too. */
	assert_int_equal(prose_simplified(0x4E7E), -1);		/* 乾 */
	assert_int_equal(prose_simplified(0x8457), -1);		/* 著 */
	assert_int_equal(prose_simplified(0x4E66), -1);		/* 书 */
	assert_int_equal(prose_simplified('a'), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_paragraph_ends),
		cmocka_unit_test(test_fragment_starts),
		cmocka_unit_test(test_latin_words),
		cmocka_unit_test(test_traditional),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
