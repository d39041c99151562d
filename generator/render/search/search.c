/*
 * The search index, read by assets/search.js.  Everything a query needs
 * comes in small files, so a reader fetches a few kilobytes, not the
 * whole index: the manifest once, the shards of the query's terms, and
 * the text of the ten or so articles shown.  Shards and articles are
 * packed many to a file, each read alone by a range of it (packs.h).
 * Paths are relative to the folder, so the site works under any
 * sub-path.  Every file but index.json is a script (bytes.h says why and
 * how).
 *
 *   search/index.json  the manifest: format, build (a hash of the other
 *                      files, which the script adds to their addresses so
 *                      no cache mixes two builds), docs (article count),
 *                      shards (bits of the term hash that pick a shard),
 *                      pack and digits (members of a pack and hex digits
 *                      of its offsets, packs.h), provinces as [name,
 *                      first, end) ranges of article numbers (site order
 *                      groups them), theme slugs, and chars, the
 *                      characters article files code in one byte
 *   search/index.js    the same as a script, jicengSearch("index", {...})
 *   search/shards/N.js shards N * pack on: the terms (shards.h, terms.h,
 *                      sets.h)
 *   search/docs/N.js   articles N * pack on in site order: their text
 *                      (docs.h)
 *   search/t/N.js      a set (sets.h): the articles that carry theme N
 *
 * The folder's files, in the order a build uses them:
 *
 *   search.c   this: search_write, which patches the previous index
 *              or makes one from nothing, then the themes and manifest
 *   state.c    what a build keeps for the next one to patch from
 *   patch.c    the patch: the changed articles' terms merged in
 *   full.c     the index from nothing, on every core
 *   pass.c     what those two share: reading bodies, putting files
 *   packs.c    the files shards and articles are packed in
 *   docs.c     an article's text and the code of its file
 *   terms.c    the terms of a text and the articles posted to each
 *   sets.c     the codes of sets and of a term's entry
 *   shards.c   the files of terms
 *   bytes.c    varints, and the script each file is wrapped in
 */
#include "../search.h"

#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "../../util/buf.h"
#include "../../util/pool.h"
#include "../../util/ser.h"
#include "../../util/xalloc.h"
#include "bytes.h"
#include "full.h"
#include "packs.h"
#include "pass.h"
#include "patch.h"
#include "search_chars.h"
#include "sets.h"
#include "state.h"

#define SEARCH_FORMAT	4

const char *const search_folders[] = { "search/docs", "search/shards",
    NULL };

static void
write_themes(struct search_pass *job, uint64_t *hashes)
{
	const struct site *s = job->site;
	struct buf b = BUF_INIT;
	uint32_t *ids = NULL;
	size_t i, k, n;
	char path[64];

	for (i = 0; i < s->nthemes; i++) {
		n = s->themes[i].articles.count;
		ids = xreallocarray(ids, n ? n : 1, sizeof(*ids));
		for (k = 0; k < n; k++)
			ids[k] = (uint32_t)s->themes[i].articles.items[k];
		buf_truncate(&b, 0);
		search_set_put(&b, ids, n, (uint32_t)s->narticles);
		snprintf(path, sizeof(path), "search/t/%zu.js", i);
		search_pass_put(job, 0, path, b.data, b.len, &hashes[i]);
	}
	buf_free(&b);
	free(ids);
}

/* jansson fails only when memory runs out; stop as xmalloc does. */
static void *
must(void *v)
{
	if (v == NULL) {
		fputs("jiceng: error: out of memory\n", stderr);
		abort();
	}
	return v;
}

/*
 * Provinces as [name, first, end): site order sorts articles by province,
 * so each one's articles are consecutive.
 */
static json_t *
province_ranges(const struct site *s)
{
	json_t *list = must(json_array());
	size_t *first = xcalloc(s->nprovinces + 1, sizeof(*first));
	size_t *end = xcalloc(s->nprovinces + 1, sizeof(*end));
	size_t i, p;

	for (i = 0; i < s->narticles; i++) {
		if ((p = s->articles[i].province) == SITE_NONE)
			continue;
		if (end[p] == 0)
			first[p] = i;
		end[p] = i + 1;
	}
	for (p = 0; p < s->nprovinces; p++)
		if (end[p] > 0)
			json_array_append_new(list, must(json_pack("[s,i,i]",
			    s->provinces[p].name, (json_int_t)first[p],
			    (json_int_t)end[p])));
	free(first);
	free(end);
	return list;
}

/*
 * Names the version of the index by the hashes of its files, so readers
 * never mix files of two builds; a patched index names itself as a new
 * one would.
 */
static uint64_t
build_id(const struct search_pass *job, const uint64_t *themes)
{
	struct buf b = BUF_INIT;
	size_t i, nshards = (size_t)1 << job->bits;
	uint64_t id;

	for (i = 0; i < search_pack_count(nshards); i++)
		ser_u64(&b, job->shard_packs[i]);
	for (i = 0; i < search_pack_count(job->site->narticles); i++)
		ser_u64(&b, job->doc_packs[i]);
	for (i = 0; i < job->site->nthemes; i++)
		ser_u64(&b, themes[i]);
	id = XXH3_64bits(b.data, b.len);
	buf_free(&b);
	return id;
}

static void
write_manifest(struct search_pass *job, uint64_t build)
{
	const struct site *s = job->site;
	json_t *root, *themes = must(json_array());
	char hex[17], *text, *script;
	uint64_t hash;
	size_t i;

	for (i = 0; i < s->nthemes; i++)
		json_array_append_new(themes,
		    must(json_string(s->themes[i].def->slug)));
	snprintf(hex, sizeof(hex), "%016llx", (unsigned long long)build);
	root = must(json_pack("{s:i,s:s,s:i,s:i,s:i,s:i,s:o,s:o,s:s}",
	    "format", SEARCH_FORMAT, "build", hex,
	    "docs", (json_int_t)s->narticles, "shards", (int)job->bits,
	    "pack", SEARCH_PACK_MEMBERS, "digits", SEARCH_PACK_DIGITS,
	    "provinces", province_ranges(s), "themes", themes,
	    "chars", search_chars_one));
	text = must(json_dumps(root, JSON_COMPACT));
	search_pass_put(job, 0, "search/index.json", text, strlen(text), &hash);
	/*
	 * The manifest is JSON, and so a script's object as it is; in ASCII,
	 * since the page cannot tell a file from disk how it is encoded.
	 */
	free(text);
	text = must(json_dumps(root, JSON_COMPACT | JSON_ENSURE_ASCII));
	script = xasprintf(SEARCH_WRAP_HEAD "index\"," "%s);\n", text);
	if (job->out->put(job->out->arg, 0, "search/index.js", script,
	    strlen(script)) == -1)
		atomic_store(&job->failed, 1);
	atomic_fetch_add(&job->put, 1);
	json_decref(root);
	free(script);
	free(text);
}

/*
 * The inputs of an article's text: its page's path and the bytes of its
 * file, which the rest is parsed from.
 */
static void
fingerprint_all(struct search_pass *job)
{
	const struct site *s = job->site;
	size_t i;

	for (i = 0; i < s->narticles; i++)
		job->fingerprints[i] = XXH3_64bits_withSeed(
		    s->articles[i].path, strlen(s->articles[i].path),
		    s->articles[i].src->hash);
}

/* Saves the state of the index just made; returns 0 or -1. */
static int
save_state(const struct search_pass *job)
{
	struct search_state st;

	st.engine = job->opt->engine;
	st.build = job->opt->build;
	st.ndocs = (uint32_t)job->site->narticles;
	st.bits = job->bits;
	st.total = job->total;
	st.fingerprints = job->fingerprints;
	st.doc_packs = job->doc_packs;
	st.shard_packs = job->shard_packs;
	return search_state_save(job->opt->state_path, &st);
}

int
search_write(const struct site *s, const struct search_options *opt,
    const struct search_output *out, struct search_stats *st)
{
	struct search_pass job;
	struct search_patch p;
	uint64_t *themes = xcalloc(s->nthemes + 1, sizeof(*themes));
	int patched;

	memset(st, 0, sizeof(*st));
	memset(&job, 0, sizeof(job));
	memset(&p, 0, sizeof(p));
	job.site = s;
	job.opt = opt;
	job.out = out;
	job.nthreads = pool_threads(opt->threads);
	job.workers = xcalloc(job.nthreads, sizeof(*job.workers));
	job.coder = search_coder_new();
	job.fingerprints = xcalloc(s->narticles + 1,
	    sizeof(*job.fingerprints));
	job.doc_packs = xcalloc(search_pack_count(s->narticles) + 1,
	    sizeof(*job.doc_packs));
	fingerprint_all(&job);
	patched = search_patch_index(&job, &p);
	if (patched == 0)
		search_full_build(&job);
	st->patched = patched == 1;
	st->changed = patched == 1 ? p.nchanged : s->narticles;
	search_patch_free(&p);
	if (patched != -1 && !atomic_load(&job.failed)) {
		write_themes(&job, themes);
		write_manifest(&job, build_id(&job, themes));
		if (opt->state_path != NULL && !atomic_load(&job.failed) &&
		    save_state(&job) == -1)
			st->state_failed = true;
	}
	st->files = search_pack_count((size_t)1 << job.bits) +
	    search_pack_count(s->narticles) + s->nthemes + 2;
	st->put = atomic_load(&job.put);
	free(themes);
	search_pass_free(&job);
	return patched == -1 || atomic_load(&job.failed) ? -1 : 0;
}

/* The whole index in memory, for search_build. */
struct collector {
	pthread_mutex_t lock;
	struct search_files *files;
};

static int
collect(void *arg, size_t worker, const char *path, const void *data,
    size_t len)
{
	struct collector *c = arg;
	struct search_files *f = c->files;
	char *copy = xmalloc(len + 1);

	(void)worker;
	memcpy(copy, data, len);
	copy[len] = '\0';
	pthread_mutex_lock(&c->lock);
	/* Room doubles: a count that is a power of two fills the array. */
	if ((f->count & (f->count - 1)) == 0)
		f->items = xreallocarray(f->items, f->count ? f->count * 2 : 1,
		    sizeof(*f->items));
	f->items[f->count].path = xstrdup(path);
	f->items[f->count].data = copy;
	f->items[f->count].len = len;
	f->count++;
	pthread_mutex_unlock(&c->lock);
	return 0;
}

static int
compare_files(const void *pa, const void *pb)
{
	const struct search_file *a = pa, *b = pb;

	return strcmp(a->path, b->path);
}

void
search_build(const struct site *s, struct search_files *out)
{
	struct search_options opt = { 0 };
	struct search_output sink = { collect, NULL, NULL };
	struct search_stats st;
	struct collector c;

	memset(out, 0, sizeof(*out));
	pthread_mutex_init(&c.lock, NULL);
	c.files = out;
	sink.arg = &c;
	search_write(s, &opt, &sink, &st);
	pthread_mutex_destroy(&c.lock);
	if (out->count > 0)
		qsort(out->items, out->count, sizeof(*out->items),
		    compare_files);
}

void
search_files_free(struct search_files *f)
{
	size_t i;

	if (f == NULL)
		return;
	for (i = 0; i < f->count; i++) {
		free(f->items[i].path);
		free(f->items[i].data);
	}
	free(f->items);
	f->items = NULL;
	f->count = 0;
}
