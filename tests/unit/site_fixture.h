/*
 * A site model made from articles given as front matter and body, under
 * three themes (grid, red-property, covid), for the tests of the model's
 * modules.  Each test file includes it once: its functions are static.
 * Include after cmocka.h.
 */
#ifndef JICENG_TEST_SITE_FIXTURE_H
#define JICENG_TEST_SITE_FIXTURE_H

#include <stdlib.h>
#include <string.h>

#include "../../generator/model/site.h"
#include "../../generator/util/xalloc.h"

struct fixture {
	struct article **articles;	/* owned until fixture_build */
	size_t	 n;
	struct diags d;
};

/* Adds content/articles/NAME.md holding front matter and body. */
static void
fixture_add(struct fixture *f, const char *name, const char *front,
    const char *body)
{
	char *path = xasprintf("content/articles/%s.md", name);
	char *text = xasprintf("---\n%s---\n%s", front, body);
	struct article *a = article_parse(path, text, strlen(text), &f->d);

	assert_non_null(a);
	f->articles = xreallocarray(f->articles, f->n + 1, sizeof(*a));
	f->articles[f->n++] = a;
	free(path);
	free(text);
}

/*
 * Builds the site of the articles added since the last build, which it
 * takes, with the related memo (NULL: none) on two threads.  Returns
 * the site (free with site_free), or NULL with errors in f->d.
 */
static struct site *
fixture_build(struct fixture *f, struct related_memo *memo)
{
	struct site_config c = { 0 };
	struct theme_list t = { 0 };
	static const char *const slugs[] = { "grid", "red-property", "covid" };
	static const char *const kw[] = { "网格", "红色物业", "疫情" };
	struct article **articles = f->articles;
	size_t i, n = f->n;

	c.title = xstrdup("t");
	c.base_url = xstrdup("https://x.org");
	c.language = xstrdup("zh-CN");
	c.description = xstrdup("");
	c.published = xstrdup("2020-07-01");
	t.count = 3;
	t.items = xcalloc(3, sizeof(*t.items));
	for (i = 0; i < 3; i++) {
		t.items[i].slug = xstrdup(slugs[i]);
		t.items[i].name = xstrdup(slugs[i]);
		t.items[i].description = xstrdup("");
		t.items[i].keywords = xcalloc(1, sizeof(char *));
		t.items[i].keywords[0] = xstrdup(kw[i]);
		t.items[i].nkeywords = 1;
	}
	f->articles = NULL;
	f->n = 0;
	return site_build(&c, &t, NULL, articles, n, 2, memo, &f->d);
}

#endif
