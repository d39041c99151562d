#include "output.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include "../util/buf.h"
#include "../util/fs.h"
#include "../util/strmap.h"
#include "../util/xalloc.h"

enum file_state {
	FILE_KEPT,		/* put, same bytes as on disk */
	FILE_STAGED,		/* put, new bytes in the staging folder */
};

/* A file put by this build. */
struct out_file {
	enum file_state state;
	const struct output_record *prev; /* the previous build's, or NULL */
	uint64_t hash;			/* of the bytes put */
	size_t	 order;			/* when it was put, for records */
};

struct output {
	char	*dir;		/* the output folder */
	char	*stage;		/* its staging sibling, ".NAME.staging" */
	char	*trash;		/* ".NAME.trash": what the last build replaced */
	pthread_t sweeper;	/* removing the trash, if sweeping */
	bool	 sweeping;
	size_t	 exchanged;	/* old files moved into the staging folder */
	bool	 closed;	/* by output_close */
	int	 dirfd;		/* dir as the build found it, or -1 */
	pthread_mutex_t lock;	/* guards files */
	struct strmap files;	/* path -> struct out_file *, as put */
	size_t	 nput;		/* orders given to files */
	const struct strmap *prev; /* borrowed; read by any thread at once */
	_Atomic unsigned char *marks; /* owned; per entry of prev */
	char	**lists;	/* owned; the folders of output_list */
	size_t	 nlists;
	_Atomic unsigned char *verdicts; /* owned; per entry of prev */
	pthread_t checker;	/* filling verdicts, if checking */
	bool	 checking;
};

/*
 * What became of each file the previous build left.  Most of a build's
 * files are kept, by many threads at once: a mark takes no lock, no
 * allocation and no shared counter.
 */
enum mark {
	MARK_NONE,
	MARK_KEPT,		/* kept as it was */
	MARK_PUT,		/* in files */
};

/* What output_check_ahead found of a file the previous build left. */
enum verdict {
	VERDICT_UNKNOWN,	/* not looked at yet: stat it */
	VERDICT_UNTOUCHED,
	VERDICT_TOUCHED,
};

/* ".NAME.what" beside dir, on the same file system. */
static char *
sibling_of(const char *dir, const char *what)
{
	const char *slash = strrchr(dir, '/');

	if (slash == NULL)
		return xasprintf(".%s.%s", dir, what);
	return xasprintf("%.*s/.%s.%s", (int)(slash - dir), dir, slash + 1,
	    what);
}

int
output_lock(const char *dir, bool wait, struct diags *d)
{
	size_t n = strlen(dir);
	char *trimmed, *path;
	int fd;

	while (n > 1 && dir[n - 1] == '/')
		n--;
	trimmed = xstrndup(dir, n);
	path = sibling_of(trimmed, "lock");
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd == -1)
		diag_error(d, path, 0, 0, "cannot open the build lock: %s",
		    strerror(errno));
	else if (flock(fd, wait ? LOCK_EX : LOCK_EX | LOCK_NB) == -1) {
		if (errno == EWOULDBLOCK && !wait) {
			close(fd);
			fd = -2;
		} else {
			diag_error(d, path, 0, 0, "cannot take the build "
			    "lock: %s", strerror(errno));
			close(fd);
			fd = -1;
		}
	}
	free(path);
	free(trimmed);
	return fd;
}

static void *
sweep(void *arg)
{
	fs_remove_tree(arg);
	return NULL;
}

struct output *
output_open(const char *dir, struct diags *d)
{
	struct output *o = xcalloc(1, sizeof(*o));
	size_t n = strlen(dir);

	while (n > 1 && dir[n - 1] == '/')
		n--;
	o->dir = xstrndup(dir, n);
	o->stage = sibling_of(o->dir, "staging");
	o->trash = sibling_of(o->dir, "trash");
	/*
	 * Freeing a file's blocks waits on the disk (1 ms a file here),
	 * not the processor: the last build's replaced files go while this
	 * one works.
	 */
	if (fs_exists(o->trash))
		o->sweeping = pthread_create(&o->sweeper, NULL, sweep,
		    o->trash) == 0;
	/* Paths below it resolve from here, not from / each time. */
	o->dirfd = open(o->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
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

void
output_recall(struct output *o, const struct strmap *prev)
{
	o->prev = prev;
	free(o->marks);
	o->marks = xcalloc(prev->count + 1, sizeof(*o->marks));
}

static void
record_of(const struct stat *st, uint64_t hash, struct output_record *r)
{
	r->hash = hash;
	r->size = (uint64_t)st->st_size;
	r->mtime_ns = (int64_t)st->st_mtim.tv_sec * 1000000000 +
	    st->st_mtim.tv_nsec;
	r->ino = (uint64_t)st->st_ino;
}

void
output_list(struct output *o, const char *rel)
{
	o->lists = xreallocarray(o->lists, o->nlists + 1, sizeof(*o->lists));
	o->lists[o->nlists++] = xstrdup(rel);
}

/*
 * Gives a verdict on each file of the folders output_list named from a
 * listing of them: the file the last build wrote if it has the inode it
 * had.  A folder that cannot be read is left to stats.
 */
static void
read_lists(struct output *o)
{
	const struct strmap_entry *e;
	const struct output_record *r;
	struct dirent *d;
	struct buf path = BUF_INIT;
	size_t i;
	DIR *dir;
	int fd;

	for (i = 0; i < o->nlists; i++) {
		fd = openat(o->dirfd, o->lists[i], O_RDONLY | O_DIRECTORY |
		    O_CLOEXEC);
		if (fd == -1 || (dir = fdopendir(fd)) == NULL) {
			if (fd != -1)
				close(fd);
			continue;
		}
		while ((d = readdir(dir)) != NULL) {
			if (d->d_type != DT_REG)
				continue;
			buf_truncate(&path, 0);
			buf_puts(&path, o->lists[i]);
			buf_putc(&path, '/');
			buf_puts(&path, d->d_name);
			if ((e = strmap_get(o->prev, path.data, path.len)) ==
			    NULL)
				continue;
			r = e->value;
			atomic_store_explicit(&o->verdicts[e - o->prev->entries],
			    r->ino == (uint64_t)d->d_ino ? VERDICT_UNTOUCHED :
			    VERDICT_TOUCHED, memory_order_relaxed);
		}
		closedir(dir);
	}
	buf_free(&path);
}

static bool untouched(const struct output *, const char *,
    const struct output_record *);
static bool untouched_at(int, const char *, const struct output_record *);

/*
 * The folders at the top of the output, open, so that a file below one
 * is looked up from there: a path's every step costs its stat.
 */
#define TOP_FOLDERS	16

struct top_folders {
	char	*names[TOP_FOLDERS];	/* owned */
	int	 fds[TOP_FOLDERS];
	size_t	 n;
};

/*
 * The folder to look up path from, and *rest the rest of it: its top
 * folder, opened on first use, or dirfd.
 */
static int
top_folder(struct top_folders *t, int dirfd, const char *path,
    const char **rest)
{
	const char *slash = strchr(path, '/');
	size_t len, i;
	int fd;

	*rest = path;
	if (slash == NULL)
		return dirfd;
	len = (size_t)(slash - path);
	for (i = 0; i < t->n; i++)
		if (strncmp(t->names[i], path, len) == 0 &&
		    t->names[i][len] == '\0') {
			*rest = slash + 1;
			return t->fds[i];
		}
	if (t->n == TOP_FOLDERS)
		return dirfd;
	t->names[t->n] = xstrndup(path, len);
	fd = openat(dirfd, t->names[t->n], O_PATH | O_DIRECTORY | O_CLOEXEC);
	t->fds[t->n++] = fd;
	if (fd == -1)
		return dirfd;
	*rest = slash + 1;
	return fd;
}

static void
top_folders_close(struct top_folders *t)
{
	size_t i;

	for (i = 0; i < t->n; i++) {
		if (t->fds[i] != -1)
			close(t->fds[i]);
		free(t->names[i]);
	}
}

static void *
check_ahead(void *arg)
{
	struct output *o = arg;
	struct top_folders top = { { NULL }, { 0 }, 0 };
	const struct strmap_entry *e;
	const char *rest;
	size_t i;
	int fd;

	/*
	 * Behind the build's own threads: its parallel stretches want every
	 * core, and its serial ones leave this one a core of its own.
	 */
	setpriority(PRIO_PROCESS, (id_t)gettid(), 19);
	read_lists(o);
	for (i = 0; i < o->prev->count; i++) {
		e = &o->prev->entries[i];
		if (atomic_load_explicit(&o->verdicts[i],
		    memory_order_relaxed) != VERDICT_UNKNOWN)
			continue;
		fd = top_folder(&top, o->dirfd, e->key, &rest);
		atomic_store_explicit(&o->verdicts[i], untouched_at(fd, rest,
		    e->value) ? VERDICT_UNTOUCHED : VERDICT_TOUCHED,
		    memory_order_relaxed);
	}
	top_folders_close(&top);
	return NULL;
}

void
output_check_ahead(struct output *o)
{
	if (o->prev == NULL || o->prev->count == 0 || o->dirfd == -1)
		return;
	o->verdicts = xcalloc(o->prev->count, sizeof(*o->verdicts));
	o->checking = pthread_create(&o->checker, NULL, check_ahead, o) == 0;
}

/*
 * Whether the file of entry at of the previous build's records, path, is
 * as the record r says: from a listing, the check ahead, or a stat.
 */
static bool
kept_as_is(const struct output *o, const char *path, size_t at,
    const struct output_record *r)
{
	unsigned char v = VERDICT_UNKNOWN;

	if (o->verdicts != NULL)
		v = atomic_load_explicit(&o->verdicts[at],
		    memory_order_relaxed);
	if (v != VERDICT_UNKNOWN)
		return v == VERDICT_UNTOUCHED;
	return untouched(o, path, r);
}

/* Whether the file at path is as its record says, untouched since. */
static bool
untouched(const struct output *o, const char *path,
    const struct output_record *r)
{
	return o->dirfd != -1 && untouched_at(o->dirfd, path, r);
}

/* The same for path below the folder open as dirfd. */
static bool
untouched_at(int dirfd, const char *path, const struct output_record *r)
{
	struct output_record now;
	struct stat st;

	if (fstatat(dirfd, path, &st, 0) == -1 || !S_ISREG(st.st_mode))
		return false;
	record_of(&st, r->hash, &now);
	return now.size == r->size && now.mtime_ns == r->mtime_ns &&
	    now.ino == r->ino;
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

/* The previous build's record of path, or NULL; *at is its entry. */
static const struct output_record *
previous(const struct output *o, const char *path, size_t *at)
{
	const struct strmap_entry *e;

	if (o->prev == NULL)
		return NULL;
	e = strmap_get(o->prev, path, strlen(path));
	if (e == NULL)
		return NULL;
	*at = (size_t)(e - o->prev->entries);
	return e->value;
}

/*
 * Marks path as put in state with hash; prev is its previous record, the
 * entry at of those, or NULL.
 */
static void
mark_put(struct output *o, const char *path, enum file_state state,
    uint64_t hash, const struct output_record *prev, size_t at)
{
	struct strmap_entry *e;
	struct out_file *f;
	if (prev != NULL)
		atomic_store(&o->marks[at], MARK_PUT);
	pthread_mutex_lock(&o->lock);
	e = strmap_put(&o->files, path, strlen(path), NULL);
	/* Put again (an index patch given up for a whole one): one order. */
	if (e->value == NULL) {
		e->value = xcalloc(1, sizeof(struct out_file));
		((struct out_file *)e->value)->order = o->nput++;
	}
	f = e->value;
	f->state = state;
	f->hash = hash;
	f->prev = prev;
	pthread_mutex_unlock(&o->lock);
}

bool
output_keep(struct output *o, const char *path)
{
	size_t at;
	const struct output_record *r = previous(o, path, &at);
	unsigned char mark = MARK_NONE;

	if (r == NULL || !kept_as_is(o, path, at, r))
		return false;
	if (!atomic_compare_exchange_strong(&o->marks[at], &mark, MARK_KEPT) &&
	    mark == MARK_PUT)
		mark_put(o, path, FILE_KEPT, r->hash, r, at);
	return true;
}

int
output_put(struct output *o, const char *path, const void *data, size_t len,
    struct diags *d)
{
	char *target = fs_join(o->dir, path), *staged = NULL;
	uint64_t hash = XXH3_64bits(data, len);
	size_t at = 0;
	const struct output_record *r = previous(o, path, &at);
	enum file_state state = FILE_KEPT;
	int rc = -1;

	/* A trusted record spares reading the old file to compare. */
	if (r != NULL && r->hash == hash && r->size == len &&
	    kept_as_is(o, path, at, r))
		state = FILE_KEPT;
	else if (!same_bytes(target, data, len)) {
		staged = fs_join(o->stage, path);
		/* A failed build throws the staging folder away whole. */
		if (fs_write(staged, data, len) == -1) {
			diag_error(d, staged, 0, 0, "cannot write: %s",
			    strerror(errno));
			goto out;
		}
		state = FILE_STAGED;
	}
	mark_put(o, path, state, hash, r, at);
	rc = 0;
out:
	free(target);
	free(staged);
	return rc;
}

bool
output_has(const struct output *o, const char *path)
{
	size_t at;

	if (previous(o, path, &at) != NULL)
		return atomic_load(&o->marks[at]) != MARK_NONE;
	return strmap_get(&o->files, path, strlen(path)) != NULL;
}

/* How many files the previous build left are kept as they were. */
static size_t
count_kept(const struct output *o)
{
	size_t i, n = 0;

	for (i = 0; o->prev != NULL && i < o->prev->count; i++)
		n += atomic_load(&o->marks[i]) == MARK_KEPT;
	return n;
}

/*
 * The most files a commit swaps in, leaving the old ones to the next
 * build: each takes the disk about 1 ms to let go of, and the next build
 * waits for the last of them before it ends.  A larger commit (a template
 * changed) replaces its files itself.
 */
#define TRASH_MAX	64

static int
move_in(struct output *o, const char *path, bool swap, struct diags *d)
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
	/* The old file stays in the staging folder, to be thrown away. */
	if (swap &&
	    renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_EXCHANGE) == 0)
		o->exchanged++;
	else if (rename(from, to) == -1) {
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

/* One entry of a folder being pruned. */
struct entry {
	char	*name;
	bool	 dir;
};

/*
 * Reads the entries of fspath.  The file system's d_type spares a stat
 * per file: a site has tens of thousands of them.
 */
static int
read_entries(const char *fspath, struct entry **out, size_t *count)
{
	DIR *dir = opendir(fspath);
	struct dirent *e;
	struct entry *v = NULL;
	struct stat st;
	size_t n = 0, cap = 0;

	*out = NULL;
	*count = 0;
	if (dir == NULL)
		return -1;
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
 * Removes files below dir/rel that this build did not put, then the
 * folders left empty; *left receives how many entries dir/rel keeps, so
 * that a folder is removed without trying every one.  Returns -1 after
 * adding an error to d.
 */
static int
prune(struct output *o, const char *rel, size_t *removed, size_t *left,
    struct diags *d)
{
	char *fspath = rel[0] ? fs_join(o->dir, rel) : xstrdup(o->dir);
	char *child = NULL, *childfs = NULL;
	struct entry *entries = NULL;
	size_t n = 0, i, inside;
	int rc = -1;

	*left = 0;
	if (read_entries(fspath, &entries, &n) == -1) {
		diag_error(d, fspath, 0, 0, "cannot list: %s", strerror(errno));
		goto out;
	}
	for (i = 0; i < n; i++) {
		child = rel[0] ? xasprintf("%s/%s", rel, entries[i].name) :
		    xstrdup(entries[i].name);
		if (entries[i].dir) {
			if (prune(o, child, removed, &inside, d) == -1)
				goto out;
			childfs = fs_join(o->dir, child);
			if (inside > 0 || rmdir(childfs) == -1)
				(*left)++;
		} else if (output_has(o, child))
			(*left)++;
		else {
			childfs = fs_join(o->dir, child);
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
	for (i = 0; i < n; i++)
		free(entries[i].name);
	free(entries);
	free(fspath);
	return rc;
}

/*
 * Removes the files the previous build recorded and this one did not
 * put, and each folder they leave empty: the few files that left the
 * site, without a walk through all of them.
 */
static int
prune_recorded(struct output *o, size_t *removed, struct diags *d)
{
	char *fspath, *slash;
	size_t i, root = strlen(o->dir);
	int rc = 0;

	for (i = 0; i < o->prev->count && rc == 0; i++) {
		if (atomic_load(&o->marks[i]) != MARK_NONE)
			continue;
		fspath = fs_join(o->dir, o->prev->entries[i].key);
		if (unlink(fspath) == 0)
			(*removed)++;
		else if (errno != ENOENT) {
			diag_error(d, fspath, 0, 0, "cannot remove: %s",
			    strerror(errno));
			rc = -1;
		}
		while (rc == 0 && (slash = strrchr(fspath, '/')) != NULL &&
		    (size_t)(slash - fspath) > root) {
			*slash = '\0';
			if (rmdir(fspath) == -1)
				break;
		}
		free(fspath);
	}
	return rc;
}

/*
 * When there is no output folder yet, the staging folder, which then
 * holds every file, becomes it in one rename: a first build moves no
 * file one by one.  Returns 1 when done, 0 when the folder exists.
 */
static int
commit_whole(struct output *o, struct output_stats *st, struct diags *d)
{
	struct stat sb;
	char *parent;
	size_t i;
	int rc;

	if (lstat(o->dir, &sb) == 0 || errno != ENOENT ||
	    lstat(o->stage, &sb) == -1)
		return 0;
	parent = xstrdup(o->dir);
	if (strrchr(parent, '/') != NULL)
		*strrchr(parent, '/') = '\0';
	rc = strcmp(parent, o->dir) != 0 && fs_mkdirs(parent) == -1 ? -1 :
	    rename(o->stage, o->dir);
	if (rc == -1)
		diag_error(d, o->dir, 0, 0, "cannot move into place: %s",
		    strerror(errno));
	free(parent);
	for (i = 0; rc == 0 && i < o->files.count; i++)
		if (((struct out_file *)o->files.entries[i].value)->state ==
		    FILE_STAGED)
			st->written++;
	st->files = st->written;
	return rc == 0 ? 1 : -1;
}

int
output_commit(struct output *o, struct output_stats *st, struct diags *d)
{
	struct out_file *f;
	size_t i, left, staged = 0;
	int rc = -1, whole;

	memset(st, 0, sizeof(*st));
	if ((whole = commit_whole(o, st, d)) != 0)
		return whole == 1 ? 0 : -1;
	/* Counting new files too: without records, which are which? */
	for (i = 0; i < o->files.count; i++)
		staged += ((struct out_file *)o->files.entries[i].value)->state ==
		    FILE_STAGED;
	if (fs_mkdirs(o->dir) == -1) {
		diag_error(d, o->dir, 0, 0, "cannot create: %s",
		    strerror(errno));
		goto out;
	}
	st->files = count_kept(o);
	for (i = 0; i < o->files.count; i++) {
		f = o->files.entries[i].value;
		st->files++;
		if (f->state != FILE_STAGED)
			continue;
		if (move_in(o, o->files.entries[i].key, staged <= TRASH_MAX,
		    d) == -1)
			goto out;
		st->written++;
	}
	/* Without records, anything not put this time must go. */
	if (o->prev != NULL && o->prev->count > 0 ?
	    prune_recorded(o, &st->removed, d) == -1 :
	    prune(o, "", &st->removed, &left, d) == -1)
		goto out;
	rc = 0;
out:
	return rc;
}

int
output_records(struct output *o,
    void (*fn)(void *arg, const char *path, const struct output_record *r),
    void *arg, struct diags *d)
{
	struct output_record r;
	struct out_file *f, **byorder;
	const char **paths;
	struct stat st;
	char *fspath;
	size_t i;
	int rc = 0;

	/* The files kept, as the last build recorded them; then those put. */
	for (i = 0; o->prev != NULL && i < o->prev->count; i++)
		if (atomic_load(&o->marks[i]) == MARK_KEPT)
			fn(arg, o->prev->entries[i].key,
			    o->prev->entries[i].value);
	byorder = xcalloc(o->nput + 1, sizeof(*byorder));
	paths = xcalloc(o->nput + 1, sizeof(*paths));
	for (i = 0; i < o->files.count; i++) {
		f = o->files.entries[i].value;
		byorder[f->order] = f;
		paths[f->order] = o->files.entries[i].key;
	}
	for (i = 0; i < o->nput && rc == 0; i++) {
		f = byorder[i];
		if (f->state == FILE_KEPT && f->prev != NULL &&
		    f->prev->hash == f->hash) {
			fn(arg, paths[i], f->prev);
			continue;
		}
		fspath = fs_join(o->dir, paths[i]);
		if (stat(fspath, &st) == -1) {
			diag_error(d, fspath, 0, 0, "cannot examine: %s",
			    strerror(errno));
			rc = -1;
		} else {
			record_of(&st, f->hash, &r);
			fn(arg, paths[i], &r);
		}
		free(fspath);
	}
	free(byorder);
	free(paths);
	return rc;
}

void
output_close(struct output *o)
{
	if (o == NULL || o->closed)
		return;
	o->closed = true;
	if (o->checking)
		pthread_join(o->checker, NULL);
	if (o->sweeping)
		pthread_join(o->sweeper, NULL);
	/* The old files the commit replaced are left to the next build. */
	if (o->exchanged == 0 || rename(o->stage, o->trash) == -1)
		fs_remove_tree(o->stage);
	if (o->dirfd != -1)
		close(o->dirfd);
}

void
output_free(struct output *o)
{
	size_t i;

	if (o == NULL)
		return;
	output_close(o);
	pthread_mutex_destroy(&o->lock);
	for (i = 0; i < o->files.count; i++)
		free(o->files.entries[i].value);
	strmap_free(&o->files);
	for (i = 0; i < o->nlists; i++)
		free(o->lists[i]);
	free(o->lists);
	free(o->verdicts);
	free(o->marks);
	free(o->dir);
	free(o->stage);
	free(o->trash);
	free(o);
}
