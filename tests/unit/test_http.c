/* The preview server, in-process: listening, pages, the event stream. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>

#include "../../generator/serve/http.h"
#include "../../generator/util/buf.h"
#include "../../generator/util/fs.h"
#include "../../generator/util/xalloc.h"

static void
check_inject(const char *html, const char *before, const char *after)
{
	size_t len;
	char *got = http_inject_reload(html, strlen(html), 7, &len);
	char *script = strstr(got, "<script>");

	assert_int_equal(len, strlen(got));
	assert_non_null(script);
	assert_non_null(strstr(script, HTTP_EVENTS_PATH "?since=7"));
	assert_memory_equal(got, before, strlen(before));
	assert_int_equal(script - got, strlen(before));
	assert_string_equal(got + len - strlen(after), after);
	free(got);
}

static void
test_inject(void **state)
{
	(void)state;
	check_inject("<html><body><p>x</p></body></html>\n",
	    "<html><body><p>x</p>", "</body></html>\n");
	check_inject("<BODY>x</BODY>", "<BODY>x", "</BODY>");
	/* The last </body>, not one quoted in the page. */
	check_inject("<body><pre>&lt;/body></pre><code></body></code></body>",
	    "<body><pre>&lt;/body></pre><code></body></code>", "</body>");
	check_inject("<p>no body", "<p>no body", "</script>\n");
	check_inject("", "", "</script>\n");
}

static void
test_listen(void **state)
{
	struct diags d = DIAGS_INIT;
	char *url = NULL, *again = NULL, *want;
	unsigned port;
	int fd, fd2;

	(void)state;
	fd = http_listen("127.0.0.1", 0, &url, &d);
	assert_true(fd >= 0);
	assert_int_equal(sscanf(url, "http://127.0.0.1:%u", &port), 1);
	assert_true(port > 0);
	/* The same port again: the message names where and why. */
	fd2 = http_listen("127.0.0.1", port, &again, &d);
	assert_int_equal(fd2, -1);
	assert_null(again);
	assert_int_equal(d.errors, 1);
	want = xasprintf("127.0.0.1:%u", port);
	assert_string_equal(d.items[0].path, want);
	assert_string_equal(d.items[0].message,
	    "cannot listen: Address already in use");
	diags_free(&d);
	/* Reserved for documentation (RFC 5737): no machine has it. */
	assert_int_equal(http_listen("192.0.2.1", 0, &again, &d), -1);
	assert_int_equal(d.errors, 1);
	assert_string_equal(d.items[0].message,
	    "cannot listen: Cannot assign requested address");
	diags_free(&d);
	close(fd);
	free(want);
	free(url);
}

struct server {
	char	*dir;
	struct http *http;
	unsigned port;
};

static int
setup(void **state)
{
	char tmpl[] = "/tmp/jiceng-http.XXXXXX";
	struct server *s = xcalloc(1, sizeof(*s));
	struct diags d = DIAGS_INIT;
	char *url = NULL, *page;
	int fd;

	assert_non_null(mkdtemp(tmpl));
	s->dir = xstrdup(tmpl);
	page = fs_join(tmpl, "index.html");
	assert_int_equal(fs_write_atomic(page, "<body>home</body>", 17), 0);
	free(page);
	fd = http_listen("127.0.0.1", 0, &url, &d);
	assert_true(fd >= 0);
	assert_int_equal(sscanf(url, "http://127.0.0.1:%u", &s->port), 1);
	assert_non_null(s->http = http_start(s->dir, fd, &d));
	assert_int_equal(d.count, 0);
	free(url);
	*state = s;
	return 0;
}

static int
teardown(void **state)
{
	struct server *s = *state;

	http_free(s->http);
	fs_remove_tree(s->dir);
	free(s->dir);
	free(s);
	return 0;
}

static int
connect_to(struct server *s, const char *request)
{
	struct sockaddr_in addr;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	memset(&addr, 0, sizeof(addr));
	addr.sin_family = AF_INET;
	addr.sin_port = htons((unsigned short)s->port);
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(connect(fd, (struct sockaddr *)&addr, sizeof(addr)),
	    0);
	assert_int_equal(write(fd, request, strlen(request)),
	    (ssize_t)strlen(request));
	return fd;
}

/*
 * Reads into b until it holds want: returns 1 then, 0 when the server
 * closed the connection first, -1 when 5 s passed.
 */
static int
read_until(int fd, struct buf *b, const char *want)
{
	struct pollfd pfd = { fd, POLLIN, 0 };
	char chunk[4096];
	ssize_t n;

	while (want == NULL || strstr(buf_str(b), want) == NULL) {
		if (poll(&pfd, 1, 5000) != 1)
			return -1;
		if ((n = read(fd, chunk, sizeof(chunk))) <= 0)
			return 0;
		buf_append(b, chunk, (size_t)n);
	}
	return 1;
}

static void
test_page(void **state)
{
	struct server *s = *state;
	struct buf b = BUF_INIT;
	int fd;

	fd = connect_to(s, "GET / HTTP/1.0\r\n\r\n");
	read_until(fd, &b, "</body>");
	close(fd);
	assert_non_null(strstr(buf_str(&b), "HTTP/1.1 200"));
	assert_non_null(strstr(buf_str(&b), "home<script>"));
	assert_non_null(strstr(buf_str(&b), "?since=0"));
	buf_free(&b);
	http_notify(s->http);
	fd = connect_to(s, "GET / HTTP/1.0\r\n\r\n");
	read_until(fd, &b, "</body>");
	close(fd);
	assert_non_null(strstr(buf_str(&b), "?since=1"));
	buf_free(&b);
}

static void
test_events(void **state)
{
	struct server *s = *state;
	struct buf b = BUF_INIT;
	int fd, late;

	fd = connect_to(s, "GET " HTTP_EVENTS_PATH " HTTP/1.1\r\n"
	    "Host: x\r\n\r\n");
	read_until(fd, &b, "retry: 1000");
	assert_non_null(strstr(buf_str(&b), "text/event-stream"));
	assert_null(strstr(buf_str(&b), "event: reload"));
	http_notify(s->http);
	read_until(fd, &b, "data: 1");
	assert_non_null(strstr(buf_str(&b), "event: reload\ndata: 1\n"));
	/* A page from before the build asks with since=0: told at once. */
	late = connect_to(s, "GET " HTTP_EVENTS_PATH "?since=0 HTTP/1.1\r\n"
	    "Host: x\r\n\r\n");
	buf_truncate(&b, 0);
	read_until(late, &b, "event: reload");
	assert_non_null(strstr(buf_str(&b), "event: reload\ndata: 1\n"));
	buf_free(&b);
	/* Both streams stay open: teardown must still end promptly. */
	close(fd);
	close(late);
}

static void
test_open_stream_at_stop(void **state)
{
	struct server *s = *state;
	struct buf b = BUF_INIT;
	int fd;

	fd = connect_to(s, "GET " HTTP_EVENTS_PATH " HTTP/1.1\r\n"
	    "Host: x\r\n\r\n");
	read_until(fd, &b, "retry: 1000");
	http_free(s->http);
	s->http = NULL;
	/* The stream ends rather than hanging. */
	assert_int_equal(read_until(fd, &b, NULL), 0);
	close(fd);
	buf_free(&b);
}

static void
test_method(void **state)
{
	struct server *s = *state;
	struct buf b = BUF_INIT;
	int fd;

	fd = connect_to(s, "POST / HTTP/1.0\r\nContent-Length: 0\r\n\r\n");
	read_until(fd, &b, "not allowed");
	close(fd);
	assert_non_null(strstr(buf_str(&b), "HTTP/1.1 405"));
	assert_non_null(strstr(buf_str(&b), "Allow: GET, HEAD"));
	buf_free(&b);
}

/* A failed build's messages go to every stream, and to streams after. */
static void
test_failure_events(void **state)
{
	struct server *s = *state;
	struct buf b = BUF_INIT;
	int fd, late;

	fd = connect_to(s, "GET " HTTP_EVENTS_PATH " HTTP/1.1\r\n"
	    "Host: x\r\n\r\n");
	read_until(fd, &b, "retry: 1000");
	http_notify_failure(s->http, "content/a.md:2:8: error: bad\n"
	    "jiceng: 1 error\n");
	assert_int_equal(read_until(fd, &b, "1 error\n\n"), 1);
	assert_non_null(strstr(buf_str(&b), "event: failed\n"
	    "data: content/a.md:2:8: error: bad\ndata: jiceng: 1 error\n\n"));
	/* A page opened meanwhile learns of it on connecting. */
	late = connect_to(s, "GET " HTTP_EVENTS_PATH "?since=0 HTTP/1.1\r\n"
	    "Host: x\r\n\r\n");
	buf_truncate(&b, 0);
	assert_int_equal(read_until(late, &b, "1 error\n\n"), 1);
	assert_non_null(strstr(buf_str(&b), "event: failed\n"));
	/* The next good build reloads both. */
	http_notify(s->http);
	assert_int_equal(read_until(late, &b, "event: reload"), 1);
	buf_truncate(&b, 0);
	assert_int_equal(read_until(fd, &b, "event: reload"), 1);
	buf_free(&b);
	close(fd);
	close(late);
}

/*
 * A hundred clients that connect and send part of a request, or
 * nothing, and a few open event streams: a page is still served at once.
 */
#define SLOW_CLIENTS	100

static void
test_slow_clients(void **state)
{
	struct server *s = *state;
	struct buf b = BUF_INIT;
	int slow[SLOW_CLIENTS + 10], fd, got;
	size_t i;

	for (i = 0; i < SLOW_CLIENTS; i++)
		slow[i] = connect_to(s, i % 2 ? "GET / HTTP/1.1\r\nHost: x" :
		    "");
	for (; i < SLOW_CLIENTS + 10; i++)
		slow[i] = connect_to(s, "GET " HTTP_EVENTS_PATH
		    " HTTP/1.1\r\nHost: x\r\n\r\n");
	fd = connect_to(s, "GET / HTTP/1.0\r\n\r\n");
	got = read_until(fd, &b, "</body>");
	close(fd);
	assert_int_equal(got, 1);
	assert_non_null(strstr(buf_str(&b), "HTTP/1.1 200"));
	for (i = 0; i < SLOW_CLIENTS + 10; i++)
		close(slow[i]);
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_inject),
		cmocka_unit_test(test_listen),
		cmocka_unit_test_setup_teardown(test_page, setup, teardown),
		cmocka_unit_test_setup_teardown(test_events, setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_stream_at_stop,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_method, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failure_events, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_slow_clients, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
