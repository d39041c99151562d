/*
 * Where the articles were printed: each raw page of content/sources/
 * becomes a page of the site, linked to the articles made from it, with
 * a name a reader understands; an article takes its page's date when it
 * has none of its own.  Private to model/.
 */
#ifndef JICENG_PROVENANCE_H
#define JICENG_PROVENANCE_H

#include "site.h"

/*
 * Fills s->sources from s->raw and each article's source and date,
 * warning in d of a source that names no raw page or a line past its end.
 */
void	 provenance_link(struct site *s, struct diags *d);
/* Frees s->sources and s->raw. */
void	 provenance_free(struct site *s);

#endif
