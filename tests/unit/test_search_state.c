/*
 * The search index's state (render/search/state.h): saved and loaded
 * back, and refused when it is damaged or describes another build.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <xxhash.h>

#include "../../generator/render/search/shards.h"
#include "../../generator/render/search/state.h"
#include "../../generator/util/buf.h"
#include "../../generator/util/fs.h"
#include "../../generator/util/ser.h"
#include "../../generator/util/xalloc.h"

#define ENGINE	42
#define BUILD	1000

struct scratch {
	char	 dir[32];
	char	*path;		/* the state's file */
	struct search_options opt;
	struct search_state st;	/* what was saved */
	uint64_t fingerprints[130], docs[3], shards[2];	/* 3 and 2 packs */
};

static int
setup(void **state)
{
	struct scratch *s = xcalloc(1, sizeof(*s));
	size_t i;

	strcpy(s->dir, "/tmp/jiceng-state-XXXXXX");
	assert_non_null(mkdtemp(s->dir));
	s->path = fs_join(s->dir, "state");
	s->opt.state_path = s->path;
	s->opt.engine = ENGINE;
	s->opt.committed = BUILD;
	for (i = 0; i < 130; i++)
		s->fingerprints[i] = 0x1111 * (i + 1);
	for (i = 0; i < 3; i++)
		s->docs[i] = 0xabcdef00 + i;
	for (i = 0; i < 2; i++)
		s->shards[i] = UINT64_MAX - i;
	s->st = (struct search_state){ ENGINE, BUILD, 130, 7, 12345,
	    s->fingerprints, s->docs, s->shards };
	assert_int_equal(search_state_save(s->path, &s->st), 0);
	*state = s;
	return 0;
}

static int
teardown(void **state)
{
	struct scratch *s = *state;

	assert_int_equal(fs_remove_tree(s->dir), 0);
	free(s->path);
	free(s);
	return 0;
}

static void
test_round_trip(void **state)
{
	struct scratch *s = *state;
	struct search_state st;

	assert_int_equal(search_state_load(&s->opt, &st), 0);
	assert_int_equal(st.engine, ENGINE);
	assert_int_equal(st.build, BUILD);
	assert_int_equal(st.ndocs, 130);
	assert_int_equal(st.bits, 7);
	assert_int_equal(st.total, 12345);
	assert_memory_equal(st.fingerprints, s->fingerprints,
	    sizeof(s->fingerprints));
	assert_memory_equal(st.doc_packs, s->docs, sizeof(s->docs));
	assert_memory_equal(st.shard_packs, s->shards, sizeof(s->shards));
	search_state_free(&st);
}

/* Another binary's, or a build's other than the one the folder has. */
static void
test_another_build(void **state)
{
	struct scratch *s = *state;
	struct search_state st;

	s->opt.engine = ENGINE + 1;
	assert_int_equal(search_state_load(&s->opt, &st), -1);
	assert_null(st.fingerprints);
	s->opt.engine = ENGINE;
	s->opt.committed = BUILD + 1;
	assert_int_equal(search_state_load(&s->opt, &st), -1);
}

/* Every byte is checked: a change, a cut, a byte more. */
static void
test_damaged(void **state)
{
	struct scratch *s = *state;
	struct search_state st;
	char *data;
	size_t len, at;

	assert_int_equal(fs_read(s->path, &data, &len), 0);
	for (at = 0; at < len; at += 7) {
		data[at] ^= 0x20;
		assert_int_equal(fs_write_atomic(s->path, data, len), 0);
		if (search_state_load(&s->opt, &st) != -1)
			fail_msg("loaded with byte %zu changed", at);
		data[at] ^= 0x20;
	}
	assert_int_equal(fs_write_atomic(s->path, data, len - 8), 0);
	assert_int_equal(search_state_load(&s->opt, &st), -1);
	assert_int_equal(fs_write_atomic(s->path, data, 10), 0);
	assert_int_equal(search_state_load(&s->opt, &st), -1);
	free(data);
	assert_int_equal(unlink(s->path), 0);
	assert_int_equal(search_state_load(&s->opt, &st), -1);
}

/*
 * Rewrites the saved state with extra bytes after its payload and the
 * hash made again, as a state consistent in all but its sizes.
 */
static void
append_hashed(const struct scratch *s, const char *extra, size_t n)
{
	struct buf payload = BUF_INIT, file = BUF_INIT;
	char *data;
	size_t len, head = 8 + 8;

	assert_int_equal(fs_read(s->path, &data, &len), 0);
	buf_append(&payload, data + head, len - head);
	buf_append(&payload, extra, n);
	buf_append(&file, data, 8);
	ser_u64(&file, XXH3_64bits(payload.data, payload.len));
	buf_append(&file, payload.data, payload.len);
	assert_int_equal(fs_write_atomic(s->path, file.data, file.len), 0);
	free(data);
	buf_free(&payload);
	buf_free(&file);
}

/* Shard bits out of range, or sizes that disagree, though hashed. */
static void
test_inconsistent(void **state)
{
	struct scratch *s = *state;
	struct search_state st;

	s->st.bits = SEARCH_SHARD_BITS_MIN - 1;
	assert_int_equal(search_state_save(s->path, &s->st), 0);
	assert_int_equal(search_state_load(&s->opt, &st), -1);
	s->st.bits = 7;
	assert_int_equal(search_state_save(s->path, &s->st), 0);
	append_hashed(s, "", 0);
	assert_int_equal(search_state_load(&s->opt, &st), 0);
	search_state_free(&st);
	/* Eight bytes more than 130 articles and 128 shards take. */
	append_hashed(s, "01234567", 8);
	assert_int_equal(search_state_load(&s->opt, &st), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_round_trip, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_another_build, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_damaged, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_inconsistent, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
