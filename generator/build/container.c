#include "container.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "../util/fs.h"
#include "../util/ser.h"

#define CONTAINER_MAGIC	"JICENGC9"	/* the format; change on any change */
#define MAGIC_LEN	8
/* The magic, the engine, the checksum: what the checksum leaves out. */
#define HEAD_LEN	(MAGIC_LEN + 16)

/* Whether the sections read so far hold name already. */
static bool
has_section(const struct container *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->nsections; i++)
		if (strcmp(c->sections[i].name, name) == 0)
			return true;
	return false;
}

/* Lists the sections after the head; -1 when they do not add up. */
static int
read_sections(struct container *c)
{
	struct ser_reader r;
	struct container_section *s;
	uint32_t n, i;

	ser_reader_init(&r, c->raw + HEAD_LEN, c->len - HEAD_LEN);
	n = ser_read_u32(&r);
	if (n > CONTAINER_SECTIONS)
		return -1;
	for (i = 0; i < n && !r.bad; i++) {
		s = &c->sections[i];
		s->name = ser_read_view(&r);
		s->len = (size_t)ser_read_u64(&r);
		s->data = ser_read_bytes(&r, s->len);
		if (s->name == NULL || has_section(c, s->name))
			r.bad = true;
		else
			c->nsections = i + 1;
	}
	return r.bad || r.p != r.end ? -1 : 0;
}

int
container_read(struct container *c, const char *path, uint64_t engine)
{
	struct ser_reader r;

	memset(c, 0, sizeof(*c));
	if (fs_read(path, &c->raw, &c->len) == -1) {
		c->raw = NULL;
		return -1;
	}
	if (c->len < HEAD_LEN || memcmp(c->raw, CONTAINER_MAGIC,
	    MAGIC_LEN) != 0)
		goto bad;
	ser_reader_init(&r, c->raw + MAGIC_LEN, 16);
	/* The checksum tells a file cut short or half rewritten. */
	if (ser_read_u64(&r) != engine || ser_read_u64(&r) !=
	    XXH3_64bits(c->raw + HEAD_LEN, c->len - HEAD_LEN))
		goto bad;
	if (read_sections(c) == -1)
		goto bad;
	return 0;
bad:
	container_free(c);
	return -1;
}

const unsigned char *
container_section(const struct container *c, const char *name, size_t *len)
{
	size_t i;

	for (i = 0; i < c->nsections; i++)
		if (strcmp(c->sections[i].name, name) == 0) {
			*len = c->sections[i].len;
			/* Never NULL for a section found, even an empty one. */
			return c->sections[i].data != NULL ?
			    c->sections[i].data : (const unsigned char *)"";
		}
	*len = 0;
	return NULL;
}

void
container_free(struct container *c)
{
	free(c->raw);
	memset(c, 0, sizeof(*c));
}

void
container_add(struct container_writer *w, const char *name,
    const struct buf *parts, size_t n)
{
	uint64_t len = 0;
	size_t i;

	/* A fixed set of sections in the code: more is a mistake there. */
	if (w->nsections == CONTAINER_SECTIONS ||
	    n > CONTAINER_PARTS - w->nparts)
		abort();
	for (i = 0; i < n; i++) {
		w->parts[w->nparts].iov_base = parts[i].data;
		w->parts[w->nparts++].iov_len = parts[i].len;
		len += parts[i].len;
	}
	ser_str(&w->heads, name);
	ser_u64(&w->heads, len);
	w->head_ends[w->nsections] = w->heads.len;
	w->part_ends[w->nsections++] = w->nparts;
}

int
container_write(struct container_writer *w, const char *path,
    uint64_t engine)
{
	struct iovec iov[1 + CONTAINER_SECTIONS + CONTAINER_PARTS];
	unsigned char head[HEAD_LEN + 4];
	XXH3_state_t *state;
	size_t i, k, n = 0, head_at = 0, part_at = 0;
	uint64_t sum;
	int rc;

	memcpy(head, CONTAINER_MAGIC, MAGIC_LEN);
	ser_put_u32(head + MAGIC_LEN, (uint32_t)engine);
	ser_put_u32(head + MAGIC_LEN + 4, (uint32_t)(engine >> 32));
	ser_put_u32(head + HEAD_LEN, (uint32_t)w->nsections);
	iov[n].iov_base = head;
	iov[n++].iov_len = sizeof(head);
	for (i = 0; i < w->nsections; i++) {
		iov[n].iov_base = w->heads.data + head_at;
		iov[n++].iov_len = w->head_ends[i] - head_at;
		head_at = w->head_ends[i];
		for (k = part_at; k < w->part_ends[i]; k++)
			iov[n++] = w->parts[k];
		part_at = w->part_ends[i];
	}
	/* Hashed and written part by part: no copy of the whole. */
	if ((state = XXH3_createState()) == NULL) {
		errno = ENOMEM;
		return -1;
	}
	XXH3_64bits_reset(state);
	XXH3_64bits_update(state, head + HEAD_LEN, 4);
	for (i = 1; i < n; i++)
		XXH3_64bits_update(state, iov[i].iov_base, iov[i].iov_len);
	sum = XXH3_64bits_digest(state);
	XXH3_freeState(state);
	ser_put_u32(head + MAGIC_LEN + 8, (uint32_t)sum);
	ser_put_u32(head + MAGIC_LEN + 12, (uint32_t)(sum >> 32));
	rc = fs_overwritev(path, iov, n);
	return rc;
}

void
container_writer_free(struct container_writer *w)
{
	buf_free(&w->heads);
	memset(w, 0, sizeof(*w));
}
