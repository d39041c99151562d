/* "Did you mean" suggestions for misspelt keys, slugs and names. */
#ifndef JICENG_SUGGEST_H
#define JICENG_SUGGEST_H

#include <stddef.h>

/*
 * Returns the candidate closest to word by edit distance (counted in
 * bytes, which is enough for the ASCII keys and slugs it serves), or NULL
 * when none is close enough to be a likely typo.  Borrowed from cands.
 */
const char *suggest(const char *word, const char *const *cands, size_t n);

#endif
