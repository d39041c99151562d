/*
 * An article's record: every field written is read back, a damaged or
 * cut record gives no article, and a record is kept as it is only while
 * it still describes its article.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../generator/load/article_record.h"
#include "../../generator/util/xalloc.h"

#define PATH	"content/articles/阿拉善左旗.md"
#define FSPATH	"/srv/site/" PATH

static const char text[] =
    "---\n"
    "title: 党建引领 多元联动\n"
    "province: 内蒙古自治区\n"
    "city: 阿拉善盟\n"
    "district: 阿拉善左旗\n"
    "author: 严枫\n"
    "author_title: 旗委常委、组织部部长\n"
    "themes: [grid, new-organisations]\n"
    "kind: note\n"
    "series: 双论坛\n"
    "source: {file: 003.txt, line: 71}\n"
    "date: 2020-07-01\n"
    "slug: alashan\n"
    "collation:\n"
    "- note: 半角标点改为全角 2 处。\n"
    "- line: 75\n"
    "  note: 删去重复印出的一句\n"
    "accept: [\"latin: 1+8+N\"]\n"
    "draft: true\n"
    "---\n"
    "\n"
    "正文。\n";

/* The article of text, read from FSPATH, with a digest. */
static struct article *
parsed(void)
{
	struct diags d = DIAGS_INIT;
	struct article *a = article_parse(PATH, text, strlen(text), &d);
	struct article_digest *g;

	assert_non_null(a);
	assert_int_equal(d.errors, 0);
	diags_free(&d);
	a->fspath = xstrdup(FSPATH);
	a->stamp = (struct article_stamp){ 120, 1000, 1001, 42 };
	g = a->digest = xcalloc(1, sizeof(*g));
	g->themes_hash = 0x1234;
	g->summary = xstrdup("正文。");
	g->npassages = 2;
	g->passages = xcalloc(2, sizeof(*g->passages));
	g->passages[0].text = xstrdup("网格员走街入户");
	g->passages[0].mark_off = 0;
	g->passages[0].mark_len = 6;
	g->nterms = 2;
	g->term_keys[0] = 7;
	g->term_weights[0] = 0.5f;
	g->term_keys[1] = 9;
	g->term_weights[1] = 0.25f;
	return a;
}

static void
same_string(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		assert_ptr_equal(a, b);
	else
		assert_string_equal(a, b);
}

/* Every field but the text and the record's own. */
static void
same_article(const struct article *a, const struct article *b)
{
	const char *const sa[] = { a->stem, a->title, a->province, a->city,
	    a->district, a->author, a->author_title, a->series,
	    a->source_file, a->date, a->slug };
	const char *const sb[] = { b->stem, b->title, b->province, b->city,
	    b->district, b->author, b->author_title, b->series,
	    b->source_file, b->date, b->slug };
	size_t i;

	assert_string_equal(a->path, b->path);
	assert_memory_equal(&a->stamp, &b->stamp, sizeof(a->stamp));
	assert_int_equal(a->hash, b->hash);
	for (i = 0; i < sizeof(sa) / sizeof(sa[0]); i++)
		same_string(sa[i], sb[i]);
	assert_int_equal(a->nthemes, b->nthemes);
	for (i = 0; i < a->nthemes; i++) {
		assert_string_equal(a->themes[i], b->themes[i]);
		assert_int_equal(a->theme_lines[i], b->theme_lines[i]);
		assert_int_equal(a->theme_cols[i], b->theme_cols[i]);
	}
	assert_int_equal(a->kind, b->kind);
	assert_int_equal(a->source_line, b->source_line);
	assert_int_equal(a->slug_line, b->slug_line);
	assert_int_equal(a->draft, b->draft);
	assert_int_equal(a->nnotes, b->nnotes);
	for (i = 0; i < a->nnotes; i++) {
		assert_int_equal(a->notes[i].line, b->notes[i].line);
		assert_string_equal(a->notes[i].text, b->notes[i].text);
	}
	assert_int_equal(a->naccept, b->naccept);
	for (i = 0; i < a->naccept; i++)
		assert_string_equal(a->accept[i], b->accept[i]);
	assert_int_equal(a->body_line, b->body_line);
}

static void
same_digest(const struct article_digest *a, const struct article_digest *b)
{
	size_t i;

	assert_int_equal(a->themes_hash, b->themes_hash);
	assert_string_equal(a->summary, b->summary);
	assert_int_equal(a->npassages, b->npassages);
	for (i = 0; i < a->npassages; i++) {
		same_string(a->passages[i].text, b->passages[i].text);
		assert_int_equal(a->passages[i].mark_off,
		    b->passages[i].mark_off);
		assert_int_equal(a->passages[i].mark_len,
		    b->passages[i].mark_len);
	}
	assert_int_equal(a->nterms, b->nterms);
	for (i = 0; i < a->nterms; i++) {
		assert_int_equal(a->term_keys[i], b->term_keys[i]);
		assert_true(a->term_weights[i] == b->term_weights[i]);
	}
}

static void
test_round_trip(void **state)
{
	struct article *a = parsed(), *b;
	struct buf rec = BUF_INIT;
	struct article_stamp st;
	size_t len;

	(void)state;
	/* The parse set what the record must carry: a test of the test. */
	assert_int_equal(a->kind, ARTICLE_KIND_NOTE);
	assert_int_equal(a->nnotes, 2);
	assert_int_equal(a->naccept, 1);
	assert_true(a->draft);
	article_encode(&rec, a);
	assert_string_equal(article_peek(rec.data, rec.len, &st), PATH);
	assert_memory_equal(&st, &a->stamp, sizeof(st));
	b = article_decode(rec.data, rec.len, FSPATH);
	assert_non_null(b);
	same_article(a, b);
	same_digest(a->digest, b->digest);
	assert_string_equal(b->fspath, FSPATH);
	assert_null(b->text);
	/* Nothing changed: the record itself is what to keep. */
	assert_ptr_equal(article_record(b, &len), rec.data);
	assert_int_equal(len, rec.len);
	assert_null(article_record(a, &len));
	article_free(b);
	article_free(a);
	buf_free(&rec);
}

/*
 * The site reached by another path than when it was recorded: the record
 * holds, and the body is to be read from where it is now.
 */
static void
test_moved_site(void **state)
{
	struct article *a = parsed(), *b;
	struct buf rec = BUF_INIT;

	(void)state;
	article_encode(&rec, a);
	b = article_decode(rec.data, rec.len, "./" PATH);
	assert_non_null(b);
	assert_string_equal(b->fspath, "./" PATH);
	assert_string_equal(b->title, a->title);
	article_free(b);
	article_free(a);
	buf_free(&rec);
}

/* A digest made again is not the record's: the record is not kept. */
static void
test_digest_made_again(void **state)
{
	struct article *a = parsed(), *b;
	struct buf rec = BUF_INIT;
	size_t len;

	(void)state;
	article_encode(&rec, a);
	b = article_decode(rec.data, rec.len, FSPATH);
	assert_non_null(b);
	article_digest_free(b->digest);
	b->digest = xcalloc(1, sizeof(*b->digest));
	b->digest->summary = xstrdup("另一个摘要。");
	assert_null(article_record(b, &len));
	article_free(b);
	article_free(a);
	buf_free(&rec);
}

/* Every cut of a record, and every byte of it changed, is safe to read. */
static void
test_damaged(void **state)
{
	struct article *a = parsed(), *b;
	struct buf rec = BUF_INIT;
	unsigned char *copy;
	struct article_stamp st;
	size_t cut, i;

	(void)state;
	article_encode(&rec, a);
	for (cut = 0; cut < rec.len; cut++) {
		copy = xmalloc(cut + 1);
		memcpy(copy, rec.data, cut);
		assert_null(article_decode(copy, cut, FSPATH));
		if (cut < strlen(PATH) + 5 + 32)
			assert_null(article_peek(copy, cut, &st));
		free(copy);
	}
	copy = xmalloc(rec.len);
	for (i = 0; i < rec.len; i++) {
		memcpy(copy, rec.data, rec.len);
		copy[i] ^= 0xFF;
		b = article_decode(copy, rec.len, FSPATH);
		if (b != NULL)
			assert_non_null(b->title);
		article_free(b);
	}
	free(copy);
	article_free(a);
	buf_free(&rec);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_moved_site),
		cmocka_unit_test(test_digest_made_again),
		cmocka_unit_test(test_damaged),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
