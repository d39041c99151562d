/*
 * jiceng import: raw newspaper pages (content/sources/NAME.txt) become
 * clean Markdown articles (content/articles/NAME.md).
 *
 * A page is split into its articles (headline, byline, body; an editor's
 * note 编者按 becomes a note introducing the series after it), what the
 * layout broke is repaired and each repair reported, places are resolved
 * with the gazetteer, themes are tagged from content/themes.yaml, and the
 * articles are written without ever clobbering one edited since the last
 * import: content/.import-manifest remembers the XXH3-64 hash of the
 * bytes last written to each article.
 */
#ifndef JICENG_IMPORT_H
#define JICENG_IMPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "../util/diag.h"

/* What a repair mends; the summary counts each kind. */
enum import_repair {
	IMPORT_REPAIR_WRAP,		/* lines broken by the column joined */
	IMPORT_REPAIR_HEADING,		/* a section heading made "## " */
	IMPORT_REPAIR_DUPLICATE,	/* a passage printed twice removed */
	IMPORT_REPAIR_PUNCTUATION,	/* ASCII punctuation made full-width */
	IMPORT_REPAIR_NORMALIZE,	/* text put in Unicode NFC */
	IMPORT_REPAIR_NAME,		/* a name padded with spaces closed up */
	IMPORT_REPAIR_SPACING,		/* a space between Chinese and digits */
	IMPORT_REPAIR_MISPLACED,	/* text moved to where it belongs */
	IMPORT_REPAIR_CONVERT,		/* a traditional character simplified */
	IMPORT_REPAIR_LATIN,		/* a Latin word in Chinese made Chinese */
	IMPORT_REPAIR_GAP,		/* text the page lost marked 〔原文缺〕 */
	IMPORT_REPAIR_VARIANT,		/* a headline printed twice differently */
	IMPORT_REPAIR_KINDS
};

/* Names of the kinds, as the summary prints them: "wrap", ... */
extern const char *const import_repair_names[IMPORT_REPAIR_KINDS];

struct import_options {
	bool	 dry_run;	/* print what would be written, write nothing */
	bool	 verbose;	/* report every repair, not only those to read */
	bool	 force;		/* overwrite articles edited since import */
	const char *site_dir;	/* borrowed; the folder holding content/ */
};

struct import_summary {
	size_t	 articles;	/* articles and notes found in the pages */
	size_t	 written;	/* files written (or that would be) */
	bool	 dry_run;	/* written means would be written */
	size_t	 unchanged;	/* files already holding the same bytes */
	size_t	 conflicts;	/* edited files left alone */
	size_t	 warnings;
	size_t	 repairs[IMPORT_REPAIR_KINDS];
};

/*
 * One line of an article's collation note (校勘记): what the editors
 * changed from the printed page, for readers, in Chinese.
 */
struct import_note {
	unsigned line;		/* 1-based line of the page, 0: none */
	char	*text;		/* owned */
};

/* One article (or editor's note) as the importer made it. */
struct import_article {
	char	*stem;		/* owned; file name without ".md", NULL
				   until import_assign_stems */
	char	*title;		/* owned */
	char	*province;	/* owned; NULL for a note without a place */
	char	*city;		/* owned; NULL when directly under province */
	char	*district;	/* owned; NULL only for a note */
	char	*author;	/* owned; NULL when the page names nobody */
	char	*author_title;	/* owned; NULL with author */
	char	**themes;	/* owned; slugs in themes.yaml order */
	size_t	 nthemes;
	bool	 note;		/* kind: note rather than article */
	char	*series;	/* owned; NULL outside a series */
	char	*source_file;	/* owned; base name of the page */
	unsigned source_line;	/* 1-based line it starts on: the
				   headline's, or its text's printed above */
	char	*body;		/* owned; Markdown, ends with a newline */
	struct import_note *notes; /* owned; the collation note, by line */
	size_t	 nnotes;
};

struct import_batch {
	struct import_article *items;	/* owned */
	size_t	 count;
	size_t	 cap;
};

#define IMPORT_BATCH_INIT { NULL, 0, 0 }

void	 import_batch_free(struct import_batch *b);

/* The theme taxonomy, as load/config.h reads content/themes.yaml. */
struct theme_list;
/* A gap an editor recorded, as load/source.h reads it. */
struct source_gap;

/*
 * What editors decided of a page that no rule finds: the gaps recorded
 * in content/sources/NAME.yaml beside it (jiceng(5)).
 */
struct import_decisions {
	const char *path;		/* borrowed; NAME.yaml, for messages */
	const struct source_gap *gaps;	/* borrowed */
	size_t	 ngaps;
};

/*
 * Splits one page (text, len bytes; path names it in messages and its
 * base name goes into the front matter) into articles appended to out,
 * repaired, with the editors' decisions applied (NULL: none), placed and
 * tagged with themes (NULL: no tags).  Repairs are reported to d as
 * notes, doubts as warnings, and counted in sum.  Returns 0, or -1 after
 * adding an error to d: the page is not text, or a decision finds no
 * place on it (then none of its articles is appended, so that none is
 * written without it).
 */
int	 import_page(const char *path, const char *text, size_t len,
	    const struct import_decisions *decided,
	    const struct theme_list *themes, struct import_batch *out,
	    struct diags *d, struct import_summary *sum);

/*
 * Gives every article of b its file stem: "<city><district>" (with no
 * city "<province><district>"), "编者按-<series>" for a note, then "-2",
 * "-3" ... for stems taken earlier in b.  The manifest at manifest_path
 * (NULL: none) keeps stems stable: an article imported before from the
 * same source line keeps its stem, and a stem recorded for another
 * source is not reused; a line of the same page no article of b starts
 * on any more counts as the same source (an article that now starts on
 * another line, as the rule for its first line changed).
 */
void	 import_assign_stems(struct import_batch *b, const char *manifest_path);

/*
 * Renders an article as its file: YAML front matter in the field order of
 * jiceng(5) between "---" lines, then the Markdown body.  Returns the
 * bytes (caller frees) and their length in *len.
 */
char	*import_render(const struct import_article *a, size_t *len);

/*
 * Imports each source file into opt->site_dir/content/articles.
 * Repairs and warnings are reported into d as notes and warnings
 * (path:line:col where possible), errors as errors.  Articles edited
 * since the last import are left alone and reported as conflicts unless
 * opt->force.  With opt->dry_run nothing is written: out gets each file
 * that would change and why.  Returns 0 when everything could be
 * imported, -1 on errors.
 */
int	 import_run(const struct import_options *opt, char *const *files,
	    size_t nfiles, FILE *out, struct diags *d,
	    struct import_summary *sum);

/*
 * Prints the summary: written, unchanged, conflicts; then the repairs, a
 * line for each kind made; then how many warnings there were.
 */
void	 import_summary_print(const struct import_summary *sum, FILE *out);

#endif
