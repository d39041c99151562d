/* Front matter: the schema, and the messages for everything wrong. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../generator/load/article.h"

static const char good[] =
    "---\n"
    "title: 党建引领强保障 扬帆起航自贸港\n"
    "province: 海南省\n"
    "city: 海口市\n"
    "district: 美兰区\n"
    "author: 冯琳\n"
    "author_title: 海口市人大常委会副主任、美兰区委书记\n"
    "themes: [grid, covid]\n"
    "kind: article\n"
    "source: {file: 000_1cd9cb35f9d270d4.txt, line: 3}\n"
    "date: 2020-07-01\n"
    "draft: false\n"
    "---\n"
    "美兰区位于海南省海口市东北部。\n";

/* Parses text and returns the first diagnostic as a string, or NULL. */
static char *
first_error(const char *text, size_t len)
{
	struct diags d = DIAGS_INIT;
	struct article *a = article_parse("content/articles/x.md", text, len,
	    &d);
	char *msg = d.count ? diag_format(&d.items[0]) : NULL;

	if (d.count == 0)
		assert_non_null(a);
	article_free(a);
	diags_free(&d);
	return msg;
}

static void
expect_error(const char *text, const char *want)
{
	char *msg = first_error(text, strlen(text));

	assert_non_null(msg);
	assert_string_equal(msg, want);
	free(msg);
}

static void
test_good(void **state)
{
	struct diags d = DIAGS_INIT;
	struct article *a;

	(void)state;
	a = article_parse("content/articles/海口市美兰区.md", good,
	    strlen(good), &d);
	assert_non_null(a);
	assert_int_equal(d.count, 0);
	assert_string_equal(a->title, "党建引领强保障 扬帆起航自贸港");
	assert_string_equal(a->city, "海口市");
	assert_string_equal(a->slug, "海口市美兰区");
	assert_int_equal(a->nthemes, 2);
	assert_string_equal(a->themes[1], "covid");
	assert_int_equal(a->theme_lines[1], 8);
	assert_string_equal(a->source_file, "000_1cd9cb35f9d270d4.txt");
	assert_int_equal(a->source_line, 3);
	assert_int_equal(a->body_line, 14);
	assert_memory_equal(a->body, "美兰区", strlen("美兰区"));
	article_free(a);
}

static void
test_null_city(void **state)
{
	static const char text[] = "---\ntitle: t\nprovince: 海南省\n"
	    "city: null\ndistrict: 澄迈县\n---\nbody\n";
	struct diags d = DIAGS_INIT;
	struct article *a;

	(void)state;
	a = article_parse("content/articles/a.md", text, strlen(text), &d);
	assert_non_null(a);
	assert_null(a->city);
	assert_false(a->draft);
	assert_int_equal(a->kind, ARTICLE_KIND_ARTICLE);
	article_free(a);
}

static void
test_errors(void **state)
{
	static const char draft[] = "---\ntitle: a\nprovince: \"\"\n"
	    "district: null\ndraft: true\n---\n";

	(void)state;
	expect_error("no front matter\n", "content/articles/x.md:1:1: error: "
	    "missing front matter (the file must start with a \"---\" line)");
	expect_error("---\ntitle: a\n", "content/articles/x.md:1:1: error: "
	    "unclosed front matter (no closing \"---\" line)");
	expect_error("---\ntitle: [a\n---\n", "content/articles/x.md:3:1: "
	    "error: malformed YAML: did not find expected ',' or ']' while "
	    "parsing a flow sequence");
	expect_error("---\ntitle: a\nprovince: 海南省\n---\n",
	    "content/articles/x.md:1:1: error: missing \"district\"");
	expect_error("---\nprovince: 海南省\ndistrict: 美兰区\n---\n",
	    "content/articles/x.md:1:1: error: missing \"title\"");
	/* A blank place is one message, at the value, and a draft's none. */
	expect_error("---\ntitle: a\nprovince: \"\"\ndistrict: 美兰区\n---\n",
	    "content/articles/x.md:3:11: error: \"province\" is not filled "
	    "in; an article that is not a draft needs it");
	assert_null(first_error(draft, strlen(draft)));
	expect_error("---\ntitle: a\ntitel: b\n---\n",
	    "content/articles/x.md:3:1: error: unknown key \"titel\" "
	    "(did you mean \"title\"?)");
	expect_error("---\ntitle: a\nprovince: 海南省\ndistrict: 美兰区\n"
	    "date: 2020-02-30\n---\n", "content/articles/x.md:5:7: error: "
	    "\"date\" must be a date written YYYY-MM-DD, not \"2020-02-30\"");
	expect_error("---\ntitle: a\nprovince: 海南省\ndistrict: 美兰区\n"
	    "slug: ../up\n---\n", "content/articles/x.md:5:7: error: unsafe "
	    "slug \"../up\" (use letters, digits, \"-\" and \"_\")");
	expect_error("---\ntitle: a\nprovince: 海南省\ndistrict: 美兰区\n"
	    "kind: essay\n---\n", "content/articles/x.md:5:7: error: \"kind\" "
	    "must be \"article\" or \"note\", not \"essay\"");
	expect_error("---\ntitle: a\nprovince: 海南省\ndistrict: 美兰区\n"
	    "draft: maybe\n---\n", "content/articles/x.md:5:8: error: "
	    "\"draft\" must be true or false");
}

static void
test_invalid_utf8(void **state)
{
	/* Column 3 counts characters: 美 is one, though three bytes. */
	static const char text[] = "---\ntitle: a\n美x\xff\n---\n";
	char *msg;

	(void)state;
	msg = first_error(text, sizeof(text) - 1);
	assert_string_equal(msg, "content/articles/x.md:3:3: error: invalid "
	    "UTF-8 (byte 0xff)");
	free(msg);
}

static void
test_columns_count_characters(void **state)
{
	(void)state;
	/* The map starts after 网格, two characters but six bytes. */
	expect_error("---\ntitle: a\nprovince: 海南省\ndistrict: 美兰区\n"
	    "themes: [网格, {a: b}]\n---\n", "content/articles/x.md:5:14: "
	    "error: a theme must be a slug");
}

static void
test_nfc(void **state)
{
	/* "é" written as e + combining acute becomes U+00E9. */
	static const char text[] = "---\ntitle: Cafe\xcc\x81\nprovince: 海南省\n"
	    "district: 美兰区\n---\n";
	struct diags d = DIAGS_INIT;
	struct article *a;

	(void)state;
	a = article_parse("content/articles/a.md", text, strlen(text), &d);
	assert_non_null(a);
	assert_string_equal(a->title, "Caf\xc3\xa9");
	article_free(a);
}

static void
test_bom(void **state)
{
	/* Some editors start UTF-8 with a byte-order mark: not text. */
	static const char text[] = "\xef\xbb\xbf---\ntitle: t\n"
	    "province: 海南省\ndistrict: 美兰区\n---\nbody\n";
	struct diags d = DIAGS_INIT;
	struct article *a;

	(void)state;
	a = article_parse("content/articles/a.md", text, strlen(text), &d);
	assert_non_null(a);
	assert_int_equal(d.count, 0);
	assert_string_equal(a->title, "t");
	assert_int_equal(a->body_line, 6);
	article_free(a);
}

static void
test_yaml_depth(void **state)
{
	struct diags d = DIAGS_INIT;
	struct article *a;
	char *text = malloc(100000 + 64), *msg;
	size_t n;

	(void)state;
	/* The root map and 63 lists: as deep as may be. */
	n = (size_t)sprintf(text, "---\ntitle: ");
	memset(text + n, '[', 63);
	memset(text + n + 63, ']', 63);
	strcpy(text + n + 126, "\n---\n");
	msg = first_error(text, strlen(text));
	assert_string_equal(msg, "content/articles/x.md:2:8: error: "
	    "\"title\" must be a string");
	free(msg);
	/* One more is too many, and 100,000 stop there at once. */
	memset(text + n, '[', 100000);
	strcpy(text + n + 100000, "\n---\n");
	expect_error(text, "content/articles/x.md:2:71: error: YAML nested "
	    "more than 64 levels deep");
	a = article_parse("content/articles/x.md", text, strlen(text), &d);
	assert_null(a);
	assert_int_equal(d.count, 1);
	diags_free(&d);
	free(text);
}

static void
test_yaml_aliases(void **state)
{
	static const char text[] = "---\ntitle: &t 标题\nauthor: *t\n"
	    "province: 海南省\ndistrict: 美兰区\nthemes: &l [a, b]\n---\n";
	static const char again[] = "---\ntitle: &t 甲\nauthor: &t 乙\n"
	    "author_title: *t\nprovince: 海南省\ndistrict: 美兰区\n---\n";
	struct diags d = DIAGS_INIT;
	struct article *a;

	(void)state;
	a = article_parse("content/articles/a.md", text, strlen(text), &d);
	assert_non_null(a);
	assert_string_equal(a->author, "标题");
	assert_int_equal(a->nthemes, 2);
	assert_int_equal(a->theme_cols[1], 16);
	article_free(a);
	/* An anchor named again names the later node from there on. */
	a = article_parse("content/articles/a.md", again, strlen(again), &d);
	assert_non_null(a);
	assert_string_equal(a->author_title, "乙");
	article_free(a);
	expect_error("---\ntitle: *nowhere\n---\n", "content/articles/x.md:"
	    "2:8: error: malformed YAML: found undefined alias");
}

static void
test_slug_safety(void **state)
{
	(void)state;
	assert_true(article_slug_is_safe("海口市美兰区"));
	assert_true(article_slug_is_safe("编者按-内蒙古-2"));
	assert_true(article_slug_is_safe("abc_1"));
	assert_false(article_slug_is_safe(""));
	assert_false(article_slug_is_safe("a/b"));
	assert_false(article_slug_is_safe("a b"));
	assert_false(article_slug_is_safe(".hidden"));
	assert_false(article_slug_is_safe("a?b"));
	assert_false(article_slug_is_safe("-lead"));
	assert_false(article_slug_is_safe("美兰区。"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_null_city),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_columns_count_characters),
		cmocka_unit_test(test_nfc),
		cmocka_unit_test(test_bom),
		cmocka_unit_test(test_yaml_depth),
		cmocka_unit_test(test_yaml_aliases),
		cmocka_unit_test(test_slug_safety),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
