#include "internal.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../util/xalloc.h"

static void
add_file_record(void *arg, const char *path, const struct output_record *r)
{
	cache_add_file(arg, 0, path, r);
}

/*
 * Records a page rendered this time, its targets named again from their
 * hashes: every target a page names went into the links too, so none is
 * missing.
 */
static void
add_rendered(struct record_fill *f, const char *page,
    const struct page_result *res, bool wanted)
{
	const char **names = xreallocarray(NULL, res->targets.ntargets + 1,
	    sizeof(*names));
	size_t k, n = 0;

	for (k = 0; k < res->targets.ntargets; k++)
		if ((names[n] = link_names_get(&f->job->names,
		    res->targets.targets[k])) != NULL)
			n++;
	cache_add_page(&f->w, page, res->key, res->fingerprint, names, n,
	    wanted ? res->targets.anchors : NULL, res->targets.nanchors);
	free(names);
}

/*
 * Records page i, with its ids when links name a fragment of it (see
 * gather_anchors): the next build finds them there if it keeps it.
 */
static void
fill_page(struct record_fill *f, size_t i)
{
	const struct render_job *job = f->job;
	const struct page_result *res = &job->results[i];
	const struct strmap_entry *w;
	const struct page_ids *pi;
	uint64_t *ids = NULL;
	char *page = pages_path(job->site, &job->pages[i]);

	w = strmap_get(&job->wanted, page, strlen(page));
	if (res->kept == NULL)
		add_rendered(f, page, res, w != NULL);
	else if (w != NULL && (pi = w->value) != NULL)
		cache_add_page_kept(&f->w, page, res->key, res->fingerprint,
		    job->cache, res->kept, pi->ids, pi->n);
	else if (w != NULL && res->kept->anchors_known) {
		ids = linkcheck_kept_ids(res->kept);
		cache_add_page_kept(&f->w, page, res->key, res->fingerprint,
		    job->cache, res->kept, ids, res->kept->nanchors);
	} else
		cache_add_page_kept(&f->w, page, res->key, res->fingerprint,
		    job->cache, res->kept, NULL, 0);
	free(ids);
	free(page);
}

/*
 * Records the articles shard by shard, each written and freed once whole,
 * and each article's digest freed once in its record: made last, from
 * nothing, the records would otherwise add their size to all the
 * digests' at the build's peak.
 */
static void
fill_articles_last(struct record_fill *f)
{
	const struct site *s = f->job->site;
	size_t *first = xcalloc(CACHE_SHARDS + 1, sizeof(*first));
	size_t *order = xcalloc(s->narticles + 1, sizeof(*order));
	unsigned *shard = xcalloc(s->narticles + 1, sizeof(*shard));
	size_t i, at;
	unsigned k;

	/* Site order kept within each shard, as fill_cache has it. */
	for (i = 0; i < s->narticles; i++) {
		shard[i] = cache_shard_of(s->articles[i].src->path);
		first[shard[i] + 1]++;
	}
	for (k = 0; k < CACHE_SHARDS; k++)
		first[k + 1] += first[k];
	for (i = 0; i < s->narticles; i++)
		order[first[shard[i]]++] = i;
	for (k = 0, at = 0; k < CACHE_SHARDS; k++) {
		for (; at < first[k]; at++) {
			cache_add_article(&f->w, s->articles[order[at]].src);
			article_drop_digest(s->articles[order[at]].src);
		}
		cache_save_shard(&f->w, k, f->path, cache_engine_id(),
		    &f->problems);
	}
	free(first);
	free(order);
	free(shard);
}

static void *
fill_cache(void *arg)
{
	struct record_fill *f = arg;
	const struct render_job *job = f->job;
	size_t i;

	if (f->last_use)
		fill_articles_last(f);
	else
		for (i = 0; i < job->site->narticles; i++)
			cache_add_article(&f->w, job->site->articles[i].src);
	for (i = 0; i < job->npages; i++)
		fill_page(f, i);
	return NULL;
}

void
record_start(struct record_fill *f, const struct render_job *job,
    const char *path, int64_t started_ns, bool last_use)
{
	memset(f, 0, sizeof(*f));
	f->path = path;
	f->last_use = last_use;
	f->w = (struct cache_writer)CACHE_WRITER_INIT;
	f->w.started_ns = started_ns;
	cache_writer_base(&f->w, job->cache);
	f->job = job;
	thread_start(&f->thread, fill_cache, f);
}

void
record_wait(struct record_fill *f)
{
	thread_join(&f->thread);
}

/* Saves what this build left, for the next one; a failure only warns. */
void
record_save(struct record_fill *f, struct output *out, const char *path,
    struct diags *d)
{
	struct diags problems = DIAGS_INIT;
	const struct output_tree *back = output_back(out);
	uint64_t dev, ino;
	size_t i;

	/* The tree written, now in front; and the other, the last build's. */
	output_front(out, &dev, &ino);
	cache_set_tree(&f->w, 0, dev, ino);
	if (back != NULL) {
		cache_set_tree(&f->w, 1, back->dev, back->ino);
		for (i = 0; i < back->files.count; i++)
			cache_add_file(&f->w, 1, back->files.entries[i].key,
			    back->files.entries[i].value);
	}
	/*
	 * An old cache left in place would name the wrong files to prune
	 * next time: without one, the next build looks at them all.
	 */
	if (output_records(out, add_file_record, &f->w, &problems) == -1 ||
	    cache_save(&f->w, path, cache_engine_id(), &problems) == -1)
		unlink(path);
	diags_move(&problems, &f->problems);
	for (i = 0; i < problems.count; i++)
		problems.items[i].level = DIAG_WARNING;
	problems.errors = 0;
	diags_move(d, &problems);
}
