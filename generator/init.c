/*
 * jiceng init and jiceng new: a site, or an article, from nothing.
 *
 * The data folder is looked for beside the binary before the folder it
 * was configured for, so that a tree installed under another prefix (or
 * staged with DESTDIR) and a binary in a source tree use their own files;
 * the files stay files a person can read and compare with a site's
 * copies after an upgrade.
 */
#include "init.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model/gazetteer.h"
#include "load/config.h"
#include "util/buf.h"
#include "util/fs.h"
#include "util/xalloc.h"
#include "version.h"

#define EXIT_CONTENT	1
#define EXIT_IO		3

static bool
is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool
has_file(const char *dir, const char *name)
{
	char *path = fs_join(dir, name);
	struct stat st;
	bool yes = stat(path, &st) == 0 && S_ISREG(st.st_mode);

	free(path);
	return yes;
}

static bool
has_dir(const char *dir, const char *name)
{
	char *path = fs_join(dir, name);
	bool yes = is_dir(path);

	free(path);
	return yes;
}

bool
init_is_data(const char *dir)
{
	return has_dir(dir, "templates") && has_dir(dir, "assets") &&
	    has_file(dir, "sample/site.yaml");
}

char *
init_find_data(const char *exe, const char *configured)
{
	static const char *const beside[] = {
		"../share/jiceng", "..", "../..",
	};
	char *dir = xstrdup(exe), *slash, *path = NULL, *found = NULL;
	size_t i;

	if ((slash = strrchr(dir, '/')) != NULL)
		*slash = '\0';
	for (i = 0; slash != NULL && i < sizeof(beside) / sizeof(beside[0]);
	    i++) {
		path = fs_join(dir, beside[i]);
		if (init_is_data(path)) {
			found = realpath(path, NULL);
			break;
		}
		free(path);
		path = NULL;
	}
	if (found == NULL && configured != NULL && init_is_data(configured))
		found = xstrdup(configured);
	free(path);
	free(dir);
	return found;
}

char *
init_data_dir(void)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	/* Without /proc only the configured folder is left. */
	exe[n > 0 ? n : 0] = '\0';
	return init_find_data(exe, JICENG_DATADIR);
}

/*
 * Copies the folder src into dst (named rel in messages), folders and
 * regular files; counts the files in *files.  Returns 0, or -1 after
 * adding errors to d.
 */
static int
copy_tree(const char *src, const char *dst, const char *rel, size_t *files,
    struct diags *d)
{
	char **names = NULL, *from = NULL, *to = NULL, *name = NULL,
	    *data = NULL;
	size_t n = 0, i, len;
	struct stat st;
	int rc = -1;

	if (fs_list(src, NULL, &names, &n) == -1 || fs_mkdirs(dst) == -1) {
		diag_error(d, rel, 0, 0, "cannot copy: %s", strerror(errno));
		goto out;
	}
	for (i = 0; i < n; i++) {
		from = fs_join(src, names[i]);
		to = fs_join(dst, names[i]);
		name = fs_join(rel, names[i]);
		if (stat(from, &st) == -1) {
			diag_error(d, name, 0, 0, "cannot copy: %s",
			    strerror(errno));
			goto out;
		}
		if (S_ISDIR(st.st_mode)) {
			if (copy_tree(from, to, name, files, d) == -1)
				goto out;
		} else if (S_ISREG(st.st_mode)) {
			if (fs_read(from, &data, &len) == -1 ||
			    fs_write(to, data, len) == -1) {
				diag_error(d, name, 0, 0, "cannot copy: %s",
				    strerror(errno));
				goto out;
			}
			(*files)++;
			free(data);
			data = NULL;
		}
		free(from);
		free(to);
		free(name);
		from = to = name = NULL;
	}
	rc = 0;
out:
	free(from);
	free(to);
	free(name);
	free(data);
	fs_names_free(names, n);
	return rc;
}

int
init_site(const char *data, const char *dir, size_t *files,
    struct diags *d)
{
	/* What is copied from the data folder, and where it goes. */
	static const char *const parts[][2] = {
		{ "templates", "templates" },
		{ "assets", "assets" },
		{ "sample", "content" },
	};
	char *from, *to;
	size_t i, errors = d->errors;
	int rc = EXIT_CONTENT;

	*files = 0;
	for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		to = fs_join(dir, parts[i][1]);
		if (fs_exists(to))
			diag_error(d, parts[i][1], 0, 0, "already exists: "
			    "\"jiceng init\" makes a new site and overwrites "
			    "nothing");
		free(to);
	}
	if (d->errors > errors)
		goto out;
	rc = EXIT_IO;
	/* A copy that fails adds an error, which ends the loop. */
	for (i = 0; i < sizeof(parts) / sizeof(parts[0]) &&
	    d->errors == errors; i++) {
		from = fs_join(data, parts[i][0]);
		to = fs_join(dir, parts[i][1]);
		copy_tree(from, to, parts[i][1], files, d);
		free(from);
		free(to);
	}
	if (d->errors == errors)
		rc = 0;
out:
	return rc;
}

/* Appends "# " comment lines to b holding the words, wrapped. */
static void
put_wrapped(struct buf *b, const char *lead, const char *const *words,
    size_t n)
{
	size_t i, col;

	buf_puts(b, lead);
	col = strlen(lead);
	for (i = 0; i < n; i++) {
		if (col + strlen(words[i]) + 2 > 72) {
			buf_puts(b, "\n#  ");
			col = 3;
		}
		buf_printf(b, " %s%s", words[i], i + 1 < n ? "," : "");
		col += strlen(words[i]) + 2;
	}
	buf_putc(b, '\n');
}

/* The theme slugs of the site at dir, as a comment; nothing without. */
static void
put_theme_slugs(struct buf *b, const char *dir)
{
	char *path = fs_join(dir, "content/themes.yaml");
	struct theme_list themes;
	struct diags ignored = DIAGS_INIT;
	const char **slugs = NULL;
	size_t i;

	if (themes_load(&themes, path, "content/themes.yaml",
	    CONFIG_MAX_FILE_SIZE, &ignored) == 0 && themes.count > 0) {
		slugs = xcalloc(themes.count, sizeof(*slugs));
		for (i = 0; i < themes.count; i++)
			slugs[i] = themes.items[i].slug;
		put_wrapped(b, "# The slugs of content/themes.yaml:", slugs,
		    themes.count);
	}
	free(slugs);
	themes_free(&themes);
	diags_free(&ignored);
	free(path);
}

/*
 * The place a file name names, found by the gazetteer: "海口市美兰区" or
 * "海口市美兰区-2".  Returns 0 and fills *p, or -1.
 */
static int
place_of_name(const char *name, struct gazetteer_place *p)
{
	struct gazetteer_match m;
	size_t len = strlen(name), digits;

	digits = len;
	while (digits > 0 && name[digits - 1] >= '0' && name[digits - 1] <= '9')
		digits--;
	if (digits < len && digits > 0 && name[digits - 1] == '-')
		len = digits - 1;
	if (gazetteer_resolve(name, len, &m) != GAZETTEER_FOUND ||
	    m.place.district == NULL)
		return -1;
	*p = m.place;
	return 0;
}

/* A YAML value: the string in double quotes, or null. */
static void
put_value(struct buf *b, const char *key, const char *value)
{
	if (value == NULL)
		buf_printf(b, "%s: null\n", key);
	else
		buf_printf(b, "%s: \"%s\"\n", key, value);
}

/* The new article's text; *place as for init_article. */
static char *
skeleton(const char *dir, const char *name, char **place)
{
	struct gazetteer_place p = { NULL, NULL, NULL, NULL };
	struct buf b = BUF_INIT;
	bool found = place_of_name(name, &p) == 0;

	*place = NULL;
	buf_puts(&b,
	    "---\n"
	    "# A new article: fill in the values, write the text below the\n"
	    "# second \"---\" in Markdown, and set draft to false to publish\n"
	    "# it.  Every key is described in jiceng(5).\n");
	put_value(&b, "title", name);
	buf_puts(&b,
	    "# The place the article is about, each by its full name.\n"
	    "# province: the province-level division (海南省, 内蒙古自治区,\n"
	    "#   北京市).\n"
	    "# city: the prefecture-level city, league (盟), prefecture (地区)\n"
	    "#   or autonomous prefecture (州) the district belongs to; null\n"
	    "#   where the district sits directly under the province, as\n"
	    "#   海南省's 澄迈县 and the districts of 北京, 天津, 上海 and 重庆.\n"
	    "# district: the county-level division: a 区, 县, 旗 or\n"
	    "#   county-level 市.  Each district has a page; two of one name in\n"
	    "#   different cities get different pages.\n"
	    "# A draft may leave them blank; an article to publish may not.\n");
	if (found) {
		buf_puts(&b, "# Filled in from the file name; check them.\n");
		*place = p.city != NULL ? xasprintf("%s %s %s", p.province,
		    p.city, p.district) : xasprintf("%s %s", p.province,
		    p.district);
	}
	put_value(&b, "province", found ? p.province : "");
	put_value(&b, "city", found ? p.city : NULL);
	put_value(&b, "district", found ? p.district : "");
	buf_puts(&b,
	    "# The author's name and role as printed, when the source names\n"
	    "# them:\n"
	    "# author: 姓名\n"
	    "# author_title: 某某区委书记\n"
	    "# The themes the article is about, as a list: [grid, volunteer].\n");
	put_theme_slugs(&b, dir);
	buf_puts(&b,
	    "themes: []\n"
	    "# The date, only where the source states it:\n"
	    "# date: 2020-07-01\n"
	    "# true keeps the article out of the site until it is ready.\n"
	    "draft: true\n"
	    "---\n"
	    "\n"
	    "正文从这里开始。每段之间空一行。\n"
	    "\n"
	    "## 小标题\n"
	    "\n"
	    "小标题以 “## ” 开头。\n");
	return buf_detach(&b);
}

int
init_article(const char *dir, const char *name, char **place,
    struct diags *d)
{
	char *folder = fs_join(dir, "content/articles"), *rel, *path,
	    *text = NULL;
	int rc = EXIT_IO;

	*place = NULL;
	rel = xasprintf("content/articles/%s.md", name);
	path = fs_join(dir, rel);
	if (!is_dir(folder)) {
		diag_error(d, "content/articles", 0, 0, "no such folder: not a "
		    "site (\"jiceng init\" makes one)");
		goto out;
	}
	if (fs_exists(path)) {
		diag_error(d, rel, 0, 0, "already exists");
		rc = EXIT_CONTENT;
		goto out;
	}
	text = skeleton(dir, name, place);
	if (fs_write_atomic(path, text, strlen(text)) == -1) {
		diag_error(d, rel, 0, 0, "cannot write: %s", strerror(errno));
		goto out;
	}
	rc = 0;
out:
	free(text);
	free(path);
	free(rel);
	free(folder);
	return rc;
}
