/*
 * Theme tags.  content/themes.yaml lists the themes, each with the
 * keywords that count as evidence:
 *
 *   - {slug: grid, name: 网格化管理, description: ..., keywords: [网格, ...]}
 *
 * It is read by the build's reader (load/config.c), so that jiceng check
 * and jiceng import take one file by one set of rules.
 *
 * An article gets a theme when its body holds at least THEME_MIN_HITS
 * keyword hits and at least THEME_DENSITY hits per thousand characters,
 * or one hit in a section heading, or one hit of the keyword that is the
 * theme's own name: 红色物业 said once names the practice, where 物业
 * or 品牌 is said in passing.  A passing mention is not what an article
 * is about, and a long article mentions much in passing.  Tuned on the
 * seed pages: 1.5 per thousand keeps a 3000-character article to the
 * themes it returns to four or five times.
 *
 * An article that earns no theme so still gets one, the theme with the
 * most evidence (keyword characters, squared, summed over the hits), so
 * that every article can be reached by theme; one without any keyword
 * gets none.
 */
#include <stdlib.h>
#include <string.h>

#include "../load/config.h"
#include "../util/utf8.h"
#include "../util/xalloc.h"
#include "internal.h"

#define THEME_MIN_HITS	2
#define THEME_DENSITY	1.5

/*
 * Words a keyword starts that are not evidence of its theme: the kinds
 * of autonomous divisions (内蒙古自治区) hold 自治 without self-government.
 */
static const char *const not_evidence[] = {
	"自治区", "自治州", "自治县", "自治旗",
};

/* The length of the word of not_evidence at s, or 0. */
static size_t
not_evidence_at(const char *s)
{
	size_t i, n;

	for (i = 0; i < sizeof(not_evidence) / sizeof(not_evidence[0]); i++) {
		n = strlen(not_evidence[i]);
		if (strncmp(s, not_evidence[i], n) == 0)
			return n;
	}
	return 0;
}

/* What a body holds of one theme's keywords. */
struct evidence {
	size_t	 hits;		/* places where a keyword starts */
	size_t	 heading;	/* of them, inside "## " lines */
	size_t	 strong;	/* of them, of the keyword that is its name */
	size_t	 weight;	/* keyword characters, squared, summed */
};

/*
 * Counts the places where one of the keywords starts, taking the longest
 * at each, so 网格员 counts once, not also as 网格.
 */
static void
count_hits(const struct theme *t, const char *body, struct evidence *ev)
{
	size_t pos = 0, len = strlen(body), k, klen, longest, chars;
	size_t name = t->name != NULL ? strlen(t->name) : 0;
	bool in_heading = strncmp(body, "## ", 3) == 0;

	memset(ev, 0, sizeof(*ev));
	while (pos < len) {
		if (body[pos] == '\n')
			in_heading = strncmp(body + pos + 1, "## ", 3) == 0;
		if ((longest = not_evidence_at(body + pos)) > 0) {
			pos += longest;
			continue;
		}
		for (k = 0; k < t->nkeywords; k++) {
			klen = strlen(t->keywords[k]);
			if (klen > longest && strncmp(body + pos,
			    t->keywords[k], klen) == 0)
				longest = klen;
		}
		if (longest > 0) {
			chars = utf8_length(body + pos, longest);
			ev->hits++;
			ev->heading += in_heading;
			ev->strong += longest == name &&
			    memcmp(body + pos, t->name, name) == 0;
			ev->weight += chars * chars;
			pos += longest;
		} else
			pos++;
	}
}

static bool
is_evident(const struct evidence *ev, size_t chars)
{
	return ev->heading > 0 || ev->strong > 0 ||
	    (ev->hits >= THEME_MIN_HITS &&
	    (double)ev->hits * 1000 >= THEME_DENSITY * (double)chars);
}

static void
add_theme(struct import_article *a, const char *slug)
{
	a->themes = xreallocarray(a->themes, a->nthemes + 1,
	    sizeof(*a->themes));
	a->themes[a->nthemes++] = xstrdup(slug);
}

void
themes_tag(const struct theme_list *t, struct import_article *a)
{
	size_t i, chars = utf8_length(a->body, strlen(a->body)), best = 0;
	struct evidence ev;
	const char *fallback = NULL;

	if (t == NULL)
		return;
	for (i = 0; i < t->count; i++) {
		count_hits(&t->items[i], a->body, &ev);
		if (is_evident(&ev, chars))
			add_theme(a, t->items[i].slug);
		else if (ev.weight > best) {
			best = ev.weight;
			fallback = t->items[i].slug;
		}
	}
	if (a->nthemes == 0 && fallback != NULL)
		add_theme(a, fallback);
}
