/*
 * Packs (render/search/packs.h): their paths and counts, the file a pack
 * is, byte for byte, its members read back alone and copied, and
 * damaged packs refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "../../generator/render/search/packs.h"
#include "../../generator/util/buf.h"

static void
test_paths_and_counts(void **state)
{
	char path[64];

	(void)state;
	search_pack_path(path, sizeof(path), "docs", 156);
	assert_string_equal(path, "search/docs/156.js");
	assert_int_equal(search_pack_count(0), 0);
	assert_int_equal(search_pack_count(1), 1);
	assert_int_equal(search_pack_count(64), 1);
	assert_int_equal(search_pack_count(65), 2);
	assert_int_equal(search_pack_count(10000), 157);
	assert_int_equal(search_pack_members(10000, 0), 64);
	assert_int_equal(search_pack_members(10000, 156), 16);
	assert_int_equal(search_pack_members(16, 0), 16);
}

/* Three members: every byte, nothing, and a few letters. */
static void
make_pack(struct search_pack *p, unsigned char *all)
{
	size_t i;

	for (i = 0; i < 256; i++)
		all[i] = (unsigned char)i;
	search_pack_start(p, "search/shards/2.js", 3);
	search_pack_add(p, all, 256);
	search_pack_add(p, "", 0);
	search_pack_add(p, "ab\"c", 4);
	search_pack_finish(p);
}

static void
test_file(void **state)
{
	struct search_pack p = { 0 };
	unsigned char all[256];
	const char *head = "jicengSearch(\"shards/2\",\"";
	size_t h = strlen(head), start = h + 4 * 8;
	char table[4 * 8 + 1];

	(void)state;
	make_pack(&p, all);
	/* The four bytes to escape take two each. */
	assert_int_equal(p.file.len, start + 256 + 4 + 0 + 5 + 4);
	assert_memory_equal(p.file.data, head, h);
	snprintf(table, sizeof(table), "%08zx%08zx%08zx%08zx", start,
	    start + 260, start + 260, start + 265);
	assert_memory_equal(p.file.data + h, table, 32);
	assert_memory_equal(p.file.data + start + 260, "ab\\\"c\");\n", 9);
	/* A member's bytes in the file: the escapes of its own, in order. */
	assert_memory_equal(p.file.data + start + 10, "\\n", 2);
	assert_memory_equal(p.file.data + start + 14, "\\r", 2);
	assert_memory_equal(p.file.data + start + 36, "\\\"", 2);
	assert_memory_equal(p.file.data + start + 95, "\\\\", 2);
	search_pack_free(&p);
}

static void
test_read_back(void **state)
{
	struct search_pack p = { 0 }, again = { 0 };
	struct search_pack_view v;
	struct buf m = BUF_INIT;
	unsigned char all[256];
	size_t k;

	(void)state;
	make_pack(&p, all);
	assert_int_equal(search_pack_open(&v, "search/shards/2.js",
	    p.file.data, p.file.len, 3), 0);
	assert_int_equal(search_pack_member(&v, 0, &m), 0);
	assert_int_equal(m.len, 256);
	assert_memory_equal(m.data, all, 256);
	assert_int_equal(search_pack_member(&v, 1, &m), 0);
	assert_int_equal(m.len, 0);
	assert_int_equal(search_pack_member(&v, 2, &m), 0);
	assert_int_equal(m.len, 4);
	assert_memory_equal(m.data, "ab\"c", 4);
	/* Members copied as they are make the same file. */
	search_pack_start(&again, "search/shards/2.js", 3);
	for (k = 0; k < 3; k++)
		search_pack_copy(&again, &v, k);
	search_pack_finish(&again);
	assert_int_equal(again.file.len, p.file.len);
	assert_memory_equal(again.file.data, p.file.data, p.file.len);
	search_pack_close(&v);
	search_pack_free(&again);
	search_pack_free(&p);
	buf_free(&m);
}

/* Opens a copy of the pack with byte at set to c: whether it opens. */
static int
open_changed(const struct search_pack *p, size_t at, char c, size_t len,
    size_t count)
{
	struct search_pack_view v;
	char copy[512];
	int rc;

	memcpy(copy, p->file.data, p->file.len);
	copy[at] = c;
	rc = search_pack_open(&v, "search/shards/2.js", copy, len, count);
	search_pack_close(&v);
	return rc;
}

static void
test_damaged(void **state)
{
	struct search_pack p = { 0 };
	struct search_pack_view v;
	struct buf m = BUF_INIT;
	unsigned char all[256];
	size_t h = strlen("jicengSearch(\"shards/2\",\""), len;
	char copy[512], end[9];

	(void)state;
	make_pack(&p, all);
	len = p.file.len;
	assert_int_equal(open_changed(&p, 0, 'j', len, 3), 0);
	/* Another count, another name, a cut, the tail changed. */
	assert_int_equal(open_changed(&p, 0, 'j', len, 2), -1);
	assert_int_equal(open_changed(&p, 0, 'j', len, 4), -1);
	assert_int_equal(open_changed(&p, h - 4, '3', len, 3), -1);
	assert_int_equal(open_changed(&p, 0, 'j', len - 1, 3), -1);
	assert_int_equal(open_changed(&p, len - 2, ' ', len, 3), -1);
	/* Offsets not hex, in capitals, out of order or out of the file. */
	assert_int_equal(open_changed(&p, h + 3, 'g', len, 3), -1);
	assert_int_equal(open_changed(&p, h + 7, 'A', len, 3), -1);
	assert_int_equal(open_changed(&p, h + 16 + 7, 'c', len, 3), -1);
	assert_int_equal(open_changed(&p, h + 16 + 6, 'f', len, 3), -1);
	assert_int_equal(open_changed(&p, h + 24 + 7, '0', len, 3), -1);
	assert_int_equal(open_changed(&p, h + 7, '0', len, 3), -1);
	/* A member that ends inside an escape opens but does not read. */
	memcpy(copy, p.file.data, len);
	snprintf(end, sizeof(end), "%08zx", h + 32 + 11);
	memcpy(copy + h + 8, end, 8);
	assert_int_equal(search_pack_open(&v, "search/shards/2.js", copy, len,
	    3), 0);
	assert_int_equal(search_pack_member(&v, 0, &m), -1);
	search_pack_close(&v);
	search_pack_free(&p);
	buf_free(&m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_paths_and_counts),
		cmocka_unit_test(test_file),
		cmocka_unit_test(test_read_back),
		cmocka_unit_test(test_damaged),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
