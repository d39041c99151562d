/*
 * The gazetteer of China's county-level divisions: GB/T 2260 codes and
 * names of 2023 (the statistics bureau's tables as packaged by the npm
 * package china-division 2.7.0, converted by scripts/gazetteer/convert.js
 * into gazetteer_data.c).  It tells which province, prefecture and
 * district a place string names: the importer reads places with it, and
 * the model checks the places articles name.  Its 34 provinces include
 * 台湾, 香港 and 澳门, whose divisions it does not hold.
 *
 * Districts are keyed by prefecture and name, since a province may hold
 * two districts of one name (江苏's 鼓楼区 of 南京 and of 徐州).  The
 * four municipalities (北京, 天津, 上海, 重庆) and the counties directly
 * under a province (海南's 澄迈县) have no prefecture: their city is NULL.
 * Leagues (盟) count as prefectures and county-level cities (二连浩特市)
 * as districts.
 *
 * Every string a lookup returns is static.
 */
#ifndef JICENG_GAZETTEER_H
#define JICENG_GAZETTEER_H

#include <stddef.h>

struct gazetteer_place {
	const char *code;	/* static; district code (6 digits), else
				   prefecture (4) or province (2) code */
	const char *province;	/* static; NULL only when nothing was found */
	const char *city;	/* static; prefecture, NULL when none */
	const char *district;	/* static; NULL when only a prefecture or a
				   province was named */
};

enum gazetteer_status {
	GAZETTEER_FOUND,	/* one place fits */
	GAZETTEER_AMBIGUOUS,	/* several districts fit; place keeps only
				   what they share, code is NULL */
	GAZETTEER_PARTIAL,	/* a province or prefecture was found, but
				   the text goes on with an unknown name */
	GAZETTEER_NOT_FOUND,
};

struct gazetteer_match {
	enum gazetteer_status status;
	struct gazetteer_place place;
	size_t	 length;	/* bytes of the text the known names span */
	size_t	 district_at;	/* byte where the district's name starts */
	size_t	 candidates;	/* districts that fit (0 when the place is
				   a prefecture or province) */
};

/*
 * Reads the longest run of place names at the start of s: an optional
 * province, an optional prefecture, an optional district, each written
 * in full ("内蒙古自治区", "呼和浩特市", "新城区").  Whatever follows is
 * ignored; m->length tells how far the names reach (0 and
 * GAZETTEER_NOT_FOUND when s does not start with one).  Returns
 * m->status.
 */
enum gazetteer_status gazetteer_scan(const char *s, size_t len,
	    struct gazetteer_match *m);

/*
 * Resolves the whole of s as a place, as gazetteer_scan does, except
 * that text left over after the names makes the result
 * GAZETTEER_PARTIAL (when a province or prefecture was recognised) or
 * GAZETTEER_NOT_FOUND.
 */
enum gazetteer_status gazetteer_resolve(const char *s, size_t len,
	    struct gazetteer_match *m);

/*
 * Finds a prefecture (地级: 市, 盟, 州, 地区) by its full name and fills
 * *out with its code, province and name (district NULL).  Returns 0, or
 * -1 when there is none.
 */
int	 gazetteer_find_prefecture(const char *name, size_t len,
	    struct gazetteer_place *out);

/* Number of districts with exactly this name, anywhere in China. */
size_t	 gazetteer_count_districts(const char *name, size_t len);

/*
 * Position of the province (its full name) in the order of the codes,
 * the order readers know from every yearbook; -1 when it is none.
 */
int	 gazetteer_province_rank(const char *name);
/*
 * A province whose full name starts with name or contains it ("海南" →
 * "海南省", "广西" → "广西壮族自治区"), for "did you mean"; NULL if none.
 */
const char *gazetteer_province_guess(const char *name);

/*
 * The names of the prefectures of province (its full name) into names,
 * at most max of them, in byte order.  Returns how many there are.
 */
size_t	 gazetteer_prefectures_of(const char *province, const char **names,
	    size_t max);
/*
 * The same for the districts of prefecture city of province, or with
 * city NULL those directly under the province.
 */
size_t	 gazetteer_districts_of(const char *province, const char *city,
	    const char **names, size_t max);
/*
 * Whether province has a prefecture city; and whether it has a district
 * of that name in prefecture city, or with city NULL directly under it.
 * Lookups by name, cheap enough for every district of every build.
 */
int	 gazetteer_has_prefecture(const char *province, const char *city);
int	 gazetteer_has_district(const char *province, const char *city,
	    const char *district);
/*
 * The code of prefecture city of province (1501 for 呼和浩特市), and of
 * a district of it, or with city NULL directly under the province
 * (460108 for 美兰区): the order of every yearbook.  0 when none.
 */
unsigned long gazetteer_prefecture_code(const char *province,
	    const char *city);
unsigned long gazetteer_district_code(const char *province,
	    const char *city, const char *district);
/*
 * Where a district of that name lies in province: 1 and *city (the
 * prefecture, or NULL when directly under the province) when one does,
 * the first when several do; 0 when none does.
 */
int	 gazetteer_find_district(const char *province, const char *district,
	    const char **city);

#endif
