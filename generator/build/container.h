/*
 * The one format of every file the build's memory is made of (see
 * build/cache.h): a magic, the engine that wrote the file, a checksum of
 * everything after it, then named sections, each its name and its length
 * before its bytes.  A reader checks the whole file before it trusts a
 * byte of it, and finds a section by its name; what a section holds is
 * the business of whoever wrote it, and a section no reader asks for is
 * passed over.  A file that is missing, cut short, damaged, of another
 * format or written by another engine is refused whole.
 *
 *	"JICENGC9"	the magic: 8 bytes, changed with the format
 *	u64		the engine (cache_engine_id)
 *	u64		XXH3-64 of everything below
 *	u32		the number of sections
 *	then for each section:
 *	u32, bytes, NUL	its name
 *	u64		its length
 *	bytes		its contents
 *
 * Integers are little-endian (util/ser.h).
 */
#ifndef JICENG_CONTAINER_H
#define JICENG_CONTAINER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#include "../util/buf.h"

/* Sections one container holds at most, and parts they are written in. */
#define CONTAINER_SECTIONS	8
#define CONTAINER_PARTS		16

struct container_section {
	const char *name;		/* into the file's bytes */
	const unsigned char *data;	/* likewise */
	size_t	 len;
};

/* A container as read. */
struct container {
	char	*raw;			/* owned; the file */
	size_t	 len;
	struct container_section sections[CONTAINER_SECTIONS];
	size_t	 nsections;
};

#define CONTAINER_INIT { NULL, 0, { { NULL, NULL, 0 } }, 0 }

/*
 * Reads the container at path written by engine into c (empty or freed
 * on entry).  Returns 0, or -1 when there is no such file or it is
 * refused (then c holds nothing).
 */
int	 container_read(struct container *c, const char *path,
	    uint64_t engine);
/*
 * The bytes of the section named name, where they lie in c, and their
 * length in *len; NULL when c holds no such section.
 */
const unsigned char *container_section(const struct container *c,
	    const char *name, size_t *len);
/* Frees what c holds; c is empty after, and may be read into again. */
void	 container_free(struct container *c);

/*
 * A container being written: each section is given as parts, borrowed
 * (not copied) until container_write, which writes them one after
 * another.
 */
struct container_writer {
	struct buf heads;	/* the header, then each section's name and
				   length */
	size_t	 head_ends[CONTAINER_SECTIONS + 1]; /* where each ends */
	struct iovec parts[CONTAINER_PARTS];
	size_t	 part_ends[CONTAINER_SECTIONS]; /* each section's last + 1 */
	size_t	 nsections;
	size_t	 nparts;
};

#define CONTAINER_WRITER_INIT { BUF_INIT, { 0 }, { { NULL, 0 } }, { 0 }, \
	0, 0 }

/*
 * Adds the section name made of the n bufs parts, one after another.
 * More sections or parts than a container holds is a mistake of the
 * caller's: it aborts.
 */
void	 container_add(struct container_writer *w, const char *name,
	    const struct buf *parts, size_t n);
/*
 * Writes the sections added over the file at path, as engine.  Returns
 * 0, or -1 with errno set.
 */
int	 container_write(struct container_writer *w, const char *path,
	    uint64_t engine);
void	 container_writer_free(struct container_writer *w);

#endif
