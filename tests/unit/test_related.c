/*
 * Related articles (model/related*): the terms that describe an article
 * and the names that make none; which articles are related, in what
 * order, by what they share; ties; and the memo a build keeps, which
 * gives the lists a fresh computation gives whatever was edited.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <xxhash.h>

#include "../../generator/model/related.h"
#include "../../generator/util/buf.h"
#include "site_fixture.h"

/* The key of the bigram of code points a and b (see related.h). */
#define BIGRAM(a, b)	((uint64_t)(a) << 21 | (uint64_t)(b))

/* One body for every article, where words must not tell them apart. */
static const char same_words[] =
    "居民议事会协商解决停车难题，志愿者参与环境整治。\n";

/* Whether key is among the n terms. */
static bool
has_term(const struct related_term *terms, size_t n, uint64_t key)
{
	size_t k;

	for (k = 0; k < n; k++)
		if (terms[k].key == key)
			return true;
	return false;
}

/* The terms of body with the names given, into out[]; how many. */
static size_t
terms_of(const char *body, const char *const *names, size_t nnames,
    struct related_term *out)
{
	struct related_name rn[RELATED_NAMES] = { { NULL, 0 } };
	size_t i;

	for (i = 0; i < nnames; i++) {
		rn[i].s = names[i];
		rn[i].len = strlen(names[i]);
	}
	return related_terms(body, strlen(body), rn, nnames, out);
}

/* The index of the article titled title in s. */
static size_t
find(const struct site *s, const char *title)
{
	size_t i;

	for (i = 0; i < s->narticles; i++)
		if (strcmp(s->articles[i].src->title, title) == 0)
			return i;
	fail_msg("no article \"%s\"", title);
	return SITE_NONE;
}

/* The titles of the related list of the article titled title. */
static char *
related_titles(const struct site *s, const char *title)
{
	const struct site_article *a = &s->articles[find(s, title)];
	struct buf b = BUF_INIT;
	size_t k;

	buf_puts(&b, "");
	for (k = 0; k < a->nrelated; k++)
		buf_printf(&b, "%s%s", k ? " " : "",
		    s->articles[a->related[k]].src->title);
	return buf_detach(&b);
}

static void
assert_related(const struct site *s, const char *title, const char *want)
{
	char *got = related_titles(s, title);

	assert_string_equal(got, want);
	free(got);
}

/*
 * What names an article rather than says something of it: its places,
 * each also without its suffix when two characters are left, and its
 * author.
 */
static void
test_names(void **state)
{
	static const char *const want[] = {
		"内蒙古自治区", "内蒙古", "包头市", "包头", "青山区", "青山",
		"郭文焱",
	};
	struct related_name names[RELATED_NAMES];
	struct diags d = DIAGS_INIT;
	struct article *a;
	const char *text = "---\ntitle: 青山\nprovince: 内蒙古自治区\n"
	    "city: 包头市\ndistrict: 青山区\nauthor: 郭文焱\n---\nx\n";
	const char *short_stem = "---\ntitle: 和县\nprovince: 安徽省\n"
	    "city: 马鞍山市\ndistrict: 和县\n---\nx\n";
	size_t n, k;

	(void)state;
	a = article_parse("content/articles/q.md", text, strlen(text), &d);
	assert_non_null(a);
	n = related_names(a, names);
	assert_int_equal(n, sizeof(want) / sizeof(want[0]));
	for (k = 0; k < n; k++) {
		assert_int_equal(names[k].len, strlen(want[k]));
		assert_memory_equal(names[k].s, want[k], names[k].len);
	}
	article_free(a);
	/* 和县 without 县 is one character: no name. */
	a = article_parse("content/articles/h.md", short_stem,
	    strlen(short_stem), &d);
	assert_non_null(a);
	n = related_names(a, names);
	assert_int_equal(n, 5);
	assert_int_equal(names[4].len, strlen("和县"));
	article_free(a);
	diags_free(&d);
}

/*
 * A name in the body makes no term, the longest name where two start
 * alike, and no bigram spans it (区钢 of 青山区钢铁); other text does.
 */
static void
test_terms_leave_out_names(void **state)
{
	static const char body[] = "青山区钢铁企业转型升级。青山区的钢铁。";
	static const char *const names[] = { "青山", "青山区" };
	struct related_term terms[RELATED_TERMS];
	size_t n;

	(void)state;
	n = terms_of(body, names, 2, terms);
	assert_false(has_term(terms, n, BIGRAM(0x9752, 0x5C71)));	/* 青山 */
	assert_false(has_term(terms, n, BIGRAM(0x5C71, 0x533A)));	/* 山区 */
	assert_false(has_term(terms, n, BIGRAM(0x533A, 0x94A2)));	/* 区钢 */
	assert_true(has_term(terms, n, BIGRAM(0x94A2, 0x94C1)));	/* 钢铁 */
	n = terms_of(body, NULL, 0, terms);
	assert_true(has_term(terms, n, BIGRAM(0x5C71, 0x533A)));
	assert_true(has_term(terms, n, BIGRAM(0x533A, 0x94A2)));
}

/*
 * Terms: Han bigrams only (a space or a Latin word breaks one), none of
 * words most articles use (党建, 社区), at most RELATED_TERMS, strongest
 * first, of unit length.
 */
static void
test_terms(void **state)
{
	struct related_term terms[RELATED_TERMS];
	struct buf body = BUF_INIT;
	double norm = 0;
	size_t n, k;

	(void)state;
	n = terms_of("钢铁 企业，钢铁APP企业。", NULL, 0, terms);
	assert_true(has_term(terms, n, BIGRAM(0x94A2, 0x94C1)));	/* 钢铁 */
	assert_false(has_term(terms, n, BIGRAM(0x94C1, 0x4F01)));	/* 铁企 */
	n = terms_of("社区党建社区党建社区党建。", NULL, 0, terms);
	assert_false(has_term(terms, n, BIGRAM(0x793E, 0x533A)));	/* 社区 */
	assert_false(has_term(terms, n, BIGRAM(0x515A, 0x5EFA)));	/* 党建 */
	/* Many different bigrams, one said three times. */
	buf_puts(&body, "钢铁钢铁钢铁。");
	for (k = 0; k < 200; k++)
		buf_printf(&body, "%s", k % 2 ? "候鸟人才" : "草原旅游");
	buf_puts(&body, "电商直播助农增收乡村振兴老干部发挥余热湿地公园"
	    "垃圾分类快递小哥新就业群体楼宇党建商圈联盟");
	n = terms_of(body.data, NULL, 0, terms);
	assert_int_equal(n, RELATED_TERMS);
	for (k = 0; k < n; k++) {
		norm += (double)terms[k].weight * terms[k].weight;
		if (k > 0)
			assert_true(terms[k - 1].weight >= terms[k].weight);
	}
	assert_true(norm > 0.999 && norm < 1.001);
	buf_free(&body);
}

/*
 * What two articles share ranks them, their words being the same: the
 * nearest place only (the same district, else city, else province),
 * then a series, then each theme; 秀英区 shares the city and two themes
 * (0.20 + 0.16) and goes before 美兰区's other article (0.30 alone).
 */
static void
test_what_is_shared(void **state)
{
	struct fixture f = { 0 };
	struct site *s;

	(void)state;
	fixture_add(&f, "a", "title: A\nprovince: 海南省\ncity: 海口市\n"
	    "district: 美兰区\nthemes: [grid, covid]\n", same_words);
	fixture_add(&f, "b", "title: B\nprovince: 海南省\ncity: 海口市\n"
	    "district: 美兰区\n", same_words);
	fixture_add(&f, "c", "title: C\nprovince: 海南省\ncity: 海口市\n"
	    "district: 龙华区\n", same_words);
	fixture_add(&f, "d", "title: D\nprovince: 海南省\ncity: 三亚市\n"
	    "district: 吉阳区\n", same_words);
	fixture_add(&f, "e", "title: E\nprovince: 浙江省\ncity: 杭州市\n"
	    "district: 西湖区\nthemes: [grid, covid]\n", same_words);
	fixture_add(&f, "f", "title: F\nprovince: 浙江省\ncity: 杭州市\n"
	    "district: 上城区\n", same_words);
	fixture_add(&f, "h", "title: H\nprovince: 海南省\ncity: 海口市\n"
	    "district: 秀英区\nthemes: [grid, covid]\n", same_words);
	s = fixture_build(&f, NULL);
	assert_non_null(s);
	assert_related(s, "A", "H B C E D");
	/* F shares its city with E, nothing with A: not A's. */
	assert_int_equal(s->articles[find(s, "E")].nrelated, 3);
	assert_int_equal(s->articles[find(s, "E")].related[0], find(s, "F"));
	site_free(s);
	diags_free(&f.d);
}

/*
 * Among articles that share something, words count: the article of 三亚
 * on 红色物业 goes before the one of 龙华 on 候鸟, though 龙华 is of the
 * same city (0.20) and 三亚 only of the same province (0.06).
 */
static void
test_words_rank(void **state)
{
	struct fixture f = { 0 };
	struct site *s;

	(void)state;
	fixture_add(&f, "a", "title: A\nprovince: 海南省\ncity: 海口市\n"
	    "district: 美兰区\n", "红色物业管理小区党支部业主委员会物业公司。\n");
	fixture_add(&f, "b", "title: B\nprovince: 海南省\ncity: 海口市\n"
	    "district: 龙华区\n", "候鸟人才服务站老干部发挥余热。\n");
	fixture_add(&f, "c", "title: C\nprovince: 海南省\ncity: 三亚市\n"
	    "district: 吉阳区\n", "推行红色物业，小区党支部引领业主委员会。\n");
	s = fixture_build(&f, NULL);
	assert_non_null(s);
	assert_related(s, "A", "C B");
	assert_related(s, "C", "A B");
	site_free(s);
	diags_free(&f.d);
}

/*
 * What two articles share makes them related, and only that: the same
 * city though their words differ; none of an article whose place, series
 * and themes it shares with nobody, however alike its words.
 */
static void
test_only_what_is_shared(void **state)
{
	struct fixture f = { 0 };
	struct site *s;

	(void)state;
	fixture_add(&f, "mei", "title: 美兰\nprovince: 海南省\ncity: 海口市\n"
	    "district: 美兰区\n", "候鸟人才服务站老干部发挥余热。\n");
	fixture_add(&f, "long", "title: 龙华\nprovince: 海南省\n"
	    "city: 海口市\ndistrict: 龙华区\n", "电商直播助农增收乡村振兴。\n");
	fixture_add(&f, "qing", "title: 青山\nprovince: 内蒙古自治区\n"
	    "city: 包头市\ndistrict: 青山区\n",
	    "青山区青山区青山区的工作。钢铁企业转型升级。\n");
	fixture_add(&f, "hong", "title: 红山\nprovince: 吉林省\ncity: 长春市\n"
	    "district: 红山区\n", "红山区红山区红山区的工作。钢铁企业转型升级。\n");
	s = fixture_build(&f, NULL);
	assert_non_null(s);
	assert_related(s, "美兰", "龙华");
	assert_related(s, "龙华", "美兰");
	assert_related(s, "青山", "");
	assert_related(s, "红山", "");
	site_free(s);
	diags_free(&f.d);
}

/*
 * A series relates articles of different provinces; its editor's note
 * is never related, nor is anything related to it.
 */
static void
test_series(void **state)
{
	struct fixture f = { 0 };
	struct site *s;

	(void)state;
	fixture_add(&f, "note", "title: 编者按\nkind: note\n"
	    "series: 社区治理笔谈\n", same_words);
	fixture_add(&f, "s1", "title: S1\nprovince: 内蒙古自治区\n"
	    "city: 包头市\ndistrict: 青山区\nseries: 社区治理笔谈\n",
	    same_words);
	fixture_add(&f, "s2", "title: S2\nprovince: 吉林省\ncity: 长春市\n"
	    "district: 二道区\nseries: 社区治理笔谈\n", same_words);
	fixture_add(&f, "x", "title: X\nprovince: 浙江省\ncity: 杭州市\n"
	    "district: 西湖区\n", same_words);
	s = fixture_build(&f, NULL);
	assert_non_null(s);
	assert_related(s, "S1", "S2");
	assert_related(s, "S2", "S1");
	assert_related(s, "编者按", "");
	assert_related(s, "X", "");
	site_free(s);
	diags_free(&f.d);
}

/* Why the article titled b is related to the one titled a. */
static void
assert_why(const struct site *s, const char *a, const char *b,
    const char *want)
{
	struct buf why = BUF_INIT;

	buf_puts(&why, "");
	related_why(s, &s->articles[find(s, a)], &s->articles[find(s, b)],
	    &why);
	assert_string_equal(buf_str(&why), want);
	buf_free(&why);
}

/*
 * A reason is a few words: the nearest place shared, the series as this
 * one, and two themes at most, a second only when the names together
 * are short (the fixture's names are their slugs: grid, red-property,
 * covid), 等 when more are shared than named.
 */
static void
test_why(void **state)
{
	struct fixture f = { 0 };
	struct site *s;

	(void)state;
	fixture_add(&f, "a", "title: A\nprovince: 海南省\ncity: 海口市\n"
	    "district: 美兰区\nseries: 社区治理笔谈\n"
	    "themes: [grid, red-property, covid]\n", same_words);
	fixture_add(&f, "b", "title: B\nprovince: 海南省\ncity: 海口市\n"
	    "district: 美兰区\nthemes: [grid, red-property]\n", same_words);
	fixture_add(&f, "c", "title: C\nprovince: 海南省\ncity: 三亚市\n"
	    "district: 吉阳区\nthemes: [grid, covid]\n", same_words);
	fixture_add(&f, "d", "title: D\nprovince: 浙江省\ncity: 杭州市\n"
	    "district: 西湖区\nseries: 社区治理笔谈\n"
	    "themes: [red-property, covid]\n", same_words);
	fixture_add(&f, "e", "title: E\nprovince: 浙江省\ncity: 杭州市\n"
	    "district: 上城区\nthemes: [grid, red-property, covid]\n",
	    same_words);
	s = fixture_build(&f, NULL);
	assert_non_null(s);
	/* grid and red-property make 16 characters: one named, and 等. */
	assert_why(s, "A", "B", "同在海口市美兰区\u00A0· 都谈grid等");
	assert_why(s, "A", "C", "同在海南省\u00A0· 都谈grid、covid");
	assert_why(s, "A", "D", "同属本系列\u00A0· 都谈red-property等");
	assert_why(s, "D", "E", "同在杭州市\u00A0· 都谈red-property等");
	assert_why(s, "C", "E", "都谈grid、covid");
	site_free(s);
	diags_free(&f.d);
}

/* What an article is known by from one build to the next. */
static uint64_t
identity(const struct site_article *a)
{
	uint64_t h = XXH3_64bits(a->path, strlen(a->path));

	return h ? h : 1;
}

/*
 * Equal scores rank by identity, not by the site's order, which moves
 * as articles come and go; a full list keeps what it has against an
 * equal score.  Seven alike articles of one district: each lists the
 * five others of the smallest identities, smallest first.
 */
static void
test_ties(void **state)
{
	struct fixture f = { 0 };
	struct site *s;
	char name[32], front[128];
	size_t i, j, k, n, order[7];

	(void)state;
	for (i = 0; i < 7; i++) {
		snprintf(name, sizeof(name), "t%zu", i);
		snprintf(front, sizeof(front), "title: T%zu\nprovince: 海南省\n"
		    "city: 海口市\ndistrict: 美兰区\n", i);
		fixture_add(&f, name, front, same_words);
	}
	s = fixture_build(&f, NULL);
	assert_non_null(s);
	assert_int_equal(s->narticles, 7);
	for (i = 0; i < 7; i++) {
		/* The others by identity, by insertion. */
		for (j = n = 0; j < 7; j++) {
			if (j == i)
				continue;
			for (k = n++; k > 0 && identity(&s->articles[
			    order[k - 1]]) > identity(&s->articles[j]); k--)
				order[k] = order[k - 1];
			order[k] = j;
		}
		assert_int_equal(s->articles[i].nrelated, SITE_RELATED_MAX);
		for (k = 0; k < SITE_RELATED_MAX; k++)
			assert_int_equal(s->articles[i].related[k], order[k]);
	}
	site_free(s);
	diags_free(&f.d);
}

/*
 * The memo.  A site of generated articles is edited at random, round
 * after round; each round it is built with the memo the last left and
 * without one, and every related list must be the same.
 */
#define MEMO_ARTICLES	60

static const char *const phrases[] = {
	"网格员走街入户收集民情", "红色物业让小区治理有温度",
	"疫情防控中党员冲在一线", "老旧小区改造加装电梯",
	"志愿服务队常态化开展活动", "楼宇党建凝聚新就业群体",
	"矛盾纠纷调解在家门口", "社区食堂解决老人吃饭难",
	"垃圾分类成为新时尚", "快递小哥参与基层治理",
	"湿地公园守护生态环境", "智慧平台数据多跑路",
	"退役军人发挥余热", "商圈联盟共建共享",
	"乡村振兴产业带动增收", "流动人口服务管理",
};

static const struct {
	const char *province, *city, *district;
} memo_places[] = {
	{ "海南省", "海口市", "美兰区" }, { "海南省", "海口市", "龙华区" },
	{ "海南省", "三亚市", "吉阳区" }, { "浙江省", "杭州市", "西湖区" },
	{ "浙江省", "杭州市", "上城区" }, { "浙江省", "宁波市", "海曙区" },
	{ "内蒙古自治区", "包头市", "青山区" },
	{ "吉林省", "长春市", "二道区" },
};

static const char *const theme_names[] = { "grid", "red-property", "covid" };

/* An article as the test makes it. */
struct spec {
	unsigned place;		/* into memo_places */
	unsigned phrase[4];	/* into phrases */
	unsigned themes;	/* a bit per theme_names */
	unsigned series;	/* 0: none; else series 1 or 2 */
	bool	 gone;		/* left out of the site */
};

#define COUNT(a)	(sizeof(a) / sizeof((a)[0]))

static uint32_t
next_random(uint32_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 17;
	*x ^= *x << 5;
	return *x;
}

/* Changes one thing of one article. */
static void
edit(struct spec *specs, uint32_t *rng)
{
	struct spec *sp = &specs[next_random(rng) % MEMO_ARTICLES];

	switch (next_random(rng) % 5) {
	case 0:
		sp->phrase[next_random(rng) % 4] = next_random(rng) %
		    COUNT(phrases);
		break;
	case 1:
		sp->place = next_random(rng) % COUNT(memo_places);
		break;
	case 2:
		sp->themes = next_random(rng) % 8;
		break;
	case 3:
		sp->series = next_random(rng) % 3;
		break;
	default:
		sp->gone = !sp->gone;
		break;
	}
}

static void
add_specs(struct fixture *f, const struct spec *specs, size_t n)
{
	struct buf front = BUF_INIT, body = BUF_INIT;
	const char *sep;
	char name[32];
	size_t i, k;

	for (i = 0; i < n; i++) {
		if (specs[i].gone)
			continue;
		buf_truncate(&front, 0);
		buf_truncate(&body, 0);
		buf_printf(&front, "title: A%zu\nprovince: %s\ncity: %s\n"
		    "district: %s\nthemes: [", i,
		    memo_places[specs[i].place].province,
		    memo_places[specs[i].place].city,
		    memo_places[specs[i].place].district);
		for (k = 0, sep = ""; k < COUNT(theme_names); k++)
			if (specs[i].themes >> k & 1) {
				buf_printf(&front, "%s%s", sep, theme_names[k]);
				sep = ", ";
			}
		buf_puts(&front, "]\n");
		if (specs[i].series != 0)
			buf_printf(&front, "series: 笔谈%u\n", specs[i].series);
		for (k = 0; k < 4; k++)
			buf_printf(&body, "%s。", phrases[specs[i].phrase[k]]);
		buf_puts(&body, "\n");
		snprintf(name, sizeof(name), "a%zu", i);
		fixture_add(f, name, front.data, body.data);
	}
	buf_free(&front);
	buf_free(&body);
}

/* Every related list of the site as text, a line per article. */
static char *
all_lists(const struct site *s, size_t *total)
{
	struct buf b = BUF_INIT;
	size_t i, k;

	buf_puts(&b, "");
	for (i = 0; i < s->narticles; i++) {
		buf_printf(&b, "%s:", s->articles[i].path);
		for (k = 0; k < s->articles[i].nrelated; k++)
			buf_printf(&b, " %s",
			    s->articles[s->articles[i].related[k]].path);
		buf_puts(&b, "\n");
		*total += s->articles[i].nrelated;
	}
	return buf_detach(&b);
}

/*
 * Builds the site of specs with the memo prev (len bytes; NULL: none)
 * and without one, asserts that the lists are the same, and returns
 * the memo it leaves (caller frees) and its length in *next_len.
 */
static char *
build_both(const struct spec *specs, const char *prev, size_t len,
    size_t *next_len)
{
	struct fixture f = { 0 };
	struct related_memo memo = { prev, len, BUF_INIT };
	struct site *s;
	char *with, *without;
	size_t total = 0;

	add_specs(&f, specs, MEMO_ARTICLES);
	s = fixture_build(&f, &memo);
	assert_non_null(s);
	with = all_lists(s, &total);
	site_free(s);
	add_specs(&f, specs, MEMO_ARTICLES);
	s = fixture_build(&f, NULL);
	assert_non_null(s);
	without = all_lists(s, &total);
	site_free(s);
	assert_string_equal(with, without);
	/* Lists worth comparing: most articles have some. */
	assert_true(total > MEMO_ARTICLES * 2);
	free(with);
	free(without);
	diags_free(&f.d);
	*next_len = memo.next.len;
	return buf_detach(&memo.next);
}

static void
random_specs(struct spec *specs, uint32_t *rng)
{
	size_t i, k;

	memset(specs, 0, MEMO_ARTICLES * sizeof(*specs));
	for (i = 0; i < MEMO_ARTICLES; i++) {
		specs[i].place = next_random(rng) % COUNT(memo_places);
		for (k = 0; k < 4; k++)
			specs[i].phrase[k] = next_random(rng) % COUNT(phrases);
		specs[i].themes = next_random(rng) % 8;
		specs[i].series = next_random(rng) % 5 == 0 ?
		    1 + next_random(rng) % 2 : 0;
	}
}

/*
 * Rounds of no edit, one, a few, and many (past the share where the
 * whole index is built again).
 */
static void
test_memo_after_edits(void **state)
{
	static const unsigned edits[] = {
		0, 1, 1, 1, 2, 1, 3, 0, 1, 5, 1, 40, 1, 1, 2, 1, 1, 1, 8, 1,
	};
	struct spec specs[MEMO_ARTICLES];
	uint32_t rng = 0x2545F491;
	char *memo, *next;
	size_t len, r, k;

	(void)state;
	random_specs(specs, &rng);
	memo = build_both(specs, NULL, 0, &len);
	assert_true(len > 0);
	for (r = 0; r < COUNT(edits); r++) {
		for (k = 0; k < edits[r]; k++)
			edit(specs, &rng);
		next = build_both(specs, memo, len, &len);
		free(memo);
		memo = next;
	}
	free(memo);
}

/*
 * A memo that cannot be read (cut short anywhere, not a memo at all)
 * or that another site left gives the lists a fresh computation gives.
 */
static void
test_memo_damaged_or_foreign(void **state)
{
	struct spec specs[MEMO_ARTICLES], other[MEMO_ARTICLES];
	uint32_t rng = 0x9E3779B9;
	char *memo, *next, junk[256];
	size_t len, cut, next_len, k;

	(void)state;
	random_specs(specs, &rng);
	random_specs(other, &rng);
	memo = build_both(specs, NULL, 0, &len);
	edit(specs, &rng);
	for (cut = 0; cut < len; cut += len / 7 + 1) {
		next = build_both(specs, memo, cut, &next_len);
		free(next);
	}
	for (k = 0; k < sizeof(junk); k++)
		junk[k] = (char)next_random(&rng);
	free(build_both(specs, junk, sizeof(junk), &next_len));
	/* Another site's memo: the same names, other articles. */
	next = build_both(other, memo, len, &next_len);
	free(build_both(specs, next, next_len, &next_len));
	free(next);
	free(memo);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_terms_leave_out_names),
		cmocka_unit_test(test_terms),
		cmocka_unit_test(test_what_is_shared),
		cmocka_unit_test(test_words_rank),
		cmocka_unit_test(test_only_what_is_shared),
		cmocka_unit_test(test_series),
		cmocka_unit_test(test_why),
		cmocka_unit_test(test_ties),
		cmocka_unit_test(test_memo_after_edits),
		cmocka_unit_test(test_memo_damaged_or_foreign),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
