#include "article.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#include <xxhash.h>

#include "../util/fs.h"
#include "../util/suggest.h"
#include "../util/utf8.h"
#include "../util/xalloc.h"
#include "config.h"
#include "ydoc.h"

/* How a front matter key's value is read. */
enum field_type {
	FIELD_TEXT,		/* a non-empty string */
	FIELD_PLACE,		/* a place name, which becomes part of a
				   path, or null */
	FIELD_THEMES,		/* a list of slugs */
	FIELD_KIND,		/* article | note */
	FIELD_SOURCE,		/* {file: NAME, line: N} */
	FIELD_DATE,		/* YYYY-MM-DD */
	FIELD_SLUG,		/* a safe slug */
	FIELD_BOOL,
	FIELD_COLLATION,	/* a list of {line: N, note: TEXT} */
	FIELD_ACCEPT,		/* a list of strings */
};

struct field {
	const char *key;
	enum field_type type;
	size_t	 offset;	/* of the member in struct article */
};

#define F(key, type, member) { key, type, offsetof(struct article, member) }
static const struct field fields[] = {
	F("title", FIELD_TEXT, title),
	F("province", FIELD_PLACE, province),
	F("city", FIELD_PLACE, city),
	F("district", FIELD_PLACE, district),
	F("author", FIELD_TEXT, author),
	F("author_title", FIELD_TEXT, author_title),
	F("themes", FIELD_THEMES, themes),
	F("kind", FIELD_KIND, kind),
	F("series", FIELD_TEXT, series),
	F("source", FIELD_SOURCE, source_file),
	F("date", FIELD_DATE, date),
	F("slug", FIELD_SLUG, slug),
	F("draft", FIELD_BOOL, draft),
	F("collation", FIELD_COLLATION, notes),
	F("accept", FIELD_ACCEPT, accept),
};
#undef F
#define NFIELDS (sizeof(fields) / sizeof(fields[0]))


static char **
member_string(struct article *a, const struct field *f)
{
	return (char **)((char *)a + f->offset);
}

/*
 * Reads a string into *out.  A blank is refused, unless blank is true:
 * then null and "" leave *out NULL, a value not given yet.
 */
static int
read_text(struct ydoc *y, yaml_node_t *v, const char *key, bool blank,
    char **out, struct diags *d)
{
	const char *s = ydoc_scalar(v);

	/* A key may come twice inside a map ("source"): the last wins. */
	free(*out);
	*out = NULL;
	if (blank && (ydoc_is_null(v) || (s != NULL && s[0] == '\0')))
		return 0;
	if (s == NULL) {
		ydoc_error(y, d, v, "\"%s\" must be a string", key);
		return -1;
	}
	if (s[0] == '\0' || ydoc_is_null(v)) {
		ydoc_error(y, d, v, "\"%s\" is empty", key);
		return -1;
	}
	*out = xstrdup(s);
	return 0;
}

static int
read_themes(struct ydoc *y, yaml_node_t *v, struct article *a,
    struct diags *d)
{
	yaml_node_item_t *it;
	yaml_node_t *item;
	size_t n;
	int rc = 0;

	if (ydoc_is_null(v))
		return 0;
	if (v->type != YAML_SEQUENCE_NODE) {
		ydoc_error(y, d, v, "\"themes\" must be a list of theme slugs");
		return -1;
	}
	n = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
	a->themes = xcalloc(n, sizeof(*a->themes));
	a->theme_lines = xcalloc(n, sizeof(*a->theme_lines));
	a->theme_cols = xcalloc(n, sizeof(*a->theme_cols));
	for (it = v->data.sequence.items.start; it < v->data.sequence.items.top;
	    it++) {
		item = ydoc_node(y, *it);
		if (ydoc_scalar(item) == NULL || ydoc_scalar(item)[0] == '\0') {
			ydoc_error(y, d, item, "a theme must be a slug");
			rc = -1;
			continue;
		}
		a->theme_lines[a->nthemes] = ydoc_line(y, item);
		a->theme_cols[a->nthemes] = ydoc_col(item);
		a->themes[a->nthemes++] = xstrdup(ydoc_scalar(item));
	}
	return rc;
}

static int
read_kind(struct ydoc *y, yaml_node_t *v, struct article *a, struct diags *d)
{
	const char *s = ydoc_scalar(v);

	if (s != NULL && strcmp(s, "article") == 0)
		a->kind = ARTICLE_KIND_ARTICLE;
	else if (s != NULL && strcmp(s, "note") == 0)
		a->kind = ARTICLE_KIND_NOTE;
	else {
		ydoc_error(y, d, v, "\"kind\" must be \"article\" or \"note\", "
		    "not \"%s\"", s ? s : "(not a string)");
		return -1;
	}
	return 0;
}

static int
parse_line_number(const char *s, unsigned *out)
{
	char *end;
	unsigned long n;

	if (s == NULL || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	n = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || n == 0 || n > 100000000UL)
		return -1;
	*out = (unsigned)n;
	return 0;
}

static int
read_source(struct ydoc *y, yaml_node_t *v, struct article *a,
    struct diags *d)
{
	yaml_node_pair_t *p;
	yaml_node_t *k, *val;
	const char *key;
	int rc = 0;

	if (v->type != YAML_MAPPING_NODE) {
		ydoc_error(y, d, v, "\"source\" must be a map {file: NAME, "
		    "line: N}");
		return -1;
	}
	for (p = v->data.mapping.pairs.start; p < v->data.mapping.pairs.top;
	    p++) {
		k = ydoc_node(y, p->key);
		val = ydoc_node(y, p->value);
		key = ydoc_scalar(k);
		if (key != NULL && strcmp(key, "file") == 0) {
			if (read_text(y, val, "source.file", false,
			    &a->source_file, d) == -1)
				rc = -1;
			else if (!article_file_name_is_safe(a->source_file)) {
				ydoc_error(y, d, val, "\"source.file\" must "
				    "be a file name in content/sources/, not "
				    "\"%s\"", a->source_file);
				rc = -1;
			}
		} else if (key != NULL && strcmp(key, "line") == 0) {
			if (parse_line_number(ydoc_scalar(val),
			    &a->source_line) == -1) {
				ydoc_error(y, d, val, "\"source.line\" must be "
				    "a line number");
				rc = -1;
			}
		} else {
			ydoc_error(y, d, k, "unknown key \"%s\" in \"source\" "
			    "(expected \"file\" or \"line\")",
			    key ? key : "?");
			rc = -1;
		}
	}
	return rc;
}

static size_t
sequence_length(yaml_node_t *v)
{
	return (size_t)(v->data.sequence.items.top -
	    v->data.sequence.items.start);
}

/* One note of the collation: {line: N, note: TEXT}, or just TEXT. */
static int
read_note(struct ydoc *y, yaml_node_t *item, struct article_note *note,
    struct diags *d)
{
	yaml_node_pair_t *p;
	const char *key, *s;
	int rc = 0;

	if ((s = ydoc_scalar(item)) != NULL && s[0] != '\0') {
		note->text = xstrdup(s);
		return 0;
	}
	if (item->type != YAML_MAPPING_NODE) {
		ydoc_error(y, d, item, "a collation note must be a text or "
		    "{line: N, note: TEXT}");
		return -1;
	}
	for (p = item->data.mapping.pairs.start;
	    p < item->data.mapping.pairs.top; p++) {
		key = ydoc_scalar(ydoc_node(y, p->key));
		s = ydoc_scalar(ydoc_node(y, p->value));
		if (key != NULL && strcmp(key, "line") == 0) {
			if (parse_line_number(s, &note->line) == -1) {
				ydoc_error(y, d, ydoc_node(y, p->value),
				    "\"line\" must be a line number");
				rc = -1;
			}
		} else if (key != NULL && strcmp(key, "note") == 0 &&
		    s != NULL && s[0] != '\0') {
			free(note->text);
			note->text = xstrdup(s);
		} else {
			ydoc_error(y, d, ydoc_node(y, p->key), "a collation "
			    "note holds \"line\" and a non-empty \"note\"");
			rc = -1;
		}
	}
	if (rc == 0 && note->text == NULL) {
		ydoc_error(y, d, item, "a collation note needs a \"note\"");
		rc = -1;
	}
	return rc;
}

static int
read_collation(struct ydoc *y, yaml_node_t *v, struct article *a,
    struct diags *d)
{
	yaml_node_item_t *it;
	int rc = 0;

	if (v->type != YAML_SEQUENCE_NODE) {
		ydoc_error(y, d, v, "\"collation\" must be a list of notes");
		return -1;
	}
	a->notes = xcalloc(sequence_length(v) + 1, sizeof(*a->notes));
	for (it = v->data.sequence.items.start; it < v->data.sequence.items.top;
	    it++)
		if (read_note(y, ydoc_node(y, *it), &a->notes[a->nnotes++],
		    d) == -1)
			rc = -1;
	return rc;
}

static int
read_accept(struct ydoc *y, yaml_node_t *v, struct article *a,
    struct diags *d)
{
	yaml_node_item_t *it;
	const char *s;

	if (v->type != YAML_SEQUENCE_NODE) {
		ydoc_error(y, d, v, "\"accept\" must be a list of rules");
		return -1;
	}
	a->accept = xcalloc(sequence_length(v) + 1, sizeof(*a->accept));
	for (it = v->data.sequence.items.start; it < v->data.sequence.items.top;
	    it++) {
		if ((s = ydoc_scalar(ydoc_node(y, *it))) == NULL ||
		    s[0] == '\0') {
			ydoc_error(y, d, ydoc_node(y, *it), "an accepted "
			    "scar is written \"RULE\" or \"RULE: text\"");
			return -1;
		}
		a->accept[a->naccept++] = xstrdup(s);
	}
	return 0;
}

static int
read_field(struct ydoc *y, const struct field *f, yaml_node_t *v,
    struct article *a, struct diags *d)
{
	char **s = member_string(a, f);

	switch (f->type) {
	case FIELD_TEXT:
		return read_text(y, v, f->key, false, s, d);
	case FIELD_PLACE:
		if (read_text(y, v, f->key, true, s, d) == -1)
			return -1;
		if (*s != NULL && !article_place_is_safe(*s)) {
			ydoc_error(y, d, v, "\"%s\" must be a place name "
			    "(letters and digits), not \"%s\"", f->key, *s);
			return -1;
		}
		return 0;
	case FIELD_THEMES:
		return read_themes(y, v, a, d);
	case FIELD_KIND:
		return read_kind(y, v, a, d);
	case FIELD_SOURCE:
		return read_source(y, v, a, d);
	case FIELD_DATE:
		if (read_text(y, v, f->key, false, s, d) == -1)
			return -1;
		if (!config_is_date(*s)) {
			ydoc_error(y, d, v, "\"date\" must be a date written "
			    "YYYY-MM-DD, not \"%s\"", *s);
			return -1;
		}
		return 0;
	case FIELD_SLUG:
		if (read_text(y, v, f->key, false, s, d) == -1)
			return -1;
		a->slug_line = ydoc_line(y, v);
		if (!article_slug_is_safe(*s)) {
			ydoc_error(y, d, v, "unsafe slug \"%s\" (use letters, "
			    "digits, \"-\" and \"_\")", *s);
			return -1;
		}
		return 0;
	case FIELD_COLLATION:
		return read_collation(y, v, a, d);
	case FIELD_ACCEPT:
		return read_accept(y, v, a, d);
	case FIELD_BOOL:
		if (ydoc_bool(v, &a->draft) == -1) {
			ydoc_error(y, d, v, "\"%s\" must be true or false",
			    f->key);
			return -1;
		}
		return 0;
	}
	return -1;
}

static const struct field *
find_field(const char *key)
{
	size_t i;

	for (i = 0; i < NFIELDS; i++)
		if (strcmp(fields[i].key, key) == 0)
			return &fields[i];
	return NULL;
}

static void
report_unknown_key(struct ydoc *y, yaml_node_t *k, const char *key,
    struct diags *d)
{
	const char *names[NFIELDS];
	const char *guess;
	size_t i;

	for (i = 0; i < NFIELDS; i++)
		names[i] = fields[i].key;
	guess = suggest(key, names, NFIELDS);
	if (guess != NULL)
		ydoc_error(y, d, k, "unknown key \"%s\" (did you mean \"%s\"?)",
		    key, guess);
	else
		ydoc_error(y, d, k, "unknown key \"%s\"", key);
}

/* What the front matter gave of one field, for check_required. */
struct given {
	bool	 seen;		/* the key is there */
	bool	 refused;	/* and its value had an error */
	unsigned line, col;	/* of the value */
};

/*
 * Reads every key of the front matter map, noting in given what each
 * field had; returns the number of errors.
 */
static size_t
read_front_matter(struct ydoc *y, struct article *a, struct given *given,
    struct diags *d)
{
	yaml_node_t *root = ydoc_root(y), *k, *v;
	yaml_node_pair_t *p;
	const struct field *f;
	struct given *g;
	const char *key;
	size_t errors = 0;

	if (root == NULL || root->type != YAML_MAPPING_NODE) {
		ydoc_error(y, d, root, "front matter must be a map of keys");
		return 1;
	}
	for (p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top;
	    p++) {
		k = ydoc_node(y, p->key);
		key = ydoc_scalar(k);
		if (key == NULL || (f = find_field(key)) == NULL) {
			report_unknown_key(y, k, key ? key : "?", d);
			errors++;
			continue;
		}
		g = &given[f - fields];
		if (g->seen) {
			ydoc_error(y, d, k, "duplicate key \"%s\"", key);
			errors++;
			continue;
		}
		v = ydoc_node(y, p->value);
		g->seen = true;
		g->line = ydoc_line(y, v);
		g->col = ydoc_col(v);
		if (read_field(y, f, v, a, d) == -1) {
			g->refused = true;
			errors++;
		}
	}
	return errors;
}

/*
 * Reports a field a needs and has not: one the front matter lacks at
 * 1:1, one it leaves blank at the value.  Said once: a value refused
 * has had its message.
 */
static size_t
require(const struct given *given, const char *key, const char *path,
    struct diags *d)
{
	const struct given *g = &given[find_field(key) - fields];

	if (g->refused)
		return 0;
	if (!g->seen)
		diag_error(d, path, 1, 1, "missing \"%s\"", key);
	else
		diag_error(d, path, g->line, g->col, "\"%s\" is not filled "
		    "in; an article that is not a draft needs it", key);
	return 1;
}

/*
 * Checks the fields an article needs.  A draft may yet lack its place:
 * it is not published, and a new one starts without.
 */
static size_t
check_required(const struct article *a, const struct given *given,
    const char *path, struct diags *d)
{
	size_t errors = 0;

	if (a->title == NULL)
		errors += require(given, "title", path, d);
	if (a->kind == ARTICLE_KIND_ARTICLE && !a->draft) {
		if (a->province == NULL)
			errors += require(given, "province", path, d);
		if (a->district == NULL)
			errors += require(given, "district", path, d);
	}
	if (a->district != NULL && a->province == NULL &&
	    a->kind == ARTICLE_KIND_NOTE) {
		diag_error(d, path, 1, 1, "\"district\" needs a \"province\"");
		errors++;
	}
	return errors;
}

/* Length of the line at s (without its newline and any CR before it). */
static size_t
line_length(const char *s, const char *end)
{
	const char *nl = memchr(s, '\n', (size_t)(end - s));
	size_t n = (size_t)((nl ? nl : end) - s);

	if (n > 0 && s[n - 1] == '\r')
		n--;
	return n;
}

static bool
is_fence(const char *s, const char *end)
{
	size_t n = line_length(s, end);

	return n == 3 && (memcmp(s, "---", 3) == 0 || memcmp(s, "...", 3) == 0);
}

enum fm_found {
	FM_FOUND,
	FM_MISSING,		/* no "---" first line */
	FM_UNCLOSED,		/* no closing line */
};

/*
 * Finds the front matter of the text s: the text between a first line
 * "---" and the next line "---" (or "..."), and the body after it.
 */
static enum fm_found
find_front_matter(const char *s, size_t len, const char **fm,
    size_t *fm_len, const char **body, unsigned *body_line)
{
	const char *end = s + len, *p;
	unsigned line = 2;

	if (end - s < 3 || line_length(s, end) != 3 || memcmp(s, "---", 3))
		return FM_MISSING;
	p = memchr(s, '\n', (size_t)(end - s));
	*fm = p ? p + 1 : end;
	for (p = *fm; p < end; line++) {
		if (is_fence(p, end)) {
			*fm_len = (size_t)(p - *fm);
			p = memchr(p, '\n', (size_t)(end - p));
			*body = p ? p + 1 : end;
			*body_line = line + 1;
			return FM_FOUND;
		}
		p = memchr(p, '\n', (size_t)(end - p));
		p = p ? p + 1 : end;
	}
	return FM_UNCLOSED;
}

/* Sets *fm, *fm_len, the article's body and its line; or reports why not. */
static int
split_front_matter(struct article *a, const char *path, struct diags *d,
    const char **fm, size_t *fm_len)
{
	switch (find_front_matter(a->text, strlen(a->text), fm, fm_len,
	    &a->body, &a->body_line)) {
	case FM_FOUND:
		a->body_len = strlen(a->body);
		return 0;
	case FM_MISSING:
		diag_error(d, path, 1, 1, "missing front matter (the file "
		    "must start with a \"---\" line)");
		return -1;
	default:
		diag_error(d, path, 1, 1, "unclosed front matter (no closing "
		    "\"---\" line)");
		return -1;
	}
}

/* Reports the first invalid byte as path:line:col. */
static int
check_utf8(const char *path, const char *data, size_t len, struct diags *d)
{
	size_t bad = utf8_invalid_at(data, len), i, line_start = 0;
	unsigned line = 1;

	if (bad == len)
		return 0;
	for (i = 0; i < bad; i++) {
		if (data[i] == '\n') {
			line++;
			line_start = i + 1;
		}
	}
	diag_error(d, path, line, diag_column(data + line_start,
	    bad - line_start), "invalid UTF-8 (byte 0x%02x)",
	    (unsigned char)data[bad]);
	return -1;
}

static char *
stem_of(const char *path)
{
	const char *base = strrchr(path, '/');
	size_t n;

	base = base ? base + 1 : path;
	n = strlen(base);
	if (n > 3 && strcmp(base + n - 3, ".md") == 0)
		n -= 3;
	return xstrndup(base, n);
}

struct article *
article_parse(const char *path, const char *data, size_t len,
    struct diags *d)
{
	struct article *a = xcalloc(1, sizeof(*a)), *result = NULL;
	struct ydoc y = { 0 };
	struct given given[NFIELDS] = { { 0 } };
	const char *fm = NULL;
	size_t fm_len = 0, errors = 0, bom;

	a->path = xstrdup(path);
	a->stem = stem_of(path);
	a->hash = XXH3_64bits(data, len);
	if (check_utf8(path, data, len, d) == -1)
		goto out;
	bom = utf8_bom_length(data, len);
	a->text = utf8_nfc(data + bom, len - bom, NULL);
	if (split_front_matter(a, path, d, &fm, &fm_len) == -1)
		goto out;
	if (ydoc_load(&y, path, 1, fm, fm_len, d) == -1)
		goto out;
	errors += read_front_matter(&y, a, given, d);
	errors += check_required(a, given, path, d);
	if (errors > 0)
		goto out;
	if (a->slug == NULL) {
		if (!article_slug_is_safe(a->stem)) {
			diag_error(d, path, 1, 1, "the file name makes an unsafe "
			    "slug \"%s\"; rename the file or set \"slug\"",
			    a->stem);
			goto out;
		}
		a->slug = xstrdup(a->stem);
		a->slug_line = 1;
	}
	result = a;
	a = NULL;
out:
	ydoc_free(&y);
	article_free(a);
	return result;
}

int
article_stamp(const char *fspath, struct article_stamp *st)
{
	return article_stamp_at(AT_FDCWD, fspath, st);
}

int
article_stamp_at(int dirfd, const char *name, struct article_stamp *st)
{
	struct stat sb;

	if (fstatat(dirfd, name, &sb, 0) == -1)
		return -1;
	st->size = (uint64_t)sb.st_size;
	st->mtime_ns = (int64_t)sb.st_mtim.tv_sec * 1000000000 +
	    sb.st_mtim.tv_nsec;
	st->ctime_ns = (int64_t)sb.st_ctim.tv_sec * 1000000000 +
	    sb.st_ctim.tv_nsec;
	st->ino = (uint64_t)sb.st_ino;
	return 0;
}

struct article *
article_load(const char *fspath, const char *path, size_t max,
    struct diags *d)
{
	struct article_stamp stamp = { 0 };
	struct article *a;
	char *data;
	size_t len = 0;

	/* Stamped before reading: an edit during the read shows next time. */
	if (article_stamp(fspath, &stamp) == -1 ||
	    fs_read_max(fspath, max, &data, &len) == -1) {
		fs_read_failed(d, path, errno, len, max);
		return NULL;
	}
	a = article_parse(path, data, len, d);
	if (a != NULL) {
		a->fspath = xstrdup(fspath);
		a->stamp = stamp;
	}
	free(data);
	return a;
}

void
article_drop_body(struct article *a)
{
	if (a->digest != NULL) {
		free(a->digest->plain_note);
		a->digest->plain_note = NULL;
		a->digest->plain_note_len = 0;
	}
	article_drop_text(a);
}

void
article_drop_digest(struct article *a)
{
	article_digest_free(a->digest);
	a->digest = NULL;
}

void
article_drop_text(struct article *a)
{
	if (a->fspath == NULL)
		return;		/* nowhere to read it again from */
	free(a->text);
	a->text = NULL;
	a->body = NULL;
	a->body_len = 0;
}

int
article_read_body(struct article *a, struct diags *d)
{
	struct diags ignored = DIAGS_INIT;
	const char *fm;
	char *data = NULL;
	size_t len = 0, fm_len, bom;
	int rc = -1;

	if (a->text != NULL)
		return 0;
	if (a->fspath == NULL) {
		diag_error(d, a->path, 0, 0, "cannot read: %s",
		    strerror(ENOENT));
		goto out;
	}
	/* No more than it held then: more is a change, not worth reading. */
	if (fs_read_max(a->fspath, (size_t)a->stamp.size, &data, &len) ==
	    -1 && errno != EFBIG) {
		fs_read_failed(d, a->path, errno, len, (size_t)a->stamp.size);
		goto out;
	}
	/* The front matter was read before; only the body is wanted now. */
	if (data == NULL || XXH3_64bits(data, len) != a->hash) {
		diag_error(d, a->path, 0, 0, "changed while the site was "
		    "being built; build again");
		goto out;
	}
	bom = utf8_bom_length(data, len);
	a->text = utf8_nfc(data + bom, len - bom, NULL);
	if (split_front_matter(a, a->path, &ignored, &fm, &fm_len) == -1) {
		diag_error(d, a->path, 1, 1, "cannot find the body again");
		goto out;
	}
	rc = 0;
out:
	diags_free(&ignored);
	free(data);
	return rc;
}

/* Where key's value lies in the front matter of text, if it is there. */
static void
locate_in(const char *path, const char *text, const char *key,
    unsigned *line, unsigned *col)
{
	struct diags ignored = DIAGS_INIT;
	struct ydoc y = { 0 };
	yaml_node_t *root, *v;
	yaml_node_pair_t *p;
	const char *fm, *body, *k;
	size_t fm_len;
	unsigned body_line;

	if (find_front_matter(text, strlen(text), &fm, &fm_len, &body,
	    &body_line) != FM_FOUND ||
	    ydoc_load(&y, path, 1, fm, fm_len, &ignored) == -1)
		goto out;
	root = ydoc_root(&y);
	for (p = root != NULL && root->type == YAML_MAPPING_NODE ?
	    root->data.mapping.pairs.start : NULL;
	    p != NULL && p < root->data.mapping.pairs.top; p++) {
		k = ydoc_scalar(ydoc_node(&y, p->key));
		if (k == NULL || strcmp(k, key) != 0)
			continue;
		v = ydoc_node(&y, p->value);
		*line = ydoc_line(&y, v);
		*col = ydoc_col(v);
		break;
	}
out:
	ydoc_free(&y);
	diags_free(&ignored);
}

void
article_locate_key(const struct article *a, const char *key,
    unsigned *line, unsigned *col)
{
	char *data = NULL, *text;
	size_t len, bom;

	*line = 1;
	*col = 1;
	if (a->text != NULL) {
		locate_in(a->path, a->text, key, line, col);
		return;
	}
	if (a->fspath == NULL ||
	    fs_read_max(a->fspath, (size_t)a->stamp.size, &data, &len) == -1)
		return;
	bom = utf8_bom_length(data, len);
	text = utf8_nfc(data + bom, len - bom, NULL);
	locate_in(a->path, text, key, line, col);
	free(text);
	free(data);
}

void
article_digest_free(struct article_digest *g)
{
	size_t i;

	if (g == NULL)
		return;
	if (!g->borrowed) {
		for (i = 0; i < g->npassages; i++)
			free(g->passages[i].text);
		free(g->summary);
	}
	free(g->passages);
	free(g->plain_note);
	free(g);
}

static void
free_strings(struct article *a)
{
	size_t i;

	for (i = 0; i < a->nthemes; i++)
		free(a->themes[i]);
	for (i = 0; i < a->nnotes; i++)
		free(a->notes[i].text);
	for (i = 0; i < a->naccept; i++)
		free(a->accept[i]);
	free(a->path);
	free(a->stem);
	free(a->title);
	free(a->province);
	free(a->city);
	free(a->district);
	free(a->author);
	free(a->author_title);
	free(a->series);
	free(a->source_file);
	free(a->date);
	free(a->slug);
	free(a->fspath);
}

void
article_free(struct article *a)
{
	if (a == NULL)
		return;
	if (a->record == NULL)
		free_strings(a);
	free(a->themes);
	free(a->theme_lines);
	free(a->theme_cols);
	free(a->notes);
	free(a->accept);
	free(a->text);
	free(a->fspath_now);
	article_digest_free(a->digest);
	free(a);
}


/*
 * Whether cp is a letter, mark or number: what names of places and
 * slugs are made of, in any script, and never a path separator, a dot or
 * a control character.
 */
static bool
is_name_char(int32_t cp)
{
	utf8proc_category_t cat;

	if (cp < 0x80)
		return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
		    (cp >= '0' && cp <= '9');
	cat = utf8proc_category(cp);
	/* Marks (Mn, Mc, Me) sit between letters and numbers. */
	return cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_NO;
}

/*
 * Whether s is 1 to 200 bytes of valid UTF-8 made of name characters and
 * the joiners given.
 */
static bool
is_name(const char *s, const int32_t *joiners, size_t njoiners)
{
	size_t pos = 0, len = strlen(s), i;
	int32_t cp;

	if (len == 0 || len > 200)
		return false;
	while ((cp = utf8_next(s, len, &pos)) != -1) {
		if (is_name_char(cp))
			continue;
		for (i = 0; i < njoiners && joiners[i] != cp; i++)
			;
		if (i == njoiners)
			return false;
	}
	return true;
}

bool
article_slug_is_safe(const char *s)
{
	static const int32_t joiners[] = { '-', '_' };

	return s[0] != '-' && s[0] != '_' && is_name(s, joiners, 2);
}

bool
article_place_is_safe(const char *s)
{
	/* 「·」 joins the parts of some names of minority places. */
	static const int32_t joiners[] = { 0xB7 };

	return is_name(s, joiners, 1);
}

bool
article_file_name_is_safe(const char *s)
{
	static const int32_t joiners[] = { '-', '_', '.' };

	return s[0] != '.' && is_name(s, joiners, 3);
}
