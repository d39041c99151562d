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
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "route.h"
#include "../util/buf.h"
#include "../util/xalloc.h"

/* A comment on idle streams, so a closed tab is noticed and freed. */
#define KEEPALIVE_SECONDS	15
/* Idle connections close after this; streams are never idle as long. */
#define IDLE_SECONDS		60
#define MAX_CONNECTIONS		64

/*
 * Reconnects after a lost stream within a second; since= lets a page
 * served before a build finished learn of it on connecting.
 */
static const char reload_script[] =
    "<script>(function(){var e=new EventSource(\"" HTTP_EVENTS_PATH
    "?since=%lu\");e.addEventListener(\"reload\",function(){e.close();"
    "location.reload();});})();</script>\n";

struct http {
	struct MHD_Daemon *daemon;
	const char *root;		/* borrowed */
	pthread_mutex_t lock;		/* guards what follows */
	pthread_cond_t changed;		/* a build, or stopping */
	unsigned long generation;	/* successful builds so far */
	bool	 stopping;
};

/* One open event stream. */
struct stream {
	struct http *http;
	unsigned long seen;		/* the last build it was told of */
	char	 message[96];		/* being sent */
	size_t	 len;
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
	if (strncmp(type, "text/html", 9) != 0) {
		if ((r = MHD_create_response_from_fd((size_t)size, fd)) == NULL)
			close(fd);
		return queue(conn, status, r, type);
	}
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

/* The site's own 404 page, or a line of text when it has none. */
static enum MHD_Result
queue_not_found(struct http *h, struct MHD_Connection *conn)
{
	const char *type;
	off_t size;
	int fd;

	if (route_open(h->root, "/404.html", &fd, &size, &type) == ROUTE_FILE)
		return queue_file(h, conn, MHD_HTTP_NOT_FOUND, fd, size, type);
	return queue_text(conn, MHD_HTTP_NOT_FOUND, "not found\n");
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

/*
 * Waits for the next build (or for the keep-alive period) and fills the
 * stream's message.  Returns -1 when the server is stopping.
 */
static int
next_message(struct stream *s)
{
	struct http *h = s->http;
	struct timespec until;
	int rc = -1;

	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += KEEPALIVE_SECONDS;
	pthread_mutex_lock(&h->lock);
	while (!h->stopping && h->generation == s->seen)
		if (pthread_cond_timedwait(&h->changed, &h->lock, &until) ==
		    ETIMEDOUT)
			break;
	if (h->stopping)
		goto out;
	if (h->generation != s->seen) {
		s->seen = h->generation;
		snprintf(s->message, sizeof(s->message),
		    "event: reload\ndata: %lu\n\n", s->seen);
	} else
		snprintf(s->message, sizeof(s->message), ": keep-alive\n\n");
	s->len = strlen(s->message);
	s->off = 0;
	rc = 0;
out:
	pthread_mutex_unlock(&h->lock);
	return rc;
}

/*
 * Runs on the connection's own thread (one thread per connection), so
 * blocking here stalls no other request.
 */
static ssize_t
read_stream(void *arg, uint64_t pos, char *out, size_t max)
{
	struct stream *s = arg;
	size_t n;

	(void)pos;
	if (s->off == s->len && next_message(s) == -1)
		return MHD_CONTENT_READER_END_OF_STREAM;
	n = s->len - s->off < max ? s->len - s->off : max;
	memcpy(out, s->message + s->off, n);
	s->off += n;
	return (ssize_t)n;
}

static void
free_stream(void *arg)
{
	free(arg);
}

static enum MHD_Result
answer_events(struct http *h, struct MHD_Connection *conn)
{
	struct stream *s = xcalloc(1, sizeof(*s));
	struct MHD_Response *r;
	const char *since;
	char *end;

	s->http = h;
	s->seen = current_generation(h);
	/* The build the page came from; without it, the current one. */
	since = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND,
	    "since");
	if (since != NULL && *since >= '0' && *since <= '9') {
		s->seen = strtoul(since, &end, 10);
		if (*end != '\0')
			s->seen = current_generation(h);
	}
	/* Sent at once, so the client knows the stream is open. */
	snprintf(s->message, sizeof(s->message), "retry: 1000\n\n");
	s->len = strlen(s->message);
	if ((r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN,
	    sizeof(s->message), read_stream, s, free_stream)) == NULL)
		free(s);
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
	    MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION,
	    0, NULL, NULL, answer, h,
	    MHD_OPTION_LISTEN_SOCKET, (MHD_socket)fd,
	    MHD_OPTION_UNESCAPE_CALLBACK, keep_escapes, NULL,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)MAX_CONNECTIONS,
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
		h = NULL;
	}
	return h;
}

void
http_notify(struct http *h)
{
	pthread_mutex_lock(&h->lock);
	h->generation++;
	pthread_cond_broadcast(&h->changed);
	pthread_mutex_unlock(&h->lock);
}

void
http_free(struct http *h)
{
	if (h == NULL)
		return;
	/* Streams first: their threads must return before the daemon ends. */
	pthread_mutex_lock(&h->lock);
	h->stopping = true;
	pthread_cond_broadcast(&h->changed);
	pthread_mutex_unlock(&h->lock);
	if (h->daemon != NULL)
		MHD_stop_daemon(h->daemon);
	pthread_cond_destroy(&h->changed);
	pthread_mutex_destroy(&h->lock);
	free(h);
}
