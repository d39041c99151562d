/*
 * Traditional-only Chinese characters and their simplified forms (a
 * generated table, see scripts/hanzi/make-table.js).  Read through
 * prose.h.
 */
#ifndef JICENG_HANZI_DATA_H
#define JICENG_HANZI_DATA_H

#include <stddef.h>
#include <stdint.h>

struct hanzi_pair {
	int32_t	 traditional;
	int32_t	 simplified;
};

extern const size_t hanzi_traditional_count;
extern const struct hanzi_pair hanzi_traditional[];	/* sorted */
/* A bit per code point below U+10000: whether it is in the table. */
extern const uint32_t hanzi_traditional_bmp[65536 / 32];

#endif
