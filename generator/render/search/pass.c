/* The steps pass.h names, shared by the index from nothing and the patch. */
#include "pass.h"

#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "bytes.h"

void
search_pass_put_file(struct search_pass *job, size_t worker,
    const char *path, const void *data, size_t len, uint64_t *hash)
{
	*hash = XXH3_64bits(data, len);
	if (job->out->put(job->out->arg, worker, path, data, len) == -1)
		atomic_store(&job->failed, 1);
	atomic_fetch_add(&job->put, 1);
}

void
search_pass_put(struct search_pass *job, size_t worker, const char *path,
    const void *data, size_t len, uint64_t *hash)
{
	struct buf script = BUF_INIT;
	size_t n = strlen(path);

	if (n > 3 && strcmp(path + n - 3, ".js") == 0) {
		search_wrap(&script, path, data, len);
		data = script.data;
		len = script.len;
	}
	search_pass_put_file(job, worker, path, data, len, hash);
	buf_free(&script);
}

void
search_pass_read_body(struct search_pass *job, size_t worker, size_t i)
{
	const struct search_options *opt = job->opt;

	if (opt->read_body != NULL &&
	    opt->read_body(opt->read_arg, worker, i) == -1)
		atomic_store(&job->failed, 1);
}

void
search_pass_drop_body(struct search_pass *job, size_t worker, size_t i)
{
	if (job->opt->drop_body != NULL)
		job->opt->drop_body(job->opt->read_arg, worker, i);
}

void
search_pass_free(struct search_pass *job)
{
	size_t i;

	for (i = 0; i < job->nthreads; i++) {
		buf_free(&job->workers[i].doc);
		buf_free(&job->workers[i].coded);
		search_lz_free(&job->workers[i].lz);
		buf_free(&job->workers[i].shard);
		search_pack_free(&job->workers[i].pack);
		buf_free(&job->workers[i].entries);
		search_scratch_free(&job->workers[i].sc);
		search_postings_free(&job->workers[i].pl);
		search_postings_free(&job->workers[i].other);
	}
	if (job->ix != NULL)
		search_terms_free(job->ix);
	free(job->parts);
	free(job->workers);
	search_coder_free(job->coder);
	free(job->slots);
	free(job->starts);
	free(job->fingerprints);
	free(job->doc_packs);
	free(job->shard_packs);
}
