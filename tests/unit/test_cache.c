/*
 * The build's memory: the main file's records (files of both trees,
 * pages, their targets and ids, the related memo) and the articles'
 * shards, written and read back; shards that stand alone, a shard left
 * unwritten when its records are the same, and caches set aside whole
 * when they are another binary's.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xxhash.h>
#include <cmocka.h>

#include "../../generator/build/cache.h"
#include "../../generator/load/article.h"
#include "../../generator/util/diag.h"
#include "../../generator/util/fs.h"
#include "../../generator/util/xalloc.h"

#define ENGINE	0x1234
#define PATH	"content/articles/美兰区.md"
#define OTHER	"content/articles/澄迈县.md"

static const struct article_stamp stamp = { 120, 1000, 1000, 42 };
static char dir[] = "/tmp/jiceng-cache-test.XXXXXX";
static char *file;

static int
setup(void **state)
{
	(void)state;
	if (mkdtemp(dir) == NULL)
		return -1;
	file = fs_join(dir, "out");
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	cache_remove(file);
	rmdir(dir);
	free(file);
	return 0;
}

/* The article at path, titled title, as read from fspath. */
static struct article *
article(const char *path, const char *title, const char *fspath)
{
	char *text = xasprintf("---\ntitle: %s\nprovince: 海南省\n"
	    "city: 海口市\ndistrict: 美兰区\n---\n正文。\n", title);
	struct diags d = DIAGS_INIT;
	struct article *a;

	a = article_parse(path, text, strlen(text), &d);
	assert_non_null(a);
	a->stamp = stamp;
	free(a->fspath);
	a->fspath = xstrdup(fspath);
	a->digest = xcalloc(1, sizeof(*a->digest));
	a->digest->summary = xstrdup("正文。");
	free(text);
	diags_free(&d);
	return a;
}

/* Saves a cache holding the articles given, all read from fspath. */
static void
save_articles(const char *fspath, const char *const *paths, size_t n)
{
	struct cache_writer w = CACHE_WRITER_INIT;
	struct diags d = DIAGS_INIT;
	struct article *a;
	size_t i;

	w.started_ns = 2000;
	for (i = 0; i < n; i++) {
		a = article(paths[i], "标题", fspath);
		cache_add_article(&w, a);
		article_free(a);
	}
	assert_int_equal(cache_save(&w, file, ENGINE, &d), 0);
	cache_writer_free(&w);
	diags_free(&d);
}

/* The shard file that holds path's record. */
static char *
shard_file(const char *path)
{
	return xasprintf("%s.%02u", file, (unsigned)(XXH3_64bits(path,
	    strlen(path)) % CACHE_SHARDS));
}

/* Whether c restores the article at path. */
static bool
restores(struct build_cache *c, const char *path)
{
	struct article *a = cache_article(c, path, path, &stamp);
	bool found = a != NULL;

	if (a != NULL)
		assert_string_equal(a->title, "标题");
	article_free(a);
	return found;
}

/*
 * The site reached by another path than when it was recorded ("-C DIR"
 * or not): the record holds, and the body is read from where it is now.
 */
static void
test_site_named_otherwise(void **state)
{
	static const char *const paths[] = { PATH };
	struct build_cache c = BUILD_CACHE_INIT;
	struct article_stamp other = stamp;
	struct article *a;

	(void)state;
	save_articles("/srv/site/" PATH, paths, 1);
	cache_load(&c, file, ENGINE);
	a = cache_article(&c, PATH, "./" PATH, &stamp);
	assert_non_null(a);
	assert_string_equal(a->fspath, "./" PATH);
	assert_string_equal(a->title, "标题");
	article_free(a);
	/* Another file, or this one changed: no record holds. */
	assert_null(cache_article(&c, "content/articles/x.md",
	    "./content/articles/x.md", &stamp));
	other.mtime_ns++;
	assert_null(cache_article(&c, PATH, "./" PATH, &other));
	/* Changed while the build that wrote it ran: not trusted. */
	other = stamp;
	other.mtime_ns = other.ctime_ns = 2000;
	assert_null(cache_article(&c, PATH, "./" PATH, &other));
	cache_free(&c);
}

static void
test_main_file(void **state)
{
	static const struct output_record f1 = { 11, 100, 1001, 7 };
	static const struct output_record f2 = { 22, 200, 2002, 8 };
	static const uint64_t ids[] = { 0xAAAA, 0xBBBB };
	struct cache_writer w = CACHE_WRITER_INIT;
	struct build_cache c = BUILD_CACHE_INIT;
	static const char *const targets[] = { "assets/style.css",
	    "articles/a/index.html" };
	const struct strmap_entry *e;
	const struct cache_page *p;
	const struct output_record *r;
	struct diags d = DIAGS_INIT;

	(void)state;
	w.started_ns = 5000;
	cache_set_tree(&w, 0, 3, 300);
	cache_add_file(&w, 0, "index.html", &f1);
	cache_set_tree(&w, 1, 3, 301);
	cache_add_file(&w, 1, "feed.xml", &f2);
	cache_add_page(&w, "index.html", 9, 10, targets, 2, ids, 2);
	cache_add_page(&w, "feed.xml", 0, 12, targets, 2, NULL, 0);
	buf_puts(&w.related, "the model's own bytes");
	assert_int_equal(cache_save(&w, file, ENGINE, &d), 0);
	cache_writer_free(&w);
	assert_int_equal(cache_load(&c, file, ENGINE), 0);
	assert_true(c.loaded);
	assert_int_equal(c.started_ns, 5000);
	assert_int_equal(c.trees[0].ino, 300);
	assert_int_equal(c.trees[1].ino, 301);
	e = strmap_get(&c.trees[0].files, "index.html", 10);
	assert_non_null(e);
	r = e->value;
	assert_memory_equal(r, &f1, sizeof(f1));
	e = strmap_get(&c.trees[1].files, "feed.xml", 8);
	assert_non_null(e);
	assert_memory_equal(e->value, &f2, sizeof(f2));
	assert_null(strmap_get(&c.trees[1].files, "index.html", 10));
	e = strmap_get(&c.pages, "index.html", 10);
	assert_non_null(e);
	p = e->value;
	assert_int_equal(p->key, 9);
	assert_int_equal(p->fingerprint, 10);
	assert_int_equal(p->ntargets, 2);
	assert_string_equal(c.targets[p->targets[0]], "assets/style.css");
	assert_string_equal(c.targets[p->targets[1]],
	    "articles/a/index.html");
	assert_true(p->anchors_known);
	assert_int_equal(p->nanchors, 2);
	p = strmap_get(&c.pages, "feed.xml", 8)->value;
	assert_false(p->anchors_known);
	assert_int_equal(c.related_len, strlen("the model's own bytes"));
	assert_memory_equal(c.related, "the model's own bytes",
	    c.related_len);
	cache_free(&c);
	diags_free(&d);
}

/* A page kept keeps its targets, through the ids of the next cache. */
static void
test_page_kept(void **state)
{
	struct cache_writer w = CACHE_WRITER_INIT;
	struct build_cache c = BUILD_CACHE_INIT, c2 = BUILD_CACHE_INIT;
	static const char *const targets[] = { "a.html", "b.html" };
	const struct cache_page *p;
	struct diags d = DIAGS_INIT;

	(void)state;
	cache_add_page(&w, "x.html", 1, 2, targets, 2, NULL, 0);
	assert_int_equal(cache_save(&w, file, ENGINE, &d), 0);
	cache_writer_free(&w);
	assert_int_equal(cache_load(&c, file, ENGINE), 0);
	/* Another page first, which takes id 0 for a target of its own. */
	w = (struct cache_writer)CACHE_WRITER_INIT;
	cache_add_page(&w, "y.html", 3, 4, targets + 1, 1, NULL, 0);
	p = strmap_get(&c.pages, "x.html", 6)->value;
	cache_add_page_kept(&w, "x.html", 1, 2, &c, p, NULL, 0);
	assert_int_equal(cache_save(&w, file, ENGINE, &d), 0);
	cache_writer_free(&w);
	cache_free(&c);
	assert_int_equal(cache_load(&c2, file, ENGINE), 0);
	p = strmap_get(&c2.pages, "x.html", 6)->value;
	assert_int_equal(p->ntargets, 2);
	assert_string_equal(c2.targets[p->targets[0]], "a.html");
	assert_string_equal(c2.targets[p->targets[1]], "b.html");
	assert_int_equal(c2.ntargets, 2);
	cache_free(&c2);
	diags_free(&d);
}

/* A damaged shard loses its own records; the others and the main stand. */
static void
test_shards_stand_alone(void **state)
{
	static const char *const paths[] = { PATH, OTHER };
	struct build_cache c = BUILD_CACHE_INIT;
	char *shard = shard_file(PATH), *other = shard_file(OTHER), *data;
	size_t len;

	(void)state;
	/* The test needs the two in two shards. */
	assert_string_not_equal(shard, other);
	save_articles(PATH, paths, 2);
	assert_int_equal(fs_read(shard, &data, &len), 0);
	data[len / 2] ^= 1;
	assert_int_equal(fs_write(shard, data, len), 0);
	assert_int_equal(cache_load(&c, file, ENGINE), 0);
	assert_false(restores(&c, PATH));
	assert_true(restores(&c, OTHER));
	cache_free(&c);
	/* Without its main file, a shard still holds for its articles. */
	assert_int_equal(unlink(file), 0);
	assert_int_equal(cache_load(&c, file, ENGINE), -1);
	assert_false(c.loaded);
	assert_true(restores(&c, OTHER));
	cache_free(&c);
	free(data);
	free(shard);
	free(other);
}

/* Another binary's cache holds nothing. */
static void
test_foreign_engine(void **state)
{
	static const char *const paths[] = { PATH };
	struct build_cache c = BUILD_CACHE_INIT;

	(void)state;
	save_articles(PATH, paths, 1);
	assert_int_equal(cache_load(&c, file, ENGINE + 1), -1);
	assert_false(restores(&c, PATH));
	cache_free(&c);
}

/*
 * A shard whose records come out as they were is not written again; one
 * whose article changed is.  A stand-in written over each shard shows
 * which were.
 */
static void
test_shard_unchanged(void **state)
{
	static const char *const paths[] = { PATH, OTHER };
	struct build_cache c = BUILD_CACHE_INIT;
	struct cache_writer w = CACHE_WRITER_INIT;
	struct diags d = DIAGS_INIT;
	char *shard = shard_file(PATH), *other = shard_file(OTHER), *data;
	struct article *a, *b;
	size_t len;

	(void)state;
	save_articles(PATH, paths, 2);
	assert_int_equal(cache_load(&c, file, ENGINE), 0);
	a = cache_article(&c, PATH, PATH, &stamp);
	assert_non_null(a);
	b = article(OTHER, "改过的标题", OTHER);
	cache_wait(&c);
	assert_int_equal(fs_write(shard, "stand-in", 8), 0);
	assert_int_equal(fs_write(other, "stand-in", 8), 0);
	w.started_ns = 3000;
	cache_writer_base(&w, &c);
	cache_add_article(&w, a);
	cache_add_article(&w, b);
	assert_int_equal(cache_save(&w, file, ENGINE, &d), 0);
	assert_int_equal(fs_read(shard, &data, &len), 0);
	assert_true(len == 8 && memcmp(data, "stand-in", 8) == 0);
	free(data);
	assert_int_equal(fs_read(other, &data, &len), 0);
	assert_false(len == 8 && memcmp(data, "stand-in", 8) == 0);
	free(data);
	cache_writer_free(&w);
	article_free(a);
	article_free(b);
	cache_free(&c);
	diags_free(&d);
	free(shard);
	free(other);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_site_named_otherwise),
		cmocka_unit_test(test_main_file),
		cmocka_unit_test(test_page_kept),
		cmocka_unit_test(test_shards_stand_alone),
		cmocka_unit_test(test_foreign_engine),
		cmocka_unit_test(test_shard_unchanged),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
