/*
 * Shards, as shards.h describes them: how many there are, and their
 * terms one at a time, written and read.
 */
#include "shards.h"

#include "terms.h"

#define SHARD_TARGET	2048	/* bytes a shard holds on average */

unsigned
search_shard_bits(uint64_t total)
{
	unsigned bits = SEARCH_SHARD_BITS_MIN;

	while (bits < SEARCH_SHARD_BITS_MAX && (total >> bits) > SHARD_TARGET)
		bits++;
	return bits;
}

uint64_t
search_term_size(size_t keylen, size_t entrylen)
{
	return keylen + entrylen + 4;
}

void
search_shard_next(struct search_reader *r, uint64_t *left,
    struct search_shard_term *t)
{
	t->valid = false;
	if (*left == 0 || r->bad)
		return;
	(*left)--;
	t->keylen = (size_t)search_read_varint(r);
	if (r->bad || t->keylen > SEARCH_KEY_MAX || r->len - r->pos < t->keylen)
		goto bad;
	t->key = (const char *)r->p + r->pos;
	r->pos += t->keylen;
	t->len = (size_t)search_read_varint(r);
	if (r->bad || r->len - r->pos < t->len)
		goto bad;
	t->entry = r->p + r->pos;
	r->pos += t->len;
	t->valid = true;
	return;
bad:
	r->bad = true;
}

void
search_shard_append(struct buf *b, const char *key, size_t keylen,
    const void *entry, size_t len)
{
	search_put_varint(b, keylen);
	buf_append(b, key, keylen);
	search_put_varint(b, len);
	buf_append(b, entry, len);
}
