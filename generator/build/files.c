#include "internal.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../render/search.h"
#include "../util/fs.h"
#include "../util/pool.h"
#include "../util/utf8.h"
#include "../util/xalloc.h"
#include "build.h"

/*
 * The name an asset has in the site: its file name in NFC (caller
 * frees).  Sets *clash to the first other name of the folder that comes
 * out the same, or NULL.
 */
static char *
asset_name(char **names, size_t n, size_t i, const char **clash)
{
	char *nfc = utf8_nfc_if_needed(names[i]), *other;
	const char *mine = nfc != NULL ? nfc : names[i];
	size_t k;

	*clash = NULL;
	for (k = 0; nfc != NULL && k < n && *clash == NULL; k++) {
		if (k == i)
			continue;
		other = utf8_nfc_if_needed(names[k]);
		if (strcmp(other != NULL ? other : names[k], mine) == 0)
			*clash = names[k];
		free(other);
	}
	return nfc != NULL ? nfc : xstrdup(names[i]);
}

/*
 * Copies assets/ into the site, below "assets/", skipping dot files and
 * refusing a file larger than max bytes; without out, only names them
 * in known.
 */
int
files_put_assets(struct output *out, struct strmap *known, const char *fsdir,
    const char *rel, size_t max, struct diags *d)
{
	char **names = NULL, *fspath = NULL, *path = NULL, *data = NULL;
	char *name = NULL;
	const char *clash;
	size_t n = 0, i, len = 0;
	struct stat st;
	int rc = -1, err;

	if (fs_list(fsdir, NULL, &names, &n) == -1)
		return errno == ENOENT ? 0 : -1;
	for (i = 0; i < n; i++) {
		if (names[i][0] == '.')
			continue;
		fspath = fs_join(fsdir, names[i]);
		name = asset_name(names, n, i, &clash);
		path = fs_join(rel, name);
		/* Errors of the content, not of I/O: the others go on. */
		if (clash != NULL)
			diag_error(d, path, 0, 0, "\"%s\" and \"%s\" are one "
			    "name in two Unicode spellings: rename or remove "
			    "one", names[i], clash);
		else if (stat(fspath, &st) == 0 && S_ISDIR(st.st_mode)) {
			if (files_put_assets(out, known, fspath, path, max,
			    d) == -1)
				goto out;
		} else if (fs_read_max(fspath, max, &data, &len) == -1) {
			err = errno;
			fs_read_failed(d, path, err, len, max);
			if (err != EFBIG && err != FS_ENOTREG)
				goto out;
		} else if (out == NULL)
			strmap_put(known, path, strlen(path), NULL);
		else if (output_put(out, path, data, len, d) == -1)
			goto out;
		free(data);
		free(fspath);
		free(path);
		free(name);
		data = fspath = path = name = NULL;
	}
	rc = 0;
out:
	free(data);
	free(fspath);
	free(path);
	free(name);
	fs_names_free(names, n);
	return rc;
}

/*
 * Publishes each raw page's text beside its HTML view, byte for byte as
 * printed; without out, only names them in known.
 */
int
files_put_sources(struct output *out, struct strmap *known,
    const struct site *s, struct diags *d)
{
	const struct site_source *ss;
	size_t i;

	for (i = 0; i < s->nsources; i++) {
		ss = &s->sources[i];
		if (out == NULL)
			strmap_put(known, ss->text_path, strlen(ss->text_path),
			    NULL);
		else if (output_put(out, ss->text_path, ss->src->text,
		    ss->src->len, d) == -1)
			return -1;
	}
	return 0;
}

/* What the search index's callbacks share. */
struct search_job {
	struct output *out;
	struct strmap *known;
	pthread_mutex_t lock;	/* guards known */
	struct site *site;
	struct diags *put_diags;	/* one list per worker */
	struct diags *body_diags;	/* one list per article */
};

static void
know_search_file(struct search_job *job, const char *path)
{
	pthread_mutex_lock(&job->lock);
	strmap_put(job->known, path, strlen(path), NULL);
	pthread_mutex_unlock(&job->lock);
}

static int
put_search_file(void *arg, size_t worker, const char *path, const void *data,
    size_t len)
{
	struct search_job *job = arg;

	/* Files put are known to the output (see is_known). */
	if (job->out == NULL) {
		know_search_file(job, path);
		return 0;
	}
	return output_put(job->out, path, data, len, &job->put_diags[worker]);
}

static bool
keep_search_file(void *arg, size_t worker, const char *path)
{
	struct search_job *job = arg;

	(void)worker;
	return job->out != NULL && output_keep(job->out, path);
}

/* Reads again a body the build cache restored without its text. */
static int
read_search_body(void *arg, size_t worker, size_t i)
{
	struct search_job *job = arg;

	(void)worker;
	return article_read_body(job->site->articles[i].src,
	    &job->body_diags[i]);
}

/* The index reads the bodies last: each is freed once it has its words. */
static void
drop_search_body(void *arg, size_t worker, size_t i)
{
	struct search_job *job = arg;

	(void)worker;
	article_drop_body(job->site->articles[i].src);
}

/*
 * Writes the search index, patching the one the last build committed
 * when it can; its files join the site like pages.  Returns -1 after
 * adding to d when a body or a file could not be had.
 */
int
files_put_search(struct output *out, struct strmap *known, struct site *s,
    const struct build_options *opt, const struct build_cache *cache,
    const char *cache_file, int64_t started_ns, struct diags *d)
{
	struct search_job job = { out, known, PTHREAD_MUTEX_INITIALIZER, s,
	    NULL, NULL };
	struct search_output sink = { put_search_file, keep_search_file,
	    &job };
	struct search_options so = { 0 };
	struct search_stats st;
	char *state = NULL;
	size_t i, nworkers = pool_threads(opt->threads);
	int rc;

	job.put_diags = xcalloc(nworkers, sizeof(*job.put_diags));
	job.body_diags = xcalloc(s->narticles + 1, sizeof(*job.body_diags));
	so.threads = opt->threads;
	so.read_body = read_search_body;
	so.drop_body = drop_search_body;
	so.read_arg = &job;
	if (out != NULL && cache_file != NULL) {
		state = xasprintf("%s.search", cache_file);
		so.out_dir = opt->out_dir;
		so.state_path = state;
		so.engine = cache_engine_id();
		so.build = started_ns;
		so.committed = cache->started_ns;
	}
	rc = search_write(s, &so, &sink, &st);
	for (i = 0; i < s->narticles; i++)
		diags_move(d, &job.body_diags[i]);
	for (i = 0; i < nworkers; i++)
		diags_move(d, &job.put_diags[i]);
	if (st.state_failed)
		diag_warning(d, state, 0, 0, "cannot save the search index's "
		    "state: the next build makes it anew");
	free(job.body_diags);
	free(job.put_diags);
	free(state);
	pthread_mutex_destroy(&job.lock);
	return rc;
}
