/*
 * The importer on small pages of its own: each repair, other provinces,
 * other headline and byline spellings than the seed pages have, the
 * front matter it writes, stems, themes, and conflicts with edits.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "../../generator/import/import.h"
#include "../../generator/load/config.h"
#include "../../generator/load/source.h"
#include "../../generator/util/buf.h"
#include "../../generator/util/fs.h"

struct fixture {
	struct import_batch batch;
	struct diags d;
	struct import_summary sum;
};

/* Imports text with the editors' decisions dec (NULL: none); rc is
   what import_page returns. */
static struct fixture *
import_decided(const char *text, const struct import_decisions *dec, int rc)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	assert_int_equal(import_page("sources/t.txt", text, strlen(text),
	    dec, NULL, &f->batch, &f->d, &f->sum), rc);
	return f;
}

static struct fixture *
import_text(const char *text)
{
	return import_decided(text, NULL, 0);
}

static void
fixture_free(struct fixture *f)
{
	import_batch_free(&f->batch);
	diags_free(&f->d);
	free(f);
}

/* Whether some diagnostic's text holds needle. */
static bool
reported(const struct fixture *f, const char *needle)
{
	size_t i;

	for (i = 0; i < f->d.count; i++)
		if (strstr(f->d.items[i].message, needle) != NULL)
			return true;
	return false;
}

static void
assert_opt_string(const char *got, const char *want)
{
	if (want == NULL)
		assert_null(got);
	else {
		assert_non_null(got);
		assert_string_equal(got, want);
	}
}

static void
assert_article(const struct import_article *a, const char *title,
    const char *province, const char *city, const char *district,
    const char *author, const char *author_title)
{
	assert_string_equal(a->title, title);
	assert_opt_string(a->province, province);
	assert_opt_string(a->city, city);
	assert_opt_string(a->district, district);
	assert_opt_string(a->author, author);
	assert_opt_string(a->author_title, author_title);
}

/* A hard-wrapped column: lines of about 15 characters, a blank line in
   the middle of a sentence, a Latin phrase cut between two lines. */
static const char wrapped[] =
    "浙江省杭州市西湖区：数字赋能社区治理\n"
    "\n"
    "■杭州市西湖区委书记 张 明\n"
    "\n"
    "西湖区把城市大脑的应用延伸到社\n"
    "区，建设smart\n"
    "city平台，让数据多跑路、群众少\n"
    "\n"
    "跑腿，居民满意度明显提升。\n";

static void
test_wrap_joins_column_lines(void **state)
{
	struct fixture *f = import_text(wrapped);

	(void)state;
	assert_int_equal(f->batch.count, 1);
	assert_article(&f->batch.items[0], "数字赋能社区治理", "浙江省",
	    "杭州市", "西湖区", "张明", "杭州市西湖区委书记");
	assert_string_equal(f->batch.items[0].body,
	    "西湖区把城市大脑的应用延伸到社区，建设smart city平台，让数据"
	    "多跑路、群众少跑腿，居民满意度明显提升。\n");
	assert_true(f->sum.repairs[IMPORT_REPAIR_WRAP] >= 2);
	assert_true(reported(f, "joined a sentence broken across a blank "
	    "line"));
	assert_int_equal(f->sum.repairs[IMPORT_REPAIR_NAME], 1);
	fixture_free(f);
}

static void
test_headings(void **state)
{
	struct fixture *f = import_text(
	    "广东省广州市越秀区：老城区焕发新活力\n"
	    "\n"
	    "■广州市越秀区委书记 王 海\n"
	    "\n"
	    "越秀区是广州的老城区。\n"
	    "\n"
	    "坚持党建引领\n"
	    "凝聚治理合力\n"
	    "\n"
	    "越秀区建立街道大工委。\n"
	    "\n"
	    "一、加强组织建设\n"
	    "\n"
	    "越秀区在商务楼宇建立党组织。\n"
	    "\n"
	    "“红棉”志愿服务品牌\n"
	    "\n"
	    "越秀区组建志愿服务队。\n");

	(void)state;
	assert_int_equal(f->batch.count, 1);
	assert_string_equal(f->batch.items[0].body,
	    "越秀区是广州的老城区。\n\n"
	    "## 坚持党建引领 凝聚治理合力\n\n"
	    "越秀区建立街道大工委。\n\n"
	    "## 一、加强组织建设\n\n"
	    "越秀区在商务楼宇建立党组织。\n\n"
	    "## “红棉”志愿服务品牌\n\n"
	    "越秀区组建志愿服务队。\n");
	assert_int_equal(f->sum.repairs[IMPORT_REPAIR_HEADING], 3);
	fixture_free(f);
}

static void
test_line_cut_is_not_a_heading(void **state)
{
	/* A short line ending mid-word, its tail on the next block. */
	struct fixture *f = import_text(
	    "安徽省合肥市蜀山区：激活社区治理\n"
	    "\n"
	    "■合肥市蜀山区委书记 李 华\n"
	    "\n"
	    "蜀山区推进社区建设。\n"
	    "\n"
	    "三是充分发挥社区党组织堡垒作\n"
	    "\n"
	    "用。蜀山区建立社区工作机制。\n"
	    "\n"
	    "社区党委探索推行“三\n"
	    "\n"
	    "联共建”工作法，效果明显。\n");

	(void)state;
	assert_int_equal(f->batch.count, 1);
	assert_string_equal(f->batch.items[0].body,
	    "蜀山区推进社区建设。\n\n"
	    "三是充分发挥社区党组织堡垒作用。蜀山区建立社区工作机制。\n\n"
	    "社区党委探索推行“三联共建”工作法，效果明显。\n");
	assert_int_equal(f->sum.repairs[IMPORT_REPAIR_HEADING], 0);
	fixture_free(f);
}

static void
test_headline_spellings(void **state)
{
	struct fixture *f = import_text(
	    /* Half-width colon, place without province. */
	    "成都市锦江区:党建引领社区发展治理\n"
	    "\n"
	    "■锦江区委书记 赵 刚\n"
	    "\n"
	    "锦江区把党建贯穿社区发展治理全过程。\n"
	    "\n"
	    /* A narrow column: place and title broken over lines. */
	    "江苏省南京\n"
	    "市鼓楼区：\n"
	    "小巷管家\n"
	    "守护美好家园\n"
	    "\n"
	    "■南京市鼓楼区委书记 周 红\n"
	    "\n"
	    "鼓楼区推行小巷管家制度。\n"
	    "\n"
	    /* No colon: the place, a space, the title; byline unmarked. */
	    "湖北省武汉市江汉区 下沉干部守护社区\n"
	    "\n"
	    "武汉市江汉区委书记 陈伟\n"
	    "\n"
	    "江汉区组织机关干部下沉社区。\n");

	(void)state;
	assert_int_equal(f->batch.count, 3);
	assert_article(&f->batch.items[0], "党建引领社区发展治理", "四川省",
	    "成都市", "锦江区", "赵刚", "锦江区委书记");
	assert_article(&f->batch.items[1], "小巷管家 守护美好家园",
	    "江苏省", "南京市", "鼓楼区", "周红", "南京市鼓楼区委书记");
	assert_int_equal(f->batch.items[1].source_line, 8);
	assert_article(&f->batch.items[2], "下沉干部守护社区", "湖北省",
	    "武汉市", "江汉区", "陈伟", "武汉市江汉区委书记");
	fixture_free(f);
}

static void
test_place_from_byline_and_sentence(void **state)
{
	struct fixture *f = import_text(
	    "编者按\n"
	    "\n"
	    "为交流经验，本报开设“社区治理笔谈”专栏，现刊发两篇文章。\n"
	    "\n"
	    "打造红色物业 建设美好家园\n"
	    "\n"
	    "西安市副市长、新城区委书记 刘 洋\n"
	    "\n"
	    "新城区推行红色物业。\n"
	    "\n"
	    "织密服务网络\n"
	    "\n"
	    "■宣传部部长 孙丽\n"
	    "\n"
	    "西安市碑林区织密服务网络，让群众办事更方便。\n");

	(void)state;
	assert_int_equal(f->batch.count, 3);
	assert_true(f->batch.items[0].note);
	assert_string_equal(f->batch.items[0].title, "编者按");
	assert_string_equal(f->batch.items[0].series, "社区治理笔谈");
	assert_opt_string(f->batch.items[0].province, "陕西省");
	assert_null(f->batch.items[0].district);
	/* 新城区 alone is ambiguous; the byline's 西安市 settles it. */
	assert_article(&f->batch.items[1], "打造红色物业 建设美好家园",
	    "陕西省", "西安市", "新城区", "刘洋", "西安市副市长、新城区委书记");
	assert_article(&f->batch.items[2], "织密服务网络", "陕西省",
	    "西安市", "碑林区", "孙丽", "宣传部部长");
	assert_string_equal(f->batch.items[1].series, "社区治理笔谈");
	assert_string_equal(f->batch.items[2].series, "社区治理笔谈");
	assert_false(f->batch.items[1].note);
	fixture_free(f);
}

static void
test_punctuation(void **state)
{
	struct fixture *f = import_text(
	    "山东省青岛市市南区：标题\n"
	    "\n"
	    "■青岛市市南区委书记 钱 进\n"
	    "\n"
	    "我们坚持三个原则:一是统筹,二是协同;三是共享(见附表)。\n"
	    "\n"
	    "投入1,000万元,于10:30召开会议,推行PPP(公私合营)模式,"
	    "英文名为Smart City (Shinan).\n");

	(void)state;
	assert_int_equal(f->batch.count, 1);
	assert_string_equal(f->batch.items[0].body,
	    "我们坚持三个原则：一是统筹，二是协同；三是共享（见附表）。\n\n"
	    "投入1,000万元，于10:30召开会议，推行PPP（公私合营）模式，"
	    "英文名为Smart City (Shinan).\n");
	assert_true(f->sum.repairs[IMPORT_REPAIR_PUNCTUATION] >= 2);
	fixture_free(f);
}

static void
test_spacing_and_nfc(void **state)
{
	/* U+F9B2 is a compatibility form of 零; NFC makes it U+96F6. */
	struct fixture *f = import_text(
	    "河北省石家庄市长安区：标题\n"
	    "\n"
	    "■石家庄市长安区委书记 吴 涛\n"
	    "\n"
	    "全区组建巡逻队 218 支，实现\xef\xa6\xb2距离服务。\n");

	(void)state;
	assert_int_equal(f->batch.count, 1);
	assert_string_equal(f->batch.items[0].body,
	    "全区组建巡逻队218支，实现零距离服务。\n");
	assert_int_equal(f->sum.repairs[IMPORT_REPAIR_NORMALIZE], 1);
	assert_int_equal(f->sum.repairs[IMPORT_REPAIR_SPACING], 1);
	fixture_free(f);
}

static void
test_duplicates(void **state)
{
	struct fixture *f = import_text(
	    "湖南省长沙市岳麓区：标题\n"
	    "\n"
	    "■长沙市岳麓区委书记 郑 东\n"
	    "\n"
	    "岳麓区推行网格化管理，全区划分八百个网格，每个网格配备一名专职网格员。\n"
	    "\n"
	    "岳麓区推行网格化管理，全区划分八百个网格，每个网格配备一名专职网格员。\n"
	    "\n"
	    /* Glued: the copy runs on into other text. */
	    "社区建立议事会，实行三级议事机制，由居民代表共同商议小区公共事务；"
	    "岳麓区推行网格化管理，全区划分八百个网格，每个网格配备一名专职网格员；"
	    "群众满意度显著提高。\n"
	    "\n"
	    /* Printed again side by side: X，X，X。 */
	    "实行街道社区片长负责制，街道社区片长负责制，街道社区片长负责制。\n");

	(void)state;
	assert_int_equal(f->batch.count, 1);
	assert_string_equal(f->batch.items[0].body,
	    "岳麓区推行网格化管理，全区划分八百个网格，每个网格配备一名专职网格员。\n\n"
	    "社区建立议事会，实行三级议事机制，由居民代表共同商议小区公共事务；"
	    "群众满意度显著提高。\n\n"
	    "实行街道社区片长负责制。\n");
	assert_int_equal(f->sum.repairs[IMPORT_REPAIR_DUPLICATE], 3);
	fixture_free(f);
}

static void
test_near_duplicate_stays_where_it_names(void **state)
{
	/* A passage printed under the wrong article first, with one name
	   changed, and again under its own. */
	struct fixture *f = import_text(
	    "贵州省贵阳市南明区：标题一\n"
	    "\n"
	    "■贵阳市南明区委书记 冯 亮\n"
	    "\n"
	    "南明区建设党群服务中心。\n"
	    "\n"
	    "云岩区委认为，城市基层党建是系统工程，云岩区按照四办一中心优化街道机构，推动街道把工作重心转到抓党建抓治理上来。\n"
	    "\n"
	    "贵州省贵阳市云岩区：标题二\n"
	    "\n"
	    "■贵阳市云岩区委书记 谢 平\n"
	    "\n"
	    "南明区委认为，城市基层党建是系统工程，云岩区按照四办一中心优化街道机构，推动街道把工作重心转到抓党建抓治理上来。\n");

	(void)state;
	assert_int_equal(f->batch.count, 2);
	assert_string_equal(f->batch.items[0].body,
	    "南明区建设党群服务中心。\n");
	assert_non_null(strstr(f->batch.items[1].body, "南明区委认为"));
	assert_true(reported(f, "in the article of the district it names"));
	fixture_free(f);
}

static void
test_body_moves_to_its_headline(void **state)
{
	struct fixture *f = import_text(
	    "辽宁省沈阳市和平区：\n"
	    "标题在前没有正文\n"
	    "\n"
	    "沈河区地处沈阳市中心。沈河区坚持党建引领，沈河区各街道成立大工委。\n"
	    "\n"
	    "辽宁省沈阳市沈河区：正文在前的标题\n"
	    "\n"
	    "■沈阳市沈河区委书记 韩 冰\n"
	    "\n"
	    "辽宁省沈阳市沈\n"
	    "河区：\n"
	    "正文在前的标题\n"
	    "沈阳市沈河区委\n"
	    "书记 韩 冰\n");

	(void)state;
	assert_int_equal(f->batch.count, 1);
	assert_article(&f->batch.items[0], "正文在前的标题", "辽宁省",
	    "沈阳市", "沈河区", "韩冰", "沈阳市沈河区委书记");
	/* It starts where its text was printed, above its headline. */
	assert_int_equal(f->batch.items[0].source_line, 4);
	assert_non_null(strstr(f->batch.items[0].body, "沈河区地处"));
	assert_true(reported(f, "has no text on the page; no article made"));
	assert_true(reported(f, "printed again at line 6"));
	assert_int_equal(f->sum.repairs[IMPORT_REPAIR_MISPLACED], 1);
	fixture_free(f);
}

static void
test_swapped_bodies(void **state)
{
	struct fixture *f = import_text(
	    "福建省厦门市思明区：标题甲\n"
	    "\n"
	    "■厦门市思明区委书记 林 一\n"
	    "\n"
	    "湖里区发展快。湖里区建设智慧社区。\n"
	    "\n"
	    "福建省厦门市湖里区：标题乙\n"
	    "\n"
	    "■厦门市湖里区委书记 林 二\n"
	    "\n"
	    "思明区是老城区。思明区推行红色物业。\n");

	(void)state;
	assert_int_equal(f->batch.count, 2);
	assert_string_equal(f->batch.items[0].district, "思明区");
	assert_non_null(strstr(f->batch.items[0].body, "思明区是老城区"));
	assert_string_equal(f->batch.items[1].district, "湖里区");
	assert_non_null(strstr(f->batch.items[1].body, "湖里区发展快"));
	fixture_free(f);
}

static void
test_heading_after_its_text(void **state)
{
	struct fixture *f = import_text(
	    "重庆市渝中区：标题\n"
	    "\n"
	    "■重庆市渝中区委书记 黄 河\n"
	    "\n"
	    "开篇一段。\n"
	    "\n"
	    "抓关键强轴心。激发治理新动能。街道党工委统筹辖区资源。\n"
	    "\n"
	    "抓关键强轴心 激发治理新动能\n"
	    "\n"
	    "抓机遇强合力。社区大党委发挥作用。\n");

	(void)state;
	assert_int_equal(f->batch.count, 1);
	assert_article(&f->batch.items[0], "标题", "重庆市", NULL, "渝中区",
	    "黄河", "重庆市渝中区委书记");
	assert_string_equal(f->batch.items[0].body,
	    "开篇一段。\n\n"
	    "## 抓关键强轴心 激发治理新动能\n\n"
	    "街道党工委统筹辖区资源。\n\n"
	    "抓机遇强合力。社区大党委发挥作用。\n");
	assert_int_equal(f->sum.repairs[IMPORT_REPAIR_MISPLACED], 1);
	fixture_free(f);
}

static void
test_unknown_zone_and_county(void **state)
{
	struct fixture *f = import_text(
	    "四川省成都市高新区：园区党建新探索\n"
	    "\n"
	    "■成都市高新区党工委书记 马 力\n"
	    "\n"
	    "高新区推进园区党建。\n"
	    "\n"
	    "新疆维吾尔自治区石河子市：兵团城市的社区治理\n"
	    "\n"
	    "■石河子市委书记 艾 山\n"
	    "\n"
	    "石河子市推进社区治理。\n");

	(void)state;
	assert_int_equal(f->batch.count, 2);
	assert_article(&f->batch.items[0], "园区党建新探索", "四川省",
	    "成都市", "高新区", "马力", "成都市高新区党工委书记");
	assert_true(reported(f, "\"高新区\" is not in the gazetteer"));
	/* A county-level city directly under the region: no city. */
	assert_article(&f->batch.items[1], "兵团城市的社区治理",
	    "新疆维吾尔自治区", NULL, "石河子市", "艾山", "石河子市委书记");
	fixture_free(f);
}

static void
test_unknown_province_is_an_error(void **state)
{
	struct import_batch b = IMPORT_BATCH_INIT;
	struct import_summary sum;
	struct diags d = DIAGS_INIT;
	static const char page[] =
	    "某某县：无处安放的文章\n\n■某某县委书记 张 三\n\n某某县的正文。\n";
	char *text;

	(void)state;
	memset(&sum, 0, sizeof(sum));
	assert_int_equal(import_page("t.txt", page, strlen(page), NULL, NULL,
	    &b, &d, &sum), 0);
	assert_int_equal(b.count, 0);
	assert_int_equal(d.errors, 1);
	text = diag_format(&d.items[d.count - 1]);
	assert_string_equal(text, "t.txt:1:1: error: no province for "
	    "\"无处安放的文章\"; name it in the headline");
	free(text);
	import_batch_free(&b);
	diags_free(&d);
}

static void
test_not_utf8_is_an_error(void **state)
{
	struct import_batch b = IMPORT_BATCH_INIT;
	struct import_summary sum;
	struct diags d = DIAGS_INIT;
	static const char bad[] = "第一行\n\xff\xfe坏的\n";
	char *text;

	(void)state;
	memset(&sum, 0, sizeof(sum));
	assert_int_equal(import_page("sources/bad.txt", bad, sizeof(bad) - 1,
	    NULL, NULL, &b, &d, &sum), -1);
	assert_int_equal(d.errors, 1);
	text = diag_format(&d.items[0]);
	assert_string_equal(text, "sources/bad.txt:2:1: error: not UTF-8 "
	    "text (byte 0xff); the page was not imported");
	free(text);
	assert_int_equal(b.count, 0);
	diags_free(&d);
}

static void
test_render_front_matter(void **state)
{
	struct import_article a;
	char *themes[] = { "grid", "yes" };
	char *bytes;
	size_t len;

	(void)state;
	memset(&a, 0, sizeof(a));
	a.title = "“候鸟恋红巢” 幸福在澄迈";
	a.province = "海南省";
	a.district = "澄迈县";
	a.author = "吉兆民";
	a.author_title = "澄迈县委书记";
	a.themes = themes;
	a.nthemes = 2;
	a.source_file = "002_5038cfc5f111f975.txt";
	a.source_line = 3;
	a.body = "正文。\n";
	bytes = import_render(&a, &len);
	assert_string_equal(bytes,
	    "---\n"
	    "title: “候鸟恋红巢” 幸福在澄迈\n"
	    "province: 海南省\n"
	    "city: null\n"
	    "district: 澄迈县\n"
	    "author: 吉兆民\n"
	    "author_title: 澄迈县委书记\n"
	    "themes: [grid, \"yes\"]\n"
	    "kind: article\n"
	    "source: {file: \"002_5038cfc5f111f975.txt\", line: 3}\n"
	    "draft: false\n"
	    "---\n"
	    "\n"
	    "正文。\n");
	assert_int_equal(len, strlen(bytes));
	free(bytes);

	/* A note; a title YAML would misread; a series. */
	a.note = true;
	a.title = "null";
	a.district = NULL;
	a.author = a.author_title = NULL;
	a.nthemes = 0;
	a.series = "某某: 论坛";
	bytes = import_render(&a, &len);
	assert_string_equal(bytes,
	    "---\n"
	    "title: \"null\"\n"
	    "province: 海南省\n"
	    "themes: []\n"
	    "kind: note\n"
	    "series: '某某: 论坛'\n"
	    "source: {file: \"002_5038cfc5f111f975.txt\", line: 3}\n"
	    "draft: false\n"
	    "---\n"
	    "\n"
	    "正文。\n");
	free(bytes);
}

static void
test_markdown_is_escaped(void **state)
{
	struct fixture *f = import_text(
	    "天津市和平区：标题\n"
	    "\n"
	    "■天津市和平区委书记 石 磊\n"
	    "\n"
	    "# 不是标题，*不是强调*，<b>不是标签</b>。\n"
	    "\n"
	    "1. 不是列表。\n");

	(void)state;
	assert_int_equal(f->batch.count, 1);
	assert_string_equal(f->batch.items[0].body,
	    "\\# 不是标题，\\*不是强调\\*，\\<b>不是标签\\</b>。\n\n"
	    "1\\. 不是列表。\n");
	fixture_free(f);
}

static void
test_stems(void **state)
{
	struct fixture *f = import_text(
	    "内蒙古自治区呼和浩特市新城区：一\n\n■呼和浩特市新城区委书记 甲 乙\n\n"
	    "新城区一。\n\n"
	    "内蒙古自治区呼和浩特市新城区：二\n\n■呼和浩特市新城区委书记 丙 丁\n\n"
	    "新城区二。\n\n"
	    "海南省澄迈县：三\n\n■澄迈县委书记 戊 己\n\n澄迈县三。\n");
	char dir[] = "/tmp/jiceng-stems.XXXXXX", *path;
	static const char manifest[] =
	    "# comment\n"
	    "0123456789abcdef 呼和浩特市新城区.md other.txt:9\n"
	    "0123456789abcdef 呼和浩特市新城区-3.md t.txt:7\n";
	/* Line 5 of the page starts no article now: its article moved. */
	static const char moved[] =
	    "0123456789abcdef 呼和浩特市新城区.md t.txt:5\n"
	    "0123456789abcdef 呼和浩特市新城区-2.md t.txt:13\n";

	(void)state;
	assert_int_equal(f->batch.count, 3);
	import_assign_stems(&f->batch, NULL);
	assert_string_equal(f->batch.items[0].stem, "呼和浩特市新城区");
	assert_string_equal(f->batch.items[1].stem, "呼和浩特市新城区-2");
	assert_string_equal(f->batch.items[2].stem, "海南省澄迈县");
	/* A manifest keeps stems: taken by another page, or this line's. */
	assert_non_null(mkdtemp(dir));
	path = fs_join(dir, "manifest");
	assert_int_equal(fs_write_atomic(path, manifest, strlen(manifest)), 0);
	import_assign_stems(&f->batch, path);
	assert_string_equal(f->batch.items[0].stem, "呼和浩特市新城区-2");
	assert_string_equal(f->batch.items[1].stem, "呼和浩特市新城区-3");
	/*
	 * A stem recorded for a line of the page no article starts on goes
	 * to an article of the page; one recorded for a line another
	 * article starts on does not.
	 */
	assert_int_equal(fs_write_atomic(path, moved, strlen(moved)), 0);
	import_assign_stems(&f->batch, path);
	assert_string_equal(f->batch.items[0].stem, "呼和浩特市新城区");
	assert_string_equal(f->batch.items[1].stem, "呼和浩特市新城区-3");
	fs_remove_tree(dir);
	free(path);
	fixture_free(f);
}

static void
test_themes(void **state)
{
	static const char yaml[] =
	    "- slug: grid\n"
	    "  name: 网格化管理\n"
	    "  description: 网格。\n"
	    "  keywords: [网格, 网格员]\n"
	    "- slug: covid\n"
	    "  name: 疫情防控\n"
	    "  description: 疫情。\n"
	    "  keywords: [疫情]\n"
	    "- slug: volunteer\n"
	    "  name: 志愿服务\n"
	    "  description: 志愿。\n"
	    "  keywords: [志愿]\n";
	static const char bad[] =
	    "- slug: Bad Slug\n  name: x\n  description: y\n  keywords: [z]\n";
	static const char page[] =
	    "浙江省宁波市海曙区：标题\n\n■宁波市海曙区委书记 应 勇\n\n"
	    "海曙区划分网格，配备网格员。\n\n"
	    "志愿服务暖民心\n\n"
	    "疫情期间，社区组织居民开展服务。\n";
	struct import_batch b = IMPORT_BATCH_INIT;
	struct import_summary sum;
	struct diags d = DIAGS_INIT;
	struct theme_list t;

	(void)state;
	memset(&sum, 0, sizeof(sum));
	assert_int_equal(themes_parse(&t, "themes.yaml", yaml, strlen(yaml),
	    &d), 0);
	assert_int_equal(import_page("t.txt", page, strlen(page), NULL, &t,
	    &b, &d, &sum), 0);
	assert_int_equal(b.count, 1);
	/* grid: two hits (网格员 counts once); covid: one passing mention;
	   volunteer: a hit in a heading. */
	assert_int_equal(b.items[0].nthemes, 2);
	assert_string_equal(b.items[0].themes[0], "grid");
	assert_string_equal(b.items[0].themes[1], "volunteer");
	import_batch_free(&b);
	themes_free(&t);
	assert_int_equal(themes_parse(&t, "themes.yaml", bad, strlen(bad), &d),
	    -1);
	themes_free(&t);
	assert_true(d.errors > 0);
	diags_free(&d);
}

/* The themes one page of body text gets under a small taxonomy. */
static char *
tag_page(const char *body)
{
	static const char yaml[] =
	    "- slug: red-property\n"
	    "  name: 红色物业\n"
	    "  description: 物业。\n"
	    "  keywords: [红色物业, 物业]\n"
	    "- slug: self-government\n"
	    "  name: 协商议事与居民自治\n"
	    "  description: 自治。\n"
	    "  keywords: [自治, 协商]\n"
	    "- slug: grid\n"
	    "  name: 网格化管理\n"
	    "  description: 网格。\n"
	    "  keywords: [网格]\n";
	struct import_batch b = IMPORT_BATCH_INIT;
	struct import_summary sum;
	struct diags d = DIAGS_INIT;
	struct theme_list t;
	struct buf page = BUF_INIT, out = BUF_INIT;
	size_t i, k;

	memset(&sum, 0, sizeof(sum));
	assert_int_equal(themes_parse(&t, "themes.yaml", yaml, strlen(yaml),
	    &d), 0);
	buf_puts(&page, "浙江省宁波市海曙区：标题\n\n■宁波市海曙区委书记 应 勇\n\n");
	buf_puts(&page, body);
	/* Long enough that two hits fall below the density. */
	for (i = 0; i < 30; i++)
		buf_puts(&page, "\n海曙区坚持把为民服务作为出发点和落脚点，持续用力，久久为功。\n");
	assert_int_equal(import_page("t.txt", page.data, page.len, NULL, &t,
	    &b, &d, &sum), 0);
	assert_int_equal(b.count, 1);
	for (k = 0; k < b.items[0].nthemes; k++)
		buf_printf(&out, "%s%s", k ? " " : "", b.items[0].themes[k]);
	import_batch_free(&b);
	themes_free(&t);
	buf_free(&page);
	diags_free(&d);
	return buf_detach(&out);
}

/*
 * One mention of a theme's own name is evidence; an article with no
 * evidence gets the theme with the most; 自治区 is a place, not 自治.
 */
static void
test_themes_strong(void **state)
{
	char *s;

	(void)state;
	s = tag_page("小区推行红色物业，网格员入户走访。\n");
	assert_string_equal(s, "red-property");
	free(s);
	s = tag_page("小区引入物业，网格员入户走访，网格长巡查。\n");
	assert_string_equal(s, "grid");
	free(s);
	s = tag_page("内蒙古自治区的小区引入物业。\n");
	assert_string_equal(s, "red-property");
	free(s);
	s = tag_page("内蒙古自治区的小区。\n");
	assert_string_equal(s, "");
	free(s);
}

/* Runs import_run on one page in a scratch site. */
static int
run(const char *site, const char *source, bool dry_run, bool force,
    struct import_summary *sum, struct diags *d, FILE *out)
{
	struct import_options opt = { .dry_run = dry_run, .force = force,
	    .site_dir = site };
	char *files[] = { (char *)source };

	memset(sum, 0, sizeof(*sum));
	return import_run(&opt, files, 1, out, d, sum);
}

static void
test_never_clobbers_edits(void **state)
{
	char dir[] = "/tmp/jiceng-import.XXXXXX", *source, *article,
	    *data = NULL;
	struct import_summary sum;
	struct diags d = DIAGS_INIT;
	FILE *out = tmpfile();
	size_t len;

	(void)state;
	assert_non_null(mkdtemp(dir));
	source = fs_join(dir, "page.txt");
	article = fs_join(dir, "content/articles/杭州市西湖区.md");
	assert_int_equal(fs_write_atomic(source, wrapped, strlen(wrapped)),
	    0);
	/* A dry run writes nothing. */
	assert_int_equal(run(dir, source, true, false, &sum, &d, out), 0);
	assert_int_equal(sum.written, 1);
	assert_false(fs_exists(article));
	assert_int_equal(run(dir, source, false, false, &sum, &d, out), 0);
	assert_int_equal(sum.written, 1);
	assert_true(fs_exists(article));
	assert_int_equal(run(dir, source, false, false, &sum, &d, out), 0);
	assert_int_equal(sum.unchanged, 1);
	assert_int_equal(sum.written, 0);
	/* An edit is kept and reported. */
	assert_int_equal(fs_write_atomic(article, "edited\n", 7), 0);
	assert_int_equal(run(dir, source, false, false, &sum, &d, out), 0);
	assert_int_equal(sum.conflicts, 1);
	assert_int_equal(fs_read(article, &data, &len), 0);
	assert_string_equal(data, "edited\n");
	free(data);
	data = NULL;
	/* A deleted article comes back; --force overwrites an edit. */
	assert_int_equal(run(dir, source, false, true, &sum, &d, out), 0);
	assert_int_equal(sum.written, 1);
	assert_int_equal(fs_read(article, &data, &len), 0);
	assert_non_null(strstr(data, "title: 数字赋能社区治理"));
	free(data);
	unlink(article);
	assert_int_equal(run(dir, source, false, false, &sum, &d, out), 0);
	assert_int_equal(sum.written, 1);
	fs_remove_tree(dir);
	free(source);
	free(article);
	fclose(out);
	diags_free(&d);
}

/* The folder holding content/sources: the working folder or above the
   test binary. */
static char *
find_top(const char *argv0)
{
	char *top = realpath(argv0, NULL), *slash, *probe;

	while (top != NULL && (slash = strrchr(top, '/')) != NULL) {
		*slash = '\0';
		probe = fs_join(top[0] ? top : "/", "content/sources");
		if (fs_exists(probe)) {
			free(probe);
			return top;
		}
		free(probe);
	}
	free(top);
	return strdup(".");
}

static char *top_dir;

struct seed {
	const char *stem;
	const char *title;
	const char *province;
	const char *city;
	const char *district;
	const char *author;
	const char *author_title;
	const char *series;
	unsigned line;
};

#define SERIES "城市基层党建书记、部长双论坛"
static const struct seed seeds[] = {
	{ "海口市美兰区", "党建引领强保障 扬帆起航自贸港", "海南省", "海口市",
	  "美兰区", "冯琳", "海口市人大常委会副主任、美兰区委书记", NULL, 3 },
	{ "呼和浩特市新城区", "草原新城美如画 党旗熠熠照初心", "内蒙古自治区",
	  "呼和浩特市", "新城区", "魏红军", "呼和浩特市新城区委书记", NULL, 51 },
	{ "池州市贵池区", "整街推进 整区提升 高标准加强城市基层党建", "安徽省",
	  "池州市", "贵池区", "高峰", "池州市贵池区委书记", NULL, 95 },
	{ "太原市晋源区", "强化党建引领 提升城市基层治理水平", "山西省",
	  "太原市", "晋源区", "李永强", "太原市晋源区委书记", NULL, 3 },
	{ "景德镇市珠山区", "“机制活”上做文章 夯实基层治理基础", "江西省",
	  "景德镇市", "珠山区", "林卫春", "景德镇市珠山区委书记", NULL, 33 },
	{ "通化市通化县", "“一体化”党建开创高质量发展新局面", "吉林省",
	  "通化市", "通化县", "孙继民", "通化县委书记", NULL, 55 },
	{ "海南省澄迈县", "“候鸟恋红巢” 幸福在澄迈", "海南省", NULL,
	  "澄迈县", "吉兆民", "澄迈县委书记", NULL, 3 },
	{ "长春市二道区", "党建引领保障老旧小区长效治理", "吉林省", "长春市",
	  "二道区", "吴相道", "长春市二道区委书记", NULL, 53 },
	{ "新乡市红旗区", "强化基层党组织引领 发挥群众自治力量", "河南省",
	  "新乡市", "红旗区", "郑援越", "新乡市红旗区委书记", NULL, 93 },
	{ "编者按-城市基层党建书记部长双论坛", "编者按", "内蒙古自治区", NULL,
	  NULL, NULL, NULL, SERIES, 3 },
	{ "呼和浩特市新城区-2", "推行一核四驱多元融合 探索党建引领城市基层治理新途径",
	  "内蒙古自治区", "呼和浩特市", "新城区", "云新明",
	  "呼和浩特市副市长、新城区委书记", SERIES, 7 },
	{ "包头市青山区", "做大做强四方区域集团 有效凝聚全域党建合力",
	  "内蒙古自治区", "包头市", "青山区", "郭文焱", "包头市委常委、宣传部部长",
	  SERIES, 15 },
	{ "赤峰市红山区", "共建共融 共治共享 开拓城市基层党建新路径",
	  "内蒙古自治区", "赤峰市", "红山区", "袁文英", "赤峰市委常委、红山区委书记",
	  SERIES, 23 },
	/* The byline's 开发区 is the city's one: 通辽经济技术开发区. */
	{ "通辽市通辽经济技术开发区", "以搭建特色载体为抓手 着力推动社会组织党建工作",
	  "内蒙古自治区", "通辽市", "通辽经济技术开发区", "王会阁",
	  "通辽市开发区党工委书记",
	  SERIES, 31 },
	{ "锡林郭勒盟二连浩特市", "弘扬蒙古马精神 创新推动国门党建",
	  "内蒙古自治区", "锡林郭勒盟", "二连浩特市", "娜仁塔娜",
	  "二连浩特市委常委、组织部部长", SERIES, 39 },
	{ "巴彦淖尔市临河区", "以四联四化为抓手 推动城市基层党建大合唱",
	  "内蒙古自治区", "巴彦淖尔市", "临河区", "周鹏程",
	  "巴彦淖尔市临河区委书记、组织部部长", SERIES, 47 },
	{ "巴彦淖尔市乌拉特中旗", "探索构建同向凝聚同轨运行同脉相连 城镇党建同心圆",
	  "内蒙古自治区", "巴彦淖尔市", "乌拉特中旗", "裴文武",
	  "巴彦淖尔市乌拉特中旗旗委常委、组织部部长", SERIES, 55 },
	{ "锡林郭勒盟镶黄旗", "聚焦小城镇大服务 让群众有更多获得感幸福感",
	  "内蒙古自治区", "锡林郭勒盟", "镶黄旗", "李秀江",
	  "锡林郭勒盟镶黄旗旗委常委、组织部部长", SERIES, 63 },
	{ "阿拉善盟阿拉善左旗", "党建引领 多元联动 枫桥经验的生动实践",
	  "内蒙古自治区", "阿拉善盟", "阿拉善左旗", "严枫",
	  "阿拉善盟阿拉善左旗旗委常委、组织部部长", SERIES, 71 },
	{ "海口市龙华区", "聚焦“四力”推动城市基层治理创新发展", "海南省",
	  "海口市", "龙华区", "凌云", "海口市人民政府副市长、海口市龙华区委书记",
	  NULL, 4 },
	{ "南平市建瓯市", "“双带双创”绘就城市高质量发展同心圆", "福建省",
	  "南平市", "建瓯市", "陈建新", "建瓯市委书记", NULL, 204 },
	{ "渭南市澄城县", "精细化做强做优县级城市基层党建", "陕西省", "渭南市",
	  "澄城县", "王万庆", "澄城县委书记", NULL, 405 },
};

static void
test_seed_pages(void **state)
{
	struct import_batch b = IMPORT_BATCH_INIT;
	struct import_summary sum;
	struct diags d = DIAGS_INIT;
	char **names, *dir, *path, *data;
	size_t count, i, len;
	const struct import_article *a;

	(void)state;
	memset(&sum, 0, sizeof(sum));
	dir = fs_join(top_dir, "content/sources");
	assert_int_equal(fs_list(dir, ".txt", &names, &count), 0);
	assert_int_equal(count, 5);
	for (i = 0; i < count; i++) {
		path = fs_join(dir, names[i]);
		assert_int_equal(fs_read(path, &data, &len), 0);
		assert_int_equal(import_page(path, data, len, NULL, NULL, &b, &d,
		    &sum), 0);
		free(data);
		free(path);
	}
	import_assign_stems(&b, NULL);
	assert_int_equal(b.count, sizeof(seeds) / sizeof(seeds[0]));
	for (i = 0; i < b.count; i++) {
		a = &b.items[i];
		assert_string_equal(a->stem, seeds[i].stem);
		assert_article(a, seeds[i].title, seeds[i].province,
		    seeds[i].city, seeds[i].district, seeds[i].author,
		    seeds[i].author_title);
		assert_opt_string(a->series, seeds[i].series);
		assert_int_equal(a->source_line, seeds[i].line);
		assert_int_equal(a->note, seeds[i].district == NULL);
		/* No wrap break, no ASCII punctuation in Chinese text. */
		assert_null(strstr(a->body, "，\n"));
		assert_null(strstr(a->body, "、\n"));
		assert_null(strpbrk(a->body, ",;()"));
	}
	/* The headline of 麒麟区 has no body of its own. */
	assert_int_equal(d.errors, 0);
	fs_names_free(names, count);
	free(dir);
	import_batch_free(&b);
	diags_free(&d);
}

/*
 * A passage printed twice, the stray copy first: under the heading it
 * does not belong to, glued to the orphan left of the text it covered.
 * The copy under its own heading stays, joined to the sentence it
 * begins; the orphan is marked as what is left of a lost sentence.
 */
static void
test_stray_copy_first(void **state)
{
	struct fixture *f = import_text(
	    "山东省青岛市市南区：议事协商聚民心\n"
	    "\n"
	    "■青岛市市南区委书记 钱进\n"
	    "\n"
	    "市南区坚持党建引领，推动小区治理。\n"
	    "\n"
	    "加强党员教育培训\n"
	    "\n"
	    "市南区每年轮训党员干部，依托区委党校开设专题班，提升干部本领。\n"
	    "\n"
	    "完善议事规则。居民议事会每月召开一次，议题由居民提出，党支部"
	    "把关，物业和业委会列席，形成了提议、商议、决议的闭环，在此过程中，\n"
	    "\n"
	    "培养了一批骨干。\n"
	    "\n"
	    "激发居民议事活力\n"
	    "\n"
	    "居民议事要靠群众，议事协商要有平台，居民议事会是群众议事的平台。\n"
	    "\n"
	    "完善议事规则。居民议事会每月召开一次，议题由居民提出，党支部"
	    "把关，物业和业委会列席，形成了提议、商议、决议的闭环，在此过程中，\n"
	    "\n"
	    "居民议事会议定了停车、垃圾分类等事项，居民议事活力明显增强。\n");
	const char *body, *first;

	(void)state;
	assert_int_equal(f->batch.count, 1);
	body = f->batch.items[0].body;
	assert_non_null(strstr(body, "提升干部本领。\n\n〔原文缺〕培养了一批骨干。"
	    "\n\n## 激发居民议事活力"));
	assert_non_null(strstr(body, "在此过程中，居民议事会议定了停车"));
	first = strstr(body, "完善议事规则");
	assert_non_null(first);
	assert_null(strstr(first + 1, "完善议事规则"));
	assert_true(reported(f, "which the text after it goes on from"));
	assert_int_equal(f->sum.repairs[IMPORT_REPAIR_GAP], 1);
	fixture_free(f);
}

/*
 * The sections of a page on which a passage is printed twice, for the
 * copy tests below: the real copy goes on into its sentence; the stray
 * covered the start of another, of which a short orphan is left.
 */
static const char copy_head[] =
    "浙江省杭州市拱墅区：网格连心促治理\n"
    "\n"
    "■杭州市拱墅区委书记 陈刚\n"
    "\n"
    "拱墅区以网格为单元，推动治理重心下移。\n"
    "\n";
#define COPY_PASSAGE "健全网格运行机制。每个网格配备一名专职网格员和若干兼职" \
    "网格员，网格党小组统筹网格事务，定期研判网格内的矛盾风险，在此基础上，"
static const char copy_real[] =
    "壮大网格力量\n"
    "\n"
    "拱墅区发动退休党员和志愿者加入服务队伍，壮大基层力量。\n"
    "\n"
    COPY_PASSAGE "\n"
    "\n"
    "我们建立了网格事项清单，做到小事不出网格、大事不出社区。\n"
    "\n";
/* The stray's section speaks the passage's words (网格, 党小组 …). */
static const char copy_stray_near[] =
    "做实网格服务\n"
    "\n"
    "网格员每天走访网格，收集居民诉求，网格事务由网格党小组统筹，"
    "矛盾风险由网格员定期研判，办理结果向居民反馈。\n"
    "\n"
    COPY_PASSAGE "\n"
    "\n"
    "连心的网格队伍。\n"
    "\n";
/* The stray's section is on another topic. */
static const char copy_stray_far[] =
    "建设红色物业\n"
    "\n"
    "拱墅区推动物业企业成立党组织，把物业服务纳入社区治理。\n"
    "\n"
    COPY_PASSAGE "\n"
    "\n"
    "连心的网格队伍。\n"
    "\n";

/* Imports the page copy_head, first, second; checks the copy kept. */
static void
assert_copy_kept(const char *first, const char *second)
{
	struct buf page = BUF_INIT;
	struct fixture *f;
	const char *body, *copy;

	buf_puts(&page, copy_head);
	buf_puts(&page, first);
	buf_puts(&page, second);
	f = import_text(page.data);
	assert_int_equal(f->batch.count, 1);
	body = f->batch.items[0].body;
	assert_non_null(strstr(body, "在此基础上，我们建立了网格事项清单"));
	assert_non_null(strstr(body, "\n\n〔原文缺〕连心的网格队伍。\n"));
	copy = strstr(body, "健全网格运行机制");
	assert_non_null(copy);
	assert_null(strstr(copy + 1, "健全网格运行机制"));
	assert_true(reported(f, "which the text after it goes on from"));
	assert_int_equal(f->sum.repairs[IMPORT_REPAIR_DUPLICATE], 1);
	assert_int_equal(f->sum.repairs[IMPORT_REPAIR_GAP], 1);
	fixture_free(f);
	buf_free(&page);
}

/*
 * Which copy stays follows the sentence, not the order of the copies
 * nor the words of their sections: stray first or second, in a section
 * on the passage's topic or on another.
 */
static void
test_copy_the_sentence_goes_on_from(void **state)
{
	(void)state;
	assert_copy_kept(copy_stray_near, copy_real);
	assert_copy_kept(copy_real, copy_stray_near);
	assert_copy_kept(copy_stray_far, copy_real);
	assert_copy_kept(copy_real, copy_stray_far);
}

/*
 * A copy that closes its sentence leaves the choice to the district the
 * passage names and to its section: the page end after the copy under
 * its own heading takes nothing from it.
 */
static void
test_closed_copy_follows_its_section(void **state)
{
	struct fixture *f = import_text(
	    "浙江省杭州市拱墅区：网格连心促治理\n"
	    "\n"
	    "■杭州市拱墅区委书记 陈刚\n"
	    "\n"
	    "做实网格服务\n"
	    "\n"
	    "网格员每天走访网格，收集居民诉求，网格事务由网格党小组统筹。\n"
	    "\n"
	    "建设红色物业\n"
	    "\n"
	    "拱墅区推动物业企业成立党组织，把物业服务纳入社区治理。\n"
	    "\n"
	    "每个网格配备一名专职网格员，网格党小组统筹网格事务，定期研判网格"
	    "内的矛盾风险。\n"
	    "\n"
	    "物业服务质量由居民评议。\n"
	    "\n"
	    "壮大网格力量\n"
	    "\n"
	    "网格员走访网格，收集居民诉求。\n"
	    "\n"
	    "每个网格配备一名专职网格员，网格党小组统筹网格事务，定期研判网格"
	    "内的矛盾风险。\n");
	const char *body;

	(void)state;
	body = f->batch.items[0].body;
	assert_non_null(strstr(body, "收集居民诉求。\n\n每个网格配备"));
	assert_null(strstr(body, "纳入社区治理。\n\n每个网格配备"));
	assert_true(reported(f, "under the heading it belongs to"));
	assert_int_equal(f->sum.repairs[IMPORT_REPAIR_GAP], 0);
	fixture_free(f);
}

/* A copy of earlier text printed over the page's own: the gap it leaves. */
static void
test_glued_copy_leaves_a_gap(void **state)
{
	struct fixture *f = import_text(
	    "广东省广州市越秀区：老城新治理\n"
	    "\n"
	    "■广州市越秀区委书记 王强\n"
	    "\n"
	    "越秀区以老旧小区改造为抓手，统筹街道社区、驻区单位、业主委员会和"
	    "物业服务企业的力量，推动老城区共建共治共享。\n"
	    "\n"
	    "我们紧紧围绕统筹街道社区、驻区单位、业主委员会和物业服务企业的力"
	    "量，推动老城区共建共治共享；北京街道积极协调驻区单位，加快改造进"
	    "度。\n");
	const char *body;

	(void)state;
	assert_int_equal(f->batch.count, 1);
	body = f->batch.items[0].body;
	assert_non_null(strstr(body, "我们紧紧围绕〔原文缺〕；北京街道积极协调"));
	assert_true(reported(f, "a passage printed twice covered it"));
	fixture_free(f);
}

/*
 * The page runs out, and paragraphs open where lost ones ended: with a
 * word's tail, which is marked, and with a short clause no connective,
 * which is only warned of (a connective the list lacks opens so too).
 */
static void
test_page_end_and_mid_clause(void **state)
{
	struct fixture *f = import_text(
	    "四川省成都市武侯区：一核多元\n"
	    "\n"
	    "■成都市武侯区委书记 李华\n"
	    "\n"
	    "武侯区注重发挥党建在抓服务、抓治理中的引领作用。\n"
	    "\n"
	    "下沉，强化机制驱动，将执法人员下沉到街道一线。\n"
	    "\n"
	    "力开展品牌活动，打造一批服务品牌。目前，\n"
	    "\n"
	    "全区建成服务站20个。今年\n");
	const char *body;

	(void)state;
	assert_int_equal(f->batch.count, 1);
	body = f->batch.items[0].body;
	assert_non_null(strstr(body, "\n\n下沉，强化机制驱动"));
	assert_true(reported(f, "the paragraph may open inside a clause "
	    "(\"下沉\" is no connective); if the page lost text before it, "
	    "record the gap in t.yaml"));
	assert_non_null(strstr(body, "\n\n〔原文缺〕力开展品牌活动"));
	/* Joined across the blank line: the sentence went on. */
	assert_non_null(strstr(body, "目前，全区建成服务站20个。今年〔原文缺〕\n"));
	assert_true(reported(f, "the page stops mid-sentence"));
	assert_int_equal(f->sum.repairs[IMPORT_REPAIR_GAP], 2);
	assert_int_equal(f->sum.warnings, 3);
	fixture_free(f);
}

/* A page with two losses no rule finds; an editor found them. */
static const char undecided[] =
    "广东省深圳市福田区：党建引领小区治理\n"
    "\n"
    "■深圳市福田区委书记 黄敏\n"
    "\n"
    "福田区推动党组织覆盖每个小区。\n"
    "\n"
    "到一线解决问题、到基层服务群众。目前，全区建成党群服务站50个。\n"
    "\n"
    "下沉，强化机制驱动，将执法人员编入网格。\n"
    "\n"
    "社区党委组织物业、业委会，出三个清单，推动问题解决。\n";

static void
test_decided_gaps(void **state)
{
	struct source_gap gaps[] = {
		{ 7, "到一线解决问题", NULL, "句首疑有脱文", 2, 3 },
		{ 9, "下沉", NULL, NULL, 5, 3 },
		{ 11, NULL, "业委会，", NULL, 7, 3 },
	};
	struct import_decisions dec = { "sources/t.yaml", gaps, 3 };
	struct fixture *f = import_decided(undecided, &dec, 0);
	const struct import_article *a;
	size_t i;
	bool noted = false;

	(void)state;
	assert_int_equal(f->batch.count, 1);
	a = &f->batch.items[0];
	assert_string_equal(a->body,
	    "福田区推动党组织覆盖每个小区。\n\n"
	    "〔原文缺〕到一线解决问题、到基层服务群众。目前，全区建成党群服务站"
	    "50个。\n\n"
	    "〔原文缺〕下沉，强化机制驱动，将执法人员编入网格。\n\n"
	    "社区党委组织物业、业委会，〔原文缺〕出三个清单，推动问题解决。\n");
	assert_int_equal(f->sum.repairs[IMPORT_REPAIR_GAP], 3);
	/* Decided: nothing is left for a human to look at. */
	assert_int_equal(f->sum.warnings, 0);
	assert_true(reported(f, "marked the gap recorded at sources/t.yaml:2"));
	for (i = 0; i < f->d.count; i++)
		if (strstr(f->d.items[i].message, "t.yaml:7") != NULL) {
			assert_int_equal(f->d.items[i].line, 11);
			assert_int_equal(f->d.items[i].col, 14);
		}
	for (i = 0; i < a->nnotes; i++)
		noted |= a->notes[i].line == 7 && strcmp(a->notes[i].text,
		    "原文此处缺失（句首疑有脱文），标作〔原文缺〕") == 0;
	assert_true(noted);
	for (i = 0; i < a->nnotes; i++)
		noted &= a->notes[i].line != 9 || strcmp(a->notes[i].text,
		    "原文此处缺失（据编者校读），标作〔原文缺〕") == 0;
	assert_true(noted);
	fixture_free(f);
}

/*
 * A decision whose text is not on its line is an error at its entry,
 * and the page gives no article, so none is written without the mark.
 */
static void
test_decided_gap_not_found(void **state)
{
	struct source_gap gaps[] = {
		{ 7, "到一线解决问题", NULL, NULL, 2, 3 },
		/* On the page, but on line 7, not 9. */
		{ 9, NULL, "目前，", NULL, 4, 5 },
	};
	struct import_decisions dec = { "sources/t.yaml", gaps, 2 };
	struct fixture *f = import_decided(undecided, &dec, -1);
	char *text;
	size_t i;

	(void)state;
	assert_int_equal(f->batch.count, 0);
	assert_int_equal(f->sum.articles, 0);
	assert_int_equal(f->sum.repairs[IMPORT_REPAIR_GAP], 0);
	assert_int_equal(f->d.errors, 1);
	for (i = 0; f->d.items[i].level != DIAG_ERROR; i++)
		;
	text = diag_format(&f->d.items[i]);
	assert_string_equal(text, "sources/t.yaml:4:5: error: gap: "
	    "\"目前，\" is not on line 9 of t.txt");
	free(text);
	fixture_free(f);
}

/* A paragraph opened by a connective is a sentence, not a fragment. */
static void
test_connectives_open_sentences(void **state)
{
	struct fixture *f = import_text(
	    "山东省青岛市市南区：议事协商聚民心\n"
	    "\n"
	    "■青岛市市南区委书记 钱进\n"
	    "\n"
	    "市南区坚持党建引领，推动小区治理。\n"
	    "\n"
	    "再者，市南区推行网格化管理，每个网格配备网格员。\n"
	    "\n"
	    "那么，如何让居民参与进来？\n"
	    "\n"
	    "期间，各社区共召开议事会120场。\n"
	    "\n"
	    "综上，党建引领是推动小区治理的关键。\n");

	(void)state;
	assert_int_equal(f->batch.count, 1);
	assert_null(strstr(f->batch.items[0].body, "〔原文缺〕"));
	assert_int_equal(f->sum.repairs[IMPORT_REPAIR_GAP], 0);
	assert_int_equal(f->sum.warnings, 0);
	fixture_free(f);
}

/* Characters and words a simplified Chinese text should not hold. */
static void
test_traditional_and_latin(void **state)
{
	struct fixture *f = import_text(
	    "湖北省武汉市江岸区：社区书记\n"
	    "\n"
	    "■武汉市江岸区委书记 赵敏\n"
	    "\n"
	    "旗委書記抓统筹，强化街道带动作用 and 统筹协调功能，推广便民APP。\n");
	size_t i;
	bool noted = false;

	(void)state;
	assert_int_equal(f->batch.count, 1);
	assert_string_equal(f->batch.items[0].body,
	    "旗委书记抓统筹，强化街道带动作用和统筹协调功能，推广便民APP。\n");
	assert_int_equal(f->sum.repairs[IMPORT_REPAIR_CONVERT], 1);
	assert_int_equal(f->sum.repairs[IMPORT_REPAIR_LATIN], 1);
	for (i = 0; i < f->batch.items[0].nnotes; i++)
		noted |= strcmp(f->batch.items[0].notes[i].text,
		    "繁体字“書記”改为简体“书记”") == 0 &&
		    f->batch.items[0].notes[i].line == 5;
	assert_true(noted);
	fixture_free(f);
}

/* A headline printed again with other words is reported, the first kept. */
static void
test_headline_variant(void **state)
{
	struct fixture *f = import_text(
	    "江苏省苏州市姑苏区：\n"
	    "古城保护与基层治理\n"
	    "\n"
	    "■苏州市姑苏区委书记 周平\n"
	    "\n"
	    "姑苏区把党建引领贯穿古城保护全过程，姑苏区各街道协同推进。\n"
	    "\n"
	    "江苏省苏州市姑苏区：\n"
	    "党建引领 古城保护与基层治理\n"
	    "\n"
	    "■苏州市副市长、姑苏区委书记 周平\n");

	(void)state;
	assert_int_equal(f->batch.count, 1);
	assert_string_equal(f->batch.items[0].title, "古城保护与基层治理");
	assert_int_equal(f->sum.repairs[IMPORT_REPAIR_VARIANT], 2);
	assert_true(reported(f, "the headline printed again reads "
	    "\"党建引领 古城保护与基层治理\""));
	fixture_free(f);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wrap_joins_column_lines),
		cmocka_unit_test(test_headings),
		cmocka_unit_test(test_line_cut_is_not_a_heading),
		cmocka_unit_test(test_headline_spellings),
		cmocka_unit_test(test_place_from_byline_and_sentence),
		cmocka_unit_test(test_punctuation),
		cmocka_unit_test(test_spacing_and_nfc),
		cmocka_unit_test(test_duplicates),
		cmocka_unit_test(test_near_duplicate_stays_where_it_names),
		cmocka_unit_test(test_body_moves_to_its_headline),
		cmocka_unit_test(test_swapped_bodies),
		cmocka_unit_test(test_heading_after_its_text),
		cmocka_unit_test(test_unknown_zone_and_county),
		cmocka_unit_test(test_unknown_province_is_an_error),
		cmocka_unit_test(test_not_utf8_is_an_error),
		cmocka_unit_test(test_render_front_matter),
		cmocka_unit_test(test_markdown_is_escaped),
		cmocka_unit_test(test_stems),
		cmocka_unit_test(test_themes),
		cmocka_unit_test(test_themes_strong),
		cmocka_unit_test(test_never_clobbers_edits),
		cmocka_unit_test(test_seed_pages),
		cmocka_unit_test(test_stray_copy_first),
		cmocka_unit_test(test_copy_the_sentence_goes_on_from),
		cmocka_unit_test(test_closed_copy_follows_its_section),
		cmocka_unit_test(test_glued_copy_leaves_a_gap),
		cmocka_unit_test(test_page_end_and_mid_clause),
		cmocka_unit_test(test_connectives_open_sentences),
		cmocka_unit_test(test_decided_gaps),
		cmocka_unit_test(test_decided_gap_not_found),
		cmocka_unit_test(test_traditional_and_latin),
		cmocka_unit_test(test_headline_variant),
	};
	int rc;

	(void)argc;
	top_dir = find_top(argv[0]);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	free(top_dir);
	return rc;
}
