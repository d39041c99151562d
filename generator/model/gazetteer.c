#include "gazetteer.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "../util/suggest.h"
#include "../util/utf8.h"
#include "gazetteer_data.h"

/* Longer than any name in the tables (内蒙古自治区's leagues top out at 15). */
#define NAME_MAX_CHARS	20

enum table {
	TABLE_PROVINCE,
	TABLE_PREFECTURE,
	TABLE_DISTRICT,
};

/* Rows that may match: those under a prefecture, else under a province. */
struct filter {
	int	 province;	/* row, -1: any */
	int	 prefecture;	/* row, -1: any */
};

/* What one table offers at one position of the text. */
struct table_hit {
	size_t	 bytes;		/* length of the name matched, 0: none */
	size_t	 row;		/* first fitting row */
	size_t	 count;		/* fitting rows */
	int	 province;	/* shared by all fitting rows, else -1 */
	int	 prefecture;	/* shared by all fitting rows, else -1 */
};

static size_t
table_count(enum table t)
{
	static const size_t *const counts[] = {
		&gazetteer_province_count,
		&gazetteer_prefecture_count,
		&gazetteer_district_count,
	};

	return *counts[t];
}

static const char *
row_name(enum table t, size_t i)
{
	switch (t) {
	case TABLE_PROVINCE:
		return gazetteer_province_rows[i].name;
	case TABLE_PREFECTURE:
		return gazetteer_prefecture_rows[i].name;
	default:
		return gazetteer_district_rows[i].name;
	}
}

/* The province and prefecture rows a row belongs to (-1: none). */
static void
row_parents(enum table t, size_t i, int *province, int *prefecture)
{
	switch (t) {
	case TABLE_PROVINCE:
		*province = (int)i;
		*prefecture = -1;
		break;
	case TABLE_PREFECTURE:
		*province = gazetteer_prefecture_rows[i].province;
		*prefecture = (int)i;
		break;
	default:
		*province = gazetteer_district_rows[i].province;
		*prefecture = gazetteer_district_rows[i].prefecture;
		break;
	}
}

/* Compares the NUL-terminated name with the n bytes at s, bytewise. */
static int
compare_name(const char *name, const char *s, size_t n)
{
	size_t len = strlen(name);
	int c = memcmp(name, s, len < n ? len : n);

	if (c != 0)
		return c;
	return len < n ? -1 : len > n;
}

/* First row whose name is not below s[0..n). */
static size_t
lower_bound(enum table t, const char *s, size_t n)
{
	size_t lo = 0, hi = table_count(t), mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (compare_name(row_name(t, mid), s, n) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool
row_fits(enum table t, size_t i, const struct filter *f)
{
	int province, prefecture;

	row_parents(t, i, &province, &prefecture);
	if (f->prefecture >= 0)
		return prefecture == f->prefecture;
	return f->province < 0 || province == f->province;
}

/*
 * Collects into *h the rows named exactly s[0..n) that fit f.  Returns
 * whether there is any.
 */
static bool
collect_rows(enum table t, const char *s, size_t n, const struct filter *f,
    struct table_hit *h)
{
	size_t i;
	int province, prefecture;

	memset(h, 0, sizeof(*h));
	for (i = lower_bound(t, s, n); i < table_count(t) &&
	    compare_name(row_name(t, i), s, n) == 0; i++) {
		if (!row_fits(t, i, f))
			continue;
		row_parents(t, i, &province, &prefecture);
		if (h->count == 0) {
			h->row = i;
			h->province = province;
			h->prefecture = prefecture;
		}
		if (h->province != province)
			h->province = -1;
		if (h->prefecture != prefecture)
			h->prefecture = -1;
		h->count++;
	}
	h->bytes = h->count > 0 ? n : 0;
	return h->count > 0;
}

/* Finds the longest name of table t at the start of s that fits f. */
static bool
match_longest(enum table t, const char *s, size_t len,
    const struct filter *f, struct table_hit *h)
{
	size_t ends[NAME_MAX_CHARS];
	size_t n = 0, pos = 0;

	while (n < NAME_MAX_CHARS && utf8_next(s, len, &pos) >= 0)
		ends[n++] = pos;
	/* Every name has at least two characters. */
	while (n >= 2) {
		if (collect_rows(t, s, ends[n - 1], f, h))
			return true;
		n--;
	}
	memset(h, 0, sizeof(*h));
	return false;
}

static void
place_from_rows(int province, int prefecture, struct gazetteer_place *p)
{
	p->province = province >= 0 ?
	    gazetteer_province_rows[province].name : NULL;
	p->city = prefecture >= 0 ?
	    gazetteer_prefecture_rows[prefecture].name : NULL;
}

enum gazetteer_status
gazetteer_scan(const char *s, size_t len, struct gazetteer_match *m)
{
	struct filter f = { -1, -1 };
	struct table_hit province, prefecture, district;
	size_t pos = 0;

	memset(m, 0, sizeof(*m));
	m->status = GAZETTEER_NOT_FOUND;
	if (match_longest(TABLE_PROVINCE, s, len, &f, &province)) {
		f.province = (int)province.row;
		pos = province.bytes;
	}
	match_longest(TABLE_PREFECTURE, s + pos, len - pos, &f, &prefecture);
	match_longest(TABLE_DISTRICT, s + pos, len - pos, &f, &district);
	/* A prefecture unless a longer district name starts here too. */
	if (prefecture.count > 0 && prefecture.bytes >= district.bytes) {
		f.prefecture = (int)prefecture.row;
		f.province = prefecture.province;
		pos += prefecture.bytes;
		match_longest(TABLE_DISTRICT, s + pos, len - pos, &f,
		    &district);
	}
	if (district.count > 0) {
		m->district_at = pos;
		pos += district.bytes;
		place_from_rows(district.province, district.prefecture,
		    &m->place);
		m->candidates = district.count;
		if (district.count == 1) {
			m->place.code = gazetteer_district_rows[district.row].code;
			m->place.district =
			    gazetteer_district_rows[district.row].name;
			m->status = GAZETTEER_FOUND;
		} else
			m->status = GAZETTEER_AMBIGUOUS;
	} else if (f.prefecture >= 0) {
		place_from_rows(f.province, f.prefecture, &m->place);
		m->place.code = gazetteer_prefecture_rows[f.prefecture].code;
		m->status = GAZETTEER_FOUND;
	} else if (f.province >= 0) {
		place_from_rows(f.province, -1, &m->place);
		m->place.code = gazetteer_province_rows[f.province].code;
		m->status = GAZETTEER_FOUND;
	}
	m->length = m->status == GAZETTEER_NOT_FOUND ? 0 : pos;
	return m->status;
}

enum gazetteer_status
gazetteer_resolve(const char *s, size_t len, struct gazetteer_match *m)
{
	gazetteer_scan(s, len, m);
	if (m->length < len && m->status != GAZETTEER_NOT_FOUND)
		m->status = GAZETTEER_PARTIAL;
	return m->status;
}

int
gazetteer_find_prefecture(const char *name, size_t len,
    struct gazetteer_place *out)
{
	struct filter f = { -1, -1 };
	struct table_hit h;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (!collect_rows(TABLE_PREFECTURE, name, len, &f, &h))
		goto out;
	place_from_rows(h.province, (int)h.row, out);
	out->code = gazetteer_prefecture_rows[h.row].code;
	rc = 0;
out:
	return rc;
}

size_t
gazetteer_count_districts(const char *name, size_t len)
{
	struct filter f = { -1, -1 };
	struct table_hit h;

	collect_rows(TABLE_DISTRICT, name, len, &f, &h);
	return h.count;
}

/* The row of the province named name, or -1. */
static int
province_row(const char *name)
{
	size_t n = strlen(name), i = lower_bound(TABLE_PROVINCE, name, n);

	if (i < gazetteer_province_count &&
	    strcmp(gazetteer_province_rows[i].name, name) == 0)
		return (int)i;
	return -1;
}

/* The row of prefecture city of province row p, or -1. */
static int
prefecture_row(int p, const char *city)
{
	struct filter f = { p, -1 };
	struct table_hit h;

	if (!collect_rows(TABLE_PREFECTURE, city, strlen(city), &f, &h))
		return -1;
	return (int)h.row;
}

/* Room for the province table, which holds 34. */
#define MAX_PROVINCES	64

/* Each province row's position in code order, worked out once. */
static int province_ranks[MAX_PROVINCES];
static pthread_once_t ranks_once = PTHREAD_ONCE_INIT;

static void
rank_provinces(void)
{
	size_t i, k;

	for (i = 0; i < gazetteer_province_count && i < MAX_PROVINCES; i++)
		for (k = 0; k < gazetteer_province_count; k++)
			province_ranks[i] += strcmp(
			    gazetteer_province_rows[k].code,
			    gazetteer_province_rows[i].code) < 0;
}

int
gazetteer_province_rank(const char *name)
{
	int row = province_row(name);

	/* Asked for every article, on every core. */
	pthread_once(&ranks_once, rank_provinces);
	return row >= 0 && row < MAX_PROVINCES ? province_ranks[row] : -1;
}

const char *
gazetteer_province_guess(const char *name)
{
	const char *names[MAX_PROVINCES], *full;
	size_t i, n = strlen(name);

	if (utf8_length(name, n) < 2)	/* one character matches too much */
		return NULL;
	for (i = 0; i < gazetteer_province_count; i++)
		if (strncmp(gazetteer_province_rows[i].name, name, n) == 0)
			return gazetteer_province_rows[i].name;
	for (i = 0; i < gazetteer_province_count; i++) {
		full = gazetteer_province_rows[i].name;
		if (strstr(name, full) != NULL || strstr(full, name) != NULL)
			return full;
	}
	/* A character mistyped: 海男省. */
	for (i = 0; i < gazetteer_province_count && i < MAX_PROVINCES; i++)
		names[i] = gazetteer_province_rows[i].name;
	return suggest_within(name, names, i, 1);
}

size_t
gazetteer_prefectures_of(const char *province, const char **names,
    size_t max)
{
	int p = province_row(province);
	size_t i, n = 0;

	for (i = 0; p >= 0 && i < gazetteer_prefecture_count; i++) {
		if (gazetteer_prefecture_rows[i].province != p)
			continue;
		if (n < max)
			names[n] = gazetteer_prefecture_rows[i].name;
		n++;
	}
	return n;
}

size_t
gazetteer_districts_of(const char *province, const char *city,
    const char **names, size_t max)
{
	int p = province_row(province), c = -1;
	size_t i, n = 0;

	if (p >= 0 && city != NULL && (c = prefecture_row(p, city)) < 0)
		return 0;
	for (i = 0; p >= 0 && i < gazetteer_district_count; i++) {
		if (gazetteer_district_rows[i].province != p ||
		    gazetteer_district_rows[i].prefecture != c)
			continue;
		if (n < max)
			names[n] = gazetteer_district_rows[i].name;
		n++;
	}
	return n;
}

int
gazetteer_find_district(const char *province, const char *district,
    const char **city)
{
	struct filter f = { province_row(province), -1 };
	struct table_hit h;
	int pref;

	*city = NULL;
	if (f.province < 0 || !collect_rows(TABLE_DISTRICT, district,
	    strlen(district), &f, &h))
		return 0;
	pref = gazetteer_district_rows[h.row].prefecture;
	*city = pref >= 0 ? gazetteer_prefecture_rows[pref].name : NULL;
	return 1;
}

int
gazetteer_has_prefecture(const char *province, const char *city)
{
	int p = province_row(province);

	return p >= 0 && prefecture_row(p, city) >= 0;
}

/* The row of district of province p and prefecture row c (-1: none). */
static int
district_row(int p, int c, const char *district)
{
	size_t i;

	for (i = lower_bound(TABLE_DISTRICT, district, strlen(district));
	    i < gazetteer_district_count &&
	    strcmp(gazetteer_district_rows[i].name, district) == 0; i++)
		if (gazetteer_district_rows[i].province == p &&
		    gazetteer_district_rows[i].prefecture == c)
			return (int)i;
	return -1;
}

int
gazetteer_has_district(const char *province, const char *city,
    const char *district)
{
	return gazetteer_district_code(province, city, district) != 0;
}

unsigned long
gazetteer_prefecture_code(const char *province, const char *city)
{
	int p = province_row(province), c;

	if (p < 0 || (c = prefecture_row(p, city)) < 0)
		return 0;
	return strtoul(gazetteer_prefecture_rows[c].code, NULL, 10);
}

unsigned long
gazetteer_district_code(const char *province, const char *city,
    const char *district)
{
	int p = province_row(province), c = -1, k;

	if (p < 0 || (city != NULL && (c = prefecture_row(p, city)) < 0) ||
	    (k = district_row(p, c, district)) < 0)
		return 0;
	return strtoul(gazetteer_district_rows[k].code, NULL, 10);
}
