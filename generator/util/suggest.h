/* "Did you mean" suggestions for misspelt keys, slugs and names. */
#ifndef JICENG_SUGGEST_H
#define JICENG_SUGGEST_H

#include <stddef.h>

/*
 * Returns the candidate closest to word by edit distance, counted in
 * characters (美蓝区 is one from 美兰区), or NULL when none is close
 * enough to be a likely typo: a third of word's characters, plus one.
 * Borrowed from cands.
 */
const char *suggest(const char *word, const char *const *cands, size_t n);
/*
 * The same within a distance of at most limit characters: for names in
 * Han, where a third of three characters lets any district of a city
 * pass for any other (火星区 and 琼山区 share one of three).
 */
const char *suggest_within(const char *word, const char *const *cands,
	    size_t n, size_t limit);

#endif
