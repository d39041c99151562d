/*
 * libFuzzer target over the importer's page parser: splitting, repairs,
 * places, duplicates and Markdown, on whatever bytes come.  The seeds in
 * tests/fuzz/import/ are small pages with the layout defects the importer
 * mends.  Built by "make fuzz" and run by tests/fuzz.once.sh.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../generator/import/import.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct import_batch batch = IMPORT_BATCH_INIT;
	struct import_summary sum;
	struct diags d = DIAGS_INIT;
	size_t i, len;
	char *bytes;

	memset(&sum, 0, sizeof(sum));
	import_page("fuzz.txt", (const char *)data, size, NULL, NULL, &batch,
	    &d, &sum);
	import_assign_stems(&batch, NULL);
	for (i = 0; i < batch.count; i++) {
		bytes = import_render(&batch.items[i], &len);
		free(bytes);
	}
	import_batch_free(&batch);
	diags_free(&d);
	return 0;
}
