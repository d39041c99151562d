#include "article_record.h"

#include <stddef.h>
#include <string.h>

#include "../util/ser.h"
#include "../util/xalloc.h"

static void
write_stamp(struct buf *b, const struct article_stamp *st)
{
	ser_u64(b, st->size);
	ser_u64(b, (uint64_t)st->mtime_ns);
	ser_u64(b, (uint64_t)st->ctime_ns);
	ser_u64(b, st->ino);
}

static void
read_stamp(struct ser_reader *r, struct article_stamp *st)
{
	st->size = ser_read_u64(r);
	st->mtime_ns = (int64_t)ser_read_u64(r);
	st->ctime_ns = (int64_t)ser_read_u64(r);
	st->ino = ser_read_u64(r);
}

/*
 * A string of a record, left where it lies: an article decoded borrows
 * its strings (see struct article's record).
 */
static char *
borrow(struct ser_reader *r)
{
	return (char *)ser_read_view(r);
}

static void
write_digest(struct buf *b, const struct article_digest *g)
{
	size_t i;
	uint32_t bits;

	ser_u64(b, g->themes_hash);
	ser_str(b, g->summary);
	ser_u32(b, (uint32_t)g->npassages);
	for (i = 0; i < g->npassages; i++) {
		ser_str(b, g->passages[i].text);
		ser_u32(b, (uint32_t)g->passages[i].mark_off);
		ser_u32(b, (uint32_t)g->passages[i].mark_len);
	}
	ser_u32(b, (uint32_t)g->nterms);
	for (i = 0; i < g->nterms; i++) {
		ser_u64(b, g->term_keys[i]);
		memcpy(&bits, &g->term_weights[i], sizeof(bits));
		ser_u32(b, bits);
	}
}

static struct article_digest *
read_digest(struct ser_reader *r)
{
	struct article_digest *g = xcalloc(1, sizeof(*g));
	struct article_passage *pa;
	size_t i, n;
	uint32_t bits;

	g->borrowed = true;
	g->themes_hash = ser_read_u64(r);
	g->summary = borrow(r);
	n = ser_read_count(r);
	g->passages = xcalloc(n + 1, sizeof(*g->passages));
	for (i = 0; i < n && !r->bad; i++) {
		pa = &g->passages[i];
		pa->text = borrow(r);
		pa->mark_off = ser_read_u32(r);
		pa->mark_len = ser_read_u32(r);
		g->npassages = i + 1;
		if (pa->text != NULL &&
		    pa->mark_off + pa->mark_len > strlen(pa->text))
			r->bad = true;
	}
	n = ser_read_u32(r);
	if (n > ARTICLE_TERMS)
		r->bad = true;
	for (i = 0; i < n && !r->bad; i++) {
		g->term_keys[i] = ser_read_u64(r);
		bits = ser_read_u32(r);
		memcpy(&g->term_weights[i], &bits, sizeof(bits));
		g->nterms = i + 1;
	}
	if (r->bad || g->summary == NULL) {
		r->bad = true;
		article_digest_free(g);
		return NULL;
	}
	return g;
}

/*
 * The article's strings after its path, in the record's order: a string
 * field added to struct article is a line here.
 */
static const size_t strings[] = {
	offsetof(struct article, stem),
	offsetof(struct article, fspath),
	offsetof(struct article, title),
	offsetof(struct article, province),
	offsetof(struct article, city),
	offsetof(struct article, district),
	offsetof(struct article, author),
	offsetof(struct article, author_title),
	offsetof(struct article, series),
	offsetof(struct article, source_file),
	offsetof(struct article, date),
	offsetof(struct article, slug),
};
#define NSTRINGS	(sizeof(strings) / sizeof(strings[0]))

/* The string field at offset off of a (one of strings). */
static const char *
string_of(const struct article *a, size_t off)
{
	const char *const *field = (const void *)((const char *)a + off);

	return *field;
}

static void
set_string(struct article *a, size_t off, char *s)
{
	char **field = (void *)((char *)a + off);

	*field = s;
}

void
article_encode(struct buf *b, const struct article *a)
{
	size_t i;

	ser_str(b, a->path);
	write_stamp(b, &a->stamp);
	ser_u64(b, a->hash);
	for (i = 0; i < NSTRINGS; i++)
		ser_str(b, string_of(a, strings[i]));
	ser_u32(b, (uint32_t)a->kind);
	ser_u32(b, a->source_line);
	ser_u32(b, a->slug_line);
	ser_u32(b, a->draft);
	ser_u32(b, a->body_line);
	ser_u32(b, (uint32_t)a->nthemes);
	for (i = 0; i < a->nthemes; i++) {
		ser_str(b, a->themes[i]);
		ser_u32(b, a->theme_lines[i]);
		ser_u32(b, a->theme_cols[i]);
	}
	ser_u32(b, (uint32_t)a->nnotes);
	for (i = 0; i < a->nnotes; i++) {
		ser_u32(b, a->notes[i].line);
		ser_str(b, a->notes[i].text);
	}
	ser_u32(b, (uint32_t)a->naccept);
	for (i = 0; i < a->naccept; i++)
		ser_str(b, a->accept[i]);
	write_digest(b, a->digest);
}

static void
read_themes(struct ser_reader *r, struct article *a)
{
	size_t i, n = ser_read_count(r);

	a->themes = xcalloc(n + 1, sizeof(*a->themes));
	a->theme_lines = xcalloc(n + 1, sizeof(*a->theme_lines));
	a->theme_cols = xcalloc(n + 1, sizeof(*a->theme_cols));
	for (i = 0; i < n && !r->bad; i++) {
		a->themes[i] = borrow(r);
		a->theme_lines[i] = ser_read_u32(r);
		a->theme_cols[i] = ser_read_u32(r);
		a->nthemes = i + 1;
	}
}

static void
read_notes(struct ser_reader *r, struct article *a)
{
	size_t i, n = ser_read_count(r);

	a->notes = xcalloc(n + 1, sizeof(*a->notes));
	for (i = 0; i < n && !r->bad; i++) {
		a->notes[i].line = ser_read_u32(r);
		a->notes[i].text = borrow(r);
		a->nnotes = i + 1;
		r->bad |= a->notes[i].text == NULL;
	}
}

static void
read_accept(struct ser_reader *r, struct article *a)
{
	size_t i, n = ser_read_count(r);

	a->accept = xcalloc(n + 1, sizeof(*a->accept));
	for (i = 0; i < n && !r->bad; i++) {
		a->accept[i] = borrow(r);
		a->naccept = i + 1;
		r->bad |= a->accept[i] == NULL;
	}
}

struct article *
article_decode(const void *data, size_t len, const char *fspath)
{
	struct article *a = xcalloc(1, sizeof(*a));
	struct ser_reader r;
	size_t i;

	a->record = data;
	a->record_len = len;
	ser_reader_init(&r, data, len);
	a->path = borrow(&r);
	read_stamp(&r, &a->stamp);
	a->hash = ser_read_u64(&r);
	for (i = 0; i < NSTRINGS; i++)
		set_string(a, strings[i], borrow(&r));
	a->kind = ser_read_u32(&r) ? ARTICLE_KIND_NOTE : ARTICLE_KIND_ARTICLE;
	a->source_line = ser_read_u32(&r);
	a->slug_line = ser_read_u32(&r);
	a->draft = ser_read_u32(&r) != 0;
	a->body_line = ser_read_u32(&r);
	read_themes(&r, a);
	read_notes(&r, a);
	read_accept(&r, a);
	if (!r.bad)
		a->digest = read_digest(&r);
	if (r.bad || r.p != r.end || a->path == NULL || a->title == NULL ||
	    a->slug == NULL || a->stem == NULL || a->fspath == NULL ||
	    a->digest == NULL) {
		article_free(a);
		return NULL;
	}
	/* The same file, the site named another way: read it from here. */
	if (strcmp(a->fspath, fspath) != 0)
		a->fspath = a->fspath_now = xstrdup(fspath);
	return a;
}

const char *
article_peek(const void *data, size_t len, struct article_stamp *st)
{
	struct ser_reader r;
	const char *path;

	ser_reader_init(&r, data, len);
	path = ser_read_view(&r);
	read_stamp(&r, st);
	return r.bad ? NULL : path;
}

const void *
article_record(const struct article *a, size_t *len)
{
	/* A digest made again since is not the record's. */
	if (a->record == NULL || a->digest == NULL || !a->digest->borrowed)
		return NULL;
	*len = a->record_len;
	return a->record;
}

