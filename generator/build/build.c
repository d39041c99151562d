#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../load/content.h"
#include "../render/search.h"
#include "../util/fs.h"
#include "../util/pool.h"
#include "../util/xalloc.h"

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

const struct cache_page *
build_cached_page(const struct render_job *job, const char *path)
{
	const struct strmap_entry *e;

	if (job->cache == NULL || job->out == NULL)
		return NULL;
	e = strmap_get(&job->cache->pages, path, strlen(path));
	return e != NULL ? e->value : NULL;
}

/*
 * Keeps the page the last build wrote, if the file is as it left it; its
 * links join the check later (linkcheck_add_kept).
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
	struct render_worker *w = &job->workers[worker];
	const struct page *p = &job->pages[i];
	struct page_result *res = &job->results[i];
	char *path = pages_path(job->site, p);
	const struct cache_page *prev = build_cached_page(job, path);
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

/* Adds the time since *t to phase i and restarts the clock. */
static void
lap(struct build_stats *st, int i, double *t)
{
	double now = now_ms();

	st->phase_ms[i] += now - *t;
	*t = now;
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
	linkcheck_add_kept(job, links);
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
	struct linkcheck_files known = LINKCHECK_FILES_INIT;
	struct render_job job = { 0 };
	struct output_stats ost;
	struct page *pages = NULL;
	char *assets = NULL, *cache_file = NULL;
	struct record_fill fill = RECORD_FILL_INIT;
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
		linkcheck_know_pages(&known.names, site, pages, job.npages);
	st->rendered = render_all(&job, &links, d, &io_errors);
	if (stopped(opt, d)) {
		rc = 3;
		goto out;
	}
	/* Before the cache's records are made: they keep these ids. */
	linkcheck_gather_anchors(&job, &links, &anchors);
	/*
	 * The cache's records are final: made while the index is, when they
	 * are mostly the last build's, kept where they lie.  Made from
	 * nothing, they would add their size to the index's at its peak.
	 */
	if (out != NULL && cache.loaded)
		record_start(&fill, &job, started_ns);
	assets = fs_join(opt->site_dir, "assets");
	if (files_put_assets(out, &known.names, assets, "assets",
	    site->config.max_file_size, d) == -1 ||
	    files_put_sources(out, &known.names, site, d) == -1)
		io_errors++;
	lap(st, 2, &t);
	if (files_put_search(out, &known.names, site, opt, &cache, cache_file,
	    started_ns, d) == -1)
		io_errors++;
	lap(st, 3, &t);
	if (io_errors > 0 || stopped(opt, d)) {
		rc = 3;
		goto out;
	}
	links_check(&links, linkcheck_has, &known, &anchors, linkcheck_locate,
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
			record_start(&fill, &job, started_ns);
		/*
		 * The cache names each tree by its folder: a build cut short
		 * after the swap leaves one that still holds for both.
		 */
		committed = output_commit(out, &ost, d);
		record_wait(&fill);
		if (committed == -1) {
			rc = 3;
			goto out;
		}
		buf_free(&fill.w.related);
		fill.w.related = memo.next;
		memo.next = (struct buf)BUF_INIT;
		record_save(&fill, out, cache_file, d);
		lap(st, 5, &t);
		st->pages = ost.files;
		st->written = ost.written;
		st->removed = ost.removed;
	}
	rc = 0;
out:
	record_wait(&fill);
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
	linkcheck_wanted_free(&job.wanted);
	strmap_free(&known.names);
	output_free(out);
	tmpl_set_free(templates);
	site_free(site);
	content_free(&c);
	cache_free(&cache);
	return rc;
}
