/*
 * The bytes of the search index's files: bytes.h says what they are.
 * Every file of the index passes through search_wrap on its way out.
 */
#include "bytes.h"

#include <string.h>

uint64_t
search_read_varint(struct search_reader *r)
{
	uint64_t v = 0;
	unsigned shift = 0;
	unsigned char c;

	do {
		if (r->pos >= r->len || shift > 63) {
			r->bad = true;
			return 0;
		}
		c = r->p[r->pos++];
		v |= (uint64_t)(c & 0x7F) << shift;
		shift += 7;
	} while (c & 0x80);
	return v;
}

/* Whether a word's bytes hold one equal to b: the SWAR test for zero. */
#define HAS_BYTE(x, b) (((((x) ^ (0x0101010101010101ULL * (b))) - \
	0x0101010101010101ULL) & ~((x) ^ (0x0101010101010101ULL * (b))) & \
	0x8080808080808080ULL) != 0)

/*
 * How many bytes from p on need no escape: eight at a time where a word
 * holds none of the four, since every file of the index passes here.
 */
static size_t
plain_run(const unsigned char *p, size_t len)
{
	size_t i = 0;
	uint64_t x;

	for (; i + 8 <= len; i += 8) {
		memcpy(&x, p + i, 8);
		if (HAS_BYTE(x, '\\') || HAS_BYTE(x, '"') ||
		    HAS_BYTE(x, '\n') || HAS_BYTE(x, '\r'))
			break;
	}
	for (; i < len; i++)
		if (p[i] == '\\' || p[i] == '"' || p[i] == '\n' ||
		    p[i] == '\r')
			break;
	return i;
}

void
search_escape(struct buf *out, const unsigned char *data, size_t len)
{
	size_t i = 0, run;
	char esc[2] = { '\\', 0 };

	buf_grow(out, len + len / 32 + 8);
	while (i < len) {
		run = plain_run(data + i, len - i);
		buf_append(out, data + i, run);
		if ((i += run) == len)
			break;
		esc[1] = data[i] == '\n' ? 'n' : data[i] == '\r' ? 'r' :
		    (char)data[i];
		buf_append(out, esc, 2);
		i++;
	}
}

void
search_wrap(struct buf *out, const char *path, const unsigned char *data,
    size_t len)
{
	buf_truncate(out, 0);
	search_wrap_head(out, path);
	search_escape(out, data, len);
	buf_puts(out, SEARCH_WRAP_TAIL);
}

void
search_wrap_head(struct buf *out, const char *path)
{
	const char *name = path + strlen("search/");

	buf_puts(out, SEARCH_WRAP_HEAD);
	buf_append(out, name, strlen(name) - strlen(".js"));
	buf_puts(out, SEARCH_WRAP_MIDDLE);
}

long
search_unescape(unsigned char *s, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++) {
		if (s[i] != '\\') {
			s[n++] = s[i];
			continue;
		}
		if (++i == len)
			return -1;
		s[n++] = s[i] == 'n' ? '\n' : s[i] == 'r' ? '\r' : s[i];
	}
	return (long)n;
}

long
search_unwrap(unsigned char *file, size_t len)
{
	size_t head = strlen(SEARCH_WRAP_HEAD), tail = strlen(SEARCH_WRAP_TAIL);
	size_t middle = strlen(SEARCH_WRAP_MIDDLE), start;
	unsigned char *at;
	long n;

	if (len < head + tail || memcmp(file, SEARCH_WRAP_HEAD, head) != 0 ||
	    memcmp(file + len - tail, SEARCH_WRAP_TAIL, tail) != 0 ||
	    (at = memmem(file, len, SEARCH_WRAP_MIDDLE, middle)) == NULL)
		return -1;
	start = (size_t)(at - file) + middle;
	if (start > len - tail)
		return -1;
	n = search_unescape(file + start, len - tail - start);
	if (n >= 0)
		memmove(file, file + start, (size_t)n);
	return n;
}
