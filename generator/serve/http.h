/*
 * The preview server: serves the files of the output folder over HTTP
 * with libmicrohttpd, GET and HEAD only, and tells open pages to reload
 * after each successful build, or shows them a failed build's messages,
 * through server-sent events on HTTP_EVENTS_PATH.  The script that
 * listens is added to HTML as it is served; it is never written to the
 * output folder.
 */
#ifndef JICENG_HTTP_H
#define JICENG_HTTP_H

#include <stddef.h>

#include "../util/diag.h"

#define HTTP_EVENTS_PATH "/__jiceng/events"

struct http;

/*
 * Opens a listening TCP socket on host (a numeric address or a name) and
 * port (0: any free port).  Returns the socket and sets *url to the
 * server's address, "http://HOST:PORT" (caller frees); or returns -1
 * after adding an error to d.
 */
int	 http_listen(const char *host, unsigned port, char **url,
	    struct diags *d);

/*
 * Serves the files below root (borrowed until http_free) on the
 * listening socket fd, which it takes over even on failure, from
 * threads of its own.  Returns NULL after adding an error to d.
 */
struct http *http_start(const char *root, int fd, struct diags *d);

/* Tells every open page that a build succeeded, so it reloads. */
void	 http_notify(struct http *h);
/*
 * Tells every open page, and every page opened until the next
 * successful build, that a build failed, with its messages (one per
 * line), which the page shows over itself.
 */
void	 http_notify_failure(struct http *h, const char *messages);

/*
 * Ends the event streams, waits for the server's threads and frees;
 * http_free(NULL) does nothing.
 */
void	 http_free(struct http *h);

/*
 * Returns a copy of the HTML page with the live-reload script inserted
 * before its last </body> (or at the end when there is none), its
 * length in *outlen; caller frees.  since is the build the page comes
 * from: a page older than the latest build reloads at once.
 */
char	*http_inject_reload(const char *html, size_t len, unsigned long since,
	    size_t *outlen);

#endif
