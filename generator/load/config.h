/*
 * The site's settings (content/site.yaml) and theme taxonomy
 * (content/themes.yaml); their keys are described in jiceng(5).
 */
#ifndef JICENG_CONFIG_H
#define JICENG_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../util/diag.h"

struct site_config {
	char	*title;		/* owned */
	char	*base_url;	/* owned; absolute, without a trailing slash */
	char	*language;	/* owned; "zh-CN" unless set */
	char	*description;	/* owned */
	char	*published;	/* owned; YYYY-MM-DD, the date feeds give
				   articles that state none */
	size_t	 max_file_size;	/* bytes: a larger source file is refused */
	size_t	 max_page_size;	/* bytes: a larger page is an error */
};

/*
 * The limits unless site.yaml sets others: articles run to tens of
 * kilobytes and the largest page to a few megabytes at 100,000
 * articles, so only a mistake or an attack comes near them.  site.yaml
 * itself is read with the default.
 */
#define CONFIG_MAX_FILE_SIZE	((size_t)16 << 20)
#define CONFIG_MAX_PAGE_SIZE	((size_t)64 << 20)

struct theme {
	char	*slug;		/* owned; lowercase ASCII, digits, '-' */
	char	*name;		/* owned */
	char	*description;	/* owned */
	char	**keywords;	/* owned; the evidence a passage is about it */
	size_t	 nkeywords;
	unsigned line;		/* in themes.yaml, for messages */
};

struct theme_list {
	struct theme *items;	/* owned, in the file's order */
	size_t	 count;
};

/*
 * Loads site.yaml from fspath (named path in messages).  Returns 0, or -1
 * after adding errors to d.  Free with config_free even on failure.
 */
int	 config_load(struct site_config *c, const char *fspath, const char *path,
	    struct diags *d);
/* The same from text (len bytes) read elsewhere. */
int	 config_parse(struct site_config *c, const char *path,
	    const char *text, size_t len, struct diags *d);
void	 config_free(struct site_config *c);
/* Sets base_url from a command-line override; -1 if it is not absolute. */
int	 config_set_base_url(struct site_config *c, const char *url);

/* Whether s is a real calendar date written YYYY-MM-DD. */
bool	 config_is_date(const char *s);

/*
 * Loads themes.yaml, refusing a file larger than max bytes; like
 * config_load.  Free with themes_free.
 */
int	 themes_load(struct theme_list *t, const char *fspath, const char *path,
	    size_t max, struct diags *d);
/* The same from text (len bytes) read elsewhere. */
int	 themes_parse(struct theme_list *t, const char *path,
	    const char *text, size_t len, struct diags *d);
void	 themes_free(struct theme_list *t);
/*
 * A hash of every theme's slug and keywords: what passages are found
 * with.  Digests made under another hash are stale.
 */
uint64_t themes_fingerprint(const struct theme_list *t);

/* The theme with that slug, or NULL. */
const struct theme *themes_find(const struct theme_list *t, const char *slug);

#endif
