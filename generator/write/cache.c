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

#define CACHE_MAGIC	"JICENGC8"	/* the format; bump on any change */
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

static char *
shard_path(const char *path, unsigned k)
{
	return xasprintf("%s.%02u", path, k);
}

/*
 * Reads the file at path: the magic, the engine, then the hash of the
 * rest.  Returns the rest's reader, or -1 when the file is not usable.
 */
static int
read_checked(const char *path, uint64_t engine, char **data, size_t *len,
    struct ser_reader *r)
{
	size_t head = strlen(CACHE_MAGIC) + 16;
	uint64_t sum;

	*data = NULL;
	if (fs_read(path, data, len) == -1 || *len < head ||
	    memcmp(*data, CACHE_MAGIC, strlen(CACHE_MAGIC)) != 0)
		goto bad;
	ser_reader_init(r, *data + strlen(CACHE_MAGIC), 16);
	if (ser_read_u64(r) != engine)
		goto bad;
	sum = ser_read_u64(r);
	if (XXH3_64bits(*data + head, *len - head) != sum)
		goto bad;
	ser_reader_init(r, *data + head, *len - head);
	return 0;
bad:
	free(*data);
	*data = NULL;
	return -1;
}

static void
free_shard(struct cache_shard *sh)
{
	strmap_free(&sh->articles);
	free(sh->raw);
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

	if (read_checked(path, engine, &sh->raw, &sh->len, &r) == -1)
		return;
	started = (int64_t)ser_read_u64(&r);
	sh->payload = (const unsigned char *)r.p;
	sh->payload_len = (size_t)(r.end - r.p);
	n = ser_read_u32(&r);
	if (n > sh->payload_len)
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
	n = ser_read_u32(r);
	if (n > (size_t)(r->end - r->p)) {
		r->bad = true;
		return;
	}
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

static void
read_pages(struct build_cache *c, struct ser_reader *r)
{
	uint32_t n, i;
	struct cache_page *p;
	const char *path;
	size_t used = 0, cap;

	n = ser_read_u32(r);
	if (n > (size_t)(r->end - r->p)) {
		r->bad = true;
		return;
	}
	c->targets = xcalloc(n + 1, sizeof(*c->targets));
	for (i = 0; i < n && !r->bad; i++)
		c->targets[c->ntargets++] = ser_read_view(r);
	n = ser_read_u32(r);
	if (n > (size_t)(r->end - r->p)) {
		r->bad = true;
		return;
	}
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
	free(c->raw);
	c->page_records = NULL;
	c->page_targets = NULL;
	c->file_records[0] = c->file_records[1] = NULL;
	c->targets = NULL;
	c->ntargets = 0;
	c->raw = NULL;
	c->related = NULL;
	c->related_len = 0;
	c->started_ns = 0;
}

static int
load_main(struct build_cache *c, const char *path, uint64_t engine)
{
	struct ser_reader r;

	if (read_checked(path, engine, &c->raw, &c->raw_len, &r) == -1)
		return -1;
	c->started_ns = (int64_t)ser_read_u64(&r);
	read_tree(c, 0, &r);
	read_tree(c, 1, &r);
	read_pages(c, &r);
	c->related_len = ser_read_u32(&r);
	c->related = ser_read_bytes(&r, c->related_len);
	if (r.bad || r.p != r.end) {
		free_main(c);
		return -1;
	}
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
		w->shards[k].differs = sh->raw == NULL;
		if (sh->raw != NULL) {
			/* Past the count, which save_shards compares. */
			w->shards[k].old = sh->payload + 4;
			w->shards[k].old_len = sh->payload_len - 4;
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
    uint64_t key, uint64_t fingerprint, const struct strmap *targets,
    const uint64_t *anchors, size_t n)
{
	size_t i;

	ser_str(&w->pages, path);
	ser_u64(&w->pages, key);
	ser_u64(&w->pages, fingerprint);
	ser_u32(&w->pages, (uint32_t)targets->count);
	for (i = 0; i < targets->count; i++)
		ser_u32(&w->pages, target_id(w, targets->entries[i].key,
		    targets->entries[i].keylen));
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
 * Writes a cache file: the magic, the engine, the hash of the rest, the
 * time the build began, then the parts given.
 */
static int
write_checked(const char *path, uint64_t engine, int64_t started_ns,
    const struct buf *parts, size_t nparts)
{
	struct iovec iov[12];
	struct buf head = BUF_INIT;
	XXH3_state_t *state;
	size_t i, start;
	uint64_t h;
	int rc;

	if (nparts + 1 > sizeof(iov) / sizeof(iov[0])) {
		errno = EINVAL;
		return -1;
	}
	buf_puts(&head, CACHE_MAGIC);
	ser_u64(&head, engine);
	start = head.len + 8;
	ser_u64(&head, 0);	/* the hash, filled in below */
	ser_u64(&head, (uint64_t)started_ns);
	/* Hashed and written part by part: no copy of the whole. */
	if ((state = XXH3_createState()) == NULL) {
		buf_free(&head);
		errno = ENOMEM;
		return -1;
	}
	XXH3_64bits_reset(state);
	XXH3_64bits_update(state, head.data + start, head.len - start);
	iov[0].iov_base = head.data;
	iov[0].iov_len = head.len;
	for (i = 0; i < nparts; i++) {
		XXH3_64bits_update(state, parts[i].data, parts[i].len);
		iov[i + 1].iov_base = parts[i].data;
		iov[i + 1].iov_len = parts[i].len;
	}
	h = XXH3_64bits_digest(state);
	XXH3_freeState(state);
	ser_put_u32((unsigned char *)head.data + start - 8, (uint32_t)h);
	ser_put_u32((unsigned char *)head.data + start - 4,
	    (uint32_t)(h >> 32));
	/* The hash tells a file cut short or half rewritten. */
	rc = fs_overwritev(path, iov, nparts + 1);
	buf_free(&head);
	return rc;
}

/*
 * Writes the shards whose records changed.  One left as it was keeps the
 * time of the build that wrote it: its records were read before then.
 */
static int
save_shards(struct cache_writer *w, const char *path, uint64_t engine,
    struct diags *d)
{
	struct buf parts[2] = { BUF_INIT, BUF_INIT };
	struct cache_shard_writer *sw;
	unsigned k;
	char *shard;
	int rc = 0;

	for (k = 0; k < CACHE_SHARDS; k++) {
		sw = &w->shards[k];
		if (!sw->differs && sw->same == sw->old_len)
			continue;
		/* Records gone from the end: the rest as it was. */
		if (!sw->differs)
			buf_append(&sw->records, sw->old, sw->same);
		buf_truncate(&parts[0], 0);
		ser_u32(&parts[0], sw->count);
		parts[1] = sw->records;
		shard = shard_path(path, k);
		if (write_checked(shard, engine, w->started_ns, parts, 2) ==
		    -1) {
			diag_error(d, shard, 0, 0, "cannot write the build "
			    "cache: %s", strerror(errno));
			rc = -1;
		}
		free(shard);
	}
	buf_free(&parts[0]);
	return rc;
}

int
cache_save(struct cache_writer *w, const char *path, uint64_t engine,
    struct diags *d)
{
	struct buf parts[8] = { BUF_INIT, BUF_INIT, BUF_INIT, BUF_INIT,
	    BUF_INIT, BUF_INIT, BUF_INIT, BUF_INIT };
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
	ser_u32(&parts[4], w->npages);
	parts[5] = w->pages;
	ser_u32(&parts[6], (uint32_t)w->related.len);
	parts[7] = w->related;
	if (write_checked(path, engine, w->started_ns, parts, 8) == -1) {
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
