/*
 * Binary records for the build cache: fixed-width little-endian integers
 * and length-prefixed strings.  A reader never reads past its end: a
 * truncated or corrupt record sets bad, and every later read returns 0
 * or NULL, so callers check once at the end.
 */
#ifndef JICENG_SER_H
#define JICENG_SER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/*
 * The fixed-width ones are inline: a cache is millions of them, and a
 * call each cost more than the bytes.  ser_put_* and ser_get_* encode
 * and decode in place, where the bytes are known to be there.
 */
static inline void
ser_put_u32(unsigned char *p, uint32_t v)
{
	int i;

	for (i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static inline uint32_t
ser_get_u32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static inline uint64_t
ser_get_u64(const unsigned char *p)
{
	return ser_get_u32(p) | (uint64_t)ser_get_u32(p + 4) << 32;
}

static inline void
ser_u32(struct buf *b, uint32_t v)
{
	unsigned char x[4];

	ser_put_u32(x, v);
	buf_append(b, x, 4);
}

static inline void
ser_u64(struct buf *b, uint64_t v)
{
	unsigned char x[8];

	ser_put_u32(x, (uint32_t)v);
	ser_put_u32(x + 4, (uint32_t)(v >> 32));
	buf_append(b, x, 8);
}

/* A string, or NULL, which reads back as NULL. */
void	 ser_str(struct buf *b, const char *s);

struct ser_reader {
	const unsigned char *p;
	const unsigned char *end;
	bool	 bad;
};

void	 ser_reader_init(struct ser_reader *r, const void *data, size_t len);

static inline uint32_t
ser_read_u32(struct ser_reader *r)
{
	const unsigned char *p = r->p;

	if (r->bad || r->end - p < 4) {
		r->bad = true;
		return 0;
	}
	r->p += 4;
	return ser_get_u32(p);
}

static inline uint64_t
ser_read_u64(struct ser_reader *r)
{
	const unsigned char *p = r->p;

	if (r->bad || r->end - p < 8) {
		r->bad = true;
		return 0;
	}
	r->p += 8;
	return ser_get_u64(p);
}
/*
 * A count of things that take a byte or more each: one larger than the
 * bytes left is damage, which sets bad and reads as 0, so a count read
 * can size an array without trusting the file.
 */
static inline size_t
ser_read_count(struct ser_reader *r)
{
	uint32_t n = ser_read_u32(r);

	if (n > (size_t)(r->end - r->p)) {
		r->bad = true;
		return 0;
	}
	return n;
}

/* Returns a newly allocated string (caller frees) or NULL. */
char	*ser_read_str(struct ser_reader *r);
/*
 * Returns the string where it lies in the reader's bytes, NUL-terminated
 * there, or NULL.
 */
const char *ser_read_view(struct ser_reader *r);
/* Returns where the next n bytes lie and skips them, or NULL. */
const void *ser_read_bytes(struct ser_reader *r, size_t n);

#endif
