#include "ser.h"

#include <string.h>

#include "xalloc.h"

#define SER_NULL	UINT32_MAX	/* the length that stands for NULL */

void
ser_str(struct buf *b, const char *s)
{
	size_t n;

	if (s == NULL) {
		ser_u32(b, SER_NULL);
		return;
	}
	n = strlen(s);
	ser_u32(b, (uint32_t)n);
	/* With its NUL, so a reader can use it where it lies. */
	buf_append(b, s, n + 1);
}

void
ser_reader_init(struct ser_reader *r, const void *data, size_t len)
{
	r->p = data;
	/* No arithmetic on a null pointer, even of nothing. */
	r->end = len > 0 ? r->p + len : r->p;
	r->bad = false;
}

static bool
has(struct ser_reader *r, size_t n)
{
	if (r->bad || (size_t)(r->end - r->p) < n) {
		r->bad = true;
		return false;
	}
	return true;
}

const char *
ser_read_view(struct ser_reader *r)
{
	uint32_t n = ser_read_u32(r);
	const char *s;

	if (r->bad || n == SER_NULL)
		return NULL;
	if (n == UINT32_MAX - 1 || !has(r, (size_t)n + 1) || r->p[n] != '\0') {
		r->bad = true;
		return NULL;
	}
	s = (const char *)r->p;
	r->p += (size_t)n + 1;
	return s;
}

char *
ser_read_str(struct ser_reader *r)
{
	const char *s = ser_read_view(r);

	return s != NULL ? xstrdup(s) : NULL;
}

const void *
ser_read_bytes(struct ser_reader *r, size_t n)
{
	const unsigned char *p = r->p;

	if (!has(r, n))
		return NULL;
	r->p += n;
	return p;
}
