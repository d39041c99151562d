#include "http.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "route.h"
#include "../util/buf.h"
#include "../util/thread.h"
#include "../util/xalloc.h"

/*
 * Connections are handled by a few threads polling them all (epoll),
 * not by a thread each: a hundred clients that open a connection and
 * send nothing, or a byte now and then, cost a descriptor each and hold
 * no thread, so the next request is answered at once.  An idle
 * connection closes after IDLE_SECONDS.  Event streams are suspended
 * between messages, so they hold no thread either.
 */
#define POOL_THREADS		4
#define IDLE_SECONDS		10
/* A comment on streams, so a closed tab is noticed and freed. */
#define KEEPALIVE_SECONDS	15
/* Connections at most: what the descriptors allow, less some for builds. */
#define MAX_CONNECTIONS		4096
#define RESERVED_FDS		256
/* Of a failed build's messages, the lines and bytes a page is sent. */
#define FAILURE_LINES		200
#define FAILURE_BYTES		65536

/*
 * Reconnects after a lost stream within a second; since= lets a page
 * served before a build finished learn of it on connecting.  A failed
 * build's messages are shown over the page, which stays the last good
 * one, until the next build succeeds and reloads it.
 */
static const char reload_script[] =
    "<script>(function(){var b,e=new EventSource(\"" HTTP_EVENTS_PATH
    "?since=%lu\");e.addEventListener(\"reload\",function(){e.close();"
    "location.reload();});e.addEventListener(\"failed\",function(m){"
    "if(!b){b=document.createElement(\"pre\");b.id=\"jiceng-failed\";"
    "b.setAttribute(\"role\",\"alert\");b.style.cssText=\"position:"
    "fixed;left:0;right:0;bottom:0;max-height:50%%;overflow:auto;"
    "z-index:2147483647;margin:0;padding:1em;background:#fff0f0;"
    "color:#600;border-top:3px solid #c00;font:13px/1.4 monospace;"
    "white-space:pre-wrap\";document.body.appendChild(b);}"
    "b.textContent=\"jiceng: build failed; this is the last good site\\n"
    "\\n\"+m.data;});})();</script>\n";

/* The preview's own page where the site has none (a first build failed). */
static const char fallback_page[] =
    "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<meta charset=\"utf-8\">\n"
    "<title>jiceng</title>\n<body>\n<p>not found</p>\n</body>\n"
    "</html>\n";

struct stream;

struct http {
	struct MHD_Daemon *daemon;
	const char *root;		/* borrowed */
	struct thread ticker;		/* the keep-alive comments */
	pthread_mutex_t lock;		/* guards what follows */
	pthread_cond_t changed;		/* stopping, for the ticker */
	unsigned long generation;	/* successful builds so far */
	unsigned long failures;		/* failed builds so far */
	bool	 failed;		/* the latest build failed */
	struct buf failure;		/* its messages, one per line */
	unsigned long beat;		/* keep-alive periods so far */
	struct stream **waiting;	/* streams suspended for news */
	size_t	 nwaiting, capwaiting;
	bool	 stopping;
};

/* One open event stream. */
struct stream {
	struct http *http;
	struct MHD_Connection *conn;
	unsigned long seen;		/* the last build it was told of */
	unsigned long failures;		/* the failures it was told of */
	unsigned long beat;		/* the last keep-alive it sent */
	struct buf message;		/* being sent */
	size_t	 off;			/* bytes of message already sent */
};

/* Binds the first address that can be; returns the socket, or -1. */
static int
bind_first(const struct addrinfo *res, int *err)
{
	const struct addrinfo *ai;
	int fd = -1, on = 1;

	*err = EADDRNOTAVAIL;
	for (ai = res; ai != NULL && fd == -1; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
		    ai->ai_protocol);
		if (fd == -1) {
			*err = errno;
			continue;
		}
		/* A restarted preview gets its port back at once. */
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
		if (bind(fd, ai->ai_addr, ai->ai_addrlen) == -1 ||
		    listen(fd, 64) == -1) {
			*err = errno;
			close(fd);
			fd = -1;
		}
	}
	return fd;
}

/* The port fd listens on (the one picked when asked for port 0). */
static unsigned
bound_port(int fd)
{
	struct sockaddr_storage addr;
	socklen_t len = sizeof(addr);

	if (getsockname(fd, (struct sockaddr *)&addr, &len) == -1)
		return 0;
	if (addr.ss_family == AF_INET6)
		return ntohs(((struct sockaddr_in6 *)&addr)->sin6_port);
	return ntohs(((struct sockaddr_in *)&addr)->sin_port);
}

int
http_listen(const char *host, unsigned port, char **url, struct diags *d)
{
	/* An IPv6 address goes in brackets, in URLs and in messages. */
	const char *left = strchr(host, ':') ? "[" : "";
	const char *right = strchr(host, ':') ? "]" : "";
	struct addrinfo hints, *res = NULL;
	char service[16], *where;
	int fd = -1, err;

	*url = NULL;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	snprintf(service, sizeof(service), "%u", port);
	where = xasprintf("%s%s%s:%u", left, host, right, port);
	if ((err = getaddrinfo(host, service, &hints, &res)) != 0)
		diag_error(d, where, 0, 0, "cannot listen: %s",
		    gai_strerror(err));
	else if ((fd = bind_first(res, &err)) == -1)
		diag_error(d, where, 0, 0, "cannot listen: %s", strerror(err));
	else
		*url = xasprintf("http://%s%s%s:%u", left, host, right,
		    bound_port(fd));
	if (res != NULL)
		freeaddrinfo(res);
	free(where);
	return fd;
}

char *
http_inject_reload(const char *html, size_t len, unsigned long since,
    size_t *outlen)
{
	struct buf b = BUF_INIT;
	size_t at = len, i;

	for (i = len; i >= 6; i--) {
		if (strncasecmp(html + i - 6, "</body", 6) == 0) {
			at = i - 6;
			break;
		}
	}
	buf_append(&b, html, at);
	buf_printf(&b, reload_script, since);
	buf_append(&b, html + at, len - at);
	*outlen = b.len;
	return buf_detach(&b);
}

static unsigned long
current_generation(struct http *h)
{
	unsigned long g;

	pthread_mutex_lock(&h->lock);
	g = h->generation;
	pthread_mutex_unlock(&h->lock);
	return g;
}

/*
 * Queues r (NULL: the connection fails) with the headers every answer
 * carries.  no-store: a preview must never show a page from a cache.
 */
static enum MHD_Result
queue(struct MHD_Connection *conn, unsigned status, struct MHD_Response *r,
    const char *type)
{
	enum MHD_Result rc;

	if (r == NULL)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	rc = MHD_queue_response(conn, status, r);
	MHD_destroy_response(r);
	return rc;
}

static enum MHD_Result
queue_text(struct MHD_Connection *conn, unsigned status, const char *text)
{
	return queue(conn, status, MHD_create_response_from_buffer(
	    strlen(text), (void *)text, MHD_RESPMEM_PERSISTENT),
	    "text/plain; charset=utf-8");
}

static int
read_fd(int fd, struct buf *b)
{
	char chunk[16384];
	ssize_t n;

	for (;;) {
		n = read(fd, chunk, sizeof(chunk));
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return n == 0 ? 0 : -1;
		buf_append(b, chunk, (size_t)n);
	}
}

/*
 * Answers with the file open on fd (taken over) as it is, or the one
 * range of it a request asks for, as static hosts do: the search page
 * reads its index by ranges.
 */
static enum MHD_Result
queue_bytes(struct MHD_Connection *conn, unsigned status, int fd,
    off_t size, const char *type)
{
	struct MHD_Response *r;
	off_t from = 0, len = size;
	char range[64];
	int asked = 0;

	if (status == MHD_HTTP_OK)
		asked = route_range(MHD_lookup_connection_value(conn,
		    MHD_HEADER_KIND, MHD_HTTP_HEADER_RANGE), size, &from, &len);
	if (asked == -1) {
		close(fd);
		r = MHD_create_response_from_buffer(0, (void *)"",
		    MHD_RESPMEM_PERSISTENT);
		snprintf(range, sizeof(range), "bytes */%lld", (long long)size);
		if (r != NULL)
			MHD_add_response_header(r,
			    MHD_HTTP_HEADER_CONTENT_RANGE, range);
		return queue(conn, MHD_HTTP_RANGE_NOT_SATISFIABLE, r, type);
	}
	r = MHD_create_response_from_fd_at_offset64((uint64_t)len, fd,
	    (uint64_t)from);
	if (r == NULL) {
		close(fd);
		return queue(conn, status, r, type);
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_ACCEPT_RANGES, "bytes");
	if (asked == 1) {
		snprintf(range, sizeof(range), "bytes %lld-%lld/%lld",
		    (long long)from, (long long)(from + len - 1),
		    (long long)size);
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_RANGE,
		    range);
		status = MHD_HTTP_PARTIAL_CONTENT;
	}
	return queue(conn, status, r, type);
}

/* Answers with the file open on fd (taken over), HTML with the script. */
static enum MHD_Result
queue_file(struct http *h, struct MHD_Connection *conn, unsigned status,
    int fd, off_t size, const char *type)
{
	struct MHD_Response *r;
	struct buf b = BUF_INIT;
	size_t len;
	char *page;

	/* Other files go out as they are, through sendfile. */
	if (strncmp(type, "text/html", 9) != 0)
		return queue_bytes(conn, status, fd, size, type);
	if (read_fd(fd, &b) == -1) {
		close(fd);
		buf_free(&b);
		return queue_text(conn, MHD_HTTP_INTERNAL_SERVER_ERROR,
		    "cannot read the page\n");
	}
	close(fd);
	page = http_inject_reload(buf_str(&b), b.len, current_generation(h),
	    &len);
	buf_free(&b);
	if ((r = MHD_create_response_from_buffer(len, page,
	    MHD_RESPMEM_MUST_FREE)) == NULL)
		free(page);
	return queue(conn, status, r, type);
}

/*
 * The site's own 404 page, or a page of the preview's when it has none
 * (its first build failed): with the script, so the messages show.
 */
static enum MHD_Result
queue_not_found(struct http *h, struct MHD_Connection *conn)
{
	struct MHD_Response *r;
	const char *type;
	off_t size;
	size_t len;
	char *page;
	int fd;

	if (route_open(h->root, "/404.html", &fd, &size, &type) == ROUTE_FILE)
		return queue_file(h, conn, MHD_HTTP_NOT_FOUND, fd, size, type);
	page = http_inject_reload(fallback_page, strlen(fallback_page),
	    current_generation(h), &len);
	if ((r = MHD_create_response_from_buffer(len, page,
	    MHD_RESPMEM_MUST_FREE)) == NULL)
		free(page);
	return queue(conn, MHD_HTTP_NOT_FOUND, r, "text/html; charset=utf-8");
}

static enum MHD_Result
queue_redirect(struct MHD_Connection *conn, const char *url)
{
	struct MHD_Response *r;
	char *location = xasprintf("%s/", url);

	r = MHD_create_response_from_buffer(0, (void *)"",
	    MHD_RESPMEM_PERSISTENT);
	if (r != NULL)
		MHD_add_response_header(r, MHD_HTTP_HEADER_LOCATION, location);
	free(location);
	return queue(conn, MHD_HTTP_MOVED_PERMANENTLY, r,
	    "text/plain; charset=utf-8");
}

static enum MHD_Result
answer_file(struct http *h, struct MHD_Connection *conn, const char *url)
{
	enum MHD_Result rc = MHD_NO;
	const char *type = NULL;
	char *path;
	off_t size = 0;
	int fd = -1;

	if ((path = route_decode(url)) == NULL)
		return queue_text(conn, MHD_HTTP_BAD_REQUEST, "bad request\n");
	switch (route_open(h->root, path, &fd, &size, &type)) {
	case ROUTE_FILE:
		rc = queue_file(h, conn, MHD_HTTP_OK, fd, size, type);
		break;
	case ROUTE_REDIRECT:
		rc = queue_redirect(conn, url);
		break;
	case ROUTE_NOT_FOUND:
		rc = queue_not_found(h, conn);
		break;
	case ROUTE_BAD_REQUEST:
		rc = queue_text(conn, MHD_HTTP_BAD_REQUEST, "bad request\n");
		break;
	}
	free(path);
	return rc;
}

/* Appends a failed build's messages as the data of an event. */
static void
put_failure(struct buf *out, const struct buf *failure)
{
	const char *p = buf_str(failure), *nl;

	buf_puts(out, "event: failed\n");
	while (*p != '\0') {
		nl = strchr(p, '\n');
		buf_puts(out, "data: ");
		buf_append(out, p, nl != NULL ? (size_t)(nl - p) : strlen(p));
		buf_putc(out, '\n');
		p = nl != NULL ? nl + 1 : p + strlen(p);
	}
	buf_putc(out, '\n');
}

/*
 * Fills the stream's message with what it has not been told, under the
 * lock: 1 when there is one, 0 when there is none yet, -1 when the
 * server is stopping.
 */
static int
next_message(struct stream *s)
{
	struct http *h = s->http;

	buf_truncate(&s->message, 0);
	s->off = 0;
	if (h->stopping)
		return -1;
	if (h->generation != s->seen) {
		s->seen = h->generation;
		s->failures = h->failures;
		buf_printf(&s->message, "event: reload\ndata: %lu\n\n",
		    s->seen);
	} else if (h->failed && h->failures != s->failures) {
		s->failures = h->failures;
		put_failure(&s->message, &h->failure);
	} else if (h->beat != s->beat) {
		s->beat = h->beat;
		buf_puts(&s->message, ": keep-alive\n\n");
	}
	return s->message.len > 0;
}

/* Wakes every suspended stream, under the lock, to look for news. */
static void
wake_streams(struct http *h)
{
	size_t i;

	for (i = 0; i < h->nwaiting; i++)
		MHD_resume_connection(h->waiting[i]->conn);
	h->nwaiting = 0;
}

/* Suspends s, under the lock, until wake_streams. */
static void
wait_for_news(struct stream *s)
{
	struct http *h = s->http;

	if (h->nwaiting == h->capwaiting) {
		h->capwaiting = h->capwaiting ? h->capwaiting * 2 : 16;
		h->waiting = xreallocarray(h->waiting, h->capwaiting,
		    sizeof(*h->waiting));
	}
	h->waiting[h->nwaiting++] = s;
	MHD_suspend_connection(s->conn);
}

/*
 * Runs on one of the server's threads: with nothing to send, the
 * connection is suspended (returning 0 is then allowed) and resumed
 * when there is news, rather than holding the thread.
 */
static ssize_t
read_stream(void *arg, uint64_t pos, char *out, size_t max)
{
	struct stream *s = arg;
	size_t n;
	int more = 1;

	(void)pos;
	if (s->off == s->message.len) {
		pthread_mutex_lock(&s->http->lock);
		if ((more = next_message(s)) == 0)
			wait_for_news(s);
		pthread_mutex_unlock(&s->http->lock);
	}
	if (more == -1)
		return MHD_CONTENT_READER_END_OF_STREAM;
	if (more == 0)
		return 0;
	n = s->message.len - s->off < max ? s->message.len - s->off : max;
	memcpy(out, s->message.data + s->off, n);
	s->off += n;
	return (ssize_t)n;
}

static void
free_stream(void *arg)
{
	struct stream *s = arg;

	buf_free(&s->message);
	free(s);
}

static enum MHD_Result
answer_events(struct http *h, struct MHD_Connection *conn)
{
	struct stream *s = xcalloc(1, sizeof(*s));
	struct MHD_Response *r;
	const char *since;
	char *end;

	s->http = h;
	s->conn = conn;
	pthread_mutex_lock(&h->lock);
	s->seen = h->generation;
	s->beat = h->beat;
	pthread_mutex_unlock(&h->lock);
	/* The build the page came from; without it, the current one. */
	since = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND,
	    "since");
	if (since != NULL && *since >= '0' && *since <= '9') {
		s->seen = strtoul(since, &end, 10);
		if (*end != '\0')
			s->seen = current_generation(h);
	}
	/* Sent at once, so the client knows the stream is open. */
	buf_puts(&s->message, "retry: 1000\n\n");
	if ((r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096,
	    read_stream, s, free_stream)) == NULL)
		free_stream(s);
	return queue(conn, MHD_HTTP_OK, r, "text/event-stream");
}

static enum MHD_Result
answer(void *arg, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload,
    size_t *upload_size, void **state)
{
	static int headers_read;
	struct http *h = arg;
	struct MHD_Response *r;

	(void)version;
	(void)upload;
	(void)upload_size;
	/* Refused at once: the connection closes, any body unread. */
	if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 &&
	    strcmp(method, MHD_HTTP_METHOD_HEAD) != 0) {
		r = MHD_create_response_from_buffer(19,
		    (void *)"method not allowed\n", MHD_RESPMEM_PERSISTENT);
		if (r != NULL)
			MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW,
			    "GET, HEAD");
		return queue(conn, MHD_HTTP_METHOD_NOT_ALLOWED, r,
		    "text/plain; charset=utf-8");
	}
	/*
	 * An answer queued on the first call, before libmicrohttpd knows
	 * the request has no body, closes the connection; answering on
	 * the second keeps it alive for the page's styles and scripts.
	 */
	if (*state == NULL) {
		*state = &headers_read;
		return MHD_YES;
	}
	if (strcmp(url, HTTP_EVENTS_PATH) == 0)
		return answer_events(h, conn);
	return answer_file(h, conn, url);
}

/*
 * Leaves the path as it came: route_decode decodes it exactly once and
 * then looks for "..", which libmicrohttpd's own decoding would hide.
 */
static size_t
keep_escapes(void *arg, struct MHD_Connection *conn, char *s)
{
	(void)arg;
	(void)conn;
	return strlen(s);
}

/*
 * Sends a keep-alive comment down every stream each KEEPALIVE_SECONDS:
 * a suspended connection does not notice its client has gone until it
 * writes.
 */
static void *
tick(void *arg)
{
	struct http *h = arg;
	struct timespec until;

	pthread_mutex_lock(&h->lock);
	while (!h->stopping) {
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_sec += KEEPALIVE_SECONDS;
		if (pthread_cond_timedwait(&h->changed, &h->lock, &until) !=
		    ETIMEDOUT)
			continue;
		h->beat++;
		wake_streams(h);
	}
	pthread_mutex_unlock(&h->lock);
	return NULL;
}

/* As many connections as the descriptors allow, keeping some for builds. */
static unsigned
connection_limit(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == -1 || rl.rlim_cur == RLIM_INFINITY)
		return MAX_CONNECTIONS;
	if (rl.rlim_cur <= 2 * RESERVED_FDS)
		return (unsigned)rl.rlim_cur / 2;
	if (rl.rlim_cur - RESERVED_FDS > MAX_CONNECTIONS)
		return MAX_CONNECTIONS;
	return (unsigned)(rl.rlim_cur - RESERVED_FDS);
}

struct http *
http_start(const char *root, int fd, struct diags *d)
{
	struct http *h = xcalloc(1, sizeof(*h));
	pthread_condattr_t attr;

	h->root = root;
	pthread_mutex_init(&h->lock, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&h->changed, &attr);
	pthread_condattr_destroy(&attr);
	h->daemon = MHD_start_daemon(MHD_USE_AUTO |
	    MHD_USE_INTERNAL_POLLING_THREAD | MHD_ALLOW_SUSPEND_RESUME,
	    0, NULL, NULL, answer, h,
	    MHD_OPTION_LISTEN_SOCKET, (MHD_socket)fd,
	    MHD_OPTION_UNESCAPE_CALLBACK, keep_escapes, NULL,
	    MHD_OPTION_THREAD_POOL_SIZE, (unsigned)POOL_THREADS,
	    MHD_OPTION_CONNECTION_LIMIT, connection_limit(),
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)IDLE_SECONDS,
	    MHD_OPTION_END);
	if (h->daemon == NULL) {
		/*
		 * Whether a failed start closed the socket is not said;
		 * no other thread runs yet, so the check cannot race.
		 */
		if (fcntl(fd, F_GETFD) != -1)
			close(fd);
		diag_error(d, root, 0, 0, "cannot start the HTTP server");
		http_free(h);
		return NULL;
	}
	/* The ticker lasts until the server stops: it cannot run inline. */
	if (!thread_spawn(&h->ticker, tick, h)) {
		diag_error(d, root, 0, 0, "cannot start a thread for the "
		    "HTTP server");
		http_free(h);
		return NULL;
	}
	return h;
}

void
http_notify(struct http *h)
{
	pthread_mutex_lock(&h->lock);
	h->generation++;
	h->failed = false;
	wake_streams(h);
	pthread_mutex_unlock(&h->lock);
}

void
http_notify_failure(struct http *h, const char *messages)
{
	const char *p = messages;
	size_t lines = 0;

	pthread_mutex_lock(&h->lock);
	h->failures++;
	h->failed = true;
	buf_truncate(&h->failure, 0);
	while (*p != '\0' && lines < FAILURE_LINES &&
	    h->failure.len < FAILURE_BYTES) {
		buf_putc(&h->failure, *p);
		lines += *p++ == '\n';
	}
	if (*p != '\0')
		buf_puts(&h->failure, "\n……\n");
	wake_streams(h);
	pthread_mutex_unlock(&h->lock);
}

void
http_free(struct http *h)
{
	if (h == NULL)
		return;
	/*
	 * Streams first, every one resumed: stopping the daemon with a
	 * connection suspended would leak it, and they end on their own.
	 */
	pthread_mutex_lock(&h->lock);
	h->stopping = true;
	wake_streams(h);
	pthread_cond_broadcast(&h->changed);
	pthread_mutex_unlock(&h->lock);
	thread_join(&h->ticker);
	if (h->daemon != NULL)
		MHD_stop_daemon(h->daemon);
	pthread_cond_destroy(&h->changed);
	pthread_mutex_destroy(&h->lock);
	buf_free(&h->failure);
	free(h->waiting);
	free(h);
}
