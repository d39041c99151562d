#include "watch.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../util/fs.h"
#include "../util/xalloc.h"

/* The folders a build reads; site.yaml and themes.yaml live in content/. */
static const char *const roots[] = { "content", "templates", "assets" };
#define NROOTS (sizeof(roots) / sizeof(roots[0]))

/*
 * IN_CLOSE_WRITE rather than IN_MODIFY: a file being written is read
 * once, when its writer is done, not at every block.  IN_ONLYDIR and
 * IN_DONT_FOLLOW keep a file or a link swapped in for a folder (between
 * its listing and the watch) from being watched.
 */
#define TREE_EVENTS (IN_CLOSE_WRITE | IN_CREATE | IN_DELETE | \
	IN_MOVED_FROM | IN_MOVED_TO | IN_ONLYDIR | IN_DONT_FOLLOW | \
	IN_EXCL_UNLINK)
/* The site folder itself: only whether a root comes or goes. */
#define TOP_EVENTS (IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | \
	IN_ONLYDIR)

struct watch_dir {
	int	 wd;
	char	*path;		/* owned; relative to the site, "" for it */
};

struct watch {
	int	 fd;		/* the inotify instance */
	char	*site_dir;	/* owned */
	struct watch_dir *dirs;	/* owned; one per watched folder */
	size_t	 ndirs;
	size_t	 cap;
};

static const char *const scratch_suffixes[] = { "~", ".swp", ".swx", ".swo" };

bool
watch_ignores(const char *name)
{
	size_t len = strlen(name), n, i;

	/* Dot files cover ".#x" locks, ".x.swp" swaps and other tools' state. */
	if (name[0] == '.' || len == 0)
		return true;
	/* Emacs's auto-save file, and the file vim writes to test a folder. */
	if ((name[0] == '#' && len > 1 && name[len - 1] == '#') ||
	    strcmp(name, "4913") == 0)
		return true;
	for (i = 0; i < sizeof(scratch_suffixes) / sizeof(*scratch_suffixes);
	    i++) {
		n = strlen(scratch_suffixes[i]);
		if (len >= n && strcmp(name + len - n, scratch_suffixes[i]) == 0)
			return true;
	}
	return false;
}

static bool
is_root(const char *name)
{
	size_t i;

	for (i = 0; i < NROOTS; i++)
		if (strcmp(name, roots[i]) == 0)
			return true;
	return false;
}

static struct watch_dir *
find_dir(struct watch *w, int wd)
{
	size_t i;

	for (i = 0; i < w->ndirs; i++)
		if (w->dirs[i].wd == wd)
			return &w->dirs[i];
	return NULL;
}

static void
remember_dir(struct watch *w, int wd, const char *path)
{
	struct watch_dir *dir = find_dir(w, wd);

	/* The same folder reached again (a rename, a rescan): new name. */
	if (dir != NULL) {
		free(dir->path);
		dir->path = xstrdup(path);
		return;
	}
	if (w->ndirs == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 16;
		w->dirs = xreallocarray(w->dirs, w->cap, sizeof(*w->dirs));
	}
	w->dirs[w->ndirs].wd = wd;
	w->dirs[w->ndirs].path = xstrdup(path);
	w->ndirs++;
}

static void
forget_dir(struct watch *w, struct watch_dir *dir)
{
	free(dir->path);
	*dir = w->dirs[--w->ndirs];
}

/* Whether path is below (or is) the folder prefix. */
static bool
is_below(const char *path, const char *prefix)
{
	size_t n = strlen(prefix);

	return strncmp(path, prefix, n) == 0 &&
	    (path[n] == '\0' || path[n] == '/');
}

/* Stops watching a folder moved away, and everything below it. */
static void
forget_tree(struct watch *w, const char *path)
{
	size_t i = 0;

	while (i < w->ndirs) {
		if (w->dirs[i].path[0] != '\0' &&
		    is_below(w->dirs[i].path, path)) {
			inotify_rm_watch(w->fd, w->dirs[i].wd);
			forget_dir(w, &w->dirs[i]);
		} else
			i++;
	}
}

static bool
is_folder(const char *dir, const struct dirent *ent)
{
	struct stat st;
	char *path;
	bool rc;

	if (ent->d_type != DT_UNKNOWN)
		return ent->d_type == DT_DIR;
	path = fs_join(dir, ent->d_name);
	rc = lstat(path, &st) == 0 && S_ISDIR(st.st_mode);
	free(path);
	return rc;
}

/*
 * Watches the folder path (relative to the site) and every folder below
 * it.  One that vanishes meanwhile is skipped.  Returns 0, or -1 with
 * errno set (ENOSPC: the system's limit of watches is reached).
 */
static int
add_tree(struct watch *w, const char *path)
{
	char *fspath = fs_join(w->site_dir, path), *sub;
	uint32_t mask = TREE_EVENTS;
	struct dirent *ent;
	DIR *dir = NULL;
	int wd, rc = -1;

	/* A root may be a link to a folder elsewhere; nothing below it. */
	if (is_root(path))
		mask &= ~(uint32_t)IN_DONT_FOLLOW;
	if ((wd = inotify_add_watch(w->fd, fspath, mask)) == -1) {
		if (errno == ENOENT || errno == ENOTDIR || errno == ELOOP)
			rc = 0;
		goto out;
	}
	remember_dir(w, wd, path);
	if ((dir = opendir(fspath)) == NULL) {
		rc = 0;
		goto out;
	}
	while ((ent = readdir(dir)) != NULL) {
		if (watch_ignores(ent->d_name) || !is_folder(fspath, ent))
			continue;
		sub = fs_join(path, ent->d_name);
		rc = add_tree(w, sub);
		free(sub);
		if (rc == -1)
			goto out;
	}
	rc = 0;
out:
	if (dir != NULL)
		closedir(dir);
	free(fspath);
	return rc;
}

static void
add_change(struct watch_changes *c, const char *path)
{
	size_t i;

	/* Linear: a burst touches a handful of files, rarely thousands. */
	for (i = 0; i < c->count; i++)
		if (strcmp(c->paths[i], path) == 0)
			return;
	c->paths = xreallocarray(c->paths, c->count + 1, sizeof(*c->paths));
	c->paths[c->count++] = xstrdup(path);
}

/* Events were lost: watch whatever folders appeared, rebuild everything. */
static int
rescan(struct watch *w, struct watch_changes *c)
{
	size_t i;

	for (i = 0; i < NROOTS; i++) {
		if (add_tree(w, roots[i]) == -1)
			return -1;
		add_change(c, roots[i]);
	}
	return 1;
}

/* Handles one event; returns 1 when it is a change, 0 if not, or -1. */
static int
handle_event(struct watch *w, const struct inotify_event *ev,
    struct watch_changes *c)
{
	struct watch_dir *dir;
	char *path = NULL;
	int rc = 0;

	if (ev->mask & IN_Q_OVERFLOW)
		return rescan(w, c);
	if ((dir = find_dir(w, ev->wd)) == NULL)
		return 0;
	if (ev->mask & IN_IGNORED) {
		forget_dir(w, dir);
		return 0;
	}
	if (ev->len == 0 || watch_ignores(ev->name))
		return 0;
	if (dir->path[0] == '\0') {
		if (!is_root(ev->name))
			return 0;
		path = xstrdup(ev->name);
	} else
		path = fs_join(dir->path, ev->name);
	if (ev->mask & IN_ISDIR) {
		if (ev->mask & (IN_CREATE | IN_MOVED_TO))
			rc = add_tree(w, path);
		else if (ev->mask & IN_MOVED_FROM)
			forget_tree(w, path);
		/* A deleted folder's own watch ends with IN_IGNORED. */
	}
	if (rc == 0) {
		add_change(c, path);
		rc = 1;
	}
	free(path);
	return rc;
}

int
watch_read(struct watch *w, struct watch_changes *c)
{
	char buf[16384]
	    __attribute__((aligned(__alignof__(struct inotify_event))));
	const struct inotify_event *ev;
	ssize_t n, off;
	int count = 0, r;

	for (;;) {
		n = read(w->fd, buf, sizeof(buf));
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == EAGAIN)
			break;
		if (n <= 0)
			return -1;
		for (off = 0; off < n;
		    off += (ssize_t)(sizeof(*ev) + ev->len)) {
			ev = (const struct inotify_event *)(buf + off);
			if ((r = handle_event(w, ev, c)) == -1)
				return -1;
			count += r;
		}
	}
	return count;
}

struct watch *
watch_new(const char *site_dir)
{
	struct watch *w = xcalloc(1, sizeof(*w));
	size_t i;
	int wd, saved;

	w->site_dir = xstrdup(site_dir);
	if ((w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) == -1)
		goto fail;
	if ((wd = inotify_add_watch(w->fd, site_dir, TOP_EVENTS)) == -1)
		goto fail;
	remember_dir(w, wd, "");
	for (i = 0; i < NROOTS; i++)
		if (add_tree(w, roots[i]) == -1)
			goto fail;
	return w;
fail:
	saved = errno;
	watch_free(w);
	errno = saved;
	return NULL;
}

int
watch_fd(const struct watch *w)
{
	return w->fd;
}

void
watch_free(struct watch *w)
{
	size_t i;

	if (w == NULL)
		return;
	for (i = 0; i < w->ndirs; i++)
		free(w->dirs[i].path);
	free(w->dirs);
	if (w->fd != -1)
		close(w->fd);
	free(w->site_dir);
	free(w);
}

void
watch_changes_clear(struct watch_changes *c)
{
	size_t i;

	for (i = 0; i < c->count; i++)
		free(c->paths[i]);
	free(c->paths);
	c->paths = NULL;
	c->count = 0;
}
