/*
 * The search index: files, terms (pairs, characters, words), fields,
 * articles' text, filters and determinism, read back with a small
 * decoder of the formats described in generator/render/search.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>

#include "../../generator/model/site.h"
#include "../../generator/render/search.h"
#include "../../generator/util/buf.h"
#include "../../generator/util/utf8.h"
#include "../../generator/util/xalloc.h"

struct fixture {
	struct article **articles;
	size_t	 n;
	struct diags d;
};

static void
add(struct fixture *f, const char *name, const char *front, const char *body)
{
	char *path = xasprintf("content/articles/%s.md", name);
	char *text = xasprintf("---\n%s---\n%s", front, body);
	struct article *a = article_parse(path, text, strlen(text), &f->d);

	assert_non_null(a);
	f->articles = xreallocarray(f->articles, f->n + 1, sizeof(*a));
	f->articles[f->n++] = a;
	free(path);
	free(text);
}

static struct site *
build(struct fixture *f)
{
	struct site_config c = { 0 };
	struct theme_list t = { 0 };
	static const char *const slugs[] = { "grid", "red-property" };
	size_t i;
	struct site *s;

	c.title = xstrdup("t");
	c.base_url = xstrdup("https://x.org");
	c.language = xstrdup("zh-CN");
	c.description = xstrdup("");
	c.published = xstrdup("2020-07-01");
	t.count = 2;
	t.items = xcalloc(2, sizeof(*t.items));
	for (i = 0; i < 2; i++) {
		t.items[i].slug = xstrdup(slugs[i]);
		t.items[i].name = xstrdup(slugs[i]);
		t.items[i].description = xstrdup("");
		t.items[i].keywords = xcalloc(1, sizeof(char *));
		t.items[i].keywords[0] = xstrdup("网格");
		t.items[i].nkeywords = 1;
	}
	s = site_build(&c, &t, f->articles, f->n, 1, &f->d);
	assert_non_null(s);
	/* The site owns the array now. */
	f->articles = NULL;
	return s;
}

/* Three articles: 广东 sorts before 海南, 三亚 before 海口. */
static struct site *
small_site(struct fixture *f)
{
	add(f, "meilan", "title: 网格化管理见实效\nprovince: 海南省\n"
	    "city: 海口市\ndistrict: 美兰区\nauthor: 冯琳\n"
	    "author_title: 美兰区委书记\nthemes: [grid]\n",
	    "## 小标题\n\n我们推行**社区**治理，开通12345热线和５Ｇ网络，\n"
	    "第二行接着写。\n\n- 列表一项\n- [链接](http://x.org/a_b)文字\n");
	add(f, "nanshan", "title: 红色物业\nprovince: 广东省\n"
	    "city: 深圳市\ndistrict: 南山区\nthemes: [red-property, grid]\n",
	    "社区物业服务。\n");
	add(f, "jiyang", "title: 候鸟人才\nprovince: 海南省\ncity: 三亚市\n"
	    "district: 吉阳区\n", "APP上线，abc-DEF。\n\n"
	    "原始 <script>alert(1)</script> 标签，1 < 2。\n");
	return build(f);
}

static size_t
article_id(const struct site *s, const char *stem)
{
	size_t i;

	for (i = 0; i < s->narticles; i++)
		if (strcmp(s->articles[i].src->stem, stem) == 0)
			return i;
	fail_msg("no article %s", stem);
	return 0;
}

static const struct search_file *
find_file(const struct search_files *f, const char *path)
{
	size_t i;

	for (i = 0; i < f->count; i++)
		if (strcmp(f->items[i].path, path) == 0)
			return &f->items[i];
	return NULL;
}

/* The decoder. */

struct reader {
	const unsigned char *p;
	size_t	 len, pos;
};

static uint64_t
read_varint(struct reader *r)
{
	uint64_t v = 0;
	unsigned shift = 0;
	unsigned char c;

	do {
		assert_true(r->pos < r->len);
		c = r->p[r->pos++];
		v |= (uint64_t)(c & 0x7F) << shift;
		shift += 7;
	} while (c & 0x80);
	return v;
}

static unsigned
read_bit(struct reader *r, size_t *bit)
{
	assert_true(*bit / 8 < r->len);
	return (r->p[*bit / 8] >> (*bit % 8)) & 1;
}

/* Reads a set; returns its count and the numbers in *out (caller frees). */
static size_t
read_set(struct reader *r, uint32_t universe, uint32_t **out)
{
	size_t n = read_varint(r), i, bit;
	uint32_t v, q, low, k, x;
	int mode;

	*out = xcalloc(n ? n : 1, sizeof(**out));
	if (n == 0)
		return 0;
	mode = r->p[r->pos++];
	if (mode == 0) {
		for (v = 0, i = 0; v < universe; v++)
			if ((r->p[r->pos + v / 8] >> (v % 8)) & 1)
				(*out)[i++] = v;
		assert_int_equal(i, n);
		r->pos += (universe + 7) / 8;
		return n;
	}
	k = (uint32_t)mode - 1;
	bit = r->pos * 8;
	for (v = 0, i = 0; i < n; i++) {
		for (q = 0; read_bit(r, &bit); bit++)
			q++;
		bit++;
		for (x = 0, low = 0; x < k; x++, bit++)
			low |= read_bit(r, &bit) << x;
		v += (q << k) + low;
		(*out)[i] = v++;
		assert_true((*out)[i] < universe);
	}
	r->pos = (bit + 7) / 8;
	return n;
}

/* The shard hash, as assets/search.js computes it too. */
static uint32_t
hash_key(const char *key)
{
	uint32_t h = 2166136261u;

	for (; *key; key++)
		h = (h ^ (unsigned char)*key) * 16777619u;
	h = (h ^ (h >> 16)) * 0x7feb352du;
	h = (h ^ (h >> 15)) * 0x846ca68bu;
	return h ^ (h >> 16);
}

struct index {
	struct search_files files;
	json_t	*manifest;
	uint32_t ndocs;
	unsigned bits;
};

struct entry {
	bool	 found;
	uint32_t *docs, *strong, *frequent;	/* article numbers */
	size_t	 ndocs, nstrong, nfrequent;
	unsigned threshold;
};

static void
index_open(struct index *ix, const struct site *s)
{
	const struct search_file *m;
	json_error_t err;

	search_build(s, &ix->files);
	m = find_file(&ix->files, "search/index.json");
	assert_non_null(m);
	ix->manifest = json_loadb(m->data, m->len, 0, &err);
	assert_non_null(ix->manifest);
	ix->ndocs = (uint32_t)json_integer_value(json_object_get(ix->manifest,
	    "docs"));
	ix->bits = (unsigned)json_integer_value(json_object_get(ix->manifest,
	    "shards"));
	assert_int_equal(ix->ndocs, s->narticles);
}

static void
index_close(struct index *ix)
{
	json_decref(ix->manifest);
	search_files_free(&ix->files);
}

/* Positions within the term's articles to article numbers. */
static void
to_articles(uint32_t *v, size_t n, const uint32_t *docs)
{
	size_t i;

	for (i = 0; i < n; i++)
		v[i] = docs[v[i]];
}

static struct entry
lookup(const struct index *ix, const char *key)
{
	struct entry e = { 0 };
	char *path = xasprintf("search/s/%0*x.bin", (int)(ix->bits + 3) / 4,
	    hash_key(key) & ((1u << ix->bits) - 1));
	const struct search_file *f = find_file(&ix->files, path);
	struct reader r;
	size_t count, keylen, len;

	assert_non_null(f);
	r.p = (const unsigned char *)f->data;
	r.len = f->len;
	r.pos = 0;
	for (count = read_varint(&r); count > 0; count--) {
		keylen = read_varint(&r);
		if (keylen != strlen(key) ||
		    memcmp(r.p + r.pos, key, keylen) != 0) {
			r.pos += keylen;
			r.pos += read_varint(&r);
			continue;
		}
		r.pos += keylen;
		len = read_varint(&r);
		r.len = r.pos + len;
		e.found = true;
		e.ndocs = read_set(&r, ix->ndocs, &e.docs);
		e.nstrong = read_set(&r, (uint32_t)e.ndocs, &e.strong);
		to_articles(e.strong, e.nstrong, e.docs);
		e.threshold = (unsigned)read_varint(&r);
		if (e.threshold > 0) {
			e.nfrequent = read_set(&r, (uint32_t)e.ndocs,
			    &e.frequent);
			to_articles(e.frequent, e.nfrequent, e.docs);
		}
		assert_int_equal(r.pos, r.len);
		break;
	}
	free(path);
	return e;
}

static void
entry_free(struct entry *e)
{
	free(e->docs);
	free(e->strong);
	free(e->frequent);
}

static bool
holds(const uint32_t *v, size_t n, size_t x)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i] == x)
			return true;
	return false;
}

/* Article i's text, decoded with the manifest's table; caller frees. */
static char *
doc_text(const struct index *ix, size_t id)
{
	const char *chars = json_string_value(json_object_get(ix->manifest,
	    "chars"));
	size_t nchars = 0, pos = 0, i, r, clen = strlen(chars);
	int32_t *table = xcalloc(clen + 1, sizeof(*table)), cp;
	char *path = xasprintf("search/d/%zu.bin", id), utf8[4];
	const struct search_file *f = find_file(&ix->files, path);
	const unsigned char *p;
	struct buf out = BUF_INIT;

	assert_non_null(f);
	while (pos < clen)
		table[nchars++] = utf8_next(chars, clen, &pos);
	p = (const unsigned char *)f->data;
	for (i = 0; i < f->len;) {
		if (p[i] < 192) {
			r = p[i++];
		} else if (p[i] < 255) {
			r = 192 + (size_t)(p[i] - 192) * 256 + p[i + 1];
			i += 2;
		} else {
			cp = p[i + 1] << 16 | p[i + 2] << 8 | p[i + 3];
			buf_append(&out, utf8, utf8_encode(cp, utf8));
			i += 4;
			continue;
		}
		assert_true(r < nchars);
		buf_append(&out, utf8, utf8_encode(table[r], utf8));
	}
	free(table);
	free(path);
	return buf_detach(&out);
}

/* Tests. */

static void
test_files(void **state)
{
	struct fixture f = { 0 };
	struct site *s = small_site(&f);
	struct index ix;
	size_t i, shards = 0, docs = 0, themes = 0;

	(void)state;
	index_open(&ix, s);
	for (i = 0; i < ix.files.count; i++) {
		const char *p = ix.files.items[i].path;

		assert_memory_equal(p, "search/", 7);
		shards += strncmp(p, "search/s/", 9) == 0;
		docs += strncmp(p, "search/d/", 9) == 0;
		themes += strncmp(p, "search/t/", 9) == 0;
	}
	assert_int_equal(shards, (size_t)1 << ix.bits);
	assert_int_equal(docs, 3);
	assert_int_equal(themes, 2);
	assert_string_equal(json_string_value(json_array_get(
	    json_object_get(ix.manifest, "themes"), 1)), "red-property");
	index_close(&ix);
	site_free(s);
	diags_free(&f.d);
}

static void
test_pairs_and_characters(void **state)
{
	struct fixture f = { 0 };
	struct site *s = small_site(&f);
	size_t meilan = article_id(s, "meilan"), nanshan = article_id(s,
	    "nanshan");
	struct index ix;
	struct entry e;

	(void)state;
	index_open(&ix, s);
	/* "社区" is in two bodies, never in a strong field. */
	e = lookup(&ix, "社区");
	assert_true(e.found);
	assert_int_equal(e.ndocs, 2);
	assert_true(holds(e.docs, e.ndocs, meilan));
	assert_true(holds(e.docs, e.ndocs, nanshan));
	assert_int_equal(e.nstrong, 0);
	entry_free(&e);
	/* Markup between characters does not hide a pair. */
	e = lookup(&ix, "区治");
	assert_true(e.found);
	assert_int_equal(e.ndocs, 1);
	entry_free(&e);
	/* Lines of one paragraph join; punctuation breaks pairs. */
	e = lookup(&ix, "写。");
	assert_false(e.found);
	entry_free(&e);
	e = lookup(&ix, "络第");
	assert_false(e.found);
	entry_free(&e);
	e = lookup(&ix, "网络");
	assert_true(e.found);
	entry_free(&e);
	/* One character has its own postings. */
	e = lookup(&ix, "治");
	assert_true(e.found);
	assert_int_equal(e.docs[0], meilan);
	entry_free(&e);
	/* A link's target is not text; its label is. */
	e = lookup(&ix, "链接");
	assert_true(e.found);
	entry_free(&e);
	e = lookup(&ix, "or");
	assert_false(e.found);
	entry_free(&e);
	index_close(&ix);
	site_free(s);
	diags_free(&f.d);
}

static void
test_title_place_and_body(void **state)
{
	struct fixture f = { 0 };
	struct site *s = small_site(&f);
	size_t meilan = article_id(s, "meilan");
	struct index ix;
	struct entry e;

	(void)state;
	index_open(&ix, s);
	/* Title. */
	e = lookup(&ix, "网格");
	assert_true(e.found);
	assert_int_equal(e.ndocs, 1);
	assert_int_equal(e.nstrong, 1);
	assert_int_equal(e.strong[0], meilan);
	entry_free(&e);
	/* Place, across province, city and district. */
	e = lookup(&ix, "市美");
	assert_true(e.found);
	assert_int_equal(e.nstrong, 1);
	entry_free(&e);
	/* Author strong; the author's title is not. */
	e = lookup(&ix, "冯琳");
	assert_int_equal(e.nstrong, 1);
	entry_free(&e);
	e = lookup(&ix, "书记");
	assert_true(e.found);
	assert_int_equal(e.nstrong, 0);
	entry_free(&e);
	/* Body, a heading included. */
	e = lookup(&ix, "标题");
	assert_true(e.found);
	assert_int_equal(e.docs[0], meilan);
	assert_int_equal(e.nstrong, 0);
	entry_free(&e);
	/* The page's path is not text. */
	e = lookup(&ix, "ar");
	assert_false(e.found);
	entry_free(&e);
	index_close(&ix);
	site_free(s);
	diags_free(&f.d);
}

static void
test_words(void **state)
{
	struct fixture f = { 0 };
	struct site *s = small_site(&f);
	struct index ix;
	struct entry e;
	/* 12345, ５Ｇ (full width), APP, abc-DEF: folded pairs and
	 * characters, so a part of a number is found too. */
	static const char *const present[] = { "12", "34", "45", "5", "5g",
	    "g", "ap", "pp", "ab", "bc", "de", "ef", "123", "345", "app",
	    "abc" };
	/* Nothing crosses a change of run or punctuation; Han runs have
	 * no triples. */
	static const char *const absent[] = { "5G", "AP", "g网", "5热",
	    "c-", "cd", "p上", "1234", "热线和", "社区治" };
	size_t i;

	(void)state;
	index_open(&ix, s);
	for (i = 0; i < sizeof(present) / sizeof(present[0]); i++) {
		e = lookup(&ix, present[i]);
		if (!e.found)
			fail_msg("no term \"%s\"", present[i]);
		entry_free(&e);
	}
	e = lookup(&ix, "5g");
	assert_int_equal(e.ndocs, 1);
	assert_int_equal(e.docs[0], article_id(s, "meilan"));
	entry_free(&e);
	for (i = 0; i < sizeof(absent) / sizeof(absent[0]); i++) {
		e = lookup(&ix, absent[i]);
		if (e.found)
			fail_msg("term \"%s\"", absent[i]);
		entry_free(&e);
	}
	index_close(&ix);
	site_free(s);
	diags_free(&f.d);
}

static void
test_doc_text(void **state)
{
	struct fixture f = { 0 };
	struct site *s = small_site(&f);
	struct index ix;
	char *text;

	(void)state;
	index_open(&ix, s);
	text = doc_text(&ix, article_id(s, "meilan"));
	assert_string_equal(text, "articles/meilan/index.html\n"
	    "网格化管理见实效\n海南省海口市美兰区\n冯琳\n美兰区委书记\n"
	    "小标题\n我们推行社区治理，开通12345热线和５Ｇ网络，第二行接着写。\n"
	    "列表一项\n链接文字");
	free(text);
	text = doc_text(&ix, article_id(s, "jiyang"));
	assert_string_equal(text, "articles/jiyang/index.html\n候鸟人才\n"
	    "海南省三亚市吉阳区\n\n\nAPP上线，abc-DEF。\n"
	    "原始 alert(1) 标签，1 < 2。");
	free(text);
	index_close(&ix);
	site_free(s);
	diags_free(&f.d);
}

static void
test_filters(void **state)
{
	struct fixture f = { 0 };
	struct site *s = small_site(&f);
	struct index ix;
	json_t *p;
	const struct search_file *t;
	struct reader r;
	uint32_t *ids;

	(void)state;
	index_open(&ix, s);
	/* Provinces as ranges of site order. */
	p = json_object_get(ix.manifest, "provinces");
	assert_int_equal(json_array_size(p), 2);
	assert_string_equal(json_string_value(json_array_get(
	    json_array_get(p, 0), 0)), "广东省");
	assert_int_equal(json_integer_value(json_array_get(
	    json_array_get(p, 0), 1)), 0);
	assert_int_equal(json_integer_value(json_array_get(
	    json_array_get(p, 0), 2)), 1);
	assert_int_equal(json_integer_value(json_array_get(
	    json_array_get(p, 1), 2)), 3);
	/* Theme 0 ("grid") is on two articles. */
	t = find_file(&ix.files, "search/t/0.bin");
	assert_non_null(t);
	r.p = (const unsigned char *)t->data;
	r.len = t->len;
	r.pos = 0;
	assert_int_equal(read_set(&r, ix.ndocs, &ids), 2);
	assert_int_equal(ids[0], article_id(s, "nanshan"));
	assert_int_equal(ids[1], article_id(s, "meilan"));
	free(ids);
	index_close(&ix);
	site_free(s);
	diags_free(&f.d);
}

static void
test_frequent(void **state)
{
	struct fixture f = { 0 };
	struct site *s;
	struct index ix;
	struct entry e;
	char name[16], *body;
	size_t i, k;
	struct buf b = BUF_INIT;

	(void)state;
	/* Sixteen articles hold "治理"; two of them many times. */
	for (i = 0; i < 16; i++) {
		snprintf(name, sizeof(name), "a%02zu", i);
		buf_truncate(&b, 0);
		for (k = 0; k < (i % 8 == 3 ? 6 : 1 + i % 2); k++)
			buf_puts(&b, "治理，");
		body = xasprintf("%s\n", buf_str(&b));
		add(&f, name, "title: 标题\nprovince: 海南省\ncity: 海口市\n"
		    "district: 美兰区\n", body);
		free(body);
	}
	buf_free(&b);
	s = build(&f);
	index_open(&ix, s);
	e = lookup(&ix, "治理");
	assert_int_equal(e.ndocs, 16);
	assert_int_equal(e.threshold, 3);
	assert_int_equal(e.nfrequent, 2);
	assert_int_equal(e.frequent[0], article_id(s, "a03"));
	assert_int_equal(e.frequent[1], article_id(s, "a11"));
	entry_free(&e);
	index_close(&ix);
	site_free(s);
	diags_free(&f.d);
}

/* Enough articles for Rice codes and bitmaps both. */
static void
test_many_articles(void **state)
{
	struct fixture f = { 0 };
	struct site *s;
	struct index ix;
	struct entry e;
	char name[16], *body;
	size_t i, k;

	(void)state;
	for (i = 0; i < 300; i++) {
		snprintf(name, sizeof(name), "a%03zu", i);
		body = xasprintf("共同%s。%s\n", i % 3 == 0 ? "缔造" : "建设",
		    i % 97 == 5 ? "罕见" : "");
		add(&f, name, "title: 标题\nprovince: 海南省\ncity: 海口市\n"
		    "district: 美兰区\n", body);
		free(body);
	}
	s = build(&f);
	index_open(&ix, s);
	e = lookup(&ix, "共同");
	assert_int_equal(e.ndocs, 300);
	for (k = 0; k < 300; k++)
		assert_int_equal(e.docs[k], k);
	entry_free(&e);
	e = lookup(&ix, "缔造");
	assert_int_equal(e.ndocs, 100);
	entry_free(&e);
	e = lookup(&ix, "罕见");
	assert_int_equal(e.ndocs, 4);
	for (k = 0; k < 4; k++) {
		snprintf(name, sizeof(name), "a%03zu", 5 + 97 * k);
		assert_string_equal(s->articles[e.docs[k]].src->stem, name);
	}
	entry_free(&e);
	index_close(&ix);
	site_free(s);
	diags_free(&f.d);
}

static void
test_deterministic(void **state)
{
	struct fixture f1 = { 0 }, f2 = { 0 };
	struct site *s1 = small_site(&f1), *s2 = small_site(&f2);
	struct search_files a, b;
	size_t i;

	(void)state;
	search_build(s1, &a);
	search_build(s2, &b);
	assert_int_equal(a.count, b.count);
	for (i = 0; i < a.count; i++) {
		assert_string_equal(a.items[i].path, b.items[i].path);
		assert_int_equal(a.items[i].len, b.items[i].len);
		assert_memory_equal(a.items[i].data, b.items[i].data,
		    a.items[i].len);
	}
	search_files_free(&a);
	search_files_free(&b);
	search_files_free(NULL);
	site_free(s1);
	site_free(s2);
	diags_free(&f1.d);
	diags_free(&f2.d);
}

static void
test_empty_site(void **state)
{
	struct fixture f = { 0 };
	struct site *s;
	struct index ix;
	struct entry e;

	(void)state;
	/* An array, though empty: site_build sorts it. */
	f.articles = xcalloc(1, sizeof(*f.articles));
	s = build(&f);
	index_open(&ix, s);
	assert_int_equal(ix.ndocs, 0);
	e = lookup(&ix, "社区");
	assert_false(e.found);
	entry_free(&e);
	index_close(&ix);
	site_free(s);
	diags_free(&f.d);
}

/* The script computes the same hash: these values are in its test. */
static void
test_hash(void **state)
{
	(void)state;
	assert_int_equal(hash_key("社区"), 4089528756u);
	assert_int_equal(hash_key("5g"), 2888073745u);
	assert_int_equal(hash_key("治"), 900468666u);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_files),
		cmocka_unit_test(test_pairs_and_characters),
		cmocka_unit_test(test_title_place_and_body),
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_doc_text),
		cmocka_unit_test(test_filters),
		cmocka_unit_test(test_frequent),
		cmocka_unit_test(test_many_articles),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_empty_site),
		cmocka_unit_test(test_hash),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
