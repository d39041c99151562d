/* Diagnostics: formatting, and the warnings a build prints at most. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../generator/util/diag.h"

static char *
formatted(const char *path, unsigned line, unsigned col, const char *msg)
{
	struct diags d = DIAGS_INIT;
	char *s;

	diag_error(&d, path, line, col, "%s", msg);
	s = diag_format(&d.items[0]);
	diags_free(&d);
	return s;
}

static void
test_format(void **state)
{
	char *s;

	(void)state;
	s = formatted("content/a.md", 3, 7, "bad");
	assert_string_equal(s, "content/a.md:3:7: error: bad");
	free(s);
	s = formatted("content/a.md", 3, 0, "bad");
	assert_string_equal(s, "content/a.md:3: error: bad");
	free(s);
	s = formatted("content", 0, 0, "bad");
	assert_string_equal(s, "content: error: bad");
	free(s);
}

/* Text quoted from the site cannot ring, erase or reverse the line. */
static void
test_controls_escaped(void **state)
{
	char *s;

	(void)state;
	s = formatted("content/a\033[2J.md", 1, 1,
	    "unknown district \"美兰区\xE2\x80\xAE\" \a\x7F");
	assert_string_equal(s, "content/a\\x1B[2J.md:1:1: error: unknown "
	    "district \"美兰区\\u202E\" \\x07\\x7F");
	free(s);
	s = formatted("a.md", 1, 1, "\xE2\x81\xA6x\xE2\x80\x8F “引号” 〔原文缺〕");
	assert_string_equal(s, "a.md:1:1: error: \\u2066x\\u200F “引号” 〔原文缺〕");
	free(s);
}

static void
test_print_some(void **state)
{
	struct diags d = DIAGS_INIT;
	char *text = NULL;
	size_t len = 0, left, i;
	FILE *f;

	(void)state;
	for (i = 0; i < 5; i++)
		diag_warning(&d, "a.md", (unsigned)i + 1, 1, "w%zu", i);
	diag_error(&d, "a.md", 9, 1, "e");
	f = open_memstream(&text, &len);
	left = diags_print_some(&d, 2, f);
	fclose(f);
	assert_int_equal(left, 3);
	assert_string_equal(text, "a.md:1:1: warning: w0\na.md:2:1: warning: "
	    "w1\na.md:9:1: error: e\n");
	free(text);
	f = open_memstream(&text, &len);
	assert_int_equal(diags_print_some(&d, 0, f), 0);
	fclose(f);
	assert_int_equal(strlen(text), 5 * strlen("a.md:1:1: warning: w0\n") +
	    strlen("a.md:9:1: error: e\n"));
	free(text);
	diags_free(&d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_controls_escaped),
		cmocka_unit_test(test_print_some),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
