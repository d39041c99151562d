#include "fs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <linux/openat2.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "xalloc.h"

int
fs_read(const char *path, char **data, size_t *len)
{
	return fs_read_max(path, SIZE_MAX - 1, data, len);
}

/*
 * Opens path for reading without waiting: O_NONBLOCK lets a FIFO with
 * no writer open at once, so fstat can refuse it, and does nothing to a
 * regular file's reads.  O_NOCTTY keeps a terminal from becoming ours.
 */
static int
open_regular(const char *path, struct stat *st)
{
	int fd, saved;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd == -1)
		return -1;
	if (fstat(fd, st) == 0 && S_ISREG(st->st_mode))
		return fd;
	saved = S_ISDIR(st->st_mode) ? EISDIR : FS_ENOTREG;
	close(fd);
	errno = saved;
	return -1;
}

/* Reads into p[0, cap - 1) from got on; the bytes read, or -1. */
static ssize_t
read_more(int fd, char *p, size_t got, size_t cap)
{
	ssize_t n;

	do
		n = read(fd, p + got, cap - got - 1);
	while (n == -1 && errno == EINTR);
	return n;
}

/* Whether fd is at its end: a file that grew to max bytes may not be. */
static int
at_end(int fd)
{
	char probe;
	ssize_t n;

	do
		n = read(fd, &probe, 1);
	while (n == -1 && errno == EINTR);
	return n == 0;
}

int
fs_read_max(const char *path, size_t max, char **data, size_t *len)
{
	struct stat st;
	char *p = NULL;
	size_t got = 0, cap;
	ssize_t n;
	int fd, rc = -1, saved;

	*data = NULL;
	*len = 0;
	if ((fd = open_regular(path, &st)) == -1)
		return -1;
	if ((uint64_t)st.st_size > max) {
		*len = (size_t)st.st_size;
		errno = EFBIG;
		goto out;
	}
	cap = (size_t)st.st_size + 1;
	p = xmalloc(cap);
	for (;;) {
		if (got + 1 == cap) {	/* the file grew while we read */
			if (got == max && !at_end(fd)) {
				*len = got + 1;
				errno = EFBIG;
				goto out;
			}
			if (got == max)
				break;
			cap = cap - 1 > max - cap ? max + 1 : cap * 2;
			p = xrealloc(p, cap);
		}
		if ((n = read_more(fd, p, got, cap)) == -1)
			goto out;
		if (n == 0)
			break;
		got += (size_t)n;
	}
	p[got] = '\0';
	*data = p;
	*len = got;
	p = NULL;
	rc = 0;
out:
	saved = errno;
	free(p);
	close(fd);
	errno = saved;
	return rc;
}

void
fs_read_failed(struct diags *d, const char *path, int err, size_t len,
    size_t max)
{
	if (err == FS_ENOTREG)
		diag_error(d, path, 0, 0, "not a regular file (a FIFO, a "
		    "device or a socket): only regular files are read");
	else if (err == EFBIG)
		diag_error(d, path, 0, 0, "too large: %zu bytes, more than "
		    "max_file_size (%zu)", len, max);
	else
		diag_error(d, path, 0, 0, "cannot read: %s", strerror(err));
}

static int
write_all(int fd, const char *data, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = write(fd, data, len);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * Opens path for writing, creating its parent folders only when the
 * first try finds them missing: a build writes tens of thousands of
 * files into folders that mostly exist.
 */
static int
open_for_writing(const char *path, int flags)
{
	char *dir;
	int fd;

	flags |= O_WRONLY | O_CREAT | O_CLOEXEC;
	fd = open(path, flags, 0644);
	if (fd != -1 || errno != ENOENT || strrchr(path, '/') == NULL)
		return fd;
	dir = xstrndup(path, (size_t)(strrchr(path, '/') - path));
	if (dir[0] == '\0' || fs_mkdirs(dir) == 0)
		fd = open(path, flags, 0644);
	free(dir);
	return fd;
}

/* Writes and closes fd; -1 with errno set on failure, fd closed anyway. */
static int
write_and_close(int fd, const void *data, size_t len)
{
	int saved;

	if (write_all(fd, data, len) == -1) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	return close(fd);
}

int
fs_write(const char *path, const void *data, size_t len)
{
	int fd = open_for_writing(path, O_TRUNC);

	if (fd == -1)
		return -1;
	return write_and_close(fd, data, len);
}

int
fs_overwrite(const char *path, const void *data, size_t len)
{
	struct iovec part = { (void *)data, len };

	return fs_overwritev(path, &part, 1);
}

int
fs_overwritev(const char *path, const struct iovec *parts, size_t nparts)
{
	int fd = open_for_writing(path, O_NOFOLLOW), saved;
	size_t i, len = 0;

	/* A link planted at path is replaced, never written through. */
	if (fd == -1 && errno == ELOOP && unlink(path) == 0)
		fd = open_for_writing(path, O_NOFOLLOW);
	if (fd == -1)
		return -1;
	for (i = 0; i < nparts; i++) {
		if (write_all(fd, parts[i].iov_base, parts[i].iov_len) == -1)
			goto fail;
		len += parts[i].iov_len;
	}
	/* Cut after writing: a cut to nothing would flush like a rename. */
	if (ftruncate(fd, (off_t)len) == -1)
		goto fail;
	return close(fd);
fail:
	saved = errno;
	close(fd);
	errno = saved;
	return -1;
}

int
fs_write_atomic(const char *path, const void *data, size_t len)
{
	char *tmp = xasprintf("%s.%ld.tmp", path, (long)getpid());
	int fd, rc = -1, saved;

	if ((fd = open_for_writing(tmp, O_TRUNC)) == -1)
		goto out;
	if (write_and_close(fd, data, len) == -1 || rename(tmp, path) == -1) {
		saved = errno;
		unlink(tmp);
		errno = saved;
		goto out;
	}
	rc = 0;
out:
	free(tmp);
	return rc;
}

int
fs_mkdirs(const char *path)
{
	char *parent;
	const char *slash;
	int rc;

	/* Mostly the folder or its parent is there: one or two calls. */
	if (mkdir(path, 0755) == 0 || errno == EEXIST)
		return 0;
	if (errno != ENOENT || (slash = strrchr(path, '/')) == NULL ||
	    slash == path)
		return -1;
	parent = xstrndup(path, (size_t)(slash - path));
	rc = fs_mkdirs(parent);
	free(parent);
	if (rc == -1)
		return -1;
	return mkdir(path, 0755) == 0 || errno == EEXIST ? 0 : -1;
}

static int
remove_entry(const char *path, const struct stat *st, int flag,
    struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

int
fs_remove_tree(const char *path)
{
	if (!fs_exists(path))
		return 0;
	return nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

int
fs_exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

char *
fs_join(const char *a, const char *b)
{
	size_t n = strlen(a);

	if (n == 0)
		return xstrdup(b);
	if (a[n - 1] == '/')
		return xasprintf("%s%s", a, b);
	return xasprintf("%s/%s", a, b);
}

static int
name_compare(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
fs_list_any(const char *dir, const char *suffix, char ***names,
    size_t *count)
{
	DIR *d;
	struct dirent *e;
	char **v = NULL;
	size_t n = 0, cap = 0, nlen, slen = suffix ? strlen(suffix) : 0;

	*names = NULL;
	*count = 0;
	if ((d = opendir(dir)) == NULL)
		return -1;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		nlen = strlen(e->d_name);
		if (suffix != NULL && (nlen <= slen ||
		    strcmp(e->d_name + nlen - slen, suffix) != 0))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			v = xreallocarray(v, cap, sizeof(*v));
		}
		v[n++] = xstrdup(e->d_name);
	}
	closedir(d);
	*names = v;
	*count = n;
	return 0;
}

int
fs_list(const char *dir, const char *suffix, char ***names, size_t *count)
{
	if (fs_list_any(dir, suffix, names, count) == -1)
		return -1;
	if (*count > 1)
		qsort(*names, *count, sizeof(**names), name_compare);
	return 0;
}

void
fs_names_free(char **names, size_t count)
{
	size_t i;

	for (i = 0; i < count; i++)
		free(names[i]);
	free(names);
}

/* Whether the kernel has openat2(2); cleared at its first ENOSYS. */
static _Atomic int have_openat2 = 1;

/* A step of a path that would climb out or stay put. */
static bool
bad_step(const char *s, size_t n)
{
	return n == 0 || (n == 1 && s[0] == '.') ||
	    (n == 2 && s[0] == '.' && s[1] == '.');
}

/* The walk fs_open_beneath falls back to: each folder with O_NOFOLLOW. */
static int
open_walk(int dirfd, const char *path, int flags, mode_t mode)
{
	const char *p = path, *slash;
	char *step;
	int fd = dirfd, next, saved;

	while ((slash = strchr(p, '/')) != NULL) {
		if (bad_step(p, (size_t)(slash - p))) {
			errno = EXDEV;
			goto fail;
		}
		step = xstrndup(p, (size_t)(slash - p));
		next = openat(fd, step, O_PATH | O_DIRECTORY | O_NOFOLLOW |
		    O_CLOEXEC);
		free(step);
		if (next == -1)
			goto fail;
		if (fd != dirfd)
			close(fd);
		fd = next;
		p = slash + 1;
	}
	if (bad_step(p, strlen(p))) {
		errno = EXDEV;
		goto fail;
	}
	next = openat(fd, p, flags | O_NOFOLLOW | O_CLOEXEC, mode);
	saved = errno;
	if (fd != dirfd)
		close(fd);
	errno = saved;
	return next;
fail:
	saved = errno;
	if (fd != dirfd)
		close(fd);
	errno = saved;
	return -1;
}

int
fs_open_beneath(int dirfd, const char *path, int flags, mode_t mode)
{
	struct open_how how;
	long fd;

	if (path[0] == '/') {
		errno = EXDEV;
		return -1;
	}
	if (atomic_load_explicit(&have_openat2, memory_order_relaxed)) {
		memset(&how, 0, sizeof(how));
		how.flags = (uint64_t)(flags | O_CLOEXEC);
		how.mode = flags & (O_CREAT | O_TMPFILE) ? mode : 0;
		how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS |
		    RESOLVE_NO_MAGICLINKS;
		fd = syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
		if (fd != -1 || errno != ENOSYS)
			return (int)fd;
		atomic_store_explicit(&have_openat2, 0, memory_order_relaxed);
	}
	return open_walk(dirfd, path, flags, mode);
}

/* Opens the folder name in dirfd, making it (in place of a link or a
   file) when it is not one. */
static int
folder_in(int dirfd, const char *name)
{
	int fd;

	if (mkdirat(dirfd, name, 0755) == -1 && errno != EEXIST)
		return -1;
	fd = openat(dirfd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC);
	if (fd == -1 && (errno == ENOTDIR || errno == ELOOP)) {
		if (unlinkat(dirfd, name, 0) == -1 ||
		    mkdirat(dirfd, name, 0755) == -1)
			return -1;
		fd = openat(dirfd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW |
		    O_CLOEXEC);
	}
	return fd;
}

int
fs_mkdirs_beneath(int dirfd, const char *path)
{
	const char *p = path, *slash;
	char *step;
	int fd = dirfd, next, saved;
	size_t n;

	if (path[0] == '/') {
		errno = EXDEV;
		return -1;
	}
	while (*p != '\0') {
		slash = strchr(p, '/');
		n = slash ? (size_t)(slash - p) : strlen(p);
		if (bad_step(p, n)) {
			errno = EXDEV;
			goto fail;
		}
		step = xstrndup(p, n);
		next = folder_in(fd, step);
		free(step);
		if (next == -1)
			goto fail;
		if (fd != dirfd)
			close(fd);
		fd = next;
		p = slash ? slash + 1 : p + n;
	}
	if (fd != dirfd)
		close(fd);
	return 0;
fail:
	saved = errno;
	if (fd != dirfd)
		close(fd);
	errno = saved;
	return -1;
}

/* Removes what name holds in the folder dirfd, then name; see below. */
static int
remove_until(int in, const char *name, const _Atomic bool *stop)
{
	DIR *dir;
	struct dirent *e;
	int fd, rc = 0;

	if (unlinkat(in, name, 0) == 0)
		return 0;
	if (errno != EISDIR && errno != EPERM)
		return errno == ENOENT ? 0 : -1;
	fd = openat(in, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC);
	if (fd == -1 || (dir = fdopendir(fd)) == NULL) {
		if (fd != -1)
			close(fd);
		return -1;
	}
	while (rc == 0 && (e = readdir(dir)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (atomic_load_explicit(stop, memory_order_relaxed))
			rc = 1;
		else if (remove_until(dirfd(dir), e->d_name, stop) != 0)
			rc = -1;
	}
	closedir(dir);
	if (rc == 0 && unlinkat(in, name, AT_REMOVEDIR) == -1)
		rc = -1;
	return rc;
}

int
fs_remove_tree_until(const char *path, const _Atomic bool *stop)
{
	return remove_until(AT_FDCWD, path, stop);
}
