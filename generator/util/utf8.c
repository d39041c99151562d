#include "utf8.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "xalloc.h"

size_t
utf8_invalid_at(const char *s, size_t len)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	utf8proc_int32_t cp;
	utf8proc_ssize_t n;
	size_t i = 0;

	while (i < len) {
		if (p[i] < 0x80) {	/* fast path for ASCII */
			if (p[i] == 0)
				return i;
			i++;
			continue;
		}
		n = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &cp);
		if (n < 0)
			return i;
		i += (size_t)n;
	}
	return len;
}

/*
 * Whether cp is in NFC whatever surrounds it: it has no canonical
 * decomposition, is not a combining mark and composes with nothing
 * (Hangul composes by rule, not by table, so it never counts).
 */
static bool
nfc_stable(int32_t cp)
{
	const utf8proc_property_t *p;

	if (cp < 0x300 || (cp >= 0x4E00 && cp <= 0x9FFF) ||
	    (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFF01 && cp <= 0xFF5E))
		return true;	/* the common case, without a lookup */
	if ((cp >= 0x1100 && cp <= 0x11FF) || (cp >= 0xA960 && cp <= 0xA97F) ||
	    (cp >= 0xAC00 && cp <= 0xD7FF))
		return false;
	p = utf8proc_get_property(cp);
	return p->combining_class == 0 && p->comb_index == UINT16_MAX &&
	    (p->decomp_seqindex == UINT16_MAX || p->decomp_type != 0);
}

/* Whether s is certainly in NFC already, so normalising can be skipped. */
static bool
surely_nfc(const char *s, size_t len)
{
	size_t pos = 0;
	int32_t cp;

	while (pos < len) {
		if ((unsigned char)s[pos] < 0x80) {
			pos++;
			continue;
		}
		cp = utf8_next(s, len, &pos);
		if (!nfc_stable(cp))
			return false;
	}
	return true;
}

char *
utf8_nfc(const char *s, size_t len, size_t *outlen)
{
	utf8proc_uint8_t *out = NULL;
	utf8proc_ssize_t n;

	if (surely_nfc(s, len)) {
		if (outlen)
			*outlen = len;
		return xstrndup(s, len);
	}
	n = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len,
	    &out, UTF8PROC_STABLE | UTF8PROC_COMPOSE);
	if (n < 0) {
		/* Invalid input was checked by the caller; keep it verbatim. */
		if (outlen)
			*outlen = len;
		return xstrndup(s, len);
	}
	if (outlen)
		*outlen = (size_t)n;
	return (char *)out;
}

char *
utf8_nfc_if_needed(const char *s)
{
	size_t len = strlen(s), n;
	char *nfc;

	if (surely_nfc(s, len))
		return NULL;
	nfc = utf8_nfc(s, len, &n);
	if (n == len && memcmp(nfc, s, len) == 0) {
		free(nfc);
		return NULL;
	}
	return nfc;
}

size_t
utf8_bom_length(const char *s, size_t len)
{
	return len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
}

int32_t
utf8_next(const char *s, size_t len, size_t *pos)
{
	utf8proc_int32_t cp;
	utf8proc_ssize_t n;

	if (*pos >= len)
		return -1;
	if ((unsigned char)s[*pos] < 0x80)
		return (unsigned char)s[(*pos)++];
	n = utf8proc_iterate((const utf8proc_uint8_t *)s + *pos,
	    (utf8proc_ssize_t)(len - *pos), &cp);
	if (n < 0) {
		(*pos)++;
		return 0xFFFD;
	}
	*pos += (size_t)n;
	return cp;
}

int32_t
utf8_last(const char *s, size_t len, size_t *start)
{
	size_t pos = len;

	if (len == 0)
		return -1;
	while (pos > 0 && ((unsigned char)s[pos - 1] & 0xC0) == 0x80)
		pos--;
	if (pos > 0)
		pos--;
	if (start != NULL)
		*start = pos;
	return utf8_next(s, len, &pos);
}

size_t
utf8_encode(int32_t cp, char *out)
{
	return (size_t)utf8proc_encode_char(cp, (utf8proc_uint8_t *)out);
}

size_t
utf8_length(const char *s, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			n++;
	return n;
}

bool
utf8_is_han(int32_t cp)
{
	return (cp >= 0x4E00 && cp <= 0x9FFF) ||	/* unified */
	    (cp >= 0x3400 && cp <= 0x4DBF) ||		/* extension A */
	    (cp >= 0x20000 && cp <= 0x323AF) ||	/* extensions B-H */
	    (cp >= 0xF900 && cp <= 0xFAFF);		/* compatibility */
}

bool
utf8_is_cjk_punct(int32_t cp)
{
	return (cp >= 0x3000 && cp <= 0x303F) ||	/* CJK punctuation */
	    (cp >= 0xFF00 && cp <= 0xFFEF) ||		/* full-width forms */
	    cp == 0x2014 || cp == 0x2026 ||		/* dash, ellipsis */
	    (cp >= 0x2018 && cp <= 0x201D) ||		/* curly quotes */
	    cp == 0x00B7;				/* middle dot */
}

bool
utf8_is_sentence_end(int32_t cp)
{
	return cp == 0x3002 || cp == 0xFF01 || cp == 0xFF1F ||
	    cp == '!' || cp == '?' || cp == 0xFF1B || cp == ';';
}

size_t
utf8_cut(const char *s, size_t len, size_t max_chars, size_t slack)
{
	size_t pos = 0, chars = 0, sentence = 0, sentence_chars = 0;
	int32_t cp;

	while (chars < max_chars && pos < len) {
		cp = utf8_next(s, len, &pos);
		chars++;
		if (utf8_is_sentence_end(cp)) {
			sentence = pos;
			sentence_chars = chars;
		}
	}
	if (pos >= len)
		return len;
	if (sentence > 0 && chars - sentence_chars <= slack)
		return sentence;
	return pos;
}
