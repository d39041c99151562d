/*
 * Links as pages spell them: the relative link from one output path to
 * another, percent-encoded, and the absolute URL of an output path under
 * a base.  Paths are relative to the site's root and name files
 * ("articles/SLUG/index.html"); where pages live is model/url.h's say.
 */
#ifndef JICENG_HREF_H
#define JICENG_HREF_H

#include <stddef.h>

#include "buf.h"

/*
 * Appends to out the relative link from the page at output path from to
 * the output path to, percent-encoding every byte that is not unreserved
 * (so Chinese slugs travel as UTF-8 percent escapes).
 */
void	 href_relative(struct buf *out, const char *from, const char *to);

/* Appends "../" once per folder of from: the way back to the site root. */
void	 href_root(struct buf *out, const char *from);

/*
 * Appends the absolute URL of to under base (no trailing slash), with a
 * trailing "index.html" dropped: the pretty form hosts serve.
 */
void	 href_absolute(struct buf *out, const char *base, const char *to);

/* The output path as links spell it, percent-encoded; caller frees. */
char	*href_encoded(const char *path);

/* Appends s percent-encoded, keeping '/' and unreserved characters. */
void	 href_encode(struct buf *out, const char *s, size_t len);

#endif
