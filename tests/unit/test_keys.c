/*
 * Keep or render: the pages whose key changes after an edit are those
 * that show what was edited, and no others; a fingerprint changes with
 * the view, the source and what made the page.  The site is
 * tests/golden/basic, edited in its model before each build.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../generator/build/keys.h"
#include "../../generator/util/strmap.h"
#include "../../generator/util/xalloc.h"
#include "golden_fixture.h"

#define MADE_BY		0x5EED
#define ARTICLE		"海口市美兰区"	/* the article edited */

/* Every page's key, by path; in a strmap of uint64_t, owned. */
static void
site_keys(golden_edit_fn *edit, struct strmap *keys)
{
	struct golden_site f;
	struct view_hashes h;
	struct keys k = KEYS_INIT;
	struct page *pages;
	uint64_t *key;
	size_t n, i;
	char *path;

	golden_site_open(&f, "basic", edit);
	n = pages_list(f.site, &pages);
	pages_hash(f.site, 1, &h);
	keys_compute(f.site, &h, 1, &k);
	for (i = 0; i < n; i++) {
		path = pages_path(f.site, &pages[i]);
		key = xmalloc(sizeof(*key));
		*key = keys_page(f.site, &pages[i], &h, &k, MADE_BY);
		strmap_put(keys, path, strlen(path), NULL)->value = key;
		free(path);
	}
	keys_free(&k);
	pages_hash_free(&h);
	free(pages);
	golden_site_close(&f);
}

static void
keys_free_all(struct strmap *keys)
{
	size_t i;

	for (i = 0; i < keys->count; i++)
		free(keys->entries[i].value);
	strmap_free(keys);
}

static struct article *
find(struct content *c, const char *stem)
{
	size_t i;

	for (i = 0; i < c->narticles; i++)
		if (strcmp(c->articles[i]->stem, stem) == 0)
			return c->articles[i];
	fail_msg("no article %s", stem);
	return NULL;
}

static void
edit_title(struct content *c)
{
	struct article *a = find(c, ARTICLE);

	free(a->title);
	a->title = xstrdup("改过的标题");
}

/* The file's bytes changed, and nothing the front matter says. */
static void
edit_body(struct content *c)
{
	find(c, ARTICLE)->hash ^= 1;
}

static void
edit_settings(struct content *c)
{
	free(c->config.title);
	c->config.title = xstrdup("另一个名字");
}

/*
 * Builds the site as it is and after edit, and checks which pages' keys
 * changed: each of changed (NULL-terminated) must, each of kept must
 * not; all the others must when every_other is true.  Pages without a
 * key are left out.
 */
static void
expect_changed(golden_edit_fn *edit, const char *const *changed,
    const char *const *kept, bool every_other)
{
	struct strmap before = STRMAP_INIT, after = STRMAP_INIT;
	const struct strmap_entry *e, *f;
	uint64_t was, now;
	size_t i, k;
	bool named;

	site_keys(NULL, &before);
	site_keys(edit, &after);
	assert_int_equal(before.count, after.count);
	for (i = 0; i < before.count; i++) {
		e = &before.entries[i];
		f = strmap_get(&after, e->key, e->keylen);
		assert_non_null(f);
		was = *(uint64_t *)e->value;
		now = *(uint64_t *)f->value;
		if (was == 0) {
			assert_int_equal(now, 0);
			continue;
		}
		named = false;
		for (k = 0; changed != NULL && changed[k] != NULL; k++)
			if (strcmp(changed[k], e->key) == 0) {
				named = true;
				if (was == now)
					fail_msg("%s: key kept", e->key);
			}
		for (k = 0; kept != NULL && kept[k] != NULL; k++)
			if (strcmp(kept[k], e->key) == 0) {
				named = true;
				if (was != now)
					fail_msg("%s: key changed", e->key);
			}
		if (!named && every_other && was == now)
			fail_msg("%s: key kept", e->key);
	}
	for (k = 0; changed != NULL && changed[k] != NULL; k++)
		assert_non_null(strmap_get(&before, changed[k],
		    strlen(changed[k])));
	keys_free_all(&before);
	keys_free_all(&after);
}

/* The same content twice: every key the same, so every page is kept. */
static void
test_same_site(void **state)
{
	struct strmap a = STRMAP_INIT, b = STRMAP_INIT;
	size_t i, keyed = 0;

	(void)state;
	site_keys(NULL, &a);
	site_keys(NULL, &b);
	assert_int_equal(a.count, b.count);
	for (i = 0; i < a.count; i++) {
		assert_string_equal(a.entries[i].key, b.entries[i].key);
		assert_int_equal(*(uint64_t *)a.entries[i].value,
		    *(uint64_t *)b.entries[i].value);
		keyed += *(uint64_t *)a.entries[i].value != 0;
	}
	/* Most pages have a key: a test that could not fail otherwise. */
	assert_true(keyed * 10 > a.count * 9);
	keys_free_all(&a);
	keys_free_all(&b);
}

/*
 * A title shows on the article's page, the listings that show its card,
 * the feeds and the index of authors; not on the home page or another
 * district's.
 */
static void
test_title(void **state)
{
	static const char *const changed[] = {
		"articles/" ARTICLE "/index.html",
		"districts/海口市美兰区/index.html",
		"cities/海南省海口市/index.html",
		"provinces/海南省/index.html",
		"articles/index.html",
		"themes/grid/index.html",
		"authors/index.html",
		"feed.xml",
		NULL,
	};
	static const char *const kept[] = {
		"index.html",
		"districts/西安市新城区/index.html",
		"provinces/陕西省/index.html",
		"themes/index.html",
		"404.html",
		NULL,
	};

	(void)state;
	expect_changed(edit_title, changed, kept, false);
}

/*
 * A body edit that leaves the card as it was (its summary is its first
 * words, which are made from the text): the article's page and the
 * theme pages, which quote a passage of it, and no listing of cards.
 */
static void
test_body(void **state)
{
	static const char *const changed[] = {
		"articles/" ARTICLE "/index.html",
		"themes/grid/index.html",
		"themes/red-property/index.html",
		NULL,
	};
	static const char *const kept[] = {
		"districts/海口市美兰区/index.html",
		"cities/海南省海口市/index.html",
		"provinces/海南省/index.html",
		"articles/index.html",
		"feed.xml",
		"index.html",
		NULL,
	};

	(void)state;
	expect_changed(edit_body, changed, kept, false);
}

/* The site's settings reach every page. */
static void
test_settings(void **state)
{
	(void)state;
	expect_changed(edit_settings, NULL, NULL, true);
}

/* A fingerprint tells the view, what made the page, and its source. */
static void
test_fingerprint(void **state)
{
	struct golden_site f;
	struct val_arena *arena = val_arena_new();
	struct view_hashes h;
	struct buf scratch = BUF_INIT;
	struct page *pages, *article = NULL, *home = NULL;
	struct article *src;
	struct val *view;
	uint64_t fp;
	size_t n, i;

	(void)state;
	golden_site_open(&f, "basic", NULL);
	n = pages_list(f.site, &pages);
	pages_hash(f.site, 1, &h);
	for (i = 0; i < n; i++)
		if (pages[i].kind == PAGE_ARTICLE && article == NULL)
			article = &pages[i];
		else if (pages[i].kind == PAGE_HOME)
			home = &pages[i];
	assert_non_null(article);
	assert_non_null(home);
	view = pages_view(f.site, article, arena, &h);
	fp = keys_fingerprint(f.site, article, view, MADE_BY, &scratch);
	assert_int_equal(keys_fingerprint(f.site, article, view, MADE_BY,
	    &scratch), fp);
	assert_int_not_equal(keys_fingerprint(f.site, article, view,
	    MADE_BY + 1, &scratch), fp);
	/* The body, which the view leaves out, through the source's hash. */
	src = f.site->articles[article->index].src;
	src->hash ^= 1;
	assert_int_not_equal(keys_fingerprint(f.site, article, view, MADE_BY,
	    &scratch), fp);
	src->hash ^= 1;
	/* Another page's view. */
	val_arena_reset(arena);
	view = pages_view(f.site, home, arena, &h);
	assert_int_not_equal(keys_fingerprint(f.site, home, view, MADE_BY,
	    &scratch), fp);
	buf_free(&scratch);
	val_arena_free(arena);
	pages_hash_free(&h);
	free(pages);
	golden_site_close(&f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_site),
		cmocka_unit_test(test_title),
		cmocka_unit_test(test_body),
		cmocka_unit_test(test_settings),
		cmocka_unit_test(test_fingerprint),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
