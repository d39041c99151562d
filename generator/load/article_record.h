/*
 * An article as a record of bytes, and back: what the build keeps of an
 * article between builds, so that an unchanged file is not read again.
 * A record holds every field of struct article and its digest, all but
 * the text; a field added to either is added here and nowhere else (a
 * string of the article, as a line of the table "strings" in
 * article_record.c).  The bytes are the build's to keep, and their
 * layout is known only here.
 */
#ifndef JICENG_ARTICLE_RECORD_H
#define JICENG_ARTICLE_RECORD_H

#include <stddef.h>

#include "../util/buf.h"
#include "article.h"

/*
 * Appends the record of a (which has a digest) to b: its path and stamp
 * first, where article_peek finds them.
 */
void	 article_encode(struct buf *b, const struct article *a);

/*
 * The article a record of len bytes holds, without its text, or NULL
 * when the record is damaged.  Its strings, and its digest's, lie in
 * data, borrowed: data must outlive it (see struct article's record).
 * fspath is where its file is found now, which the record may name
 * another way (the site reached by "-C DIR" or not).  Caller frees.
 */
struct article *article_decode(const void *data, size_t len,
	    const char *fspath);

/*
 * The path a record begins with, where it lies in data, and the stamp
 * after it in *st, without decoding the rest; NULL when the record is
 * too short to hold them.
 */
const char *article_peek(const void *data, size_t len,
	    struct article_stamp *st);

/*
 * The record a was decoded from while it still describes a (its digest
 * is the one decoded with it), to be kept as it is rather than encoded
 * again; NULL otherwise.  Sets *len.
 */
const void *article_record(const struct article *a, size_t *len);

#endif
