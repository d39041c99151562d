/*
 * libFuzzer target over content/themes.yaml, through its one reader
 * (load/config.c), which the build and the importer share.  Built by
 * "make fuzz" and run by tests/fuzz.once.sh over tests/fuzz/themes_yaml/.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "../../generator/load/config.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct theme_list t;
	struct diags d = DIAGS_INIT;
	size_t i;

	if (themes_parse(&t, "content/themes.yaml", (const char *)data, size,
	    &d) == -1 && d.errors == 0)
		abort();
	for (i = 0; i < t.count && d.errors == 0; i++)
		if (t.items[i].slug == NULL || t.items[i].name == NULL)
			abort();
	themes_free(&t);
	diags_free(&d);
	return 0;
}
