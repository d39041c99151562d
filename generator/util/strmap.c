#include "strmap.h"

#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "xalloc.h"

static size_t
find_slot(const struct strmap *m, const char *key, size_t keylen)
{
	size_t mask = m->nslots - 1, i = XXH3_64bits(key, keylen) & mask;
	const struct strmap_entry *e;

	for (;; i = (i + 1) & mask) {
		if (m->slots[i] == 0)
			return i;
		e = &m->entries[m->slots[i] - 1];
		if (e->keylen == keylen && memcmp(e->key, key, keylen) == 0)
			return i;
	}
}

static void
rehash(struct strmap *m)
{
	size_t i;

	free(m->slots);
	m->nslots = m->nslots ? m->nslots * 2 : 16;
	m->slots = xcalloc(m->nslots, sizeof(*m->slots));
	for (i = 0; i < m->count; i++)
		m->slots[find_slot(m, m->entries[i].key,
		    m->entries[i].keylen)] = i + 1;
}

struct strmap_entry *
strmap_put(struct strmap *m, const char *key, size_t keylen, bool *added)
{
	struct strmap_entry *e;
	size_t slot;

	if (added)
		*added = false;
	/* Keep the table at most half full so probes stay short. */
	if ((m->count + 1) * 2 > m->nslots)
		rehash(m);
	slot = find_slot(m, key, keylen);
	if (m->slots[slot] != 0)
		return &m->entries[m->slots[slot] - 1];
	if (m->count == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 16;
		m->entries = xreallocarray(m->entries, m->cap,
		    sizeof(*m->entries));
	}
	e = &m->entries[m->count++];
	e->key = xstrndup(key, keylen);
	e->keylen = keylen;
	e->value = NULL;
	m->slots[slot] = m->count;
	if (added)
		*added = true;
	return e;
}

struct strmap_entry *
strmap_get(const struct strmap *m, const char *key, size_t keylen)
{
	size_t slot;

	if (m->nslots == 0)
		return NULL;
	slot = find_slot(m, key, keylen);
	return m->slots[slot] ? &m->entries[m->slots[slot] - 1] : NULL;
}

void
strmap_free(struct strmap *m)
{
	size_t i;

	for (i = 0; i < m->count; i++)
		free(m->entries[i].key);
	free(m->entries);
	free(m->slots);
	memset(m, 0, sizeof(*m));
}
