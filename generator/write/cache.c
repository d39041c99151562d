#include "cache.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "../util/fs.h"
#include "../util/ser.h"
#include "../util/xalloc.h"

#define CACHE_MAGIC	"JICENGC1"	/* the format; bump on any change */
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

char *
cache_path(const char *site_dir, const char *out_dir)
{
	char *real = realpath(out_dir, NULL), *dir, *path;
	const char *key = real ? real : out_dir;

	dir = fs_join(site_dir, CACHE_DIR);
	path = xasprintf("%s/out-%016llx", dir,
	    (unsigned long long)XXH3_64bits(key, strlen(key)));
	free(dir);
	free(real);
	return path;
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
	read_files(c, &r);
	read_pages(c, &r);
	if (r.bad || r.p != r.end)
		goto out;
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

void
cache_add_page(struct cache_writer *w, const char *path,
    uint64_t fingerprint, const char *const *targets, size_t ntargets)
{
	struct strmap_entry *e;
	bool added;
	size_t i;

	ser_str(&w->pages, path);
	ser_u64(&w->pages, fingerprint);
	ser_u32(&w->pages, (uint32_t)ntargets);
	for (i = 0; i < ntargets; i++) {
		e = strmap_put(&w->target_ids, targets[i], strlen(targets[i]),
		    &added);
		if (added)
			e->value = (void *)(uintptr_t)w->target_ids.count;
		ser_u32(&w->pages, (uint32_t)((uintptr_t)e->value - 1));
	}
	w->npages++;
}

int
cache_save(struct cache_writer *w, const char *path, uint64_t engine,
    struct diags *d)
{
	struct buf payload = BUF_INIT, file = BUF_INIT;
	size_t i;
	int rc = -1;

	ser_u32(&payload, w->nfiles);
	buf_append(&payload, w->files.data, w->files.len);
	ser_u32(&payload, (uint32_t)w->target_ids.count);
	for (i = 0; i < w->target_ids.count; i++)
		ser_str(&payload, w->target_ids.entries[i].key);
	ser_u32(&payload, w->npages);
	buf_append(&payload, w->pages.data, w->pages.len);
	buf_puts(&file, CACHE_MAGIC);
	ser_u64(&file, engine);
	ser_u64(&file, XXH3_64bits(payload.data, payload.len));
	buf_append(&file, payload.data, payload.len);
	if (fs_write_atomic(path, file.data, file.len) == -1) {
		diag_error(d, path, 0, 0, "cannot write the build cache: %s",
		    strerror(errno));
		goto out;
	}
	rc = 0;
out:
	buf_free(&payload);
	buf_free(&file);
	return rc;
}

void
cache_writer_free(struct cache_writer *w)
{
	buf_free(&w->files);
	buf_free(&w->pages);
	strmap_free(&w->target_ids);
}
