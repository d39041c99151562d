/*
 * A hash map from strings to pointer-sized values, open addressing with
 * linear probing.  Keys are copied; iteration order is insertion order,
 * so whatever is built from a map comes out the same on every run.
 */
#ifndef JICENG_STRMAP_H
#define JICENG_STRMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct strmap_entry {
	char	*key;		/* owned by the map */
	size_t	 keylen;
	uint64_t hash;		/* of the key */
	void	*value;		/* not owned */
};

struct strmap_chunk;

struct strmap {
	struct strmap_entry *entries;	/* owned; in insertion order */
	size_t	 count;
	size_t	 cap;			/* of entries */
	size_t	*slots;			/* owned; entry index + 1, 0 = empty */
	size_t	 nslots;		/* a power of two */
	struct strmap_chunk *chunks;	/* owned; where the keys are */
};

#define STRMAP_INIT { NULL, 0, 0, NULL, 0, NULL }

/*
 * Returns the entry for key, adding one with a NULL value when absent
 * (then *added is set, if added is not NULL).  The pointer stays valid
 * until the next insertion.
 */
struct strmap_entry *strmap_put(struct strmap *m, const char *key,
	    size_t keylen, bool *added);
/* Makes room for n entries in all, so that adding them moves nothing. */
void	 strmap_reserve(struct strmap *m, size_t n);
/* Returns the entry for key, or NULL. */
struct strmap_entry *strmap_get(const struct strmap *m, const char *key,
	    size_t keylen);
void	 strmap_free(struct strmap *m);

#endif
