#include "internal.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "../util/fs.h"
#include "../util/ser.h"
#include "../util/xalloc.h"
#include "build.h"

int
linkcheck_has(const void *arg, const char *path)
{
	const struct linkcheck_files *k = arg;

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
int
linkcheck_locate(const void *arg, const char *page, const char *target,
    char **path, unsigned *line, unsigned *col)
{
	const struct site *s = ((const struct linkcheck_files *)arg)->site;
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
void
linkcheck_know_pages(struct strmap *known, const struct site *s,
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

/*
 * The links of the pages kept, for the check: each target the cache
 * names once, with the first page that links to it and how many do.
 */
void
linkcheck_add_kept(const struct render_job *job, struct links *links)
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
uint64_t *
linkcheck_kept_ids(const struct cache_page *kept)
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
void
linkcheck_gather_anchors(struct render_job *job, const struct links *links,
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
		if ((kept = cache_page(job->cache, path)) != NULL &&
		    kept->anchors_known) {
			ids = linkcheck_kept_ids(kept);
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

void
linkcheck_wanted_free(struct strmap *wanted)
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
