#include "output.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../util/fs.h"
#include "../util/strmap.h"
#include "../util/xalloc.h"

struct output {
	char	*dir;		/* the output folder */
	char	*stage;		/* its staging sibling, ".NAME.staging" */
	pthread_mutex_t lock;	/* guards files */
	struct strmap files;	/* path -> (void *)1 kept, 2 staged */
	bool	 staged_any;
};

#define FILE_KEPT	((void *)1)
#define FILE_STAGED	((void *)2)

static char *
stage_path_of(const char *dir)
{
	const char *slash = strrchr(dir, '/');

	if (slash == NULL)
		return xasprintf(".%s.staging", dir);
	return xasprintf("%.*s/.%s.staging", (int)(slash - dir), dir,
	    slash + 1);
}

struct output *
output_open(const char *dir, struct diags *d)
{
	struct output *o = xcalloc(1, sizeof(*o));
	size_t n = strlen(dir);

	while (n > 1 && dir[n - 1] == '/')
		n--;
	o->dir = xstrndup(dir, n);
	o->stage = stage_path_of(o->dir);
	pthread_mutex_init(&o->lock, NULL);
	/* A staging folder left by a crashed build holds nothing of value. */
	if (fs_remove_tree(o->stage) == -1) {
		diag_error(d, o->stage, 0, 0, "cannot remove: %s",
		    strerror(errno));
		output_free(o);
		return NULL;
	}
	return o;
}

/* Whether the file at fspath holds exactly these bytes. */
static bool
same_bytes(const char *fspath, const void *data, size_t len)
{
	struct stat st;
	char *old;
	size_t oldlen;
	bool same;

	if (stat(fspath, &st) == -1 || !S_ISREG(st.st_mode) ||
	    (size_t)st.st_size != len)
		return false;
	if (fs_read(fspath, &old, &oldlen) == -1)
		return false;
	same = oldlen == len && memcmp(old, data, len) == 0;
	free(old);
	return same;
}

int
output_put(struct output *o, const char *path, const void *data, size_t len,
    struct diags *d)
{
	char *target = fs_join(o->dir, path), *staged = NULL;
	struct strmap_entry *e;
	void *state = FILE_KEPT;
	int rc = -1;

	if (!same_bytes(target, data, len)) {
		staged = fs_join(o->stage, path);
		if (fs_write_atomic(staged, data, len) == -1) {
			diag_error(d, staged, 0, 0, "cannot write: %s",
			    strerror(errno));
			goto out;
		}
		state = FILE_STAGED;
	}
	pthread_mutex_lock(&o->lock);
	e = strmap_put(&o->files, path, strlen(path), NULL);
	e->value = state;
	if (state == FILE_STAGED)
		o->staged_any = true;
	pthread_mutex_unlock(&o->lock);
	rc = 0;
out:
	free(target);
	free(staged);
	return rc;
}

bool
output_has(const struct output *o, const char *path)
{
	return strmap_get(&o->files, path, strlen(path)) != NULL;
}

static int
move_in(struct output *o, const char *path, struct diags *d)
{
	char *from = fs_join(o->stage, path), *to = fs_join(o->dir, path);
	char *parent = xstrdup(to), *slash = strrchr(parent, '/');
	int rc = -1;

	if (slash != NULL) {
		*slash = '\0';
		if (fs_mkdirs(parent) == -1) {
			diag_error(d, parent, 0, 0, "cannot create: %s",
			    strerror(errno));
			goto out;
		}
	}
	if (rename(from, to) == -1) {
		diag_error(d, to, 0, 0, "cannot move into place: %s",
		    strerror(errno));
		goto out;
	}
	rc = 0;
out:
	free(from);
	free(to);
	free(parent);
	return rc;
}

/*
 * Removes files below dir/rel that this build did not put, then the
 * folders left empty.  Returns -1 after adding an error to d.
 */
static int
prune(struct output *o, const char *rel, size_t *removed, struct diags *d)
{
	char *fspath = rel[0] ? fs_join(o->dir, rel) : xstrdup(o->dir);
	char **names = NULL, *child = NULL, *childfs = NULL;
	size_t n = 0, i;
	struct stat st;
	int rc = -1;

	if (fs_list(fspath, NULL, &names, &n) == -1) {
		diag_error(d, fspath, 0, 0, "cannot list: %s", strerror(errno));
		goto out;
	}
	for (i = 0; i < n; i++) {
		child = rel[0] ? xasprintf("%s/%s", rel, names[i]) :
		    xstrdup(names[i]);
		childfs = fs_join(o->dir, child);
		if (lstat(childfs, &st) == 0 && S_ISDIR(st.st_mode)) {
			if (prune(o, child, removed, d) == -1)
				goto out;
			rmdir(childfs);	/* fails, harmlessly, unless empty */
		} else if (!output_has(o, child)) {
			if (unlink(childfs) == -1) {
				diag_error(d, childfs, 0, 0, "cannot remove: %s",
				    strerror(errno));
				goto out;
			}
			(*removed)++;
		}
		free(child);
		free(childfs);
		child = childfs = NULL;
	}
	rc = 0;
out:
	free(child);
	free(childfs);
	fs_names_free(names, n);
	free(fspath);
	return rc;
}

int
output_commit(struct output *o, struct output_stats *st, struct diags *d)
{
	size_t i;
	int rc = -1;

	memset(st, 0, sizeof(*st));
	if (fs_mkdirs(o->dir) == -1) {
		diag_error(d, o->dir, 0, 0, "cannot create: %s",
		    strerror(errno));
		goto out;
	}
	for (i = 0; i < o->files.count; i++) {
		if (o->files.entries[i].value != FILE_STAGED)
			continue;
		if (move_in(o, o->files.entries[i].key, d) == -1)
			goto out;
		st->written++;
	}
	st->files = o->files.count;
	if (prune(o, "", &st->removed, d) == -1)
		goto out;
	rc = 0;
out:
	return rc;
}

void
output_free(struct output *o)
{
	if (o == NULL)
		return;
	fs_remove_tree(o->stage);
	pthread_mutex_destroy(&o->lock);
	strmap_free(&o->files);
	free(o->dir);
	free(o->stage);
	free(o);
}
