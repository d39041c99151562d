/*
 * A site from nothing: `jiceng init` copies the templates, the assets and
 * a sample site (settings, themes, one article) from the data folder
 * installed with the binary; `jiceng new article` writes one article's
 * front matter for a person to fill in.  Neither ever overwrites a file.
 */
#ifndef JICENG_INIT_H
#define JICENG_INIT_H

#include <stdbool.h>
#include <stddef.h>

#include "util/diag.h"

/*
 * Whether dir is a data folder: it holds templates/, assets/ and
 * sample/site.yaml.
 */
bool	 init_is_data(const char *dir);

/*
 * The data folder for the binary at exe (an absolute path): the first of
 * EXE_DIR/../share/jiceng (where `make install` puts it beside bin/, under
 * any prefix), EXE_DIR/.. and EXE_DIR/../.. (a binary built in a source
 * tree's build/ or build/san/), and configured (the installed place the
 * binary was built for; NULL: none) that is one.  Returns the path
 * (caller frees), or NULL when none is.
 */
char	*init_find_data(const char *exe, const char *configured);

/* The same for the running binary and its compiled-in data folder. */
char	*init_data_dir(void);

/*
 * Makes a new site in dir, creating it when missing: data's templates/
 * and assets/, and its sample/ as content/.  Refuses when dir already
 * holds content/, templates/ or assets/.  Adds messages about paths
 * relative to dir to d and returns an exit status of jiceng(1): 0 (with
 * the number of files written in *files), 1 when dir holds a site, 3
 * on I/O errors.
 */
int	 init_site(const char *data, const char *dir, size_t *files,
	    struct diags *d);

/*
 * Writes content/articles/NAME.md in the site at dir: front matter with
 * every key explained, NAME as the title, the place filled in when NAME
 * (without any "-N" after it) names one the gazetteer knows
 * ("海口市美兰区"), left empty otherwise, and the theme slugs of
 * content/themes.yaml listed; draft: true.  It builds once it has a place.  name must be a safe
 * slug.  Returns an exit status of jiceng(1): 0, 1 when the article
 * exists, 3 when there is no content/articles/ or on I/O errors, after
 * adding a message to d.  *place gets the place found, as "province city
 * district" (caller frees), or NULL.
 */
int	 init_article(const char *dir, const char *name, char **place,
	    struct diags *d);

#endif
