/*
 * The container of the build's files: sections written are read back by
 * name, and a file cut short, damaged, of another engine or whose
 * sections do not add up is refused whole.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xxhash.h>
#include <cmocka.h>

#include "../../generator/build/container.h"
#include "../../generator/util/fs.h"
#include "../../generator/util/ser.h"
#include "../../generator/util/xalloc.h"

#define ENGINE	0x0123456789ABCDEFULL
/* The magic, the engine and the checksum, which covers what follows. */
#define HEAD	24

static char dir[] = "/tmp/jiceng-container-test.XXXXXX";
static char *path;

static int
setup(void **state)
{
	(void)state;
	if (mkdtemp(dir) == NULL)
		return -1;
	path = fs_join(dir, "c");
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	unlink(path);
	rmdir(dir);
	free(path);
	return 0;
}

/* Writes three sections: one of two parts, one empty, one of bytes. */
static void
write_sample(void)
{
	struct container_writer w = CONTAINER_WRITER_INIT;
	struct buf parts[2] = { BUF_INIT, BUF_INIT }, none = BUF_INIT;
	struct buf bytes = BUF_INIT;

	buf_puts(&parts[0], "网格");
	buf_puts(&parts[1], "员");
	ser_u64(&bytes, 42);
	container_add(&w, "words", parts, 2);
	container_add(&w, "empty", &none, 1);
	container_add(&w, "number", &bytes, 1);
	assert_int_equal(container_write(&w, path, ENGINE), 0);
	container_writer_free(&w);
	buf_free(&parts[0]);
	buf_free(&parts[1]);
	buf_free(&bytes);
}

static void
test_round_trip(void **state)
{
	struct container c = CONTAINER_INIT;
	const unsigned char *p;
	size_t len;

	(void)state;
	write_sample();
	assert_int_equal(container_read(&c, path, ENGINE), 0);
	assert_int_equal(c.nsections, 3);
	p = container_section(&c, "words", &len);
	assert_non_null(p);
	assert_int_equal(len, strlen("网格员"));
	assert_memory_equal(p, "网格员", len);
	p = container_section(&c, "empty", &len);
	assert_non_null(p);
	assert_int_equal(len, 0);
	p = container_section(&c, "number", &len);
	assert_int_equal(len, 8);
	assert_int_equal(ser_get_u64(p), 42);
	assert_null(container_section(&c, "missing", &len));
	assert_int_equal(len, 0);
	container_free(&c);
	assert_null(c.raw);
	assert_int_equal(c.nsections, 0);
}

/* Another binary's container, or none at all. */
static void
test_foreign(void **state)
{
	struct container c = CONTAINER_INIT;

	(void)state;
	write_sample();
	assert_int_equal(container_read(&c, path, ENGINE + 1), -1);
	assert_null(c.raw);
	assert_int_equal(fs_write(path, "JICENGC8 an older format", 24), 0);
	assert_int_equal(container_read(&c, path, ENGINE), -1);
	unlink(path);
	assert_int_equal(container_read(&c, path, ENGINE), -1);
	assert_null(c.raw);
}

/* Every cut and every byte changed: the checksum or the magic tells. */
static void
test_damaged(void **state)
{
	struct container c = CONTAINER_INIT;
	char *data;
	size_t len, i;

	(void)state;
	write_sample();
	assert_int_equal(fs_read(path, &data, &len), 0);
	for (i = 0; i < len; i++) {
		assert_int_equal(fs_write(path, data, i), 0);
		assert_int_equal(container_read(&c, path, ENGINE), -1);
	}
	for (i = 0; i < len; i++) {
		data[i] ^= 0x10;
		assert_int_equal(fs_write(path, data, len), 0);
		assert_int_equal(container_read(&c, path, ENGINE), -1);
		data[i] ^= 0x10;
	}
	assert_int_equal(fs_write(path, data, len), 0);
	assert_int_equal(container_read(&c, path, ENGINE), 0);
	container_free(&c);
	free(data);
}

/*
 * Reads body written after a head whose checksum holds: 0 when the
 * container is taken, -1 when refused.
 */
static int
read_body(const struct buf *body)
{
	struct container c = CONTAINER_INIT;
	struct buf file = BUF_INIT;
	int rc;

	buf_append(&file, "JICENGC9", 8);
	ser_u64(&file, ENGINE);
	ser_u64(&file, XXH3_64bits(body->data, body->len));
	buf_append(&file, body->data, body->len);
	assert_int_equal(fs_write(path, file.data, file.len), 0);
	rc = container_read(&c, path, ENGINE);
	if (rc == -1)
		assert_null(c.raw);
	container_free(&c);
	buf_free(&file);
	return rc;
}

/* A section of name and bytes, as the format lays it out. */
static void
section(struct buf *b, const char *name, const char *bytes, uint64_t len)
{
	ser_str(b, name);
	ser_u64(b, len);
	buf_append(b, bytes, strlen(bytes));
}

/* A checksum that holds over sections that do not. */
static void
test_bad_sections(void **state)
{
	struct buf b = BUF_INIT;
	char name[2] = { 0 };
	unsigned i;

	(void)state;
	/* The layout as read_body writes it is taken: a test of the test. */
	ser_u32(&b, 1);
	section(&b, "a", "xy", 2);
	assert_int_equal(read_body(&b), 0);
	/* Longer than the file. */
	buf_truncate(&b, 0);
	ser_u32(&b, 1);
	section(&b, "a", "xy", 3);
	assert_int_equal(read_body(&b), -1);
	/* Bytes after the last section. */
	buf_truncate(&b, 0);
	ser_u32(&b, 1);
	section(&b, "a", "xyz", 2);
	assert_int_equal(read_body(&b), -1);
	/* Fewer sections than it says. */
	buf_truncate(&b, 0);
	ser_u32(&b, 2);
	section(&b, "a", "xy", 2);
	assert_int_equal(read_body(&b), -1);
	/* One name twice. */
	buf_truncate(&b, 0);
	ser_u32(&b, 2);
	section(&b, "a", "xy", 2);
	section(&b, "a", "zw", 2);
	assert_int_equal(read_body(&b), -1);
	/* No name. */
	buf_truncate(&b, 0);
	ser_u32(&b, 1);
	section(&b, NULL, "xy", 2);
	assert_int_equal(read_body(&b), -1);
	/* More sections than a container holds. */
	buf_truncate(&b, 0);
	ser_u32(&b, CONTAINER_SECTIONS + 1);
	for (i = 0; i <= CONTAINER_SECTIONS; i++) {
		name[0] = (char)('a' + i);
		section(&b, name, "", 0);
	}
	assert_int_equal(read_body(&b), -1);
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_foreign),
		cmocka_unit_test(test_damaged),
		cmocka_unit_test(test_bad_sections),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
