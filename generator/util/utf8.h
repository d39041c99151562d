/*
 * Character-aware text operations on UTF-8, through utf8proc.  Every
 * function takes a length, so text need not be NUL-terminated.
 */
#ifndef JICENG_UTF8_H
#define JICENG_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Returns the byte offset of the first invalid sequence in s, or len when
 * s is valid UTF-8 (NUL bytes count as invalid: they are not text).
 */
size_t	 utf8_invalid_at(const char *s, size_t len);

/* Returns s in Normalization Form C, newly allocated; caller frees. */
char	*utf8_nfc(const char *s, size_t len, size_t *outlen);
/*
 * The NFC form of the NUL-terminated s when it differs from s (caller
 * frees), or NULL when s is in NFC: a name in plain ASCII or Han, the
 * common case, costs a scan and no allocation.
 */
char	*utf8_nfc_if_needed(const char *s);

/* The length of the byte-order mark s starts with: 3, or 0 if none. */
size_t	 utf8_bom_length(const char *s, size_t len);

/*
 * Decodes the code point at s[*pos] and advances *pos past it; an invalid
 * byte decodes as U+FFFD and advances one byte.  Returns -1 at the end.
 */
int32_t	 utf8_next(const char *s, size_t len, size_t *pos);
/*
 * The last code point of s[0..len), as utf8_next decodes it, and in
 * *start (when not NULL) the byte it starts at.  Returns -1 when s is
 * empty.
 */
int32_t	 utf8_last(const char *s, size_t len, size_t *start);
/*
 * utf8_next, inline for the common characters, for loops over every
 * character of a body: ASCII, and Chinese text's three-byte sequences
 * (a lead byte E1-EC or EE-EF followed by two continuation bytes is
 * always valid, neither overlong nor a surrogate).  The calls through
 * utf8proc took an eighth of the time of the word counts.
 */
static inline int32_t
utf8_next_fast(const char *s, size_t len, size_t *pos)
{
	const unsigned char *p = (const unsigned char *)s + *pos;

	if (*pos < len && p[0] < 0x80) {
		*pos += 1;
		return p[0];
	}
	if (*pos + 3 <= len && p[0] >= 0xE1 && p[0] <= 0xEF &&
	    p[0] != 0xED && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80) {
		*pos += 3;
		return (int32_t)(p[0] & 0x0F) << 12 |
		    (int32_t)(p[1] & 0x3F) << 6 | (p[2] & 0x3F);
	}
	return utf8_next(s, len, pos);
}

/* Appends the UTF-8 encoding of cp to out (4 bytes room); returns bytes. */
size_t	 utf8_encode(int32_t cp, char *out);

/* Number of code points in s. */
size_t	 utf8_length(const char *s, size_t len);

/* Whether cp is a CJK ideograph (Han) or CJK punctuation / full-width form. */
bool	 utf8_is_han(int32_t cp);
bool	 utf8_is_cjk_punct(int32_t cp);
/* Whether cp ends a sentence: 。！？!? and their full-width forms. */
bool	 utf8_is_sentence_end(int32_t cp);

/*
 * Returns the byte length of the longest prefix of s holding at most
 * max_chars characters, never cutting a sequence.  When the text goes
 * further and a sentence ends within the last `slack` characters of that
 * prefix, the cut moves back to just after that sentence end.
 */
size_t	 utf8_cut(const char *s, size_t len, size_t max_chars, size_t slack);

#endif
