#include "prune.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../util/fs.h"
#include "../util/xalloc.h"

/* One entry of a folder being pruned. */
struct prune_entry {
	char	*name;
	bool	 dir;
};

/*
 * Reads the entries of the folder rel of the tree.  The file
 * system's d_type spares a stat per file: a site has tens of thousands
 * of them.  A link is an entry to remove, never a folder to enter.
 */
static int
read_entries(const struct prune_tree *t, const char *rel,
    struct prune_entry **out, size_t *count)
{
	DIR *dir;
	struct dirent *e;
	struct prune_entry *v = NULL;
	struct stat st;
	size_t n = 0, cap = 0;
	int fd;

	*out = NULL;
	*count = 0;
	fd = rel[0] ? fs_open_beneath(t->fd, rel, O_RDONLY | O_DIRECTORY, 0) :
	    openat(t->fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd == -1 || (dir = fdopendir(fd)) == NULL) {
		if (fd != -1)
			close(fd);
		return -1;
	}
	while ((e = readdir(dir)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			v = xreallocarray(v, cap, sizeof(*v));
		}
		v[n].name = xstrdup(e->d_name);
		if (e->d_type != DT_UNKNOWN)
			v[n++].dir = e->d_type == DT_DIR;
		else
			v[n++].dir = fstatat(dirfd(dir), e->d_name, &st,
			    AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode);
	}
	closedir(dir);
	*out = v;
	*count = n;
	return 0;
}

/*
 * Removes files below rel of the tree that are not kept, then the
 * folders left empty; *left receives how many entries rel keeps, so
 * that a folder is removed without trying every one.  Returns
 * -1 after adding an error to d.
 */
static int
prune(const struct prune_tree *t, const char *rel, size_t *removed,
    size_t *left, struct diags *d)
{
	char *child = NULL;
	struct prune_entry *entries = NULL;
	size_t n = 0, i, inside;
	int rc = -1;

	*left = 0;
	if (read_entries(t, rel, &entries, &n) == -1) {
		diag_error(d, t->path, 0, 0, "cannot list %s: %s",
		    rel[0] ? rel : ".", strerror(errno));
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (!rel[0] && t->spare != NULL &&
		    strcmp(entries[i].name, t->spare) == 0) {
			(*left)++;
			continue;
		}
		child = rel[0] ? xasprintf("%s/%s", rel, entries[i].name) :
		    xstrdup(entries[i].name);
		if (entries[i].dir) {
			if (prune(t, child, removed, &inside, d) == -1)
				goto out;
			if (inside > 0 || unlinkat(t->fd, child,
			    AT_REMOVEDIR) == -1)
				(*left)++;
		} else if (t->keep(t->arg, child))
			(*left)++;
		else if (unlinkat(t->fd, child, 0) == -1) {
			diag_error(d, t->path, 0, 0, "cannot remove %s: "
			    "%s", child, strerror(errno));
			goto out;
		} else
			(*removed)++;
		free(child);
		child = NULL;
	}
	rc = 0;
out:
	free(child);
	for (i = 0; i < n; i++)
		free(entries[i].name);
	free(entries);
	return rc;
}

/*
 * Unlinks path of the tree (with AT_REMOVEDIR, a folder) in its folder,
 * opened below the tree through no link: a link planted on the way
 * leads nowhere.  Returns 0, or -1 with errno set.
 */
static int
unlink_below(const struct prune_tree *t, const char *path, int flags)
{
	const char *slash = strrchr(path, '/');
	char *dirs;
	int fd, rc;

	if (slash == NULL)
		return unlinkat(t->fd, path, flags);
	dirs = xstrndup(path, (size_t)(slash - path));
	fd = fs_open_beneath(t->fd, dirs, O_PATH | O_DIRECTORY, 0);
	free(dirs);
	if (fd == -1)
		return -1;
	rc = unlinkat(fd, slash + 1, flags);
	close(fd);
	return rc;
}

int
prune_walk(const struct prune_tree *t, size_t *removed, struct diags *d)
{
	size_t left;

	return prune(t, "", removed, &left, d);
}

int
prune_path(const struct prune_tree *t, const char *rel, struct diags *d)
{
	char *path = xstrdup(rel), *slash;
	int rc = 0;

	if (unlink_below(t, path, 0) == 0)
		rc = 1;
	else if (errno != ENOENT && errno != EXDEV && errno != ELOOP &&
	    errno != ENOTDIR) {
		diag_error(d, t->path, 0, 0, "cannot remove %s: %s", path,
		    strerror(errno));
		rc = -1;
	}
	while (rc != -1 && (slash = strrchr(path, '/')) != NULL) {
		*slash = '\0';
		if (unlink_below(t, path, AT_REMOVEDIR) == -1)
			break;
	}
	free(path);
	return rc;
}
