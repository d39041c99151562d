/*
 * What the Mustache engine's files share, and nobody else sees: the
 * compiled form of a template (a flat array of nodes) and the state of
 * the compiler between its passes.
 *
 *   tmpl_parse.c   source -> tokens -> node tree (passes 1, 2 and 5)
 *   tmpl_space.c   the spec's whitespace: standalone lines cut, block
 *                  content re-indented (passes 3 and 4)
 *   tmpl.c         the set: adding, linking, checking, fingerprints
 *   tmpl_render.c  nodes and a view into text
 */
#ifndef JICENG_TMPL_INTERNAL_H
#define JICENG_TMPL_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../util/buf.h"
#include "../util/diag.h"
#include "tmpl.h"

/* Sections open at once in one template: deeper is surely a mistake. */
#define TMPL_MAX_NESTING	100
/*
 * Nested renders (sections, partials, parents, blocks) before rendering
 * gives up; bounds the C stack whatever the templates and the view.
 */
#define TMPL_MAX_DEPTH		256
/* Longest tag name quoted in a message, in characters. */
#define TMPL_QUOTE_CHARS	40
/* Room for a name tmpl_quote copies, its "..." and NUL included. */
#define TMPL_QUOTE_SIZE		(TMPL_QUOTE_CHARS * 4 + 8)

enum tok_kind {
	TOK_TEXT,
	TOK_VAR,	/* {{name}} */
	TOK_RAW,	/* {{{name}}} or {{&name}} */
	TOK_SECTION,	/* {{#name}} */
	TOK_INVERTED,	/* {{^name}} */
	TOK_CLOSE,	/* {{/name}} */
	TOK_PARTIAL,	/* {{>name}} */
	TOK_PARENT,	/* {{<name}} */
	TOK_BLOCK,	/* {{$name}} */
	TOK_COMMENT,	/* {{! text}} */
	TOK_DELIM,	/* {{=<% %>=}} */
};

/* What each kind of token is, for the passes. */
struct tmpl_kind {
	bool	 opens;		/* needs a closing tag */
	bool	 standalone;	/* may stand alone on a line */
	bool	 structural;	/* may share a standalone line (inheritance) */
	const char *word;	/* what messages call it */
};

extern const struct tmpl_kind tmpl_kinds[];	/* by enum tok_kind */

enum {
	TF_STANDALONE = 1 << 0,	/* its line was cut from the output */
	TF_RUN_REST = 1 << 1,	/* standalone, but not first on its line */
	TF_PAIR = 1 << 2,	/* a block opened and closed on one such line */
};

#define NO_TOKEN	((size_t)-1)

struct token {
	enum tok_kind kind;
	unsigned flags;		/* TF_* */
	size_t	 off, len;	/* text, or the tag's trimmed name; in pool */
	size_t	 start, end;	/* the whole token in the source */
	size_t	 cut_start;	/* text kept after the standalone pass */
	size_t	 cut_end;
	size_t	 indent_off;	/* blanks before a standalone tag; in pool */
	size_t	 indent_len;
	size_t	 eol_off;	/* line ending after a standalone line */
	size_t	 eol_len;
	size_t	 xindent_off;	/* a block's indentation where it expands */
	size_t	 xindent_len;
	size_t	 match;		/* the closing or opening token, or NO_TOKEN */
	size_t	 node;		/* its node, or NO_TOKEN when dropped */
	unsigned line, col;	/* 1-based; col in characters */
};

enum node_kind {
	NODE_TEXT,
	NODE_VAR,
	NODE_RAW,
	NODE_SECTION,
	NODE_INVERTED,
	NODE_PARTIAL,
	NODE_PARENT,
	NODE_BLOCK,
};

enum {
	NF_STANDALONE = 1 << 0,	/* starts no output line of its own */
	NF_PAIR = 1 << 1,	/* block alone on a line with its closing tag */
};

struct node {
	unsigned char kind;	/* enum node_kind */
	unsigned char flags;	/* NF_* */
	uint32_t size;		/* nodes in the subtree, this one included */
	uint32_t line, col;	/* of the tag, for diagnostics */
	uint32_t off, len;	/* text or name, in the template's pool */
	uint32_t indent_off;	/* partial, parent: standalone indentation; */
	uint32_t indent_len;	/* block: indentation of its content */
	uint32_t eol_off;	/* NF_PAIR: the line ending to restore */
	uint32_t eol_len;
	const struct tmpl *target; /* partial, parent: set by set_link */
};

struct tmpl {
	char	*name;		/* owned */
	char	*path;		/* owned; for diagnostics */
	char	*pool;		/* owned; source, then extra strings */
	size_t	 pool_len;
	struct node *nodes;	/* owned; count of them */
	size_t	 count;
	size_t	*refs;		/* owned; indexes of partial, parent nodes */
	size_t	 nrefs;
	uint64_t hash;		/* XXH3 of the source */
};

struct tmpl_set {
	struct tmpl **items;	/* owned; in the order added */
	size_t	 count;
	size_t	 cap;
};

struct compile {
	const char *path;	/* borrowed; for diagnostics */
	struct diags *d;	/* borrowed */
	struct buf pool;	/* the source, then strings made by dedent */
	size_t	 src_len;
	struct token *toks;
	size_t	 ntoks, captoks;
	struct node *nodes;
	size_t	*node_tok;	/* token of each node, while compiling */
	size_t	 nnodes, capnodes;
	size_t	 errors;
	bool	 stopped;	/* the tokenizer could not go on */
	size_t	 scanned;	/* position tracking: offset counted up to */
	unsigned line;		/* the line at scanned */
	unsigned col;		/* the column at scanned, in characters */
};

/*
 * tmpl_parse.c.  tmpl_compile compiles src into a new template, or
 * returns NULL after adding errors to d; free it with tmpl_discard.
 * tmpl_quote copies a name for a message into out (size bytes): at most
 * TMPL_QUOTE_CHARS characters, control characters shown as spaces so
 * the message stays on one line.
 */
struct tmpl *tmpl_compile(const char *name, const char *path,
	    const char *src, size_t len, struct diags *d);
void	 tmpl_discard(struct tmpl *t);
const char *tmpl_quote(char *out, size_t size, const char *s, size_t len);

/*
 * tmpl_space.c, run by tmpl_compile once sections are matched.
 * tmpl_cut_standalone cuts the blanks and line ending of each line
 * that holds only tags printing nothing (the spec's standalone lines);
 * tmpl_dedent_blocks re-indents block content (the inheritance module).
 */
void	 tmpl_cut_standalone(struct compile *c);
void	 tmpl_dedent_blocks(struct compile *c);

/* tmpl.c: the template of that name (len bytes) in set, or NULL. */
struct tmpl *tmpl_find(const struct tmpl_set *set, const char *name,
	    size_t len);

#endif
