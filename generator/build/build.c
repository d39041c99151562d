#include "build.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../load/content.h"
#include "../model/site.h"
#include "../render/pages.h"
#include "../render/search.h"
#include "../render/tmpl.h"
#include "../util/fs.h"
#include "../util/pool.h"
#include "../util/ser.h"
#include "../util/strmap.h"
#include "../util/thread.h"
#include "../util/utf8.h"
#include "../util/xalloc.h"
#include "cache.h"
#include "keys.h"
#include "../write/links.h"
#include "../write/output.h"

/* What each render thread owns. */
struct worker {
	struct val_arena *arena;
	struct buf html;
	struct buf scratch;	/* for fingerprints */
	struct links links;
	struct diags diags;
	size_t	 io_errors;
	size_t	 rendered;
};

/* What became of one page, for the next build's cache. */
struct page_result {
	uint64_t key;			/* of its inputs, or 0 */
	uint64_t fingerprint;
	const struct cache_page *kept;	/* the cache's record, if kept */
	struct link_targets targets;	/* of a page rendered this time */
};

struct render_job {
	const struct build_options *opt;
	const struct site *site;
	const struct tmpl_set *templates;
	uint64_t template_fps[PAGE_KINDS]; /* per page kind */
	struct view_hashes hashes;	/* for fingerprint views */
	struct keys keys;		/* for page keys */
	const struct build_cache *cache;
	struct output *out;
	const struct page *pages;
	size_t	 npages;
	struct page_result *results;
	struct worker *workers;
	atomic_size_t done;
	/*
	 * The pages links name a fragment of: path -> their ids as a struct
	 * page_ids when read from disk for a page kept, else NULL.
	 */
	struct strmap wanted;
};

/* The ids of a page, hashed (links_anchor_hash). */
struct page_ids {
	uint64_t *ids;		/* owned */
	size_t	 n;
};

const char *const build_phase_names[BUILD_PHASES] = {
	"load", "model", "pages", "search", "links", "commit",
};

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Whether the build was asked to stop (a signal, in watch and serve). */
static bool
stopping(const struct build_options *opt)
{
	return opt->stop != NULL && *opt->stop;
}

/* Ends a build asked to stop: nothing more is done, nothing changed. */
static bool
stopped(const struct build_options *opt, struct diags *d)
{
	if (!stopping(opt))
		return false;
	diag_error(d, opt->site_dir, 0, 0, "build interrupted");
	return true;
}

static void
show_progress(struct render_job *job)
{
	size_t done = atomic_fetch_add(&job->done, 1) + 1;

	if (job->opt->progress && (done % 256 == 0 || done == job->npages))
		fprintf(stderr, "\rrendering %zu/%zu pages", done, job->npages);
}

/* What made page p besides its inputs: the binary and its templates. */
static uint64_t
made_by(const struct render_job *job, const struct page *p)
{
	return cache_engine_id() ^ job->template_fps[p->kind];
}

static const struct cache_page *
cached_page(const struct render_job *job, const char *path)
{
	const struct strmap_entry *e;

	if (job->cache == NULL || job->out == NULL)
		return NULL;
	e = strmap_get(&job->cache->pages, path, strlen(path));
	return e != NULL ? e->value : NULL;
}

/*
 * Keeps the page the last build wrote, if the file is as it left it; its
 * links join the check later (add_kept_links).
 */
static bool
keep_page(struct render_job *job, const char *path,
    const struct cache_page *prev, struct page_result *res)
{
	if (!output_keep(job->out, path))
		return false;
	res->kept = prev;
	return true;
}

/*
 * Renders page i unless the last build's page can stay: when its key is
 * the same, or else when its fingerprint is.
 */
static void
render_page(void *arg, size_t worker, size_t i)
{
	struct render_job *job = arg;
	struct worker *w = &job->workers[worker];
	const struct page *p = &job->pages[i];
	struct page_result *res = &job->results[i];
	char *path = pages_path(job->site, p);
	const struct cache_page *prev = cached_page(job, path);
	struct val *view;

	/* Each page a checkpoint: rendering is most of a long build. */
	if (stopping(job->opt))
		goto out;
	res->key = keys_page(job->site, p, &job->hashes, &job->keys,
	    made_by(job, p));
	if (prev != NULL && res->key != 0 && prev->key == res->key) {
		res->fingerprint = prev->fingerprint;
		if (keep_page(job, path, prev, res))
			goto out;
	}
	val_arena_reset(w->arena);
	view = pages_view(job->site, p, w->arena, &job->hashes);
	res->fingerprint = keys_fingerprint(job->site, p, view,
	    made_by(job, p), &w->scratch);
	if (prev != NULL && prev->fingerprint == res->fingerprint &&
	    keep_page(job, path, prev, res))
		goto out;
	/* Only this thread renders this article's page. */
	if (pages_source_hash(job->site, p) != 0 &&
	    article_read_body(job->site->articles[p->index].src,
	    &w->diags) == -1)
		goto out;
	val_arena_reset(w->arena);
	view = pages_view(job->site, p, w->arena, NULL);
	buf_truncate(&w->html, 0);
	if (tmpl_render_page(job->templates, pages_template(p->kind), view,
	    job->site->config.max_page_size, path, &w->html, &w->diags) == -1)
		goto out;
	links_scan(&w->links, path, buf_str(&w->html), w->html.len,
	    &res->targets, &w->diags);
	if (job->out != NULL && output_put(job->out, path, buf_str(&w->html),
	    w->html.len, &w->diags) == -1)
		w->io_errors++;
	w->rendered++;
out:
	free(path);
	show_progress(job);
}

static int
load_templates(struct tmpl_set *set, const char *site_dir, size_t max,
    struct diags *d)
{
	char *dir = fs_join(site_dir, "templates");
	char *path;
	size_t i;
	int rc = -1;

	if (tmpl_load_dir(set, dir, "templates", max, d) == -1)
		goto out;
	for (i = 0; pages_templates[i] != NULL; i++) {
		if (tmpl_has(set, pages_templates[i]))
			continue;
		path = xasprintf("templates/%s.mustache", pages_templates[i]);
		diag_error(d, path, 0, 0, "missing template (every site needs "
		    "it)");
		free(path);
	}
	tmpl_check_names(set, pages_names, d);
	if (tmpl_check(set, d) == -1 || d->errors > 0)
		goto out;
	rc = 0;
out:
	free(dir);
	return rc;
}

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
static int
put_assets(struct output *out, struct strmap *known, const char *fsdir,
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
			if (put_assets(out, known, fspath, path, max, d) == -1)
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
static int
put_sources(struct output *out, struct strmap *known, const struct site *s,
    struct diags *d)
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
static int
put_search(struct output *out, struct strmap *known, struct site *s,
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

/* Where the link check finds the files the site holds. */
struct known {
	struct strmap names;	/* pages and assets; everything without out */
	const struct output *out; /* the files put, or NULL */
	const struct site *site;  /* for where links were written */
};

static int
is_known(const void *arg, const char *path)
{
	const struct known *k = arg;

	return strmap_get(&k->names, path, strlen(path)) != NULL ||
	    (k->out != NULL && output_has(k->out, path));
}

/* The first link of an article's Markdown to a target, as it looks. */
struct link_search {
	const char *page;	/* the article's */
	const char *target;
	unsigned line, col;	/* 0 until found */
};

static void
match_link(void *arg, const char *url, unsigned line, unsigned col)
{
	struct link_search *ls = arg;
	char *target;

	if (ls->line != 0)
		return;
	target = links_target(ls->page, url, strlen(url));
	if (target != NULL && strcmp(target, ls->target) == 0) {
		ls->line = line;
		ls->col = col;
	}
	free(target);
}

/*
 * A broken link an article's Markdown holds is the editor's to mend:
 * it is reported where it was written, not in the page.  Only a failed
 * build looks, so the pages are searched one by one.
 */
static int
locate_link(const void *arg, const char *page, const char *target,
    char **path, unsigned *line, unsigned *col)
{
	const struct site *s = ((const struct known *)arg)->site;
	struct link_search ls = { page, target, 0, 0 };
	struct diags ignored = DIAGS_INIT;
	size_t i;

	for (i = 0; i < s->narticles; i++)
		if (strcmp(s->articles[i].path, page) == 0)
			break;
	if (i < s->narticles)
		pages_body_links(s, i, match_link, &ls, &ignored);
	diags_free(&ignored);
	if (ls.line == 0)
		return -1;
	*path = xstrdup(s->articles[i].src->path);
	*line = ls.line;
	*col = ls.col;
	return 0;
}

/* Every page, for the link check of a build that writes nothing. */
static void
know_pages(struct strmap *known, const struct site *s,
    const struct page *pages, size_t n)
{
	size_t i;
	char *path;

	for (i = 0; i < n; i++) {
		path = pages_path(s, &pages[i]);
		strmap_put(known, path, strlen(path), NULL);
		free(path);
	}
}

/* Adds the time since *t to phase i and restarts the clock. */
static void
lap(struct build_stats *st, int i, double *t)
{
	double now = now_ms();

	st->phase_ms[i] += now - *t;
	*t = now;
}

/*
 * The links of the pages kept, for the check: each target the cache
 * names once, with the first page that links to it and how many do.
 */
static void
add_kept_links(const struct render_job *job, struct links *links)
{
	const struct build_cache *c = job->cache;
	const struct cache_page *kept;
	size_t *count, *first, i, k;
	uint32_t id;
	char *page;

	if (c->ntargets == 0)
		return;
	count = xcalloc(c->ntargets, sizeof(*count));
	first = xcalloc(c->ntargets, sizeof(*first));
	for (i = 0; i < job->npages; i++) {
		if ((kept = job->results[i].kept) == NULL)
			continue;
		for (k = 0; k < kept->ntargets; k++) {
			id = kept->targets[k];
			if (count[id]++ == 0)
				first[id] = i;
		}
	}
	for (id = 0; id < c->ntargets; id++) {
		if (count[id] == 0)
			continue;
		page = pages_path(job->site, &job->pages[first[id]]);
		links_add(links, page, c->targets[id], count[id]);
		free(page);
	}
	free(count);
	free(first);
}

/* The ids of a page kept, as the cache recorded them; caller frees. */
static uint64_t *
kept_ids(const struct cache_page *kept)
{
	uint64_t *ids = xcalloc(kept->nanchors + 1, sizeof(*ids));
	size_t k;

	for (k = 0; k < kept->nanchors; k++)
		ids[k] = ser_get_u64(kept->anchors + 8 * k);
	return ids;
}

/*
 * The ids of a page kept whose ids the cache does not hold: read from the
 * page as the last build left it.  NULL when it cannot be read (then the
 * links into it are reported).
 */
static struct page_ids *
ids_from_disk(const struct render_job *job, const char *path)
{
	struct page_ids *pi = NULL;
	char *fspath = fs_join(job->opt->out_dir, path), *text = NULL;
	size_t len;

	if (fs_read(fspath, &text, &len) == 0) {
		pi = xcalloc(1, sizeof(*pi));
		pi->n = links_page_ids(text, len, &pi->ids);
	}
	free(text);
	free(fspath);
	return pi;
}

/*
 * The ids of the pages that links name a fragment of, for the check: of
 * the pages rendered, from their scan; of those kept, from the cache, or
 * their file when it holds none.  Only those pages, whose paths go into
 * job->wanted for the cache to record their ids: a build that changes
 * one article need not gather the ids of every page.
 */
static void
gather_anchors(struct render_job *job, const struct links *links,
    struct link_anchors *a)
{
	const struct strmap_entry *e;
	struct strmap_entry *w;
	const struct page_result *res;
	const struct cache_page *kept;
	struct page_ids *pi;
	bool *rendered;
	uint64_t *ids;
	const char *hash;
	size_t i;
	char *path;

	for (i = 0; i < links->targets.count; i++) {
		e = &links->targets.entries[i];
		if ((hash = memchr(e->key, '#', e->keylen)) != NULL)
			strmap_put(&job->wanted, e->key,
			    (size_t)(hash - e->key), NULL);
	}
	if (job->wanted.count == 0)
		return;
	rendered = xcalloc(job->wanted.count + 1, sizeof(*rendered));
	for (i = 0; i < job->npages; i++) {
		res = &job->results[i];
		if (res->kept != NULL)
			continue;
		path = pages_path(job->site, &job->pages[i]);
		if ((w = strmap_get(&job->wanted, path, strlen(path))) != NULL) {
			links_anchors_add(a, path, res->targets.anchors,
			    res->targets.nanchors);
			rendered[w - job->wanted.entries] = true;
		}
		free(path);
	}
	for (i = 0; i < job->wanted.count; i++) {
		w = &job->wanted.entries[i];
		if (rendered[i])
			continue;
		path = xstrndup(w->key, w->keylen);
		if ((kept = cached_page(job, path)) != NULL &&
		    kept->anchors_known) {
			ids = kept_ids(kept);
			links_anchors_add(a, path, ids, kept->nanchors);
			free(ids);
		} else if (kept != NULL && job->out != NULL &&
		    (pi = ids_from_disk(job, path)) != NULL) {
			links_anchors_add(a, path, pi->ids, pi->n);
			w->value = pi;
		}
		free(path);
	}
	free(rendered);
}

static void
wanted_free(struct strmap *wanted)
{
	struct page_ids *pi;
	size_t i;

	for (i = 0; i < wanted->count; i++)
		if ((pi = wanted->entries[i].value) != NULL) {
			free(pi->ids);
			free(pi);
		}
	strmap_free(wanted);
}

/*
 * Renders every page whose inputs changed, on every core; merges what the
 * threads found.  Returns how many pages were rendered.
 */
static size_t
render_all(struct render_job *job, struct links *links, struct diags *d,
    size_t *io_errors)
{
	size_t nworkers = pool_threads(job->opt->threads), i, rendered = 0;

	pages_hash(job->site, job->opt->threads, &job->hashes);
	keys_compute(job->site, &job->hashes, job->opt->threads, &job->keys);
	job->workers = xcalloc(nworkers, sizeof(*job->workers));
	for (i = 0; i < nworkers; i++)
		job->workers[i].arena = val_arena_new();
	pool_for(nworkers, job->npages, render_page, job);
	if (job->opt->progress)
		fputs("\r\033[K", stderr);
	for (i = 0; i < nworkers; i++) {
		links_merge(links, &job->workers[i].links);
		diags_move(d, &job->workers[i].diags);
		*io_errors += job->workers[i].io_errors;
		rendered += job->workers[i].rendered;
		val_arena_free(job->workers[i].arena);
		buf_free(&job->workers[i].html);
		buf_free(&job->workers[i].scratch);
	}
	free(job->workers);
	pages_hash_free(&job->hashes);
	keys_free(&job->keys);
	add_kept_links(job, links);
	return rendered;
}

/*
 * A folder without content/ is not a site: one error, an I/O one, rather
 * than one for every file a site would have.
 */
static int
check_site_dir(const char *dir, struct diags *d)
{
	char *content = fs_join(dir, "content");
	struct stat st;
	int rc = 0;

	if (stat(content, &st) == -1 || !S_ISDIR(st.st_mode)) {
		diag_error(d, "content", 0, 0, "no such folder: %s is not a "
		    "site (\"jiceng init\" makes one)", strcmp(dir, ".") == 0 ?
		    "this folder" : dir);
		rc = -1;
	}
	free(content);
	return rc;
}

/* Refuses to prune a folder that holds something other than a site. */
static int
check_out_dir(const char *dir, struct diags *d)
{
	char **names = NULL, *index = fs_join(dir, "index.html");
	size_t n = 0;
	int rc = 0;

	if (fs_list(dir, NULL, &names, &n) == 0 && n > 0 && !fs_exists(index)) {
		diag_error(d, dir, 0, 0, "refusing to write into a folder that "
		    "is not empty and holds no site (no index.html)");
		rc = -1;
	}
	fs_names_free(names, n);
	free(index);
	return rc;
}

static struct article *
reuse_article(void *arg, const char *path, const char *fspath,
    const struct article_stamp *st)
{
	return cache_article(arg, path, fspath, st);
}

/* How often a build that can be stopped looks at the lock again. */
#define LOCK_POLL_NS	100000000

/*
 * Waits for any other build writing the same output folder, saying so
 * when it has to.  Returns the lock (output_lock) or -1.  A build that
 * can be stopped (opt->stop) waits in steps, and stops there too: a
 * signal does not end a blocked flock that restarts after its handler.
 */
static int
lock_output(const struct build_options *opt, struct diags *d)
{
	const struct timespec step = { 0, LOCK_POLL_NS };
	int fd = output_lock(opt->out_dir, false, d);

	if (fd != -2)
		return fd;
	fprintf(stderr, "waiting for another build of %s to end\n",
	    opt->out_dir);
	if (opt->stop == NULL)
		return output_lock(opt->out_dir, true, d);
	while (fd == -2 && !stopped(opt, d)) {
		nanosleep(&step, NULL);
		fd = output_lock(opt->out_dir, false, d);
	}
	return fd == -2 ? -1 : fd;
}

/* Opens the output with what the last build left there. */
static struct output *
open_output(const struct build_options *opt, const struct build_cache *cache,
    struct diags *d)
{
	struct output *out;
	size_t i;

	if (check_out_dir(opt->out_dir, d) == -1 ||
	    (out = output_open(opt->out_dir, d)) == NULL)
		return NULL;
	output_recall(out, &cache->trees[0], &cache->trees[1]);
	for (i = 0; search_folders[i] != NULL; i++)
		output_list(out, search_folders[i]);
	return out;
}

static void
add_file_record(void *arg, const char *path, const struct output_record *r)
{
	cache_add_file(arg, 0, path, r);
}

/*
 * The cache records of the articles and pages, final once the pages are
 * rendered: made on a thread of their own while the search index is made
 * and the commit moves files.
 */
struct cache_fill {
	struct cache_writer w;
	const struct render_job *job;
	struct thread thread;
};

/*
 * Records page i, with its ids when links name a fragment of it (see
 * gather_anchors): the next build finds them there if it keeps it.
 */
static void
fill_page(struct cache_fill *f, size_t i)
{
	const struct render_job *job = f->job;
	const struct page_result *res = &job->results[i];
	const struct strmap_entry *w;
	const struct page_ids *pi;
	uint64_t *ids = NULL;
	char *page = pages_path(job->site, &job->pages[i]);

	w = strmap_get(&job->wanted, page, strlen(page));
	if (res->kept == NULL)
		cache_add_page(&f->w, page, res->key, res->fingerprint,
		    &res->targets.seen, w != NULL ? res->targets.anchors :
		    NULL, res->targets.nanchors);
	else if (w != NULL && (pi = w->value) != NULL)
		cache_add_page_kept(&f->w, page, res->key, res->fingerprint,
		    job->cache, res->kept, pi->ids, pi->n);
	else if (w != NULL && res->kept->anchors_known) {
		ids = kept_ids(res->kept);
		cache_add_page_kept(&f->w, page, res->key, res->fingerprint,
		    job->cache, res->kept, ids, res->kept->nanchors);
	} else
		cache_add_page_kept(&f->w, page, res->key, res->fingerprint,
		    job->cache, res->kept, NULL, 0);
	free(ids);
	free(page);
}

static void *
fill_cache(void *arg)
{
	struct cache_fill *f = arg;
	const struct render_job *job = f->job;
	size_t i;

	for (i = 0; i < job->site->narticles; i++)
		cache_add_article(&f->w, job->site->articles[i].src);
	for (i = 0; i < job->npages; i++)
		fill_page(f, i);
	return NULL;
}

static void
fill_cache_start(struct cache_fill *f, const struct render_job *job,
    int64_t started_ns)
{
	memset(f, 0, sizeof(*f));
	f->w = (struct cache_writer)CACHE_WRITER_INIT;
	f->w.started_ns = started_ns;
	cache_writer_base(&f->w, job->cache);
	f->job = job;
	thread_start(&f->thread, fill_cache, f);
}

static void
fill_cache_wait(struct cache_fill *f)
{
	thread_join(&f->thread);
}

/* Saves what this build left, for the next one; a failure only warns. */
static void
save_cache(struct cache_fill *f, struct output *out, const char *path,
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
	for (i = 0; i < problems.count; i++)
		problems.items[i].level = DIAG_WARNING;
	problems.errors = 0;
	diags_move(d, &problems);
}

static void
fingerprint_templates(struct render_job *job)
{
	size_t k;

	for (k = 0; k < PAGE_KINDS; k++)
		job->template_fps[k] = tmpl_fingerprint(job->templates,
		    pages_template((enum page_kind)k));
}

int
build_run(const struct build_options *opt, struct build_stats *st,
    struct diags *d)
{
	struct content c = { 0 };
	struct site *site = NULL;
	struct tmpl_set *templates = tmpl_set_new();
	struct build_cache cache = BUILD_CACHE_INIT;
	struct output *out = NULL;
	struct links links = LINKS_INIT;
	struct link_anchors anchors = LINK_ANCHORS_INIT;
	struct known known = { STRMAP_INIT, NULL, NULL };
	struct render_job job = { 0 };
	struct output_stats ost;
	struct page *pages = NULL;
	char *assets = NULL, *cache_file = NULL;
	struct cache_fill fill = { .w = CACHE_WRITER_INIT };
	struct related_memo memo = { NULL, 0, BUF_INIT };
	size_t io_errors = 0, i;
	int committed, lock = -1;
	double start = now_ms(), t = start;
	struct timespec started;
	int64_t started_ns;
	int rc = 1;

	memset(st, 0, sizeof(*st));
	clock_gettime(CLOCK_REALTIME, &started);
	started_ns = (int64_t)started.tv_sec * 1000000000 + started.tv_nsec;
	if (check_site_dir(opt->site_dir, d) == -1) {
		rc = 3;
		goto out;
	}
	if (!opt->check_only) {
		if ((lock = lock_output(opt, d)) == -1) {
			rc = 3;
			goto out;
		}
		cache_file = cache_path(opt->site_dir, opt->out_dir);
		cache_load(&cache, cache_file, cache_engine_id());
		/* Opened early: its files are checked while the model is made. */
		if ((out = open_output(opt, &cache, d)) == NULL) {
			rc = 3;
			goto out;
		}
	}
	content_load(&c, opt->site_dir, opt->threads,
	    opt->check_only ? NULL : reuse_article, &cache, d);
	cache_wait(&cache);
	if (stopped(opt, d)) {
		rc = 3;
		goto out;
	}
	/* Once the sources are read, which wants every core. */
	if (out != NULL)
		output_check_ahead(out);
	lap(st, 0, &t);
	if (opt->base_url != NULL &&
	    config_set_base_url(&c.config, opt->base_url) == -1)
		diag_error(d, "--base-url", 0, 0, "must be an absolute http(s) "
		    "URL, not \"%s\"", opt->base_url);
	load_templates(templates, opt->site_dir, c.config.max_file_size, d);
	if (d->errors > 0)
		goto out;
	memo.prev = cache.related;
	memo.prev_len = cache.related_len;
	site = site_build(&c.config, &c.themes, &c.sources, c.articles,
	    c.narticles, opt->threads, opt->check_only ? NULL : &memo, d);
	c.articles = NULL;
	c.narticles = 0;
	lap(st, 1, &t);
	if (site == NULL)
		goto out;
	if (stopped(opt, d)) {
		rc = 3;
		goto out;
	}
	job.opt = opt;
	job.site = site;
	job.templates = templates;
	job.cache = &cache;
	job.out = out;
	job.npages = pages_list(site, &pages);
	job.pages = pages;
	job.results = xcalloc(job.npages + 1, sizeof(*job.results));
	fingerprint_templates(&job);
	known.out = out;
	known.site = site;
	if (out == NULL)
		know_pages(&known.names, site, pages, job.npages);
	st->rendered = render_all(&job, &links, d, &io_errors);
	if (stopped(opt, d)) {
		rc = 3;
		goto out;
	}
	/* Before the cache's records are made: they keep these ids. */
	gather_anchors(&job, &links, &anchors);
	/*
	 * The cache's records are final: made while the index is, when they
	 * are mostly the last build's, kept where they lie.  Made from
	 * nothing, they would add their size to the index's at its peak.
	 */
	if (out != NULL && cache.loaded)
		fill_cache_start(&fill, &job, started_ns);
	assets = fs_join(opt->site_dir, "assets");
	if (put_assets(out, &known.names, assets, "assets",
	    site->config.max_file_size, d) == -1 ||
	    put_sources(out, &known.names, site, d) == -1)
		io_errors++;
	lap(st, 2, &t);
	if (put_search(out, &known.names, site, opt, &cache, cache_file,
	    started_ns, d) == -1)
		io_errors++;
	lap(st, 3, &t);
	if (io_errors > 0 || stopped(opt, d)) {
		rc = 3;
		goto out;
	}
	links_check(&links, is_known, &known, &anchors, locate_link,
	    opt->out_dir, d);
	lap(st, 4, &t);
	if (d->errors > 0)
		goto out;
	if (stopped(opt, d)) {
		rc = 3;
		goto out;
	}
	st->articles = site->narticles;
	if (out != NULL) {
		if (!cache.loaded)
			fill_cache_start(&fill, &job, started_ns);
		/*
		 * The cache names each tree by its folder: a build cut short
		 * after the swap leaves one that still holds for both.
		 */
		committed = output_commit(out, &ost, d);
		fill_cache_wait(&fill);
		if (committed == -1) {
			rc = 3;
			goto out;
		}
		buf_free(&fill.w.related);
		fill.w.related = memo.next;
		memo.next = (struct buf)BUF_INIT;
		save_cache(&fill, out, cache_file, d);
		lap(st, 5, &t);
		st->pages = ost.files;
		st->written = ost.written;
		st->removed = ost.removed;
	}
	rc = 0;
out:
	fill_cache_wait(&fill);
	/* No thread may outlive the build, even one that ends the process. */
	cache_wait(&cache);
	output_close(out);
	if (lock >= 0)
		close(lock);
	st->ms = now_ms() - start;
	if (opt->keep_memory)
		return rc;
	for (i = 0; job.results != NULL && i < job.npages; i++)
		link_targets_free(&job.results[i].targets);
	free(job.results);
	cache_writer_free(&fill.w);
	buf_free(&memo.next);
	free(assets);
	free(cache_file);
	free(pages);
	links_free(&links);
	links_anchors_free(&anchors);
	wanted_free(&job.wanted);
	strmap_free(&known.names);
	output_free(out);
	tmpl_set_free(templates);
	site_free(site);
	content_free(&c);
	cache_free(&cache);
	return rc;
}
