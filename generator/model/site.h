/*
 * The site model: articles, districts, cities, provinces and themes,
 * built once from what the loaders read and cross-linked by index.  The
 * renderer reads it and never goes back to YAML; nothing in it changes
 * after site_build returns, so render threads share it freely.
 */
#ifndef JICENG_SITE_H
#define JICENG_SITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../load/article.h"
#include "../load/config.h"
#include "../load/source.h"
#include "../util/diag.h"
#include "../util/idlist.h"
#include "related.h"

#define SITE_NONE	((size_t)-1)
#define SITE_RELATED_MAX 5

/* The sentence that earned an article a theme, within its plain text. */
struct passage {
	size_t	 off, len;	/* the sentence, bytes into the text */
	size_t	 mark_off;	/* the keyword, bytes into the text */
	size_t	 mark_len;
	bool	 cut_before;	/* the sentence goes on before it */
	bool	 cut_after;	/* and after it */
};

/* An article's neighbours in a list it is in, articles only. */
struct site_pager {
	size_t	 prev, next;	/* SITE_NONE at an end */
};

struct site_article {
	struct article *src;	/* owned by the site */
	char	*path;		/* owned; output path */
	char	*href;		/* owned; path percent-encoded for links */
	char	*place;		/* owned; "海南省 海口市 美兰区", or "" */
	size_t	 district;	/* SITE_NONE for a note without a place */
	size_t	 city;		/* SITE_NONE likewise, or under the province */
	size_t	 province;	/* SITE_NONE for a note without a place */
	size_t	 author;	/* into site.authors; SITE_NONE without one */
	size_t	 author_next;	/* the author's next article, or SITE_NONE */
	struct idlist themes;	/* into site.themes, in themes.yaml order */
	const char *summary;	/* borrowed from src->digest */
	const struct article_passage *passages;	/* likewise; per theme */
	size_t	 related[SITE_RELATED_MAX];
	size_t	 nrelated;
	size_t	 prev, next;	/* neighbours in site order (the table of
				   contents'), or SITE_NONE */
	struct site_pager in_district;	/* within its district */
	struct site_pager in_series;	/* within its series */
	struct site_pager *in_themes;	/* per theme of themes; the first
					   article's owns the block of all */
	size_t	 note;		/* its series' editor's note, or SITE_NONE */
	struct idlist members;	/* for a note: its series, in print order */
	size_t	 source;	/* the page it was printed on, or SITE_NONE */
	const char *date;	/* its own, else its page's; may be NULL */
};

/* A raw page as printed, published beside the articles made from it. */
struct site_source {
	const struct source *src; /* borrowed from site.raw */
	char	*path;		/* owned; output path of its HTML view */
	char	*href;		/* owned; path percent-encoded for links */
	char	*text_path;	/* owned; output path of its text file */
	char	*title;		/* owned; its name for readers */
	unsigned nlines;	/* of the page as printed */
	struct idlist articles;	/* printed on it, by source line */
};

struct site_district {
	char	*name;		/* owned */
	char	*city;		/* owned; NULL when under the province */
	char	*slug;		/* owned; city (or province) + name */
	char	*path;		/* owned; output path */
	char	*href;		/* owned; path percent-encoded for links */
	size_t	 province;
	size_t	 city_index;	/* into site.cities; SITE_NONE when under
				   the province */
	struct idlist articles;	/* in site order */
	struct idlist themes;	/* covered by its articles */
};

/* A prefecture-level unit (市, 州, 盟, 地区) with districts in the site. */
struct site_city {
	char	*name;		/* owned */
	char	*slug;		/* owned; province + name: two provinces may
				   name a city alike in content */
	char	*path;		/* owned; output path */
	char	*href;		/* owned; path percent-encoded for links */
	size_t	 province;
	struct idlist districts;	/* in site order */
	struct idlist articles;	/* in site order */
};

/*
 * An author: a name with the district of the first article, so that two
 * people of one name in different districts stay two.  Its articles are
 * first and those each article's author_next leads to, in site order.
 */
struct site_author {
	const char *name;	/* borrowed from the first article */
	const char *title;	/* likewise; may be NULL */
	size_t	 district;	/* of its first article, or SITE_NONE */
	size_t	 province;	/* likewise */
	size_t	 first;		/* its first article */
	size_t	 count;		/* its articles */
};

struct site_province {
	char	*name;		/* owned */
	char	*path;		/* owned; output path */
	char	*href;		/* owned; path percent-encoded for links */
	unsigned rank;		/* position in the statistical code order */
	struct idlist districts;
	struct idlist articles;
	size_t	 notes;		/* of its articles, how many are notes */
	struct idlist cities;	/* into site.cities, in site order */
};

struct site_theme {
	const struct theme *def; /* borrowed from site.taxonomy */
	char	*path;		/* owned; output path */
	char	*href;		/* owned; path percent-encoded for links */
	char	*feed_path;	/* owned */
	struct idlist articles;	/* in site order */
	struct idlist provinces; /* that have at least one of its articles */
};

struct site {
	struct site_config config;	/* owned */
	struct theme_list taxonomy;	/* owned */
	uint64_t themes_hash;		/* themes_fingerprint(&taxonomy) */
	struct site_article *articles;	/* owned; site order, drafts left out */
	size_t	 narticles;
	size_t	 nnotes;		/* of the articles, the editors' notes */
	struct site_district *districts; /* owned; by province, city, name */
	size_t	 ndistricts;
	struct site_city *cities;	/* owned; by province, name */
	size_t	 ncities;
	struct site_author *authors;	/* owned; by first article */
	size_t	 nauthors;
	struct site_province *provinces; /* owned; statistical code order */
	size_t	 nprovinces;
	struct site_theme *themes;	/* owned; themes.yaml order */
	size_t	 nthemes;
	struct source_list raw;		/* owned; the sources as read */
	struct site_source *sources;	/* owned; one per raw page */
	size_t	 nsources;
};

/*
 * Builds the model, taking ownership of config, taxonomy, the raw pages
 * and the articles (the array itself too); on return the caller's copies
 * are cleared.
 * Reports unknown themes and provinces, duplicate slugs and colliding
 * output paths into d.  Returns the site, or NULL when d gained errors.
 * The per-article work runs on nthreads threads (0: one per core).
 * memo, when not NULL, carries related lists between builds
 * (model/related.h).
 */
struct site *site_build(struct site_config *config,
	    struct theme_list *taxonomy, struct source_list *raw,
	    struct article **articles, size_t narticles, size_t nthreads,
	    struct related_memo *memo, struct diags *d);
void	 site_free(struct site *s);

#endif
