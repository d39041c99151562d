/*
 * A growable byte buffer.  The contents are always NUL-terminated so they
 * can be handed to C string functions; len does not count the NUL.
 */
#ifndef JICENG_BUF_H
#define JICENG_BUF_H

#include <stddef.h>
#include <string.h>

struct buf {
	char	*data;	/* owned; NULL until the first append */
	size_t	 len;	/* bytes used, excluding the terminating NUL */
	size_t	 cap;	/* bytes allocated */
};

#define BUF_INIT { NULL, 0, 0 }

void	buf_grow(struct buf *b, size_t extra);
void	buf_puts(struct buf *b, const char *s);

/*
 * Inline: rendering, fingerprinting and the search index append millions
 * of pieces a few bytes long, where a call would cost more than the copy.
 */
static inline void
buf_append(struct buf *b, const void *data, size_t len)
{
	if (b->len + len >= b->cap)
		buf_grow(b, len);
	if (len > 0)
		memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
}

static inline void
buf_putc(struct buf *b, char c)
{
	if (b->len + 1 >= b->cap)
		buf_grow(b, 1);
	b->data[b->len++] = c;
	b->data[b->len] = '\0';
}

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
