/* The watcher: real file operations in a scratch site, real inotify. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "../../generator/serve/watch.h"
#include "../../generator/util/fs.h"
#include "../../generator/util/xalloc.h"

struct fixture {
	char	*dir;		/* the site folder */
	char	*outside;	/* a folder beside it */
	struct watch *watch;
	struct watch_changes changes;
};

static char *
at(struct fixture *f, const char *rel)
{
	return fs_join(f->dir, rel);
}

static void
make_dir(struct fixture *f, const char *rel)
{
	char *path = at(f, rel);

	assert_int_equal(fs_mkdirs(path), 0);
	free(path);
}

/* Writes a file in place, as a shell redirection or most tools do. */
static void
write_file(struct fixture *f, const char *rel, const char *text)
{
	char *path = at(f, rel);
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
	free(path);
}

static void
rename_file(struct fixture *f, const char *from, const char *to)
{
	char *a = at(f, from), *b = at(f, to);

	assert_int_equal(rename(a, b), 0);
	free(a);
	free(b);
}

/* Reads events until none came for 200 ms (3 s at most). */
static void
settle(struct fixture *f)
{
	struct pollfd pfd = { watch_fd(f->watch), POLLIN, 0 };
	int rounds;

	watch_changes_clear(&f->changes);
	for (rounds = 0; rounds < 15 && poll(&pfd, 1, 200) == 1; rounds++)
		assert_true(watch_read(f->watch, &f->changes) >= 0);
}

static void
assert_changes(struct fixture *f, const char *const *want, size_t n)
{
	size_t i;

	settle(f);
	if (f->changes.count != n)
		for (i = 0; i < f->changes.count; i++)
			print_message("# changed: %s\n", f->changes.paths[i]);
	assert_int_equal(f->changes.count, n);
	for (i = 0; i < n; i++)
		assert_string_equal(f->changes.paths[i], want[i]);
}

#define ASSERT_CHANGES(f, ...) do {					\
	static const char *const want_[] = { __VA_ARGS__ };		\
	assert_changes((f), want_, sizeof(want_) / sizeof(*want_));	\
} while (0)
#define ASSERT_NO_CHANGE(f) assert_changes((f), NULL, 0)

static int
setup(void **state)
{
	char tmpl[] = "/tmp/jiceng-watch.XXXXXX";
	struct fixture *f = xcalloc(1, sizeof(*f));

	assert_non_null(mkdtemp(tmpl));
	f->outside = xstrdup(tmpl);
	f->dir = fs_join(tmpl, "site");
	make_dir(f, "content/articles");
	make_dir(f, "templates/partials");
	make_dir(f, "public/articles");
	make_dir(f, "build");
	write_file(f, "content/site.yaml", "title: t\n");
	write_file(f, "content/articles/a.md", "---\ntitle: a\n---\n");
	assert_non_null(f->watch = watch_new(f->dir));
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	watch_free(f->watch);
	watch_changes_clear(&f->changes);
	fs_remove_tree(f->outside);
	free(f->outside);
	free(f->dir);
	free(f);
	return 0;
}

static void
test_scratch_names(void **state)
{
	static const char *const ignored[] = { ".#a.md", ".a.md.swp",
	    "a.md.swp", "a.md~", "4913", "#a.md#", ".hidden", "x.swx" };
	static const char *const seen[] = { "a.md", "site.yaml", "49130",
	    "a#", "swp", "a.md.tmp" };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ignored) / sizeof(*ignored); i++)
		assert_true(watch_ignores(ignored[i]));
	for (i = 0; i < sizeof(seen) / sizeof(*seen); i++)
		assert_false(watch_ignores(seen[i]));
}

static void
test_write_in_place(void **state)
{
	struct fixture *f = *state;

	write_file(f, "content/articles/a.md", "---\ntitle: b\n---\n");
	ASSERT_CHANGES(f, "content/articles/a.md");
	write_file(f, "content/site.yaml", "title: u\n");
	write_file(f, "templates/partials/x.mustache", "{{x}}");
	ASSERT_CHANGES(f, "content/site.yaml", "templates/partials/x.mustache");
}

/* How vim and most editors save: scratch files, then a rename. */
static void
test_atomic_rename(void **state)
{
	struct fixture *f = *state;

	write_file(f, "content/articles/.#a.md", "lock");
	write_file(f, "content/articles/4913", "");
	write_file(f, "content/articles/.a.md.swp", "swap");
	ASSERT_NO_CHANGE(f);
	rename_file(f, "content/articles/a.md", "content/articles/a.md~");
	write_file(f, "content/articles/.a.md.new", "---\ntitle: c\n---\n");
	rename_file(f, "content/articles/.a.md.new", "content/articles/a.md");
	ASSERT_CHANGES(f, "content/articles/a.md");
}

static void
test_delete(void **state)
{
	struct fixture *f = *state;
	char *path = at(f, "content/articles/a.md");

	assert_int_equal(unlink(path), 0);
	free(path);
	ASSERT_CHANGES(f, "content/articles/a.md");
}

/* Folders made after the start are watched, however deep. */
static void
test_new_folders(void **state)
{
	struct fixture *f = *state;

	make_dir(f, "content/articles/2024/06");
	settle(f);
	assert_true(f->changes.count >= 1);
	assert_string_equal(f->changes.paths[0], "content/articles/2024");
	write_file(f, "content/articles/2024/06/b.md", "b");
	ASSERT_CHANGES(f, "content/articles/2024/06/b.md");
}

/* A root that did not exist at the start counts from when it appears. */
static void
test_root_created_later(void **state)
{
	struct fixture *f = *state;

	make_dir(f, "assets");
	ASSERT_CHANGES(f, "assets");
	write_file(f, "assets/style.css", "a{}");
	ASSERT_CHANGES(f, "assets/style.css");
}

static void
test_folder_moved_in_and_out(void **state)
{
	struct fixture *f = *state;
	char *from = fs_join(f->outside, "img"), *sub = fs_join(from, "icons");
	char *to = at(f, "templates/img"), *back = fs_join(f->outside, "back");

	assert_int_equal(fs_mkdirs(sub), 0);
	assert_int_equal(rename(from, to), 0);
	ASSERT_CHANGES(f, "templates/img");
	write_file(f, "templates/img/icons/x.svg", "<svg/>");
	ASSERT_CHANGES(f, "templates/img/icons/x.svg");
	assert_int_equal(rename(to, back), 0);
	ASSERT_CHANGES(f, "templates/img");
	/* Gone from the site: its files no longer count. */
	free(sub);
	sub = fs_join(back, "icons/y.svg");
	assert_int_equal(fs_write_atomic(sub, "y", 1), 0);
	ASSERT_NO_CHANGE(f);
	free(from);
	free(sub);
	free(to);
	free(back);
}

/* Never the output or build folders: a build must not set off another. */
static void
test_output_not_watched(void **state)
{
	struct fixture *f = *state;

	write_file(f, "public/articles/index.html", "<p>");
	write_file(f, "public/index.html", "<p>");
	write_file(f, "build/x.o", "");
	make_dir(f, "public/new");
	write_file(f, "notes.txt", "x");
	ASSERT_NO_CHANGE(f);
}

static void
test_whole_root_replaced(void **state)
{
	struct fixture *f = *state;
	char *content = at(f, "content");
	char *copy = fs_join(f->outside, "content");

	assert_int_equal(rename(content, copy), 0);
	ASSERT_CHANGES(f, "content");
	assert_int_equal(rename(copy, content), 0);
	ASSERT_CHANGES(f, "content");
	write_file(f, "content/articles/c.md", "c");
	ASSERT_CHANGES(f, "content/articles/c.md");
	free(content);
	free(copy);
}

static void
test_missing_site(void **state)
{
	(void)state;
	errno = 0;
	assert_null(watch_new("/nonexistent/jiceng-site"));
	assert_int_equal(errno, ENOENT);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scratch_names),
		cmocka_unit_test_setup_teardown(test_write_in_place, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_atomic_rename, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_delete, setup, teardown),
		cmocka_unit_test_setup_teardown(test_new_folders, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_root_created_later, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_folder_moved_in_and_out,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_output_not_watched, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_whole_root_replaced, setup,
		    teardown),
		cmocka_unit_test(test_missing_site),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
