#include "fixture.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <cmocka.h>

#include "../../generator/util/xalloc.h"

void
fixture_site_open(struct fixture_site *f, const char *name,
    fixture_edit_fn *edit)
{
	const char *top = getenv("TOP") ? getenv("TOP") : ".";
	char *dir = xasprintf("%s/tests/golden/%s", top, name);
	struct content *c = &f->content;

	f->diags = (struct diags)DIAGS_INIT;
	assert_int_equal(content_load(c, dir, 1, NULL, NULL, &f->diags), 0);
	if (edit != NULL)
		edit(c);
	f->site = site_build(&c->config, &c->themes, &c->sources,
	    c->articles, c->narticles, 1, NULL, &f->diags);
	c->articles = NULL;
	c->narticles = 0;
	assert_non_null(f->site);
	free(dir);
}

void
fixture_site_close(struct fixture_site *f)
{
	site_free(f->site);
	content_free(&f->content);
	diags_free(&f->diags);
	f->site = NULL;
}
