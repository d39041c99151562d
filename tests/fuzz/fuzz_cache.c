/*
 * libFuzzer target over the build cache's reader: the main file (files,
 * pages and their link targets, the related lists' memo) and a shard of
 * article records, restored as articles.  A cache file is checked whole
 * by its hash before it is read, which no mutation would get past; so
 * the input is the part after the hash, "main|||shard", and this target
 * puts the header before it (the magic and engine taken from a cache it
 * saves first).  The shard is written where each of the names below
 * would be looked for.  Built by "make fuzz" and run by
 * tests/fuzz.once.sh over tests/fuzz/cache/.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xxhash.h>

#include "../../generator/util/fs.h"
#include "../../generator/util/xalloc.h"
#include "../../generator/build/cache.h"

#define SEPARATOR	"|||"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The articles looked up: those of tests/golden/basic, and a short one. */
static const char *const names[] = {
	"content/articles/海口市美兰区.md",
	"content/articles/海南省澄迈县.md",
	"content/articles/西安市新城区.md",
	"content/articles/呼和浩特市新城区.md",
	"content/articles/编者按-内蒙古.md",
	"content/articles/a.md",
};
#define NNAMES	(sizeof(names) / sizeof(names[0]))

static char *dir, *main_path;
static char head[64];		/* the magic and the engine */
static size_t head_len;

/* Learns the header from a cache saved with nothing in it. */
static void
setup(void)
{
	struct cache_writer w = CACHE_WRITER_INIT;
	struct diags d = DIAGS_INIT;
	char tmpl[] = "/tmp/jiceng-fuzz-cache.XXXXXX", *saved;
	const char *tmp = getenv("TMPDIR");
	uint64_t engine = cache_engine_id();
	size_t len, i;

	dir = tmp != NULL ? xasprintf("%s/jiceng-fuzz-cache.XXXXXX", tmp) :
	    xstrdup(tmpl);
	if (mkdtemp(dir) == NULL)
		abort();
	main_path = xasprintf("%s/out", dir);
	if (cache_save(&w, main_path, engine, &d) == -1 ||
	    fs_read(main_path, &saved, &len) == -1)
		abort();
	/* The engine's bytes end the header; the hash follows. */
	for (i = 0; i + 8 <= len && i + 8 <= sizeof(head); i++)
		if (memcmp(saved + i, &engine, 8) == 0)
			break;
	if (i + 8 > len || i + 8 > sizeof(head))
		abort();	/* the format changed: mend this target */
	head_len = i + 8;
	memcpy(head, saved, head_len);
	free(saved);
	cache_writer_free(&w);
	diags_free(&d);
}

static void
write_file(const char *path, const char *body, size_t len)
{
	uint64_t sum = XXH3_64bits(body, len);
	struct iovec parts[3] = { { head, head_len }, { &sum, 8 },
	    { (void *)body, len } };

	if (fs_overwritev(path, parts, 3) == -1)
		abort();
}

static unsigned
shard_of(const char *path)
{
	return (unsigned)(XXH3_64bits(path, strlen(path)) % CACHE_SHARDS);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct build_cache c = BUILD_CACHE_INIT;
	struct article_stamp st = { 0 };
	const char *src = (const char *)data, *sep;
	struct article *a;
	size_t main_len, i;
	char *shard;

	if (dir == NULL)
		setup();
	sep = memmem(src, size, SEPARATOR, strlen(SEPARATOR));
	main_len = sep != NULL ? (size_t)(sep - src) : size;
	write_file(main_path, src, main_len);
	for (i = 0; i < CACHE_SHARDS; i++) {
		shard = xasprintf("%s.%02zu", main_path, i);
		unlink(shard);
		free(shard);
	}
	for (i = 0; sep != NULL && i < NNAMES; i++) {
		shard = xasprintf("%s.%02u", main_path, shard_of(names[i]));
		write_file(shard, sep + strlen(SEPARATOR),
		    size - main_len - strlen(SEPARATOR));
		free(shard);
	}
	cache_load(&c, main_path, cache_engine_id());
	for (i = 0; i < NNAMES; i++) {
		/* A record's stamp must be this one, all zero, to be used. */
		a = cache_article(&c, names[i], "/nowhere.md", &st);
		if (a != NULL && (a->title == NULL || a->slug == NULL ||
		    strcmp(a->path, names[i]) != 0))
			abort();
		article_free(a);
	}
	cache_wait(&c);
	cache_free(&c);
	return 0;
}
