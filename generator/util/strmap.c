#include "strmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "xalloc.h"

/*
 * Keys are packed into chunks: one allocation per chunk, not per key.
 * Chunks double from small, as most maps are (a page's links, say), up
 * to a size where one more allocation no longer matters.
 */
#define CHUNK_FIRST	256
#define CHUNK_MAX	(64 * 1024)

struct strmap_chunk {
	struct strmap_chunk *next;
	size_t	 used;
	size_t	 cap;
	char	 data[];
};

static char *
copy_key(struct strmap *m, const char *key, size_t keylen)
{
	struct strmap_chunk *c = m->chunks;
	size_t cap;
	char *s;

	if (c == NULL || c->cap - c->used < keylen + 1) {
		cap = c == NULL ? CHUNK_FIRST : c->cap * 2;
		if (cap > CHUNK_MAX)
			cap = CHUNK_MAX;
		if (cap < keylen + 1)
			cap = keylen + 1;
		c = xmalloc(sizeof(*c) + cap);
		c->used = 0;
		c->cap = cap;
		c->next = m->chunks;
		m->chunks = c;
	}
	s = c->data + c->used;
	memcpy(s, key, keylen);
	s[keylen] = '\0';
	c->used += keylen + 1;
	return s;
}

static size_t
find_slot(const struct strmap *m, const char *key, size_t keylen,
    uint64_t hash)
{
	size_t mask = m->nslots - 1, i = hash & mask;
	const struct strmap_entry *e;

	for (;; i = (i + 1) & mask) {
		if (m->slots[i] == 0)
			return i;
		e = &m->entries[m->slots[i] - 1];
		if (e->hash == hash && e->keylen == keylen &&
		    memcmp(e->key, key, keylen) == 0)
			return i;
	}
}

/* Makes room for n entries at most half filling the table. */
static void
resize(struct strmap *m, size_t n)
{
	size_t i, mask;

	if (n * 2 <= m->nslots)
		return;
	free(m->slots);
	if (m->nslots == 0)
		m->nslots = 16;
	while (n * 2 > m->nslots)
		m->nslots *= 2;
	m->slots = xcalloc(m->nslots, sizeof(*m->slots));
	mask = m->nslots - 1;
	/* Keys are distinct: a free slot is all each needs. */
	for (i = 0; i < m->count; i++) {
		size_t s = m->entries[i].hash & mask;

		while (m->slots[s] != 0)
			s = (s + 1) & mask;
		m->slots[s] = i + 1;
	}
}

void
strmap_reserve(struct strmap *m, size_t n)
{
	resize(m, n);
	if (n > m->cap) {
		m->cap = n;
		m->entries = xreallocarray(m->entries, m->cap,
		    sizeof(*m->entries));
	}
}

struct strmap_entry *
strmap_put(struct strmap *m, const char *key, size_t keylen, bool *added)
{
	uint64_t hash = XXH3_64bits(key, keylen);
	struct strmap_entry *e;
	size_t slot;

	if (added)
		*added = false;
	resize(m, m->count + 1);
	slot = find_slot(m, key, keylen, hash);
	if (m->slots[slot] != 0)
		return &m->entries[m->slots[slot] - 1];
	if (m->count == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 16;
		m->entries = xreallocarray(m->entries, m->cap,
		    sizeof(*m->entries));
	}
	e = &m->entries[m->count++];
	e->key = copy_key(m, key, keylen);
	e->keylen = keylen;
	e->hash = hash;
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
	slot = find_slot(m, key, keylen, XXH3_64bits(key, keylen));
	return m->slots[slot] ? &m->entries[m->slots[slot] - 1] : NULL;
}

void
strmap_free(struct strmap *m)
{
	struct strmap_chunk *c, *next;

	for (c = m->chunks; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	free(m->entries);
	free(m->slots);
	memset(m, 0, sizeof(*m));
}
