/*
 * The output folder changes all at once, by a swap with the tree the
 * build wrote, and only where bytes differ.
 */
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

#define MAX_FILES 80

static char *
scratch(void)
{
	char tmpl[] = "/tmp/jiceng-output.XXXXXX";

	assert_non_null(mkdtemp(tmpl));
	return xstrdup(tmpl);
}

/* What the builds left of one tree, as the cache keeps it. */
struct tree_memo {
	uint64_t dev, ino;
	char	*paths[MAX_FILES];
	struct output_record records[MAX_FILES];
	size_t	 n;
};

/* The cache of the tests: the tree the last build wrote, and the other. */
struct memo {
	struct tree_memo trees[2];
};

static void
tree_memo_clear(struct tree_memo *t)
{
	while (t->n > 0)
		free(t->paths[--t->n]);
	t->dev = t->ino = 0;
}

static void
remember(void *arg, const char *path, const struct output_record *r)
{
	struct tree_memo *t = arg;

	assert_true(t->n < MAX_FILES);
	t->paths[t->n] = xstrdup(path);
	t->records[t->n++] = *r;
}

/* The memo as output_recall takes it: maps borrowing its records. */
static void
recall_from(struct tree_memo *t, struct output_tree *out)
{
	size_t i;

	out->dev = t->dev;
	out->ino = t->ino;
	out->files = (struct strmap)STRMAP_INIT;
	for (i = 0; i < t->n; i++)
		strmap_put(&out->files, t->paths[i], strlen(t->paths[i]),
		    NULL)->value = &t->records[i];
}

/*
 * One build: the pages given, each holding text (NULL: its own path),
 * committed unless abandon, and remembered in m as the build would
 * (unless forget: a build cut short between its swap and its cache).
 */
static void
build(const char *out, struct memo *m, const char *const *pages,
    const char *text, struct output_stats *st, bool abandon, bool forget)
{
	struct diags d = DIAGS_INIT;
	struct output *o = output_open(out, &d);
	struct output_tree last, other;
	const struct output_tree *back;
	struct tree_memo next = { 0 };
	size_t i;

	assert_non_null(o);
	recall_from(&m->trees[0], &last);
	recall_from(&m->trees[1], &other);
	output_recall(o, &last, &other);
	output_check_ahead(o);
	for (i = 0; pages[i] != NULL; i++)
		assert_int_equal(output_put(o, pages[i], text ? text : pages[i],
		    strlen(text ? text : pages[i]), &d), 0);
	if (abandon)
		goto out;
	assert_int_equal(output_commit(o, st, &d), 0);
	if (forget)
		goto out;
	assert_int_equal(output_records(o, remember, &next, &d), 0);
	output_front(o, &next.dev, &next.ino);
	tree_memo_clear(&m->trees[1]);
	if ((back = output_back(o)) != NULL) {
		m->trees[1].dev = back->dev;
		m->trees[1].ino = back->ino;
		for (i = 0; i < back->files.count; i++)
			remember(&m->trees[1], back->files.entries[i].key,
			    back->files.entries[i].value);
	}
	tree_memo_clear(&m->trees[0]);
	m->trees[0] = next;
out:
	output_free(o);
	strmap_free(&last.files);
	strmap_free(&other.files);
	assert_int_equal(d.count, 0);
	diags_free(&d);
}

static void
memo_free(struct memo *m)
{
	tree_memo_clear(&m->trees[0]);
	tree_memo_clear(&m->trees[1]);
}

static char *
read_in(const char *dir, const char *rel)
{
	char *path = fs_join(dir, rel), *data = NULL;
	size_t len;

	if (fs_read(path, &data, &len) == -1)
		data = NULL;
	free(path);
	return data;
}

static void
assert_holds(const char *dir, const char *rel, const char *want)
{
	char *got = read_in(dir, rel);

	if (want == NULL)
		assert_null(got);
	else {
		assert_non_null(got);
		assert_string_equal(got, want);
	}
	free(got);
}

static void
test_swap_in_whole(void **state)
{
	static const char *const one[] = { "index.html", "a/index.html",
	    NULL };
	static const char *const two[] = { "index.html", "a/index.html",
	    "b/index.html", NULL };
	char *dir = scratch(), *out = fs_join(dir, "public");
	char *back = fs_join(dir, ".public.back");
	struct memo m = { 0 };
	struct output_stats st;

	(void)state;
	build(out, &m, one, "old", &st, false, false);
	assert_int_equal(st.written, 2);
	assert_holds(out, "a/index.html", "old");
	/* An abandoned build leaves the site as it was. */
	build(out, &m, two, "new", &st, true, false);
	assert_holds(out, "a/index.html", "old");
	assert_holds(out, "b/index.html", NULL);
	/* A committed one swaps the whole of it in; the old site is back. */
	build(out, &m, two, "new", &st, false, false);
	assert_int_equal(st.written, 3);
	assert_holds(out, "a/index.html", "new");
	assert_holds(out, "b/index.html", "new");
	assert_holds(back, "a/index.html", "old");
	assert_holds(back, "b/index.html", NULL);
	memo_free(&m);
	fs_remove_tree(dir);
	free(back);
	free(out);
	free(dir);
}

/* The same bytes again: nothing written, times and inodes stay. */
static void
test_unchanged_rewrites_nothing(void **state)
{
	static const char *const pages[] = { "index.html", "a/index.html",
	    NULL };
	char *dir = scratch(), *out = fs_join(dir, "public");
	char *page = fs_join(out, "a/index.html");
	struct memo m = { 0 };
	struct output_stats st;
	struct stat before, after;
	int round;

	(void)state;
	build(out, &m, pages, NULL, &st, false, false);
	assert_int_equal(stat(page, &before), 0);
	for (round = 0; round < 3; round++) {
		build(out, &m, pages, NULL, &st, false, false);
		assert_int_equal(st.written, 0);
		assert_int_equal(stat(page, &after), 0);
		assert_int_equal(before.st_mtim.tv_sec, after.st_mtim.tv_sec);
		assert_int_equal(before.st_mtim.tv_nsec,
		    after.st_mtim.tv_nsec);
		assert_int_equal(before.st_size, after.st_size);
	}
	memo_free(&m);
	fs_remove_tree(dir);
	free(page);
	free(out);
	free(dir);
}

/*
 * The back tree is a build behind: the next build brings it up to the
 * front without counting it written, and the file keeps its time.
 */
static void
test_back_catches_up(void **state)
{
	static const char *const pages[] = { "index.html", NULL };
	char *dir = scratch(), *out = fs_join(dir, "public");
	char *back = fs_join(dir, ".public.back");
	char *front_page = fs_join(out, "index.html");
	struct memo m = { 0 };
	struct output_stats st;
	struct stat was, now;

	(void)state;
	build(out, &m, pages, "one", &st, false, false);
	build(out, &m, pages, "one", &st, false, false);
	build(out, &m, pages, "two", &st, false, false);
	assert_int_equal(st.written, 1);
	assert_holds(back, "index.html", "one");
	assert_int_equal(stat(front_page, &was), 0);
	build(out, &m, pages, "two", &st, false, false);
	assert_int_equal(st.written, 0);
	assert_holds(out, "index.html", "two");
	assert_holds(back, "index.html", "two");
	assert_int_equal(stat(front_page, &now), 0);
	assert_int_equal(was.st_mtim.tv_nsec, now.st_mtim.tv_nsec);
	assert_int_equal(was.st_mtim.tv_sec, now.st_mtim.tv_sec);
	memo_free(&m);
	fs_remove_tree(dir);
	free(front_page);
	free(back);
	free(out);
	free(dir);
}

/*
 * A build cut short after its swap, before it saved what it did: the
 * next build, with the older records, still makes the right site.
 */
static void
test_cut_short_after_swap(void **state)
{
	static const char *const pages[] = { "index.html", "a/index.html",
	    NULL };
	char *dir = scratch(), *out = fs_join(dir, "public");
	struct memo m = { 0 };
	struct output_stats st;

	(void)state;
	build(out, &m, pages, "one", &st, false, false);
	build(out, &m, pages, "one", &st, false, false);
	build(out, &m, pages, "two", &st, false, true);
	assert_holds(out, "a/index.html", "two");
	build(out, &m, pages, "three", &st, false, false);
	assert_holds(out, "a/index.html", "three");
	assert_holds(out, "index.html", "three");
	build(out, &m, pages, "one", &st, false, false);
	assert_holds(out, "a/index.html", "one");
	build(out, &m, pages, "one", &st, false, false);
	assert_holds(out, "a/index.html", "one");
	memo_free(&m);
	fs_remove_tree(dir);
	free(out);
	free(dir);
}

static void
test_prune_by_records(void **state)
{
	static const char *const all[] = { "index.html", "a/index.html",
	    "b/c/index.html", "b/d/index.html", NULL };
	static const char *const fewer[] = { "index.html", "b/d/index.html",
	    NULL };
	char *dir = scratch(), *out = fs_join(dir, "public"), *path;
	char *back = fs_join(dir, ".public.back");
	struct memo m = { 0 };
	struct output_stats st;
	FILE *f;

	(void)state;
	build(out, &m, all, NULL, &st, false, false);
	build(out, &m, all, NULL, &st, false, false);
	assert_int_equal(st.written, 0);
	/* A file the site never had, put in the back tree by hand. */
	path = fs_join(back, "b/notes.txt");
	assert_non_null(f = fopen(path, "w"));
	fclose(f);

	/* With records: the two pages that left go, with folders left empty. */
	build(out, &m, fewer, NULL, &st, false, false);
	assert_int_equal(st.removed, 2);
	assert_holds(out, "a/index.html", NULL);
	assert_holds(out, "b/c/index.html", NULL);
	assert_holds(out, "b/d/index.html", "b/d/index.html");
	assert_holds(out, "b/notes.txt", "");

	/* Without records (no cache): whatever is not the site goes too. */
	memo_free(&m);
	build(out, &m, fewer, NULL, &st, false, false);
	build(out, &m, fewer, NULL, &st, false, false);
	assert_holds(out, "b/notes.txt", NULL);
	memo_free(&m);
	fs_remove_tree(dir);
	free(path);
	free(back);
	free(out);
	free(dir);
}

/* A link planted where a folder of the site goes is not written through. */
static void
test_links_not_followed(void **state)
{
	static const char *const pages[] = { "index.html", "t/index.html",
	    NULL };
	char *dir = scratch(), *out = fs_join(dir, "public");
	char *back = fs_join(dir, ".public.back"), *victim = fs_join(dir,
	    "victim"), *link = fs_join(back, "t"), *target, *t;
	struct memo m = { 0 };
	struct output_stats st;
	struct stat sb;

	(void)state;
	build(out, &m, pages, "one", &st, false, false);
	build(out, &m, pages, "one", &st, false, false);
	assert_int_equal(mkdir(victim, 0755), 0);
	assert_int_equal(fs_remove_tree(link), 0);
	assert_int_equal(symlink(victim, link), 0);
	build(out, &m, pages, "two", &st, false, false);
	target = fs_join(victim, "index.html");
	assert_false(fs_exists(target));
	t = fs_join(out, "t");
	assert_int_equal(lstat(t, &sb), 0);
	free(t);
	assert_true(S_ISDIR(sb.st_mode));
	assert_holds(out, "t/index.html", "two");
	memo_free(&m);
	fs_remove_tree(dir);
	free(target);
	free(link);
	free(victim);
	free(back);
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
		cmocka_unit_test(test_swap_in_whole),
		cmocka_unit_test(test_unchanged_rewrites_nothing),
		cmocka_unit_test(test_back_catches_up),
		cmocka_unit_test(test_cut_short_after_swap),
		cmocka_unit_test(test_prune_by_records),
		cmocka_unit_test(test_links_not_followed),
		cmocka_unit_test(test_overwrite_shorter),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
