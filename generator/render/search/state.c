/*
 * The search index's state, as state.h describes it: its hash tells a
 * file cut short or half rewritten, and its sizes must agree with its
 * counts before anything is read from it.
 */
#include "state.h"

#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "../../util/buf.h"
#include "../../util/fs.h"
#include "../../util/ser.h"
#include "../../util/xalloc.h"
#include "packs.h"
#include "shards.h"

#define STATE_MAGIC	"JICENGS3"	/* the state's format */

void
search_state_free(struct search_state *st)
{
	free(st->fingerprints);
	free(st->doc_packs);
	free(st->shard_packs);
	memset(st, 0, sizeof(*st));
}

int
search_state_load(const struct search_options *opt, struct search_state *st)
{
	struct ser_reader r;
	char *data = NULL;
	size_t len, head = strlen(STATE_MAGIC) + 8, i, ndocpacks, nshardpacks;
	uint64_t sum;
	int rc = -1;

	memset(st, 0, sizeof(*st));
	if (fs_read(opt->state_path, &data, &len) == -1 || len < head ||
	    memcmp(data, STATE_MAGIC, strlen(STATE_MAGIC)) != 0)
		goto out;
	ser_reader_init(&r, data + strlen(STATE_MAGIC), 8);
	sum = ser_read_u64(&r);
	if (XXH3_64bits(data + head, len - head) != sum)
		goto out;
	ser_reader_init(&r, data + head, len - head);
	st->engine = ser_read_u64(&r);
	st->build = (int64_t)ser_read_u64(&r);
	st->ndocs = ser_read_u32(&r);
	st->bits = ser_read_u32(&r);
	st->total = ser_read_u64(&r);
	if (r.bad || st->engine != opt->engine || st->build != opt->committed ||
	    st->bits < SEARCH_SHARD_BITS_MIN ||
	    st->bits > SEARCH_SHARD_BITS_MAX ||
	    ((size_t)st->ndocs + search_pack_count(st->ndocs) +
	    search_pack_count((size_t)1 << st->bits)) * 8 !=
	    (size_t)(r.end - r.p))
		goto out;
	ndocpacks = search_pack_count(st->ndocs);
	nshardpacks = search_pack_count((size_t)1 << st->bits);
	st->shard_packs = xcalloc(nshardpacks, sizeof(*st->shard_packs));
	st->fingerprints = xcalloc(st->ndocs + 1, sizeof(*st->fingerprints));
	st->doc_packs = xcalloc(ndocpacks + 1, sizeof(*st->doc_packs));
	for (i = 0; i < nshardpacks; i++)
		st->shard_packs[i] = ser_read_u64(&r);
	for (i = 0; i < st->ndocs; i++)
		st->fingerprints[i] = ser_read_u64(&r);
	for (i = 0; i < ndocpacks; i++)
		st->doc_packs[i] = ser_read_u64(&r);
	if (r.bad || r.p != r.end)
		goto out;
	rc = 0;
out:
	if (rc == -1)
		search_state_free(st);
	free(data);
	return rc;
}

int
search_state_save(const char *path, const struct search_state *st)
{
	struct buf payload = BUF_INIT, file = BUF_INIT;
	size_t i, nshardpacks = search_pack_count((size_t)1 << st->bits);
	int rc;

	ser_u64(&payload, st->engine);
	ser_u64(&payload, (uint64_t)st->build);
	ser_u32(&payload, st->ndocs);
	ser_u32(&payload, st->bits);
	ser_u64(&payload, st->total);
	for (i = 0; i < nshardpacks; i++)
		ser_u64(&payload, st->shard_packs[i]);
	for (i = 0; i < st->ndocs; i++)
		ser_u64(&payload, st->fingerprints[i]);
	for (i = 0; i < search_pack_count(st->ndocs); i++)
		ser_u64(&payload, st->doc_packs[i]);
	buf_puts(&file, STATE_MAGIC);
	ser_u64(&file, XXH3_64bits(payload.data, payload.len));
	buf_append(&file, payload.data, payload.len);
	rc = fs_overwrite(path, file.data, file.len);
	buf_free(&payload);
	buf_free(&file);
	return rc;
}
