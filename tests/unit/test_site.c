/* The site model: places, themes, slugs, series, neighbours. */
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "site_fixture.h"

static char *
message(const struct diags *d, size_t i)
{
	return diag_format(&d->items[i]);
}

static void
test_same_name_districts(void **state)
{
	struct fixture f = { 0 };
	struct site *s;

	(void)state;
	fixture_add(&f, "a", "title: A\nprovince: 内蒙古自治区\ncity: 呼和浩特市\n"
	    "district: 新城区\n", "网格化管理。\n");
	fixture_add(&f, "b", "title: B\nprovince: 陕西省\ncity: 西安市\n"
	    "district: 新城区\n", "网格员。\n");
	fixture_add(&f, "c", "title: C\nprovince: 海南省\ncity: null\n"
	    "district: 澄迈县\n", "候鸟。\n");
	s = fixture_build(&f, NULL);
	assert_non_null(s);
	assert_int_equal(s->ndistricts, 3);
	/* Statistical code order: 内蒙古 (15), 海南 (46), 陕西 (61). */
	assert_string_equal(s->provinces[0].name, "内蒙古自治区");
	assert_string_equal(s->provinces[1].name, "海南省");
	assert_string_equal(s->districts[0].slug, "呼和浩特市新城区");
	assert_string_equal(s->districts[1].slug, "海南省澄迈县");
	assert_string_equal(s->districts[2].slug, "西安市新城区");
	assert_string_equal(s->districts[2].path,
	    "districts/西安市新城区/index.html");
	assert_int_equal(s->articles[0].next, 1);
	assert_int_equal(s->articles[1].prev, 0);
	assert_int_equal(s->articles[0].prev, SITE_NONE);
	site_free(s);
	diags_free(&f.d);
}

static void
test_unknown_theme(void **state)
{
	struct fixture f = { 0 };
	struct site *s;
	char *msg;

	(void)state;
	fixture_add(&f, "a", "title: A\nprovince: 海南省\ncity: 海口市\n"
	    "district: 美兰区\nthemes: [gird, covid]\n", "x\n");
	s = fixture_build(&f, NULL);
	assert_null(s);
	msg = message(&f.d, 0);
	assert_string_equal(msg, "content/articles/a.md:6:10: error: unknown "
	    "theme \"gird\" (did you mean \"grid\"?)");
	free(msg);
	diags_free(&f.d);
}

static void
test_unknown_province(void **state)
{
	struct fixture f = { 0 };
	char *msg;

	(void)state;
	fixture_add(&f, "a", "title: A\nprovince: 海南\ncity: 海口市\n"
	    "district: 美兰区\n", "x\n");
	assert_null(fixture_build(&f, NULL));
	msg = message(&f.d, 0);
	assert_string_equal(msg, "content/articles/a.md:3:11: error: unknown "
	    "province \"海南\" (did you mean \"海南省\"?)");
	free(msg);
	diags_free(&f.d);
}

/*
 * Places the gazetteer does not know are warnings at the key, once per
 * district (and a city once), with the nearest name or the known ones.
 */
static void
test_unknown_places(void **state)
{
	static const char *const want[] = {
		"content/articles/a.md:5:11: warning: unknown district "
		"\"美蓝区\" in 海口市 (did you mean \"美兰区\"?)",
		"content/articles/c.md:4:7: warning: unknown city \"海囗市\" "
		"in 海南省 (did you mean \"海口市\"?)",
		"content/articles/e.md:4:7: warning: 澄迈县 lies directly "
		"under 海南省, not in a city: \"city\" should be null",
		"content/articles/f.md:4:7: warning: 龙华区 lies in 海口市: "
		"\"city\" should say so",
		"content/articles/g.md:5:11: warning: unknown district "
		"\"开发区\" in 通辽市 (did you mean \"通辽经济技术开发区\"?)",
		"content/articles/h.md:5:11: warning: unknown district "
		"\"火星区\" in 海口市 (the gazetteer knows 琼山区、秀英区、美兰区、"
		"龙华区)",
	};
	struct fixture f = { 0 };
	struct site *s;
	char *msg;
	size_t i;

	(void)state;
	fixture_add(&f, "a", "title: A\nprovince: 海南省\ncity: 海口市\n"
	    "district: 美蓝区\n", "正文。\n");
	fixture_add(&f, "b", "title: B\nprovince: 海南省\ncity: 海口市\n"
	    "district: 美蓝区\n", "正文。\n");
	fixture_add(&f, "c", "title: C\nprovince: 海南省\ncity: 海囗市\n"
	    "district: 美兰区\n", "正文。\n");
	fixture_add(&f, "d", "title: D\nprovince: 海南省\ncity: 海囗市\n"
	    "district: 龙华区\n", "正文。\n");
	fixture_add(&f, "e", "title: E\nprovince: 海南省\ncity: 三亚市\n"
	    "district: 澄迈县\n", "正文。\n");
	fixture_add(&f, "f", "title: F\nprovince: 海南省\ncity: null\n"
	    "district: 龙华区\n", "正文。\n");
	fixture_add(&f, "g", "title: G\nprovince: 内蒙古自治区\ncity: 通辽市\n"
	    "district: 开发区\n", "正文。\n");
	fixture_add(&f, "h", "title: H\nprovince: 海南省\ncity: 海口市\n"
	    "district: 火星区\n", "正文。\n");
	fixture_add(&f, "i", "title: I\nprovince: 北京市\ncity: null\n"
	    "district: 朝阳区\n", "正文。\n");
	fixture_add(&f, "j", "title: J\nprovince: 香港特别行政区\ncity: null\n"
	    "district: 中西区\n", "正文。\n");
	s = fixture_build(&f, NULL);
	assert_non_null(s);
	assert_int_equal(f.d.errors, 0);
	diags_sort(&f.d);
	assert_int_equal(f.d.count, sizeof(want) / sizeof(want[0]));
	for (i = 0; i < f.d.count; i++) {
		msg = message(&f.d, i);
		assert_string_equal(msg, want[i]);
		free(msg);
	}
	site_free(s);
	diags_free(&f.d);
}

static void
test_duplicate_slug(void **state)
{
	struct fixture f = { 0 };
	char *msg;

	(void)state;
	fixture_add(&f, "a", "title: A\nprovince: 海南省\ncity: 海口市\n"
	    "district: 龙华区\nslug: same\n", "x\n");
	fixture_add(&f, "b", "title: B\nprovince: 海南省\ncity: 海口市\n"
	    "district: 美兰区\nslug: Same\n", "x\n");
	assert_null(fixture_build(&f, NULL));
	assert_int_equal(f.d.errors, 1);
	msg = message(&f.d, 0);
	assert_string_equal(msg, "content/articles/b.md:1:1: error: "
	    "content/articles/a.md and content/articles/b.md both make "
	    "\"articles/Same/index.html\"");
	free(msg);
	diags_free(&f.d);
}

static void
test_series_and_drafts(void **state)
{
	struct fixture f = { 0 };
	struct site *s;

	(void)state;
	fixture_add(&f, "note", "title: 编者按\nkind: note\nseries: 内蒙古\n"
	    "province: 内蒙古自治区\n", "编者按。\n");
	fixture_add(&f, "a", "title: A\nprovince: 内蒙古自治区\ncity: 包头市\n"
	    "district: 昆都仑区\nseries: 内蒙古\n", "x\n");
	fixture_add(&f, "b", "title: B\nprovince: 内蒙古自治区\ncity: 赤峰市\n"
	    "district: 红山区\nseries: 内蒙古\ndraft: true\n", "x\n");
	s = fixture_build(&f, NULL);
	assert_non_null(s);
	assert_int_equal(s->narticles, 2);
	assert_int_equal(s->articles[0].src->kind, ARTICLE_KIND_NOTE);
	assert_int_equal(s->articles[0].members.count, 1);
	assert_int_equal(s->articles[1].note, 0);
	assert_int_equal(s->articles[0].district, SITE_NONE);
	site_free(s);
	diags_free(&f.d);
}

/*
 * A series lists its articles as they were printed, whatever their
 * places' order; its note is no article in the counts.
 */
static void
test_series_in_print_order(void **state)
{
	struct fixture f = { 0 };
	struct site *s;
	const struct site_article *note;

	(void)state;
	fixture_add(&f, "note", "title: 编者按\nkind: note\nseries: 双论坛\n"
	    "province: 内蒙古自治区\nsource: {file: p.txt, line: 3}\n",
	    "编者按。\n");
	fixture_add(&f, "late", "title: 后印\nprovince: 内蒙古自治区\ncity: 包头市\n"
	    "district: 昆都仑区\nseries: 双论坛\n"
	    "source: {file: p.txt, line: 40}\n", "x\n");
	fixture_add(&f, "early", "title: 先印\nprovince: 内蒙古自治区\ncity: 赤峰市\n"
	    "district: 红山区\nseries: 双论坛\n"
	    "source: {file: p.txt, line: 9}\n", "x\n");
	s = fixture_build(&f, NULL);
	assert_non_null(s);
	note = &s->articles[0];
	assert_int_equal(note->src->kind, ARTICLE_KIND_NOTE);
	assert_int_equal(note->members.count, 2);
	assert_string_equal(s->articles[note->members.items[0]].src->title,
	    "先印");
	assert_string_equal(s->articles[note->members.items[1]].src->title,
	    "后印");
	assert_int_equal(s->nnotes, 1);
	assert_int_equal(s->provinces[0].notes, 1);
	assert_int_equal(s->provinces[0].articles.count, 3);
	site_free(s);
	diags_free(&f.d);
}

static void
test_themes_and_passages(void **state)
{
	struct fixture f = { 0 };
	struct site *s;
	const struct site_article *a;
	const char *sentence;

	(void)state;
	fixture_add(&f, "a", "title: A\nprovince: 海南省\ncity: 海口市\n"
	    "district: 美兰区\nthemes: [covid, grid]\n",
	    "## 网格标题\n\n开头一句。我们推行网格化管理，效果很好。疫情防控有力。\n");
	s = fixture_build(&f, NULL);
	assert_non_null(s);
	a = &s->articles[0];
	/* Taxonomy order, whatever the front matter's. */
	assert_int_equal(a->themes.items[0], 0);
	assert_int_equal(a->themes.items[1], 2);
	/* The sentence, in a paragraph rather than the heading. */
	sentence = a->passages[0].text;
	assert_string_equal(sentence, "我们推行网格化管理，效果很好。");
	assert_int_equal(a->passages[0].mark_len, 6);
	assert_memory_equal(sentence + a->passages[0].mark_off, "网格", 6);
	assert_int_equal(s->themes[0].articles.count, 1);
	assert_int_equal(s->districts[0].themes.count, 2);
	site_free(s);
	diags_free(&f.d);
}

/* Cities: a page's worth of districts, and none for a county under the
 * province. */
static void
test_cities(void **state)
{
	struct fixture f = { 0 };
	struct site *s;
	const struct site_city *c;

	(void)state;
	fixture_add(&f, "a", "title: A\nprovince: 海南省\ncity: 海口市\n"
	    "district: 美兰区\n", "x\n");
	fixture_add(&f, "b", "title: B\nprovince: 海南省\ncity: 海口市\n"
	    "district: 龙华区\n", "x\n");
	fixture_add(&f, "c", "title: C\nprovince: 海南省\ncity: null\n"
	    "district: 澄迈县\n", "x\n");
	s = fixture_build(&f, NULL);
	assert_non_null(s);
	assert_int_equal(s->ncities, 1);
	c = &s->cities[0];
	assert_string_equal(c->name, "海口市");
	assert_string_equal(c->slug, "海南省海口市");
	assert_string_equal(c->path, "cities/海南省海口市/index.html");
	assert_int_equal(c->districts.count, 2);
	assert_int_equal(c->articles.count, 2);
	assert_int_equal(s->provinces[0].cities.count, 1);
	assert_int_equal(s->articles[c->articles.items[0]].city, 0);
	assert_int_equal(s->districts[c->districts.items[1]].city_index, 0);
	/* 澄迈县, directly under the province, comes last, cityless. */
	assert_string_equal(s->articles[2].src->title, "C");
	assert_int_equal(s->articles[2].city, SITE_NONE);
	site_free(s);
	diags_free(&f.d);
}

/*
 * Places in the order of their codes: a province's note first, then its
 * cities and their districts, the districts directly under it last; a
 * place the gazetteer lacks after those it has, by name.
 */
static void
test_place_order(void **state)
{
	static const char *const want[] = { "N", "龙华", "美兰", "吉阳",
	    "某东", "某西", "澄迈" };
	struct fixture f = { 0 };
	struct site *s;
	size_t i;

	(void)state;
	fixture_add(&f, "1", "title: 澄迈\nprovince: 海南省\ncity: null\n"
	    "district: 澄迈县\n", "x\n");
	fixture_add(&f, "2", "title: 某西\nprovince: 海南省\ncity: 某市\n"
	    "district: 西区\n", "x\n");
	fixture_add(&f, "3", "title: 美兰\nprovince: 海南省\ncity: 海口市\n"
	    "district: 美兰区\n", "x\n");
	fixture_add(&f, "4", "title: 吉阳\nprovince: 海南省\ncity: 三亚市\n"
	    "district: 吉阳区\n", "x\n");
	fixture_add(&f, "5", "title: 某东\nprovince: 海南省\ncity: 某市\n"
	    "district: 东区\n", "x\n");
	fixture_add(&f, "6", "title: 龙华\nprovince: 海南省\ncity: 海口市\n"
	    "district: 龙华区\n", "x\n");
	fixture_add(&f, "7", "title: N\nkind: note\nprovince: 海南省\n"
	    "series: 一组\n", "x\n");
	s = fixture_build(&f, NULL);
	assert_non_null(s);
	assert_int_equal(s->narticles, 7);
	for (i = 0; i < 7; i++)
		assert_string_equal(s->articles[i].src->title, want[i]);
	site_free(s);
	diags_free(&f.d);
}

/*
 * Authors: one per name and district, their articles chained; and each
 * article's neighbours within its district, series and themes.
 */
static void
test_authors_and_ways(void **state)
{
	struct fixture f = { 0 };
	struct site *s;
	const struct site_article *a;

	(void)state;
	fixture_add(&f, "note", "title: N\nkind: note\nseries: 一组\n", "x\n");
	fixture_add(&f, "a", "title: A\nprovince: 海南省\ncity: 海口市\n"
	    "district: 龙华区\nauthor: 冯琳\nthemes: [grid]\nseries: 一组\n",
	    "x\n");
	fixture_add(&f, "b", "title: B\nprovince: 海南省\ncity: 海口市\n"
	    "district: 龙华区\nauthor: 冯琳\nthemes: [covid]\n", "x\n");
	fixture_add(&f, "c", "title: C\nprovince: 海南省\ncity: 海口市\n"
	    "district: 美兰区\nauthor: 冯琳\nthemes: [grid]\nseries: 一组\n",
	    "x\n");
	fixture_add(&f, "d", "title: D\nprovince: 海南省\ncity: 海口市\n"
	    "district: 美兰区\n", "x\n");
	s = fixture_build(&f, NULL);
	assert_non_null(s);
	/* Site order: 龙华 a, b; 美兰 c, d; the note without a place last. */
	assert_string_equal(s->articles[0].src->title, "A");
	assert_string_equal(s->articles[4].src->title, "N");
	assert_int_equal(s->nauthors, 2);
	assert_int_equal(s->authors[0].count, 2);
	assert_int_equal(s->authors[0].first, 0);
	assert_int_equal(s->articles[0].author_next, 1);
	assert_int_equal(s->articles[1].author_next, SITE_NONE);
	assert_int_equal(s->articles[2].author, 1);
	assert_int_equal(s->articles[3].author, SITE_NONE);
	a = &s->articles[0];
	assert_int_equal(a->in_district.prev, SITE_NONE);
	assert_int_equal(a->in_district.next, 1);
	assert_int_equal(a->in_series.next, 2);
	assert_int_equal(a->in_themes[0].next, 2);
	assert_int_equal(s->articles[2].in_themes[0].prev, 0);
	assert_int_equal(s->articles[2].in_district.next, 3);
	assert_int_equal(s->articles[1].in_themes[0].next, SITE_NONE);
	site_free(s);
	diags_free(&f.d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_name_districts),
		cmocka_unit_test(test_place_order),
		cmocka_unit_test(test_unknown_theme),
		cmocka_unit_test(test_unknown_province),
		cmocka_unit_test(test_unknown_places),
		cmocka_unit_test(test_duplicate_slug),
		cmocka_unit_test(test_series_and_drafts),
		cmocka_unit_test(test_series_in_print_order),
		cmocka_unit_test(test_themes_and_passages),
		cmocka_unit_test(test_cities),
		cmocka_unit_test(test_authors_and_ways),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
