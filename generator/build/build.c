/*
 * One build, from content/ to public/.  The data only moves forward,
 * and build/ alone remembers between builds:
 *
 *   load/    reads content/: settings, themes, articles, raw pages; an
 *            article whose file is unchanged comes from its record
 *   model/   makes the site: places, themes, authors, summaries, related
 *            lists (whose memo the cache keeps as the model's bytes)
 *   render/  makes each page's view from the model, and its HTML
 *   build/   keeps a page whose key or fingerprint is the last build's
 *            (keys.c), renders the rest, checks every link, and records
 *            what it did in the cache (cache.c, one container per file)
 *   write/   writes only the bytes that changed, into the back tree, and
 *            swaps it in whole
 *
 * The steps below (the table "steps") follow it: open the output and the
 * cache, read the content, make the model, render the site, check the
 * links, commit.
 */
#include "build.h"

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
#include "internal.h"

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

/*
 * Every so many pages written, their bytes start for the disk while the
 * next are rendered (output_flush_ahead): a large change is then mostly
 * on the disk when the commit must flush it.
 */
#define FLUSH_EVERY	4096

static void
flush_now_and_then(struct render_job *job)
{
	size_t put = atomic_fetch_add(&job->put, 1) + 1;

	if (put % FLUSH_EVERY == 0)
		output_flush_ahead(job->out);
}

/* What made page p besides its inputs: the binary and its templates. */
static uint64_t
made_by(const struct render_job *job, const struct page *p)
{
	return cache_engine_id() ^ job->template_fps[p->kind];
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
 * The bytes of article bodies a build holds through its pages at most,
 * unless told otherwise (build_options.bodies_held_max): beyond, each is
 * freed once its page is rendered, and the search index
 * reads it again (from the page cache, as a rule).  At 100,000 articles
 * the bodies are about 450 MB, the largest thing a build holds; at
 * 10,000, 45 MB, which reading again would cost more than it saves.
 */
#define BODIES_HELD_MAX	((size_t)192 << 20)

static size_t
bodies_max(const struct build_options *opt)
{
	return opt->bodies_held_max ? opt->bodies_held_max : BODIES_HELD_MAX;
}

/* The bytes of the articles' files: their bodies, held or not. */
static size_t
bodies_size(const struct site *s)
{
	size_t i, n = 0;

	for (i = 0; i < s->narticles; i++)
		n += (size_t)s->articles[i].src->stamp.size;
	return n;
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
	const struct cache_page *prev = cache_page(job->cache, path);
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
	if (p->kind == PAGE_ARTICLE &&
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
	else if (job->out != NULL)
		flush_now_and_then(job);
	w->rendered++;
	if (job->drop_bodies && p->kind == PAGE_ARTICLE)
		article_drop_text(job->site->articles[p->index].src);
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
	job->drop_bodies = bodies_size(job->site) > bodies_max(job->opt);
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
	link_names_build(&job->names, links);
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
 * through opt->waiting when it has to.  Returns the lock (output_lock) or -1.  A build that
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
	if (opt->waiting != NULL)
		opt->waiting(opt->arg, opt->out_dir);
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

/* One build's state, from its start to its end: what its steps share. */
struct build {
	const struct build_options *opt;
	struct build_stats *st;
	struct diags *d;
	double	 start, t;		/* when it and the phase began, ms */
	int64_t	 started_ns;		/* when it began, for the cache */
	int	 lock;			/* the output's, or -1 */
	char	*cache_file;		/* owned; NULL in check */
	struct build_cache cache;	/* the last build's memory */
	struct output *out;		/* NULL in check */
	struct content content;
	struct tmpl_set *templates;	/* owned */
	struct related_memo memo;	/* the related lists', both ways */
	struct site *site;		/* owned */
	struct page *pages;		/* owned; job.npages of them */
	struct render_job job;
	struct links links;		/* every page's, for the check */
	struct link_anchors anchors;	/* the ids of the pages linked into */
	struct linkcheck_files known;
	struct record_fill fill;	/* the records for the next build */
	size_t	 io_errors;
};

static void
start_build(struct build *b, const struct build_options *opt,
    struct build_stats *st, struct diags *d)
{
	struct timespec started;

	memset(b, 0, sizeof(*b));
	memset(st, 0, sizeof(*st));
	b->opt = opt;
	b->st = st;
	b->d = d;
	b->start = b->t = now_ms();
	clock_gettime(CLOCK_REALTIME, &started);
	b->started_ns = (int64_t)started.tv_sec * 1000000000 +
	    started.tv_nsec;
	b->lock = -1;
	b->cache = (struct build_cache)BUILD_CACHE_INIT;
	b->templates = tmpl_set_new();
	b->memo = (struct related_memo){ NULL, 0, BUF_INIT };
	b->links = (struct links)LINKS_INIT;
	b->anchors = (struct link_anchors)LINK_ANCHORS_INIT;
	b->known = (struct linkcheck_files)LINKCHECK_FILES_INIT;
	b->fill = (struct record_fill)RECORD_FILL_INIT;
}

/*
 * Each step returns 0 to go on, or the build's exit status: 1 for errors
 * of the content or the templates, 3 for I/O errors and a build stopped.
 */
#define STEP_ON		0
#define STEP_ERRORS	1
#define STEP_IO		3

/*
 * Takes the output's lock, loads the last build's memory and opens the
 * output with it: early, so that its files are checked while the model
 * is made.  A build that writes nothing does none of it.
 */
static int
open_build(struct build *b)
{
	const struct build_options *opt = b->opt;

	if (check_site_dir(opt->site_dir, b->d) == -1)
		return STEP_IO;
	if (opt->check_only)
		return STEP_ON;
	if ((b->lock = lock_output(opt, b->d)) == -1)
		return STEP_IO;
	b->cache_file = cache_path(opt->site_dir, opt->out_dir);
	cache_load(&b->cache, b->cache_file, cache_engine_id());
	if ((b->out = open_output(opt, &b->cache, b->d)) == NULL)
		return STEP_IO;
	return STEP_ON;
}

/*
 * Reads the content, taking the articles whose files are unchanged from
 * the cache, and the templates.
 */
static int
read_content(struct build *b)
{
	const struct build_options *opt = b->opt;

	content_load(&b->content, opt->site_dir, opt->threads,
	    bodies_max(opt), opt->check_only ? NULL : reuse_article,
	    &b->cache, b->d);
	cache_wait(&b->cache);
	if (stopped(opt, b->d))
		return STEP_IO;
	/* Once the sources are read, which wants every core. */
	if (b->out != NULL)
		output_check_ahead(b->out);
	lap(b->st, 0, &b->t);
	if (opt->base_url != NULL &&
	    config_set_base_url(&b->content.config, opt->base_url) == -1)
		diag_error(b->d, "--base-url", 0, 0, "must be an absolute "
		    "http(s) URL, not \"%s\"", opt->base_url);
	load_templates(b->templates, opt->site_dir,
	    b->content.config.max_file_size, b->d);
	return b->d->errors > 0 ? STEP_ERRORS : STEP_ON;
}

/* Makes the site model, the related lists from the cache's memo. */
static int
make_model(struct build *b)
{
	struct content *c = &b->content;

	b->memo.prev = b->cache.related;
	b->memo.prev_len = b->cache.related_len;
	b->site = site_build(&c->config, &c->themes, &c->sources, c->articles,
	    c->narticles, b->opt->threads, b->opt->check_only ? NULL :
	    &b->memo, b->d);
	c->articles = NULL;
	c->narticles = 0;
	lap(b->st, 1, &b->t);
	if (b->site == NULL)
		return STEP_ERRORS;
	return stopped(b->opt, b->d) ? STEP_IO : STEP_ON;
}

/*
 * Renders or keeps every page, then puts the assets, the raw pages and
 * the search index, while the cache's records are made.
 */
static int
render_site(struct build *b)
{
	struct render_job *job = &b->job;
	struct site *s = b->site;
	char *assets;

	job->opt = b->opt;
	job->site = s;
	job->templates = b->templates;
	job->cache = &b->cache;
	job->out = b->out;
	job->npages = pages_list(s, &b->pages);
	job->pages = b->pages;
	job->results = xcalloc(job->npages + 1, sizeof(*job->results));
	fingerprint_templates(job);
	b->known.out = b->out;
	b->known.site = s;
	if (b->out == NULL)
		linkcheck_know_pages(&b->known.names, s, b->pages,
		    job->npages);
	b->st->rendered = render_all(job, &b->links, b->d, &b->io_errors);
	if (stopped(b->opt, b->d))
		return STEP_IO;
	/* Before the cache's records are made: they keep these ids. */
	linkcheck_gather_anchors(job, &b->links, &b->anchors);
	/*
	 * The cache's records are final: made while the index is, when they
	 * are mostly the last build's, kept where they lie.  Made from
	 * nothing, they would add their size to the index's at its peak.
	 */
	if (b->out != NULL && b->cache.loaded)
		record_start(&b->fill, job, b->cache_file, b->started_ns,
		    false);
	assets = fs_join(b->opt->site_dir, "assets");
	if (files_put_assets(b->out, &b->known.names, assets, "assets",
	    s->config.max_file_size, b->d) == -1 ||
	    files_put_sources(b->out, &b->known.names, s, b->d) == -1)
		b->io_errors++;
	free(assets);
	/* The pages are most of the bytes: on the disk while the index is
	   made, the flush before the swap has little left to do. */
	output_flush_ahead(b->out);
	lap(b->st, 2, &b->t);
	if (files_put_search(b->out, &b->known.names, s, b->opt, &b->cache,
	    b->cache_file, b->started_ns, b->d) == -1)
		b->io_errors++;
	lap(b->st, 3, &b->t);
	if (b->io_errors > 0 || stopped(b->opt, b->d))
		return STEP_IO;
	return STEP_ON;
}

/* Checks every link of every page, kept or rendered. */
static int
check_links(struct build *b)
{
	links_check(&b->links, linkcheck_has, &b->known, &b->anchors,
	    linkcheck_locate, b->opt->out_dir, b->d);
	lap(b->st, 4, &b->t);
	if (b->d->errors > 0)
		return STEP_ERRORS;
	return stopped(b->opt, b->d) ? STEP_IO : STEP_ON;
}

/*
 * Swaps the new site in, then saves what this build leaves for the next
 * one.
 */
static int
commit(struct build *b)
{
	struct output_stats ost;
	int committed;

	b->st->articles = b->site->narticles;
	if (b->out == NULL)
		return STEP_ON;
	/*
	 * Made from nothing, the records are made last, when the digests
	 * they copy are read no more: at 100,000 articles, the two at once
	 * were the build's peak.
	 */
	if (!b->cache.loaded)
		record_start(&b->fill, &b->job, b->cache_file, b->started_ns,
		    true);
	/*
	 * The cache names each tree by its folder: a build cut short after
	 * the swap leaves one that still holds for both.
	 */
	committed = output_commit(b->out, &ost, b->d);
	record_wait(&b->fill);
	if (committed == -1)
		return STEP_IO;
	buf_free(&b->fill.w.related);
	b->fill.w.related = b->memo.next;
	b->memo.next = (struct buf)BUF_INIT;
	record_save(&b->fill, b->out, b->cache_file, b->d);
	lap(b->st, 5, &b->t);
	b->st->pages = ost.files;
	b->st->written = ost.written;
	b->st->removed = ost.removed;
	return STEP_ON;
}

/*
 * Waits for every thread the build started, on every path, and lets go
 * of the output; then frees what the build holds, unless the process
 * ends after it.
 */
static void
end_build(struct build *b)
{
	size_t i;

	record_wait(&b->fill);
	/* No thread may outlive the build, even one that ends the process. */
	cache_wait(&b->cache);
	output_close(b->out);
	if (b->lock >= 0)
		close(b->lock);
	b->st->ms = now_ms() - b->start;
	if (b->opt->keep_memory)
		return;
	for (i = 0; b->job.results != NULL && i < b->job.npages; i++)
		link_targets_free(&b->job.results[i].targets);
	free(b->job.results);
	cache_writer_free(&b->fill.w);
	diags_free(&b->fill.problems);
	buf_free(&b->memo.next);
	free(b->cache_file);
	free(b->pages);
	link_names_free(&b->job.names);
	links_free(&b->links);
	links_anchors_free(&b->anchors);
	linkcheck_wanted_free(&b->job.wanted);
	strmap_free(&b->known.names);
	output_free(b->out);
	tmpl_set_free(b->templates);
	site_free(b->site);
	content_free(&b->content);
	cache_free(&b->cache);
}

/* The steps of a build, in order: the data flow of the opening comment. */
static int (*const steps[])(struct build *) = {
	open_build, read_content, make_model, render_site, check_links,
	commit,
};

int
build_run(const struct build_options *opt, struct build_stats *st,
    struct diags *d)
{
	struct build b;
	size_t i;
	int rc = STEP_ON;

	start_build(&b, opt, st, d);
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]) && rc == STEP_ON;
	    i++)
		rc = steps[i](&b);
	end_build(&b);
	return rc;
}
