/*
 * The terms of the search index (render/search/terms.h): which a text
 * gives, in which fields, how often; ranges joined; keys, their order
 * and their hash.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../generator/render/search/terms.h"
#include "../../generator/util/utf8.h"
#include "../../generator/util/xalloc.h"

/* Reads text, "\n"-separated lines as an article's text, into ix. */
static void
add(struct search_terms *ix, const char *text)
{
	size_t len = strlen(text), pos = 0, n = 0;
	int32_t *cps = xcalloc(len + 1, sizeof(*cps));

	while (pos < len)
		cps[n++] = utf8_next(text, len, &pos);
	search_terms_add_doc(ix, cps, n);
	free(cps);
}

/* The postings of the term key (UTF-8, one to three characters). */
static bool
postings(const struct search_terms *ix, const char *key,
    struct search_postings *p)
{
	int32_t cp[3] = { 0 };
	size_t pos = 0, i;
	int64_t id;

	for (i = 0; i < 3 && pos < strlen(key); i++)
		cp[i] = utf8_next(key, strlen(key), &pos);
	if ((id = search_terms_find(ix, cp)) < 0)
		return false;
	search_term_decode(&ix->terms[id], NULL, p);
	return true;
}

static bool
has(const struct search_terms *ix, const char *key)
{
	struct search_postings p = { 0 };
	bool found = postings(ix, key, &p);

	search_postings_free(&p);
	return found;
}

/* Han runs give characters and pairs; ASCII runs triples as well. */
static void
test_runs(void **state)
{
	static const char *const present[] = { "社", "社区", "区治", "治理",
	    "5", "5g", "g", "app", "pp", "12", "123", "345", "网络", "é",
	    "ab" };
	static const char *const absent[] = { "社区治", "g网", "5G", "A",
	    "理，", "，", " ", "路径", "ar", "理d", "éa", "23。" };
	struct search_terms ix;
	size_t i;

	(void)state;
	search_terms_init(&ix, 0);
	add(&ix, "articles/路径/index.html\n社区治理\n\n\n\n"
	    "５Ｇ网络，APP　12345。éab\nd");
	for (i = 0; i < sizeof(present) / sizeof(present[0]); i++)
		if (!has(&ix, present[i]))
			fail_msg("no term \"%s\"", present[i]);
	for (i = 0; i < sizeof(absent) / sizeof(absent[0]); i++)
		if (has(&ix, absent[i]))
			fail_msg("a term \"%s\"", absent[i]);
	search_terms_free(&ix);
}

/* Lines 1 to 3 (title, place, author) are strong; counts stop at 127. */
static void
test_fields_and_counts(void **state)
{
	struct search_terms ix;
	struct search_postings p = { 0 };
	struct buf body = BUF_INIT;
	size_t i;

	(void)state;
	search_terms_init(&ix, 7);
	add(&ix, "p\n网格\n\n\n\n网格网格");
	add(&ix, "p\n\n\n\n网格\n网格");
	buf_puts(&body, "p\n\n\n\n\n");
	for (i = 0; i < 200; i++)
		buf_puts(&body, "网格。");
	add(&ix, buf_str(&body));
	assert_true(postings(&ix, "网格", &p));
	assert_int_equal(p.n, 3);
	/* Articles are numbered from the first the terms were given. */
	assert_int_equal(p.docs[0], 7);
	assert_int_equal(p.docs[2], 9);
	assert_int_equal(p.strong[0], 1);
	assert_int_equal(p.tf[0], 3);
	assert_int_equal(p.strong[1], 0);
	assert_int_equal(p.tf[1], 2);
	assert_int_equal(p.tf[2], SEARCH_TF_MAX);
	assert_int_equal(ix.terms[search_terms_find(&ix,
	    (int32_t[3]){ 0x7F51, 0x683C, 0 })].df, 3);
	search_postings_free(&p);
	buf_free(&body);
	search_terms_free(&ix);
}

/*
 * Two ranges read apart and joined: the union has every term, the
 * postings stay in the ranges, and read through a map they number the
 * articles as wanted.
 */
static void
test_union(void **state)
{
	struct search_terms a, b;
	struct search_postings p = { 0 };
	static const uint32_t map[] = { 40, 50 };
	int32_t only_b[3] = { 0x5C31, 0, 0 };	/* 就 */
	int32_t both[3] = { 0x793E, 0x533A, 0 };	/* 社区 */

	(void)state;
	search_terms_init(&a, 0);
	search_terms_init(&b, 1);
	add(&a, "p\n社区");
	add(&b, "p\n社区就");
	assert_true(search_terms_find(&a, only_b) < 0);
	search_terms_union(&a, &b);
	assert_true(search_terms_find(&a, only_b) >= 0);
	assert_int_equal(a.terms[search_terms_find(&a, only_b)].df, 0);
	assert_true(postings(&a, "社区", &p));
	search_term_decode_append(&b.terms[search_terms_find(&b, both)], NULL,
	    &p);
	assert_int_equal(p.n, 2);
	assert_int_equal(p.docs[0], 0);
	assert_int_equal(p.docs[1], 1);
	search_term_decode(&b.terms[search_terms_find(&b, only_b)], map, &p);
	assert_int_equal(p.n, 1);
	assert_int_equal(p.docs[0], 50);
	search_postings_free(&p);
	search_terms_free(&a);
	search_terms_free(&b);
}

/* Keys are the UTF-8 of the characters, ordered by bytes. */
static void
test_keys(void **state)
{
	char key[SEARCH_KEY_MAX];
	size_t len;

	(void)state;
	search_term_key((int32_t[3]){ 0x793E, 0x533A, 0 }, key, &len);
	assert_int_equal(len, 6);
	assert_memory_equal(key, "社区", 6);
	search_term_key((int32_t[3]){ 0x20000, 0x20001, 'a' }, key, &len);
	assert_int_equal(len, 9);
	assert_true(search_compare_keys("ab", 2, "abc", 3) < 0);
	assert_true(search_compare_keys("abc", 3, "ab", 2) > 0);
	assert_true(search_compare_keys("b", 1, "abc", 3) > 0);
	assert_int_equal(search_compare_keys("社区", 6, "社区", 6), 0);
	/* assets/search.js and its test hold the same values. */
	assert_int_equal(search_hash_key("社区", 6), 4089528756u);
	assert_int_equal(search_hash_key("5g", 2), 2888073745u);
	assert_int_equal(search_hash_key("治", 3), 900468666u);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_runs),
		cmocka_unit_test(test_fields_and_counts),
		cmocka_unit_test(test_union),
		cmocka_unit_test(test_keys),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
