/*
 * The search index's state, kept in a file beside the build cache: what
 * the next build needs to patch this build's index rather than make it
 * anew.
 *
 *   state  "JICENGS3", the XXH3 hash of the rest (8 bytes), then the
 *          binary that wrote it and the build (u64 each), the article
 *          count and shard bits (u32 each), the bytes of all terms
 *          (u64, see search_term_size), the hash of each pack of
 *          shards' file, for each article the fingerprint of its text's
 *          inputs, then the hash of each pack of articles' file (u64
 *          each; util/ser.h's order; packs.h)
 *
 * Private to render/search/.
 */
#ifndef JICENG_SEARCH_STATE_H
#define JICENG_SEARCH_STATE_H

#include <stdint.h>

#include "../search.h"

struct search_state {
	uint64_t engine;	/* the binary that wrote it */
	int64_t	 build;		/* the build that wrote it */
	uint32_t ndocs;
	uint32_t bits;		/* of the shard number */
	uint64_t total;		/* bytes of all terms */
	uint64_t *fingerprints;	/* owned; per article */
	uint64_t *doc_packs;	/* owned; per pack of articles: its hash */
	uint64_t *shard_packs;	/* owned; per pack of shards: its hash */
};

/*
 * Loads the state at opt->state_path into st.  Returns 0, or -1 (st
 * empty) when there is none, it is damaged, or it does not describe the
 * output folder as the build that last committed it left it (opt's
 * engine and committed).
 */
int	 search_state_load(const struct search_options *opt,
	    struct search_state *st);
/* Saves st at path; returns 0 or -1. */
int	 search_state_save(const char *path, const struct search_state *st);
void	 search_state_free(struct search_state *st);

#endif
