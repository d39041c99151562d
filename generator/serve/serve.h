/*
 * jiceng watch and jiceng serve: build, then rebuild whenever the site's
 * sources change, optionally serving the output over HTTP with live
 * reload, until SIGINT or SIGTERM.  A build that fails leaves the last
 * good site in place; the next change tries again.
 */
#ifndef JICENG_SERVE_H
#define JICENG_SERVE_H

#include <stddef.h>

#include "../build/build.h"
#include "../util/diag.h"
#include "watch.h"

enum serve_event_kind {
	SERVE_BUILT,		/* a build ended, well or not */
	SERVE_READY,		/* the first build ended; watching */
	SERVE_WAITING,		/* a build waits for another build of
				   out_dir to end */
};

struct serve_event {
	enum serve_event_kind kind;
	const char *url;	/* the preview's address; NULL: not serving */
	const char *out_dir;	/* where the site goes */
	const struct watch_changes *changes; /* what set the build off;
				   none for the first build */
	int	 rc;		/* build_run's result */
	const struct build_stats *stats;
	struct diags *diags;	/* the build's; emptied after the call */
};

/*
 * Where serve builds, relative to the site, unless told: its pages
 * carry the preview's address, so public/ is never theirs, and keeps
 * what "jiceng build" made, ready to deploy, while a preview runs.
 */
#define SERVE_PREVIEW_DIR	".jiceng-cache/preview"

struct serve_options {
	const char *site_dir;	/* holds content/, templates/, assets/ */
	const char *out_dir;	/* where the site goes, and is served from */
	const char *base_url;	/* NULL: site.yaml's, or the preview's */
	size_t	 threads;	/* render threads; 0: one per core */
	const char *bind;	/* address to serve on; NULL: only watch */
	unsigned port;		/* 0: any free port */
	/* Told of every build, on the calling thread; prints, if anything. */
	void	 (*report)(void *arg, const struct serve_event *ev);
	void	*arg;
};

/*
 * Builds, reports, then waits for changes (a burst of events settles
 * for SERVE_QUIET_MS before the rebuild) and rebuilds, until SIGINT or
 * SIGTERM; while serving, each successful build reloads open pages.
 * Returns 0 when stopped by a signal, or 3 after adding an error to d
 * when it cannot watch or listen.
 */
#define SERVE_QUIET_MS	100
int	 serve_run(const struct serve_options *opt, struct diags *d);

#endif
