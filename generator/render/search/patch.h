/*
 * Patching the search index the previous build left.  The state (state.h)
 * says which articles' text changed; only those are read, their old
 * text decoded from their files; only the terms whose postings differ
 * are encoded again, merged into the old shards, which are decoded just
 * far enough.  Any doubt (another binary, another article count, many
 * changes, a file not as recorded, a new shard count) and the index is
 * made anew.  Private to render/search/.
 */
#ifndef JICENG_SEARCH_PATCH_H
#define JICENG_SEARCH_PATCH_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "pass.h"
#include "state.h"
#include "terms.h"

/* A term whose postings the changed articles change (patch.c's). */
struct search_change;

struct search_patch {
	struct search_state st;	/* the previous build's */
	uint32_t *changed;	/* owned; articles whose text changed */
	size_t	 nchanged;
	uint8_t	*is_changed;	/* owned; per article */
	struct search_terms old, now;	/* their terms before and after, the
				   articles numbered as in changed */
	size_t	*doc_packs;	/* owned; packs of articles touched */
	char	**doc_files;	/* owned; per one: its new file */
	size_t	*doc_filelens;
	size_t	 ndoc_packs;
	uint8_t	*doc_touched;	/* owned; per pack of articles */
	struct search_change *changes;	/* owned; by shard, then key */
	size_t	 nchanges;
	size_t	*firsts;	/* owned; per shard touched: first change */
	size_t	 ntouched;	/* shards touched */
	uint8_t	*touched;	/* owned; per shard */
	size_t	*pack_firsts;	/* owned; per pack of shards touched: its
				   first shard touched, in firsts */
	size_t	 nshard_packs;	/* packs of shards touched */
	uint8_t	*shard_touched;	/* owned; per pack of shards */
	char	**shard_files;	/* owned; per one touched: its new file */
	size_t	*shard_filelens;
	int64_t	*deltas;	/* per one touched: bytes it adds */
	atomic_int bad;		/* a file was not as recorded */
};

/*
 * Patches the index the previous build left into p (zeroed by the
 * caller), when the state says what it is and few articles changed.
 * Returns 1 when done (job's bits, total and hashes set), 0 when the
 * index must be built anew (nothing is put then), or -1 when a body
 * could not be read.  Free p with search_patch_free either way.
 */
int	 search_patch_index(struct search_pass *job, struct search_patch *p);
void	 search_patch_free(struct search_patch *p);

#endif
