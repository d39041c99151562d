/*
 * Incremental builds are always right: random sequences of edits,
 * additions, deletions and renames of articles, themes, templates,
 * assets and settings, each followed by an incremental build, whose
 * output must equal, byte for byte, a clean build of the same site.
 *
 * JICENG_STEPS sets the number of steps (default 300); TOP the
 * repository root (default the current folder).
 */
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "../../generator/build/build.h"
#include "../../generator/util/fs.h"
#include "../../generator/build/cache.h"
#include "../../generator/util/xalloc.h"

static uint64_t rng = 0x2545F4914F6CDD1DULL;

static unsigned
pick(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

static const struct {
	const char *province, *city, *district;
} places[] = {
	{ "海南省", "海口市", "美兰区" },
	{ "海南省", NULL, "澄迈县" },
	{ "内蒙古自治区", "呼和浩特市", "新城区" },
	{ "陕西省", "西安市", "新城区" },
	{ "吉林省", "长春市", "二道区" },
	{ "安徽省", "池州市", "贵池区" },
};

static const char *const themes[] = { "grid", "red-property", "covid" };
static const char *const sentences[] = {
	"我们推行网格化管理，网格员走街入户。",
	"小区推行红色物业，物业公司与社区共建。",
	"疫情防控中，党员冲在一线。",
	"社区党组织把居民的事当作自己的事。",
	"Latin words stay spaced, 5G and 12345 too.",
};

static char site[4096];
static unsigned next_name;
static unsigned settings;	/* which of each setting's two values */

static char *
site_path(const char *rel)
{
	return fs_join(site, rel);
}

static void
write_text(const char *rel, const char *text)
{
	char *p = site_path(rel);

	assert_int_equal(fs_write_atomic(p, text, strlen(text)), 0);
	free(p);
}

static void
append_text(const char *rel, const char *text)
{
	char *p = site_path(rel), *old = NULL, *joined;
	size_t len = 0;

	assert_int_equal(fs_read(p, &old, &len), 0);
	joined = xasprintf("%s%s", old, text);
	assert_int_equal(fs_write_atomic(p, joined, strlen(joined)), 0);
	free(joined);
	free(old);
	free(p);
}

/*
 * Replaces, in the file rel, the text from the first "from" up to the
 * "until" after it with "with"; leaves a file without them as it is.
 */
static void
replace_text(const char *rel, const char *from, const char *until,
    const char *with)
{
	char *p = site_path(rel), *old = NULL, *start, *end, *joined;
	size_t len = 0;

	assert_int_equal(fs_read(p, &old, &len), 0);
	start = strstr(old, from);
	end = start != NULL ? strstr(start, until) : NULL;
	if (end != NULL) {
		*start = '\0';
		joined = xasprintf("%s%s%s", old, with, end);
		assert_int_equal(fs_write_atomic(p, joined, strlen(joined)), 0);
		free(joined);
	}
	free(old);
	free(p);
}

/* The names of the articles, sorted. */
static char **
articles(size_t *n)
{
	char *dir = site_path("content/articles"), **names;

	assert_int_equal(fs_list(dir, ".md", &names, n), 0);
	free(dir);
	return names;
}

static void
new_article(const char *name)
{
	unsigned p = pick(sizeof(places) / sizeof(places[0]));
	unsigned t = pick(3), u = pick(3);
	char *rel = xasprintf("content/articles/%s.md", name);
	char *printed = xasprintf("source: {file: p.txt, line: %u}\n"
	    "collation:\n- {line: %u, note: 改了一处}\n", 1 + pick(6),
	    1 + pick(6));
	char *text = xasprintf("---\ntitle: 文章%s\nprovince: %s\ncity: %s\n"
	    "district: %s\nauthor: 作者%u\nauthor_title: 书记%u\n"
	    "themes: [%s%s%s]\n%s%s---\n%s\n\n%s\n",
	    name, places[p].province, places[p].city ? places[p].city : "null",
	    places[p].district, pick(9), pick(3), themes[t],
	    t != u ? ", " : "", t != u ? themes[u] : "",
	    pick(4) == 0 ? "series: 系列\n" : "", pick(2) ? printed : "",
	    sentences[pick(5)], sentences[pick(5)]);

	write_text(rel, text);
	free(printed);
	free(rel);
	free(text);
}

/* An article printed on the raw page p.txt, from a random one on, or NULL. */
static char *
printed_on(char **names, size_t n)
{
	size_t i, k, start = n > 0 ? pick((unsigned)n) : 0, len;
	char *rel, *p, *text;

	for (k = 0; k < n; k++) {
		i = (start + k) % n;
		rel = xasprintf("content/articles/%s", names[i]);
		p = site_path(rel);
		assert_int_equal(fs_read(p, &text, &len), 0);
		free(p);
		if (strstr(text, "file: p.txt") != NULL) {
			free(text);
			return rel;
		}
		free(text);
		free(rel);
	}
	return NULL;
}

/* One random change to the site; returns what it did, for messages. */
static const char *
mutate(void)
{
	char **names, *rel = NULL, *to = NULL, *text;
	size_t n;
	const char *what;
	unsigned op = pick(19);

	names = articles(&n);
	if (n < 2)
		op = 0;
	if (n > 0)
		rel = xasprintf("content/articles/%s", names[pick((unsigned)n)]);
	switch (op) {
	case 0:
		text = xasprintf("n%u", next_name++);
		new_article(text);
		free(text);
		what = "add an article";
		break;
	case 1:
		append_text(rel, sentences[pick(5)]);
		what = "edit a body";
		break;
	case 2: {
		char *p = site_path(rel);
		unlink(p);
		free(p);
		what = "delete an article";
		break;
	}
	case 3: {
		char *from = site_path(rel);
		text = xasprintf("content/articles/r%u.md", next_name++);
		to = site_path(text);
		assert_int_equal(rename(from, to), 0);
		free(from);
		free(text);
		what = "rename an article";
		break;
	}
	case 4:
		text = xasprintf("t%u", next_name++);
		new_article(text);	/* a rewrite: new title, place, themes */
		free(text);
		what = "add another article";
		break;
	case 5:
		/* One setting at a time, so none hides behind another. */
		settings ^= 1u << pick(4);
		text = xasprintf("title: %s\nbase_url: %s\ndescription: %s\n"
		    "published: %s\n", settings & 1 ? "另一个名字" : "测试站点",
		    settings & 2 ? "https://example.org/other" :
		    "https://example.org/sub",
		    settings & 4 ? "换了描述。" : "用于测试的小站点。",
		    settings & 8 ? "2021-01-01" : "2020-07-01");
		write_text("content/site.yaml", text);
		free(text);
		what = "change a setting";
		break;
	case 6:
		append_text("content/themes.yaml", "");
		write_text("content/themes.yaml", pick(2) ?
		    "- slug: grid\n  name: 网格化管理\n  description: 网格。\n"
		    "  keywords: [网格]\n- slug: red-property\n  name: 红色物业\n"
		    "  description: 物业。\n  keywords: [红色物业, 物业]\n"
		    "- slug: covid\n  name: 疫情防控\n  description: 疫情。\n"
		    "  keywords: [疫情]\n" :
		    "- slug: grid\n  name: 网格管理\n  description: 改了。\n"
		    "  keywords: [网格员, 网格]\n- slug: red-property\n"
		    "  name: 红色物业\n  description: 物业。\n"
		    "  keywords: [物业]\n- slug: covid\n  name: 防疫\n"
		    "  description: 疫情。\n  keywords: [党员, 疫情]\n");
		what = "change the themes";
		break;
	case 7:
		append_text("templates/article-list.mustache",
		    pick(2) ? "<!-- list -->\n" : "\n");
		what = "edit a partial";
		break;
	case 8:
		append_text("templates/article.mustache", "");
		append_text("assets/style.css", "/* more */\n");
		what = "edit an asset";
		break;
	case 9:
		text = xasprintf("assets/extra-%u.txt", pick(3));
		to = site_path(text);
		if (fs_exists(to))
			unlink(to);
		else
			write_text(text, "extra\n");
		free(text);
		what = "add or remove an asset";
		break;
	case 10:
		text = xasprintf("themes: [%s]", themes[pick(3)]);
		replace_text(rel, "themes: [", "\n", text);
		free(text);
		what = "retag an article";
		break;
	case 11: {
		unsigned k = pick(sizeof(places) / sizeof(places[0]));
		text = xasprintf("province: %s\ncity: %s\ndistrict: %s",
		    places[k].province, places[k].city ? places[k].city : "null",
		    places[k].district);
		replace_text(rel, "province: ", "\nauthor: ", text);
		free(text);
		what = "move an article";
		break;
	}
	case 12:
		/* Words only: the passages and tags stay as they were. */
		if (pick(2))
			replace_text("content/themes.yaml", "  name: ", "\n",
			    pick(2) ? "  name: 网格治理" : "  name: 网格化管理");
		else
			replace_text("content/themes.yaml", "  description: ",
			    "\n", pick(2) ? "  description: 换了说法。" :
			    "  description: 网格员包片服务。");
		what = "rename a theme";
		break;
	case 15:
		/* The raw page's lines and the article's footer follow. */
		free(rel);
		rel = printed_on(names, n);
		/* Past the page's end at times, linked then to its top. */
		text = xasprintf("source: {file: p.txt, line: %u}", 1 + pick(9));
		if (rel != NULL)
			replace_text(rel, "source: {", "\n", text);
		free(text);
		what = "move an article on its page";
		break;
	case 16:
		if (pick(3) == 0)
			append_text("content/sources/p.txt", "又一行。\n");
		else if (pick(2))
			write_text("content/sources/p.txt", "第一行\n第二行\n"
			    "第三行\n第四行\n第五行\n第六行\n");
		else {
			text = site_path("content/sources/p.yaml");
			if (fs_exists(text))
				unlink(text);
			else
				write_text("content/sources/p.yaml",
				    pick(2) ? "date: 2020-08-01\npage: 6\n" :
				    "publication: 报\n");
			free(text);
		}
		what = "change a raw page or what is known of it";
		break;
	case 17:
		text = xasprintf("author_title: 部长%u", pick(3));
		replace_text(rel, "author_title: ", "\n", text);
		free(text);
		what = "change an author's role";
		break;
	case 18:
		text = xasprintf("- {line: %u, note: 又改了%u处}", 1 + pick(6),
		    pick(3));
		replace_text(rel, "- {line: ", "\n", text);
		free(text);
		what = "change a collation note";
		break;
	case 13:
		/* The byline's link and the index of authors follow. */
		text = xasprintf("author: 作者%u", pick(9));
		replace_text(rel, "author: ", "\n", text);
		free(text);
		what = "change an author";
		break;
	default:
		append_text(rel, "\n\n## 新的小标题\n\n又一段。\n");
		what = "add a section";
		break;
	}
	free(rel);
	free(to);
	fs_names_free(names, n);
	return what;
}

static size_t rendered, pages;	/* over the incremental builds */

static int
build(const char *out, bool incremental)
{
	struct build_options opt = { site, out, NULL, 2, false, false, false,
	    NULL, NULL, NULL, 0 };
	struct build_stats st;
	struct diags d = DIAGS_INIT;
	int rc;

	/* The clean build frees each body after its page, as a large site's. */
	opt.bodies_held_max = incremental ? 0 : 1;
	rc = build_run(&opt, &st, &d);

	if (incremental) {
		rendered += st.rendered;
		pages += st.pages;
	}
	if (rc != 0)
		diags_print(&d, stderr);
	diags_free(&d);
	return rc;
}

/* Compares two trees: same files, same bytes. */
static void
compare_trees(const char *a, const char *b, const char *rel, const char *what,
    unsigned step)
{
	char *pa = rel[0] ? fs_join(a, rel) : xstrdup(a);
	char *pb = rel[0] ? fs_join(b, rel) : xstrdup(b);
	char **na, **nb, *child, *da, *db;
	size_t ca, cb, i, la, lb;
	struct stat st;

	assert_int_equal(fs_list(pa, NULL, &na, &ca), 0);
	assert_int_equal(fs_list(pb, NULL, &nb, &cb), 0);
	for (i = 0; i < ca && i < cb; i++)
		if (strcmp(na[i], nb[i]) != 0)
			break;
	if (ca != cb || i < ca)
		fail_msg("step %u (%s): %s lists differ at %s", step, what, rel,
		    i < ca ? na[i] : i < cb ? nb[i] : "?");
	for (i = 0; i < ca; i++) {
		child = rel[0] ? xasprintf("%s/%s", rel, na[i]) : xstrdup(na[i]);
		free(pa);
		pa = fs_join(a, child);
		assert_int_equal(stat(pa, &st), 0);
		if (S_ISDIR(st.st_mode)) {
			compare_trees(a, b, child, what, step);
		} else {
			free(pb);
			pb = fs_join(b, child);
			assert_int_equal(fs_read(pa, &da, &la), 0);
			assert_int_equal(fs_read(pb, &db, &lb), 0);
			if (la != lb || memcmp(da, db, la) != 0)
				fail_msg("step %u (%s): %s differs", step, what,
				    child);
			free(da);
			free(db);
		}
		free(child);
	}
	fs_names_free(na, ca);
	fs_names_free(nb, cb);
	free(pa);
	free(pb);
}

static void
copy_tree(const char *from, const char *to)
{
	char *cmd = xasprintf("cp -R '%s' '%s'", from, to);

	assert_int_equal(system(cmd), 0);
	free(cmd);
}

static void
test_random_edits(void **state)
{
	const char *top = getenv("TOP") ? getenv("TOP") : ".";
	const char *steps_env = getenv("JICENG_STEPS");
	unsigned steps = steps_env ? (unsigned)atoi(steps_env) : 300, i;
	char *src, *dst, *inc, *clean, *cache;
	const char *what;

	(void)state;
	snprintf(site, sizeof(site), "%s/jiceng-incremental.XXXXXX",
	    getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(site));
	src = xasprintf("%s/tests/golden/basic/content", top);
	dst = site_path("content");
	copy_tree(src, dst);
	free(src);
	free(dst);
	src = xasprintf("%s/templates", top);
	copy_tree(src, site);
	free(src);
	src = xasprintf("%s/assets", top);
	copy_tree(src, site);
	free(src);
	src = site_path("content/sources");
	assert_int_equal(fs_mkdirs(src), 0);
	free(src);
	write_text("content/sources/p.txt", "第一行\n第二行\n第三行\n第四行\n"
	    "第五行\n第六行\n");
	inc = site_path("inc");
	clean = site_path("clean");
	cache = cache_path(site, clean);
	assert_int_equal(build(inc, false), 0);
	for (i = 1; i <= steps; i++) {
		what = mutate();
		assert_int_equal(build(inc, true), 0);
		fs_remove_tree(clean);
		/* The clean build starts with no cache of its own. */
		cache_remove(cache);
		assert_int_equal(build(clean, false), 0);
		compare_trees(inc, clean, "", what, i);
	}
	/* The cache did its work: most pages were kept, not rendered. */
	if (rendered * 2 > pages)
		fail_msg("incremental builds rendered %zu of %zu pages",
		    rendered, pages);
	fs_remove_tree(site);
	free(inc);
	free(clean);
	free(cache);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random_edits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
