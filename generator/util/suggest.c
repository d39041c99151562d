#include "suggest.h"

#include <stdlib.h>
#include <string.h>

#include "utf8.h"
#include "xalloc.h"

/* The code points of s, *n of them; caller frees. */
static int32_t *
code_points(const char *s, size_t *n)
{
	size_t len = strlen(s), pos = 0;
	int32_t *cps = xcalloc(len + 1, sizeof(*cps)), cp;

	*n = 0;
	while ((cp = utf8_next(s, len, &pos)) != -1)
		cps[(*n)++] = cp;
	return cps;
}

/*
 * Edit distance counting a swap of two neighbours as one edit, the
 * commonest typo ("titel"): the optimal string alignment distance, with
 * three rows.  Words here are short.
 */
static size_t
edit_distance(const int32_t *a, size_t la, const int32_t *b, size_t lb)
{
	size_t i, j, best;
	size_t *old = xmalloc((lb + 1) * sizeof(*old));
	size_t *prev = xmalloc((lb + 1) * sizeof(*prev));
	size_t *cur = xmalloc((lb + 1) * sizeof(*cur)), *t;

	for (j = 0; j <= lb; j++)
		prev[j] = j;
	for (i = 1; i <= la; i++) {
		cur[0] = i;
		for (j = 1; j <= lb; j++) {
			best = prev[j - 1] + (a[i - 1] != b[j - 1]);
			if (prev[j] + 1 < best)
				best = prev[j] + 1;
			if (cur[j - 1] + 1 < best)
				best = cur[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && old[j - 2] + 1 < best)
				best = old[j - 2] + 1;
			cur[j] = best;
		}
		t = old;
		old = prev;
		prev = cur;
		cur = t;
	}
	best = prev[lb];
	free(old);
	free(prev);
	free(cur);
	return best;
}

const char *
suggest_within(const char *word, const char *const *cands, size_t n,
    size_t limit)
{
	const char *best = NULL;
	int32_t *w, *c;
	size_t i, d, best_d = (size_t)-1, lw, lc;

	w = code_points(word, &lw);
	for (i = 0; i < n; i++) {
		c = code_points(cands[i], &lc);
		d = edit_distance(w, lw, c, lc);
		free(c);
		if (d < best_d) {
			best_d = d;
			best = cands[i];
		}
	}
	free(w);
	return best_d <= limit ? best : NULL;
}

const char *
suggest(const char *word, const char *const *cands, size_t n)
{
	return suggest_within(word, cands, n,
	    utf8_length(word, strlen(word)) / 3 + 1);
}
