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
#include "../util/thread.h"
#include "../util/xalloc.h"
#include "prune.h"

/* One of the two trees: its folder and what is known of its files. */
struct tree {
	char	*path;		/* owned; the folder */
	int	 fd;		/* open on it (O_PATH), or -1 when missing */
	uint64_t dev, ino;	/* its identity, 0 when missing */
	const struct output_tree *known; /* borrowed; its records, or NULL */
};

/* The most folders a build's sweeper removes: the rest wait a build. */
#define SWEPT_MAX	34

/*
 * Left in the back tree while a build writes into it, removed before
 * the swap: a build that finds it knows one before it stopped half way,
 * and looks at every file of the tree, not only those records name.
 */
#define PARTIAL_MARK	".jiceng-partial"

/* A file put or kept by this build. */
struct out_file {
	bool	 changed;		/* not the bytes the front has */
	struct output_record now;	/* the file as the back tree has it */
	size_t	 order;			/* when it was put, for records */
};

struct output {
	struct tree front;	/* the folder readers see */
	struct tree back;	/* ".NAME.back": the one this build writes */
	char	*trash;	/* owned; ".NAME.trash": files replaced */
	char	*bin;		/* owned; this build's folder in it */
	int	 binfd;		/* open on bin (O_PATH), or -1 */
	_Atomic size_t binned;	/* files moved into bin */
	char	*swept[SWEPT_MAX]; /* owned; what the sweeper removes */
	size_t	 nswept;
	struct thread sweeper;	/* removing them */
	_Atomic bool stop_sweep; /* set when the build is done */
	bool	 partial;	/* a build before this one wrote into the back
				   tree and did not swap it in */
	bool	 closed;	/* by output_close */
	bool	 swapped;	/* by output_commit */
	pthread_mutex_t lock;	/* guards files */
	pthread_mutex_t dirs_lock; /* held while folders are made */
	struct strmap files;	/* path -> struct out_file *, as put */
	size_t	 nput;		/* orders given to files */
	_Atomic unsigned char *marks; /* owned; per record of the back */
	char	**lists;	/* owned; the folders of output_list */
	size_t	 nlists;
	_Atomic unsigned char *verdicts; /* owned; per record of the back */
	struct thread checker;	/* filling verdicts */
	struct thread flusher;	/* writing the back tree's bytes early */
	_Atomic bool flushed;	/* by the flusher, when done */
	pthread_mutex_t flush_lock; /* held while one is started */
	struct output_tree linked; /* the back's records when output_recall
				   linked it to the front (files borrowed) */
	const struct output_tree *last; /* borrowed: the records of the tree
				   the last build wrote, its site, or NULL */
};

/*
 * What became of each file the back tree held.  Most of a build's files
 * are kept, by many threads at once: a mark takes no lock, no allocation
 * and no shared counter.
 */
enum mark {
	MARK_NONE,
	MARK_KEPT,		/* kept as it was */
	MARK_PUT,		/* in files */
};

/* What output_check_ahead found of a file of the back tree. */
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

static char *
trimmed(const char *dir)
{
	size_t n = strlen(dir);

	while (n > 1 && dir[n - 1] == '/')
		n--;
	return xstrndup(dir, n);
}

/*
 * The output folder as the swap and the lock see it: a link to where a
 * server reads is followed, so that the swap happens there and builds
 * that name the folder differently share one lock.  Caller frees.
 */
static char *
front_path(const char *dir)
{
	char *path = trimmed(dir), *real;
	struct stat st;

	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode) &&
	    (real = realpath(path, NULL)) != NULL) {
		free(path);
		path = real;
	}
	return path;
}

/*
 * The names beside the output are the build's own, and it deletes what
 * it finds in its trash: a link planted at one of them, or a file where
 * a folder goes, is removed, never followed.
 */
static int
own_folder(const char *path)
{
	struct stat st;

	if (lstat(path, &st) == 0 && !S_ISDIR(st.st_mode) &&
	    unlink(path) == -1)
		return -1;
	return mkdir(path, 0755) == -1 && errno != EEXIST ? -1 : 0;
}

/* Opens the lock file at path, replacing a link planted there. */
static int
open_lock(const char *path)
{
	int fd, flags = O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC;

	fd = open(path, flags, 0644);
	if (fd == -1 && errno == ELOOP && unlink(path) == 0)
		fd = open(path, flags, 0644);
	return fd;
}

int
output_lock(const char *dir, bool wait, struct diags *d)
{
	char *path, *folder = front_path(dir);
	int fd;

	path = sibling_of(folder, "lock");
	fd = open_lock(path);
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
	free(folder);
	return fd;
}

/* Whether the folder of tree t is a mount point: its parent's device is
   another. */
static bool
is_mount(const struct tree *t)
{
	struct stat parent;

	return t->fd != -1 && fstatat(t->fd, "..", &parent, 0) == 0 &&
	    (uint64_t)parent.st_dev != t->dev;
}

/* Opens t's folder and learns its identity; a missing one stays -1. */
static int
tree_open(struct tree *t)
{
	struct stat st;

	t->fd = open(t->path, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (t->fd == -1)
		return errno == ENOENT ? 0 : -1;
	if (fstat(t->fd, &st) == -1)
		return -1;
	t->dev = (uint64_t)st.st_dev;
	t->ino = (uint64_t)st.st_ino;
	return 0;
}

static void
tree_close(struct tree *t)
{
	if (t->fd != -1)
		close(t->fd);
	t->fd = -1;
}

static void *
sweep(void *arg)
{
	struct output *o = arg;
	size_t i;

	/* Behind the build: it leaves what it has no time for. */
	setpriority(PRIO_PROCESS, (id_t)gettid(), 19);
	for (i = 0; i < o->nswept && !atomic_load(&o->stop_sweep); i++)
		fs_remove_tree_until(o->swept[i], &o->stop_sweep);
	return NULL;
}

/*
 * Starts removing, on a thread, the files the last builds replaced (the
 * trash's folders, one a build) and the folders an older layout of the
 * output left: freeing a file's blocks waits on the disk, so they go
 * while this build works.  This build's trash is a folder of its own.
 */
static int
start_sweep(struct output *o)
{
	static const char *const legacy[] = { "staging", "old" };
	char **names = NULL;
	size_t n = 0, i;

	for (i = 0; i < sizeof(legacy) / sizeof(legacy[0]); i++)
		o->swept[o->nswept++] = sibling_of(o->front.path, legacy[i]);
	if (own_folder(o->trash) == -1)
		return -1;
	if (fs_list(o->trash, NULL, &names, &n) == 0)
		for (i = 0; i < n && o->nswept < SWEPT_MAX; i++)
			o->swept[o->nswept++] = fs_join(o->trash, names[i]);
	fs_names_free(names, n);
	/* A sweep the build would wait for is left to a later build. */
	thread_spawn(&o->sweeper, sweep, o);
	/*
	 * A name no folder had: serve builds many times a second in one
	 * process, and the sweeper is removing the folders listed above.
	 */
	o->bin = xasprintf("%s/%ld-%lld-XXXXXX", o->trash, (long)getpid(),
	    (long long)time(NULL));
	if (mkdtemp(o->bin) == NULL)
		return -1;
	o->binfd = open(o->bin, O_PATH | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC);
	return o->binfd == -1 ? -1 : 0;
}

struct output *
output_open(const char *dir, struct diags *d)
{
	struct output *o = xcalloc(1, sizeof(*o));

	o->front.path = front_path(dir);
	o->back.path = sibling_of(o->front.path, "back");
	o->trash = sibling_of(o->front.path, "trash");
	o->front.fd = o->back.fd = -1;
	pthread_mutex_init(&o->lock, NULL);
	pthread_mutex_init(&o->dirs_lock, NULL);
	pthread_mutex_init(&o->flush_lock, NULL);
	o->binfd = -1;
	if (tree_open(&o->front) == -1) {
		diag_error(d, o->front.path, 0, 0, "cannot open: %s",
		    strerror(errno));
		goto fail;
	}
	if (is_mount(&o->front)) {
		diag_error(d, o->front.path, 0, 0, "a mount point cannot be "
		    "swapped with the new site: name a folder inside it, or "
		    "a link to one");
		goto fail;
	}
	if (start_sweep(o) == -1) {
		diag_error(d, o->trash, 0, 0, "cannot make: %s",
		    strerror(errno));
		goto fail;
	}
	if (own_folder(o->back.path) == -1 || tree_open(&o->back) == -1 ||
	    o->back.fd == -1) {
		diag_error(d, o->back.path, 0, 0, "cannot open: %s",
		    strerror(errno));
		goto fail;
	}
	return o;
fail:
	output_free(o);
	return NULL;
}

/* Whether records r are of the folder of tree t. */
static bool
is_of(const struct output_tree *r, const struct tree *t)
{
	return r != NULL && t->fd != -1 && r->ino != 0 && r->ino == t->ino &&
	    r->dev == t->dev;
}

/*
 * Fills an empty back tree with hard links to the front's files, as
 * their records describe them: the two trees start alike, and at no
 * cost in bytes.  A file that cannot be linked is left out; the build
 * writes it.  A linked file is never written in place (see open_back).
 */
static void
link_front(struct output *o)
{
	const struct strmap *f = &o->front.known->files;
	const char *path, *slash;
	char *dirs;
	size_t i;

	for (i = 0; i < f->count; i++) {
		path = f->entries[i].key;
		if (linkat(o->front.fd, path, o->back.fd, path, 0) == 0)
			continue;
		if (errno != ENOENT || (slash = strrchr(path, '/')) == NULL)
			continue;
		dirs = xstrndup(path, (size_t)(slash - path));
		if (fs_mkdirs_beneath(o->back.fd, dirs) == 0)
			linkat(o->front.fd, path, o->back.fd, path, 0);
		free(dirs);
	}
	o->linked.dev = o->back.dev;
	o->linked.ino = o->back.ino;
	o->linked.files = *f;
	o->back.known = &o->linked;
}

/* Whether the folder t holds no entry. */
static bool
is_empty(const struct tree *t)
{
	DIR *dir;
	struct dirent *e;
	int fd;
	bool empty = true;

	if ((fd = openat(t->fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) ==
	    -1 || (dir = fdopendir(fd)) == NULL) {
		if (fd != -1)
			close(fd);
		return false;
	}
	while (empty && (e = readdir(dir)) != NULL)
		empty = strcmp(e->d_name, ".") == 0 ||
		    strcmp(e->d_name, "..") == 0;
	closedir(dir);
	return empty;
}

void
output_recall(struct output *o, const struct output_tree *last,
    const struct output_tree *other)
{
	int fd;

	o->front.known = o->back.known = NULL;
	o->last = NULL;
	if (is_of(last, &o->front)) {
		o->front.known = o->last = last;
		if (is_of(other, &o->back))
			o->back.known = other;
	} else if (is_of(last, &o->back)) {
		/* Cut short after its swap: the front is the unknown one. */
		o->back.known = o->last = last;
	} else if (is_of(other, &o->back))
		o->back.known = other;
	if (o->back.known == NULL && o->front.known != NULL &&
	    o->front.known->files.count > 0 && is_empty(&o->back))
		link_front(o);
	/* From here on the back tree is being written: see PARTIAL_MARK. */
	o->partial = faccessat(o->back.fd, PARTIAL_MARK, F_OK,
	    AT_SYMLINK_NOFOLLOW) == 0;
	if (!o->partial && (fd = openat(o->back.fd, PARTIAL_MARK, O_WRONLY |
	    O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644)) != -1)
		close(fd);
	free(o->marks);
	o->marks = NULL;
	if (o->back.known != NULL)
		o->marks = xcalloc(o->back.known->files.count + 1,
		    sizeof(*o->marks));
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

/* The tree this build writes: the back, in front once swapped in. */
static const struct tree *
written(const struct output *o)
{
	return o->swapped ? &o->front : &o->back;
}

/* The records of the tree this build writes, which marks follow. */
static const struct strmap *
back_files(const struct output *o)
{
	return written(o)->known != NULL ? &written(o)->known->files : NULL;
}

/*
 * Gives a verdict on each file of the folders output_list named from a
 * listing of them: the file its record describes if it has the inode it
 * had.  A folder that cannot be read is left to stats.
 */
static void
read_lists(struct output *o)
{
	const struct strmap *files = back_files(o);
	const struct strmap_entry *e;
	const struct output_record *r;
	struct dirent *d;
	struct buf path = BUF_INIT;
	size_t i;
	DIR *dir;
	int fd;

	for (i = 0; i < o->nlists; i++) {
		fd = fs_open_beneath(o->back.fd, o->lists[i], O_RDONLY |
		    O_DIRECTORY, 0);
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
			if ((e = strmap_get(files, path.data, path.len)) ==
			    NULL)
				continue;
			r = e->value;
			atomic_store_explicit(&o->verdicts[e - files->entries],
			    r->ino == (uint64_t)d->d_ino ? VERDICT_UNTOUCHED :
			    VERDICT_TOUCHED, memory_order_relaxed);
		}
		closedir(dir);
	}
	buf_free(&path);
}

/* Whether the file at path below dirfd is as its record r says. */
static bool
untouched_at(int dirfd, const char *path, const struct output_record *r)
{
	struct output_record now;
	struct stat st;

	if (fstatat(dirfd, path, &st, AT_SYMLINK_NOFOLLOW) == -1 ||
	    !S_ISREG(st.st_mode))
		return false;
	record_of(&st, r->hash, &now);
	return now.size == r->size && now.mtime_ns == r->mtime_ns &&
	    now.ino == r->ino;
}

/*
 * The folders at the top of the back tree, open, so that a file below
 * one is looked up from there: a path's every step costs its stat.  Each
 * is opened without following a link, as paths below are looked up with
 * AT_SYMLINK_NOFOLLOW only at their last step: a link planted at a
 * deeper step can make a file look touched, never untouched and trusted
 * wrongly, as its inode would not be the one recorded.
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
	fd = openat(dirfd, t->names[t->n], O_PATH | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC);
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
	const struct strmap *files = back_files(o);
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
	for (i = 0; i < files->count; i++) {
		e = &files->entries[i];
		if (atomic_load_explicit(&o->verdicts[i],
		    memory_order_relaxed) != VERDICT_UNKNOWN)
			continue;
		fd = top_folder(&top, o->back.fd, e->key, &rest);
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
	const struct strmap *files = back_files(o);

	if (files == NULL || files->count == 0)
		return;
	o->verdicts = xcalloc(files->count, sizeof(*o->verdicts));
	thread_start(&o->checker, check_ahead, o);
}

static void *
flush_ahead(void *arg)
{
	struct output *o = arg;
	int fd;

	/* Only a head start: output_commit flushes again, and says why. */
	fd = openat(o->back.fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd != -1) {
		(void)syncfs(fd);
		close(fd);
	}
	atomic_store(&o->flushed, true);
	return NULL;
}

void
output_flush_ahead(struct output *o)
{
	if (o == NULL)
		return;
	pthread_mutex_lock(&o->flush_lock);
	/* A flush under way covers most of what is dirty: not waited for. */
	if (!o->flusher.running || atomic_load(&o->flushed)) {
		thread_join(&o->flusher);
		atomic_store(&o->flushed, false);
		thread_spawn(&o->flusher, flush_ahead, o);
	}
	pthread_mutex_unlock(&o->flush_lock);
}

/*
 * Whether the back tree's file at entry at of its records, path, is as
 * the record r says: from a listing, the check ahead, or a stat.
 */
static bool
back_untouched(const struct output *o, const char *path, size_t at,
    const struct output_record *r)
{
	unsigned char v = VERDICT_UNKNOWN;

	if (o->verdicts != NULL)
		v = atomic_load_explicit(&o->verdicts[at],
		    memory_order_relaxed);
	if (v != VERDICT_UNKNOWN)
		return v == VERDICT_UNTOUCHED;
	return untouched_at(o->back.fd, path, r);
}

/* The record of path in tree t, or NULL; *at is its entry. */
static const struct output_record *
recorded(const struct tree *t, const char *path, size_t *at)
{
	const struct strmap_entry *e;

	if (t->known == NULL)
		return NULL;
	e = strmap_get(&t->known->files, path, strlen(path));
	if (e == NULL)
		return NULL;
	*at = (size_t)(e - t->known->files.entries);
	return e->value;
}

/*
 * Notes that the site holds path, as the back tree now has it (now); a
 * file the back tree's records name is marked as well.
 */
static void
mark_put(struct output *o, const char *path, bool written,
    const struct output_record *now, const struct output_record *prev,
    size_t at)
{
	struct out_file *f = xcalloc(1, sizeof(*f));
	const struct output_record *front;
	struct strmap_entry *e;
	size_t fat;
	bool added;

	front = o->last == o->front.known ? recorded(&o->front, path, &fat) :
	    NULL;
	f->changed = o->last == o->front.known && o->last != NULL ?
	    front == NULL || front->hash != now->hash : written;
	f->now = *now;
	pthread_mutex_lock(&o->lock);
	e = strmap_put(&o->files, path, strlen(path), &added);
	if (added)
		f->order = o->nput++;
	else {
		/*
		 * Put again (the search index kept a file, then made it
		 * anew): one record, the last, in the first one's order;
		 * a second order would leave output_records a hole.
		 */
		f->order = ((struct out_file *)e->value)->order;
		free(e->value);
	}
	e->value = f;
	pthread_mutex_unlock(&o->lock);
	if (prev != NULL)
		atomic_store(&o->marks[at], MARK_PUT);
}

/*
 * Opens the folder that holds path in the back tree, below it and
 * through no link, making the folders that are missing (in place of a
 * link or a file in the way).  Folders are made under a lock: two
 * threads replacing one link would trip over each other.  *base is
 * path's last step.  Returns the folder's descriptor or -1.
 */
static int
open_parent(struct output *o, const char *path, const char **base)
{
	const char *slash = strrchr(path, '/');
	char *dirs;
	int fd;

	*base = slash ? slash + 1 : path;
	if (slash == NULL)
		return fcntl(o->back.fd, F_DUPFD_CLOEXEC, 0);
	dirs = xstrndup(path, (size_t)(slash - path));
	fd = fs_open_beneath(o->back.fd, dirs, O_PATH | O_DIRECTORY, 0);
	if (fd == -1 && (errno == ENOENT || errno == ENOTDIR ||
	    errno == ELOOP)) {
		pthread_mutex_lock(&o->dirs_lock);
		if (fs_mkdirs_beneath(o->back.fd, dirs) == 0)
			fd = fs_open_beneath(o->back.fd, dirs, O_PATH |
			    O_DIRECTORY, 0);
		pthread_mutex_unlock(&o->dirs_lock);
	}
	free(dirs);
	return fd;
}

/*
 * Clears the way for a new file at name in the folder dirfd (path below
 * the back tree): a file of the back tree's own goes to this build's
 * trash, kept whole for any reader who has it open (the back tree was
 * the site a moment ago) and freed by a later build; one linked to the
 * front tree, a link or anything else is unlinked; a folder goes.
 */
static int
set_aside(struct output *o, int dirfd, const char *name, const char *path,
    const struct stat *st)
{
	char bin[32], *full;
	int rc;

	if (S_ISREG(st->st_mode) && st->st_nlink == 1) {
		snprintf(bin, sizeof(bin), "%zu", atomic_fetch_add(&o->binned,
		    1));
		if (renameat(dirfd, name, o->binfd, bin) == 0)
			return 0;
	}
	if (!S_ISDIR(st->st_mode))
		return unlinkat(dirfd, name, 0) == -1 && errno != ENOENT ?
		    -1 : 0;
	/* A folder where a file goes: below the back tree, as its parent. */
	full = fs_join(o->back.path, path);
	rc = fs_remove_tree(full);
	free(full);
	return rc;
}

/*
 * Opens path of the back tree to be written, as a new file: what stood
 * there is set aside.  Never written in place, as a reader of the last
 * site may hold the old file open, and never by a rename over it, which
 * has ext4 flush the new bytes at once.
 */
static int
open_back(struct output *o, const char *path)
{
	struct stat st;
	const char *base;
	int dirfd, fd = -1, tries;

	if ((dirfd = open_parent(o, path, &base)) == -1)
		return -1;
	for (tries = 0; fd == -1 && tries < 2; tries++) {
		if (fstatat(dirfd, base, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    set_aside(o, dirfd, base, path, &st) == -1)
			break;
		fd = openat(dirfd, base, O_WRONLY | O_CREAT | O_EXCL |
		    O_NOFOLLOW | O_CLOEXEC, 0644);
	}
	close(dirfd);
	return fd;
}

/*
 * Writes data into path of the back tree as a new file (open_back), and
 * gives it the time mtime_ns when not 0 (the front's copy's, so a file
 * whose bytes are unchanged keeps its time in both trees).  Fills *r.
 */
static int
write_back(struct output *o, const char *path, const void *data, size_t len,
    int64_t mtime_ns, uint64_t hash, struct output_record *r)
{
	const char *p = data;
	struct timespec times[2];
	struct stat st;
	size_t done = 0;
	ssize_t n;
	int fd, rc = -1, saved;

	if ((fd = open_back(o, path)) == -1)
		return -1;
	while (done < len) {
		n = pwrite(fd, p + done, len - done, (off_t)done);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			goto out;
		done += (size_t)n;
	}
	if (mtime_ns != 0) {
		times[0].tv_sec = 0;
		times[0].tv_nsec = UTIME_OMIT;
		times[1].tv_sec = mtime_ns / 1000000000;
		times[1].tv_nsec = mtime_ns % 1000000000;
		if (futimens(fd, times) == -1)
			goto out;
	}
	if (fstat(fd, &st) == -1)
		goto out;
	record_of(&st, hash, r);
	rc = 0;
out:
	saved = errno;
	if (close(fd) == -1 && rc == 0)
		rc = -1;
	else
		errno = saved;
	return rc;
}

/* Whether the back tree's file at path holds exactly these bytes. */
static bool
same_bytes(const struct output *o, const char *path, const void *data,
    size_t len, struct output_record *r, uint64_t hash)
{
	struct stat st;
	char *old = NULL;
	size_t got = 0;
	ssize_t n;
	int fd;
	bool same = false;

	fd = fs_open_beneath(o->back.fd, path, O_RDONLY | O_NONBLOCK, 0);
	if (fd == -1)
		return false;
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
	    (size_t)st.st_size != len)
		goto out;
	old = xmalloc(len + 1);
	while (got < len && (n = read(fd, old + got, len - got)) > 0)
		got += (size_t)n;
	same = got == len && memcmp(old, data, len) == 0;
	record_of(&st, hash, r);
out:
	free(old);
	close(fd);
	return same;
}

/*
 * Reads the front tree's file at path when it is as its record f says:
 * the bytes a page kept as it was has.  NULL when it is not.
 */
static char *
read_front(const struct output *o, const char *path,
    const struct output_record *f, size_t *len)
{
	struct output_record now;
	struct stat st;
	char *data = NULL;
	size_t got = 0;
	ssize_t n;
	int fd;

	fd = fs_open_beneath(o->front.fd, path, O_RDONLY | O_NONBLOCK, 0);
	if (fd == -1)
		return NULL;
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode))
		goto out;
	record_of(&st, f->hash, &now);
	if (now.size != f->size || now.mtime_ns != f->mtime_ns ||
	    now.ino != f->ino)
		goto out;
	data = xmalloc(f->size + 1);
	while (got < f->size && (n = read(fd, data + got, f->size - got)) > 0)
		got += (size_t)n;
	if (got != f->size) {
		free(data);
		data = NULL;
	}
	*len = got;
out:
	close(fd);
	return data;
}

bool
output_keep(struct output *o, const char *path)
{
	size_t at = 0, fat, len;
	const struct output_record *b = recorded(&o->back, path, &at), *f;
	unsigned char mark = MARK_NONE;
	struct output_record now;
	char *data;
	bool kept;

	/* The last build's bytes of path: the front's, or after a build cut
	   short past its swap, the back's. */
	if (o->last == NULL)
		return false;
	f = o->last == o->back.known ? b : recorded(&o->front, path, &fat);
	if (f == NULL)
		return false;
	if (b != NULL && b->hash == f->hash &&
	    back_untouched(o, path, at, b)) {
		if (!atomic_compare_exchange_strong(&o->marks[at], &mark,
		    MARK_KEPT) && mark == MARK_PUT)
			mark_put(o, path, false, b, b, at);
		return true;
	}
	/* The back tree is a build behind: it gets the front's copy. */
	if (f == b || (data = read_front(o, path, f, &len)) == NULL)
		return false;
	kept = write_back(o, path, data, len, f->mtime_ns, f->hash, &now) ==
	    0;
	if (kept)
		mark_put(o, path, true, &now, b, at);
	free(data);
	return kept;
}

int
output_put(struct output *o, const char *path, const void *data, size_t len,
    struct diags *d)
{
	uint64_t hash = XXH3_64bits(data, len);
	size_t at = 0, fat;
	const struct output_record *b = recorded(&o->back, path, &at);
	const struct output_record *f = recorded(&o->front, path, &fat);
	struct output_record now;

	/* A trusted record spares reading the old file to compare. */
	if (b != NULL && b->hash == hash && b->size == len &&
	    back_untouched(o, path, at, b)) {
		mark_put(o, path, false, b, b, at);
		return 0;
	}
	/* Without a record to trust, the bytes there tell. */
	if (same_bytes(o, path, data, len, &now, hash)) {
		mark_put(o, path, false, &now, b, at);
		return 0;
	}
	if (write_back(o, path, data, len, f != NULL && f->hash == hash ?
	    f->mtime_ns : 0, hash, &now) == -1) {
		diag_error(d, path, 0, 0, "cannot write into %s: %s",
		    o->back.path, strerror(errno));
		return -1;
	}
	mark_put(o, path, true, &now, b, at);
	return 0;
}

bool
output_has(const struct output *o, const char *path)
{
	size_t at;
	bool has;

	if (recorded(written(o), path, &at) != NULL &&
	    atomic_load(&o->marks[at]) != MARK_NONE)
		return true;
	pthread_mutex_lock((pthread_mutex_t *)&o->lock);
	has = strmap_get(&o->files, path, strlen(path)) != NULL;
	pthread_mutex_unlock((pthread_mutex_t *)&o->lock);
	return has;
}

/* Whether this build put the file rel (a struct prune_tree's keep). */
static bool
is_put(void *arg, const char *rel)
{
	return output_has(arg, rel);
}

/*
 * The back tree, to prune: what this build did not put goes, but the
 * mark of a build half way, which goes after the walk.
 */
static struct prune_tree
back_to_prune(struct output *o)
{
	struct prune_tree t = { o->back.fd, o->back.path, PARTIAL_MARK,
	    is_put, o };

	return t;
}

/*
 * Removes the files the back tree's records name and this build did not
 * put, and each folder they leave empty: the few files that left the
 * site, without a walk through all of them.
 */
static int
prune_recorded(struct output *o, size_t *removed, struct diags *d)
{
	const struct strmap *files = back_files(o);
	struct prune_tree t = back_to_prune(o);
	size_t i;
	int rc = 0;

	for (i = 0; i < files->count && rc != -1; i++) {
		if (atomic_load(&o->marks[i]) != MARK_NONE)
			continue;
		rc = prune_path(&t, files->entries[i].key, d);
		*removed += rc == 1;
	}
	return rc == -1 ? -1 : 0;
}

/* How many files the back tree's records name are kept as they were. */
static size_t
count_kept(const struct output *o)
{
	const struct strmap *files = back_files(o);
	size_t i, n = 0;

	for (i = 0; files != NULL && i < files->count; i++)
		n += atomic_load(&o->marks[i]) == MARK_KEPT;
	return n;
}

/*
 * Puts the back tree in front: both folders trade names in one step, or
 * the back takes the name when there was no front yet.
 */
static int
swap_in(struct output *o)
{
	struct tree t;
	char *old;
	int rc, saved;

	if (o->front.fd == -1) {
		if (rename(o->back.path, o->front.path) == -1)
			return -1;
	} else if (renameat2(AT_FDCWD, o->back.path, AT_FDCWD, o->front.path,
	    RENAME_EXCHANGE) == -1) {
		/*
		 * A file system without the exchange: three renames, and a
		 * moment without a front (jiceng(1) says so).
		 */
		if (errno != EINVAL && errno != ENOSYS)
			return -1;
		old = sibling_of(o->front.path, "old");
		rc = rename(o->front.path, old);
		if (rc == 0 && (rc = rename(o->back.path, o->front.path)) == -1) {
			saved = errno;
			rename(old, o->front.path);
			errno = saved;
		}
		/* Failing the last, the old site waits at .NAME.old for the
		   next build's sweeper. */
		if (rc == 0)
			rename(old, o->back.path);
		free(old);
		if (rc == -1)
			return -1;
	}
	/* The folders stay, their names changed: the trees change roles. */
	t = o->front;
	o->front = o->back;
	o->back = t;
	free(o->front.path);
	o->front.path = o->back.path;
	o->back.path = sibling_of(o->front.path, "back");
	o->swapped = true;
	return 0;
}

int
output_commit(struct output *o, struct output_stats *st, struct diags *d)
{
	struct out_file *f;
	struct prune_tree t = back_to_prune(o);
	size_t i;
	int rc = -1, fd = -1;

	memset(st, 0, sizeof(*st));
	st->files = count_kept(o) + o->files.count;
	for (i = 0; i < o->files.count; i++) {
		f = o->files.entries[i].value;
		/* The site readers see changes where the front differs. */
		st->written += f->changed;
	}
	/* The check ahead is done with the tree, whose roles may change. */
	thread_join(&o->checker);
	thread_join(&o->flusher);
	/*
	 * Without records, or after a build that stopped half way (its
	 * files are in no record), anything not put this time must go.
	 */
	if (!o->partial && back_files(o) != NULL && back_files(o)->count > 0 ?
	    prune_recorded(o, &st->removed, d) == -1 :
	    prune_walk(&t, &st->removed, d) == -1)
		goto out;
	if (unlinkat(o->back.fd, PARTIAL_MARK, 0) == -1 && errno != ENOENT) {
		diag_error(d, o->back.path, 0, 0, "cannot remove %s: %s",
		    PARTIAL_MARK, strerror(errno));
		goto out;
	}
	/* A power cut must not find the new names before the new bytes. */
	if ((fd = openat(o->back.fd, ".", O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC)) == -1 || syncfs(fd) == -1) {
		diag_error(d, o->back.path, 0, 0, "cannot flush to the disk: %s",
		    strerror(errno));
		goto out;
	}
	if (swap_in(o) == -1) {
		diag_error(d, o->front.path, 0, 0, "cannot put the new site in "
		    "place: %s", strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (fd != -1)
		close(fd);
	return rc;
}

int
output_records(struct output *o,
    void (*fn)(void *arg, const char *path, const struct output_record *r),
    void *arg, struct diags *d)
{
	const struct strmap *files = back_files(o);
	struct out_file *f, **byorder;
	const char **paths;
	size_t i;

	(void)d;
	/* The files kept, as their records have them; then those put. */
	for (i = 0; files != NULL && i < files->count; i++)
		if (atomic_load(&o->marks[i]) == MARK_KEPT)
			fn(arg, files->entries[i].key, files->entries[i].value);
	byorder = xcalloc(o->nput + 1, sizeof(*byorder));
	paths = xcalloc(o->nput + 1, sizeof(*paths));
	for (i = 0; i < o->files.count; i++) {
		f = o->files.entries[i].value;
		byorder[f->order] = f;
		paths[f->order] = o->files.entries[i].key;
	}
	for (i = 0; i < o->nput; i++)
		fn(arg, paths[i], &byorder[i]->now);
	free(byorder);
	free(paths);
	return 0;
}

void
output_front(const struct output *o, uint64_t *dev, uint64_t *ino)
{
	*dev = o->front.dev;
	*ino = o->front.ino;
}

const struct output_tree *
output_back(const struct output *o)
{
	return o->back.known;
}

void
output_close(struct output *o)
{
	if (o == NULL || o->closed)
		return;
	o->closed = true;
	thread_join(&o->checker);
	thread_join(&o->flusher);
	atomic_store(&o->stop_sweep, true);
	thread_join(&o->sweeper);
	if (o->binfd != -1) {
		close(o->binfd);
		/* An empty folder is not left for the next build to sweep. */
		if (atomic_load(&o->binned) == 0)
			rmdir(o->bin);
	}
	o->binfd = -1;
	tree_close(&o->front);
	tree_close(&o->back);
}

void
output_free(struct output *o)
{
	size_t i;

	if (o == NULL)
		return;
	output_close(o);
	pthread_mutex_destroy(&o->lock);
	pthread_mutex_destroy(&o->dirs_lock);
	pthread_mutex_destroy(&o->flush_lock);
	for (i = 0; i < o->files.count; i++)
		free(o->files.entries[i].value);
	strmap_free(&o->files);
	for (i = 0; i < o->nlists; i++)
		free(o->lists[i]);
	free(o->lists);
	free(o->verdicts);
	free(o->marks);
	free(o->front.path);
	free(o->back.path);
	for (i = 0; i < o->nswept; i++)
		free(o->swept[i]);
	free(o->trash);
	free(o->bin);
	free(o);
}
