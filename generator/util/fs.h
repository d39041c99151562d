/*
 * Files: whole-file reads, atomic writes, folders.  Every function that
 * can fail returns -1 with errno set, leaving the message to the caller.
 */
#ifndef JICENG_FS_H
#define JICENG_FS_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <sys/uio.h>

#include "diag.h"

/*
 * Reads the whole of path into *data (NUL-terminated, caller frees) and
 * its size into *len.  Returns 0, or -1 with errno set.  Only a regular
 * file is read: a folder fails with EISDIR, and anything else (a FIFO,
 * a device, a socket, or a link to one) with FS_ENOTREG, without ever
 * waiting to open it.
 */
int	 fs_read(const char *path, char **data, size_t *len);
/*
 * The same, refusing a file larger than max bytes with EFBIG; *len is
 * then its size.
 */
int	 fs_read_max(const char *path, size_t max, char **data, size_t *len);
/* The errno fs_read gives a file that is not a regular one. */
#define FS_ENOTREG	ENODEV
/*
 * Adds to d the error for a read of the file named path that failed
 * with err (len and max as fs_read_max left and took them).
 */
void	 fs_read_failed(struct diags *d, const char *path, int err,
	    size_t len, size_t max);

/*
 * Writes data to path through a temporary file in the same folder and a
 * rename, so a reader sees the old file or the new one, never a part.
 * Creates missing parent folders.  Returns 0, or -1 with errno set.
 */
int	 fs_write_atomic(const char *path, const void *data, size_t len);

/*
 * Writes data to path in place, creating missing parent folders: for
 * files nobody reads until they are complete (a build's staging folder).
 * Returns 0, or -1 with errno set.
 */
int	 fs_write(const char *path, const void *data, size_t len);

/*
 * Writes data over path in place, creating it and missing parent
 * folders: for files whose readers check them whole (the build cache),
 * as a reader may find one half written.  Replacing a file costs more:
 * ext4 writes the new file's blocks out at once when it is renamed over
 * an old one, and frees the old one's, about 1 ms per file and 1.5 ms
 * per MB.  A link at path is replaced by the file, never written
 * through.  Returns 0, or -1 with errno set.
 */
int	 fs_overwrite(const char *path, const void *data, size_t len);
/* The same from parts written one after another. */
int	 fs_overwritev(const char *path, const struct iovec *parts,
	    size_t nparts);

/* Creates path and its missing parents (mode 0755); 0 or -1. */
int	 fs_mkdirs(const char *path);

/* Removes path and everything below it; 0 or -1. */
int	 fs_remove_tree(const char *path);

/*
 * The same, a file at a time, stopping as soon as *stop is set: what is
 * left stays for another time.  Never follows a link.  Returns 0 when
 * all is gone, 1 when stopped, -1 with errno set.
 */
int	 fs_remove_tree_until(const char *path, const _Atomic bool *stop);

/* Whether path exists (as anything). */
int	 fs_exists(const char *path);

/* Joins a and b with one slash; caller frees. */
char	*fs_join(const char *a, const char *b);

/*
 * Lists the names (not paths) in dir that end in suffix (NULL: all but
 * "." and ".."), sorted bytewise.  *names is an array of *count owned
 * strings; free with fs_names_free.  Returns 0, or -1 with errno set.
 */
int	 fs_list(const char *dir, const char *suffix, char ***names,
	    size_t *count);
/* The same in the order the folder gives, unsorted. */
int	 fs_list_any(const char *dir, const char *suffix, char ***names,
	    size_t *count);
void	 fs_names_free(char **names, size_t count);

/*
 * Opens path, relative to the folder open as dirfd, without leaving it:
 * no ".." above it and no symbolic link followed at any step (openat2
 * with RESOLVE_BENEATH and RESOLVE_NO_SYMLINKS where the kernel has it,
 * else a walk with O_NOFOLLOW).  flags and mode as for openat; O_CLOEXEC
 * is added.  Returns the descriptor, or -1 with errno set (ELOOP at a
 * link, EXDEV for a path that would leave the folder).
 */
int	 fs_open_beneath(int dirfd, const char *path, int flags, mode_t mode);

/*
 * Creates the folder path below dirfd and the folders above it that are
 * missing, the same way: a symbolic link or a file where one of them
 * goes is removed first (the link, never what it points to), as the
 * folders below dirfd are the caller's.  Returns 0, or -1 with errno set.
 */
int	 fs_mkdirs_beneath(int dirfd, const char *path);

#endif
