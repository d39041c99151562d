#include "suggest.h"

#include <string.h>

#include "xalloc.h"
#include <stdlib.h>

/* Levenshtein distance with two rows; words here are short. */
static size_t
edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, best;
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
suggest(const char *word, const char *const *cands, size_t n)
{
	const char *best = NULL;
	size_t i, d, best_d = (size_t)-1, limit;

	limit = strlen(word) / 3 + 1;
	for (i = 0; i < n; i++) {
		d = edit_distance(word, cands[i]);
		if (d < best_d) {
			best_d = d;
			best = cands[i];
		}
	}
	return best_d <= limit ? best : NULL;
}
