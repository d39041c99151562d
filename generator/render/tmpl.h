/*
 * Mustache templates: a small, strict engine that passes the official
 * spec (comments, delimiters, interpolation, inverted, partials, sections
 * and the optional inheritance module, which gives layouts with blocks).
 * Lambdas and dynamic names are not supported.
 *
 * A set holds named templates; each may refer to the others as partials
 * ({{>name}}) or parents ({{<name}}).  Names are file names without the
 * ".mustache" suffix.  Templates are compiled once and can be rendered by
 * several threads at a time: rendering never writes to the set.
 *
 * A partial, parent or block alone on its line is indented as its tag
 * is, line by line (empty lines stay empty).  Values are HTML-escaped
 * unless written {{{x}}} or {{&x}}; booleans print as true and false.
 */
#ifndef JICENG_TMPL_H
#define JICENG_TMPL_H

#include <stddef.h>
#include <stdint.h>

#include "../util/buf.h"
#include "../util/diag.h"
#include "value.h"

struct tmpl_set;

struct tmpl_set *tmpl_set_new(void);
/* Frees the set and every template in it; tmpl_set_free(NULL) does nothing. */
void	 tmpl_set_free(struct tmpl_set *set);

/*
 * Compiles src (len bytes) and stores it as name, replacing a template of
 * that name; path is used in diagnostics ("templates/page.mustache:3:7:
 * error: unclosed section \"items\"").  Returns 0, or -1 after adding
 * errors to d, leaving the set as it was; the set keeps no pointer into
 * src, name or path.  Sections may nest 100 deep within one template.
 */
int	 tmpl_add(struct tmpl_set *set, const char *name, const char *path,
	    const char *src, size_t len, struct diags *d);

/*
 * Loads every DIR/ *.mustache file (not recursing, skipping hidden ones)
 * as a template named after the file, in name order, refusing a file
 * larger than max bytes; a byte-order mark a file starts with is no
 * part of its template.  Paths in diagnostics are "DISPLAY/x.mustache".
 * Returns 0, or -1 after adding errors to d (I/O errors included).
 */
int	 tmpl_load_dir(struct tmpl_set *set, const char *dir,
	    const char *display, size_t max, struct diags *d);

/*
 * Checks that every partial and parent reachable from each template
 * exists ("missing partial \"foo\"") and that no template includes
 * itself without a section, inverted section or block that could stop
 * it ("partial \"x\" includes itself", at the tag).  Returns 0, or -1
 * after adding errors to d.
 */
int	 tmpl_check(const struct tmpl_set *set, struct diags *d);

/*
 * Checks every name a variable or section looks up against known (a
 * NULL-terminated list): a name no view holds renders as nothing, and
 * {{titel}} would pass unseen.  Each part of a dotted name must be
 * known; "." and the digits of a list index always are.  Returns 0, or
 * -1 after adding an error for each unknown name to d, with the known
 * name nearest to it when one is close.
 */
int	 tmpl_check_names(const struct tmpl_set *set,
	    const char *const *known, struct diags *d);

/* Whether a template of that name exists. */
int	 tmpl_has(const struct tmpl_set *set, const char *name);

/*
 * Renders template name with view as the context, appending to out.
 * Missing partials render as empty strings, as the spec requires; use
 * tmpl_check to report them.  Returns 0, or -1 when name is unknown or
 * sections, partials and blocks nest more than 256 deep while rendering
 * (endless recursion that tmpl_check could not rule out); out is then
 * left as it was.
 */
int	 tmpl_render(const struct tmpl_set *set, const char *name,
	    const struct val *view, struct buf *out);

/*
 * Renders as tmpl_render does, for the page named page in messages,
 * stopping when out has grown by more than max bytes.  Returns 0, or -1
 * after adding to d an error located at the tag where rendering stopped
 * (too deep, or too large), out then left as it was.
 */
int	 tmpl_render_page(const struct tmpl_set *set, const char *name,
	    const struct val *view, size_t max, const char *page,
	    struct buf *out, struct diags *d);

/*
 * A 64-bit fingerprint of name's source and of every template it can
 * reach through partials and parents: when it is unchanged, the template
 * renders any view exactly as before.  0 when name is unknown.
 */
uint64_t tmpl_fingerprint(const struct tmpl_set *set, const char *name);

#endif
