/*
 * jiceng import: the pipeline over each page (split.c, join.c, place.c,
 * themes.c), then writing (write.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../load/config.h"
#include "../load/source.h"
#include "../util/fs.h"
#include "../util/prose.h"
#include "../util/utf8.h"
#include "../util/xalloc.h"
#include "internal.h"

const char *const import_repair_names[IMPORT_REPAIR_KINDS] = {
	[IMPORT_REPAIR_WRAP] = "wrap",
	[IMPORT_REPAIR_HEADING] = "heading",
	[IMPORT_REPAIR_DUPLICATE] = "duplicate",
	[IMPORT_REPAIR_PUNCTUATION] = "punctuation",
	[IMPORT_REPAIR_NORMALIZE] = "normalize",
	[IMPORT_REPAIR_NAME] = "name",
	[IMPORT_REPAIR_SPACING] = "spacing",
	[IMPORT_REPAIR_MISPLACED] = "misplaced",
	[IMPORT_REPAIR_CONVERT] = "convert",
	[IMPORT_REPAIR_LATIN] = "latin",
	[IMPORT_REPAIR_GAP] = "gap",
	[IMPORT_REPAIR_VARIANT] = "variant",
};

/* What each kind of repair did, for the summary. */
static const char *const repair_meanings[IMPORT_REPAIR_KINDS] = {
	[IMPORT_REPAIR_WRAP] = "lines cut by the column joined",
	[IMPORT_REPAIR_HEADING] = "section headings made of short lines",
	[IMPORT_REPAIR_DUPLICATE] = "passages printed twice removed",
	[IMPORT_REPAIR_PUNCTUATION] = "lines with ASCII punctuation made "
	    "full-width",
	[IMPORT_REPAIR_NORMALIZE] = "lines put in Unicode NFC",
	[IMPORT_REPAIR_NAME] = "names spaced out in bylines closed up",
	[IMPORT_REPAIR_SPACING] = "lines with stray spaces removed",
	[IMPORT_REPAIR_MISPLACED] = "texts or headings moved where they "
	    "belong",
	[IMPORT_REPAIR_CONVERT] = "traditional characters made simplified",
	[IMPORT_REPAIR_LATIN] = "Latin words in Chinese text made Chinese",
	[IMPORT_REPAIR_GAP] = "gaps in the printed text marked " PROSE_LACUNA,
	[IMPORT_REPAIR_VARIANT] = "headlines or bylines printed twice "
	    "differently",
};

int
import_page(const char *path, const char *text, size_t len,
    const struct import_decisions *decided,
    const struct theme_list *themes, struct import_batch *out,
    struct diags *d, struct import_summary *sum)
{
	struct import_page p;
	struct import_summary was = *sum;
	const char *slash = strrchr(path, '/');
	size_t i, before = out->count;
	int rc = -1;

	memset(&p, 0, sizeof(p));
	p.path = path;
	p.name = xstrdup(slash ? slash + 1 : path);
	p.d = d;
	p.sum = sum;
	p.decided = decided;
	if (split_lines(&p, text, len) == -1)
		goto out;
	split_units(&p);
	join_units(&p);
	place_articles(&p, out);
	if (p.undecidable) {
		/* The page's warnings were reported; it made nothing. */
		memcpy(sum->repairs, was.repairs, sizeof(sum->repairs));
		sum->articles = was.articles;
		batch_truncate(out, before);
		goto out;
	}
	for (i = before; i < out->count; i++)
		themes_tag(themes, &out->items[i]);
	rc = 0;
out:
	page_free(&p);
	return rc;
}

static int
base_name_compare(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	const char *xs = strrchr(x, '/'), *ys = strrchr(y, '/');
	int c = strcmp(xs ? xs + 1 : x, ys ? ys + 1 : y);

	return c != 0 ? c : strcmp(x, y);
}

/*
 * Reads the editors' decisions on the page at path from NAME.yaml beside
 * it (*yaml, caller frees; NULL when the page is not NAME.txt) into meta
 * and dec.  Returns 0 (no gaps when there is no such file), or -1 after
 * adding errors to d.  Free meta with source_meta_free either way.
 */
static int
load_decisions(const char *path, char **yaml, struct source *meta,
    struct import_decisions *dec, struct diags *d)
{
	size_t len = strlen(path);
	int rc = 0;

	memset(meta, 0, sizeof(*meta));
	memset(dec, 0, sizeof(*dec));
	*yaml = NULL;
	if (len < 4 || strcmp(path + len - 4, ".txt") != 0)
		return 0;
	*yaml = xasprintf("%.*s.yaml", (int)(len - 4), path);
	if (fs_exists(*yaml))
		rc = source_meta_read(meta, *yaml, *yaml, CONFIG_MAX_FILE_SIZE,
		    d);
	dec->path = *yaml;
	dec->gaps = meta->gaps;
	dec->ngaps = meta->ngaps;
	return rc;
}

/*
 * Reads content/themes.yaml into t with the build's reader, so that
 * jiceng check and jiceng import take one file by one set of rules.
 * Returns 0; or -1 when there is none (a warning: articles get no tags)
 * or it is refused (errors in d).  Free t with themes_free either way.
 */
static int
load_themes(const char *site_dir, struct theme_list *t, struct diags *d,
    struct import_summary *sum)
{
	char *path = fs_join(site_dir, "content/themes.yaml");
	int rc = -1;

	memset(t, 0, sizeof(*t));
	if (!fs_exists(path)) {
		diag_warning(d, "content/themes.yaml", 0, 0, "missing; "
		    "articles get no themes");
		sum->warnings++;
		goto out;
	}
	rc = themes_load(t, path, "content/themes.yaml", CONFIG_MAX_FILE_SIZE,
	    d);
out:
	free(path);
	return rc;
}

int
import_run(const struct import_options *opt, char *const *files,
    size_t nfiles, FILE *out, struct diags *d, struct import_summary *sum)
{
	struct import_batch batch = IMPORT_BATCH_INIT;
	struct import_options site = *opt;
	struct import_decisions dec;
	struct source meta;
	struct theme_list themes;
	const char **sorted = xcalloc(nfiles + 1, sizeof(*sorted));
	char *data, *manifest, *yaml;
	size_t i, len = 0, bom, errors = d->errors;
	bool have_themes;
	int rc = -1;

	if (opt->site_dir == NULL) {
		site.site_dir = ".";
		opt = &site;
	}
	have_themes = load_themes(opt->site_dir, &themes, d, sum) == 0;
	if (d->errors > errors)
		goto out;
	/* Pages in name order, so numbering never depends on the shell. */
	for (i = 0; i < nfiles; i++)
		sorted[i] = files[i];
	qsort(sorted, nfiles, sizeof(*sorted), base_name_compare);
	for (i = 0; i < nfiles; i++) {
		if (fs_read_max(sorted[i], CONFIG_MAX_FILE_SIZE, &data,
		    &len) == -1) {
			fs_read_failed(d, sorted[i], errno, len,
			    CONFIG_MAX_FILE_SIZE);
			continue;
		}
		/* A page whose decisions cannot be read is left alone. */
		bom = utf8_bom_length(data, len);
		if (load_decisions(sorted[i], &yaml, &meta, &dec, d) == 0)
			import_page(sorted[i], data + bom, len - bom, &dec,
			    have_themes ? &themes : NULL, &batch, d, sum);
		source_meta_free(&meta);
		free(yaml);
		free(data);
	}
	manifest = fs_join(opt->site_dir, "content/.import-manifest");
	import_assign_stems(&batch, manifest);
	free(manifest);
	write_batch(opt, &batch, out, d, sum);
	if (d->errors == errors)
		rc = 0;
out:
	import_batch_free(&batch);
	themes_free(&themes);
	free(sorted);
	return rc;
}

void
import_summary_print(const struct import_summary *sum, FILE *out)
{
	size_t i;

	fprintf(out, "import: %zu article%s: %zu %s, %zu unchanged, "
	    "%zu conflict%s\n", sum->articles, sum->articles == 1 ? "" : "s",
	    sum->written, sum->dry_run ? "would be written" : "written",
	    sum->unchanged, sum->conflicts,
	    sum->conflicts == 1 ? "" : "s");
	for (i = 0; i < IMPORT_REPAIR_KINDS; i++)
		if (sum->repairs[i] > 0)
			fprintf(out, "  %-12s %5zu  %s\n", import_repair_names[i],
			    sum->repairs[i], repair_meanings[i]);
	fprintf(out, "warnings: %zu\n", sum->warnings);
}
