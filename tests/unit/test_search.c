/*
 * The search index: files, terms (pairs, characters, words), fields,
 * articles' text, filters and determinism, read back with a small
 * decoder of the formats described in generator/render/search/.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <jansson.h>

#include "../../generator/model/site.h"
#include "../../generator/render/search.h"
#include "../../generator/util/buf.h"
#include "../../generator/util/fs.h"
#include "../../generator/util/strmap.h"
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
	s = site_build(&c, &t, NULL, f->articles, f->n, 1, NULL, &f->d);
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

/* Reads the occurrences of n articles; caller frees. */
static unsigned *
read_occurrences(struct reader *r, size_t n)
{
	unsigned *tf = xcalloc(n + 1, sizeof(*tf)), q, low, x, k;
	size_t i, bit;

	k = (unsigned)read_varint(r);
	for (i = 0; i < n; i++)
		tf[i] = 1;
	if (k-- == 0)
		return tf;
	bit = r->pos * 8;
	for (i = 0; i < n; i++) {
		for (q = 0; read_bit(r, &bit); bit++)
			q++;
		bit++;
		for (x = 0, low = 0; x < k; x++, bit++)
			low |= read_bit(r, &bit) << x;
		tf[i] = (q << k) + low + 1;
	}
	r->pos = (bit + 7) / 8;
	return tf;
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
	uint32_t *docs, *strong;	/* article numbers */
	size_t	 ndocs, nstrong;
	unsigned *tf;			/* per article of docs */
};

/*
 * The data of a file of the index, which is a script: exactly
 * jicengSearch("NAME","DATA");\n, NAME its path below search/ without
 * ".js", DATA its bytes with \\, \", LF and CR escaped, nothing else.
 * Replaces f's bytes with the data; fails the test when f is not so.
 */
static void
unwrap(struct search_file *f)
{
	char *head = xasprintf("jicengSearch(\"%.*s\",\"",
	    (int)(strlen(f->path) - strlen("search/") - strlen(".js")),
	    f->path + strlen("search/"));
	size_t hlen = strlen(head), tail = strlen("\");\n"), i, n = 0;

	assert_true(f->len >= hlen + tail);
	assert_memory_equal(f->data, head, hlen);
	assert_memory_equal(f->data + f->len - tail, "\");\n", tail);
	for (i = hlen; i < f->len - tail; i++) {
		assert_true(f->data[i] != '"' && f->data[i] != '\n' &&
		    f->data[i] != '\r');
		if (f->data[i] != '\\') {
			f->data[n++] = f->data[i];
			continue;
		}
		i++;
		assert_true(i < f->len - tail);
		assert_non_null(strchr("\\\"nr", f->data[i]));
		f->data[n++] = f->data[i] == 'n' ? '\n' : f->data[i] == 'r' ?
		    '\r' : f->data[i];
	}
	f->len = n;
	free(head);
}

/* The number of hex digits at s, which must all be hex. */
static size_t
read_hex(const char *s, size_t digits)
{
	size_t v = 0, i;

	for (i = 0; i < digits; i++) {
		assert_non_null(strchr("0123456789abcdef", s[i]));
		v = v * 16 + (size_t)(s[i] <= '9' ? s[i] - '0' : s[i] - 'a' + 10);
	}
	return v;
}

/*
 * Adds the members of pack n of kind (the script of packs.h: a table of
 * count + 1 offsets of digits hex digits, then each member escaped on
 * its own) to files as the files they stand for: name(i) for member i
 * of those total.
 */
static void
unpack(struct search_files *files, const char *kind, size_t n, size_t total,
    size_t members, size_t digits, char *(*name)(const struct index *,
    size_t), const struct index *ix)
{
	char *path = xasprintf("search/%s/%zu.js", kind, n);
	const struct search_file *f = find_file(files, path);
	const char *data;
	size_t len;
	size_t count = total - n * members < members ? total - n * members :
	    members, k, start, end, table;
	struct search_file member;
	struct buf b = BUF_INIT;

	assert_non_null(f);
	free(path);
	/* Adding files moves f. */
	data = f->data;
	len = f->len;
	table = strlen("jicengSearch(\"\",\"") + strlen(kind) + 1 +
	    (size_t)snprintf(NULL, 0, "%zu", n);
	assert_true(len >= table + (count + 1) * digits + 4);
	assert_int_equal(read_hex(data + table, digits),
	    table + (count + 1) * digits);
	assert_int_equal(read_hex(data + table + count * digits, digits),
	    len - 4);
	for (k = 0; k < count; k++) {
		start = read_hex(data + table + k * digits, digits);
		end = read_hex(data + table + (k + 1) * digits, digits);
		assert_true(start <= end && end <= len - 4);
		/* As a file of its own, to unwrap as the others. */
		member.path = name(ix, n * members + k);
		buf_truncate(&b, 0);
		buf_puts(&b, "jicengSearch(\"");
		buf_append(&b, member.path + strlen("search/"),
		    strlen(member.path) - strlen("search/") - strlen(".js"));
		buf_puts(&b, "\",\"");
		buf_append(&b, data + start, end - start);
		buf_puts(&b, "\");\n");
		member.len = b.len;
		member.data = buf_detach(&b);
		files->items = xreallocarray(files->items, files->count + 1,
		    sizeof(*files->items));
		files->items[files->count++] = member;
	}
	buf_free(&b);
}

static char *
doc_name(const struct index *ix, size_t i)
{
	(void)ix;
	return xasprintf("search/d/%zu.js", i);
}

static char *
shard_name(const struct index *ix, size_t i)
{
	return xasprintf("search/s/%0*zx.js", (int)(ix->bits + 3) / 4, i);
}

static void
index_open(struct index *ix, const struct site *s)
{
	const struct search_file *m;
	json_error_t err;
	size_t i, n, members, digits, nfiles;

	search_build(s, &ix->files);
	m = find_file(&ix->files, "search/index.json");
	assert_non_null(m);
	ix->manifest = json_loadb(m->data, m->len, 0, &err);
	assert_non_null(ix->manifest);
	ix->ndocs = (uint32_t)json_integer_value(json_object_get(ix->manifest,
	    "docs"));
	ix->bits = (unsigned)json_integer_value(json_object_get(ix->manifest,
	    "shards"));
	members = (size_t)json_integer_value(json_object_get(ix->manifest,
	    "pack"));
	digits = (size_t)json_integer_value(json_object_get(ix->manifest,
	    "digits"));
	assert_int_equal(ix->ndocs, s->narticles);
	assert_true(members > 0 && digits > 0);
	/* Each article and shard as a file of its own, from its pack. */
	nfiles = ix->files.count;
	for (i = 0; i * members < ix->ndocs; i++)
		unpack(&ix->files, "docs", i, ix->ndocs, members, digits,
		    doc_name, ix);
	for (i = 0; i * members < ((size_t)1 << ix->bits); i++)
		unpack(&ix->files, "shards", i, (size_t)1 << ix->bits, members,
		    digits, shard_name, ix);
	assert_int_equal(ix->files.count, nfiles + ix->ndocs +
	    ((size_t)1 << ix->bits));
	for (i = 0; i < ix->files.count; i++) {
		n = strlen(ix->files.items[i].path);
		if (strcmp(ix->files.items[i].path, "search/index.js") != 0 &&
		    strncmp(ix->files.items[i].path, "search/docs/", 12) != 0 &&
		    strncmp(ix->files.items[i].path, "search/shards/", 14) != 0 &&
		    n > 3 && strcmp(ix->files.items[i].path + n - 3, ".js") == 0)
			unwrap(&ix->files.items[i]);
	}
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
	char *path = xasprintf("search/s/%0*x.js", (int)(ix->bits + 3) / 4,
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
		e.tf = read_occurrences(&r, e.ndocs);
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
	free(e->tf);
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

/* The ranges two-byte codes count through, as the formats say. */
static const int32_t windows[][2] = {
	{ 0x4E00, 0x5200 }, { 0x3000, 0x100 }, { 0xFF00, 0x100 },
	{ 0x2000, 0x600 }, { 0x0080, 0x480 }, { 0x0000, 0x80 },
};

/* Article i's text, decoded with the manifest's table; caller frees. */
static char *
doc_text(const struct index *ix, size_t id)
{
	const char *chars = json_string_value(json_object_get(ix->manifest,
	    "chars"));
	size_t nchars = 0, pos = 0, i, w, clen = strlen(chars), n = 0, k;
	size_t count, dist;
	int32_t *table = xcalloc(clen + 1, sizeof(*table)), *cps, v;
	struct reader r;
	char *path = xasprintf("search/d/%zu.js", id), utf8[4];
	const struct search_file *f = find_file(&ix->files, path);
	const unsigned char *p;
	struct buf out = BUF_INIT;

	assert_non_null(f);
	while (pos < clen)
		table[nchars++] = utf8_next(chars, clen, &pos);
	assert_int_equal(nchars, 160);
	p = (const unsigned char *)f->data;
	cps = xcalloc(f->len * 241 + 1, sizeof(*cps));
	for (i = 0; i < f->len;) {
		if (p[i] < nchars) {
			cps[n++] = table[p[i++]];
		} else if (p[i] < 255) {
			assert_true(i + 1 < f->len);
			v = (int32_t)(p[i] - nchars) * 256 + p[i + 1];
			i += 2;
			for (w = 0; v >= windows[w][1]; w++)
				v -= windows[w][1];
			assert_true(w < 6);
			cps[n++] = windows[w][0] + v;
		} else if (p[i + 1] <= 0x10) {
			assert_true(i + 3 < f->len);
			cps[n++] = p[i + 1] << 16 | p[i + 2] << 8 | p[i + 3];
			i += 4;
		} else {
			/* A copy: its length, then how far back it starts. */
			count = p[i + 1] - 14;
			r.p = p;
			r.len = f->len;
			r.pos = i + 2;
			dist = read_varint(&r);
			i = r.pos;
			assert_true(dist > 0 && dist <= n);
			for (k = 0; k < count; k++, n++)
				cps[n] = cps[n - dist];
		}
	}
	for (k = 0; k < n; k++)
		buf_append(&out, utf8, utf8_encode(cps[k], utf8));
	free(cps);
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
	size_t i, shards = 0, docs = 0, themes = 0, packs = 0;

	(void)state;
	index_open(&ix, s);
	for (i = 0; i < ix.files.count; i++) {
		const char *p = ix.files.items[i].path;

		assert_memory_equal(p, "search/", 7);
		shards += strncmp(p, "search/s/", 9) == 0;
		docs += strncmp(p, "search/d/", 9) == 0;
		themes += strncmp(p, "search/t/", 9) == 0;
		packs += strncmp(p, "search/docs/", 12) == 0 ||
		    strncmp(p, "search/shards/", 14) == 0;
	}
	/* Members unpacked by the test: the articles and shards in 2 packs. */
	assert_int_equal(shards, (size_t)1 << ix.bits);
	assert_int_equal(docs, 3);
	assert_int_equal(packs, 2);
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

/*
 * Markup is left out as the page leaves it out; what the page shows
 * stays: an underscore or a star that marks nothing, a backslash before
 * a letter, brackets that make no link, a character an escape keeps.
 */
static void
test_markers(void **state)
{
	struct fixture f = { 0 };
	struct site *s;
	struct index ix;
	char *text;

	(void)state;
	add(&f, "markers", "title: 标记\nprovince: 海南省\ncity: 海口市\n"
	    "district: 美兰区\n", "_下_划线`代码`，反\\斜杠[方括号]结束，"
	    "*星号*和[链接](http://x.org)完*\n\n<b>粗</b>体，3 < 4_\n\n"
	    "**加粗**、_强调_、\\*星号\\*与&amp;。\n");
	s = build(&f);
	index_open(&ix, s);
	text = doc_text(&ix, 0);
	assert_string_equal(text, "articles/markers/index.html\n标记\n"
	    "海南省海口市美兰区\n\n\n_下_划线代码，反\\斜杠[方括号]结束，"
	    "星号和链接完*\n粗体，3 < 4_\n加粗、强调、*星号*与&。");
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
	t = find_file(&ix.files, "search/t/0.js");
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
test_occurrences(void **state)
{
	struct fixture f = { 0 };
	struct site *s;
	struct index ix;
	struct entry e;
	char name[16], *body;
	size_t i, k, id;
	struct buf b = BUF_INIT;

	(void)state;
	/* Sixteen articles hold "治理" 1 to 16 times, one 200 times. */
	for (i = 0; i < 16; i++) {
		snprintf(name, sizeof(name), "a%02zu", i);
		buf_truncate(&b, 0);
		for (k = 0; k < (i == 9 ? 200 : i + 1); k++)
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
	for (i = 0; i < 16; i++) {
		snprintf(name, sizeof(name), "a%02zu", i);
		id = article_id(s, name);
		for (k = 0; k < e.ndocs && e.docs[k] != id; k++)
			;
		assert_true(k < e.ndocs);
		/* Counted up to 127. */
		assert_int_equal(e.tf[k], i == 9 ? 127 : i + 1);
	}
	entry_free(&e);
	/* Each article holds "标题" once: no numbers follow. */
	e = lookup(&ix, "标题");
	assert_int_equal(e.ndocs, 16);
	for (k = 0; k < e.ndocs; k++)
		assert_int_equal(e.tf[k], 1);
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

/*
 * Articles read in several ranges, their postings joined in site order:
 * a character in every article, words in some ranges only, and more
 * than 3,000 pairs that end alike, so the table of terms grows.
 */
static void
test_ranges(void **state)
{
	struct fixture f = { 0 };
	struct site *s;
	struct index ix;
	struct entry e;
	struct buf body = BUF_INIT;
	char name[16], utf8[8];
	size_t i, j, k;

	(void)state;
	for (i = 0; i < 256; i++) {
		snprintf(name, sizeof(name), "a%03zu", i);
		buf_truncate(&body, 0);
		/* Twelve pairs of this article alone, each ending in 的. */
		for (j = 0; j < 12; j++) {
			utf8[utf8_encode((int32_t)(0x4E00 + i * 12 + j),
			    utf8)] = '\0';
			buf_puts(&body, utf8);
			buf_puts(&body, "的");
		}
		buf_puts(&body, "。");
		if (i >= 192)
			buf_puts(&body, "末段。");
		if (i < 10 || i >= 250)
			buf_puts(&body, "首尾。");
		buf_putc(&body, '\n');
		add(&f, name, "title: 标题\nprovince: 海南省\ncity: 海口市\n"
		    "district: 美兰区\n", buf_str(&body));
	}
	buf_free(&body);
	s = build(&f);
	index_open(&ix, s);
	e = lookup(&ix, "的");
	assert_int_equal(e.ndocs, 256);
	for (k = 0; k < 256; k++) {
		assert_int_equal(e.docs[k], k);
		assert_int_equal(e.tf[k], 12);
	}
	entry_free(&e);
	e = lookup(&ix, "末段");
	assert_int_equal(e.ndocs, 64);
	for (k = 0; k < 64; k++)
		assert_int_equal(e.docs[k], 192 + k);
	entry_free(&e);
	e = lookup(&ix, "首尾");
	assert_int_equal(e.ndocs, 16);
	for (k = 0; k < 16; k++)
		assert_int_equal(e.docs[k], k < 10 ? k : 240 + k);
	entry_free(&e);
	for (i = 0; i < 256; i += 51) {
		for (j = 0; j < 12; j += 11) {
			k = utf8_encode((int32_t)(0x4E00 + i * 12 + j), utf8);
			memcpy(utf8 + k, "的", strlen("的") + 1);
			e = lookup(&ix, utf8);
			assert_int_equal(e.ndocs, 1);
			assert_int_equal(e.docs[0], i);
			entry_free(&e);
		}
	}
	index_close(&ix);
	site_free(s);
	diags_free(&f.d);
}

/* The bytes text takes in an article file: one for a character of the
 * manifest's table, two for one of a range, four for any other. */
static size_t
coded_size(const struct index *ix, const char *text)
{
	const char *chars = json_string_value(json_object_get(ix->manifest,
	    "chars"));
	size_t pos = 0, len = strlen(text), size = 0, w, n;
	char utf8[4];
	int32_t cp;

	while (pos < len) {
		cp = utf8_next(text, len, &pos);
		n = utf8_encode(cp, utf8);
		for (w = 0; w < 6 && (cp < windows[w][0] ||
		    cp >= windows[w][0] + windows[w][1]); w++)
			;
		if (memmem(chars, strlen(chars), utf8, n) != NULL)
			size += 1;
		else
			size += w < 6 ? 2 : 4;
	}
	return size;
}

/* Characters of every range article files code, and some they escape. */
static void
test_characters(void **state)
{
	struct fixture f = { 0 };
	struct site *s;
	struct index ix;
	const struct search_file *file;
	char *text;
	static const char body[] = "的龘，。あ「」５Ｇ“α”—①→○ ~\xc3\xa9"
	    "\xea\xb0\x80\xf0\x9f\x98\x80\xf0\xa0\x80\x80\n";

	(void)state;
	add(&f, "chars", "title: 字\nprovince: 海南省\ncity: 海口市\n"
	    "district: 美兰区\n", body);
	s = build(&f);
	index_open(&ix, s);
	text = doc_text(&ix, 0);
	assert_string_equal(text, "articles/chars/index.html\n字\n"
	    "海南省海口市美兰区\n\n\n的龘，。あ「」５Ｇ“α”—①→○ ~\xc3\xa9"
	    "\xea\xb0\x80\xf0\x9f\x98\x80\xf0\xa0\x80\x80");
	free(text);
	/* One byte for common characters, two for other Han, four for
	 * what no range holds (가, an emoji, an extension B character). */
	file = find_file(&ix.files, "search/d/0.js");
	assert_non_null(file);
	assert_int_equal(file->len, coded_size(&ix, "articles/chars/index.html\n"
	    "字\n海南省海口市美兰区\n\n\n") + coded_size(&ix, body) - 1);
	assert_int_equal(coded_size(&ix, "的龘가"), 1 + 2 + 4);
	index_close(&ix);
	site_free(s);
	diags_free(&f.d);
}

/* Repeated phrases become copies of what came before, long or short. */
static void
test_copies(void **state)
{
	struct fixture f = { 0 };
	struct site *s;
	struct index ix;
	const struct search_file *file;
	struct buf body = BUF_INIT, want = BUF_INIT;
	char *text;
	size_t i;

	(void)state;
	buf_puts(&body, "城市基层党建引领，城市基层党建引领。\n\n");
	for (i = 0; i < 400; i++)
		buf_puts(&body, "社区");
	buf_puts(&body, "abcabcabc\n");
	add(&f, "copies", "title: 城市基层党建\nprovince: 海南省\n"
	    "city: 海口市\ndistrict: 美兰区\n", buf_str(&body));
	s = build(&f);
	index_open(&ix, s);
	buf_puts(&want, "articles/copies/index.html\n城市基层党建\n"
	    "海南省海口市美兰区\n\n\n城市基层党建引领，城市基层党建引领。\n");
	for (i = 0; i < 400; i++)
		buf_puts(&want, "社区");
	buf_puts(&want, "abcabcabc");
	text = doc_text(&ix, 0);
	assert_string_equal(text, buf_str(&want));
	file = find_file(&ix.files, "search/d/0.js");
	assert_true(file->len * 4 < coded_size(&ix, buf_str(&want)));
	free(text);
	buf_free(&body);
	buf_free(&want);
	index_close(&ix);
	site_free(s);
	diags_free(&f.d);
}

/* Articles with text enough for shards of several terms each. */
static struct site *
many_site(struct fixture *f, size_t n, size_t edited, const char *extra)
{
	static const char *const sentences[] = {
		"社区网格员走街入户，", "红色物业服务群众，",
		"党建引领基层治理，", "12345热线接诉即办，",
		"共同缔造美好家园，", "志愿服务常态长效，",
	};
	struct buf body = BUF_INIT;
	char name[32];
	size_t i, k;

	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "a%03zu", i);
		buf_truncate(&body, 0);
		for (k = 0; k < 1 + i % 5; k++)
			buf_puts(&body, sentences[(i * 7 + k * 3) % 6]);
		buf_printf(&body, "第%zu篇。\n", i);
		if (i == edited)
			buf_puts(&body, extra);
		add(f, name, i % 2 ? "title: 标题\nprovince: 海南省\n"
		    "city: 海口市\ndistrict: 美兰区\n" : "title: 题目\n"
		    "province: 陕西省\ncity: 西安市\ndistrict: 新城区\n",
		    buf_str(&body));
	}
	buf_free(&body);
	return build(f);
}

/* An output folder on disk: what was put, what was kept. */
struct disk {
	char	*dir;
	struct strmap seen;	/* paths put or kept */
	size_t	 put, kept;
	bool	 refuse;	/* keep nothing */
};

static int
disk_put(void *arg, size_t worker, const char *path, const void *data,
    size_t len)
{
	struct disk *d = arg;
	char *fspath = fs_join(d->dir, path);

	assert_int_equal(worker, 0);
	assert_int_equal(fs_write_atomic(fspath, data, len), 0);
	strmap_put(&d->seen, path, strlen(path), NULL);
	d->put++;
	free(fspath);
	return 0;
}

static bool
disk_keep(void *arg, size_t worker, const char *path)
{
	struct disk *d = arg;
	char *fspath = fs_join(d->dir, path);
	bool ok = !d->refuse && fs_exists(fspath);

	assert_int_equal(worker, 0);
	if (ok) {
		strmap_put(&d->seen, path, strlen(path), NULL);
		d->kept++;
	}
	free(fspath);
	return ok;
}

/* Writes the index of s into d as build number build. */
static void
disk_write(struct disk *d, const struct site *s, int64_t build,
    int64_t committed, struct search_stats *st)
{
	struct search_output out = { disk_put, disk_keep, d };
	struct search_options opt = { 0 };
	char *state = fs_join(d->dir, "state");

	strmap_free(&d->seen);
	d->put = d->kept = 0;
	opt.threads = 1;
	opt.out_dir = d->dir;
	opt.state_path = state;
	opt.engine = 42;
	opt.build = build;
	opt.committed = committed;
	assert_int_equal(search_write(s, &opt, &out, st), 0);
	assert_int_equal(st->put, d->put);
	free(state);
}

/* The folder holds exactly the files of a clean build of s. */
static void
assert_clean(struct disk *d, const struct site *s)
{
	struct search_files clean;
	char *fspath, *data;
	size_t i, len;

	search_build(s, &clean);
	assert_int_equal(d->seen.count, clean.count);
	for (i = 0; i < clean.count; i++) {
		assert_non_null(strmap_get(&d->seen, clean.items[i].path,
		    strlen(clean.items[i].path)));
		fspath = fs_join(d->dir, clean.items[i].path);
		assert_int_equal(fs_read(fspath, &data, &len), 0);
		if (len != clean.items[i].len ||
		    memcmp(data, clean.items[i].data, len) != 0)
			fail_msg("%s differs from a clean build's",
			    clean.items[i].path);
		free(data);
		free(fspath);
	}
	search_files_free(&clean);
}

static void
test_patch(void **state)
{
	struct fixture f1 = { 0 }, f2 = { 0 }, f3 = { 0 };
	struct site *s1 = many_site(&f1, 120, SIZE_MAX, "");
	struct site *s2 = many_site(&f2, 120, 57, "新增网格化服务，５Ｇ网络。\n");
	struct site *s3 = many_site(&f3, 120, 58, "另一篇改了。\n");
	char tmpl[] = "/tmp/jiceng-search-XXXXXX";
	struct disk d = { 0 };
	struct search_stats st;
	char *fspath, *text;

	(void)state;
	assert_non_null(mkdtemp(tmpl));
	d.dir = tmpl;
	/* No state: a whole index. */
	disk_write(&d, s1, 1, 0, &st);
	assert_false(st.patched);
	assert_int_equal(st.changed, 120);
	assert_int_equal(st.put, st.files);
	assert_clean(&d, s1);
	/* Nothing changed: only the theme sets and the manifests are put. */
	disk_write(&d, s1, 2, 1, &st);
	assert_true(st.patched);
	assert_int_equal(st.changed, 0);
	assert_int_equal(st.put, s1->nthemes + 2);
	assert_clean(&d, s1);
	/* One article edited: its pack and the packs of a few shards; the
	 * other pack of articles is kept. */
	disk_write(&d, s2, 3, 2, &st);
	assert_true(st.patched);
	assert_int_equal(st.changed, 1);
	assert_true(st.put >= s2->nthemes + 2 + 2 && st.put < st.files &&
	    d.kept > 0);
	assert_clean(&d, s2);
	/* Back, and another one edited. */
	disk_write(&d, s3, 4, 3, &st);
	assert_true(st.patched);
	assert_int_equal(st.changed, 2);
	assert_clean(&d, s3);
	/* A state of another build than the one the folder has. */
	disk_write(&d, s1, 5, 99, &st);
	assert_false(st.patched);
	assert_clean(&d, s1);
	/* A file not as recorded: read for a patch, it is refused. */
	text = xasprintf("search/docs/%zu.js", article_id(s2, "a057") / 64);
	fspath = fs_join(d.dir, text);
	assert_int_equal(fs_write_atomic(fspath, "x", 1), 0);
	free(fspath);
	free(text);
	disk_write(&d, s2, 6, 5, &st);
	assert_false(st.patched);
	assert_clean(&d, s2);
	/* A file that cannot be kept. */
	d.refuse = true;
	disk_write(&d, s1, 7, 6, &st);
	assert_false(st.patched);
	assert_int_equal(st.put, st.files);
	assert_clean(&d, s1);
	/* A state of another binary. */
	d.refuse = false;
	disk_write(&d, s1, 8, 7, &st);
	assert_true(st.patched);
	fspath = fs_join(d.dir, "state");
	assert_int_equal(fs_write_atomic(fspath, "JICENGS2", 8), 0);
	free(fspath);
	disk_write(&d, s2, 9, 8, &st);
	assert_false(st.patched);
	assert_clean(&d, s2);
	strmap_free(&d.seen);
	assert_int_equal(fs_remove_tree(tmpl), 0);
	site_free(s1);
	site_free(s2);
	site_free(s3);
	diags_free(&f1.d);
	diags_free(&f2.d);
	diags_free(&f3.d);
}

/*
 * Characters beyond the two-byte ranges (escaped in an article's file)
 * and beyond the BMP (terms found by hash, not by table), read back
 * from the old file when the article changes.
 */
static void
test_patch_rare_characters(void **state)
{
	struct fixture f1 = { 0 }, f2 = { 0 };
	struct site *s1 = many_site(&f1, 120, 57, "𠀀𠀁字😀。\n");
	struct site *s2 = many_site(&f2, 120, 57, "𠀀𠀁字😀，又改。\n");
	char tmpl[] = "/tmp/jiceng-search-XXXXXX";
	struct disk d = { 0 };
	struct search_stats st;
	struct index ix;
	struct entry e;

	(void)state;
	assert_non_null(mkdtemp(tmpl));
	d.dir = tmpl;
	disk_write(&d, s1, 1, 0, &st);
	assert_clean(&d, s1);
	disk_write(&d, s2, 2, 1, &st);
	assert_true(st.patched);
	assert_int_equal(st.changed, 1);
	assert_clean(&d, s2);
	index_open(&ix, s2);
	e = lookup(&ix, "𠀀𠀁");
	assert_int_equal(e.ndocs, 1);
	assert_int_equal(e.docs[0], article_id(s2, "a057"));
	entry_free(&e);
	e = lookup(&ix, "𠀁");
	assert_int_equal(e.ndocs, 1);
	entry_free(&e);
	/* An emoji is no letter: no term. */
	e = lookup(&ix, "😀");
	assert_false(e.found);
	entry_free(&e);
	index_close(&ix);
	strmap_free(&d.seen);
	assert_int_equal(fs_remove_tree(tmpl), 0);
	site_free(s1);
	site_free(s2);
	diags_free(&f1.d);
	diags_free(&f2.d);
}

/* One thread or several: the same bytes. */
static void
test_threads(void **state)
{
	struct fixture f = { 0 };
	struct site *s = many_site(&f, 300, SIZE_MAX, "");
	struct search_files many;
	char tmpl[] = "/tmp/jiceng-search-XXXXXX";
	struct disk d = { 0 };
	struct search_stats st;

	(void)state;
	assert_non_null(mkdtemp(tmpl));
	d.dir = tmpl;
	disk_write(&d, s, 1, 0, &st);
	search_build(s, &many);
	assert_clean(&d, s);
	search_files_free(&many);
	strmap_free(&d.seen);
	assert_int_equal(fs_remove_tree(tmpl), 0);
	site_free(s);
	diags_free(&f.d);
}

/* The same files, byte for byte. */
static void
assert_same_files(const struct search_files *a, const struct search_files *b)
{
	size_t i;

	assert_int_equal(a->count, b->count);
	for (i = 0; i < a->count; i++) {
		assert_string_equal(a->items[i].path, b->items[i].path);
		assert_int_equal(a->items[i].len, b->items[i].len);
		assert_memory_equal(a->items[i].data, b->items[i].data,
		    a->items[i].len);
	}
}

static void
test_deterministic(void **state)
{
	struct fixture f1 = { 0 }, f2 = { 0 };
	struct site *s1 = small_site(&f1), *s2 = small_site(&f2);
	struct search_files a, b;

	(void)state;
	search_build(s1, &a);
	search_build(s2, &b);
	assert_same_files(&a, &b);
	search_files_free(&a);
	search_files_free(&b);
	search_files_free(NULL);
	site_free(s1);
	site_free(s2);
	diags_free(&f1.d);
	diags_free(&f2.d);
}

/*
 * The text of an article comes from the note the model kept of it, or
 * from its body read anew (a body the cache restored): the same bytes.
 */
static void
test_without_notes(void **state)
{
	struct fixture f = { 0 };
	struct site *s = small_site(&f);
	struct search_files a, b;
	size_t i, noted = 0;

	(void)state;
	search_build(s, &a);
	for (i = 0; i < s->narticles; i++) {
		noted += s->articles[i].src->digest->plain_note != NULL;
		free(s->articles[i].src->digest->plain_note);
		s->articles[i].src->digest->plain_note = NULL;
	}
	assert_int_equal(noted, s->narticles);
	search_build(s, &b);
	assert_same_files(&a, &b);
	search_files_free(&a);
	search_files_free(&b);
	site_free(s);
	diags_free(&f.d);
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
		cmocka_unit_test(test_occurrences),
		cmocka_unit_test(test_many_articles),
		cmocka_unit_test(test_ranges),
		cmocka_unit_test(test_markers),
		cmocka_unit_test(test_characters),
		cmocka_unit_test(test_copies),
		cmocka_unit_test(test_patch),
		cmocka_unit_test(test_patch_rare_characters),
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_without_notes),
		cmocka_unit_test(test_empty_site),
		cmocka_unit_test(test_hash),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
