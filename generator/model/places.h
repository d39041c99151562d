/*
 * China's 34 province-level divisions, in the order of their statistical
 * (GB/T 2260) codes: the order readers know from every yearbook, and the
 * one the site lists them in.
 */
#ifndef JICENG_PLACES_H
#define JICENG_PLACES_H

/* Position of the province in code order, or -1 when name is not one. */
int	 places_province_rank(const char *name);
/* Its two-digit code ("46" for 海南省), or NULL. */
const char *places_province_code(const char *name);
/*
 * A province whose full name starts with name or contains it ("海南" →
 * "海南省", "广西" → "广西壮族自治区"), for "did you mean"; NULL if none.
 */
const char *places_province_guess(const char *name);

#endif
