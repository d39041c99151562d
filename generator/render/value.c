#include "value.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "../util/buf.h"
#include "../util/xalloc.h"

/*
 * Chunks of this size hold most pages' views in one or two allocations;
 * anything bigger than a quarter of it gets a chunk of its own, so a
 * single large string never wastes the rest of a shared chunk.
 */
#define ARENA_CHUNK	(64 * 1024)
#define ARENA_BIG	(ARENA_CHUNK / 4)
#define ARENA_ALIGN	_Alignof(max_align_t)

/* Initial room of a list or map; both double when full. */
#define VAL_FIRST_CAP	8

struct chunk {
	struct chunk *next;
	size_t	 size;		/* bytes in data */
	size_t	 used;		/* bytes handed out */
	_Alignas(max_align_t) unsigned char data[];
};

struct val_arena {
	struct chunk *current;	/* being filled; older full chunks follow */
	struct chunk *spare;	/* emptied by a reset, reused first */
	struct chunk *big;	/* oversized allocations, freed on reset */
};

struct val_entry {
	const char *key;	/* arena copy, NUL-terminated */
	size_t	 keylen;
	struct val *value;
};

struct val {
	enum val_kind kind;
	union {
		bool	 b;
		struct {
			const char *s;	/* arena copy or caller's static text */
			size_t	 len;
		} str;
		struct {
			struct val **items;	/* arena */
			size_t	 count;
			size_t	 cap;
		} list;
		struct {
			struct val_entry *items; /* arena, in insertion order */
			size_t	 count;
			size_t	 cap;
		} map;
	} u;
};

static void
chunks_free(struct chunk *c)
{
	struct chunk *next;

	for (; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
}

static struct chunk *
chunk_new(size_t size)
{
	struct chunk *c = xmalloc(sizeof(*c) + size);

	c->next = NULL;
	c->size = size;
	c->used = 0;
	return c;
}

struct val_arena *
val_arena_new(void)
{
	return xcalloc(1, sizeof(struct val_arena));
}

void
val_arena_free(struct val_arena *a)
{
	if (a == NULL)
		return;
	chunks_free(a->current);
	chunks_free(a->spare);
	chunks_free(a->big);
	free(a);
}

void
val_arena_reset(struct val_arena *a)
{
	struct chunk *c, *next;

	for (c = a->current; c != NULL; c = next) {
		next = c->next;
		c->used = 0;
		c->next = a->spare;
		a->spare = c;
	}
	a->current = NULL;
	chunks_free(a->big);
	a->big = NULL;
}

void *
val_arena_alloc(struct val_arena *a, size_t size)
{
	struct chunk *c = a->current;
	void *p;

	if (size > SIZE_MAX - ARENA_ALIGN)
		size = SIZE_MAX - ARENA_ALIGN;	/* xmalloc will say no */
	size = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	if (size > ARENA_BIG) {
		c = chunk_new(size);
		c->next = a->big;
		a->big = c;
		return c->data;
	}
	if (c == NULL || c->size - c->used < size) {
		if (a->spare != NULL) {
			c = a->spare;
			a->spare = c->next;
		} else
			c = chunk_new(ARENA_CHUNK);
		c->next = a->current;
		a->current = c;
	}
	p = c->data + c->used;
	c->used += size;
	return p;
}

static struct val *
val_new(struct val_arena *a, enum val_kind kind)
{
	struct val *v = val_arena_alloc(a, sizeof(*v));

	memset(v, 0, sizeof(*v));
	v->kind = kind;
	return v;
}

static char *
arena_strndup(struct val_arena *a, const char *s, size_t len)
{
	char *p = val_arena_alloc(a, len + 1);

	if (len > 0)
		memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

struct val *
val_null(struct val_arena *a)
{
	return val_new(a, VAL_NULL);
}

struct val *
val_bool(struct val_arena *a, bool b)
{
	struct val *v = val_new(a, VAL_BOOL);

	v->u.b = b;
	return v;
}

struct val *
val_string(struct val_arena *a, const char *s, size_t len)
{
	return val_string_static(a, arena_strndup(a, s, len), len);
}

struct val *
val_cstring(struct val_arena *a, const char *s)
{
	return val_string(a, s, strlen(s));
}

struct val *
val_string_static(struct val_arena *a, const char *s, size_t len)
{
	struct val *v = val_new(a, VAL_STRING);

	v->u.str.s = s;
	v->u.str.len = len;
	return v;
}

struct val *
val_stringf(struct val_arena *a, const char *fmt, ...)
{
	va_list ap;
	char *p;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	p = val_arena_alloc(a, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return val_string_static(a, p, (size_t)n);
}

struct val *
val_list(struct val_arena *a)
{
	return val_new(a, VAL_LIST);
}

struct val *
val_map(struct val_arena *a)
{
	return val_new(a, VAL_MAP);
}

/*
 * Doubles an arena array of count used elements of size bytes.  The old
 * array stays in the arena unused: cheaper than tracking free space, and
 * a page's view is dropped whole soon after.
 */
static void *
arena_grow(struct val_arena *a, void *old, size_t count, size_t *cap,
    size_t size)
{
	size_t newcap = *cap ? *cap * 2 : VAL_FIRST_CAP;
	void *p;

	if (newcap > SIZE_MAX / size)
		newcap = SIZE_MAX / size;	/* xmalloc will say no */
	p = val_arena_alloc(a, newcap * size);
	if (count > 0)
		memcpy(p, old, count * size);
	*cap = newcap;
	return p;
}

void
val_push(struct val_arena *a, struct val *list, struct val *item)
{
	if (list == NULL || list->kind != VAL_LIST || item == NULL)
		return;
	if (list->u.list.count == list->u.list.cap)
		list->u.list.items = arena_grow(a, list->u.list.items,
		    list->u.list.count, &list->u.list.cap,
		    sizeof(*list->u.list.items));
	list->u.list.items[list->u.list.count++] = item;
}

static struct val_entry *
map_find(const struct val *map, const char *key, size_t keylen)
{
	struct val_entry *e = map->u.map.items;
	size_t i;

	/* Keys differ in length or first byte far more often than not. */
	for (i = 0; i < map->u.map.count; i++)
		if (e[i].keylen == keylen && (keylen == 0 ||
		    (e[i].key[0] == key[0] &&
		    memcmp(e[i].key, key, keylen) == 0)))
			return &e[i];
	return NULL;
}

void
val_set(struct val_arena *a, struct val *map, const char *key,
    struct val *v)
{
	size_t keylen;
	struct val_entry *e;

	if (map == NULL || map->kind != VAL_MAP || key == NULL || v == NULL)
		return;
	keylen = strlen(key);
	if ((e = map_find(map, key, keylen)) != NULL) {
		e->value = v;
		return;
	}
	if (map->u.map.count == map->u.map.cap)
		map->u.map.items = arena_grow(a, map->u.map.items,
		    map->u.map.count, &map->u.map.cap,
		    sizeof(*map->u.map.items));
	e = &map->u.map.items[map->u.map.count++];
	e->key = arena_strndup(a, key, keylen);
	e->keylen = keylen;
	e->value = v;
}

void
val_set_str(struct val_arena *a, struct val *map, const char *key,
    const char *s)
{
	val_set(a, map, key, s != NULL ? val_cstring(a, s) : val_null(a));
}

void
val_set_bool(struct val_arena *a, struct val *map, const char *key, bool b)
{
	val_set(a, map, key, val_bool(a, b));
}

enum val_kind
val_kind(const struct val *v)
{
	return v != NULL ? v->kind : VAL_NULL;
}

const struct val *
val_get(const struct val *v, const char *key, size_t keylen)
{
	const struct val_entry *e;
	size_t i, index = 0;

	if (v == NULL || key == NULL)
		return NULL;
	/*
	 * A list answers to the digits of an index, as arrays do in the
	 * JavaScript reading of Mustache: {{#items.0}} tests "not empty".
	 */
	if (v->kind == VAL_LIST && keylen > 0 && keylen < 10) {
		for (i = 0; i < keylen; i++) {
			if (key[i] < '0' || key[i] > '9')
				return NULL;
			index = index * 10 + (size_t)(key[i] - '0');
		}
		return val_list_item(v, index);
	}
	if (v->kind != VAL_MAP)
		return NULL;
	e = map_find(v, key, keylen);
	return e != NULL ? e->value : NULL;
}

const char *
val_text(const struct val *v, size_t *len)
{
	if (v == NULL || v->kind != VAL_STRING) {
		if (len != NULL)
			*len = 0;
		return NULL;
	}
	if (len != NULL)
		*len = v->u.str.len;
	return v->u.str.s;
}

/*
 * Mustache leaves truthiness to the host language; ours follows the
 * common JavaScript reading, so {{#subtitle}} skips an empty subtitle.
 */
bool
val_truthy(const struct val *v)
{
	if (v == NULL)
		return false;
	switch (v->kind) {
	case VAL_NULL:
		return false;
	case VAL_BOOL:
		return v->u.b;
	case VAL_STRING:
		return v->u.str.len > 0;
	case VAL_LIST:
		return v->u.list.count > 0;
	case VAL_MAP:
		return true;
	}
	return false;
}

size_t
val_list_count(const struct val *v)
{
	return v != NULL && v->kind == VAL_LIST ? v->u.list.count : 0;
}

const struct val *
val_list_item(const struct val *v, size_t i)
{
	if (v == NULL || v->kind != VAL_LIST || i >= v->u.list.count)
		return NULL;
	return v->u.list.items[i];
}

size_t
val_map_count(const struct val *v)
{
	return v != NULL && v->kind == VAL_MAP ? v->u.map.count : 0;
}

const char *
val_map_key(const struct val *v, size_t i)
{
	return i < val_map_count(v) ? v->u.map.items[i].key : NULL;
}

const struct val *
val_map_value(const struct val *v, size_t i)
{
	return i < val_map_count(v) ? v->u.map.items[i].value : NULL;
}

/*
 * Writes v out so that two views serialise alike exactly when a template
 * renders them alike: every node is tagged with its kind, strings and
 * keys carry their lengths, and a map's keys go in insertion order (a
 * later set of a key shadows the earlier, so both are written).
 */
static void
serialise(const struct val *v, struct buf *out)
{
	uint64_t n;
	size_t i;

	buf_putc(out, (char)(v == NULL ? VAL_NULL : v->kind));
	if (v == NULL)
		return;
	switch (v->kind) {
	case VAL_NULL:
		break;
	case VAL_BOOL:
		buf_putc(out, (char)v->u.b);
		break;
	case VAL_STRING:
		n = v->u.str.len;
		buf_append(out, &n, sizeof(n));
		buf_append(out, v->u.str.s, v->u.str.len);
		break;
	case VAL_LIST:
		n = v->u.list.count;
		buf_append(out, &n, sizeof(n));
		for (i = 0; i < v->u.list.count; i++)
			serialise(v->u.list.items[i], out);
		break;
	case VAL_MAP:
		n = v->u.map.count;
		buf_append(out, &n, sizeof(n));
		for (i = 0; i < v->u.map.count; i++) {
			n = v->u.map.items[i].keylen;
			buf_append(out, &n, sizeof(n));
			buf_append(out, v->u.map.items[i].key, n);
			serialise(v->u.map.items[i].value, out);
		}
		break;
	}
}

/*
 * One XXH3 over the whole serialisation: hashing each small piece as it
 * comes costs several times more in the hash's per-call work.
 */
uint64_t
val_hash(const struct val *v, uint64_t seed, struct buf *scratch)
{
	buf_truncate(scratch, 0);
	serialise(v, scratch);
	return XXH3_64bits_withSeed(buf_str(scratch), scratch->len, seed);
}
