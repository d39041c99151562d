/*
 * Rules of Chinese prose that the importer applies to raw pages and
 * `jiceng check` to articles, so that both find the same scars: where a
 * sentence ends, a paragraph that opens inside a clause, a Latin word
 * slipped between Chinese characters, a traditional character in
 * simplified text, and the mark of text the source lost.
 */
#ifndef JICENG_PROSE_H
#define JICENG_PROSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The lacuna mark: where it stands the printed source lost text (a
 * sentence cut off, a paragraph opening mid-clause, a page running out).
 * jiceng(5) documents it; pages render it visibly.
 */
#define PROSE_LACUNA	"〔原文缺〕"

/* Whether cp closes a sentence: 。！？… and ASCII ! ? */
bool	 prose_is_terminal(int32_t cp);
/* Whether cp is a closing quote or bracket that may follow a terminal. */
bool	 prose_is_closer(int32_t cp);
/* Whether cp is punctuation, ASCII or CJK (〇 is a digit, not one). */
bool	 prose_is_punct(int32_t cp);

/*
 * Whether s[0..len) ends where a paragraph may: after a terminal or an
 * ASCII full stop (closing quotes and brackets may follow), after a colon
 * that introduces what follows, or with the lacuna mark.
 */
bool	 prose_ends_paragraph(const char *s, size_t len);

/* Why a paragraph seems to open inside a clause (prose_fragment_start). */
enum prose_fragment {
	PROSE_WHOLE,		/* it opens a sentence, as far as we can tell */
	PROSE_OPENS_WITH_MARK,	/* ，、；。 or a closing quote first */
	PROSE_SHORT_CLAUSE,	/* 下沉，: a clause of one or two characters */
	PROSE_WORD_TAIL,	/* 力开展: the tail of a word cut off */
};

/*
 * Whether the paragraph s[0..len) opens inside a clause, as one does
 * when the page lost the text before it: it opens with punctuation that
 * cannot start a sentence; or its first clause is one or two Chinese
 * characters that are no sentence adverbial (下沉，强化… but not 目前，);
 * or its first character is a word's tail (力, 们, 化 …) not starting a
 * word with the next one (力开展 but not 力争).  Heuristics, documented in
 * jiceng(5): a paragraph they miss reads on as whole.  An article's first
 * paragraph may open with a short topic (城市，让生活更美好): callers
 * take PROSE_SHORT_CLAUSE as a fragment only after another paragraph.
 */
enum prose_fragment prose_fragment_start(const char *s, size_t len);

/*
 * Finds the next lowercase Latin word set between Chinese characters
 * (作用 and 统筹), spaces around it allowed, from byte *pos of s[0..len):
 * sets *start and *end to its bytes and *pos past it, and returns true;
 * false when there is none.  Capitals, digits and acronyms (APP, QQ, 5G)
 * are left alone: they belong in Chinese text.
 */
bool	 prose_next_latin_word(const char *s, size_t len, size_t *pos,
	    size_t *start, size_t *end);

/*
 * The Chinese word a Latin word slipped into Chinese text plainly means
 * ("and" → "和", "or" → "或"), or NULL when the intent is not plain.
 */
const char *prose_latin_meaning(const char *word, size_t len);

/*
 * The simplified form of cp when it is a traditional-only character
 * (not in the 通用规范汉字表: 書 → 书), else -1.
 */
int32_t	 prose_simplified(int32_t cp);

#endif
