/*
 * Shards: shard N holds every term whose hash & (2^bits - 1) is N; there
 * are about SHARD_TARGET bytes in each, bits being chosen for that from
 * the size of all the terms.  They are written in packs (packs.h).
 *
 *   shard  varint count, then count terms sorted by key bytes, each
 *          varint keylen, key (UTF-8), varint entrylen, entry (sets.h)
 *
 * Private to render/search/.
 */
#ifndef JICENG_SEARCH_SHARDS_H
#define JICENG_SEARCH_SHARDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../util/buf.h"
#include "bytes.h"

#define SEARCH_SHARD_BITS_MIN	4
#define SEARCH_SHARD_BITS_MAX	14	/* 16384 files at most */

/* One term of a shard file, as read. */
struct search_shard_term {
	const char *key;	/* borrowed from the shard's bytes */
	size_t	 keylen;
	const unsigned char *entry;	/* likewise */
	size_t	 len;
	bool	 valid;		/* false past the last */
};

/* Enough shard bits for terms of total bytes (search_term_size). */
unsigned search_shard_bits(uint64_t total);
/* The bytes a term adds to the index, as search_shard_bits counts them. */
uint64_t search_term_size(size_t keylen, size_t entrylen);

/*
 * Reads the next term of a shard into t, *left being the terms still to
 * read (counted down); t->valid is false past the last, and r->bad is
 * set when the bytes hold no such term.
 */
void	 search_shard_next(struct search_reader *r, uint64_t *left,
	    struct search_shard_term *t);
/* Appends a term to a shard being written (after its count). */
void	 search_shard_append(struct buf *b, const char *key, size_t keylen,
	    const void *entry, size_t len);

#endif
