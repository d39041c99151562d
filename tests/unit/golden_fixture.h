/*
 * A golden site's content (tests/golden/NAME, below $TOP or the current
 * folder) made into a site model, for the tests of what is made from
 * one: pages, keys.  Each test file includes it once: its functions are
 * static.  Include after cmocka.h.
 */
#ifndef JICENG_TEST_GOLDEN_FIXTURE_H
#define JICENG_TEST_GOLDEN_FIXTURE_H

#include <stdlib.h>

#include "../../generator/load/content.h"
#include "../../generator/model/site.h"
#include "../../generator/util/xalloc.h"

struct golden_site {
	struct content content;	/* what was read, less the articles */
	struct site *site;	/* made from it */
	struct diags diags;
};

/* A change to the content before the model is made from it. */
typedef void golden_edit_fn(struct content *c);

/*
 * Reads tests/golden/name into g, lets edit (when not NULL) change it,
 * and makes the model; fails the test on any error.
 */
static void
golden_site_open(struct golden_site *g, const char *name,
    golden_edit_fn *edit)
{
	const char *top = getenv("TOP") ? getenv("TOP") : ".";
	char *dir = xasprintf("%s/tests/golden/%s", top, name);
	struct content *c = &g->content;

	g->diags = (struct diags)DIAGS_INIT;
	assert_int_equal(content_load(c, dir, 1, SIZE_MAX, NULL, NULL,
	    &g->diags), 0);
	if (edit != NULL)
		edit(c);
	g->site = site_build(&c->config, &c->themes, &c->sources,
	    c->articles, c->narticles, 1, NULL, &g->diags);
	c->articles = NULL;
	c->narticles = 0;
	assert_non_null(g->site);
	free(dir);
}

static void
golden_site_close(struct golden_site *g)
{
	site_free(g->site);
	content_free(&g->content);
	diags_free(&g->diags);
	g->site = NULL;
}

#endif
