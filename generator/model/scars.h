/*
 * The scars a printed page leaves in a text, found in any article
 * whoever edited it, so that a hand edit is held to what the importer
 * does (util/prose.h has the rules): a paragraph that stops
 * mid-sentence without the lacuna mark, one that opens inside a clause,
 * a Latin word between Chinese characters, a traditional character, and
 * a passage of SCARS_REPEAT_CHARS characters or more printed twice.
 *
 * Each is a warning, path:line:col, named by its rule, which the
 * article's front matter may accept on purpose: `accept: [RULE]` for
 * every one of that rule, `accept: ["RULE: text"]` for those whose
 * paragraph holds the text.
 */
#ifndef JICENG_SCARS_H
#define JICENG_SCARS_H

#include "../load/article.h"
#include "../util/diag.h"

#define SCARS_REPEAT_CHARS	25
/* Rules, and the warnings of one rule an article names at the most. */
#define SCARS_RULES		5
#define SCARS_MAX		20

/* Adds a warning to d for each scar of a's body not accepted. */
void	 scars_check(const struct article *a, struct diags *d);

#endif
