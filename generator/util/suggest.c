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

/* Levenshtein distance with two rows; words here are short. */
static size_t
edit_distance(const int32_t *a, size_t la, const int32_t *b, size_t lb)
{
	size_t i, j, best;
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
			cur[j] = best;
		}
		t = prev;
		prev = cur;
		cur = t;
	}
	best = prev[lb];
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
