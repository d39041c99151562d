/*
 * Packs: the files the search index's articles and shards are written
 * in, SEARCH_PACK_MEMBERS to a file, so that a site of 10,000 articles
 * has a few hundred index files rather than 18,000, while a reader
 * still fetches only the members a query needs.
 *
 *   search/docs/N.js    articles N * SEARCH_PACK_MEMBERS on (docs.h)
 *   search/shards/N.js  shards N * SEARCH_PACK_MEMBERS on (shards.h)
 *
 * The last pack of each holds what is left; a pack has at least one
 * member.  A pack is a script as bytes.h describes, its string being a
 * table and then each member escaped on its own, so that a member's
 * bytes in the file are one run that unescapes alone:
 *
 *   pack   jicengSearch("NAME","TABLE MEMBERS");\n
 *   TABLE  count + 1 offsets, each SEARCH_PACK_DIGITS lower-case hex
 *          digits: where in the file member k starts, then where the
 *          last one ends (the closing quote)
 *
 * Over HTTP, assets/search.js reads the two offsets of member k (a
 * range of the table, at a place it computes from NAME) and then the
 * member (a range of the file); a host that ignores ranges sends the
 * whole pack, and the script takes the member from it.  From disk it
 * runs the pack as a script and cuts the members from its string.
 *
 * Private to render/search/.
 */
#ifndef JICENG_SEARCH_PACKS_H
#define JICENG_SEARCH_PACKS_H

#include <stddef.h>
#include <stdint.h>

#include "../../util/buf.h"

#define SEARCH_PACK_MEMBERS	64	/* members of a pack, but the last */
#define SEARCH_PACK_DIGITS	8	/* hex digits of an offset */

/* A pack being written. */
struct search_pack {
	struct buf file;	/* owned; its bytes so far */
	size_t	 count;		/* members it will hold */
	size_t	 added;		/* members added */
	size_t	 table;		/* where its table starts in file */
};

/* A pack as read: its file's bytes, borrowed, and its table checked. */
struct search_pack_view {
	const char *file;
	size_t	 len;
	size_t	 count;
	size_t	*offsets;	/* owned; count + 1 */
};

/* The path of pack n of kind ("docs" or "shards"), in path[size]. */
void	 search_pack_path(char *path, size_t size, const char *kind,
	    size_t n);
/* Packs that hold total members. */
size_t	 search_pack_count(size_t total);
/* Members of pack n of those that hold total. */
size_t	 search_pack_members(size_t total, size_t n);

/* Starts the pack at path, of count members (at least one). */
void	 search_pack_start(struct search_pack *p, const char *path,
	    size_t count);
/* Adds the next member's data. */
void	 search_pack_add(struct search_pack *p, const void *data, size_t len);
/* Adds member k of v as it is there, escaped: a member kept. */
void	 search_pack_copy(struct search_pack *p,
	    const struct search_pack_view *v, size_t k);
/* Ends the pack once its count of members is added: p->file is done. */
void	 search_pack_finish(struct search_pack *p);
void	 search_pack_free(struct search_pack *p);

/*
 * Reads a pack's table: 0, or -1 (nothing to free) when file[len] is
 * no pack of count members at path.
 */
int	 search_pack_open(struct search_pack_view *v, const char *path,
	    const char *file, size_t len, size_t count);
/*
 * The data of member k, in out (emptied first); -1 when its bytes end
 * inside an escape.
 */
int	 search_pack_member(const struct search_pack_view *v, size_t k,
	    struct buf *out);
void	 search_pack_close(struct search_pack_view *v);

#endif
