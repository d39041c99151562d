/*
 * The home page's map: shading and links of provinces, unknown names,
 * where markers land (prefecture centre, own centre, renamed places, the
 * South China Sea inset), spreading of markers that share a centre,
 * escaping, determinism and the short numbers.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../generator/render/map.h"
#include "../../generator/render/map_data.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static size_t
count(const char *haystack, const char *needle)
{
	size_t n = 0;
	const char *p = haystack;

	while ((p = strstr(p, needle)) != NULL) {
		n++;
		p += strlen(needle);
	}
	return n;
}

/* Provinces drawn: paths of classes map-l0 .. map-l4. */
static size_t
count_shaded(const char *svg)
{
	char needle[32];
	size_t n = 0;
	int level;

	for (level = 0; level <= 4; level++) {
		snprintf(needle, sizeof(needle), "<path class=\"map-l%d\"", level);
		n += count(svg, needle);
	}
	return n;
}

/* Finds the circle whose title starts with title; 0 when none. */
static int
marker_at(const char *svg, const char *title, double *x, double *y)
{
	char needle[256];
	const char *t, *c;

	snprintf(needle, sizeof(needle), "<title>%s", title);
	if ((t = strstr(svg, needle)) == NULL)
		return 0;
	/* The circle's attributes come just before its title. */
	for (c = t; c > svg && strncmp(c, "<circle", 7) != 0; c--)
		;
	if (sscanf(c, "<circle class=\"map-marker\" cx=\"%lf\" cy=\"%lf\"",
	    x, y) != 2)
		return 0;
	return 1;
}

static void
test_province_link_and_shade(void **state)
{
	struct map_province prov[] = {
		{ "海南省", 3, "provinces/hainan/" },
		{ "西藏自治区", 0, NULL },
	};
	struct buf out = BUF_INIT;
	const char *svg;

	(void)state;
	map_render_svg(&out, prov, NELEM(prov), NULL, 0);
	svg = buf_str(&out);
	assert_non_null(strstr(svg, "<a href=\"provinces/hainan/\">"
	    "<title>海南省：3 篇</title><path class=\"map-l4\" d=\"M"));
	assert_non_null(strstr(svg, "<title>西藏自治区：0 篇</title></path>"));
	assert_non_null(strstr(svg, "<title>广东省：0 篇</title></path>"));
	assert_int_equal(count(svg, "<a href="), 1);
	assert_int_equal(count_shaded(svg), map_nshapes);
	assert_int_equal(map_nshapes, 34);
	assert_non_null(strstr(svg, "海南省 3 篇"));
	buf_free(&out);
}

static void
test_quantile_levels(void **state)
{
	struct map_province prov[] = {
		{ "北京市", 1, "b/" },
		{ "上海市", 2, "s/" },
		{ "广东省", 3, "g/" },
		{ "四川省", 4, "c/" },
		{ "重庆市", 4, "q/" },
	};
	struct buf out = BUF_INIT;
	const char *svg;

	(void)state;
	map_render_svg(&out, prov, NELEM(prov), NULL, 0);
	svg = buf_str(&out);
	assert_non_null(strstr(svg, "北京市：1 篇</title><path class=\"map-l1\""));
	assert_non_null(strstr(svg, "上海市：2 篇</title><path class=\"map-l2\""));
	assert_non_null(strstr(svg, "广东省：3 篇</title><path class=\"map-l3\""));
	assert_non_null(strstr(svg, "四川省：4 篇</title><path class=\"map-l4\""));
	assert_non_null(strstr(svg, "重庆市：4 篇</title><path class=\"map-l4\""));
	/* Most first in the text alternative, ties in division-code order. */
	assert_non_null(strstr(svg, "：重庆市 4 篇、四川省 4 篇、广东省 3 篇、"
	    "上海市 2 篇、北京市 1 篇。"));
	buf_free(&out);
}

/*
 * Many provinces with one article stay light beside one with many, and
 * shades follow counts, not ranks: 3 is not 11.
 */
static void
test_ties_at_the_bottom(void **state)
{
	struct map_province prov[] = {
		{ "内蒙古自治区", 11, "a/" },
		{ "海南省", 3, "b/" },
		{ "吉林省", 2, "c/" },
		{ "山西省", 1, "d/" },
		{ "安徽省", 1, "e/" },
		{ "福建省", 1, "f/" },
		{ "江西省", 1, "g/" },
	};
	struct map_province alone[] = {
		{ "海南省", 1, "h/" },
		{ "福建省", 1, "i/" },
	};
	struct buf out = BUF_INIT;
	const char *svg;

	(void)state;
	map_render_svg(&out, prov, NELEM(prov), NULL, 0);
	svg = buf_str(&out);
	assert_non_null(strstr(svg, "内蒙古自治区：11 篇</title><path class=\"map-l4\""));
	assert_non_null(strstr(svg, "海南省：3 篇</title><path class=\"map-l2\""));
	assert_non_null(strstr(svg, "吉林省：2 篇</title><path class=\"map-l2\""));
	assert_non_null(strstr(svg, "山西省：1 篇</title><path class=\"map-l1\""));
	assert_non_null(strstr(svg, "江西省：1 篇</title><path class=\"map-l1\""));
	buf_truncate(&out, 0);
	map_render_svg(&out, alone, NELEM(alone), NULL, 0);
	svg = buf_str(&out);
	assert_non_null(strstr(svg, "海南省：1 篇</title><path class=\"map-l4\""));
	assert_non_null(strstr(svg, "福建省：1 篇</title><path class=\"map-l4\""));
	buf_free(&out);
}

/* The legend's ranges: geometric breaks up to the largest count. */
static void
test_scale(void **state)
{
	struct map_province eleven[] = {
		{ "内蒙古自治区", 11, "a/" }, { "海南省", 3, "b/" },
	};
	struct map_province many[] = {
		{ "广东省", 300, "a/" }, { "海南省", 30, "b/" },
		{ "福建省", 1, "c/" },
	};
	struct map_province two[] = { { "海南省", 2, "a/" } };
	struct map_scale sc;

	(void)state;
	map_scale_of(eleven, NELEM(eleven), &sc);
	assert_int_equal(sc.low[1], 1);
	assert_int_equal(sc.low[2], 2);
	assert_int_equal(sc.low[3], 4);
	assert_int_equal(sc.low[4], 7);
	assert_int_equal(sc.low[5], 12);
	assert_int_equal(map_level(&sc, 0), 0);
	assert_int_equal(map_level(&sc, 3), 2);
	assert_int_equal(map_level(&sc, 6), 3);
	assert_int_equal(map_level(&sc, 11), 4);
	map_scale_of(many, NELEM(many), &sc);
	assert_int_equal(sc.low[2], 5);
	assert_int_equal(sc.low[3], 18);
	assert_int_equal(sc.low[4], 73);
	assert_int_not_equal(map_level(&sc, 30), map_level(&sc, 300));
	/* Few counts: the top levels, the largest the darkest. */
	map_scale_of(two, NELEM(two), &sc);
	assert_int_equal(sc.low[1], 0);
	assert_int_equal(sc.low[2], 0);
	assert_int_equal(sc.low[3], 1);
	assert_int_equal(sc.low[4], 2);
	assert_int_equal(map_level(&sc, 1), 3);
	assert_int_equal(map_level(&sc, 2), 4);
}

static void
test_unknown_and_repeated_provinces(void **state)
{
	struct map_province prov[] = {
		{ "火星省", 7, "mars/" },
		{ NULL, 2, "null/" },
		{ "海南", 1, "short/" },
		{ "海南省", 2, "first/" },
		{ "海南省", 9, "second/" },
	};
	struct buf out = BUF_INIT;
	const char *svg;

	(void)state;
	map_render_svg(&out, prov, NELEM(prov), NULL, 0);
	svg = buf_str(&out);
	assert_null(strstr(svg, "火星"));
	assert_null(strstr(svg, "mars/"));
	assert_null(strstr(svg, "null/"));
	assert_null(strstr(svg, "short/"));
	assert_null(strstr(svg, "second/"));
	assert_non_null(strstr(svg, "<a href=\"first/\"><title>海南省：2 篇"));
	assert_int_equal(count_shaded(svg), map_nshapes);
	buf_free(&out);
}

static void
test_no_articles(void **state)
{
	struct buf out = BUF_INIT;
	const char *svg;

	(void)state;
	assert_int_equal(map_render_svg(&out, NULL, 0, NULL, 0), 0);
	svg = buf_str(&out);
	assert_int_equal(strncmp(svg, "<svg ", 5), 0);
	assert_non_null(strstr(svg, "暂无文章"));
	assert_non_null(strstr(svg, "</svg>\n"));
	assert_null(strstr(svg, "<circle"));
	assert_int_equal(count(svg, "class=\"map-l0\""), map_nshapes);
	buf_free(&out);
}

static void
test_markers_located(void **state)
{
	struct map_marker marks[] = {
		{ "海南省", "海口市", "美兰区", "d/meilan/", 2 },
		{ "海南省", NULL, "澄迈县", "d/chengmai/", 1 },
		{ "重庆市", NULL, "梁平区", "d/liangping/", 1 },	/* once 梁平县 */
		{ "西藏自治区", "那曲市", "色尼区", "d/seni/", 1 },	/* 那曲地区 */
		{ "北京市", NULL, "朝阳区", "d/chaoyang/", 1 },
		{ "海南省", "三沙市", "西沙区", "d/xisha/", 1 },
		{ "火星省", "火星市", "一区", "d/mars/", 1 },
		{ "海南省", NULL, "不存在县", "d/none/", 1 },
		{ "海南省", "海口市", NULL, "d/null/", 1 },
	};
	const struct map_frame *f = &map_inset_frame;
	struct buf out = BUF_INIT;
	const char *svg;
	double x, y, hx, hy, cx, cy;

	(void)state;
	assert_int_equal(map_render_svg(&out, NULL, 0, marks, NELEM(marks)), 6);
	svg = buf_str(&out);
	assert_null(strstr(svg, "d/mars/"));
	assert_null(strstr(svg, "d/none/"));
	assert_null(strstr(svg, "d/null/"));
	assert_non_null(strstr(svg, "<a href=\"d/meilan/\"><circle "));
	assert_non_null(strstr(svg, "<title>海南省海口市美兰区：2 篇</title>"));
	assert_non_null(strstr(svg, "<title>北京市朝阳区：1 篇</title>"));
	assert_non_null(strstr(svg, "圆点标出 6 个区县"));

	/* Haikou and Chengmai: neighbours on Hainan, in the main map. */
	assert_true(marker_at(svg, "海南省海口市美兰区", &hx, &hy));
	assert_true(marker_at(svg, "海南省澄迈县", &cx, &cy));
	assert_true(cx < hx);
	assert_true(hx - cx < 15 && cy - hy < 15 && hy - cy < 15);
	assert_true(hy < f->y + f->h && hx < f->x);
	/* Beijing lies north of Hainan; Xisha in the inset. */
	assert_true(marker_at(svg, "北京市朝阳区", &x, &y));
	assert_true(y < hy - 300);
	assert_true(marker_at(svg, "海南省三沙市西沙区", &x, &y));
	assert_true(x > f->x && x < f->x + f->w);
	assert_true(y > f->y && y < f->y + f->h);
	assert_true(marker_at(svg, "重庆市梁平区", &x, &y));
	assert_true(marker_at(svg, "西藏自治区那曲市色尼区", &x, &y));
	assert_true(x > 0 && x < map_width && y > 0 && y < map_height);
	buf_free(&out);
}

static void
test_shared_centre_spread(void **state)
{
	struct map_marker marks[] = {
		{ "海南省", "海口市", "美兰区", "d/1/", 1 },
		{ "海南省", "海口市", "龙华区", "d/2/", 1 },
		{ "海南省", "海口市", "秀英区", "d/3/", 1 },
	};
	struct buf out = BUF_INIT;
	const char *svg;
	double x1, y1, x2, y2, x3, y3;

	(void)state;
	assert_int_equal(map_render_svg(&out, NULL, 0, marks, NELEM(marks)), 3);
	svg = buf_str(&out);
	assert_true(marker_at(svg, "海南省海口市美兰区", &x1, &y1));
	assert_true(marker_at(svg, "海南省海口市龙华区", &x2, &y2));
	assert_true(marker_at(svg, "海南省海口市秀英区", &x3, &y3));
	assert_true(x1 != x2 || y1 != y2);
	assert_true(x2 != x3 || y2 != y3);
	assert_true(x1 != x3 || y1 != y3);
	/* Still close together. */
	assert_true(abs((int)(x1 - x3)) < 20 && abs((int)(y1 - y3)) < 20);
	buf_free(&out);
}

static void
test_deterministic(void **state)
{
	struct map_province prov[] = {
		{ "海南省", 3, "p/hainan/" },
		{ "内蒙古自治区", 11, "p/nmg/" },
	};
	struct map_marker marks[] = {
		{ "海南省", "海口市", "美兰区", "d/1/", 2 },
		{ "海南省", "海口市", "龙华区", "d/2/", 1 },
		{ "内蒙古自治区", "呼和浩特市", "新城区", "d/3/", 1 },
	};
	struct buf a = BUF_INIT, b = BUF_INIT;

	(void)state;
	map_render_svg(&a, prov, NELEM(prov), marks, NELEM(marks));
	map_render_svg(&b, prov, NELEM(prov), marks, NELEM(marks));
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.data, b.data, a.len);
	buf_free(&a);
	buf_free(&b);
}

static void
test_inset(void **state)
{
	struct buf out = BUF_INIT;
	const char *svg, *p;

	(void)state;
	map_render_svg(&out, NULL, 0, NULL, 0);
	svg = buf_str(&out);
	assert_non_null(strstr(svg, "<g class=\"map-inset\""));
	assert_non_null(strstr(svg, "<rect class=\"map-frame\""));
	assert_non_null(strstr(svg, ">南海诸岛</text>"));
	/* Ten dashes, islands, and land both Chinese and neighbouring. */
	assert_non_null(p = strstr(svg, "<path class=\"map-dash\" d=\""));
	assert_true(count(p, "M") >= 10);
	assert_true(strlen(map_inset_dashes) > 20);
	assert_true(count(map_inset_islands, "h0") > 30);
	assert_true(strlen(map_inset_china) > 100);
	assert_true(strlen(map_inset_land) > 100);
	assert_non_null(strstr(svg, map_inset_islands));
	buf_free(&out);
}

static void
test_escaping(void **state)
{
	struct map_province prov[] = {
		{ "海南省", 1, "a\"b<c>&d'e" },
	};
	struct map_marker marks[] = {
		{ "海南省", "海口市", "美兰区", "x\"><script>", 1 },
	};
	struct buf out = BUF_INIT;
	const char *svg;

	(void)state;
	map_render_svg(&out, prov, NELEM(prov), marks, NELEM(marks));
	svg = buf_str(&out);
	assert_non_null(strstr(svg, "href=\"a&quot;b&lt;c&gt;&amp;d&#39;e\""));
	assert_non_null(strstr(svg, "href=\"x&quot;&gt;&lt;script&gt;\""));
	assert_null(strstr(svg, "<script>"));
	buf_free(&out);
}

static void
test_markers_without_links(void **state)
{
	struct map_marker marks[] = {
		{ "陕西省", "西安市", "新城区", NULL, 1 },
	};
	struct buf out = BUF_INIT;
	const char *svg;

	(void)state;
	assert_int_equal(map_render_svg(&out, NULL, 0, marks, NELEM(marks)), 1);
	svg = buf_str(&out);
	assert_non_null(strstr(svg, "<g class=\"map-markers\">\n<circle "));
	assert_int_equal(count(svg, "<a "), 0);
	buf_free(&out);
}

/* Numbers are integers or have one decimal; the SVG is accessible. */
static void
test_short_numbers_and_names(void **state)
{
	struct map_marker marks[] = {
		{ "海南省", "海口市", "美兰区", "d/1/", 1 },
		{ "海南省", "海口市", "龙华区", "d/2/", 1 },
		{ "海南省", "三沙市", "南沙区", "d/3/", 1 },
	};
	struct buf out = BUF_INIT;
	const char *svg, *p;

	(void)state;
	map_render_svg(&out, NULL, 0, marks, NELEM(marks));
	svg = buf_str(&out);
	for (p = svg; *p != '\0'; p++)
		if (p[0] == '.' && p[1] >= '0' && p[1] <= '9' &&
		    p[2] >= '0' && p[2] <= '9')
			fail_msg("long number near %.20s", p > svg + 10 ?
			    p - 10 : svg);
	assert_null(strstr(svg, "e+"));
	assert_null(strstr(svg, "-0 "));
	assert_non_null(strstr(svg, "<title id=\"china-map-title\">"));
	assert_non_null(strstr(svg, "<desc id=\"china-map-desc\">"));
	assert_non_null(strstr(svg, "aria-labelledby=\"china-map-title\""));
	assert_non_null(strstr(svg, "viewBox=\"0 0 "));
	assert_null(strstr(svg, " width=\"1000\""));
	buf_free(&out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_province_link_and_shade),
		cmocka_unit_test(test_quantile_levels),
		cmocka_unit_test(test_scale),
		cmocka_unit_test(test_ties_at_the_bottom),
		cmocka_unit_test(test_unknown_and_repeated_provinces),
		cmocka_unit_test(test_no_articles),
		cmocka_unit_test(test_markers_located),
		cmocka_unit_test(test_shared_centre_spread),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_inset),
		cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_markers_without_links),
		cmocka_unit_test(test_short_numbers_and_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
