/*
 * The gazetteer: places with and without province or prefecture,
 * municipalities, counties directly under a province, leagues,
 * county-level cities, and names that several districts share.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "../../generator/model/gazetteer.h"

static enum gazetteer_status
resolve(const char *s, struct gazetteer_match *m)
{
	return gazetteer_resolve(s, strlen(s), m);
}

static void
assert_place(const struct gazetteer_match *m, const char *code,
    const char *province, const char *city, const char *district)
{
	assert_int_equal(m->status, GAZETTEER_FOUND);
	assert_string_equal(m->place.code, code);
	assert_string_equal(m->place.province, province);
	if (city == NULL)
		assert_null(m->place.city);
	else
		assert_string_equal(m->place.city, city);
	if (district == NULL)
		assert_null(m->place.district);
	else
		assert_string_equal(m->place.district, district);
}

static void
test_full_place(void **state)
{
	struct gazetteer_match m;

	(void)state;
	resolve("海南省海口市美兰区", &m);
	assert_place(&m, "460108", "海南省", "海口市", "美兰区");
	assert_int_equal(m.length, strlen("海南省海口市美兰区"));
	resolve("吉林省通化市通化县", &m);
	assert_place(&m, "220521", "吉林省", "通化市", "通化县");
}

static void
test_province_found_from_city(void **state)
{
	struct gazetteer_match m;

	(void)state;
	resolve("呼和浩特市新城区", &m);
	assert_place(&m, "150102", "内蒙古自治区", "呼和浩特市", "新城区");
	resolve("西安市新城区", &m);
	assert_place(&m, "610102", "陕西省", "西安市", "新城区");
	resolve("陕西省新城区", &m);
	assert_place(&m, "610102", "陕西省", "西安市", "新城区");
}

static void
test_county_under_province(void **state)
{
	struct gazetteer_match m;

	(void)state;
	resolve("澄迈县", &m);
	assert_place(&m, "469023", "海南省", NULL, "澄迈县");
	resolve("海南省澄迈县", &m);
	assert_place(&m, "469023", "海南省", NULL, "澄迈县");
	resolve("河南省济源市", &m);
	assert_place(&m, "419001", "河南省", NULL, "济源市");
}

static void
test_league_and_county_city(void **state)
{
	struct gazetteer_match m;

	(void)state;
	resolve("二连浩特市", &m);
	assert_place(&m, "152501", "内蒙古自治区", "锡林郭勒盟", "二连浩特市");
	resolve("锡林郭勒盟镶黄旗", &m);
	assert_place(&m, "152528", "内蒙古自治区", "锡林郭勒盟", "镶黄旗");
	resolve("阿拉善盟阿拉善左旗", &m);
	assert_place(&m, "152921", "内蒙古自治区", "阿拉善盟", "阿拉善左旗");
	/* A county-level city named without its prefecture. */
	resolve("福建省建瓯市", &m);
	assert_place(&m, "350783", "福建省", "南平市", "建瓯市");
}

static void
test_municipality(void **state)
{
	struct gazetteer_match m;

	(void)state;
	resolve("北京市朝阳区", &m);
	assert_place(&m, "110105", "北京市", NULL, "朝阳区");
	resolve("重庆市巫山县", &m);
	assert_place(&m, "500237", "重庆市", NULL, "巫山县");
	/* The other 朝阳区 is a district of 长春. */
	resolve("长春市朝阳区", &m);
	assert_place(&m, "220104", "吉林省", "长春市", "朝阳区");
}

static void
test_two_gulou_in_jiangsu(void **state)
{
	struct gazetteer_match m;

	(void)state;
	resolve("江苏省南京市鼓楼区", &m);
	assert_place(&m, "320106", "江苏省", "南京市", "鼓楼区");
	resolve("徐州市鼓楼区", &m);
	assert_place(&m, "320302", "江苏省", "徐州市", "鼓楼区");
	resolve("江苏省鼓楼区", &m);
	assert_int_equal(m.status, GAZETTEER_AMBIGUOUS);
	assert_int_equal(m.candidates, 2);
	assert_string_equal(m.place.province, "江苏省");
	assert_null(m.place.city);
	assert_null(m.place.code);
}

static void
test_ambiguous_bare_name(void **state)
{
	struct gazetteer_match m;

	(void)state;
	resolve("新城区", &m);
	assert_int_equal(m.status, GAZETTEER_AMBIGUOUS);
	assert_int_equal(m.candidates, 2);
	assert_null(m.place.province);
	assert_null(m.place.district);
	resolve("鼓楼区", &m);
	assert_int_equal(m.status, GAZETTEER_AMBIGUOUS);
	assert_int_equal(m.candidates, 4);
	assert_int_equal(gazetteer_count_districts("新城区",
	    strlen("新城区")), 2);
}

static void
test_unknown_zone_is_partial(void **state)
{
	struct gazetteer_match m;

	(void)state;
	resolve("通辽市开发区", &m);
	assert_int_equal(m.status, GAZETTEER_PARTIAL);
	assert_string_equal(m.place.province, "内蒙古自治区");
	assert_string_equal(m.place.city, "通辽市");
	assert_null(m.place.district);
	assert_int_equal(m.length, strlen("通辽市"));
	resolve("某某县", &m);
	assert_int_equal(m.status, GAZETTEER_NOT_FOUND);
	resolve("", &m);
	assert_int_equal(m.status, GAZETTEER_NOT_FOUND);
}

static void
test_prefecture_and_province_only(void **state)
{
	struct gazetteer_match m;
	struct gazetteer_place p;

	(void)state;
	resolve("内蒙古自治区包头市", &m);
	assert_place(&m, "1502", "内蒙古自治区", "包头市", NULL);
	resolve("云南省", &m);
	assert_place(&m, "53", "云南省", NULL, NULL);
	assert_int_equal(gazetteer_find_prefecture("锡林郭勒盟",
	    strlen("锡林郭勒盟"), &p), 0);
	assert_string_equal(p.code, "1525");
	assert_string_equal(p.province, "内蒙古自治区");
	assert_int_equal(gazetteer_find_prefecture("市辖区",
	    strlen("市辖区"), &p), -1);
	assert_int_equal(gazetteer_find_prefecture("建瓯市",
	    strlen("建瓯市"), &p), -1);
}

static void
test_scan_stops_at_prose(void **state)
{
	struct gazetteer_match m;
	const char *s = "包头市青山区以打造区域集团为总抓手";

	(void)state;
	gazetteer_scan(s, strlen(s), &m);
	assert_place(&m, "150204", "内蒙古自治区", "包头市", "青山区");
	assert_int_equal(m.length, strlen("包头市青山区"));
	s = "二连浩特市委常委";
	gazetteer_scan(s, strlen(s), &m);
	assert_place(&m, "152501", "内蒙古自治区", "锡林郭勒盟", "二连浩特市");
	s = "城市基层党建";
	gazetteer_scan(s, strlen(s), &m);
	assert_int_equal(m.status, GAZETTEER_NOT_FOUND);
	assert_int_equal(m.length, 0);
}

/* The model's questions: provinces in code order, places under them. */
static void
test_provinces_and_places(void **state)
{
	const char *names[64], *city;

	(void)state;
	assert_int_equal(gazetteer_province_rank("北京市"), 0);
	assert_int_equal(gazetteer_province_rank("海南省"), 20);
	assert_int_equal(gazetteer_province_rank("澳门特别行政区"), 33);
	assert_int_equal(gazetteer_province_rank("海南"), -1);
	assert_string_equal(gazetteer_province_guess("海南"), "海南省");
	assert_string_equal(gazetteer_province_guess("广西"), "广西壮族自治区");
	assert_null(gazetteer_province_guess("火星"));
	assert_int_equal(gazetteer_prefectures_of("海南省", names, 64), 4);
	assert_int_equal(gazetteer_districts_of("海南省", "海口市", names, 64),
	    4);
	assert_int_equal(gazetteer_districts_of("海南省", "海囗市", names, 64),
	    0);
	/* Directly under the province: a county, a municipality's districts. */
	assert_true(gazetteer_districts_of("海南省", NULL, names, 1) > 1);
	assert_true(gazetteer_districts_of("北京市", NULL, names, 64) == 16);
	assert_int_equal(gazetteer_prefectures_of("香港特别行政区", names, 64),
	    0);
	assert_int_equal(gazetteer_find_district("海南省", "美兰区", &city), 1);
	assert_string_equal(city, "海口市");
	assert_int_equal(gazetteer_find_district("海南省", "澄迈县", &city), 1);
	assert_null(city);
	assert_int_equal(gazetteer_find_district("海南省", "朝阳区", &city), 0);
	assert_true(gazetteer_has_prefecture("海南省", "海口市"));
	assert_false(gazetteer_has_prefecture("海南省", "西安市"));
	assert_true(gazetteer_has_district("海南省", "海口市", "美兰区"));
	assert_false(gazetteer_has_district("海南省", "海口市", "美蓝区"));
	assert_false(gazetteer_has_district("海南省", NULL, "美兰区"));
	assert_true(gazetteer_has_district("海南省", NULL, "澄迈县"));
	assert_true(gazetteer_has_district("江苏省", "徐州市", "鼓楼区"));
	assert_true(gazetteer_has_district("江苏省", "南京市", "鼓楼区"));
	assert_false(gazetteer_has_district("江苏省", "苏州市", "鼓楼区"));
	assert_true(gazetteer_has_district("广东省", "东莞市", "东莞市"));
	assert_true(gazetteer_has_district("北京市", NULL, "朝阳区"));
	/* Codes, for the order of places. */
	assert_int_equal(gazetteer_prefecture_code("内蒙古自治区", "呼和浩特市"),
	    1501);
	assert_int_equal(gazetteer_prefecture_code("海南省", "西安市"), 0);
	assert_int_equal(gazetteer_district_code("海南省", "海口市", "美兰区"),
	    460108);
	assert_int_equal(gazetteer_district_code("海南省", NULL, "澄迈县"),
	    469023);
	assert_int_equal(gazetteer_district_code("江苏省", "南京市", "鼓楼区"),
	    320106);
	assert_int_equal(gazetteer_district_code("海南省", NULL, "美兰区"), 0);
}

/* A province misspelt is guessed from its start, its parts or a typo. */
static void
test_province_guess(void **state)
{
	(void)state;
	assert_string_equal(gazetteer_province_guess("内蒙古"), "内蒙古自治区");
	assert_string_equal(gazetteer_province_guess("广东省省"), "广东省");
	assert_string_equal(gazetteer_province_guess("海男省"), "海南省");
	assert_string_equal(gazetteer_province_guess("吉林生"), "吉林省");
	assert_null(gazetteer_province_guess("火星省"));
	assert_null(gazetteer_province_guess("海"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_place),
		cmocka_unit_test(test_province_found_from_city),
		cmocka_unit_test(test_county_under_province),
		cmocka_unit_test(test_league_and_county_city),
		cmocka_unit_test(test_municipality),
		cmocka_unit_test(test_two_gulou_in_jiangsu),
		cmocka_unit_test(test_ambiguous_bare_name),
		cmocka_unit_test(test_unknown_zone_is_partial),
		cmocka_unit_test(test_prefecture_and_province_only),
		cmocka_unit_test(test_scan_stops_at_prose),
		cmocka_unit_test(test_provinces_and_places),
		cmocka_unit_test(test_province_guess),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
