/*
 * floor: the least work a build of the same site could do, as a yardstick
 * for jiceng's full build.
 *
 *   floor ARTICLES_DIR OUT_DIR FILES BYTES [THREADS]
 *
 * On THREADS threads (default: one per core) it reads every .md file of
 * ARTICLES_DIR, converts the body after the front matter with
 * cmark_markdown_to_html alone, and writes the HTML to
 * OUT_DIR/a<N>/index.html.  Then it writes filler files, OUT_DIR/f<N>/
 * index.html, until there are FILES files holding BYTES bytes in all: the
 * file count and size of the site jiceng wrote.  No templates, no site
 * model, no links, no search index; files are written in place, without
 * the temporary file and rename a safe build needs.  It prints one line:
 * "floor: A articles, F files, B bytes, T ms".
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmark.h>

struct job {
	const char	 *in_dir, *out_dir;
	char		**names;	/* the .md files of in_dir */
	size_t		 *html_bytes;	/* per article, set by its worker */
	size_t		  narticles;
	size_t		  nfillers;	/* filler files to write */
	size_t		  filler_bytes;	/* per filler; the first extra get one more */
	size_t		  extra;
	char		 *filler;	/* filler_bytes + 1 bytes of HTML */
	atomic_size_t	  next;		/* the next item to take */
	atomic_int	  failed;
};

static void
fail(const char *what)
{
	perror(what);
	exit(3);
}

static void *
must(void *p)
{
	if (p == NULL)
		fail("floor");
	return p;
}

/* Reads a whole file; caller frees.  NULL on failure. */
static char *
read_file(const char *path, size_t *len)
{
	struct stat st;
	char *data = NULL;
	ssize_t got;
	size_t off = 0;
	int fd;

	if ((fd = open(path, O_RDONLY)) == -1)
		return NULL;
	if (fstat(fd, &st) == -1)
		goto out;
	data = must(malloc((size_t)st.st_size + 1));
	while (off < (size_t)st.st_size) {
		got = read(fd, data + off, (size_t)st.st_size - off);
		if (got <= 0)
			break;
		off += (size_t)got;
	}
	data[off] = '\0';
	*len = off;
out:
	close(fd);
	return data;
}

/* Writes DIR/NAME/index.html, making the folder as a pretty URL needs. */
static int
write_page(const char *dir, const char *name, const char *data, size_t len)
{
	char path[4096];
	ssize_t put;
	size_t off = 0;
	int fd, rc = -1;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (mkdir(path, 0755) == -1 && errno != EEXIST)
		return -1;
	strncat(path, "/index.html", sizeof(path) - strlen(path) - 1);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd == -1)
		return -1;
	while (off < len) {
		put = write(fd, data + off, len - off);
		if (put <= 0)
			goto out;
		off += (size_t)put;
	}
	rc = 0;
out:
	if (close(fd) == -1)
		rc = -1;
	return rc;
}

/* The body: what follows the closing "---" line of the front matter. */
static const char *
body_of(const char *text, size_t len, size_t *body_len)
{
	const char *end;

	*body_len = len;
	if (strncmp(text, "---\n", 4) != 0)
		return text;
	end = strstr(text + 4, "\n---\n");
	if (end == NULL)
		return text;
	end += 5;
	*body_len = len - (size_t)(end - text);
	return end;
}

static void
convert_article(struct job *j, size_t i)
{
	char path[4096], name[32], *text, *html;
	const char *body;
	size_t len, body_len;

	snprintf(path, sizeof(path), "%s/%s", j->in_dir, j->names[i]);
	if ((text = read_file(path, &len)) == NULL) {
		perror(path);
		j->failed = 1;
		return;
	}
	body = body_of(text, len, &body_len);
	html = must(cmark_markdown_to_html(body, body_len, CMARK_OPT_DEFAULT));
	j->html_bytes[i] = strlen(html);
	snprintf(name, sizeof(name), "a%zu", i);
	if (write_page(j->out_dir, name, html, j->html_bytes[i]) == -1) {
		perror(j->out_dir);
		j->failed = 1;
	}
	free(html);
	free(text);
}

static void *
convert_worker(void *arg)
{
	struct job *j = arg;
	size_t i;

	while ((i = atomic_fetch_add(&j->next, 1)) < j->narticles)
		convert_article(j, i);
	return NULL;
}

static void *
filler_worker(void *arg)
{
	struct job *j = arg;
	char name[32];
	size_t i;

	while ((i = atomic_fetch_add(&j->next, 1)) < j->nfillers) {
		snprintf(name, sizeof(name), "f%zu", i);
		if (write_page(j->out_dir, name, j->filler,
		    j->filler_bytes + (i < j->extra)) == -1) {
			perror(j->out_dir);
			j->failed = 1;
		}
	}
	return NULL;
}

static void
run_threads(struct job *j, size_t nthreads, void *(*worker)(void *))
{
	pthread_t *threads = must(calloc(nthreads, sizeof(*threads)));
	size_t t;

	atomic_store(&j->next, 0);
	for (t = 0; t < nthreads; t++)
		if (pthread_create(&threads[t], NULL, worker, j) != 0)
			fail("pthread_create");
	for (t = 0; t < nthreads; t++)
		pthread_join(threads[t], NULL);
	free(threads);
}

static void
list_articles(struct job *j)
{
	struct dirent *e;
	size_t cap = 0, len;
	DIR *d = opendir(j->in_dir);

	if (d == NULL)
		fail(j->in_dir);
	while ((e = readdir(d)) != NULL) {
		len = strlen(e->d_name);
		if (len < 4 || strcmp(e->d_name + len - 3, ".md") != 0)
			continue;
		if (j->narticles == cap) {
			cap = cap ? cap * 2 : 1024;
			j->names = must(realloc(j->names,
			    cap * sizeof(*j->names)));
		}
		j->names[j->narticles++] = must(strdup(e->d_name));
	}
	closedir(d);
}

/*
 * The fillers share the bytes the articles' HTML leaves of BYTES; their
 * content is article HTML repeated, so it costs what a page costs.
 */
static void
plan_fillers(struct job *j, size_t files, size_t bytes)
{
	size_t written = 0, i, off, n;
	char path[4096], *html;

	for (i = 0; i < j->narticles; i++)
		written += j->html_bytes[i];
	if (files <= j->narticles || bytes <= written)
		return;
	j->nfillers = files - j->narticles;
	j->filler_bytes = (bytes - written) / j->nfillers;
	j->extra = (bytes - written) % j->nfillers;
	j->filler = must(malloc(j->filler_bytes + 2));
	snprintf(path, sizeof(path), "%s/a0/index.html", j->out_dir);
	html = read_file(path, &n);
	if (html == NULL || n == 0)
		fail(path);
	for (off = 0; off < j->filler_bytes + 1; off++)
		j->filler[off] = html[off % n];
	free(html);
}

static size_t
total_bytes(const struct job *j)
{
	size_t total = j->nfillers * j->filler_bytes + j->extra, i;

	for (i = 0; i < j->narticles; i++)
		total += j->html_bytes[i];
	return total;
}

int
main(int argc, char **argv)
{
	struct job j;
	struct timespec t0, t1;
	size_t files, bytes, nthreads;
	long cores = sysconf(_SC_NPROCESSORS_ONLN);

	if (argc < 5) {
		fputs("usage: floor ARTICLES_DIR OUT_DIR FILES BYTES "
		    "[THREADS]\n", stderr);
		return 2;
	}
	memset(&j, 0, sizeof(j));
	j.in_dir = argv[1];
	j.out_dir = argv[2];
	files = strtoull(argv[3], NULL, 10);
	bytes = strtoull(argv[4], NULL, 10);
	nthreads = argc > 5 ? strtoul(argv[5], NULL, 10) :
	    cores > 0 ? (size_t)cores : 1;
	if (nthreads == 0)
		nthreads = 1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (mkdir(j.out_dir, 0755) == -1 && errno != EEXIST)
		fail(j.out_dir);
	list_articles(&j);
	if (j.narticles == 0) {
		fprintf(stderr, "floor: no .md files in %s\n", j.in_dir);
		return 1;
	}
	j.html_bytes = must(calloc(j.narticles, sizeof(*j.html_bytes)));
	run_threads(&j, nthreads, convert_worker);
	plan_fillers(&j, files, bytes);
	run_threads(&j, nthreads, filler_worker);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (j.failed)
		return 3;
	printf("floor: %zu articles, %zu files, %zu bytes, %.0f ms\n",
	    j.narticles, j.narticles + j.nfillers, total_bytes(&j),
	    (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e6);
	return 0;
}
