/*
 * Watching a site folder with inotify: content/, templates/ and assets/
 * with every folder below them, including folders created or moved in
 * later.  The output and build folders are never watched, so a build
 * cannot set off another one.
 */
#ifndef JICENG_WATCH_H
#define JICENG_WATCH_H

#include <stdbool.h>
#include <stddef.h>

struct watch;

/* The files a burst of events touched. */
struct watch_changes {
	char	**paths;	/* owned; relative to the site, distinct,
				   in the order they first changed */
	size_t	 count;
};

#define WATCH_CHANGES_INIT { NULL, 0 }

/*
 * Starts watching the site in site_dir (a folder among content/,
 * templates/ and assets/ that does not exist yet is watched for once it
 * appears).  Returns NULL with errno set; free with watch_free.
 */
struct watch *watch_new(const char *site_dir);
void	 watch_free(struct watch *w);

/* The descriptor to poll for POLLIN; borrowed until watch_free. */
int	 watch_fd(const struct watch *w);

/*
 * Reads the events waiting (never blocks), watches the folders that
 * appeared, and adds to c the files a build should see again: editors'
 * scratch files (".#x", "#x#", "x~", "x.swp", "4913" and other dot
 * files) are left out, but the rename that ends a save is not.  Returns
 * how many such events were read, or -1 with errno set.
 */
int	 watch_read(struct watch *w, struct watch_changes *c);

/* Whether a change to a file with this name (no folder) is left out. */
bool	 watch_ignores(const char *name);

void	 watch_changes_clear(struct watch_changes *c);

#endif
