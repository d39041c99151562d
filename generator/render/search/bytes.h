/*
 * The bytes of the search index's files: varints (unsigned LEB128), a
 * reader of an earlier build's bytes that no damage can take out of
 * them, and the script every file but index.json is wrapped in.
 *
 * A file is a script so that a copy of the site opened from disk
 * (file://), where a page may not fetch another file, can load it with a
 * <script> element; over HTTP assets/search.js fetches it as bytes.
 * Either way the binary data costs little more: the script is one call,
 * jicengSearch("NAME", "DATA"), NAME its path below search/ without
 * ".js", DATA a string whose every character is one byte of the data,
 * the file being read as windows-1252 (the script element says so), with
 * only \, ", LF and CR escaped (\\ \" \n \r): about 1.6% more bytes than
 * the data, for data whose bytes are evenly spread.
 *
 * Private to render/search/.
 */
#ifndef JICENG_SEARCH_BYTES_H
#define JICENG_SEARCH_BYTES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../util/buf.h"

/* The call a file of the index is, before and after its data. */
#define SEARCH_WRAP_HEAD	"jicengSearch(\""
#define SEARCH_WRAP_MIDDLE	"\",\""
#define SEARCH_WRAP_TAIL	"\");\n"

/*
 * Appends v as an unsigned LEB128 varint.  Inline, and growing only when
 * the room runs short: every posting of every term comes through here.
 */
static inline void
search_put_varint(struct buf *b, uint64_t v)
{
	unsigned char *o;

	if (b->cap - b->len < 12)
		buf_grow(b, 11);
	o = (unsigned char *)b->data + b->len;
	while (v >= 0x80) {
		*o++ = (unsigned char)((v & 0x7F) | 0x80);
		v >>= 7;
	}
	*o++ = (unsigned char)v;
	*o = '\0';
	b->len = (size_t)((char *)o - b->data);
}

/*
 * Reads a varint of bytes this build wrote.  Most postings take a byte,
 * which the first test returns.
 */
static inline uint64_t
search_get_varint(const char *s, size_t *pos)
{
	unsigned char c = (unsigned char)s[(*pos)++];
	uint64_t v = c & 0x7F;
	unsigned shift = 7;

	if (c < 0x80)
		return v;
	do {
		c = (unsigned char)s[(*pos)++];
		v |= (uint64_t)(c & 0x7F) << shift;
		shift += 7;
	} while (c & 0x80);
	return v;
}

/* The bytes v takes as a varint. */
static inline unsigned
search_varint_size(uint64_t v)
{
	unsigned n = 1;

	while (v >= 0x80) {
		v >>= 7;
		n++;
	}
	return n;
}

/*
 * Bytes from a file of an earlier build: checked by hash before they
 * are read, but read so that no corruption can take a read out of them.
 */
struct search_reader {
	const unsigned char *p;
	size_t	 len, pos;
	bool	 bad;		/* a read went past the end, or was absurd */
};

/* The next varint of r; 0, and r->bad set, when there is none. */
uint64_t search_read_varint(struct search_reader *r);

/*
 * The file at path (search/NAME.js) as the script that holds data, in
 * out (emptied first).
 */
void	 search_wrap(struct buf *out, const char *path,
	    const unsigned char *data, size_t len);

/* Appends data with the four bytes escaped, as in a file's string. */
void	 search_escape(struct buf *out, const unsigned char *data, size_t len);
/* Appends the head of the file at path: the call up to its string. */
void	 search_wrap_head(struct buf *out, const char *path);
/*
 * Undoes search_escape in place; returns the length of the data, or -1
 * when s ends inside an escape.
 */
long	 search_unescape(unsigned char *s, size_t len);

/*
 * The data of a file search_wrap made, in place; returns its length, or
 * -1 when the file is not such a script.
 */
long	 search_unwrap(unsigned char *file, size_t len);

#endif
