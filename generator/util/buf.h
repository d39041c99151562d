/*
 * A growable byte buffer.  The contents are always NUL-terminated so they
 * can be handed to C string functions; len does not count the NUL.
 */
#ifndef JICENG_BUF_H
#define JICENG_BUF_H

#include <stddef.h>

struct buf {
	char	*data;	/* owned; NULL until the first append */
	size_t	 len;	/* bytes used, excluding the terminating NUL */
	size_t	 cap;	/* bytes allocated */
};

#define BUF_INIT { NULL, 0, 0 }

void	buf_grow(struct buf *b, size_t extra);
void	buf_append(struct buf *b, const void *data, size_t len);
void	buf_puts(struct buf *b, const char *s);
void	buf_putc(struct buf *b, char c);
void	buf_printf(struct buf *b, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* Appends s with &, <, >, " and ' replaced by entities. */
void	buf_put_html(struct buf *b, const char *s, size_t len);
void	buf_truncate(struct buf *b, size_t len);
/* Returns the contents (never NULL) and empties b; caller frees. */
char	*buf_detach(struct buf *b);
void	buf_free(struct buf *b);
/* Returns the contents as a string, "" when empty; borrowed from b. */
const char *buf_str(const struct buf *b);

#endif
