#include "cache.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "../util/fs.h"
#include "../util/ser.h"
#include "../util/xalloc.h"

#define CACHE_MAGIC	"JICENGC3"	/* the format; bump on any change */
#define CACHE_DIR	".jiceng-cache"

uint64_t
cache_engine_id(void)
{
	static uint64_t id;
	char *exe;
	size_t len;

	/* Computed once: the binary does not change under a running build. */
	if (id != 0)
		return id;
	if (fs_read("/proc/self/exe", &exe, &len) == 0) {
		id = XXH3_64bits(exe, len);
		free(exe);
	} else {
		/* Without the binary's bytes, trust no cache from before. */
		id = XXH3_64bits(__DATE__ __TIME__, sizeof(__DATE__ __TIME__));
		id ^= (uint64_t)rand();
	}
	return id ? id : 1;
}

/*
 * The absolute path out_dir has or will have: a build from nothing must
 * name the same cache as the builds after it, which find the folder.
 */
static char *
resolve_out_dir(const char *out_dir)
{
	char *real = realpath(out_dir, NULL), *parent, *slash, *path;
	size_t len = strlen(out_dir);

	if (real != NULL)
		return real;
	while (len > 1 && out_dir[len - 1] == '/')
		len--;
	parent = xstrndup(out_dir, len);
	slash = strrchr(parent, '/');
	if (slash == NULL)
		real = realpath(".", NULL);
	else {
		*slash = '\0';
		real = realpath(slash == parent ? "/" : parent, NULL);
	}
	path = real == NULL ? xstrdup(out_dir) : xasprintf("%s/%s",
	    strcmp(real, "/") == 0 ? "" : real,
	    slash == NULL ? parent : slash + 1);
	free(parent);
	free(real);
	return path;
}

char *
cache_path(const char *site_dir, const char *out_dir)
{
	char *key = resolve_out_dir(out_dir), *dir, *path;

	dir = fs_join(site_dir, CACHE_DIR);
	path = xasprintf("%s/out-%016llx", dir,
	    (unsigned long long)XXH3_64bits(key, strlen(key)));
	free(dir);
	free(key);
	return path;
}

/* Where an article's record lies within the loaded cache. */
struct cache_record {
	struct article_stamp stamp;
	const unsigned char *data;	/* into the cache's raw bytes */
	size_t	 len;
};

static void
write_stamp(struct buf *b, const struct article_stamp *st)
{
	ser_u64(b, st->size);
	ser_u64(b, (uint64_t)st->mtime_ns);
	ser_u64(b, (uint64_t)st->ctime_ns);
	ser_u64(b, st->ino);
}

static void
read_stamp(struct ser_reader *r, struct article_stamp *st)
{
	st->size = ser_read_u64(r);
	st->mtime_ns = (int64_t)ser_read_u64(r);
	st->ctime_ns = (int64_t)ser_read_u64(r);
	st->ino = ser_read_u64(r);
}

static void
write_digest(struct buf *b, const struct article_digest *g)
{
	size_t i;
	uint32_t bits;

	ser_u64(b, g->themes_hash);
	ser_str(b, g->summary);
	ser_u32(b, (uint32_t)g->npassages);
	for (i = 0; i < g->npassages; i++) {
		ser_str(b, g->passages[i].text);
		ser_u32(b, (uint32_t)g->passages[i].mark_off);
		ser_u32(b, (uint32_t)g->passages[i].mark_len);
	}
	ser_u32(b, (uint32_t)g->nterms);
	for (i = 0; i < g->nterms; i++) {
		ser_u64(b, g->term_keys[i]);
		memcpy(&bits, &g->term_weights[i], sizeof(bits));
		ser_u32(b, bits);
	}
}

static struct article_digest *
read_digest(struct ser_reader *r)
{
	struct article_digest *g = xcalloc(1, sizeof(*g));
	size_t i, n;
	uint32_t bits;

	g->themes_hash = ser_read_u64(r);
	g->summary = ser_read_str(r);
	n = ser_read_u32(r);
	if (n > (size_t)(r->end - r->p)) {
		r->bad = true;
		n = 0;
	}
	g->passages = xcalloc(n + 1, sizeof(*g->passages));
	for (i = 0; i < n && !r->bad; i++) {
		g->passages[i].text = ser_read_str(r);
		g->passages[i].mark_off = ser_read_u32(r);
		g->passages[i].mark_len = ser_read_u32(r);
		g->npassages = i + 1;
		if (g->passages[i].text != NULL &&
		    g->passages[i].mark_off + g->passages[i].mark_len >
		    strlen(g->passages[i].text))
			r->bad = true;
	}
	n = ser_read_u32(r);
	if (n > ARTICLE_TERMS)
		r->bad = true;
	for (i = 0; i < n && !r->bad; i++) {
		g->term_keys[i] = ser_read_u64(r);
		bits = ser_read_u32(r);
		memcpy(&g->term_weights[i], &bits, sizeof(bits));
		g->nterms = i + 1;
	}
	if (r->bad || g->summary == NULL) {
		r->bad = true;
		article_digest_free(g);
		return NULL;
	}
	return g;
}

void
cache_add_article(struct cache_writer *w, const struct article *a)
{
	struct buf *b = &w->articles;
	size_t i;

	if (a->stamp.ino == 0 || a->digest == NULL)
		return;
	ser_str(b, a->path);
	write_stamp(b, &a->stamp);
	ser_u64(b, a->hash);
	ser_str(b, a->stem);
	ser_str(b, a->fspath);
	ser_str(b, a->title);
	ser_str(b, a->province);
	ser_str(b, a->city);
	ser_str(b, a->district);
	ser_str(b, a->author);
	ser_str(b, a->author_title);
	ser_u32(b, (uint32_t)a->nthemes);
	for (i = 0; i < a->nthemes; i++) {
		ser_str(b, a->themes[i]);
		ser_u32(b, a->theme_lines[i]);
		ser_u32(b, a->theme_cols[i]);
	}
	ser_u32(b, (uint32_t)a->kind);
	ser_str(b, a->series);
	ser_str(b, a->source_file);
	ser_u32(b, a->source_line);
	ser_str(b, a->date);
	ser_str(b, a->slug);
	ser_u32(b, a->slug_line);
	ser_u32(b, a->draft);
	ser_u32(b, a->body_line);
	write_digest(b, a->digest);
	w->narticles++;
}

/* Reads the fields after the stamp; NULL when the record is damaged. */
static struct article *
read_article(struct ser_reader *r, const char *path)
{
	struct article *a = xcalloc(1, sizeof(*a));
	size_t i, n;

	a->path = xstrdup(path);
	a->hash = ser_read_u64(r);
	a->stem = ser_read_str(r);
	a->fspath = ser_read_str(r);
	a->title = ser_read_str(r);
	a->province = ser_read_str(r);
	a->city = ser_read_str(r);
	a->district = ser_read_str(r);
	a->author = ser_read_str(r);
	a->author_title = ser_read_str(r);
	n = ser_read_u32(r);
	if (n > (size_t)(r->end - r->p))
		r->bad = true;
	if (!r->bad) {
		a->themes = xcalloc(n + 1, sizeof(*a->themes));
		a->theme_lines = xcalloc(n + 1, sizeof(*a->theme_lines));
		a->theme_cols = xcalloc(n + 1, sizeof(*a->theme_cols));
		for (i = 0; i < n && !r->bad; i++) {
			a->themes[i] = ser_read_str(r);
			a->theme_lines[i] = ser_read_u32(r);
			a->theme_cols[i] = ser_read_u32(r);
			a->nthemes = i + 1;
		}
	}
	a->kind = ser_read_u32(r) ? ARTICLE_KIND_NOTE : ARTICLE_KIND_ARTICLE;
	a->series = ser_read_str(r);
	a->source_file = ser_read_str(r);
	a->source_line = ser_read_u32(r);
	a->date = ser_read_str(r);
	a->slug = ser_read_str(r);
	a->slug_line = ser_read_u32(r);
	a->draft = ser_read_u32(r) != 0;
	a->body_line = ser_read_u32(r);
	if (!r->bad)
		a->digest = read_digest(r);
	if (r->bad || a->title == NULL || a->slug == NULL || a->stem == NULL ||
	    a->fspath == NULL || a->digest == NULL) {
		article_free(a);
		return NULL;
	}
	return a;
}

/* Skips over one article record, keeping where it lies. */
static void
index_articles(struct build_cache *c, struct ser_reader *r)
{
	uint32_t n = ser_read_u32(r), i;
	struct cache_record *rec;
	const unsigned char *start;
	struct article *a;
	char *path;

	for (i = 0; i < n && !r->bad; i++) {
		path = ser_read_str(r);
		rec = xcalloc(1, sizeof(*rec));
		read_stamp(r, &rec->stamp);
		start = r->p;
		/* Parsed once here to find its end, and checked whole. */
		a = path ? read_article(r, path) : NULL;
		if (a == NULL) {
			r->bad = true;
			free(rec);
			free(path);
			break;
		}
		article_free(a);
		rec->data = start;
		rec->len = (size_t)(r->p - start);
		strmap_put(&c->articles, path, strlen(path), NULL)->value = rec;
		free(path);
	}
}

struct article *
cache_article(const struct build_cache *c, const char *path,
    const char *fspath, const struct article_stamp *st)
{
	const struct strmap_entry *e = strmap_get(&c->articles, path,
	    strlen(path));
	const struct cache_record *rec;
	struct ser_reader r;
	struct article *a;

	if (e == NULL)
		return NULL;
	rec = e->value;
	/* A change within the same clock tick would keep the stamp. */
	if (memcmp(&rec->stamp, st, sizeof(*st)) != 0 ||
	    st->mtime_ns >= c->started_ns || st->ctime_ns >= c->started_ns)
		return NULL;
	ser_reader_init(&r, rec->data, rec->len);
	a = read_article(&r, path);
	if (a == NULL)
		return NULL;
	if (strcmp(a->fspath, fspath) != 0) {
		article_free(a);
		return NULL;
	}
	a->stamp = *st;
	return a;
}

static void
read_files(struct build_cache *c, struct ser_reader *r)
{
	uint32_t n = ser_read_u32(r), i;
	struct output_record *rec;
	char *path;

	for (i = 0; i < n && !r->bad; i++) {
		path = ser_read_str(r);
		rec = xmalloc(sizeof(*rec));
		rec->hash = ser_read_u64(r);
		rec->size = ser_read_u64(r);
		rec->mtime_ns = (int64_t)ser_read_u64(r);
		rec->ino = ser_read_u64(r);
		if (path == NULL) {
			r->bad = true;
			free(rec);
			break;
		}
		strmap_put(&c->files, path, strlen(path), NULL)->value = rec;
		free(path);
	}
}

static void
read_pages(struct build_cache *c, struct ser_reader *r)
{
	uint32_t n, i, k, id;
	struct cache_page *p;
	char *path;

	n = ser_read_u32(r);
	c->targets = xcalloc(n + 1, sizeof(*c->targets));
	for (i = 0; i < n && !r->bad; i++)
		c->targets[c->ntargets++] = ser_read_str(r);
	n = ser_read_u32(r);
	for (i = 0; i < n && !r->bad; i++) {
		path = ser_read_str(r);
		p = xcalloc(1, sizeof(*p));
		p->key = ser_read_u64(r);
		p->fingerprint = ser_read_u64(r);
		p->ntargets = ser_read_u32(r);
		if (path == NULL || p->ntargets > (size_t)(r->end - r->p)) {
			r->bad = true;
			free(p);
			free(path);
			break;
		}
		p->targets = xcalloc(p->ntargets + 1, sizeof(*p->targets));
		for (k = 0; k < p->ntargets; k++) {
			id = ser_read_u32(r);
			if (id >= c->ntargets || c->targets[id] == NULL) {
				r->bad = true;
				break;
			}
			p->targets[k] = c->targets[id];
		}
		strmap_put(&c->pages, path, strlen(path), NULL)->value = p;
		free(path);
	}
}

int
cache_load(struct build_cache *c, const char *path, uint64_t engine)
{
	struct ser_reader r;
	char *data = NULL;
	size_t len, head = strlen(CACHE_MAGIC) + 16;
	uint64_t sum;
	int rc = -1;

	if (fs_read(path, &data, &len) == -1 || len < head ||
	    memcmp(data, CACHE_MAGIC, strlen(CACHE_MAGIC)) != 0)
		goto out;
	ser_reader_init(&r, data + strlen(CACHE_MAGIC), 16);
	if (ser_read_u64(&r) != engine)
		goto out;
	sum = ser_read_u64(&r);
	if (XXH3_64bits(data + head, len - head) != sum)
		goto out;
	ser_reader_init(&r, data + head, len - head);
	c->started_ns = (int64_t)ser_read_u64(&r);
	index_articles(c, &r);
	read_files(c, &r);
	read_pages(c, &r);
	if (r.bad || r.p != r.end)
		goto out;
	c->raw = data;
	data = NULL;
	rc = 0;
out:
	if (rc == -1)
		cache_free(c);
	free(data);
	return rc;
}

void
cache_free(struct build_cache *c)
{
	size_t i;

	for (i = 0; i < c->articles.count; i++)
		free(c->articles.entries[i].value);
	strmap_free(&c->articles);
	free(c->raw);
	c->raw = NULL;

	for (i = 0; i < c->files.count; i++)
		free(c->files.entries[i].value);
	strmap_free(&c->files);
	for (i = 0; i < c->pages.count; i++) {
		struct cache_page *p = c->pages.entries[i].value;

		free(p->targets);
		free(p);
	}
	strmap_free(&c->pages);
	for (i = 0; i < c->ntargets; i++)
		free(c->targets[i]);
	free(c->targets);
	c->targets = NULL;
	c->ntargets = 0;
}

void
cache_add_file(struct cache_writer *w, const char *path,
    const struct output_record *r)
{
	ser_str(&w->files, path);
	ser_u64(&w->files, r->hash);
	ser_u64(&w->files, r->size);
	ser_u64(&w->files, (uint64_t)r->mtime_ns);
	ser_u64(&w->files, r->ino);
	w->nfiles++;
}

/* The id of target in the table being written, added on first use. */
static uint32_t
target_id(struct cache_writer *w, const char *target, size_t len)
{
	struct strmap_entry *e;
	bool added;

	e = strmap_put(&w->target_ids, target, len, &added);
	if (added)
		e->value = (void *)(uintptr_t)w->target_ids.count;
	return (uint32_t)((uintptr_t)e->value - 1);
}

void
cache_add_page(struct cache_writer *w, const char *path,
    uint64_t key, uint64_t fingerprint, const struct strmap *targets)
{
	size_t i;

	ser_str(&w->pages, path);
	ser_u64(&w->pages, key);
	ser_u64(&w->pages, fingerprint);
	ser_u32(&w->pages, (uint32_t)targets->count);
	for (i = 0; i < targets->count; i++)
		ser_u32(&w->pages, target_id(w, targets->entries[i].key,
		    targets->entries[i].keylen));
	w->npages++;
}

void
cache_add_page_ids(struct cache_writer *w, const char *path,
    uint64_t key, uint64_t fingerprint, const char *const *targets,
    size_t n)
{
	size_t i;

	ser_str(&w->pages, path);
	ser_u64(&w->pages, key);
	ser_u64(&w->pages, fingerprint);
	ser_u32(&w->pages, (uint32_t)n);
	for (i = 0; i < n; i++)
		ser_u32(&w->pages, target_id(w, targets[i], strlen(targets[i])));
	w->npages++;
}

int
cache_save(struct cache_writer *w, const char *path, uint64_t engine,
    struct diags *d)
{
	struct buf file = BUF_INIT, hash = BUF_INIT;
	size_t i, start;
	int rc = -1;

	/* Room for the payload's hash before it, filled in at the end. */
	buf_puts(&file, CACHE_MAGIC);
	ser_u64(&file, engine);
	ser_u64(&hash, 0);
	buf_append(&file, hash.data, hash.len);
	start = file.len;
	buf_grow(&file, w->articles.len + w->files.len + w->pages.len);
	ser_u64(&file, (uint64_t)w->started_ns);
	ser_u32(&file, w->narticles);
	buf_append(&file, w->articles.data, w->articles.len);
	ser_u32(&file, w->nfiles);
	buf_append(&file, w->files.data, w->files.len);
	ser_u32(&file, (uint32_t)w->target_ids.count);
	for (i = 0; i < w->target_ids.count; i++)
		ser_str(&file, w->target_ids.entries[i].key);
	ser_u32(&file, w->npages);
	buf_append(&file, w->pages.data, w->pages.len);
	buf_truncate(&hash, 0);
	ser_u64(&hash, XXH3_64bits(file.data + start, file.len - start));
	memcpy(file.data + start - hash.len, hash.data, hash.len);
	if (fs_write_atomic(path, file.data, file.len) == -1) {
		diag_error(d, path, 0, 0, "cannot write the build cache: %s",
		    strerror(errno));
		goto out;
	}
	rc = 0;
out:
	buf_free(&file);
	buf_free(&hash);
	return rc;
}

void
cache_writer_free(struct cache_writer *w)
{
	buf_free(&w->articles);
	buf_free(&w->files);
	buf_free(&w->pages);
	strmap_free(&w->target_ids);
}
