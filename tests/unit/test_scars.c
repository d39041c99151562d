/*
 * The scars check on hand-written articles: each rule on a small body,
 * its location, and the front matter's way to accept one on purpose.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../generator/load/article.h"
#include "../../generator/model/scars.h"
#include "../../generator/util/xalloc.h"

#define HEAD "---\ntitle: t\nprovince: 海南省\ncity: 海口市\ndistrict: 秀英区\n"

/* The warnings for an article, one formatted line each. */
static char *
scars_of(const char *text)
{
	struct diags d = DIAGS_INIT;
	struct article *a = article_parse("content/articles/x.md", text,
	    strlen(text), &d);
	char *out = xstrdup(""), *line, *joined;
	size_t i;

	assert_non_null(a);
	scars_check(a, &d);
	for (i = 0; i < d.count; i++) {
		line = diag_format(&d.items[i]);
		joined = xasprintf("%s%s\n", out, line);
		free(line);
		free(out);
		out = joined;
	}
	article_free(a);
	diags_free(&d);
	return out;
}

static void
expect(const char *text, const char *warnings)
{
	char *got = scars_of(text);

	assert_string_equal(got, warnings);
	free(got);
}

static void
test_clean(void **state)
{
	(void)state;
	expect(HEAD "---\n\n城市，让生活更美好。\n\n## 标题\n\n目前，全县共组建"
	    "小区党支部38个，推广了便民APP和5G网络。\n\n选拔干部5名。今年"
	    "〔原文缺〕\n\n〔原文缺〕下沉，强化机制驱动。\n", "");
}

static void
test_mid_sentence(void **state)
{
	(void)state;
	expect(HEAD "---\n\n选拔街道干部5名。今年\n",
	    "content/articles/x.md:8:11: warning: the paragraph stops "
	    "mid-sentence; if the printed page lost the rest, end it with "
	    "〔原文缺〕 [mid-sentence]\n");
}

static void
test_fragment(void **state)
{
	(void)state;
	/* A short first clause is a fragment only after a paragraph. */
	expect(HEAD "---\n\n呼和浩特市新城区注重党建引领。\n\n下沉，强化机制驱"
	    "动。\n\n力开展品牌活动。\n",
	    "content/articles/x.md:10:1: warning: the paragraph opens inside "
	    "a clause; if the printed page lost the text before it, start it "
	    "with 〔原文缺〕 [fragment]\n"
	    "content/articles/x.md:12:1: warning: the paragraph opens inside "
	    "a clause; if the printed page lost the text before it, start it "
	    "with 〔原文缺〕 [fragment]\n");
	expect(HEAD "---\n\n下沉，强化机制驱动。\n", "");
}

static void
test_words(void **state)
{
	(void)state;
	expect(HEAD "---\n\n强化作用 and 统筹功能，旗委書記抓统筹。\n",
	    "content/articles/x.md:8:6: warning: a Latin word \"and\" between "
	    "Chinese characters (did you mean \"和\"?) [latin]\n"
	    "content/articles/x.md:8:17: warning: a traditional character "
	    "\"書\" in simplified text (simplified: \"书\") [traditional]\n"
	    "content/articles/x.md:8:18: warning: a traditional character "
	    "\"記\" in simplified text (simplified: \"记\") [traditional]\n");
}

static void
test_repeat(void **state)
{
	(void)state;
	/* Punctuation aside, 25 characters or more twice; 24 pass. */
	expect(HEAD "---\n\n一二三四五六七八九十甲乙丙丁戊己庚辛壬癸子丑寅卯辰。"
	    "\n\n又说：一二三四五六七八九十，甲乙丙丁戊己庚辛壬癸子丑寅卯辰。\n",
	    "content/articles/x.md:10:4: warning: a passage of 25 characters "
	    "printed twice (first at line 8) [repeat]\n");
	expect(HEAD "---\n\n一二三四五六七八九十甲乙丙丁戊己庚辛壬癸子丑寅卯。"
	    "\n\n又说：一二三四五六七八九十甲乙丙丁戊己庚辛壬癸子丑寅卯。\n", "");
}

static void
test_accept(void **state)
{
	(void)state;
	/* The whole rule, or one spot by the words around it. */
	expect(HEAD "accept: [latin]\n---\n\n作用 and 统筹，服务 or 管理。\n",
	    "");
	expect(HEAD "accept: [\"latin: 作用 and 统筹\"]\n---\n\n作用 and 统筹，"
	    "服务 or 管理。\n",
	    "content/articles/x.md:9:14: warning: a Latin word \"or\" between "
	    "Chinese characters (did you mean \"或\"?) [latin]\n");
	expect(HEAD "accept: [\"mid-sentence: 今年\"]\n---\n\n干部5名。今年\n",
	    "");
}

static void
test_code_and_lists(void **state)
{
	(void)state;
	/* Code is not prose; a list item is no paragraph to end. */
	expect(HEAD "---\n\n```\n在不断的探索过程中，\n```\n\n- 第一项，\n- 第二"
	    "项\n", "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clean),
		cmocka_unit_test(test_mid_sentence),
		cmocka_unit_test(test_fragment),
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_repeat),
		cmocka_unit_test(test_accept),
		cmocka_unit_test(test_code_and_lists),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
