#include "serve.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../util/buf.h"
#include "http.h"

/* A stream of events (a folder copied in) still ends in a build. */
#define SERVE_LATEST_MS	1000

static volatile sig_atomic_t stop_requested;

static void
request_stop(int sig)
{
	(void)sig;
	stop_requested = 1;
}

/*
 * SIGINT and SIGTERM stay blocked except inside ppoll, which unblocks
 * them atomically, and during a build: a signal arriving while the loop
 * waits makes ppoll return at once, so none is missed; one arriving
 * during a build stops it at its next checkpoint (build_options.stop),
 * whatever it is doing.  The server's threads, started with the two
 * blocked, never take them.  SA_RESTART: a signal must not fail the
 * build's reads and writes on its way to stopping it.
 */
struct signals {
	sigset_t old_mask;
	sigset_t wait_mask;		/* the old mask less the two */
	sigset_t both;			/* SIGINT and SIGTERM */
	struct sigaction old_int;
	struct sigaction old_term;
};

static void
catch_signals(struct signals *s)
{
	struct sigaction sa;
	sigset_t block;

	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	s->both = block;
	pthread_sigmask(SIG_BLOCK, &block, &s->old_mask);
	s->wait_mask = s->old_mask;
	sigdelset(&s->wait_mask, SIGINT);
	sigdelset(&s->wait_mask, SIGTERM);
	stop_requested = 0;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = request_stop;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &s->old_int);
	sigaction(SIGTERM, &sa, &s->old_term);
}

static void
release_signals(struct signals *s)
{
	/* Unblocked while the handler is still in place: a pending signal
	 * only sets the flag instead of killing the process. */
	pthread_sigmask(SIG_SETMASK, &s->old_mask, NULL);
	sigaction(SIGINT, &s->old_int, NULL);
	sigaction(SIGTERM, &s->old_term, NULL);
}

struct session {
	const struct serve_options *opt;
	const struct signals *signals;
	struct build_options build;
	struct http *http;		/* NULL: only watching */
	const char *url;		/* the server's, or NULL */
	struct watch *watch;
	struct watch_changes changes;	/* since the last build */
	double	 first;			/* ms: the first of them */
	double	 last;			/* ms: the latest */
};

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void
report(struct session *s, enum serve_event_kind kind, int rc,
    const struct build_stats *st, struct diags *d)
{
	struct serve_event ev;

	ev.kind = kind;
	ev.url = s->url;
	ev.out_dir = s->opt->out_dir;
	ev.changes = &s->changes;
	ev.rc = rc;
	ev.stats = st;
	ev.diags = d;
	if (s->opt->report != NULL)
		s->opt->report(s->opt->arg, &ev);
}

/* Tells whoever watches that a build waits for another (build_options). */
static void
waiting(void *arg, const char *out_dir)
{
	(void)out_dir;		/* the session's, which report gives */
	report(arg, SERVE_WAITING, 0, NULL, NULL);
}

/* Tells the open pages a build failed, with its messages. */
static void
show_failure(struct session *s, struct diags *d)
{
	struct buf text = BUF_INIT;
	size_t i;
	char *line;

	diags_sort(d);
	for (i = 0; i < d->count; i++) {
		line = diag_format(&d->items[i]);
		buf_printf(&text, "%s\n", line);
		free(line);
	}
	http_notify_failure(s->http, buf_str(&text));
	buf_free(&text);
}

/*
 * Builds, taking SIGINT and SIGTERM meanwhile; a build that succeeded
 * reloads the open pages, one that failed shows them why.  A build a
 * signal stopped goes unreported: the loop ends.
 */
static void
rebuild(struct session *s)
{
	struct diags d = DIAGS_INIT;
	struct build_stats st;
	int rc;

	pthread_sigmask(SIG_SETMASK, &s->signals->wait_mask, NULL);
	rc = build_run(&s->build, &st, &d);
	pthread_sigmask(SIG_BLOCK, &s->signals->both, NULL);
	if (stop_requested)
		goto out;
	if (rc == 0 && s->http != NULL)
		http_notify(s->http);
	else if (s->http != NULL)
		show_failure(s, &d);
	report(s, SERVE_BUILT, rc, &st, &d);
out:
	diags_free(&d);
	watch_changes_clear(&s->changes);
}

/*
 * How long ppoll may wait: until the changes have been quiet for
 * SERVE_QUIET_MS (editors save in several steps), but no longer than
 * SERVE_LATEST_MS after the first.  NULL: no change is waiting.
 */
static const struct timespec *
wait_time(const struct session *s, struct timespec *ts)
{
	double due, left;

	if (s->changes.count == 0)
		return NULL;
	due = s->last + SERVE_QUIET_MS;
	if (due > s->first + SERVE_LATEST_MS)
		due = s->first + SERVE_LATEST_MS;
	left = due - now_ms();
	if (left < 0)
		left = 0;
	ts->tv_sec = (time_t)(left / 1e3);
	ts->tv_nsec = (long)((left - (double)ts->tv_sec * 1e3) * 1e6);
	return ts;
}

static void
watch_failed(struct diags *d, const char *site_dir)
{
	diag_error(d, site_dir, 0, 0, "cannot watch: %s%s", strerror(errno),
	    errno == ENOSPC ? " (raise fs.inotify.max_user_watches)" : "");
}

/* Reads what changed; returns 0, or -1 after adding an error to d. */
static int
take_changes(struct session *s, struct diags *d)
{
	bool waiting = s->changes.count > 0;
	int n;

	if ((n = watch_read(s->watch, &s->changes)) == -1) {
		watch_failed(d, s->opt->site_dir);
		return -1;
	}
	if (n > 0) {
		s->last = now_ms();
		if (!waiting)
			s->first = s->last;
	}
	return 0;
}

static int
watch_loop(struct session *s, const struct signals *sig, struct diags *d)
{
	const struct timespec *timeout;
	struct timespec ts;
	struct pollfd pfd;
	int rc = -1;

	pfd.fd = watch_fd(s->watch);
	pfd.events = POLLIN;
	while (!stop_requested) {
		timeout = wait_time(s, &ts);
		if (timeout != NULL && timeout->tv_sec == 0 &&
		    timeout->tv_nsec == 0) {
			rebuild(s);
			continue;
		}
		if (ppoll(&pfd, 1, timeout, &sig->wait_mask) == -1) {
			if (errno == EINTR)
				continue;
			diag_error(d, s->opt->site_dir, 0, 0, "cannot watch: %s",
			    strerror(errno));
			goto out;
		}
		if ((pfd.revents & POLLIN) && take_changes(s, d) == -1)
			goto out;
	}
	rc = 0;
out:
	return rc;
}

int
serve_run(const struct serve_options *opt, struct diags *d)
{
	struct session s;
	struct signals sig;
	char *url = NULL;
	int fd, rc = 3;

	memset(&s, 0, sizeof(s));
	catch_signals(&sig);
	s.opt = opt;
	s.signals = &sig;
	s.build.site_dir = opt->site_dir;
	s.build.out_dir = opt->out_dir;
	s.build.base_url = opt->base_url;
	s.build.threads = opt->threads;
	s.build.stop = &stop_requested;
	s.build.waiting = waiting;
	s.build.arg = &s;
	if (opt->bind != NULL) {
		if ((fd = http_listen(opt->bind, opt->port, &url, d)) == -1 ||
		    (s.http = http_start(opt->out_dir, fd, d)) == NULL)
			goto out;
		s.url = url;
		/* Absolute links (the 404 page, canonical) lead to the preview. */
		if (s.build.base_url == NULL)
			s.build.base_url = url;
	}
	if ((s.watch = watch_new(opt->site_dir)) == NULL) {
		watch_failed(d, opt->site_dir);
		goto out;
	}
	rebuild(&s);
	if (!stop_requested)
		report(&s, SERVE_READY, 0, NULL, NULL);
	if (watch_loop(&s, &sig, d) == -1)
		goto out;
	rc = 0;
out:
	watch_changes_clear(&s.changes);
	watch_free(s.watch);
	http_free(s.http);
	free(url);
	release_signals(&sig);
	return rc;
}
