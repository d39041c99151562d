/*
 * The one place that decides where a page lives.  An output path is
 * relative to public/ and names a file ("articles/SLUG/index.html");
 * every file name, link, feed entry and sitemap entry derives from it.
 * Links between pages are relative, so the site works at a host's root,
 * under a sub-path and opened from disk; they name index.html explicitly
 * because a browser reading from disk does not look for it.
 */
#ifndef JICENG_URL_H
#define JICENG_URL_H

#include <stddef.h>

enum url_kind {
	URL_HOME,
	URL_TOC,
	URL_ARTICLE,
	URL_DISTRICT_INDEX,
	URL_DISTRICT,
	URL_CITY,
	URL_PROVINCE,
	URL_AUTHORS,
	URL_THEME_INDEX,
	URL_THEME,
	URL_SEARCH,
	URL_FEED,
	URL_THEME_FEED,
	URL_SITEMAP,
	URL_ROBOTS,
	URL_NOT_FOUND,
	URL_SOURCE,		/* a raw page as printed, with line anchors */
	URL_SOURCE_TEXT,	/* the same page's text file */
};

/* The output path of a page; slug is ignored for pages without one. */
char	*url_path(enum url_kind kind, const char *slug);

/*
 * The output path of page number part (from 1) of a listing whose first
 * page is at path "DIR/index.html": path itself for part 1, else
 * "DIR/page/PART/index.html".
 */
char	*url_part(const char *path, size_t part);

#endif
