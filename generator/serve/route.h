/*
 * Maps a request path to a file of the site folder, never outside it:
 * percent escapes are decoded once, "." and ".." segments are refused,
 * and every component is opened with O_NOFOLLOW below the site folder,
 * so neither an encoded traversal nor a symbolic link leads elsewhere.
 */
#ifndef JICENG_ROUTE_H
#define JICENG_ROUTE_H

#include <sys/types.h>

enum route_result {
	ROUTE_FILE,		/* *fd is open on a regular file */
	ROUTE_REDIRECT,		/* a folder asked for without its slash */
	ROUTE_NOT_FOUND,	/* nothing servable there */
	ROUTE_BAD_REQUEST,	/* malformed or leaving the site folder */
};

/*
 * Returns the raw request path (starting with "/") with its percent
 * escapes decoded; caller frees.  Returns NULL for a path that does not
 * start with "/", a bad escape, an encoded NUL, invalid UTF-8, or a "."
 * or ".." segment (whether written plainly or encoded).
 */
char	*route_decode(const char *raw);

/*
 * Opens the file that the decoded path names below root: a folder path
 * ending in "/" (or "/" itself) means its index.html.  On ROUTE_FILE,
 * *fd is open for reading (caller closes), *size is its size and *type
 * its content type (static).  Symbolic links are never followed below
 * root, and only regular files are served.
 */
enum route_result route_open(const char *root, const char *path, int *fd,
	    off_t *size, const char **type);

/*
 * Reads a Range header (RFC 9110) for a file of size bytes: one range of
 * bytes, "a-b", "a-" or "-n", is honoured, as static hosts do, and fills
 * *from and *len, returning 1; a range past the end returns -1 (416);
 * no header, several ranges or anything else returns 0: the whole file.
 */
int	 route_range(const char *header, off_t size, off_t *from, off_t *len);

/* The content type for a file name, by its extension (static). */
const char *route_type(const char *name);

#endif
