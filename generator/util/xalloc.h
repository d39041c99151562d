/*
 * Allocation that never returns NULL.  jiceng is an application, not a
 * library: when memory runs out there is nothing useful to do but say so
 * and stop, so no caller threads ENOMEM through its logic.
 */
#ifndef JICENG_XALLOC_H
#define JICENG_XALLOC_H

#include <stddef.h>

void	*xmalloc(size_t size);
void	*xcalloc(size_t count, size_t size);
void	*xrealloc(void *ptr, size_t size);
/* Grows an array of count elements of size bytes each; checks overflow. */
void	*xreallocarray(void *ptr, size_t count, size_t size);
char	*xstrdup(const char *s);
char	*xstrndup(const char *s, size_t len);
/* Returns a newly allocated formatted string; caller frees. */
char	*xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
