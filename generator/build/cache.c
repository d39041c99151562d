#include "cache.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xxhash.h>

#include "../load/article_record.h"
#include "../util/fs.h"
#include "../util/ser.h"
#include "../util/thread.h"
#include "../util/xalloc.h"
#include "container.h"

/*
 * The sections of the main file and of a shard (build/container.h),
 * known only here; integers and strings as util/ser.h writes them.
 *
 *	started		u64: when the build that wrote the file began
 *	tree.written	the tree that build wrote: u64 device, u64 inode,
 *	tree.other	u32 count, then per file: path, u64 hash, u64 size,
 *			u64 mtime, u64 inode (write/output.h's records)
 *	targets		u32 count, then the paths pages link to, by id
 *	pages		u32 count, then per page: path, u64 key, u64
 *			fingerprint, u32 count and the u32 ids of its targets,
 *			u32 count (ANCHORS_UNKNOWN: none kept) and u64 ids
 *	related		model/related.h's memo: the model's own bytes
 *	articles	(a shard's) u32 count, then per article: u32 length
 *			and its record (load/article_record.h's bytes)
 */
#define SECTION_STARTED		"started"
#define SECTION_TREE_WRITTEN	"tree.written"
#define SECTION_TREE_OTHER	"tree.other"
#define SECTION_TARGETS		"targets"
#define SECTION_PAGES		"pages"
#define SECTION_RELATED		"related"
#define SECTION_ARTICLES	"articles"

/* The folder of the caches, in the site's. */
#define CACHE_DIR	".jiceng-cache"

/* Hashes the running program's GNU build id, if it has one, into arg. */
static int
hash_build_id(struct dl_phdr_info *info, size_t size, void *arg)
{
	const ElfW(Phdr) *ph;
	const ElfW(Nhdr) *note;
	const char *p, *end, *name;
	size_t i;

	(void)size;
	for (i = 0; i < info->dlpi_phnum; i++) {
		ph = &info->dlpi_phdr[i];
		if (ph->p_type != PT_NOTE)
			continue;
		p = (const char *)(info->dlpi_addr + ph->p_vaddr);
		end = p + ph->p_memsz;
		while ((size_t)(end - p) >= sizeof(*note)) {
			note = (const ElfW(Nhdr) *)(const void *)p;
			name = p + sizeof(*note);
			p = name + ((note->n_namesz + 3) & ~3u);
			if ((size_t)(end - p) < note->n_descsz)
				break;
			if (note->n_type == NT_GNU_BUILD_ID &&
			    note->n_namesz == 4 && memcmp(name, "GNU", 4) == 0 &&
			    note->n_descsz > 0) {
				*(uint64_t *)arg = XXH3_64bits(p,
				    note->n_descsz);
				return 1;
			}
			p += (note->n_descsz + 3) & ~3u;
		}
	}
	return 1;	/* the program comes first: no need to go on */
}

static uint64_t engine_id;
static pthread_once_t engine_once = PTHREAD_ONCE_INIT;

/* Sets engine_id, once: several threads ask for it at once. */
static void
find_engine_id(void)
{
	uint64_t id = 0;
	char *exe;
	size_t len;

	/* The linker's build id hashes the whole binary already. */
	dl_iterate_phdr(hash_build_id, &id);
	if (id == 0 && fs_read("/proc/self/exe", &exe, &len) == 0) {
		id = XXH3_64bits(exe, len);
		free(exe);
	} else if (id == 0) {
		/* Without the binary's bytes, trust no cache from before. */
		id = XXH3_64bits(__DATE__ __TIME__, sizeof(__DATE__ __TIME__));
		id ^= (uint64_t)rand();
	}
	engine_id = id != 0 ? id : 1;
}

uint64_t
cache_engine_id(void)
{
	/* Computed once: the binary does not change under a running build. */
	pthread_once(&engine_once, find_engine_id);
	return engine_id;
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
	const char *path;	/* into the shard's bytes */
	struct article_stamp stamp;
	int64_t	 started_ns;	/* of the build that wrote its shard */
	const unsigned char *data;	/* into the shard's bytes */
	size_t	 len;
};

static unsigned
shard_of(const char *path)
{
	return (unsigned)(XXH3_64bits(path, strlen(path)) % CACHE_SHARDS);
}

unsigned
cache_shard_of(const char *path)
{
	return shard_of(path);
}

static char *
shard_path(const char *path, unsigned k)
{
	return xasprintf("%s.%02u", path, k);
}

/*
 * Starts r on the section name of c; false, with r bad, when c has none.
 */
static bool
open_section(const struct container *c, const char *name,
    struct ser_reader *r)
{
	size_t len;
	const unsigned char *data = container_section(c, name, &len);

	ser_reader_init(r, data, len);
	r->bad = data == NULL;
	return data != NULL;
}

/* The time a file's build began: its "started" section, or 0. */
static int64_t
started_of(const struct container *c, bool *bad)
{
	struct ser_reader r;
	int64_t started;

	open_section(c, SECTION_STARTED, &r);
	started = (int64_t)ser_read_u64(&r);
	if (r.bad || r.p != r.end)
		*bad = true;
	return started;
}

static void
free_shard(struct cache_shard *sh)
{
	strmap_free(&sh->articles);
	container_free(&sh->file);
	free(sh->records);
	memset(sh, 0, sizeof(*sh));
}

/* Indexes the records of one shard; a damaged shard adds none. */
static void
load_shard(struct build_cache *c, const char *path, unsigned k,
    uint64_t engine)
{
	struct cache_shard *sh = &c->shards[k];
	struct ser_reader r;
	struct cache_record *rec;
	const unsigned char *data;
	int64_t started;
	size_t n, i, len;
	bool bad = false;

	if (container_read(&sh->file, path, engine) == -1)
		return;
	started = started_of(&sh->file, &bad);
	if (open_section(&sh->file, SECTION_ARTICLES, &r)) {
		sh->records_data = r.p;
		sh->records_len = (size_t)(r.end - r.p);
	}
	n = ser_read_u32(&r);
	if (n > sh->records_len || bad)
		r.bad = true;
	sh->records = xcalloc(r.bad ? 1 : n + 1, sizeof(*sh->records));
	for (i = 0; i < n && !r.bad; i++) {
		len = ser_read_u32(&r);
		data = ser_read_bytes(&r, len);
		rec = &sh->records[i];
		rec->path = article_peek(data, data ? len : 0, &rec->stamp);
		rec->started_ns = started;
		rec->data = data;
		rec->len = len;
		if (rec->path == NULL || shard_of(rec->path) != k)
			r.bad = true;
	}
	if (r.bad || r.p != r.end) {
		free_shard(sh);
		return;
	}
	for (i = 0; i < n; i++) {
		rec = &sh->records[i];
		strmap_put(&sh->articles, rec->path, strlen(rec->path),
		    NULL)->value = rec;
	}
}

/*
 * The shards are read on a thread of their own while the build does
 * other work; one wanted before its turn is read by whoever wants it.
 */
struct cache_loader {
	struct build_cache *cache;
	char	*path;			/* the main file's */
	uint64_t engine;
	struct thread thread;
	pthread_mutex_t locks[CACHE_SHARDS];
	_Atomic bool ready[CACHE_SHARDS];
};

static void
ensure_shard(struct build_cache *c, unsigned k)
{
	struct cache_loader *l = c->loader;
	char *shard;

	if (l == NULL || atomic_load(&l->ready[k]))
		return;
	pthread_mutex_lock(&l->locks[k]);
	if (!atomic_load(&l->ready[k])) {
		shard = shard_path(l->path, k);
		load_shard(c, shard, k, l->engine);
		free(shard);
		atomic_store(&l->ready[k], true);
	}
	pthread_mutex_unlock(&l->locks[k]);
}

static void *
load_shards(void *arg)
{
	struct build_cache *c = arg;
	unsigned k;

	for (k = 0; k < CACHE_SHARDS; k++)
		ensure_shard(c, k);
	return NULL;
}

static void
start_loader(struct build_cache *c, const char *path, uint64_t engine)
{
	struct cache_loader *l = xcalloc(1, sizeof(*l));
	unsigned k;

	l->cache = c;
	l->path = xstrdup(path);
	l->engine = engine;
	for (k = 0; k < CACHE_SHARDS; k++)
		pthread_mutex_init(&l->locks[k], NULL);
	c->loader = l;
	thread_start(&l->thread, load_shards, c);
}

void
cache_wait(struct build_cache *c)
{
	struct cache_loader *l = c->loader;

	if (l == NULL)
		return;
	thread_join(&l->thread);
	load_shards(c);
}

static void
stop_loader(struct build_cache *c)
{
	struct cache_loader *l = c->loader;
	unsigned k;

	if (l == NULL)
		return;
	cache_wait(c);
	for (k = 0; k < CACHE_SHARDS; k++)
		pthread_mutex_destroy(&l->locks[k]);
	free(l->path);
	free(l);
	c->loader = NULL;
}

struct article *
cache_article(struct build_cache *c, const char *path,
    const char *fspath, const struct article_stamp *st)
{
	unsigned k = shard_of(path);
	const struct strmap_entry *e;
	const struct cache_record *rec;
	struct article *a;

	ensure_shard(c, k);
	e = strmap_get(&c->shards[k].articles, path, strlen(path));
	if (e == NULL)
		return NULL;
	rec = e->value;
	/* A change within the same clock tick would keep the stamp. */
	if (memcmp(&rec->stamp, st, sizeof(*st)) != 0 ||
	    st->mtime_ns >= rec->started_ns || st->ctime_ns >= rec->started_ns)
		return NULL;
	a = article_decode(rec->data, rec->len, fspath);
	if (a != NULL && strcmp(a->path, path) != 0) {
		article_free(a);
		a = NULL;
	}
	return a;
}

const struct cache_page *
cache_page(const struct build_cache *c, const char *path)
{
	const struct strmap_entry *e = strmap_get(&c->pages, path,
	    strlen(path));

	return e != NULL ? e->value : NULL;
}

/* Reads the records of tree t: its folder, then its files. */
static void
read_tree(struct build_cache *c, unsigned t, struct ser_reader *r)
{
	struct output_tree *tree = &c->trees[t];
	uint32_t n, i;
	struct output_record *rec;
	const char *path;

	tree->dev = ser_read_u64(r);
	tree->ino = ser_read_u64(r);
	n = (uint32_t)ser_read_count(r);
	c->file_records[t] = xcalloc(n + 1, sizeof(*c->file_records[t]));
	strmap_reserve(&tree->files, n);
	for (i = 0; i < n && !r->bad; i++) {
		path = ser_read_view(r);
		rec = &c->file_records[t][i];
		rec->hash = ser_read_u64(r);
		rec->size = ser_read_u64(r);
		rec->mtime_ns = (int64_t)ser_read_u64(r);
		rec->ino = ser_read_u64(r);
		if (path == NULL) {
			r->bad = true;
			break;
		}
		strmap_put(&tree->files, path, strlen(path), NULL)->value = rec;
	}
}

/* The count of a page's ids when they are not recorded. */
#define ANCHORS_UNKNOWN	0xFFFFFFFFu

/* Reads the targets of page p, ids that must name a target. */
static void
read_page_targets(struct build_cache *c, struct ser_reader *r,
    struct cache_page *p, size_t *used, size_t cap)
{
	uint32_t *ids = c->page_targets + *used;
	size_t k;

	p->ntargets = ser_read_u32(r);
	if (p->ntargets > cap - *used) {
		r->bad = true;
		return;
	}
	for (k = 0; k < p->ntargets; k++) {
		ids[k] = ser_read_u32(r);
		if (ids[k] >= c->ntargets || c->targets[ids[k]] == NULL)
			r->bad = true;
	}
	p->targets = ids;
	*used += p->ntargets;
}

/* Reads the link targets the pages name by id. */
static void
read_targets(struct build_cache *c, struct ser_reader *r)
{
	uint32_t n, i;

	n = (uint32_t)ser_read_count(r);
	c->targets = xcalloc(n + 1, sizeof(*c->targets));
	for (i = 0; i < n && !r->bad; i++)
		c->targets[c->ntargets++] = ser_read_view(r);
}

/* Reads the pages' records, once their targets are read. */
static void
read_pages(struct build_cache *c, struct ser_reader *r)
{
	uint32_t n, i;
	struct cache_page *p;
	const char *path;
	size_t used = 0, cap;

	n = (uint32_t)ser_read_count(r);
	/* No more ids than the bytes left could hold. */
	cap = (size_t)(r->end - r->p) / 4;
	c->page_targets = xcalloc(cap + 1, sizeof(*c->page_targets));
	c->page_records = xcalloc(n + 1, sizeof(*c->page_records));
	strmap_reserve(&c->pages, n);
	for (i = 0; i < n && !r->bad; i++) {
		path = ser_read_view(r);
		p = &c->page_records[i];
		p->key = ser_read_u64(r);
		p->fingerprint = ser_read_u64(r);
		read_page_targets(c, r, p, &used, cap);
		p->nanchors = ser_read_u32(r);
		p->anchors_known = p->nanchors != ANCHORS_UNKNOWN;
		if (!p->anchors_known)
			p->nanchors = 0;
		else if (p->nanchors > (size_t)(r->end - r->p) / 8)
			r->bad = true;
		else
			p->anchors = ser_read_bytes(r, p->nanchors * 8);
		if (path == NULL)
			r->bad = true;
		if (r->bad)
			break;
		strmap_put(&c->pages, path, strlen(path), NULL)->value = p;
	}
}

/* Frees what the main file holds: files, pages and targets. */
static void
free_main(struct build_cache *c)
{
	strmap_free(&c->pages);
	strmap_free(&c->trees[0].files);
	strmap_free(&c->trees[1].files);
	c->trees[0].dev = c->trees[0].ino = 0;
	c->trees[1].dev = c->trees[1].ino = 0;
	free(c->page_records);
	free(c->page_targets);
	free(c->file_records[0]);
	free(c->file_records[1]);
	free(c->targets);
	container_free(&c->file);
	c->page_records = NULL;
	c->page_targets = NULL;
	c->file_records[0] = c->file_records[1] = NULL;
	c->targets = NULL;
	c->ntargets = 0;
	c->related = NULL;
	c->related_len = 0;
	c->started_ns = 0;
	c->loaded = false;
}

/* Whether r was read to its end, and no further. */
static bool
read_whole(const struct ser_reader *r)
{
	return !r->bad && r->p == r->end;
}

static int
load_main(struct build_cache *c, const char *path, uint64_t engine)
{
	struct ser_reader r;
	bool bad = false;

	if (container_read(&c->file, path, engine) == -1)
		return -1;
	c->started_ns = started_of(&c->file, &bad);
	open_section(&c->file, SECTION_TREE_WRITTEN, &r);
	read_tree(c, 0, &r);
	bad |= !read_whole(&r);
	open_section(&c->file, SECTION_TREE_OTHER, &r);
	read_tree(c, 1, &r);
	bad |= !read_whole(&r);
	open_section(&c->file, SECTION_TARGETS, &r);
	read_targets(c, &r);
	bad |= !read_whole(&r);
	open_section(&c->file, SECTION_PAGES, &r);
	read_pages(c, &r);
	bad |= !read_whole(&r);
	if (open_section(&c->file, SECTION_RELATED, &r)) {
		c->related = r.p;
		c->related_len = (size_t)(r.end - r.p);
	} else
		bad = true;
	if (bad) {
		free_main(c);
		return -1;
	}
	c->loaded = true;
	return 0;
}

int
cache_load(struct build_cache *c, const char *path, uint64_t engine)
{
	/* Each shard stands alone: its records hold for their articles. */
	start_loader(c, path, engine);
	return load_main(c, path, engine);
}

void
cache_free(struct build_cache *c)
{
	unsigned k;

	stop_loader(c);
	free_main(c);
	for (k = 0; k < CACHE_SHARDS; k++)
		free_shard(&c->shards[k]);
}

int
cache_remove(const char *path)
{
	unsigned k;
	char *shard;
	int rc = 0;

	if (unlink(path) == -1 && errno != ENOENT)
		rc = -1;
	for (k = 0; k < CACHE_SHARDS; k++) {
		shard = shard_path(path, k);
		if (unlink(shard) == -1 && errno != ENOENT)
			rc = -1;
		free(shard);
	}
	return rc;
}

void
cache_writer_base(struct cache_writer *w, const struct build_cache *prev)
{
	const struct cache_shard *sh;
	unsigned k;

	for (k = 0; k < CACHE_SHARDS; k++) {
		sh = &prev->shards[k];
		w->shards[k].differs = sh->records_data == NULL;
		if (sh->records_data != NULL) {
			/* Past the count, which save_shards compares. */
			w->shards[k].old = sh->records_data + 4;
			w->shards[k].old_len = sh->records_len - 4;
		}
	}
}

static uint32_t
get_u32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

/*
 * Appends a record to a shard.  While the records match the old shard's,
 * in order, only how far they match is kept; an article restored whole
 * matches by where its record lies.
 */
static void
shard_append(struct cache_shard_writer *sw, const void *data, size_t len)
{
	const unsigned char *at;

	sw->count++;
	if (!sw->differs) {
		at = sw->old + sw->same;
		if (sw->old_len - sw->same >= 4 + len && get_u32(at) == len &&
		    (data == at + 4 || memcmp(at + 4, data, len) == 0)) {
			sw->same += 4 + len;
			return;
		}
		sw->differs = true;
		buf_append(&sw->records, sw->old, sw->same);
	}
	ser_u32(&sw->records, (uint32_t)len);
	buf_append(&sw->records, data, len);
}

void
cache_add_article(struct cache_writer *w, const struct article *a)
{
	struct cache_shard_writer *sw;
	const void *record;
	size_t len;

	if (a->stamp.ino == 0 || a->digest == NULL)
		return;
	sw = &w->shards[shard_of(a->path)];
	/* An article restored whole is written back as it was read. */
	if ((record = article_record(a, &len)) != NULL)
		shard_append(sw, record, len);
	else {
		buf_truncate(&w->scratch, 0);
		article_encode(&w->scratch, a);
		shard_append(sw, w->scratch.data, w->scratch.len);
	}
}

void
cache_set_tree(struct cache_writer *w, unsigned tree, uint64_t dev,
    uint64_t ino)
{
	w->tree_dev[tree] = dev;
	w->tree_ino[tree] = ino;
}

void
cache_add_file(struct cache_writer *w, unsigned tree, const char *path,
    const struct output_record *r)
{
	struct buf *b = &w->files[tree];

	ser_str(b, path);
	ser_u64(b, r->hash);
	ser_u64(b, r->size);
	ser_u64(b, (uint64_t)r->mtime_ns);
	ser_u64(b, r->ino);
	w->nfiles[tree]++;
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

/* A page's ids, or that they are not recorded. */
static void
put_anchors(struct buf *b, const uint64_t *anchors, size_t n)
{
	size_t i;

	if (anchors == NULL) {
		ser_u32(b, ANCHORS_UNKNOWN);
		return;
	}
	ser_u32(b, (uint32_t)n);
	for (i = 0; i < n; i++)
		ser_u64(b, anchors[i]);
}

void
cache_add_page(struct cache_writer *w, const char *path,
    uint64_t key, uint64_t fingerprint, const char *const *targets,
    size_t ntargets, const uint64_t *anchors, size_t n)
{
	size_t i;

	ser_str(&w->pages, path);
	ser_u64(&w->pages, key);
	ser_u64(&w->pages, fingerprint);
	ser_u32(&w->pages, (uint32_t)ntargets);
	for (i = 0; i < ntargets; i++)
		ser_u32(&w->pages, target_id(w, targets[i],
		    strlen(targets[i])));
	put_anchors(&w->pages, anchors, n);
	w->npages++;
}

void
cache_add_page_kept(struct cache_writer *w, const char *path,
    uint64_t key, uint64_t fingerprint, const struct build_cache *c,
    const struct cache_page *p, const uint64_t *anchors, size_t n)
{
	uint32_t id;
	size_t i;

	/* Looked up once per target, not once per link to it. */
	if (w->remap == NULL)
		w->remap = xcalloc(c->ntargets + 1, sizeof(*w->remap));
	ser_str(&w->pages, path);
	ser_u64(&w->pages, key);
	ser_u64(&w->pages, fingerprint);
	ser_u32(&w->pages, (uint32_t)p->ntargets);
	for (i = 0; i < p->ntargets; i++) {
		id = p->targets[i];
		if (w->remap[id] == 0)
			w->remap[id] = target_id(w, c->targets[id],
			    strlen(c->targets[id])) + 1;
		ser_u32(&w->pages, w->remap[id] - 1);
	}
	put_anchors(&w->pages, anchors, n);
	w->npages++;
}

/*
 * Writes the file at path: when its build began, then the sections given,
 * each a name and a pair of parts (the second may be empty).
 */
static int
write_file(const char *path, uint64_t engine, int64_t started_ns,
    const char *const *names, const struct buf *parts, size_t n)
{
	struct container_writer cw = CONTAINER_WRITER_INIT;
	struct buf started = BUF_INIT;
	size_t i;
	int rc;

	ser_u64(&started, (uint64_t)started_ns);
	container_add(&cw, SECTION_STARTED, &started, 1);
	for (i = 0; i < n; i++)
		container_add(&cw, names[i], &parts[2 * i], 2);
	rc = container_write(&cw, path, engine);
	container_writer_free(&cw);
	buf_free(&started);
	return rc;
}

/*
 * Writes shard k if its records changed.  One left as it was keeps the
 * time of the build that wrote it: its records were read before then.
 */
int
cache_save_shard(struct cache_writer *w, unsigned k, const char *path,
    uint64_t engine, struct diags *d)
{
	static const char *const names[] = { SECTION_ARTICLES };
	struct cache_shard_writer *sw = &w->shards[k];
	struct buf parts[2] = { BUF_INIT, BUF_INIT };
	char *shard;
	int rc = 0;

	if (sw->saved || (!sw->differs && sw->same == sw->old_len))
		return 0;
	/* Records gone from the end: the rest as it was. */
	if (!sw->differs)
		buf_append(&sw->records, sw->old, sw->same);
	ser_u32(&parts[0], sw->count);
	parts[1] = sw->records;
	shard = shard_path(path, k);
	if (write_file(shard, engine, w->started_ns, names, parts, 1) == -1) {
		diag_error(d, shard, 0, 0, "cannot write the build cache: %s",
		    strerror(errno));
		rc = -1;
	}
	free(shard);
	buf_free(&parts[0]);
	buf_free(&sw->records);
	sw->saved = true;
	return rc;
}

static int
save_shards(struct cache_writer *w, const char *path, uint64_t engine,
    struct diags *d)
{
	unsigned k;
	int rc = 0;

	for (k = 0; k < CACHE_SHARDS; k++)
		if (cache_save_shard(w, k, path, engine, d) == -1)
			rc = -1;
	return rc;
}

int
cache_save(struct cache_writer *w, const char *path, uint64_t engine,
    struct diags *d)
{
	static const char *const names[] = { SECTION_TREE_WRITTEN,
	    SECTION_TREE_OTHER, SECTION_TARGETS, SECTION_PAGES,
	    SECTION_RELATED };
	struct buf parts[10] = { BUF_INIT, BUF_INIT, BUF_INIT, BUF_INIT,
	    BUF_INIT, BUF_INIT, BUF_INIT, BUF_INIT, BUF_INIT, BUF_INIT };
	size_t i;
	unsigned t;
	int rc = 0;

	for (t = 0; t < 2; t++) {
		ser_u64(&parts[2 * t], w->tree_dev[t]);
		ser_u64(&parts[2 * t], w->tree_ino[t]);
		ser_u32(&parts[2 * t], w->nfiles[t]);
		parts[2 * t + 1] = w->files[t];
	}
	ser_u32(&parts[4], (uint32_t)w->target_ids.count);
	for (i = 0; i < w->target_ids.count; i++)
		ser_str(&parts[4], w->target_ids.entries[i].key);
	ser_u32(&parts[6], w->npages);
	parts[7] = w->pages;
	parts[8] = w->related;
	if (write_file(path, engine, w->started_ns, names, parts, 5) == -1) {
		diag_error(d, path, 0, 0, "cannot write the build cache: %s",
		    strerror(errno));
		rc = -1;
	}
	if (save_shards(w, path, engine, d) == -1)
		rc = -1;
	buf_free(&parts[0]);
	buf_free(&parts[2]);
	buf_free(&parts[4]);
	buf_free(&parts[6]);
	return rc;
}

void
cache_writer_free(struct cache_writer *w)
{
	unsigned k;

	for (k = 0; k < CACHE_SHARDS; k++)
		buf_free(&w->shards[k].records);
	buf_free(&w->scratch);
	free(w->remap);
	buf_free(&w->related);
	buf_free(&w->files[0]);
	buf_free(&w->files[1]);
	buf_free(&w->pages);
	strmap_free(&w->target_ids);
}
