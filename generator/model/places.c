#include "places.h"

#include <stddef.h>
#include <string.h>

static const struct {
	const char *code;
	const char *name;
} provinces[] = {
	{ "11", "北京市" }, { "12", "天津市" }, { "13", "河北省" },
	{ "14", "山西省" }, { "15", "内蒙古自治区" }, { "21", "辽宁省" },
	{ "22", "吉林省" }, { "23", "黑龙江省" }, { "31", "上海市" },
	{ "32", "江苏省" }, { "33", "浙江省" }, { "34", "安徽省" },
	{ "35", "福建省" }, { "36", "江西省" }, { "37", "山东省" },
	{ "41", "河南省" }, { "42", "湖北省" }, { "43", "湖南省" },
	{ "44", "广东省" }, { "45", "广西壮族自治区" }, { "46", "海南省" },
	{ "50", "重庆市" }, { "51", "四川省" }, { "52", "贵州省" },
	{ "53", "云南省" }, { "54", "西藏自治区" }, { "61", "陕西省" },
	{ "62", "甘肃省" }, { "63", "青海省" }, { "64", "宁夏回族自治区" },
	{ "65", "新疆维吾尔自治区" }, { "71", "台湾省" },
	{ "81", "香港特别行政区" }, { "82", "澳门特别行政区" },
};
#define NPROVINCES (sizeof(provinces) / sizeof(provinces[0]))

int
places_province_rank(const char *name)
{
	size_t i;

	for (i = 0; i < NPROVINCES; i++)
		if (strcmp(provinces[i].name, name) == 0)
			return (int)i;
	return -1;
}

const char *
places_province_code(const char *name)
{
	int r = places_province_rank(name);

	return r < 0 ? NULL : provinces[r].code;
}

const char *
places_province_guess(const char *name)
{
	size_t i, n = strlen(name);

	if (n < 3)	/* one character matches too much */
		return NULL;
	for (i = 0; i < NPROVINCES; i++)
		if (strncmp(provinces[i].name, name, n) == 0)
			return provinces[i].name;
	for (i = 0; i < NPROVINCES; i++)
		if (strstr(name, provinces[i].name) != NULL ||
		    strstr(provinces[i].name, name) != NULL)
			return provinces[i].name;
	return NULL;
}
