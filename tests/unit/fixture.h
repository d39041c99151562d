/*
 * What several unit tests start from: a golden site's content
 * (tests/golden/NAME, below $TOP or the current folder) made into a site
 * model.
 */
#ifndef JICENG_TEST_FIXTURE_H
#define JICENG_TEST_FIXTURE_H

#include "../../generator/load/content.h"
#include "../../generator/model/site.h"

struct fixture_site {
	struct content content;	/* what was read, less the articles */
	struct site *site;	/* made from it */
	struct diags diags;
};

/* A change to the content before the model is made from it. */
typedef void fixture_edit_fn(struct content *c);

/*
 * Reads tests/golden/name into f, lets edit (when not NULL) change it,
 * and makes the model; fails the test on any error.
 */
void	 fixture_site_open(struct fixture_site *f, const char *name,
	    fixture_edit_fn *edit);
void	 fixture_site_close(struct fixture_site *f);

#endif
