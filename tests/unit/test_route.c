/* Request paths to files: decoding once, and never leaving the root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "../../generator/serve/route.h"
#include "../../generator/util/fs.h"
#include "../../generator/util/xalloc.h"

static void
check_decode(const char *raw, const char *want)
{
	char *got = route_decode(raw);

	if (want == NULL) {
		if (got != NULL)
			print_message("# %s decoded to %s\n", raw, got);
		assert_null(got);
	} else {
		assert_non_null(got);
		assert_string_equal(got, want);
	}
	free(got);
}

static void
test_decode(void **state)
{
	(void)state;
	check_decode("/", "/");
	check_decode("/a%20b/", "/a b/");
	check_decode("/districts/%E7%BE%8E%e5%85%b0%E5%8C%BA/",
	    "/districts/美兰区/");
	check_decode("/districts/美兰区/", "/districts/美兰区/");
	check_decode("/a%2Fb", "/a/b");
	check_decode("/...", "/...");
	check_decode("/.well-known/x", "/.well-known/x");
	check_decode("/a..b/c..", "/a..b/c..");
	/* Traversal, written plainly or encoded in any mix of cases. */
	check_decode("/../etc/passwd", NULL);
	check_decode("/a/../../x", NULL);
	check_decode("/a/..", NULL);
	check_decode("/a/./b", NULL);
	check_decode("/%2e%2e/x", NULL);
	check_decode("/%2E%2E%2Fx", NULL);
	check_decode("/.%2e/x", NULL);
	check_decode("/a%2f..%2fb", NULL);
	check_decode("/a%2F%2E", NULL);
	/* Malformed. */
	check_decode("", NULL);
	check_decode("a/b", NULL);
	check_decode("http://x/", NULL);
	check_decode("/%00", NULL);
	check_decode("/a%00.html", NULL);
	check_decode("/%zz", NULL);
	check_decode("/%4", NULL);
	check_decode("/%", NULL);
	check_decode("/%ff%fe", NULL);
	check_decode("/%E7%BE", NULL);
}

static void
test_types(void **state)
{
	(void)state;
	assert_string_equal(route_type("index.html"),
	    "text/html; charset=utf-8");
	assert_string_equal(route_type("a/style.CSS"),
	    "text/css; charset=utf-8");
	assert_string_equal(route_type("search/search.js"),
	    "text/javascript; charset=utf-8");
	assert_string_equal(route_type("search/shard-1.json"),
	    "application/json");
	assert_string_equal(route_type("feed.xml"),
	    "application/xml; charset=utf-8");
	assert_string_equal(route_type("robots.txt"),
	    "text/plain; charset=utf-8");
	assert_string_equal(route_type("map.svg"), "image/svg+xml");
	assert_string_equal(route_type("f.woff2"), "font/woff2");
	assert_string_equal(route_type("x.png"), "image/png");
	assert_string_equal(route_type("README"), "application/octet-stream");
	assert_string_equal(route_type("a.b/README"),
	    "application/octet-stream");
	assert_string_equal(route_type("x.unknown"),
	    "application/octet-stream");
}

struct tree {
	char	*top;		/* holds root/ and secret/ */
	char	*root;
};

static void
put(const char *dir, const char *rel, const char *text)
{
	char *path = fs_join(dir, rel);

	assert_int_equal(fs_write_atomic(path, text, strlen(text)), 0);
	free(path);
}

static void
link_to(const char *dir, const char *rel, const char *target)
{
	char *path = fs_join(dir, rel);

	assert_int_equal(symlink(target, path), 0);
	free(path);
}

static int
setup(void **state)
{
	char tmpl[] = "/tmp/jiceng-route.XXXXXX";
	struct tree *t = xcalloc(1, sizeof(*t));
	char *fifo;

	assert_non_null(mkdtemp(tmpl));
	t->top = xstrdup(tmpl);
	t->root = fs_join(tmpl, "public");
	put(t->root, "index.html", "home");
	put(t->root, "404.html", "missing");
	put(t->root, "assets/style.css", "a{}");
	put(t->root, "districts/美兰区/index.html", "美兰区");
	put(t->root, "empty/.keep", "");
	put(t->top, "secret/key.txt", "secret");
	put(t->top, "outside.txt", "outside");
	link_to(t->root, "escape.txt", "../outside.txt");
	link_to(t->root, "escape", "../secret");
	link_to(t->root, "inside.html", "index.html");
	fifo = fs_join(t->root, "fifo.html");
	assert_int_equal(mkfifo(fifo, 0600), 0);
	free(fifo);
	*state = t;
	return 0;
}

static int
teardown(void **state)
{
	struct tree *t = *state;

	fs_remove_tree(t->top);
	free(t->top);
	free(t->root);
	free(t);
	return 0;
}

/* Opens path; on ROUTE_FILE checks the bytes and the type. */
static void
check_open(struct tree *t, const char *path, enum route_result want,
    const char *body, const char *type)
{
	const char *got_type = NULL;
	char buf[64];
	off_t size = -1;
	ssize_t n;
	int fd = -1;

	assert_int_equal(route_open(t->root, path, &fd, &size, &got_type),
	    want);
	if (want != ROUTE_FILE) {
		assert_int_equal(fd, -1);
		return;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	assert_true(n >= 0);
	buf[n] = '\0';
	assert_string_equal(buf, body);
	assert_int_equal(size, n);
	assert_string_equal(got_type, type);
	close(fd);
}

static void
test_open(void **state)
{
	struct tree *t = *state;
	const char *html = "text/html; charset=utf-8";

	check_open(t, "/", ROUTE_FILE, "home", html);
	check_open(t, "/index.html", ROUTE_FILE, "home", html);
	check_open(t, "//index.html", ROUTE_FILE, "home", html);
	check_open(t, "/assets/style.css", ROUTE_FILE, "a{}",
	    "text/css; charset=utf-8");
	check_open(t, "/districts/美兰区/", ROUTE_FILE, "美兰区", html);
	check_open(t, "/districts/美兰区/index.html", ROUTE_FILE, "美兰区",
	    html);
	/* A folder without its slash; one without an index. */
	check_open(t, "/districts/美兰区", ROUTE_REDIRECT, NULL, NULL);
	check_open(t, "/assets", ROUTE_REDIRECT, NULL, NULL);
	check_open(t, "/assets/", ROUTE_NOT_FOUND, NULL, NULL);
	check_open(t, "/empty/", ROUTE_NOT_FOUND, NULL, NULL);
	check_open(t, "/nothing.html", ROUTE_NOT_FOUND, NULL, NULL);
	check_open(t, "/index.html/", ROUTE_NOT_FOUND, NULL, NULL);
	check_open(t, "/index.html/x", ROUTE_NOT_FOUND, NULL, NULL);
	/* Links are never followed, wherever they point. */
	check_open(t, "/escape.txt", ROUTE_NOT_FOUND, NULL, NULL);
	check_open(t, "/escape/key.txt", ROUTE_NOT_FOUND, NULL, NULL);
	check_open(t, "/escape/", ROUTE_NOT_FOUND, NULL, NULL);
	check_open(t, "/inside.html", ROUTE_NOT_FOUND, NULL, NULL);
	/* Only regular files, and without blocking on a FIFO. */
	check_open(t, "/fifo.html", ROUTE_NOT_FOUND, NULL, NULL);
	check_open(t, "/../outside.txt", ROUTE_BAD_REQUEST, NULL, NULL);
	check_open(t, "/assets/../../outside.txt", ROUTE_BAD_REQUEST, NULL,
	    NULL);
	check_open(t, "outside.txt", ROUTE_BAD_REQUEST, NULL, NULL);
}

static void
test_missing_root(void **state)
{
	const char *type;
	off_t size;
	int fd;

	(void)state;
	assert_int_equal(route_open("/nonexistent/jiceng", "/", &fd, &size,
	    &type), ROUTE_NOT_FOUND);
	assert_int_equal(fd, -1);
}

static void
check_range(const char *header, off_t size, int want, off_t from, off_t len)
{
	off_t f = -7, l = -7;

	assert_int_equal(route_range(header, size, &f, &l), want);
	if (want == 1) {
		assert_int_equal(f, from);
		assert_int_equal(l, len);
	}
}

/* One range is served as static hosts serve it; anything else is not. */
static void
test_range(void **state)
{
	(void)state;
	check_range("bytes=0-15", 100, 1, 0, 16);
	check_range("bytes=90-", 100, 1, 90, 10);
	check_range("bytes=90-200", 100, 1, 90, 10);
	check_range("bytes=-10", 100, 1, 90, 10);
	check_range("bytes=-500", 100, 1, 0, 100);
	check_range("BYTES=5-5", 100, 1, 5, 1);
	check_range("bytes=100-", 100, -1, 0, 0);
	check_range("bytes=-0", 100, -1, 0, 0);
	check_range("bytes=0-", 0, -1, 0, 0);
	check_range(NULL, 100, 0, 0, 0);
	check_range("bytes=0-1,5-6", 100, 0, 0, 0);
	check_range("bytes=5-1", 100, 0, 0, 0);
	check_range("bytes=a-1", 100, 0, 0, 0);
	check_range("items=0-1", 100, 0, 0, 0);
	check_range("bytes=99999999999999999999-", 100, 0, 0, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode),
		cmocka_unit_test(test_types),
		cmocka_unit_test_setup_teardown(test_open, setup, teardown),
		cmocka_unit_test(test_missing_root),
		cmocka_unit_test(test_range),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
