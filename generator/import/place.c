/*
 * Articles from a page's units: a headline with its byline and the text
 * after it, or an editor's note with the text after it.  Each article's
 * place comes from its headline, else from its byline or first sentence,
 * through the gazetteer.  A body printed under the wrong headline goes
 * to the headline of the district it names; a headline left without a
 * body is reported, never given one.
 */
#include <stdlib.h>
#include <string.h>

#include "../util/prose.h"
#include "../util/utf8.h"
#include "../util/xalloc.h"
#include "../model/gazetteer.h"
#include "internal.h"

#define NONE	((size_t)-1)
/* Places looked for in a byline or a first sentence. */
#define MAX_MENTIONS	8
/* How much of the first paragraph counts as its first sentence. */
#define FIRST_SENTENCE_CHARS	80
/* Mentions of another district a body needs before it moves there. */
#define MOVE_MIN_MENTIONS	2
/* How far apart, in articles, a body and its true headline may be. */
#define MOVE_WINDOW	8

/* Names of zones the gazetteer lacks (通辽市开发区, 经济技术开发区). */
static const char *const zone_suffixes[] = {
	"开发区", "新区", "园区", "管理区", "示范区", "试验区", "合作区",
	"保税区", "经济区", "高新区",
};

/* Quoted names in an editor's note that name a series. */
static const char *const series_words[] = {
	"论坛", "专栏", "栏目", "系列", "专题", "笔谈", "征文", "访谈",
};

struct where {
	char	*province;	/* owned, NULL: unknown */
	char	*city;		/* owned, NULL: none */
	char	*district;	/* owned, NULL: unknown */
	bool	 known;		/* found in the gazetteer */
};

struct draft {
	size_t	 headline;	/* unit index, NONE */
	size_t	 byline;	/* unit index, NONE */
	size_t	 body;		/* first body unit, NONE: no body */
	size_t	 nbody;
	bool	 note;
	bool	 dropped;	/* a headline printed twice */
	size_t	 repeat_of;	/* when dropped: the draft it repeats */
	struct where where;
	char	*series;	/* owned */
};

struct drafts {
	struct draft *items;	/* owned */
	size_t	 count;
};

static void
where_clear(struct where *w)
{
	free(w->province);
	free(w->city);
	free(w->district);
	memset(w, 0, sizeof(*w));
}

static char *
dup_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

static void
where_from_place(struct where *w, const struct gazetteer_place *place)
{
	where_clear(w);
	w->province = dup_or_null(place->province);
	w->city = dup_or_null(place->city);
	w->district = dup_or_null(place->district);
	w->known = place->district != NULL;
}

static struct draft *
add_draft(struct drafts *ds, size_t headline)
{
	struct draft *d;

	ds->items = xreallocarray(ds->items, ds->count + 1,
	    sizeof(*ds->items));
	d = &ds->items[ds->count++];
	memset(d, 0, sizeof(*d));
	d->headline = headline;
	d->byline = NONE;
	d->body = NONE;
	return d;
}

static void
drafts_free(struct drafts *ds)
{
	size_t i;

	for (i = 0; i < ds->count; i++) {
		where_clear(&ds->items[i].where);
		free(ds->items[i].series);
	}
	free(ds->items);
	ds->items = NULL;
	ds->count = 0;
}

/* Groups the units into drafts: headline, byline, body. */
static void
segment(struct import_page *p, struct drafts *ds)
{
	struct draft *cur = NULL;
	struct unit *u;
	size_t i;

	for (i = 0; i < p->nunits; i++) {
		u = &p->units[i];
		switch (u->kind) {
		case UNIT_HEADLINE:
			cur = add_draft(ds, i);
			break;
		case UNIT_NOTE:
			cur = add_draft(ds, i);
			cur->note = true;
			break;
		case UNIT_BYLINE:
			if (cur != NULL && !cur->note && cur->byline == NONE &&
			    cur->body == NONE) {
				cur->byline = i;
				break;
			}
			page_warn(p, u->line, u->col, "byline of %s without a "
			    "headline", u->name);
			cur = add_draft(ds, NONE);
			cur->byline = i;
			break;
		default:
			if (cur == NULL)
				cur = add_draft(ds, NONE);
			if (cur->body == NONE)
				cur->body = i;
			cur->nbody = i + 1 - cur->body;
			break;
		}
	}
}

/* Text of the first sentence of a draft's body (borrowed bytes). */
static const char *
first_sentence(const struct import_page *p, const struct draft *d, size_t *len)
{
	const struct unit *u;
	size_t i, pos = 0, chars = 0;
	int32_t cp;

	*len = 0;
	if (d->body == NONE)
		return NULL;
	for (i = d->body; i < d->body + d->nbody; i++) {
		u = &p->units[i];
		if (u->kind != UNIT_PARAGRAPH || u->removed)
			continue;
		while ((cp = utf8_next(u->text, strlen(u->text), &pos)) >= 0 &&
		    chars++ < FIRST_SENTENCE_CHARS && cp != 0x3002)
			;
		*len = pos;
		return u->text;
	}
	return NULL;
}

/* Whether s[pos] can start a place name in prose. */
static bool
at_boundary(const char *s, size_t pos)
{
	int32_t cp = utf8_last(s, pos, NULL);

	return cp < 0 || chars_is_space(cp) || prose_is_punct(cp) ||
	    cp == 0x25A0;
}

/* A zone the gazetteer lacks, named right after a city: 开发区. */
static char *
zone_after(const char *s, size_t len)
{
	size_t pos = 0, i, n = 0, slen;
	int32_t cp;

	while ((cp = utf8_next(s, len, &pos)) >= 0 && n++ < 10 &&
	    utf8_is_han(cp)) {
		if (cp != 0x533A)	/* 区 */
			continue;
		for (i = 0; i < sizeof(zone_suffixes) /
		    sizeof(zone_suffixes[0]); i++) {
			slen = strlen(zone_suffixes[i]);
			if (pos >= slen && memcmp(s + pos - slen,
			    zone_suffixes[i], slen) == 0)
				return xstrndup(s, pos);
		}
		return NULL;
	}
	return NULL;
}

/*
 * A zone named short after its city (通辽市开发区) is the city's one
 * district of that kind when the gazetteer has exactly one
 * (通辽经济技术开发区): w takes its full name.  Returns whether it did.
 */
static bool
zone_of_city(struct where *w)
{
	const char *names[64], *found = NULL;
	size_t n, i, suffix = 0, zlen = strlen(w->district), k;

	for (k = 0; k < sizeof(zone_suffixes) / sizeof(zone_suffixes[0]); k++)
		if (zlen >= strlen(zone_suffixes[k]) && strcmp(w->district +
		    zlen - strlen(zone_suffixes[k]), zone_suffixes[k]) == 0 &&
		    strlen(zone_suffixes[k]) > suffix)
			suffix = strlen(zone_suffixes[k]);
	n = gazetteer_districts_of(w->province, w->city, names, 64);
	for (i = 0; i < n && i < 64; i++) {
		if (strlen(names[i]) < suffix || strcmp(names[i] +
		    strlen(names[i]) - suffix, w->district + zlen - suffix) != 0)
			continue;
		if (found != NULL)
			return false;
		found = names[i];
	}
	if (found == NULL)
		return false;
	free(w->district);
	w->district = xstrdup(found);
	return true;
}

/*
 * Finds the place a byline or a sentence names: the first district, its
 * prefecture taken from a city named before it when the name alone is
 * ambiguous (呼和浩特市副市长、新城区委书记), or a zone the gazetteer lacks
 * right after a city.  Returns whether it found a district.
 */
static bool
place_in_text(const char *s, size_t len, struct where *w)
{
	struct gazetteer_match m, full;
	const char *city = NULL;
	size_t pos = 0;
	char *joined, *zone;
	bool found = false;

	while (!found && pos < len) {
		if (!at_boundary(s, pos) ||
		    gazetteer_scan(s + pos, len - pos, &m) ==
		    GAZETTEER_NOT_FOUND ||
		    (m.place.city == NULL && m.place.district == NULL &&
		    m.status == GAZETTEER_FOUND) ||
		    (m.place.province == NULL && m.place.city == NULL &&
		    m.length < 9 && m.status == GAZETTEER_FOUND)) {
			if (utf8_next(s, len, &pos) < 0)
				break;
			continue;
		}
		if (m.status == GAZETTEER_FOUND && m.place.district != NULL) {
			where_from_place(w, &m.place);
			found = true;
		} else if (m.status == GAZETTEER_AMBIGUOUS && city != NULL) {
			joined = xasprintf("%s%s", city, s + pos);
			joined[strlen(city) + m.length] = '\0';
			if (gazetteer_resolve(joined, strlen(joined), &full) ==
			    GAZETTEER_FOUND && full.place.district != NULL) {
				where_from_place(w, &full.place);
				found = true;
			}
			free(joined);
		} else if (m.status == GAZETTEER_FOUND &&
		    m.place.city != NULL) {
			city = m.place.city;
			if ((zone = zone_after(s + pos + m.length,
			    len - pos - m.length)) != NULL) {
				where_from_place(w, &m.place);
				w->district = zone;
				w->known = zone_of_city(w);
				found = true;
			}
		}
		pos += m.length;
	}
	return found;
}

static const char *
byline_role(const struct import_page *p, const struct draft *d)
{
	return d->byline != NONE ? p->units[d->byline].role : NULL;
}

static bool
same_or_any(const char *want, const char *got)
{
	return want == NULL || (got != NULL && strcmp(want, got) == 0);
}

/*
 * Looks in the byline, then the first sentence, for a district that fits
 * what the headline said (any of the three may be NULL: anything fits).
 * Returns whether *w now holds one.
 */
static bool
find_hint(const struct import_page *p, const struct draft *d,
    const char *province, const char *city, const char *district,
    struct where *w)
{
	const char *texts[2];
	size_t lens[2], i;

	texts[0] = byline_role(p, d);
	lens[0] = texts[0] != NULL ? strlen(texts[0]) : 0;
	texts[1] = first_sentence(p, d, &lens[1]);
	for (i = 0; i < 2; i++) {
		if (texts[i] != NULL && place_in_text(texts[i], lens[i], w) &&
		    same_or_any(province, w->province) &&
		    same_or_any(city, w->city) &&
		    same_or_any(district, w->district))
			return true;
		where_clear(w);
	}
	return false;
}

static void
warn_unknown(struct import_page *p, const struct unit *u, const struct where *w)
{
	page_warn(p, u->line, u->col, "\"%s\" is not in the gazetteer; kept "
	    "as written under %s%s", w->district, w->province ? w->province :
	    "", w->city ? w->city : "");
}

/* Resolves a headline's place, with the byline and body to settle doubt. */
static void
resolve_headline(struct import_page *p, struct draft *d)
{
	const struct unit *h = &p->units[d->headline];
	struct gazetteer_match m;
	const char *district;

	switch (gazetteer_resolve(h->place, strlen(h->place), &m)) {
	case GAZETTEER_FOUND:
		/* A city named alone: the district may be in the byline. */
		if (m.place.district == NULL && find_hint(p, d,
		    m.place.province, m.place.city, NULL, &d->where))
			break;
		where_from_place(&d->where, &m.place);
		if (m.place.district == NULL)
			page_warn(p, h->line, h->col, "headline names \"%s\" "
			    "but no district", h->place);
		break;
	case GAZETTEER_AMBIGUOUS:
		district = h->place + m.district_at;
		if (find_hint(p, d, m.place.province, m.place.city, district,
		    &d->where))
			break;
		where_from_place(&d->where, &m.place);
		d->where.district = xstrdup(district);
		page_warn(p, h->line, h->col, "\"%s\" names %zu districts and "
		    "neither byline nor text tells which; kept as written",
		    h->place, m.candidates);
		break;
	default:
		/* Kept as written from where the known names stop. */
		where_from_place(&d->where, &m.place);
		free(d->where.district);
		d->where.district = xstrdup(h->place + (m.place.district ?
		    m.district_at : m.length));
		d->where.known = false;
		warn_unknown(p, h, &d->where);
		break;
	}
}

/* Resolves the place of an article whose headline names none. */
static void
resolve_unplaced(struct import_page *p, struct draft *d)
{
	const struct unit *u = &p->units[d->headline != NONE ? d->headline :
	    d->byline != NONE ? d->byline : d->body];

	if (!find_hint(p, d, NULL, NULL, NULL, &d->where)) {
		if (d->headline != NONE)
			page_warn(p, u->line, u->col, "no place found for "
			    "\"%s\" in its headline, byline or first sentence",
			    u->text);
	} else if (!d->where.known)
		warn_unknown(p, u, &d->where);
}

/*
 * Reports how a headline printed again (b) differs from the one kept
 * (a): its title, and its byline's role.  The reader learns of the
 * other wording in the collation note.
 */
static void
report_variants(struct import_page *p, const struct draft *a,
    const struct draft *b)
{
	const struct unit *ha = &p->units[a->headline],
	    *hb = &p->units[b->headline];
	const char *ra = byline_role(p, a), *rb = byline_role(p, b);
	char *qa, *qb;

	if (strcmp(ha->text, hb->text) != 0) {
		page_report(p, IMPORT_REPAIR_VARIANT, hb->line, hb->col,
		    "the headline printed again reads \"%s\", not \"%s\" "
		    "(line %u); kept the first", hb->text, ha->text, ha->line);
		qa = chars_quote(ha->text, strlen(ha->text));
		qb = chars_quote(hb->text, strlen(hb->text));
		page_explain(p, "标题在此另印作%s，本文依第 %u 行作%s", qb,
		    ha->line, qa);
		free(qa);
		free(qb);
	}
	if (ra != NULL && rb != NULL && b->byline != a->byline &&
	    strcmp(ra, rb) != 0) {
		page_report(p, IMPORT_REPAIR_VARIANT, p->units[b->byline].line,
		    p->units[b->byline].col, "the byline printed again "
		    "reads \"%s\", not \"%s\"; kept the first", rb, ra);
		page_explain(p, "作者职务在此另印作“%s”，本文依前作“%s”",
		    rb, ra);
	}
}

/* Drops a headline printed again, bodiless, for a district seen before. */
static void
drop_repeated_headlines(struct import_page *p, struct drafts *ds)
{
	struct draft *a, *b;
	size_t i, j;

	for (j = 0; j < ds->count; j++) {
		b = &ds->items[j];
		if (b->note || b->headline == NONE || b->body != NONE ||
		    b->where.district == NULL)
			continue;
		for (i = 0; i < j; i++) {
			a = &ds->items[i];
			if (a->note || a->dropped || a->headline == NONE ||
			    a->where.district == NULL ||
			    strcmp(a->where.district, b->where.district) != 0 ||
			    (a->where.city == NULL) != (b->where.city == NULL) ||
			    (a->where.city != NULL &&
			    strcmp(a->where.city, b->where.city) != 0))
				continue;
			b->dropped = true;
			b->repeat_of = i;
			if (a->byline == NONE)
				a->byline = b->byline;
			page_report(p, IMPORT_REPAIR_DUPLICATE,
			    p->units[b->headline].line,
			    p->units[b->headline].col, "removed the headline of "
			    "%s printed again at line %u", b->where.district,
			    p->units[a->headline].line);
			report_variants(p, a, b);
			break;
		}
	}
}

/* The text of a draft's body, for counting mentions; caller frees. */
static char *
body_text(const struct import_page *p, const struct draft *d)
{
	struct buf b = BUF_INIT;
	size_t i;

	buf_puts(&b, "");
	for (i = 0; d->body != NONE && i < d->nbody; i++)
		if (!p->units[d->body + i].removed)
			buf_puts(&b, p->units[d->body + i].text);
	return buf_detach(&b);
}

/*
 * How often text names a district: its name, or its name without the
 * 区/县/旗/市 (龙华区 as 龙华), which the articles use as often.
 */
static size_t
mentions(const char *text, const struct where *w)
{
	char *shortname;
	size_t n, len, start;

	if (w->district == NULL)
		return 0;
	len = strlen(w->district);
	if (!w->known || utf8_length(w->district, len) < 3)
		return chars_count(text, w->district);
	utf8_last(w->district, len, &start);
	shortname = xstrndup(w->district, start);
	n = chars_count(text, shortname);
	free(shortname);
	return n;
}

/*
 * A body that never names its headline's district but names another
 * headline's district goes there, when that headline has no body (or a
 * body that is not its own either).  Only headlines near it on the page
 * are candidates (the layout misplaces text by a column or two), which
 * also keeps the work linear.
 */
static void
move_bodies(struct import_page *p, struct drafts *ds)
{
	struct draft *s, *t, *best;
	size_t i, j, n, most, lo, hi, best_j = 0, body, nbody;
	char **texts = xcalloc(ds->count + 1, sizeof(*texts)), *tmp, *quoted;
	bool *own = xcalloc(ds->count + 1, sizeof(*own));

	for (i = 0; i < ds->count; i++) {
		texts[i] = body_text(p, &ds->items[i]);
		own[i] = mentions(texts[i], &ds->items[i].where) > 0;
	}
	for (i = 0; i < ds->count; i++) {
		s = &ds->items[i];
		if (s->note || s->dropped || s->body == NONE ||
		    (s->headline != NONE && own[i]))
			continue;
		best = NULL;
		most = MOVE_MIN_MENTIONS - 1;
		lo = i > MOVE_WINDOW ? i - MOVE_WINDOW : 0;
		hi = i + MOVE_WINDOW < ds->count ? i + MOVE_WINDOW + 1 :
		    ds->count;
		for (j = lo; j < hi; j++) {
			t = &ds->items[j];
			if (j == i || t->note || t->dropped ||
			    t->headline == NONE || t->where.district == NULL ||
			    (t->body != NONE && own[j]))
				continue;
			if ((n = mentions(texts[i], &t->where)) > most) {
				most = n;
				best = t;
				best_j = j;
			}
		}
		if (best == NULL)
			continue;
		page_report(p, IMPORT_REPAIR_MISPLACED,
		    p->units[s->body].line, p->units[s->body].col,
		    "moved the text printed under %s%s to the headline of "
		    "%s at line %u, the district it names %zu times",
		    s->headline != NONE ? "the headline of " : "no headline",
		    s->headline != NONE ? (s->where.district ?
		    s->where.district : p->units[s->headline].text) : "",
		    best->where.district, p->units[best->headline].line, most);
		quoted = s->headline != NONE ? chars_quote(
		    p->units[s->headline].text,
		    strlen(p->units[s->headline].text)) : NULL;
		page_explain(p, "正文（第 %u 行起）原印在%s%s之下，文中 %zu 次写到"
		    "%s，移至本文标题下", p->units[s->body].line,
		    quoted != NULL ? "标题" : "无标题处", quoted != NULL ?
		    quoted : "", most, best->where.district);
		free(quoted);
		body = best->body;
		nbody = best->nbody;
		best->body = s->body;
		best->nbody = s->nbody;
		s->body = body;
		s->nbody = nbody;
		if (best->byline == NONE && s->headline == NONE)
			best->byline = s->byline;
		tmp = texts[i];
		texts[i] = texts[best_j];
		texts[best_j] = tmp;
		own[best_j] = true;
		own[i] = mentions(texts[i], &s->where) > 0;
	}
	for (i = 0; i < ds->count; i++)
		free(texts[i]);
	free(texts);
	free(own);
}

/* The series an editor's note opens: a quoted name such as “…论坛”. */
static char *
series_name(const struct import_page *p, const struct draft *d)
{
	char *text = body_text(p, d), *found = NULL, *open, *close;
	const char *from = text;
	size_t i;

	while ((open = strstr(from, "“")) != NULL &&
	    (close = strstr(open, "”")) != NULL) {
		open += strlen("“");
		for (i = 0; i < sizeof(series_words) /
		    sizeof(series_words[0]); i++)
			if (memmem(open, (size_t)(close - open),
			    series_words[i], strlen(series_words[i])) != NULL &&
			    utf8_length(open, (size_t)(close - open)) <= 24) {
				free(found);
				found = xstrndup(open, (size_t)(close - open));
			}
		from = close;
	}
	free(text);
	return found;
}

/* Gives the note and the articles after it the note's series. */
static void
name_series(struct import_page *p, struct drafts *ds)
{
	struct draft *note = NULL, *d;
	const char *province = NULL;
	bool shared = true;
	size_t i;

	for (i = 0; i < ds->count; i++) {
		d = &ds->items[i];
		if (d->note) {
			note = d;
			note->series = series_name(p, d);
			if (note->series == NULL)
				note->series = xstrndup(p->name,
				    strcspn(p->name, "."));
			province = NULL;
			shared = true;
			continue;
		}
		if (note == NULL || d->dropped || d->headline == NONE)
			continue;
		free(d->series);
		d->series = xstrdup(note->series);
		if (d->where.province == NULL)
			continue;
		if (province == NULL)
			province = d->where.province;
		else if (strcmp(province, d->where.province) != 0)
			shared = false;
		free(note->where.province);
		note->where.province = shared ? xstrdup(province) : NULL;
	}
}

/*
 * Escapes what Markdown would read as markup, so the text stays text:
 * emphasis, code, links and HTML anywhere; block markers at the start.
 */
static void
put_markdown_text(struct buf *b, const char *s, bool line_start)
{
	static const char inline_marks[] = "\\`*_[<&";
	static const char block_marks[] = "#>+-=|~";
	size_t i;

	for (i = 0; s[i] != '\0'; i++) {
		if (strchr(inline_marks, s[i]) != NULL ||
		    (line_start && i == 0 && strchr(block_marks, s[i]) != NULL))
			buf_putc(b, '\\');
		buf_putc(b, s[i]);
		/* "1." or "1)" at the start would open a list. */
		if (line_start && s[i] >= '0' && s[i] <= '9' &&
		    (s[i + 1] == '.' || s[i + 1] == ')')) {
			while (s[i + 1] >= '0' && s[i + 1] <= '9')
				buf_putc(b, s[++i]);
			buf_putc(b, '\\');
			line_start = false;
			continue;
		}
		line_start = false;
	}
}

/* The body as Markdown. */
static char *
render_body(const struct import_page *p, const struct draft *d)
{
	struct buf b = BUF_INIT;
	const struct unit *u;
	size_t i;

	buf_puts(&b, "");
	for (i = 0; d->body != NONE && i < d->nbody; i++) {
		u = &p->units[d->body + i];
		if (u->removed || u->text == NULL || u->text[0] == '\0')
			continue;
		if (b.len > 0)
			buf_putc(&b, '\n');
		if (u->kind == UNIT_HEADING)
			buf_puts(&b, "## ");
		put_markdown_text(&b, u->text, u->kind != UNIT_HEADING);
		buf_putc(&b, '\n');
	}
	return buf_detach(&b);
}

/* A unit's first source line and the draft that holds it. */
struct unit_place {
	unsigned line;
	size_t	 draft;		/* NONE: no article's */
	bool	 removed;
};

static int
compare_unit_place(const void *a, const void *b)
{
	const struct unit_place *x = a, *y = b;

	return x->line < y->line ? -1 : x->line > y->line;
}

/*
 * Where each unit of the page went, in line order: a repair at a line
 * belongs to the unit printed last before it, and so to that unit's
 * article.  A headline printed again belongs to the one it repeats.
 */
static struct unit_place *
place_units(const struct import_page *p, const struct drafts *ds)
{
	struct unit_place *up = xcalloc(p->nunits + 1, sizeof(*up));
	const struct draft *d;
	size_t i, k, owner;

	for (i = 0; i < p->nunits; i++) {
		up[i].line = p->units[i].line;
		up[i].draft = NONE;
		up[i].removed = p->units[i].removed;
	}
	for (i = 0; i < ds->count; i++) {
		d = &ds->items[i];
		owner = d->dropped ? d->repeat_of : i;
		if (d->headline != NONE)
			up[d->headline].draft = owner;
		if (d->byline != NONE)
			up[d->byline].draft = owner;
		for (k = 0; d->body != NONE && k < d->nbody; k++)
			up[d->body + k].draft = owner;
	}
	qsort(up, p->nunits, sizeof(*up), compare_unit_place);
	return up;
}

/* The unit place holding line, or NULL before the first unit. */
static const struct unit_place *
unit_at(const struct unit_place *up, size_t n, unsigned line)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (up[mid].line <= line)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo > 0 ? &up[lo - 1] : NULL;
}

/* Repairs only counted in a collation note, with how it names them. */
static const struct {
	enum import_repair kind;
	const char *what;
} counted[] = {
	{ IMPORT_REPAIR_WRAP, "接合分栏造成的断行" },
	{ IMPORT_REPAIR_HEADING, "据版式识别小标题" },
	{ IMPORT_REPAIR_PUNCTUATION, "半角标点改为全角" },
	{ IMPORT_REPAIR_SPACING, "删去多余空格" },
	{ IMPORT_REPAIR_NAME, "合并作者姓名中的空格" },
	{ IMPORT_REPAIR_NORMALIZE, "统一字符编码" },
};

static void
add_note(struct import_article *a, unsigned line, char *text)
{
	a->notes = xreallocarray(a->notes, a->nnotes + 1, sizeof(*a->notes));
	a->notes[a->nnotes].line = line;
	a->notes[a->nnotes].text = text;
	a->nnotes++;
}

/*
 * The collation note of draft index di: a line counting the mechanical
 * repairs, then each repair a reader may want to check, in page order.
 * Repairs inside a passage removed as a copy are not the article's.
 */
/* Orders notes by line, keeping the order of notes on one line. */
static void
sort_notes(struct import_note *v, size_t n)
{
	struct import_note tmp;
	size_t i, j;

	/* Insertion: an article has a handful of notes. */
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && v[j - 1].line > v[j].line; j--) {
			tmp = v[j];
			v[j] = v[j - 1];
			v[j - 1] = tmp;
		}
}

static void
collate(const struct import_page *p, const struct unit_place *up, size_t di,
    struct import_article *a)
{
	size_t counts[IMPORT_REPAIR_KINDS] = { 0 }, i, k, pass;
	const struct page_record *r;
	const struct unit_place *at;
	struct buf b = BUF_INIT;

	/* The count first, as it covers the whole article; then each. */
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < p->nrecords; i++) {
			r = &p->records[i];
			at = unit_at(up, p->nunits, r->line);
			if (at == NULL || at->draft != di || (at->removed &&
			    r->kind != IMPORT_REPAIR_DUPLICATE))
				continue;
			if (pass == 0 && r->note == NULL)
				counts[r->kind]++;
			else if (pass == 1 && r->note != NULL)
				add_note(a, r->line, xstrdup(r->note));
		}
		for (k = 0; pass == 0 && k < sizeof(counted) /
		    sizeof(counted[0]); k++)
			if (counts[counted[k].kind] > 0)
				buf_printf(&b, "%s%s %zu 处", b.len > 0 ? "；" :
				    "整理时", counted[k].what,
				    counts[counted[k].kind]);
		if (pass == 0 && b.len > 0) {
			buf_puts(&b, "。");
			add_note(a, 0, buf_detach(&b));
		}
	}
	/* In page order; the count (line 0) first.  Stable: lines tie. */
	sort_notes(a->notes, a->nnotes);
}

/*
 * The line an article starts on as printed: its headline's, or the first
 * of its text when that was printed above it, under another headline
 * (moved back, see move_bodies), so that a link to the page opens at
 * the article and not at its headline printed after it.
 */
static unsigned
first_line(const struct import_page *p, const struct draft *d)
{
	unsigned line = p->units[d->headline].line;
	size_t i;

	for (i = 0; d->body != NONE && i < d->nbody; i++)
		if (!p->units[d->body + i].removed &&
		    p->units[d->body + i].line < line)
			line = p->units[d->body + i].line;
	return line;
}

static void
emit(struct import_page *p, const struct drafts *ds, size_t di,
    const struct unit_place *up, struct import_batch *out)
{
	const struct draft *d = &ds->items[di];
	struct import_article *a;
	const struct unit *h = d->headline != NONE ? &p->units[d->headline] :
	    NULL, *by = d->byline != NONE ? &p->units[d->byline] : NULL;

	if (out->count == out->cap) {
		out->cap = out->cap ? out->cap * 2 : 16;
		out->items = xreallocarray(out->items, out->cap,
		    sizeof(*out->items));
	}
	a = &out->items[out->count++];
	memset(a, 0, sizeof(*a));
	a->note = d->note;
	a->title = xstrdup(d->note ? "编者按" : h->text);
	a->province = dup_or_null(d->where.province);
	a->city = dup_or_null(d->where.city);
	a->district = dup_or_null(d->where.district);
	if (by != NULL) {
		a->author = dup_or_null(by->name);
		a->author_title = dup_or_null(by->role);
	}
	a->series = dup_or_null(d->series);
	a->source_file = xstrdup(p->name);
	a->source_line = first_line(p, d);
	a->body = render_body(p, d);
	collate(p, up, di, a);
	p->sum->articles++;
}

/* Every body unit's article, and each article's district, for dedup. */
static void
find_duplicates(struct import_page *p, const struct drafts *ds)
{
	int *owner = xcalloc(p->nunits + 1, sizeof(*owner));
	const char **districts = xcalloc(ds->count + 1, sizeof(*districts));
	size_t i, j;

	for (i = 0; i < p->nunits; i++)
		owner[i] = -1;
	for (i = 0; i < ds->count; i++) {
		districts[i] = ds->items[i].where.district;
		for (j = 0; ds->items[i].body != NONE &&
		    j < ds->items[i].nbody; j++)
			owner[ds->items[i].body + j] = (int)i;
	}
	duplicates_remove(p, owner, districts, ds->count);
	free(owner);
	free(districts);
}

void
place_articles(struct import_page *p, struct import_batch *out)
{
	struct drafts ds = { NULL, 0 };
	struct unit_place *up;
	struct draft *d;
	const struct unit *u;
	size_t i;

	segment(p, &ds);
	for (i = 0; i < ds.count; i++) {
		d = &ds.items[i];
		if (d->note)
			continue;
		if (d->headline != NONE && p->units[d->headline].place != NULL)
			resolve_headline(p, d);
		else
			resolve_unplaced(p, d);
	}
	drop_repeated_headlines(p, &ds);
	move_bodies(p, &ds);
	find_duplicates(p, &ds);
	gap_mark_decided(p);
	name_series(p, &ds);
	up = place_units(p, &ds);
	for (i = 0; i < ds.count; i++) {
		d = &ds.items[i];
		if (d->dropped)
			continue;
		if (d->headline == NONE) {
			if (d->body != NONE) {
				u = &p->units[d->body];
				page_warn(p, u->line, u->col, "text without a "
				    "headline left out");
			}
			continue;
		}
		u = &p->units[d->headline];
		if (d->body == NONE) {
			page_warn(p, u->line, u->col, "headline \"%s\" has no "
			    "text on the page; no article made", u->text);
			continue;
		}
		if (!d->note && (d->where.district == NULL ||
		    d->where.province == NULL)) {
			diag_error(p->d, p->path, u->line, u->col, "no %s for "
			    "\"%s\"; name it in the headline", d->where.district ?
			    "province" : "place", u->text);
			continue;
		}
		if (!d->note && d->byline == NONE)
			page_warn(p, u->line, u->col, "no byline for \"%s\"",
			    u->text);
		if (d->body != NONE)
			gap_mark_body(p, d->body, d->nbody);
		emit(p, &ds, i, up, out);
	}
	free(up);
	drafts_free(&ds);
}
