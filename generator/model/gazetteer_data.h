/*
 * The gazetteer's tables (generated, see scripts/gazetteer/convert.js),
 * each sorted by the bytes of its names.  Private to model/.
 */
#ifndef JICENG_GAZETTEER_DATA_H
#define JICENG_GAZETTEER_DATA_H

#include <stddef.h>

struct gazetteer_province_row {
	const char *code;
	const char *name;
};

struct gazetteer_prefecture_row {
	const char *code;
	const char *name;
	int	 province;	/* row in gazetteer_province_rows */
};

struct gazetteer_district_row {
	const char *code;
	const char *name;
	int	 province;	/* row in gazetteer_province_rows */
	int	 prefecture;	/* row in gazetteer_prefecture_rows, -1: none */
};

extern const struct gazetteer_province_row gazetteer_province_rows[];
extern const size_t gazetteer_province_count;
extern const struct gazetteer_prefecture_row gazetteer_prefecture_rows[];
extern const size_t gazetteer_prefecture_count;
extern const struct gazetteer_district_row gazetteer_district_rows[];
extern const size_t gazetteer_district_count;

#endif
