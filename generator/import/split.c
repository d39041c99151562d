/*
 * The first stage of an import: a page's lines become units.  A block
 * (lines between blank lines) is a headline ("place：title", or a title
 * with a byline under it), a byline ("■role name", the marker optional
 * when the role starts with a place), the words 编者按, or text for the
 * repair stage to join into paragraphs and headings.
 */
#include <stdlib.h>
#include <string.h>

#include "../util/prose.h"
#include "../util/utf8.h"
#include "../util/xalloc.h"
#include "../model/gazetteer.h"
#include "internal.h"

/* Longest place before a headline's colon, in characters. */
#define PLACE_MAX_CHARS		24
/* Lines a headline's place may be broken over by a narrow column. */
#define PLACE_MAX_LINES		3
/* Longest title without a place, and longest byline, in characters. */
#define TITLE_MAX_CHARS		48
#define BYLINE_MAX_CHARS	64
#define BYLINE_MAX_LINES	6
/* Longest name in a byline (娜仁塔娜; names with a middle dot). */
#define NAME_MIN_CHARS		2
#define NAME_MAX_CHARS		8

/* A run of non-blank lines. */
struct block {
	size_t	 first;		/* index into page lines */
	size_t	 count;
};

/* Words that end the role in a byline; the name follows them. */
static const char *const role_words[] = {
	"书记", "部长", "主任", "市长", "区长", "县长", "旗长", "盟长",
	"州长", "镇长", "局长", "处长", "主席", "常委", "委员", "组长",
	"记者", "通讯员", "理事长", "秘书长",
};

/* Marks a newspaper prints before a byline. */
static const int32_t byline_marks[] = {
	0x25A0, 0x25A1, 0x25C6, 0x25CF, 0x25B2, 0x25B6,	/* ■□◆●▲▶ */
};

/* Punctuation that cannot occur in a byline or a title. */
static const int32_t sentence_marks[] = {
	0x3002, 0xFF1B, 0xFF01, 0xFF1F,		/* 。；！？ */
};

static const int32_t colons[] = { 0xFF1A, ':' };

/* Adds one source line: NFC, trimmed, repaired. */
static void
add_line(struct import_page *p, const char *s, size_t len, unsigned number)
{
	struct page_line *l;
	size_t nlen, start = 0, end, pos, skipped = 0;
	char *nfc = utf8_nfc(s, len, &nlen);
	int32_t cp;

	if (nlen != len || memcmp(nfc, s, len) != 0)
		page_report(p, IMPORT_REPAIR_NORMALIZE, number, 1,
		    "put the line in Unicode normalization form C");
	while (pos = start, (cp = utf8_next(nfc, nlen, &pos)) >= 0 &&
	    chars_is_space(cp)) {
		start = pos;
		skipped++;
	}
	end = nlen;
	while (end > start && (cp = utf8_last(nfc, end, &pos)) >= 0 &&
	    chars_is_space(cp))
		end = pos;
	l = &p->lines[p->nlines++];
	l->text = xstrndup(nfc + start, end - start);
	l->len = end - start;
	l->line = number;
	l->col = (unsigned)skipped + 1;
	free(nfc);
	repair_line(p, l);
	l->chars = utf8_length(l->text, l->len);
}

static size_t
count_lines(const char *text, size_t len)
{
	const char *nl;
	size_t n = 0, start = 0;

	while (start < len) {
		nl = memchr(text + start, '\n', len - start);
		n++;
		start = nl ? (size_t)(nl - text) + 1 : len;
	}
	return n;
}

/*
 * Whether a page is set in traditional characters, where none should be
 * converted: more than one Chinese character in fifty traditional-only,
 * where a simplified page holds a slip or two.
 */
static bool
is_traditional(const char *text, size_t len)
{
	size_t pos = 0, han = 0, traditional = 0;
	int32_t cp;

	while ((cp = utf8_next(text, len, &pos)) >= 0)
		if (utf8_is_han(cp)) {
			han++;
			traditional += prose_simplified(cp) >= 0;
		}
	return traditional > 2 && traditional * 50 > han;
}

int
split_lines(struct import_page *p, const char *text, size_t len)
{
	size_t bad = utf8_invalid_at(text, len), start = 0, end, ls;
	unsigned number = 1;
	const char *nl;
	int rc = -1;

	if (bad < len) {
		for (ls = 0, end = 0; end < bad; end++)
			if (text[end] == '\n') {
				number++;
				ls = end + 1;
			}
		diag_error(p->d, p->path, number,
		    diag_column(text + ls, bad - ls),
		    "not UTF-8 text (byte 0x%02x); the page was not imported",
		    (unsigned char)text[bad]);
		goto out;
	}
	if ((p->traditional = is_traditional(text, len)))
		page_warn(p, 1, 1, "the page is set in traditional characters; "
		    "none converted");
	/* Every line at once: one allocation however long the page. */
	p->lines = xreallocarray(NULL, count_lines(text, len) + 1,
	    sizeof(*p->lines));
	while (start < len) {
		nl = memchr(text + start, '\n', len - start);
		end = nl ? (size_t)(nl - text) : len;
		add_line(p, text + start, end - start, number++);
		start = end + 1;
	}
	rc = 0;
out:
	return rc;
}

static void
pieces_add_lines(struct chars_pieces *ps, const struct import_page *p,
    size_t first, size_t count)
{
	size_t i;

	for (i = first; i < first + count; i++)
		chars_pieces_add(ps, p->lines[i].text, p->lines[i].len);
}

/* Joins lines as one run of text, closing up what the column cut. */
static char *
join_plain(const struct import_page *p, size_t first, size_t count)
{
	struct buf b = BUF_INIT;
	size_t i;

	buf_puts(&b, "");
	for (i = first; i < first + count; i++)
		chars_join(&b, p->lines[i].text, p->lines[i].len);
	return buf_detach(&b);
}

static bool
is_han_name(const char *s, size_t len)
{
	size_t pos = 0, n = 0;
	int32_t cp;

	while ((cp = utf8_next(s, len, &pos)) >= 0) {
		if (!utf8_is_han(cp) && cp != 0x00B7 && cp != 0x2022)
			return false;
		n++;
	}
	return n >= NAME_MIN_CHARS && n <= NAME_MAX_CHARS;
}

/* End of the last role word in s, or 0 when there is none. */
static size_t
role_end(const char *s, size_t len)
{
	size_t i, end = 0, wlen;
	const char *hit, *from;

	for (i = 0; i < sizeof(role_words) / sizeof(role_words[0]); i++) {
		wlen = strlen(role_words[i]);
		from = s;
		while ((hit = memmem(from, len - (size_t)(from - s),
		    role_words[i], wlen)) != NULL) {
			if ((size_t)(hit - s) + wlen > end)
				end = (size_t)(hit - s) + wlen;
			from = hit + wlen;
		}
	}
	return end;
}

/* Whether a role starts with a place, as unmarked bylines do. */
static bool
starts_with_place(const char *s, size_t len)
{
	struct gazetteer_match m;
	static const char party[] = "中共";

	if (len >= sizeof(party) - 1 &&
	    memcmp(s, party, sizeof(party) - 1) == 0) {
		s += sizeof(party) - 1;
		len -= sizeof(party) - 1;
	}
	return gazetteer_scan(s, len, &m) != GAZETTEER_NOT_FOUND;
}

static char *
trimmed_copy(const char *s, size_t len)
{
	size_t pos, start = 0;
	int32_t cp;

	while (pos = start, (cp = utf8_next(s, len, &pos)) >= 0 &&
	    chars_is_space(cp))
		start = pos;
	while (len > start && (cp = utf8_last(s, len, &pos)) >= 0 &&
	    chars_is_space(cp))
		len = pos;
	return xstrndup(s + start, len - start);
}

static bool
parse_byline(const char *s, size_t len, bool need_place, char **role,
    char **name, bool *padded)
{
	char *t = trimmed_copy(s, len), *rest = NULL, *compact = NULL;
	size_t tlen = strlen(t), pos = 0, end;
	bool marked = false, ok = false;
	int32_t cp;
	size_t i;

	*role = *name = NULL;
	*padded = false;
	cp = utf8_next(t, tlen, &pos);
	for (i = 0; i < sizeof(byline_marks) / sizeof(byline_marks[0]); i++)
		if (cp == byline_marks[i])
			marked = true;
	if (marked) {
		memmove(t, t + pos, tlen - pos + 1);
		rest = trimmed_copy(t, strlen(t));
		free(t);
		t = rest;
		rest = NULL;
		tlen = strlen(t);
	}
	if (utf8_length(t, tlen) > BYLINE_MAX_CHARS || tlen == 0 ||
	    chars_has_any(t, tlen, sentence_marks, 4) ||
	    chars_has_any(t, tlen, colons, 2))
		goto out;
	if (!marked && (need_place ? !starts_with_place(t, tlen) : false))
		goto out;
	end = role_end(t, tlen);
	if (end == 0 && !marked)
		goto out;
	if (end == 0) {
		/* A marked byline with no role word: the last word is the name. */
		end = tlen;
		while (end > 0 && (cp = utf8_last(t, end, &pos)) >= 0 &&
		    !chars_is_space(cp))
			end = pos;
	}
	/* Unmarked, the name must stand apart: "…书记 云新明". */
	pos = end;
	if (!marked && !chars_is_space(utf8_next(t, tlen, &pos)))
		goto out;
	rest = trimmed_copy(t + end, tlen - end);
	compact = chars_without_spaces(rest, strlen(rest));
	if (!is_han_name(compact, strlen(compact)))
		goto out;
	*padded = strcmp(compact, rest) != 0;
	*name = compact;
	compact = NULL;
	*role = trimmed_copy(t, end);
	if (**role == '\0') {
		free(*role);
		*role = NULL;
	}
	ok = true;
out:
	free(t);
	free(rest);
	free(compact);
	return ok;
}

/* A byline found in the lines, before it becomes a unit. */
struct byline {
	char	*role;		/* owned */
	char	*name;		/* owned */
	bool	 padded;	/* the name was spaced out */
	size_t	 line;		/* index of its first line */
};

static void
byline_clear(struct byline *b)
{
	free(b->role);
	free(b->name);
	memset(b, 0, sizeof(*b));
}

/* Whether lines [first, first+count) are a byline; fills *out. */
static bool
lines_are_byline(const struct import_page *p, size_t first, size_t count,
    struct byline *out)
{
	char *joined;
	bool ok;

	byline_clear(out);
	if (count == 0 || count > BYLINE_MAX_LINES)
		return false;
	joined = join_plain(p, first, count);
	ok = parse_byline(joined, strlen(joined), true, &out->role,
	    &out->name, &out->padded);
	free(joined);
	out->line = first;
	return ok;
}

/*
 * The first line k of block b from which the rest of b is a byline (then
 * *out holds it), or b->count when b ends with none.
 */
static size_t
byline_start(const struct import_page *p, const struct block *b,
    struct byline *out)
{
	size_t k, from = b->count > BYLINE_MAX_LINES ?
	    b->count - BYLINE_MAX_LINES : 0;

	for (k = from; k < b->count; k++)
		if (lines_are_byline(p, b->first + k, b->count - k, out))
			return k;
	byline_clear(out);
	return b->count;
}

/* Whether lines could be a title: short, no sentence punctuation. */
static bool
lines_are_title(const struct import_page *p, size_t first, size_t count)
{
	size_t i, chars = 0;
	int32_t last;

	if (count == 0 || count > 4)
		return false;
	for (i = first; i < first + count; i++) {
		if (chars_has_any(p->lines[i].text, p->lines[i].len,
		    sentence_marks, 4))
			return false;
		chars += p->lines[i].chars;
	}
	last = utf8_last(p->lines[first + count - 1].text,
	    p->lines[first + count - 1].len, NULL);
	return chars >= 4 && chars <= TITLE_MAX_CHARS && last != 0xFF0C &&
	    last != 0x3001 && last != 0xFF1A && last != ',' && last != ':';
}

/* Adds the byline as a unit, taking its strings. */
static void
add_byline(struct import_page *p, struct byline *b)
{
	struct unit *u = page_add_unit(p, UNIT_BYLINE);

	u->role = b->role;
	u->name = b->name;
	u->line = p->lines[b->line].line;
	u->col = p->lines[b->line].col;
	if (b->padded)
		page_report(p, IMPORT_REPAIR_NAME, u->line, u->col,
		    "closed up the name \"%s\" spaced out in the byline",
		    u->name);
	b->role = b->name = NULL;
	byline_clear(b);
}

/* Whether a place written before a headline's colon is one. */
static bool
plausible_place(const char *place, bool byline_follows)
{
	struct gazetteer_match m;
	size_t len = strlen(place), pos = 0;
	int32_t cp, last = -1;
	size_t chars = 0;

	while ((cp = utf8_next(place, len, &pos)) >= 0) {
		if (!utf8_is_han(cp))
			return false;
		last = cp;
		chars++;
	}
	if (chars < 2 || chars > PLACE_MAX_CHARS)
		return false;
	switch (gazetteer_resolve(place, len, &m)) {
	case GAZETTEER_FOUND:
	case GAZETTEER_AMBIGUOUS:
		return true;
	case GAZETTEER_PARTIAL:
		/* A zone the gazetteer lacks, under a known city (开发区). */
		return last == 0x533A || last == 0x53BF || last == 0x65D7 ||
		    last == 0x5E02;		/* 区 县 旗 市 */
	default:
		return byline_follows && (last == 0x533A || last == 0x53BF ||
		    last == 0x65D7);
	}
}

/*
 * Finds "place：" at the start of block b (the place may be broken over
 * narrow lines).  On success sets *place (caller frees), the line of the
 * colon and the byte after it.
 */
static bool
find_headline_place(const struct import_page *p, const struct block *b,
    bool byline_follows, char **place, size_t *line, size_t *after)
{
	struct buf acc = BUF_INIT;
	size_t i, pos, start, chars = 0;
	const struct page_line *l;
	int32_t cp;
	bool ok = false;

	buf_puts(&acc, "");
	for (i = 0; i < b->count && i < PLACE_MAX_LINES; i++) {
		l = &p->lines[b->first + i];
		pos = 0;
		while (start = pos,
		    (cp = utf8_next(l->text, l->len, &pos)) >= 0) {
			if (cp == colons[0] || cp == colons[1]) {
				*place = chars_without_spaces(acc.data,
				    acc.len);
				ok = plausible_place(*place, byline_follows);
				if (!ok) {
					free(*place);
					*place = NULL;
				}
				*line = b->first + i;
				*after = pos;
				goto out;
			}
			if (++chars > PLACE_MAX_CHARS)
				goto out;
			buf_append(&acc, l->text + start, pos - start);
		}
	}
out:
	buf_free(&acc);
	return ok;
}

/*
 * A headline without a colon: "place title" on one line, trusted only
 * when a byline follows.
 */
static bool
find_spaced_place(const struct import_page *p, const struct block *b,
    char **place, size_t *after)
{
	const struct page_line *l = &p->lines[b->first];
	struct gazetteer_match m;
	size_t pos;
	int32_t cp;

	if (gazetteer_scan(l->text, l->len, &m) != GAZETTEER_FOUND ||
	    m.place.district == NULL)
		return false;
	pos = m.length;
	cp = utf8_next(l->text, l->len, &pos);
	if (!chars_is_space(cp))
		return false;
	*place = xstrndup(l->text, m.length);
	*after = pos;
	return true;
}

/*
 * Looks in the blocks after a headline for the rest of its title and its
 * byline: "place：" may stand alone with the title in the next block, and
 * a narrow column may run the title on into the byline's block.  Returns
 * how many blocks that takes.
 */
static size_t
take_byline(const struct import_page *p, const struct block *next, size_t nnext,
    struct chars_pieces *title, struct byline *byline)
{
	size_t used = 0, k;

	if (nnext > 0 && title->count == 0 &&
	    lines_are_title(p, next[0].first, next[0].count) &&
	    byline_start(p, &next[0], byline) == next[0].count) {
		pieces_add_lines(title, p, next[0].first, next[0].count);
		used++;
	}
	if (used < nnext) {
		k = byline_start(p, &next[used], byline);
		if (k < next[used].count && (k == 0 ||
		    lines_are_title(p, next[used].first, k))) {
			pieces_add_lines(title, p, next[used].first, k);
			used++;
		} else
			byline_clear(byline);
	}
	return used;
}

/* Whether the block after b starts with a byline (or a title and one). */
static bool
byline_follows(const struct import_page *p, const struct block *b, size_t nleft)
{
	struct byline byline = { NULL, NULL, false, 0 };
	size_t k;

	if (nleft < 2)
		return false;
	k = byline_start(p, &b[1], &byline);
	byline_clear(&byline);
	return k == 0 || (k < b[1].count && lines_are_title(p, b[1].first, k));
}

/* Tries block b (and those after it) as a headline; returns blocks used. */
static size_t
split_headline(struct import_page *p, const struct block *b, size_t nleft)
{
	struct chars_pieces title = { NULL, 0, 0 };
	struct byline byline = { NULL, NULL, false, 0 };
	struct unit *headline;
	char *place = NULL;
	size_t line, after, k, used = 0;
	bool follows;

	k = byline_start(p, b, &byline);
	if (k == 0)
		goto out;
	follows = k < b->count || byline_follows(p, b, nleft);
	if (find_headline_place(p, b, follows, &place, &line, &after)) {
		if (line >= b->first + k)
			goto out;
		chars_pieces_add(&title, p->lines[line].text + after,
		    p->lines[line].len - after);
		pieces_add_lines(&title, p, line + 1, b->first + k - line - 1);
	} else if (follows && find_spaced_place(p, b, &place, &after)) {
		line = b->first;
		chars_pieces_add(&title, p->lines[line].text + after,
		    p->lines[line].len - after);
		pieces_add_lines(&title, p, line + 1, k - 1);
	} else if (follows && lines_are_title(p, b->first, k)) {
		line = b->first;
		pieces_add_lines(&title, p, b->first, k);
	} else
		goto out;
	used = 1;
	if (k == b->count)
		used += take_byline(p, b + 1, nleft - 1, &title, &byline);
	headline = page_add_unit(p, UNIT_HEADLINE);
	headline->place = place;
	place = NULL;
	headline->text = chars_join_title(&title, 0);
	headline->line = p->lines[line].line;
	headline->col = p->lines[line].col;
	if (byline.name != NULL)
		add_byline(p, &byline);
out:
	byline_clear(&byline);
	free(place);
	free(title.items);
	return used;
}

/* Whether block b opens an editor's note; cuts the words off its line. */
static bool
split_note(struct import_page *p, const struct block *b)
{
	static const char marker[] = "编者按";
	struct page_line *l = &p->lines[b->first];
	char *compact = chars_without_spaces(l->text, l->len);
	size_t pos = 0, start, seen = 0, mlen = sizeof(marker) - 1;
	struct unit *u;
	int32_t cp;
	bool ok = strncmp(compact, marker, mlen) == 0;

	free(compact);
	if (!ok)
		goto out;
	u = page_add_unit(p, UNIT_NOTE);
	u->line = l->line;
	u->col = l->col;
	/* Skip the marker's characters, spaces, and a colon or dash. */
	while (start = pos, (cp = utf8_next(l->text, l->len, &pos)) >= 0) {
		if (chars_is_space(cp))
			continue;
		if (seen < 3) {
			seen++;
			continue;
		}
		if (cp == colons[0] || cp == colons[1] || cp == 0x2014 ||
		    cp == 0x3011 || cp == ']')
			continue;
		break;
	}
	if (cp < 0)
		start = l->len;
	l->col += (unsigned)utf8_length(l->text, start);
	memmove(l->text, l->text + start, l->len - start + 1);
	l->len -= start;
	l->chars = utf8_length(l->text, l->len);
out:
	return ok;
}

static void
add_text(struct import_page *p, const struct block *b)
{
	struct unit *u;

	if (b->count == 0)
		return;
	u = page_add_unit(p, UNIT_TEXT);
	u->first = b->first;
	u->count = b->count;
	u->line = p->lines[b->first].line;
	u->col = p->lines[b->first].col;
}

static struct block *
find_blocks(const struct import_page *p, size_t *count)
{
	struct block *blocks = NULL;
	size_t i, n = 0;

	for (i = 0; i < p->nlines; i++) {
		if (p->lines[i].len == 0)
			continue;
		if (i == 0 || p->lines[i - 1].len == 0) {
			blocks = xreallocarray(blocks, n + 1, sizeof(*blocks));
			blocks[n].first = i;
			blocks[n].count = 0;
			n++;
		}
		blocks[n - 1].count++;
	}
	*count = n;
	return blocks;
}

void
split_units(struct import_page *p)
{
	struct block *blocks, rest;
	struct byline byline = { NULL, NULL, false, 0 };
	size_t nblocks, i = 0, used;

	blocks = find_blocks(p, &nblocks);
	while (i < nblocks) {
		if (split_note(p, &blocks[i])) {
			rest = blocks[i];
			if (p->lines[rest.first].len == 0) {
				rest.first++;
				rest.count--;
			}
			add_text(p, &rest);
			i++;
		} else if ((used = split_headline(p, &blocks[i],
		    nblocks - i)) > 0) {
			i += used;
		} else if (byline_start(p, &blocks[i], &byline) == 0) {
			add_byline(p, &byline);
			i++;
		} else {
			byline_clear(&byline);
			add_text(p, &blocks[i]);
			i++;
		}
	}
	byline_clear(&byline);
	free(blocks);
}
