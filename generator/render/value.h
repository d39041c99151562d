/*
 * The data a template sees: a small tree of maps, lists, strings and
 * booleans, the Mustache "view".  Every node and string lives in an arena
 * that is freed at once after the page is rendered, so building a page's
 * view costs a few pointer bumps and no individual frees.
 */
#ifndef JICENG_VALUE_H
#define JICENG_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum val_kind {
	VAL_NULL,
	VAL_BOOL,
	VAL_STRING,
	VAL_LIST,
	VAL_MAP,
};

struct val_arena;
struct val;

struct val_arena *val_arena_new(void);
/* Frees every value made in the arena; val_arena_free(NULL) does nothing. */
void	 val_arena_free(struct val_arena *a);
/* Forgets every value but keeps the memory for the next page. */
void	 val_arena_reset(struct val_arena *a);
/* Raw arena memory, aligned for any value; lives as long as the arena. */
void	*val_arena_alloc(struct val_arena *a, size_t size);

/* Constructors: the result and any copied text belong to the arena. */
struct val *val_null(struct val_arena *a);
struct val *val_bool(struct val_arena *a, bool b);
/* Copies len bytes of s. */
struct val *val_string(struct val_arena *a, const char *s, size_t len);
struct val *val_cstring(struct val_arena *a, const char *s);
/* Keeps s without copying: s must outlive the arena's next reset. */
struct val *val_string_static(struct val_arena *a, const char *s, size_t len);
struct val *val_stringf(struct val_arena *a, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
struct val *val_list(struct val_arena *a);
struct val *val_map(struct val_arena *a);

/* Appends item to list; order is kept.  Does nothing if list is no list. */
void	 val_push(struct val_arena *a, struct val *list, struct val *item);
/*
 * Sets key in map (key is copied); a later set of the same key wins and
 * keeps the first one's place.  Does nothing if map is no map.
 */
void	 val_set(struct val_arena *a, struct val *map, const char *key,
	    struct val *v);
/* Shorthands for the common cases of val_set. */
void	 val_set_str(struct val_arena *a, struct val *map, const char *key,
	    const char *s);
void	 val_set_bool(struct val_arena *a, struct val *map, const char *key,
	    bool b);

enum val_kind val_kind(const struct val *v);
/*
 * Looks up key (keylen bytes, need not be NUL-terminated) in a map, or
 * an index written in digits in a list; NULL when absent.  A linear
 * scan: views are small.
 */
const struct val *val_get(const struct val *v, const char *key, size_t keylen);
/* The text of a string, or NULL; *len receives its length. */
const char *val_text(const struct val *v, size_t *len);
/* False for NULL, null, false, "" and an empty list; true otherwise. */
bool	 val_truthy(const struct val *v);
size_t	 val_list_count(const struct val *v);
const struct val *val_list_item(const struct val *v, size_t i);
/* A map's keys in the order set (0 for no map), and key i's value. */
size_t	 val_map_count(const struct val *v);
const char *val_map_key(const struct val *v, size_t i);
const struct val *val_map_value(const struct val *v, size_t i);

struct buf;
/*
 * A 64-bit hash of v under seed: views that hash alike render alike.
 * The build cache fingerprints pages this way.  scratch is a buffer the
 * caller keeps between calls, so hashing allocates nothing.
 */
uint64_t val_hash(const struct val *v, uint64_t seed, struct buf *scratch);

#endif
