/*
 * libFuzzer target over the Mustache engine: compiles whatever bytes come
 * and renders them against a fixed view.  The input may hold up to three
 * templates separated by "|||": "main", then "p" and "q", so partials,
 * parents and blocks can refer to each other.  Every template compiles
 * or reports errors; tmpl_check, tmpl_fingerprint and tmpl_render must
 * then neither crash nor disagree with themselves.
 *
 * A render of a page stops, with a located error, where a limit on its
 * size falls; below it, it agrees with an unlimited render.  The names
 * the templates look up are checked against the view's.
 *
 * Built by "make fuzz" and run by tests/fuzz.once.sh over
 * tests/fuzz/tmpl/; new inputs land in a scratch folder, the seeds stay
 * as committed.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../generator/render/tmpl.h"
#include "../../generator/render/value.h"

#define SEPARATOR	"|||"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct val *
make_view(struct val_arena *a)
{
	struct val *view = val_map(a), *list = val_list(a), *item, *deep;

	val_set_bool(a, view, "a", true);
	val_set_bool(a, view, "b", false);
	val_set_str(a, view, "s", "<b>\"基层\"</b> & '党建'\n第二行");
	val_set_str(a, view, "e", "");
	val_set(a, view, "n", val_null(a));
	item = val_map(a);
	val_set_str(a, item, "name", "one");
	val_set_bool(a, item, "a", false);
	val_push(a, list, item);
	val_push(a, list, val_cstring(a, "two"));
	val_push(a, list, val_list(a));
	val_set(a, view, "list", list);
	deep = val_map(a);
	val_set_str(a, deep, "o", "deep");
	item = val_map(a);
	val_set(a, item, "n", deep);
	val_set(a, view, "m", item);
	val_set_str(a, view, "a.b", "dotted key");
	return view;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = { "main", "p", "q" };
	const char *src = (const char *)data, *end = src + size, *sep;
	struct tmpl_set *set = tmpl_set_new();
	struct val_arena *a = val_arena_new();
	struct val *view = make_view(a);
	struct diags d = DIAGS_INIT;
	static const char *const known[] = { "a", "b", "s", "e", "n", "list",
	    "name", "m", "o", NULL };
	struct buf first = BUF_INIT, second = BUF_INIT;
	size_t i, len, errors;
	int rc1, rc2;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		sep = memmem(src, (size_t)(end - src), SEPARATOR,
		    strlen(SEPARATOR));
		len = sep != NULL && i + 1 < sizeof(names) / sizeof(names[0]) ?
		    (size_t)(sep - src) : (size_t)(end - src);
		if (tmpl_add(set, names[i], names[i], src, len, &d) == -1 &&
		    d.errors == 0)
			abort();	/* a failure must say why */
		src += len;
		if (src == end)
			break;
		src += strlen(SEPARATOR);
	}
	tmpl_check(set, &d);
	tmpl_check_names(set, known, &d);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (tmpl_has(set, names[i]) !=
		    (tmpl_fingerprint(set, names[i]) != 0))
			abort();
		buf_truncate(&first, 0);
		buf_truncate(&second, 0);
		rc1 = tmpl_render(set, names[i], view, &first);
		rc2 = tmpl_render(set, names[i], view, &second);
		if (rc1 != rc2 || first.len != second.len ||
		    memcmp(buf_str(&first), buf_str(&second), first.len) != 0)
			abort();	/* rendering must be deterministic */
		if (rc1 == -1 && first.len != 0)
			abort();	/* a failed render leaves out alone */
		/* Limited to a little less than it needs: a located stop. */
		buf_truncate(&second, 0);
		errors = d.errors;
		rc2 = tmpl_render_page(set, names[i], view,
		    first.len > 0 ? first.len - 1 : 0, "page.html", &second, &d);
		if (rc1 == 0 && first.len > 0 && (rc2 != -1 ||
		    second.len != 0 || d.errors != errors + 1))
			abort();
		buf_truncate(&second, 0);
		rc2 = tmpl_render_page(set, names[i], view, first.len,
		    "page.html", &second, &d);
		if (rc1 == 0 && (rc2 != 0 || second.len != first.len))
			abort();
	}
	buf_free(&first);
	buf_free(&second);
	diags_free(&d);
	val_arena_free(a);
	tmpl_set_free(set);
	return 0;
}
