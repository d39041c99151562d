/*
 * Pruning a tree of the output: the files not kept go, then the folders
 * they leave empty, and nothing outside the tree, whatever links it
 * holds.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <cmocka.h>

#include "../../generator/util/fs.h"
#include "../../generator/util/xalloc.h"
#include "../../generator/write/prune.h"

/* A scratch folder holding tree/ and, beside it, outside/. */
struct scratch {
	char	*dir;
	char	*tree;
	int	 fd;		/* on tree */
	struct diags d;
};

static void
scratch_open(struct scratch *s)
{
	char tmpl[] = "/tmp/jiceng-prune.XXXXXX";

	assert_non_null(mkdtemp(tmpl));
	s->dir = xstrdup(tmpl);
	s->tree = fs_join(s->dir, "tree");
	assert_int_equal(fs_mkdirs(s->tree), 0);
	s->fd = open(s->tree, O_PATH | O_DIRECTORY);
	assert_true(s->fd != -1);
	s->d = (struct diags)DIAGS_INIT;
}

static void
scratch_close(struct scratch *s)
{
	assert_int_equal(s->d.count, 0);
	close(s->fd);
	fs_remove_tree(s->dir);
	free(s->tree);
	free(s->dir);
}

/* Writes the file rel of the scratch folder. */
static void
put(const struct scratch *s, const char *rel)
{
	char *path = fs_join(s->dir, rel);

	assert_int_equal(fs_write(path, rel, strlen(rel)), 0);
	free(path);
}

static bool
there(const struct scratch *s, const char *rel)
{
	char *path = fs_join(s->dir, rel);
	bool yes = fs_exists(path);

	free(path);
	return yes;
}

/* Keeps the files whose names start with "keep". */
static bool
keep_kept(void *arg, const char *rel)
{
	const char *base = strrchr(rel, '/');

	(void)arg;
	return strncmp(base != NULL ? base + 1 : rel, "keep", 4) == 0;
}

static struct prune_tree
tree_of(const struct scratch *s, const char *spare)
{
	struct prune_tree t = { s->fd, s->tree, spare, keep_kept, NULL };

	return t;
}

/* The walk removes what is not kept and the folders left empty. */
static void
test_walk(void **state)
{
	struct scratch s;
	struct prune_tree t;
	size_t removed = 0;

	(void)state;
	scratch_open(&s);
	t = tree_of(&s, ".mark");
	put(&s, "tree/gone.html");
	put(&s, "tree/keep.html");
	put(&s, "tree/.mark");
	put(&s, "tree/a/b/gone.html");
	put(&s, "tree/a/c/keep.html");
	put(&s, "tree/a/c/gone.html");
	assert_int_equal(prune_walk(&t, &removed, &s.d), 0);
	assert_int_equal(removed, 3);
	assert_false(there(&s, "tree/gone.html"));
	assert_true(there(&s, "tree/keep.html"));
	assert_true(there(&s, "tree/.mark"));
	assert_false(there(&s, "tree/a/b"));
	assert_true(there(&s, "tree/a/c/keep.html"));
	assert_false(there(&s, "tree/a/c/gone.html"));
	scratch_close(&s);
}

/* One file goes, and each folder it leaves empty, up to the first not. */
static void
test_path(void **state)
{
	struct scratch s;
	struct prune_tree t;

	(void)state;
	scratch_open(&s);
	t = tree_of(&s, NULL);
	put(&s, "tree/a/keep.html");
	put(&s, "tree/a/b/c/gone.html");
	assert_int_equal(prune_path(&t, "a/b/c/gone.html", &s.d), 1);
	assert_false(there(&s, "tree/a/b"));
	assert_true(there(&s, "tree/a/keep.html"));
	/* A file already gone is no error. */
	assert_int_equal(prune_path(&t, "a/b/c/gone.html", &s.d), 0);
	assert_int_equal(prune_path(&t, "nothing/here.html", &s.d), 0);
	scratch_close(&s);
}

/* A link planted in the tree is removed, never followed out of it. */
static void
test_links_not_followed(void **state)
{
	struct scratch s;
	struct prune_tree t;
	size_t removed = 0;
	char *outside;

	(void)state;
	scratch_open(&s);
	t = tree_of(&s, NULL);
	outside = fs_join(s.dir, "outside");
	put(&s, "outside/gone.html");
	assert_int_equal(symlinkat(outside, s.fd, "link"), 0);
	assert_int_equal(prune_path(&t, "link/gone.html", &s.d), 0);
	assert_true(there(&s, "outside/gone.html"));
	assert_int_equal(prune_walk(&t, &removed, &s.d), 0);
	assert_int_equal(removed, 1);
	assert_false(there(&s, "tree/link"));
	assert_true(there(&s, "outside/gone.html"));
	free(outside);
	scratch_close(&s);
}

/* A tree that cannot be listed is an error, with its name. */
static void
test_unlistable(void **state)
{
	struct scratch s;
	struct prune_tree t;
	size_t removed = 0;

	(void)state;
	scratch_open(&s);
	t = tree_of(&s, NULL);
	put(&s, "tree/file");
	t.fd = -1;
	assert_int_equal(prune_walk(&t, &removed, &s.d), -1);
	assert_int_equal(s.d.errors, 1);
	assert_non_null(strstr(s.d.items[0].message, "cannot list"));
	diags_free(&s.d);
	scratch_close(&s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_walk),
		cmocka_unit_test(test_path),
		cmocka_unit_test(test_links_not_followed),
		cmocka_unit_test(test_unlistable),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
