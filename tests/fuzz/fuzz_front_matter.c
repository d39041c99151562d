/*
 * libFuzzer target over an article file: UTF-8, the front matter's
 * fences and YAML (nesting, anchors, every key's checks) and the body
 * split, then finding a key again as messages do.  Built by "make fuzz"
 * and run by tests/fuzz.once.sh over tests/fuzz/front_matter/.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../generator/load/article.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diags d = DIAGS_INIT;
	struct article *a;
	unsigned line, col;

	a = article_parse("content/articles/fuzz.md", (const char *)data,
	    size, &d);
	if (a == NULL && d.errors == 0)
		abort();	/* a refusal must say why */
	if (a != NULL) {
		/* What the model reads of it must be there. */
		if (a->title == NULL || a->slug == NULL ||
		    strlen(a->body) != a->body_len)
			abort();
		article_locate_key(a, "district", &line, &col);
		if (line == 0 || col == 0)
			abort();
	}
	article_free(a);
	diags_free(&d);
	return 0;
}
