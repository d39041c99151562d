/*
 * The last stage: articles become files.  Front matter goes through
 * libyaml's emitter in the field order of jiceng(5); the file stem comes
 * from the place.  content/.import-manifest remembers, for each file the
 * importer wrote, the XXH3-64 hash of those bytes and the page line the
 * article came from: a file whose bytes no longer hash to that was edited
 * by someone, and is left alone unless forced.
 */
#include <errno.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <unistd.h>
#include <utf8proc.h>
#include <xxhash.h>
#include <yaml.h>

#include "../util/fs.h"
#include "../util/strmap.h"
#include "../util/utf8.h"
#include "../util/xalloc.h"
#include "internal.h"

#define MANIFEST_HEADER \
	"# jiceng import manifest: for each article the importer wrote, the\n" \
	"# XXH3-64 hash of the bytes it wrote and the page line it came from.\n" \
	"# Kept by jiceng import, which leaves alone any article edited since.\n"

struct manifest_entry {
	char	*file;		/* owned; "NAME.md" */
	uint64_t hash;
	char	*source;	/* owned; "PAGE.txt:LINE" */
};

struct manifest {
	struct manifest_entry *items;	/* owned */
	size_t	 count;
	struct strmap by_file;		/* file -> index + 1 */
	struct strmap by_source;	/* source -> index + 1, the first */
};

/* YAML words that a plain scalar would turn into something not a string. */
static const char *const yaml_words[] = {
	"y", "yes", "n", "no", "true", "false", "on", "off", "null", "~",
};

static void
manifest_free(struct manifest *m)
{
	size_t i;

	for (i = 0; i < m->count; i++) {
		free(m->items[i].file);
		free(m->items[i].source);
	}
	free(m->items);
	strmap_free(&m->by_file);
	strmap_free(&m->by_source);
	memset(m, 0, sizeof(*m));
}

static struct manifest_entry *
find_in(const struct manifest *m, const struct strmap *index,
    const char *key)
{
	struct strmap_entry *e = strmap_get(index, key, strlen(key));

	return e != NULL ? &m->items[(uintptr_t)e->value - 1] : NULL;
}

static struct manifest_entry *
manifest_find(const struct manifest *m, const char *file)
{
	return find_in(m, &m->by_file, file);
}

/* The first entry recorded for an article from source ("PAGE:LINE"). */
static struct manifest_entry *
manifest_find_source(const struct manifest *m, const char *source)
{
	return find_in(m, &m->by_source, source);
}

static void
manifest_set(struct manifest *m, const char *file, uint64_t hash,
    const char *source)
{
	struct manifest_entry *e = manifest_find(m, file);
	struct strmap_entry *se;

	if (e == NULL) {
		m->items = xreallocarray(m->items, m->count + 1,
		    sizeof(*m->items));
		e = &m->items[m->count++];
		e->file = xstrdup(file);
		e->source = NULL;
		strmap_put(&m->by_file, file, strlen(file), NULL)->value =
		    (void *)(uintptr_t)m->count;
	}
	e->hash = hash;
	free(e->source);
	e->source = xstrdup(source);
	se = strmap_put(&m->by_source, source, strlen(source), NULL);
	if (se->value == NULL)
		se->value = (void *)(uintptr_t)(size_t)(e - m->items + 1);
}

/*
 * Reads the manifest at path; a missing one is empty.  Lines it cannot
 * read are skipped (the worst that follows is a conflict reported).
 * Returns 0, or -1 with errno set when the file cannot be read.
 */
static int
manifest_load(const char *path, struct manifest *m)
{
	char *data = NULL, *line, *next, file[512], source[512];
	unsigned long long hash;
	size_t len;
	int rc = -1;

	memset(m, 0, sizeof(*m));
	if (path == NULL || !fs_exists(path)) {
		rc = 0;
		goto out;
	}
	if (fs_read(path, &data, &len) == -1)
		goto out;
	for (line = data; line != NULL && *line != '\0'; line = next) {
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		if (sscanf(line, "%16llx %511s %511s", &hash, file,
		    source) == 3)
			manifest_set(m, file, (uint64_t)hash, source);
	}
	rc = 0;
out:
	free(data);
	return rc;
}

static int
entry_compare(const void *a, const void *b)
{
	return strcmp(((const struct manifest_entry *)a)->file,
	    ((const struct manifest_entry *)b)->file);
}

/* The manifest's text, entries in file order; caller frees. */
static char *
manifest_format(const struct manifest *m)
{
	struct manifest_entry *sorted;
	struct buf b = BUF_INIT;
	size_t i;

	sorted = xreallocarray(NULL, m->count + 1, sizeof(*sorted));
	if (m->count > 0) {
		memcpy(sorted, m->items, m->count * sizeof(*sorted));
		qsort(sorted, m->count, sizeof(*sorted), entry_compare);
	}
	buf_puts(&b, MANIFEST_HEADER);
	for (i = 0; i < m->count; i++)
		buf_printf(&b, "%016llx %s %s\n",
		    (unsigned long long)sorted[i].hash, sorted[i].file,
		    sorted[i].source);
	free(sorted);
	return buf_detach(&b);
}

/* Letters and digits of any script, '-' and '_': a safe stem. */
static void
put_safe(struct buf *b, const char *s)
{
	size_t len = strlen(s), pos = 0, start;
	utf8proc_category_t cat;
	int32_t cp;

	while (start = pos, (cp = utf8_next(s, len, &pos)) >= 0) {
		cat = utf8proc_category(cp);
		if (cp == '-' || cp == '_' || (cat >= UTF8PROC_CATEGORY_LU &&
		    cat <= UTF8PROC_CATEGORY_LO) || cat == UTF8PROC_CATEGORY_ND)
			buf_append(b, s + start, pos - start);
	}
}

/* The stem an article would have before numbering; caller frees. */
static char *
base_stem(const struct import_article *a)
{
	struct buf b = BUF_INIT;

	buf_puts(&b, "");
	if (a->note) {
		buf_puts(&b, "编者按-");
		put_safe(&b, a->series ? a->series : a->source_file);
	} else {
		if (a->city != NULL)
			put_safe(&b, a->city);
		else if (a->province != NULL)
			put_safe(&b, a->province);
		if (a->district != NULL)
			put_safe(&b, a->district);
	}
	if (b.len == 0 || (a->note && b.len == strlen("编者按-")))
		put_safe(&b, a->source_file);
	return buf_detach(&b);
}

static char *
source_id(const struct import_article *a)
{
	return xasprintf("%s:%u", a->source_file, a->source_line);
}

/* Whether stem is base or base-N. */
static bool
numbered_from(const char *stem, const char *base)
{
	size_t n = strlen(base);

	if (strncmp(stem, base, n) != 0)
		return false;
	if (stem[n] == '\0')
		return true;
	if (stem[n] != '-' || stem[n + 1] < '2' || stem[n + 1] > '9')
		return false;
	return strspn(stem + n + 1, "0123456789") == strlen(stem + n + 1);
}

static bool
taken(const struct strmap *stems, const char *stem)
{
	return strmap_get(stems, stem, strlen(stem)) != NULL;
}

/*
 * The stem the manifest gives the article from source id: the one it
 * had last time, if that still fits base and is free.  Caller frees.
 */
static char *
recorded_stem(const struct manifest *m, const struct strmap *stems,
    const char *id, const char *base)
{
	struct manifest_entry *e = manifest_find_source(m, id);
	char *stem;
	size_t n;

	if (e == NULL || (n = strlen(e->file)) < 4 ||
	    strcmp(e->file + n - 3, ".md") != 0)
		return NULL;
	stem = xstrndup(e->file, n - 3);
	if (!numbered_from(stem, base) || taken(stems, stem)) {
		free(stem);
		stem = NULL;
	}
	return stem;
}

/*
 * Whether a stem recorded for source id was may go to the article from
 * id: the same source, or a line of the same page no article of this
 * run starts on (ids), where the article did before the rule for its
 * first line changed.
 */
static bool
may_take(const char *was, const char *id, const struct strmap *ids)
{
	const char *colon = strrchr(id, ':');
	size_t file = colon != NULL ? (size_t)(colon - id) + 1 : 0;

	return strcmp(was, id) == 0 || (file > 0 && strncmp(was, id,
	    file) == 0 && strmap_get(ids, was, strlen(was)) == NULL);
}

/*
 * The first of base, base-2, base-3 ... free in this run and not
 * recorded for another source (may_take).  *next remembers where base's
 * numbering got to, so a hundred articles of one district cost a
 * hundred tries.
 */
static char *
free_stem(const struct manifest *m, const struct strmap *stems,
    const struct strmap *ids, const char *id, const char *base,
    uintptr_t *next)
{
	struct manifest_entry *e;
	char *stem, *file;
	uintptr_t n;

	for (n = *next > 0 ? *next : 1;; n++) {
		stem = n == 1 ? xstrdup(base) : xasprintf("%s-%zu", base,
		    (size_t)n);
		file = xasprintf("%s.md", stem);
		e = manifest_find(m, file);
		free(file);
		if (!taken(stems, stem) && (e == NULL ||
		    may_take(e->source, id, ids)))
			break;
		free(stem);
	}
	*next = n + 1;
	return stem;
}

void
import_assign_stems(struct import_batch *b, const char *manifest_path)
{
	struct strmap stems = STRMAP_INIT, numbering = STRMAP_INIT,
	    ids = STRMAP_INIT;
	struct strmap_entry *counter;
	struct manifest m;
	char *base, *id, *stem;
	uintptr_t next;
	size_t i;

	if (manifest_load(manifest_path, &m) == -1)
		memset(&m, 0, sizeof(m));
	for (i = 0; i < b->count; i++) {
		free(b->items[i].stem);
		b->items[i].stem = NULL;
		id = source_id(&b->items[i]);
		strmap_put(&ids, id, strlen(id), NULL);
		free(id);
	}
	for (i = 0; i < b->count; i++) {
		base = base_stem(&b->items[i]);
		id = source_id(&b->items[i]);
		stem = recorded_stem(&m, &stems, id, base);
		if (stem == NULL) {
			counter = strmap_put(&numbering, base, strlen(base),
			    NULL);
			next = (uintptr_t)counter->value;
			stem = free_stem(&m, &stems, &ids, id, base, &next);
			strmap_put(&numbering, base, strlen(base),
			    NULL)->value = (void *)next;
		}
		strmap_put(&stems, stem, strlen(stem), NULL);
		b->items[i].stem = stem;
		free(base);
		free(id);
	}
	strmap_free(&stems);
	strmap_free(&numbering);
	strmap_free(&ids);
	manifest_free(&m);
}

/* Emitting front matter. */
struct emitter {
	yaml_emitter_t y;
	struct buf *out;
	bool	 failed;
};

static int
emit_write(void *data, unsigned char *bytes, size_t len)
{
	buf_append(data, bytes, len);
	return 1;
}

/*
 * Whether a string must be quoted to stay a string: ASCII text that a
 * YAML reader could take for a null, a boolean, a number or a date.
 * Text with any other character never can.
 */
static bool
needs_quotes(const char *s)
{
	size_t i;

	if (s[0] == '\0')
		return true;
	for (i = 0; s[i] != '\0'; i++)
		if ((unsigned char)s[i] >= 0x80)
			return false;
	for (i = 0; i < sizeof(yaml_words) / sizeof(yaml_words[0]); i++)
		if (strcasecmp(s, yaml_words[i]) == 0)
			return true;
	return strchr("0123456789+-.", s[0]) != NULL;
}

static void
emit_event(struct emitter *e, yaml_event_t *ev)
{
	if (!e->failed && !yaml_emitter_emit(&e->y, ev))
		e->failed = true;
}

/* A scalar as is: keys, numbers, null, booleans. */
static void
emit_raw(struct emitter *e, const char *s)
{
	yaml_event_t ev;

	yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)s,
	    (int)strlen(s), 1, 1, YAML_PLAIN_SCALAR_STYLE);
	emit_event(e, &ev);
}

/* A string, quoted where it would otherwise read as something else. */
static void
emit_string(struct emitter *e, const char *s)
{
	yaml_event_t ev;

	if (s == NULL) {
		emit_raw(e, "null");
		return;
	}
	yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)s,
	    (int)strlen(s), 1, 1, needs_quotes(s) ?
	    YAML_DOUBLE_QUOTED_SCALAR_STYLE : YAML_ANY_SCALAR_STYLE);
	emit_event(e, &ev);
}

static void
emit_pair(struct emitter *e, const char *key, const char *value)
{
	emit_raw(e, key);
	emit_string(e, value);
}

static void
emit_themes(struct emitter *e, const struct import_article *a)
{
	yaml_event_t ev;
	size_t i;

	emit_raw(e, "themes");
	yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1,
	    YAML_FLOW_SEQUENCE_STYLE);
	emit_event(e, &ev);
	for (i = 0; i < a->nthemes; i++)
		emit_string(e, a->themes[i]);
	yaml_sequence_end_event_initialize(&ev);
	emit_event(e, &ev);
}

static void
emit_source(struct emitter *e, const struct import_article *a)
{
	yaml_event_t ev;
	char line[32];

	emit_raw(e, "source");
	yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1,
	    YAML_FLOW_MAPPING_STYLE);
	emit_event(e, &ev);
	emit_pair(e, "file", a->source_file);
	snprintf(line, sizeof(line), "%u", a->source_line);
	emit_raw(e, "line");
	emit_raw(e, line);
	yaml_mapping_end_event_initialize(&ev);
	emit_event(e, &ev);
}

/* The collation note: a block list of {line, note}, line left out at 0. */
static void
emit_collation(struct emitter *e, const struct import_article *a)
{
	yaml_event_t ev;
	char line[32];
	size_t i;

	if (a->nnotes == 0)
		return;
	emit_raw(e, "collation");
	yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1,
	    YAML_BLOCK_SEQUENCE_STYLE);
	emit_event(e, &ev);
	for (i = 0; i < a->nnotes; i++) {
		yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1,
		    YAML_BLOCK_MAPPING_STYLE);
		emit_event(e, &ev);
		if (a->notes[i].line > 0) {
			snprintf(line, sizeof(line), "%u", a->notes[i].line);
			emit_raw(e, "line");
			emit_raw(e, line);
		}
		emit_pair(e, "note", a->notes[i].text);
		yaml_mapping_end_event_initialize(&ev);
		emit_event(e, &ev);
	}
	yaml_sequence_end_event_initialize(&ev);
	emit_event(e, &ev);
}

/* The front matter's fields, in the order jiceng(5) gives them. */
static void
emit_fields(struct emitter *e, const struct import_article *a)
{
	emit_pair(e, "title", a->title);
	if (!a->note || a->province != NULL)
		emit_pair(e, "province", a->province);
	if (!a->note) {
		emit_pair(e, "city", a->city);
		emit_pair(e, "district", a->district);
	}
	if (a->author != NULL) {
		emit_pair(e, "author", a->author);
		if (a->author_title != NULL)
			emit_pair(e, "author_title", a->author_title);
	}
	emit_themes(e, a);
	emit_raw(e, "kind");
	emit_raw(e, a->note ? "note" : "article");
	if (a->series != NULL)
		emit_pair(e, "series", a->series);
	emit_source(e, a);
	emit_collation(e, a);
	emit_raw(e, "draft");
	emit_raw(e, "false");
}

char *
import_render(const struct import_article *a, size_t *len)
{
	struct buf out = BUF_INIT;
	struct emitter e;
	yaml_event_t ev;

	memset(&e, 0, sizeof(e));
	e.out = &out;
	yaml_emitter_initialize(&e.y);
	yaml_emitter_set_output(&e.y, emit_write, &out);
	yaml_emitter_set_unicode(&e.y, 1);
	yaml_emitter_set_width(&e.y, -1);
	yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING);
	emit_event(&e, &ev);
	yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 0);
	emit_event(&e, &ev);
	yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1,
	    YAML_BLOCK_MAPPING_STYLE);
	emit_event(&e, &ev);
	emit_fields(&e, a);
	yaml_mapping_end_event_initialize(&ev);
	emit_event(&e, &ev);
	yaml_document_end_event_initialize(&ev, 1);
	emit_event(&e, &ev);
	yaml_stream_end_event_initialize(&ev);
	emit_event(&e, &ev);
	yaml_emitter_delete(&e.y);
	if (e.failed) {
		/* Only a bug can make the emitter refuse our events. */
		fprintf(stderr, "jiceng: cannot emit front matter for %s\n",
		    a->title);
		abort();
	}
	buf_puts(&out, "---\n\n");
	buf_puts(&out, a->body);
	*len = out.len;
	return buf_detach(&out);
}

void
batch_truncate(struct import_batch *b, size_t count)
{
	struct import_article *a;
	size_t i, k;

	for (i = count; i < b->count; i++) {
		a = &b->items[i];
		free(a->stem);
		free(a->title);
		free(a->province);
		free(a->city);
		free(a->district);
		free(a->author);
		free(a->author_title);
		for (k = 0; k < a->nthemes; k++)
			free(a->themes[k]);
		free(a->themes);
		free(a->series);
		free(a->source_file);
		free(a->body);
		for (k = 0; k < a->nnotes; k++)
			free(a->notes[k].text);
		free(a->notes);
	}
	if (count < b->count)
		b->count = count;
}

void
import_batch_free(struct import_batch *b)
{
	if (b == NULL)
		return;
	batch_truncate(b, 0);
	free(b->items);
	b->items = NULL;
	b->count = b->cap = 0;
}

/*
 * Prints to out how the file at path (rel in messages) would change into
 * bytes: a unified diff labelled a/REL and b/REL, as diff(1) of GNU
 * diffutils, which every Debian system has, writes it.  Returns 0, or -1
 * with errno set when diff could not run.
 */
static int
print_diff(FILE *out, const char *rel, const char *path, const char *bytes,
    size_t len)
{
	posix_spawn_file_actions_t fa;
	FILE *in = tmpfile(), *res = tmpfile();
	char *a = xasprintf("a/%s", rel), *b = xasprintf("b/%s", rel);
	char *argv[] = { "diff", "-u", "--label", a, "--label", b, "--",
	    (char *)path, "-", NULL };
	char chunk[8192];
	size_t n;
	pid_t pid;
	int status, rc = -1;

	if (in == NULL || res == NULL || fwrite(bytes, 1, len, in) != len ||
	    fflush(in) != 0 || fseek(in, 0, SEEK_SET) != 0)
		goto out;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fileno(in), STDIN_FILENO);
	posix_spawn_file_actions_adddup2(&fa, fileno(res), STDOUT_FILENO);
	errno = posix_spawnp(&pid, "diff", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (errno != 0)
		goto out;
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR)
			goto out;
	/* 0: the same, 1: different, 2: trouble. */
	if (!WIFEXITED(status) || WEXITSTATUS(status) > 1) {
		errno = EIO;
		goto out;
	}
	rewind(res);
	while ((n = fread(chunk, 1, sizeof(chunk), res)) > 0)
		fwrite(chunk, 1, n, out);
	rc = 0;
out:
	if (in != NULL)
		fclose(in);
	if (res != NULL)
		fclose(res);
	free(a);
	free(b);
	return rc;
}

/* The number of lines in s, a last one without a newline included. */
static size_t
count_lines(const char *s, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		if (s[i] == '\n')
			n++;
	return n + (len > 0 && s[len - 1] != '\n');
}

/* What writing one article came to. */
enum outcome {
	OUTCOME_WRITTEN,
	OUTCOME_UNCHANGED,
	OUTCOME_CONFLICT,
	OUTCOME_FAILED,
};

/*
 * Writes one article unless that would lose an edit.  Returns what
 * happened; the manifest learns the bytes now in a file the importer
 * owns.
 */
static enum outcome
write_article(const struct import_options *opt, const struct import_article *a,
    struct manifest *m, FILE *out, struct diags *d)
{
	char *file = xasprintf("%s.md", a->stem), *rel, *path, *bytes,
	    *cur = NULL, *id = source_id(a);
	struct manifest_entry *e = manifest_find(m, file);
	size_t len, curlen;
	uint64_t hash;
	enum outcome rc = OUTCOME_FAILED;
	bool exists;

	rel = xasprintf("content/articles/%s", file);
	path = fs_join(opt->site_dir, rel);
	bytes = import_render(a, &len);
	hash = XXH3_64bits(bytes, len);
	exists = fs_exists(path);
	if (exists && fs_read(path, &cur, &curlen) == -1) {
		diag_error(d, rel, 0, 0, "cannot read: %s", strerror(errno));
		goto out;
	}
	if (exists && curlen == len && memcmp(cur, bytes, len) == 0) {
		manifest_set(m, file, hash, id);
		rc = OUTCOME_UNCHANGED;
		goto out;
	}
	if (exists && !opt->force && (e == NULL ||
	    XXH3_64bits(cur, curlen) != e->hash)) {
		diag_warning(d, rel, 0, 0, "edited since it was imported; "
		    "left alone (--force overwrites it)");
		if (out != NULL && opt->dry_run)
			fprintf(out, "conflict: %s (edited; left alone)\n", rel);
		rc = OUTCOME_CONFLICT;
		goto out;
	}
	if (opt->dry_run && out != NULL && !exists)
		fprintf(out, "would write %s (new, %zu lines)\n", rel,
		    count_lines(bytes, len));
	else if (opt->dry_run && out != NULL) {
		fprintf(out, "would write %s:\n", rel);
		if (print_diff(out, rel, path, bytes, len) == -1)
			diag_warning(d, rel, 0, 0, "cannot show how it would "
			    "change: diff: %s", strerror(errno));
	}
	if (!opt->dry_run && fs_write_atomic(path, bytes, len) == -1) {
		diag_error(d, rel, 0, 0, "cannot write: %s", strerror(errno));
		goto out;
	}
	manifest_set(m, file, hash, id);
	rc = OUTCOME_WRITTEN;
out:
	free(file);
	free(rel);
	free(path);
	free(bytes);
	free(cur);
	free(id);
	return rc;
}

/*
 * Writes the batch into the site and the manifest beside it.  Returns 0,
 * or -1 after adding errors to d.
 */
int
write_batch(const struct import_options *opt, const struct import_batch *b,
    FILE *out, struct diags *d, struct import_summary *sum)
{
	char *mpath = fs_join(opt->site_dir, "content/.import-manifest"),
	    *before = NULL, *after = NULL;
	struct manifest m;
	size_t i, blen;
	int rc = -1;

	if (manifest_load(mpath, &m) == -1) {
		diag_error(d, "content/.import-manifest", 0, 0,
		    "cannot read: %s", strerror(errno));
		goto out;
	}
	before = manifest_format(&m);
	sum->dry_run = opt->dry_run;
	for (i = 0; i < b->count; i++) {
		switch (write_article(opt, &b->items[i], &m, out, d)) {
		case OUTCOME_WRITTEN:
			sum->written++;
			break;
		case OUTCOME_UNCHANGED:
			sum->unchanged++;
			break;
		case OUTCOME_CONFLICT:
			sum->conflicts++;
			sum->warnings++;
			break;
		default:
			break;
		}
	}
	after = manifest_format(&m);
	blen = strlen(after);
	if (!opt->dry_run && strcmp(before, after) != 0 &&
	    fs_write_atomic(mpath, after, blen) == -1) {
		diag_error(d, "content/.import-manifest", 0, 0,
		    "cannot write: %s", strerror(errno));
		goto out;
	}
	rc = 0;
out:
	manifest_free(&m);
	free(before);
	free(after);
	free(mpath);
	return rc;
}
