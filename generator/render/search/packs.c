/*
 * Packs, as packs.h describes them: written member by member, the table
 * filled in as each starts, and read back with every offset checked,
 * since a patch reads the packs an earlier build left.
 */
#include "packs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../util/xalloc.h"
#include "bytes.h"

#define OFFSET_MAX	0xFFFFFFFFu	/* what SEARCH_PACK_DIGITS hold */

void
search_pack_path(char *path, size_t size, const char *kind, size_t n)
{
	snprintf(path, size, "search/%s/%zu.js", kind, n);
}

size_t
search_pack_count(size_t total)
{
	return (total + SEARCH_PACK_MEMBERS - 1) / SEARCH_PACK_MEMBERS;
}

size_t
search_pack_members(size_t total, size_t n)
{
	size_t first = n * SEARCH_PACK_MEMBERS;

	return total - first < SEARCH_PACK_MEMBERS ? total - first :
	    SEARCH_PACK_MEMBERS;
}

/* Writes offset into the table's entry k. */
static void
set_offset(struct search_pack *p, size_t k, size_t offset)
{
	char digits[SEARCH_PACK_DIGITS + 1];

	/* Members are articles and shards: 4 GB in 64 of them is absurd. */
	if (offset > OFFSET_MAX) {
		fputs("jiceng: error: a search index pack passed 4 GB\n",
		    stderr);
		abort();
	}
	snprintf(digits, sizeof(digits), "%0*zx", SEARCH_PACK_DIGITS, offset);
	memcpy(p->file.data + p->table + k * SEARCH_PACK_DIGITS, digits,
	    SEARCH_PACK_DIGITS);
}

void
search_pack_start(struct search_pack *p, const char *path, size_t count)
{
	size_t i, n = (count + 1) * SEARCH_PACK_DIGITS;

	buf_truncate(&p->file, 0);
	search_wrap_head(&p->file, path);
	p->table = p->file.len;
	buf_grow(&p->file, n);
	for (i = 0; i < n; i++)
		buf_putc(&p->file, '0');
	p->count = count;
	p->added = 0;
}

void
search_pack_add(struct search_pack *p, const void *data, size_t len)
{
	set_offset(p, p->added++, p->file.len);
	search_escape(&p->file, data, len);
}

void
search_pack_copy(struct search_pack *p, const struct search_pack_view *v,
    size_t k)
{
	set_offset(p, p->added++, p->file.len);
	buf_append(&p->file, v->file + v->offsets[k],
	    v->offsets[k + 1] - v->offsets[k]);
}

void
search_pack_finish(struct search_pack *p)
{
	set_offset(p, p->added, p->file.len);
	buf_puts(&p->file, SEARCH_WRAP_TAIL);
}

void
search_pack_free(struct search_pack *p)
{
	buf_free(&p->file);
	memset(p, 0, sizeof(*p));
}

/* The offset at s, or -1 when its digits are not lower-case hex. */
static long long
read_offset(const char *s)
{
	long long v = 0;
	size_t i;

	for (i = 0; i < SEARCH_PACK_DIGITS; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			v = v * 16 + (s[i] - '0');
		else if (s[i] >= 'a' && s[i] <= 'f')
			v = v * 16 + (s[i] - 'a' + 10);
		else
			return -1;
	}
	return v;
}

int
search_pack_open(struct search_pack_view *v, const char *path,
    const char *file, size_t len, size_t count)
{
	struct buf head = BUF_INIT;
	size_t table, tail = strlen(SEARCH_WRAP_TAIL), k;
	long long off, last;
	int rc = -1;

	memset(v, 0, sizeof(*v));
	search_wrap_head(&head, path);
	table = head.len + (count + 1) * SEARCH_PACK_DIGITS;
	if (count == 0 || len < table + tail ||
	    memcmp(file, head.data, head.len) != 0 ||
	    memcmp(file + len - tail, SEARCH_WRAP_TAIL, tail) != 0)
		goto out;
	v->offsets = xcalloc(count + 1, sizeof(*v->offsets));
	for (k = 0, last = (long long)table; k <= count; k++) {
		off = read_offset(file + head.len + k * SEARCH_PACK_DIGITS);
		if (off < last || (k == 0 && off != last) ||
		    (k == count && (size_t)off != len - tail))
			goto out;
		v->offsets[k] = (size_t)(last = off);
	}
	v->file = file;
	v->len = len;
	v->count = count;
	rc = 0;
out:
	if (rc == -1)
		search_pack_close(v);
	buf_free(&head);
	return rc;
}

int
search_pack_member(const struct search_pack_view *v, size_t k,
    struct buf *out)
{
	size_t start = v->offsets[k], n = v->offsets[k + 1] - start;
	long got;

	buf_truncate(out, 0);
	buf_append(out, v->file + start, n);
	got = search_unescape((unsigned char *)out->data, n);
	if (got < 0)
		return -1;
	buf_truncate(out, (size_t)got);
	return 0;
}

void
search_pack_close(struct search_pack_view *v)
{
	free(v->offsets);
	memset(v, 0, sizeof(*v));
}
