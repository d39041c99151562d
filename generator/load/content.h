/*
 * Reads a site folder: content/site.yaml, content/themes.yaml, every
 * content/articles/ *.md, each file read and parsed once, in parallel,
 * and the raw pages of content/sources/.
 */
#ifndef JICENG_CONTENT_H
#define JICENG_CONTENT_H

#include <stddef.h>

#include "../util/diag.h"
#include "article.h"
#include "config.h"
#include "source.h"

struct content {
	struct site_config config;	/* owned */
	struct theme_list themes;	/* owned */
	struct article **articles;	/* owned; in file name order */
	size_t	 narticles;
	struct source_list sources;	/* owned */
};

/*
 * Gives back the article at path as a previous build read it, when its
 * file still has stamp st; NULL to have the file read.  The article is
 * the caller's to give: content_load takes ownership.
 */
typedef struct article *content_reuse_fn(void *arg, const char *path,
	    const char *fspath, const struct article_stamp *st);

/*
 * Loads the site in dir, asking reuse (when not NULL) before reading
 * each article.  The bodies read are kept up to bodies_max bytes in
 * all; past that, each article's text is freed once its front matter
 * is read (article_drop_text), for the model to read again as it needs
 * it: a large site's bodies would be the most a build holds.  Returns
 * 0, or -1 when d gained errors (every file is still read, so one run
 * reports all of them).  Free with content_free in both cases.
 * nthreads as for pool_for.
 */
int	 content_load(struct content *c, const char *dir, size_t nthreads,
	    size_t bodies_max, content_reuse_fn *reuse, void *arg,
	    struct diags *d);
void	 content_free(struct content *c);

#endif
