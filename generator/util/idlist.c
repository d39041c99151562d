#include "idlist.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

void
idlist_push(struct idlist *l, size_t id)
{
	if (l->count == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 4;
		l->items = xreallocarray(l->items, l->cap, sizeof(*l->items));
	}
	l->items[l->count++] = id;
}

bool
idlist_has(const struct idlist *l, size_t id)
{
	size_t i;

	for (i = 0; i < l->count; i++)
		if (l->items[i] == id)
			return true;
	return false;
}

void
idlist_free(struct idlist *l)
{
	free(l->items);
	memset(l, 0, sizeof(*l));
}
