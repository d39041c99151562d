/*
 * The import stage's private header: what its files (page.c, repair.c,
 * place.c, themes.c, write.c, import.c, gazetteer.c) share and nobody
 * else sees.  A page goes through them in that order:
 *
 *   page.c     lines -> units: headline, byline, note, text block
 *   repair.c   per-line repairs, joining wrapped lines into paragraphs
 *              and headings, removing passages printed twice
 *   place.c    articles from units, their places, bodies moved back
 *              under the headline they belong to
 *   themes.c   theme tags from keyword evidence
 *   write.c    front matter, manifest, conflicts
 */
#ifndef JICENG_IMPORT_INTERNAL_H
#define JICENG_IMPORT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../util/diag.h"
#include "import.h"

/* The generated tables (gazetteer_data.c), sorted by name bytes. */
struct gazetteer_province_row {
	const char *code;
	const char *name;
};

struct gazetteer_prefecture_row {
	const char *code;
	const char *name;
	int	 province;	/* row in gazetteer_province_rows */
};

struct gazetteer_district_row {
	const char *code;
	const char *name;
	int	 province;	/* row in gazetteer_province_rows */
	int	 prefecture;	/* row in gazetteer_prefecture_rows, -1: none */
};

extern const struct gazetteer_province_row gazetteer_province_rows[];
extern const size_t gazetteer_province_count;
extern const struct gazetteer_prefecture_row gazetteer_prefecture_rows[];
extern const size_t gazetteer_prefecture_count;
extern const struct gazetteer_district_row gazetteer_district_rows[];
extern const size_t gazetteer_district_count;

#endif
