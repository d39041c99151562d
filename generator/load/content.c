#include "content.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../util/fs.h"
#include "../util/pool.h"
#include "../util/xalloc.h"

struct load_job {
	const char *dir;		/* the articles folder */
	int	 dirfd;			/* open on it, or -1 */
	content_reuse_fn *reuse;
	void	*arg;
	char	**names;
	struct article **out;
	struct diags *diags;		/* one list per item, merged later */
};

static void
load_one(void *arg, size_t worker, size_t i)
{
	struct load_job *job = arg;
	char *fspath = fs_join(job->dir, job->names[i]);
	char *path = fs_join("content/articles", job->names[i]);
	struct article_stamp stamp;

	(void)worker;
	job->out[i] = NULL;
	/* From the folder: one name to look up, not the whole path. */
	if (job->reuse != NULL && job->dirfd != -1 &&
	    article_stamp_at(job->dirfd, job->names[i], &stamp) == 0)
		job->out[i] = job->reuse(job->arg, path, fspath, &stamp);
	if (job->out[i] == NULL)
		job->out[i] = article_load(fspath, path, &job->diags[i]);
	free(fspath);
	free(path);
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

static int
load_articles(struct content *c, const char *dir, size_t nthreads,
    content_reuse_fn *reuse, void *arg, struct diags *d)
{
	struct load_job job = { 0 };
	char **names = NULL;
	size_t n = 0, i, kept = 0;
	int rc = -1;

	job.dir = fs_join(dir, "content/articles");
	job.reuse = reuse;
	job.arg = arg;
	/* Sorted only for messages: the site has an order of its own. */
	if (fs_list_any(job.dir, ".md", &names, &n) == -1) {
		diag_error(d, "content/articles", 0, 0, "cannot list: %s",
		    strerror(errno));
		goto out;
	}
	job.names = names;
	job.dirfd = open(job.dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	job.out = xcalloc(n + 1, sizeof(*job.out));
	job.diags = xcalloc(n + 1, sizeof(*job.diags));
	pool_for(nthreads, n, load_one, &job);
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
	fs_names_free(names, n);
	return rc;
}

int
content_load(struct content *c, const char *dir, size_t nthreads,
    content_reuse_fn *reuse, void *arg, struct diags *d)
{
	char *site = fs_join(dir, "content/site.yaml");
	char *themes = fs_join(dir, "content/themes.yaml");
	size_t errors = d->errors;

	memset(c, 0, sizeof(*c));
	config_load(&c->config, site, "content/site.yaml", d);
	themes_load(&c->themes, themes, "content/themes.yaml", d);
	load_articles(c, dir, nthreads, reuse, arg, d);
	sources_load(&c->sources, dir, d);
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
