#include "content.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../util/fs.h"
#include "../util/pool.h"
#include "../util/strmap.h"
#include "../util/utf8.h"
#include "../util/xalloc.h"

struct load_job {
	const char *dir;		/* the articles folder */
	int	 dirfd;			/* open on it, or -1 */
	size_t	 max;			/* bytes an article may have */
	content_reuse_fn *reuse;
	void	*arg;
	char	**names;		/* as on disk */
	char	**nfc;			/* NFC forms of those that are not
					   in NFC, else NULL; or NULL */
	struct article **out;
	struct diags *diags;		/* one list per item, merged later */
	size_t	 bodies_max;		/* bytes of bodies kept at most */
	atomic_size_t held;		/* bytes of bodies kept so far */
};

static void
load_one(void *arg, size_t worker, size_t i)
{
	struct load_job *job = arg;
	const char *name = job->nfc != NULL && job->nfc[i] != NULL ?
	    job->nfc[i] : job->names[i];
	char *fspath = fs_join(job->dir, job->names[i]);
	char *path = fs_join("content/articles", name);
	struct article_stamp stamp;

	(void)worker;
	job->out[i] = NULL;
	/* From the folder: one name to look up, not the whole path. */
	if (job->reuse != NULL && job->dirfd != -1 &&
	    article_stamp_at(job->dirfd, job->names[i], &stamp) == 0 &&
	    stamp.size <= job->max)
		job->out[i] = job->reuse(job->arg, path, fspath, &stamp);
	if (job->out[i] == NULL) {
		job->out[i] = article_load(fspath, path, job->max,
		    &job->diags[i]);
		if (job->out[i] != NULL && atomic_fetch_add(&job->held,
		    job->out[i]->body_len) > job->bodies_max)
			article_drop_text(job->out[i]);
	}
	free(fspath);
	free(path);
}

/* Whether name i of the job goes before name j when two make one. */
static bool
kept_before(const struct load_job *job, size_t i, size_t j)
{
	if ((job->nfc[i] == NULL) != (job->nfc[j] == NULL))
		return job->nfc[i] == NULL;
	return strcmp(job->names[i], job->names[j]) < 0;
}

/*
 * Names become paths, and two spellings of one name in Unicode (café in
 * NFC and in NFD) would make two pages whose addresses look the same.
 * Sets job->nfc when some name is not in NFC, and reports each two
 * names that come out as one at the file dropped: the one not in NFC,
 * else the later in byte order.  Returns how many were dropped (their
 * names emptied).
 */
static size_t
normalise_names(struct load_job *job, size_t n, struct diags *d)
{
	struct strmap seen = STRMAP_INIT;
	struct strmap_entry *e;
	const char *name;
	char *path;
	size_t i, k, drop, keep, some = 0, dropped = 0;
	bool added;

	job->nfc = xcalloc(n + 1, sizeof(*job->nfc));
	for (i = 0; i < n; i++)
		if ((job->nfc[i] = utf8_nfc_if_needed(job->names[i])) != NULL)
			some++;
	if (some == 0) {
		free(job->nfc);
		job->nfc = NULL;
		return 0;
	}
	for (i = 0; i < n; i++) {
		name = job->nfc[i] != NULL ? job->nfc[i] : job->names[i];
		e = strmap_put(&seen, name, strlen(name), &added);
		if (added) {
			e->value = (void *)i;
			continue;
		}
		k = (size_t)e->value;
		keep = kept_before(job, i, k) ? i : k;
		drop = keep == i ? k : i;
		e->value = (void *)keep;
		path = fs_join("content/articles", job->names[drop]);
		diag_error(d, path, 0, 0, "its name is that of "
		    "content/articles/%s in another Unicode spelling (%s): "
		    "two files cannot make one page; rename or remove one",
		    job->names[keep], job->nfc[drop] != NULL ?
		    "this one is not in NFC" : "that one is not in NFC");
		free(path);
		job->names[drop][0] = '\0';	/* not loaded */
		dropped++;
	}
	strmap_free(&seen);
	return dropped;
}

static int
by_name(const void *a, const void *b, void *names)
{
	return strcmp(((char **)names)[*(const size_t *)a],
	    ((char **)names)[*(const size_t *)b]);
}

/* Moves the articles' messages into d, in the order of their names. */
static void
move_diags(struct load_job *job, size_t n, struct diags *d)
{
	size_t *order, i, some = 0;

	for (i = 0; i < n; i++)
		some += job->diags[i].count;
	if (some == 0)
		return;
	order = xcalloc(n + 1, sizeof(*order));
	for (i = 0; i < n; i++)
		order[i] = i;
	qsort_r(order, n, sizeof(*order), by_name, job->names);
	for (i = 0; i < n; i++)
		diags_move(d, &job->diags[order[i]]);
	free(order);
}

/* Loads the one of the job's articles at i unless it was dropped. */
static void
load_named(void *arg, size_t worker, size_t i)
{
	struct load_job *job = arg;

	if (job->names[i][0] != '\0')
		load_one(arg, worker, i);
	else
		job->out[i] = NULL;
}

static int
load_articles(struct content *c, const char *dir, size_t nthreads,
    size_t bodies_max, content_reuse_fn *reuse, void *arg, struct diags *d)
{
	struct load_job job = { 0 };
	char **names = NULL;
	size_t n = 0, i, kept = 0, dropped;
	int rc = -1;

	job.dir = fs_join(dir, "content/articles");
	job.max = c->config.max_file_size;
	job.reuse = reuse;
	job.arg = arg;
	job.bodies_max = bodies_max;
	/* Sorted only for messages: the site has an order of its own. */
	if (fs_list_any(job.dir, ".md", &names, &n) == -1) {
		diag_error(d, "content/articles", 0, 0, "cannot list: %s",
		    strerror(errno));
		goto out;
	}
	job.names = names;
	dropped = normalise_names(&job, n, d);
	job.dirfd = open(job.dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	job.out = xcalloc(n + 1, sizeof(*job.out));
	job.diags = xcalloc(n + 1, sizeof(*job.diags));
	pool_for(nthreads, n, dropped > 0 ? load_named : load_one, &job);
	move_diags(&job, n, d);
	for (i = 0; i < n; i++)
		if (job.out[i] != NULL)
			job.out[kept++] = job.out[i];
	c->articles = job.out;
	c->narticles = kept;
	rc = 0;
	if (job.dirfd != -1)
		close(job.dirfd);
out:
	free(job.diags);
	free((char *)job.dir);
	if (job.nfc != NULL)
		fs_names_free(job.nfc, n);
	fs_names_free(names, n);
	return rc;
}

int
content_load(struct content *c, const char *dir, size_t nthreads,
    size_t bodies_max, content_reuse_fn *reuse, void *arg, struct diags *d)
{
	char *site = fs_join(dir, "content/site.yaml");
	char *themes = fs_join(dir, "content/themes.yaml");
	size_t errors = d->errors;

	memset(c, 0, sizeof(*c));
	config_load(&c->config, site, "content/site.yaml", d);
	themes_load(&c->themes, themes, "content/themes.yaml",
	    c->config.max_file_size, d);
	load_articles(c, dir, nthreads, bodies_max, reuse, arg, d);
	sources_load(&c->sources, dir, c->config.max_file_size, d);
	free(site);
	free(themes);
	return d->errors > errors ? -1 : 0;
}

void
content_free(struct content *c)
{
	size_t i;

	for (i = 0; i < c->narticles; i++)
		article_free(c->articles[i]);
	free(c->articles);
	sources_free(&c->sources);
	config_free(&c->config);
	themes_free(&c->themes);
	memset(c, 0, sizeof(*c));
}
