/* The output folder changes all at once, and only where bytes differ. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "../../generator/util/fs.h"
#include "../../generator/util/xalloc.h"
#include "../../generator/write/output.h"

static char *
scratch(void)
{
	char tmpl[] = "/tmp/jiceng-output.XXXXXX";

	assert_non_null(mkdtemp(tmpl));
	return xstrdup(tmpl);
}

static void
put(struct output *o, const char *path, const char *text)
{
	struct diags d = DIAGS_INIT;

	assert_int_equal(output_put(o, path, text, strlen(text), &d), 0);
	diags_free(&d);
}

static void
test_commit_and_rewrite_nothing(void **state)
{
	char *dir = scratch(), *out = fs_join(dir, "public");
	char *page = fs_join(out, "a/index.html"), *data;
	struct diags d = DIAGS_INIT;
	struct output_stats st;
	struct output *o;
	struct stat before, after;
	size_t len;

	(void)state;
	o = output_open(out, &d);
	put(o, "a/index.html", "one");
	put(o, "index.html", "home");
	/* Nothing reaches the folder before the commit. */
	assert_false(fs_exists(page));
	assert_int_equal(output_commit(o, &st, &d), 0);
	output_free(o);
	assert_int_equal(st.written, 2);
	assert_int_equal(fs_read(page, &data, &len), 0);
	assert_string_equal(data, "one");
	free(data);
	assert_int_equal(stat(page, &before), 0);

	/* The same bytes again: no file is written, the mtime stays. */
	o = output_open(out, &d);
	put(o, "a/index.html", "one");
	put(o, "index.html", "home");
	assert_int_equal(output_commit(o, &st, &d), 0);
	output_free(o);
	assert_int_equal(st.written, 0);
	assert_int_equal(stat(page, &after), 0);
	assert_int_equal(before.st_ino, after.st_ino);
	assert_int_equal(before.st_mtim.tv_nsec, after.st_mtim.tv_nsec);

	/* A page that leaves the site is removed, and its empty folder. */
	o = output_open(out, &d);
	put(o, "index.html", "home 2");
	assert_int_equal(output_commit(o, &st, &d), 0);
	output_free(o);
	assert_int_equal(st.written, 1);
	assert_int_equal(st.removed, 1);
	assert_false(fs_exists(page));
	free(page);
	page = fs_join(out, "a");
	assert_false(fs_exists(page));
	assert_int_equal(d.count, 0);
	fs_remove_tree(dir);
	free(page);
	free(out);
	free(dir);
}

static void
test_abandoned_build_changes_nothing(void **state)
{
	char *dir = scratch(), *out = fs_join(dir, "public");
	char *page = fs_join(out, "index.html"), *stage, *data;
	struct diags d = DIAGS_INIT;
	struct output_stats st;
	struct output *o;
	size_t len;

	(void)state;
	o = output_open(out, &d);
	put(o, "index.html", "old");
	assert_int_equal(output_commit(o, &st, &d), 0);
	output_free(o);
	o = output_open(out, &d);
	put(o, "index.html", "new");
	put(o, "more.html", "more");
	output_free(o);		/* the build failed: no commit */
	assert_int_equal(fs_read(page, &data, &len), 0);
	assert_string_equal(data, "old");
	free(data);
	stage = fs_join(dir, ".public.staging");
	assert_false(fs_exists(stage));
	fs_remove_tree(dir);
	free(stage);
	free(page);
	free(out);
	free(dir);
}

static bool
exists_in(const char *dir, const char *rel)
{
	char *path = fs_join(dir, rel);
	bool yes = fs_exists(path);

	free(path);
	return yes;
}

/* What one build left: its records, to remember in the next. */
struct kept {
	char	*paths[8];
	struct output_record records[8];
	size_t	 n;
};

static void
keep_record(void *arg, const char *path, const struct output_record *r)
{
	struct kept *k = arg;

	assert_true(k->n < 8);
	k->paths[k->n] = xstrdup(path);
	k->records[k->n++] = *r;
}

/* Commits the pages named, remembering the records in *k; fills *k anew. */
static void
build(const char *out, struct kept *k, const char *const *pages,
    struct output_stats *st)
{
	struct diags d = DIAGS_INIT;
	struct output *o = output_open(out, &d);
	struct strmap prev = STRMAP_INIT;
	struct output_record records[8];
	size_t i;

	for (i = 0; i < k->n; i++) {
		records[i] = k->records[i];
		strmap_put(&prev, k->paths[i], strlen(k->paths[i]),
		    NULL)->value = &records[i];
	}
	output_recall(o, &prev);
	for (i = 0; pages[i] != NULL; i++)
		put(o, pages[i], pages[i]);
	assert_int_equal(output_commit(o, st, &d), 0);
	for (i = 0; i < k->n; i++)
		free(k->paths[i]);
	k->n = 0;
	assert_int_equal(output_records(o, keep_record, k, &d), 0);
	output_free(o);
	strmap_free(&prev);
	assert_int_equal(d.count, 0);
	diags_free(&d);
}

static void
test_prune_by_records(void **state)
{
	static const char *const all[] = { "index.html", "a/index.html",
	    "b/c/index.html", "b/d/index.html", NULL };
	static const char *const fewer[] = { "index.html", "b/d/index.html",
	    NULL };
	char *dir = scratch(), *out = fs_join(dir, "public"), *path;
	struct kept k = { 0 };
	struct output_stats st;
	FILE *f;

	(void)state;
	build(out, &k, all, &st);
	assert_int_equal(st.written, 4);
	/* A file the site never had, put there by hand. */
	path = fs_join(out, "b/notes.txt");
	assert_non_null(f = fopen(path, "w"));
	fclose(f);

	/* With records: the two pages that left go, with folders left empty. */
	build(out, &k, fewer, &st);
	assert_int_equal(st.removed, 2);
	assert_false(exists_in(out, "a"));
	assert_false(exists_in(out, "b/c"));
	assert_true(exists_in(out, "b/d/index.html"));
	assert_true(fs_exists(path));

	/* Without records (no cache): whatever is not the site goes too. */
	while (k.n > 0)
		free(k.paths[--k.n]);
	build(out, &k, fewer, &st);
	assert_int_equal(st.removed, 1);
	assert_false(fs_exists(path));
	while (k.n > 0)
		free(k.paths[--k.n]);
	fs_remove_tree(dir);
	free(path);
	free(out);
	free(dir);
}

/*
 * A file replaced keeps its old bytes in ".public.trash" until the next
 * build, which throws them away while it works.
 */
static void
test_replaced_files_swept_later(void **state)
{
	char *dir = scratch(), *out = fs_join(dir, "public");
	char *page = fs_join(out, "index.html"), *data;
	char *trash = fs_join(dir, ".public.trash");
	char *old = fs_join(trash, "index.html");
	struct diags d = DIAGS_INIT;
	struct output_stats st;
	struct output *o;
	size_t len;

	(void)state;
	o = output_open(out, &d);
	put(o, "index.html", "old");
	assert_int_equal(output_commit(o, &st, &d), 0);
	output_free(o);
	assert_false(fs_exists(trash));
	o = output_open(out, &d);
	put(o, "index.html", "new");
	assert_int_equal(output_commit(o, &st, &d), 0);
	output_free(o);
	assert_int_equal(fs_read(page, &data, &len), 0);
	assert_string_equal(data, "new");
	free(data);
	assert_int_equal(fs_read(old, &data, &len), 0);
	assert_string_equal(data, "old");
	free(data);
	o = output_open(out, &d);
	put(o, "index.html", "new");
	assert_int_equal(output_commit(o, &st, &d), 0);
	output_free(o);
	assert_false(fs_exists(trash));
	assert_int_equal(d.count, 0);
	fs_remove_tree(dir);
	free(old);
	free(trash);
	free(page);
	free(out);
	free(dir);
}

/* A commit of many files replaces them itself: no trash to wait for. */
static void
test_large_commit_leaves_no_trash(void **state)
{
	char *dir = scratch(), *out = fs_join(dir, "public");
	char *trash = fs_join(dir, ".public.trash"), name[32];
	struct diags d = DIAGS_INIT;
	struct output_stats st;
	struct output *o;
	int round, i;

	(void)state;
	for (round = 0; round < 2; round++) {
		o = output_open(out, &d);
		for (i = 0; i < 65; i++) {
			snprintf(name, sizeof(name), "p%d.html", i);
			put(o, name, round ? "new" : "old");
		}
		assert_int_equal(output_commit(o, &st, &d), 0);
		assert_int_equal(st.written, 65);
		output_free(o);
	}
	assert_false(fs_exists(trash));
	assert_int_equal(d.count, 0);
	fs_remove_tree(dir);
	free(trash);
	free(out);
	free(dir);
}

/* A file written over in place ends where the new bytes end. */
static void
test_overwrite_shorter(void **state)
{
	char *dir = scratch(), *path = fs_join(dir, "sub/f"), *data;
	size_t len;

	(void)state;
	assert_int_equal(fs_overwrite(path, "a longer text", 13), 0);
	assert_int_equal(fs_overwrite(path, "short", 5), 0);
	assert_int_equal(fs_read(path, &data, &len), 0);
	assert_int_equal(len, 5);
	assert_string_equal(data, "short");
	free(data);
	fs_remove_tree(dir);
	free(path);
	free(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_commit_and_rewrite_nothing),
		cmocka_unit_test(test_abandoned_build_changes_nothing),
		cmocka_unit_test(test_prune_by_records),
		cmocka_unit_test(test_replaced_files_swept_later),
		cmocka_unit_test(test_large_commit_leaves_no_trash),
		cmocka_unit_test(test_overwrite_shorter),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
