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

void	 ser_u32(struct buf *b, uint32_t v);
void	 ser_u64(struct buf *b, uint64_t v);
/* A string, or NULL, which reads back as NULL. */
void	 ser_str(struct buf *b, const char *s);

struct ser_reader {
	const unsigned char *p;
	const unsigned char *end;
	bool	 bad;
};

void	 ser_reader_init(struct ser_reader *r, const void *data, size_t len);
uint32_t ser_read_u32(struct ser_reader *r);
uint64_t ser_read_u64(struct ser_reader *r);
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
