/*
 * A list of indices into an array: the model links its articles, places
 * and themes to one another by index, in lists that grow as it goes.
 */
#ifndef JICENG_IDLIST_H
#define JICENG_IDLIST_H

#include <stdbool.h>
#include <stddef.h>

struct idlist {
	size_t	*items;		/* owned */
	size_t	 count;
	size_t	 cap;
};

/* Appends id. */
void	 idlist_push(struct idlist *l, size_t id);
/* Whether l holds id: a scan, for the short lists it is asked of. */
bool	 idlist_has(const struct idlist *l, size_t id);
/* Frees l's items; l is empty after. */
void	 idlist_free(struct idlist *l);

#endif
