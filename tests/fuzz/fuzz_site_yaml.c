/*
 * libFuzzer target over content/site.yaml: YAML, each key's checks, the
 * sizes of max_file_size and max_page_size.  Built by "make fuzz" and
 * run by tests/fuzz.once.sh over tests/fuzz/site_yaml/.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "../../generator/load/config.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct site_config c;
	struct diags d = DIAGS_INIT;
	int rc;

	rc = config_parse(&c, "content/site.yaml", (const char *)data, size,
	    &d);
	if ((rc == -1) != (d.errors > 0))
		abort();	/* a refusal must say why, and only one */
	if (rc == 0 && (c.title == NULL || c.base_url == NULL ||
	    c.max_file_size == 0 || c.max_page_size == 0))
		abort();
	config_free(&c);
	diags_free(&d);
	return 0;
}
