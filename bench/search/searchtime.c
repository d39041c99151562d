/*
 * searchtime: times jiceng's search index alone, written as a build
 * writes it (through the output folder, on every core).
 *
 *   searchtime SITE_DIR OUT_DIR [THREADS]
 *
 * Loads the site (every body read), then writes its index into OUT_DIR
 * (which it owns: anything else there is removed) three times: from
 * nothing, with no state; again with nothing changed, patching; and
 * after the middle article in site order gains a sentence at the end
 * of its body, patching.  For each it prints the wall and CPU time of
 * search_write, the files put and kept, and the peak resident memory of
 * the process while it ran (Linux's VmHWM, reset before each run), which
 * includes the loaded site's (printed first).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../generator/load/content.h"
#include "../../generator/model/site.h"
#include "../../generator/render/search.h"
#include "../../generator/util/fs.h"
#include "../../generator/util/pool.h"
#include "../../generator/util/strmap.h"
#include "../../generator/util/xalloc.h"
#include "../../generator/write/output.h"

struct sink {
	struct output *out;
	struct diags *diags;	/* one per worker */
	size_t	 kept;
	pthread_mutex_t lock;
};

static int
put(void *arg, size_t worker, const char *path, const void *data, size_t len)
{
	struct sink *s = arg;

	return output_put(s->out, path, data, len, &s->diags[worker]);
}

static bool
keep(void *arg, size_t worker, const char *path)
{
	struct sink *s = arg;
	bool ok = output_keep(s->out, path);

	(void)worker;
	pthread_mutex_lock(&s->lock);
	s->kept += ok;
	pthread_mutex_unlock(&s->lock);
	return ok;
}

static void
remember(void *arg, const char *path, const struct output_record *r)
{
	struct output_record *copy = xmalloc(sizeof(*copy));

	*copy = *r;
	strmap_put(arg, path, strlen(path), NULL)->value = copy;
}

static void
forget(struct strmap *records)
{
	size_t i;

	for (i = 0; i < records->count; i++)
		free(records->entries[i].value);
	strmap_free(records);
}

static double
ms(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* A field of /proc/self/status, in kB; -1 when it cannot be read. */
static long
status_kb(const char *field)
{
	char line[256];
	long kb = -1;
	size_t n = strlen(field);
	FILE *f = fopen("/proc/self/status", "r");

	while (f != NULL && fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, field, n) == 0 && line[n] == ':')
			kb = strtol(line + n + 1, NULL, 10);
	if (f != NULL)
		fclose(f);
	return kb;
}

/* Starts the peak over from the present (Linux 4.0 and later). */
static void
reset_peak(void)
{
	FILE *f = fopen("/proc/self/clear_refs", "w");

	if (f != NULL) {
		fputs("5", f);
		fclose(f);
	}
}

/* One build's index: written, committed, its records kept for the next. */
static int
run(const char *name, const struct site *site, const char *out_dir,
    const char *state, size_t threads, int64_t build, int64_t committed,
    struct strmap *records)
{
	struct search_options opt = { 0 };
	struct search_output out = { put, keep, NULL };
	struct search_stats st;
	struct output_stats ost;
	struct diags d = DIAGS_INIT;
	struct sink s = { 0 };
	size_t i, nworkers = pool_threads(threads);
	long peak;
	double wall, cpu;
	int rc = -1;

	pthread_mutex_init(&s.lock, NULL);
	s.diags = xcalloc(nworkers, sizeof(*s.diags));
	if ((s.out = output_open(out_dir, &d)) == NULL)
		goto out;
	for (i = 0; i < records->count; i++)
		output_remember(s.out, records->entries[i].key,
		    records->entries[i].value);
	out.arg = &s;
	opt.threads = threads;
	opt.out_dir = out_dir;
	opt.state_path = state;
	opt.engine = 1;
	opt.build = build;
	opt.committed = committed;
	reset_peak();
	wall = ms(CLOCK_MONOTONIC);
	cpu = ms(CLOCK_PROCESS_CPUTIME_ID);
	if (search_write(site, &opt, &out, &st) == -1)
		goto out;
	wall = ms(CLOCK_MONOTONIC) - wall;
	cpu = ms(CLOCK_PROCESS_CPUTIME_ID) - cpu;
	peak = status_kb("VmHWM");
	if (output_commit(s.out, &ost, &d) == -1)
		goto out;
	forget(records);
	if (output_records(s.out, remember, records, &d) == -1)
		goto out;
	printf("%-9s %8.1f ms wall %8.1f ms cpu  %s, %zu articles read, "
	    "%zu files: %zu put (%zu written), %zu kept; peak rss %ld MB\n",
	    name, wall, cpu, st.patched ? "patched" : "built",
	    st.changed, st.files, st.put, ost.written, s.kept, peak / 1024);
	rc = 0;
out:
	for (i = 0; i < d.count; i++)
		fprintf(stderr, "searchtime: %s: %s\n", d.items[i].path,
		    d.items[i].message);
	for (i = 0; i < nworkers; i++)
		diags_free(&s.diags[i]);
	diags_free(&d);
	free(s.diags);
	output_free(s.out);
	pthread_mutex_destroy(&s.lock);
	return rc;
}

/* The edit of bench/run.sh: a sentence at the end of one body. */
static void
edit(struct site *site)
{
	struct article *a = site->articles[site->narticles / 2].src;
	char *text = xasprintf("%.*s（第1次修订）\n", (int)a->body_len,
	    a->body);

	free(a->text);
	a->text = text;
	a->body = text;
	a->body_len = strlen(text);
	a->hash ^= 1;
}

int
main(int argc, char *argv[])
{
	struct content c;
	struct diags d = DIAGS_INIT;
	struct strmap records = STRMAP_INIT;
	struct site *site = NULL;
	size_t threads = argc > 3 ? strtoul(argv[3], NULL, 10) : 0, i;
	char *state = NULL;
	double t;
	int rc = 1;

	if (argc < 3) {
		fputs("usage: searchtime SITE_DIR OUT_DIR [THREADS]\n", stderr);
		return 2;
	}
	t = ms(CLOCK_MONOTONIC);
	if (content_load(&c, argv[1], threads, NULL, NULL, &d) == 0)
		site = site_build(&c.config, &c.themes, c.articles,
		    c.narticles, threads, &d);
	c.articles = NULL;
	c.narticles = 0;
	if (site == NULL)
		goto out;
	printf("loaded    %8.1f ms wall, %zu articles; rss %ld MB\n",
	    ms(CLOCK_MONOTONIC) - t, site->narticles, status_kb("VmRSS") / 1024);
	fs_remove_tree(argv[2]);
	state = xasprintf("%s.state", argv[2]);
	remove(state);
	if (run("full", site, argv[2], state, threads, 1, 0, &records) == -1 ||
	    run("nochange", site, argv[2], state, threads, 2, 1,
	    &records) == -1)
		goto out;
	edit(site);
	if (run("edit", site, argv[2], state, threads, 3, 2, &records) == -1)
		goto out;
	rc = 0;
out:
	for (i = 0; i < d.count; i++)
		fprintf(stderr, "searchtime: %s: %s\n", d.items[i].path,
		    d.items[i].message);
	diags_free(&d);
	forget(&records);
	free(state);
	site_free(site);
	content_free(&c);
	return rc;
}
