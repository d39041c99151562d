/*
 * Passages printed twice: a paragraph or heading set again elsewhere on
 * the page, whole or glued to other text, or repeated right after
 * itself.  Of two copies one stays: the one the page's own text goes on
 * from, else the one in the article whose district it names, else the
 * one that fits its section, else the first; the collation note says
 * which was kept.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../util/prose.h"
#include "../util/utf8.h"
#include "../util/xalloc.h"
#include "internal.h"

/*
 * Each heading and paragraph is reduced to its letters (no spaces, no
 * punctuation, so 抓关键强轴心。激发… matches 抓关键强轴心 激发…) and
 * every run of SHINGLE letters is hashed.  A run seen before is
 * stretched as far as the two copies agree, bridging a few differing
 * letters (晋源区委认为 / 珠山区委认为).  Each hash keeps at most
 * MAX_POSTINGS earlier places, so the work stays linear in the page
 * however repetitive it is.
 */
#define SHINGLE		8
#define MAX_POSTINGS	8
#define GAP_MAX		3
/* A copy glued to other text must be this long to go (letters). */
#define GLUED_MIN	30
/* A repeat right after itself in one paragraph (X，X，X). */
#define TANDEM_MIN	12
/*
 * A copy left open is followed by an orphan, not by its own sentence,
 * when what follows is one clause of at most this many letters ending
 * its paragraph (有威望的支部班子。).
 */
#define ORPHAN_MAX	12
/* A unit this much (percent) made of an earlier one is a copy of it. */
#define WHOLE_SHARE	80
#define WHOLE_MIN	6

struct unit_letters {
	int32_t	*cps;		/* owned */
	size_t	*start;		/* owned; byte of each letter in the text */
	size_t	*end;		/* owned; byte after it */
	size_t	 n;
};

struct shingle_slot {
	uint64_t key;
	uint32_t count;
	uint32_t unit[MAX_POSTINGS];
	uint32_t pos[MAX_POSTINGS];
};

struct region {
	size_t	 from, to;	/* letters of the later copy */
	size_t	 src;		/* unit of the earlier copy */
	size_t	 src_from;
};

struct regions {
	struct region *items;	/* owned */
	size_t	 count;
	size_t	 whole;		/* unit it shares a passage with,
				   (size_t)-1: none */
	size_t	 best;		/* the region of that passage */
};

static void
letters_of(const struct unit *u, struct unit_letters *l)
{
	size_t len = strlen(u->text), pos = 0, start;
	int32_t cp;

	l->cps = xreallocarray(NULL, len + 1, sizeof(*l->cps));
	l->start = xreallocarray(NULL, len + 1, sizeof(*l->start));
	l->end = xreallocarray(NULL, len + 1, sizeof(*l->end));
	l->n = 0;
	while (start = pos, (cp = utf8_next(u->text, len, &pos)) >= 0) {
		if (chars_is_space(cp) || prose_is_punct(cp))
			continue;
		l->cps[l->n] = cp;
		l->start[l->n] = start;
		l->end[l->n] = pos;
		l->n++;
	}
}

static uint64_t
shingle_key(const int32_t *cps)
{
	uint64_t h = 1469598103934665603ULL;
	size_t i;

	/* FNV-1a over the code points; collisions are checked anyway. */
	for (i = 0; i < SHINGLE; i++) {
		h ^= (uint64_t)(uint32_t)cps[i];
		h *= 1099511628211ULL;
	}
	return h | 1;			/* 0 marks an empty slot */
}

static struct shingle_slot *
find_slot(struct shingle_slot *table, size_t mask, uint64_t key)
{
	size_t i = (size_t)(key ^ (key >> 29)) & mask;

	while (table[i].key != 0 && table[i].key != key)
		i = (i + 1) & mask;
	return &table[i];
}

static bool
same_letters(const struct unit_letters *a, size_t i,
    const struct unit_letters *b, size_t j, size_t n)
{
	return i + n <= a->n && j + n <= b->n &&
	    memcmp(a->cps + i, b->cps + j, n * sizeof(*a->cps)) == 0;
}

/* How far copy b[j..] follows a[i..], bridging small differences. */
static size_t
stretch(const struct unit_letters *a, size_t i, const struct unit_letters *b,
    size_t j)
{
	size_t len = 0, gap;
	bool bridged;

	do {
		while (i + len < a->n && j + len < b->n &&
		    a->cps[i + len] == b->cps[j + len])
			len++;
		bridged = false;
		for (gap = 1; gap <= GAP_MAX && !bridged; gap++)
			if (same_letters(a, i + len + gap, b, j + len + gap,
			    SHINGLE)) {
				len += gap;
				bridged = true;
			}
	} while (bridged);
	return len;
}

static void
add_region(struct regions *r, size_t from, size_t to, size_t src,
    size_t src_from)
{
	r->items = xreallocarray(r->items, r->count + 1, sizeof(*r->items));
	r->items[r->count].from = from;
	r->items[r->count].to = to;
	r->items[r->count].src = src;
	r->items[r->count].src_from = src_from;
	r->count++;
}

/* Remembers that letters i.. of unit u start a shingle. */
static void
add_posting(struct shingle_slot *table, size_t mask,
    const struct unit_letters *l, size_t u, size_t i)
{
	struct shingle_slot *slot;
	uint64_t key;

	if (i + SHINGLE > l->n)
		return;
	key = shingle_key(l->cps + i);
	slot = find_slot(table, mask, key);
	slot->key = key;
	if (slot->count < MAX_POSTINGS) {
		slot->unit[slot->count] = (uint32_t)u;
		slot->pos[slot->count] = (uint32_t)i;
		slot->count++;
	}
}

/* Finds the regions of unit u copied from earlier text. */
static void
match_unit(struct shingle_slot *table, size_t mask,
    const struct unit_letters *all, size_t u, struct regions *r)
{
	const struct unit_letters *b = &all[u];
	struct shingle_slot *slot;
	size_t i = 0, k, len, best, best_unit = 0, best_pos = 0, v, q, end;

	while (i + SHINGLE <= b->n) {
		slot = find_slot(table, mask, shingle_key(b->cps + i));
		best = 0;
		for (k = 0; slot->key != 0 && k < slot->count; k++) {
			v = slot->unit[k];
			q = slot->pos[k];
			if (v == u && q + SHINGLE > i)
				continue;
			if (!same_letters(&all[v], q, b, i, SHINGLE))
				continue;
			if ((len = stretch(&all[v], q, b, i)) > best) {
				best = len;
				best_unit = v;
				best_pos = q;
			}
		}
		if (best >= SHINGLE) {
			add_region(r, i, i + best, best_unit, best_pos);
			/* A copy is text too: later copies may match it. */
			for (end = i + best; i < end; i++)
				add_posting(table, mask, b, u, i);
			continue;
		}
		add_posting(table, mask, b, u, i);
		i++;
	}
}

static bool
is_content(const struct unit *u)
{
	return (u->kind == UNIT_PARAGRAPH || u->kind == UNIT_HEADING) &&
	    !u->removed && u->text != NULL;
}

/*
 * Whether unit u and an earlier unit are copies of one passage: the
 * longest region makes up nearly all of one of them (the other may go
 * on with text of its own, 珠山区委认为… running into the next column).
 */
static void
find_whole(const struct unit_letters *all, size_t u, struct regions *r)
{
	size_t i, len, longest = 0;
	const struct region *best;

	r->whole = (size_t)-1;
	if (r->count == 0)
		return;
	for (i = 0; i < r->count; i++) {
		len = r->items[i].to - r->items[i].from;
		if (len > r->items[longest].to - r->items[longest].from)
			longest = i;
	}
	best = &r->items[longest];
	len = best->to - best->from;
	if (best->src == u || len < WHOLE_MIN)
		return;
	if (len * 100 >= all[u].n * WHOLE_SHARE ||
	    len * 100 >= all[best->src].n * WHOLE_SHARE) {
		r->whole = best->src;
		r->best = longest;
	}
}

/* How much text speaks for article a: its district minus the others. */
static long
place_score(const char *text, int a, const char *const *districts,
    size_t ndistricts)
{
	long score = 0;
	size_t i;

	for (i = 0; i < ndistricts; i++) {
		if (districts[i] == NULL)
			continue;
		if ((int)i == a)
			score += (long)chars_count(text, districts[i]);
		else if (a < 0 || districts[a] == NULL ||
		    strcmp(districts[i], districts[a]) != 0)
			score -= (long)chars_count(text, districts[i]);
	}
	return score;
}

/* The next content unit after i, or p->nunits. */
static size_t
next_content(const struct import_page *p, size_t i)
{
	while (++i < p->nunits && !is_content(&p->units[i]))
		;
	return i;
}

/*
 * Cuts a copy glued to other text.  When the text after the copy goes
 * on with a letter, the cut ends at the copy's last punctuation (the
 * clause after it is the page's own); when a mark follows, the marks
 * before the copy go with it, so no doubled punctuation is left; when
 * nothing follows, the marks after it go too.  A few letters left at
 * either end of the unit (the 晋源 of 晋源区委认为 against 珠山区委认为) go
 * with the copy.  A repeat right after itself (tandem) only doubles the
 * text; any other copy covered the page's own, and the gap it leaves is
 * marked.  src_line names where the copy kept was printed, why and
 * why_zh why it was kept (for the editor, and for the reader).  Returns
 * where the cut was, or (size_t)-1 when nothing was cut.
 */
static size_t
cut_copy(struct import_page *p, struct unit *u, const struct unit_letters *l,
    size_t from, size_t to, unsigned src_line, const char *why,
    const char *why_zh, bool tandem)
{
	size_t start, end, len = strlen(u->text), pos, k;
	int32_t cp;
	unsigned line, col;
	char *quoted;
	bool whole, gone, mid_clause;

	if (from <= GAP_MAX)
		from = 0;
	if (to + GAP_MAX >= l->n)
		to = l->n;
	whole = from == 0 && to == l->n;
	start = from == 0 ? 0 : l->start[from];
	end = whole ? len : l->end[to - 1];
	mid_clause = start > 0 &&
	    !prose_is_punct(utf8_last(u->text, start, NULL));
	pos = end;
	cp = utf8_next(u->text, len, &pos);
	if (cp >= 0 && !prose_is_punct(cp) && !chars_is_space(cp)) {
		for (k = end; k > start; k = pos)
			if (prose_is_punct(utf8_last(u->text, k, &pos)))
				break;
		if (k == start)
			return (size_t)-1;	/* no clause boundary */
		end = k;
	} else if (start == 0 || (to == l->n && !tandem)) {
		/* The marks after the copy go with it. */
		while (pos = end, (cp = utf8_next(u->text, len, &pos)) >= 0 &&
		    (chars_is_space(cp) || (prose_is_punct(cp) &&
		    !chars_opens(cp))))
			end = pos;
	} else {
		while (start > 0 &&
		    (cp = utf8_last(u->text, start, &pos)) >= 0 &&
		    (chars_is_space(cp) || (prose_is_punct(cp) &&
		    !prose_is_closer(cp))))
			start = pos;
	}
	unit_locate(u, start, &line, &col);
	quoted = chars_quote(u->text + start, end - start);
	if (whole) {
		u->removed = true;
		page_report(p, IMPORT_REPAIR_DUPLICATE, line, col, "removed a "
		    "%s printed twice (kept the copy at line %u%s)",
		    u->kind == UNIT_HEADING ? "heading" : "paragraph",
		    src_line, why);
		page_explain(p, "删去重复印出的%s%s，保留第 %u 行的一处%s",
		    u->kind == UNIT_HEADING ? "小标题" : "一段", quoted,
		    src_line, why_zh);
		free(quoted);
		return 0;
	}
	page_report(p, IMPORT_REPAIR_DUPLICATE, line, col, "removed %zu "
	    "characters printed twice (kept the copy at line %u%s)",
	    utf8_length(u->text + start, end - start), src_line, why);
	if (tandem)
		page_explain(p, "删去紧接着重复印出的%s（%zu 字）", quoted,
		    utf8_length(u->text + start, end - start));
	else
		page_explain(p, "删去重复印出的%s（%zu 字），保留第 %u 行的一处%s",
		    quoted, utf8_length(u->text + start, end - start),
		    src_line, why_zh);
	free(quoted);
	gone = prose_ends_paragraph(u->text + start, end - start);
	unit_cut(u, start, end);
	if (chars_next_letter(u->text, strlen(u->text), &(size_t){ 0 }) < 0)
		u->removed = true;
	else if (!tandem)
		gap_after_cut(p, u, start, gone, mid_clause);
	return start;
}

/* The source line where letter i of unit u was printed. */
static unsigned
letter_line(const struct import_page *p, const struct unit_letters *all,
    size_t u, size_t i)
{
	unsigned line, col;

	unit_locate(&p->units[u], i < all[u].n ? all[u].start[i] : 0,
	    &line, &col);
	return line;
}

/* A set of Han bigrams, sorted once filled. */
struct bigrams {
	uint64_t *keys;		/* owned */
	size_t	 count;
};

static void
bigrams_add(struct bigrams *b, const struct unit_letters *l, size_t from,
    size_t to)
{
	size_t i;

	b->keys = xreallocarray(b->keys, b->count + (to > from ? to - from :
	    0) + 1, sizeof(*b->keys));
	for (i = from; i + 1 < to; i++)
		if (utf8_is_han(l->cps[i]) && utf8_is_han(l->cps[i + 1]))
			b->keys[b->count++] = (uint64_t)l->cps[i] << 21 |
			    (uint64_t)l->cps[i + 1];
}

static int
compare_key(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Sorts the set and drops repeats. */
static void
bigrams_settle(struct bigrams *b)
{
	size_t i, n = 0;

	qsort(b->keys, b->count, sizeof(*b->keys), compare_key);
	for (i = 0; i < b->count; i++)
		if (n == 0 || b->keys[n - 1] != b->keys[i])
			b->keys[n++] = b->keys[i];
	b->count = n;
}

/*
 * How well a copy (letters from..to of unit u) fits where it was
 * printed: how many of its distinct bigrams the rest of its section
 * uses, the heading above it, the paragraphs under that heading and the
 * text around the copy in its own unit, but not the other copy.  The
 * copy under the heading it belongs to speaks its section's words; a
 * stray printed into another section does not.  Scaled by the square
 * root of the section's distinct bigrams (a cosine, the copy's own size
 * being the same for both), so a long section does not win by length.
 */
static double
affinity(const struct import_page *p, const struct unit_letters *all,
    const int *owner, size_t u, size_t from, size_t to, size_t other)
{
	struct bigrams section = { NULL, 0 }, copy = { NULL, 0 };
	size_t first = u, last = u, i, hits = 0;
	double score;

	while (first > 0 && is_content(&p->units[first - 1]) &&
	    owner[first - 1] == owner[u] &&
	    p->units[first].kind != UNIT_HEADING)
		first--;
	while (last + 1 < p->nunits && is_content(&p->units[last + 1]) &&
	    owner[last + 1] == owner[u] &&
	    p->units[last + 1].kind != UNIT_HEADING)
		last++;
	for (i = first; i <= last; i++)
		if (i == u) {
			bigrams_add(&section, &all[i], 0, from);
			bigrams_add(&section, &all[i], to, all[i].n);
		} else if (i != other)
			bigrams_add(&section, &all[i], 0, all[i].n);
	bigrams_add(&copy, &all[u], from, to);
	bigrams_settle(&section);
	bigrams_settle(&copy);
	for (i = 0; i < copy.count; i++)
		hits += bsearch(&copy.keys[i], section.keys, section.count,
		    sizeof(*section.keys), compare_key) != NULL;
	score = section.count > 0 ? (double)hits / sqrt((double)section.count) :
	    0;
	free(section.keys);
	free(copy.keys);
	return score;
}

/*
 * What follows a copy printed at bytes ..end of unit u, ranked by how
 * well it completes the sentence the copy leaves open.  A copy printed
 * over the page's own text cut a sentence: what is left after it is the
 * tail of another, a short lone clause before the next heading
 * (有活力的议事队伍。), or nothing.  The copy the author set goes on
 * into its sentence.  A paragraph left open is joined with the text
 * after it (join.c), so that text is in the unit.
 */
enum follower {
	FOLLOW_NOTHING,		/* the unit ends with the open copy */
	FOLLOW_ORPHAN,		/* one short clause ends the paragraph */
	FOLLOW_SENTENCE,	/* the sentence goes on, or the copy closed it */
};

static enum follower
follower_of(const struct unit *u, size_t end)
{
	const char *s = u->text;
	size_t len = strlen(s), pos = end, at, letters = 0;
	int32_t cp;

	while (at = pos, (cp = utf8_next(s, len, &pos)) >= 0 &&
	    (chars_is_space(cp) || prose_is_punct(cp)))
		;
	if (prose_ends_paragraph(s, at))
		return FOLLOW_SENTENCE;	/* the copy closed its sentence */
	if (cp < 0)
		return FOLLOW_NOTHING;
	for (pos = at; (cp = utf8_next(s, len, &pos)) >= 0;) {
		if (prose_is_terminal(cp))
			break;
		if (prose_is_punct(cp) && !chars_opens(cp) &&
		    !prose_is_closer(cp))
			return FOLLOW_SENTENCE;	/* more than one clause */
		if (!chars_is_space(cp))
			letters++;
	}
	return cp >= 0 && letters <= ORPHAN_MAX &&
	    chars_next_letter(s, len, &pos) < 0 ? FOLLOW_ORPHAN :
	    FOLLOW_SENTENCE;
}

/*
 * Removes passages printed twice across units.  Consecutive units that
 * copy consecutive units form one passage (a heading and its paragraph
 * repeated under another article).  Of its two copies the one the text
 * after it completes stays (follower_of); else the one in the article
 * whose district it names; else the one that fits its section better
 * (affinity); else the first.
 */
static void
remove_copies(struct import_page *p, struct regions *rs,
    const struct unit_letters *all, bool *stale, const int *owner,
    const char *const *districts, size_t ndistricts)
{
	size_t i, j, end, src, gone, last;
	long later, earlier;
	double fit_later, fit_earlier;
	enum follower follows_later, follows_earlier;
	bool drop_later;
	const struct region *r;
	const char *why, *why_zh, *why_zh_last;

	for (i = 0; i < p->nunits; i = end) {
		end = i + 1;
		if (!is_content(&p->units[i]) || rs[i].whole == (size_t)-1)
			continue;
		later = earlier = 0;
		src = rs[i].whole;
		for (j = i; j < p->nunits; j = next_content(p, j)) {
			if (src >= j || rs[j].whole != src ||
			    owner[j] != owner[i] ||
			    owner[src] != owner[rs[i].whole])
				break;
			later += place_score(p->units[j].text, owner[j],
			    districts, ndistricts);
			earlier += place_score(p->units[src].text, owner[src],
			    districts, ndistricts);
			end = j + 1;
			src = next_content(p, src);
		}
		/*
		 * The passage ends in its last units: what follows there.  A
		 * unit cut once has stale letters, and tells nothing.
		 */
		last = end - 1;
		r = &rs[last].items[rs[last].best];
		follows_later = follows_earlier = FOLLOW_SENTENCE;
		if (!stale[last] && !stale[r->src]) {
			follows_later = follower_of(&p->units[last],
			    all[last].end[r->to - 1]);
			follows_earlier = follower_of(&p->units[r->src],
			    all[r->src].end[r->src_from + (r->to - r->from) -
			    1]);
		}
		r = &rs[i].items[rs[i].best];
		fit_later = affinity(p, all, owner, i, r->from, r->to, r->src);
		fit_earlier = affinity(p, all, owner, r->src, r->src_from,
		    r->src_from + (r->to - r->from), i);
		why_zh = why_zh_last = owner[i] != owner[rs[i].whole] ?
		    "（在另一篇文章中）" : "";
		if (follows_later != follows_earlier) {
			drop_later = follows_later < follows_earlier;
			why = ", which the text after it goes on from";
			/* Said of the unit the sentence goes on from. */
			why_zh_last = owner[i] != owner[rs[i].whole] ?
			    "（在另一篇文章中，后文接续此句）" : "（后文接续此句）";
		} else if (later != earlier) {
			drop_later = later < earlier;
			why = drop_later ? "" : ", in the article of the "
			    "district it names";
		} else {
			drop_later = fit_later <= fit_earlier;
			why = fit_later != fit_earlier ? ", under the heading "
			    "it belongs to" : "";
		}
		for (j = i; j < end; j = next_content(p, j)) {
			r = &rs[j].items[rs[j].best];
			gone = drop_later ? j : r->src;
			/* A unit cut once has stale letters: leave it be. */
			if (!stale[gone] && is_content(&p->units[gone])) {
				if (drop_later)
					cut_copy(p, &p->units[j], &all[j],
					    r->from, r->to, letter_line(p, all,
					    r->src, r->src_from), why, j == last ?
					    why_zh_last : why_zh, false);
				else
					cut_copy(p, &p->units[r->src],
					    &all[r->src], r->src_from,
					    r->src_from + (r->to - r->from),
					    letter_line(p, all, j, r->from), why,
					    j == last ? why_zh_last : why_zh,
					    false);
				stale[gone] = true;
			}
			rs[j].count = 0;
		}
	}
}

/* Whether region r of unit u repeats the text right before it (X，X，X). */
static bool
is_tandem(const struct region *r, size_t u)
{
	return r->src == u && r->to - r->from >= r->from - r->src_from;
}

/*
 * Aligns a repeat X，X，X to whole copies: it starts after a mark (the
 * match may begin a letter early, when the text before the first X ends
 * like X does) and spans a whole number of periods.  Returns false when
 * no whole copy is left to cut.
 */
static bool
align_tandem(const struct unit *u, const struct unit_letters *l, size_t *from,
    size_t *to, size_t period)
{
	size_t s, pos;
	int32_t cp;

	for (s = *from; s < *from + period && s < *to; s++) {
		cp = utf8_last(u->text, l->start[s], &pos);
		if (cp >= 0 && prose_is_punct(cp))
			break;
	}
	if (s == *from + period || s >= *to || (*to - s) / period == 0)
		return false;
	*to = s + (*to - s) / period * period;
	*from = s;
	return true;
}

void
duplicates_remove(struct import_page *p, const int *owner,
    const char *const *districts, size_t ndistricts)
{
	struct unit_letters *all = xcalloc(p->nunits + 1, sizeof(*all));
	struct regions *rs = xcalloc(p->nunits + 1, sizeof(*rs));
	bool *stale = xcalloc(p->nunits + 1, sizeof(*stale));
	struct shingle_slot *table;
	size_t i, k, total = 0, size = 64, limit, from, to;
	const struct region *r;

	for (i = 0; i < p->nunits; i++) {
		rs[i].whole = (size_t)-1;
		if (is_content(&p->units[i])) {
			letters_of(&p->units[i], &all[i]);
			total += all[i].n;
		}
	}
	while (size < total * 2)
		size *= 2;
	table = xcalloc(size, sizeof(*table));
	for (i = 0; i < p->nunits; i++)
		if (is_content(&p->units[i])) {
			match_unit(table, size - 1, all, i, &rs[i]);
		}
	free(table);
	for (i = 0; i < p->nunits; i++)
		if (is_content(&p->units[i]))
			find_whole(all, i, &rs[i]);
	remove_copies(p, rs, all, stale, owner, districts, ndistricts);
	/* Last regions first, so earlier letters keep their offsets. */
	for (i = 0; i < p->nunits; i++) {
		limit = (size_t)-1;
		for (k = rs[i].count; k-- > 0;) {
			r = &rs[i].items[k];
			from = r->from;
			to = r->to;
			if (!is_content(&p->units[i]) || stale[i] ||
			    all[i].end[to - 1] > limit ||
			    to - from < (is_tandem(r, i) ? TANDEM_MIN :
			    GLUED_MIN) || (is_tandem(r, i) &&
			    !align_tandem(&p->units[i], &all[i], &from, &to,
			    r->from - r->src_from)))
				continue;
			limit = cut_copy(p, &p->units[i], &all[i], from, to,
			    letter_line(p, all, r->src, r->src_from), "", "",
			    is_tandem(r, i));
		}
	}
	for (i = 0; i < p->nunits; i++) {
		free(all[i].cps);
		free(all[i].start);
		free(all[i].end);
		free(rs[i].items);
	}
	free(all);
	free(rs);
	free(stale);
}
