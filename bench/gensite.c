/*
 * gensite: writes a deterministic synthetic site for benchmarks.
 *
 *   gensite SITE_DIR SOURCES_DIR THEMES_YAML COUNT [FORMAT]
 *
 * Articles are made from the paragraphs of the raw pages in SOURCES_DIR
 * (so text, length and vocabulary are realistic), carry 2 to 5 themes
 * from THEMES_YAML, and are spread over the 31 mainland provinces with
 * about one district per five articles.  FORMAT "jiceng" (the default)
 * writes SITE_DIR/content/articles/; "hugo" writes the same articles as
 * Hugo content: the same front matter plus the taxonomies provinces and
 * districts and, for Hugo's related content, keywords (the keywords of
 * THEMES_YAML that occur in the body, as jiceng import tags themes), and
 * one SITE_DIR/content/themes/SLUG/_index.md per theme with its name and
 * description.  The same arguments always give the same bytes, and both
 * formats draw the same articles.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *const provinces[] = {
	"北京市", "天津市", "河北省", "山西省", "内蒙古自治区", "辽宁省",
	"吉林省", "黑龙江省", "上海市", "江苏省", "浙江省", "安徽省",
	"福建省", "江西省", "山东省", "河南省", "湖北省", "湖南省",
	"广东省", "广西壮族自治区", "海南省", "重庆市", "四川省", "贵州省",
	"云南省", "西藏自治区", "陕西省", "甘肃省", "青海省",
	"宁夏回族自治区", "新疆维吾尔自治区",
};
#define NPROVINCES (sizeof(provinces) / sizeof(provinces[0]))

static const char syllables[] = "东西南北中新安平和兴宁华阳山河江城湖林泉清"
    "明德昌盛永丰福寿嘉禾云海金石川桥";

struct text {
	char	**items;
	size_t	 n, cap;
};

struct theme {
	char	*slug, *name, *description;
	struct text keywords;
};

struct themes {
	struct theme *items;
	size_t	 n, cap;
};

static uint64_t rng = 0x9E3779B97F4A7C15ULL;

/* xorshift64*: small, fast, and the same on every machine. */
static uint64_t
next_random(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 2685821657736338717ULL;
}

static size_t
pick(size_t n)
{
	return (size_t)(next_random() % n);
}

static void *
must(void *p)
{
	if (p == NULL) {
		perror("gensite");
		exit(3);
	}
	return p;
}

static void
push(struct text *t, const char *s, size_t len)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 256;
		t->items = must(realloc(t->items, t->cap * sizeof(char *)));
	}
	t->items[t->n] = must(malloc(len + 1));
	memcpy(t->items[t->n], s, len);
	t->items[t->n++][len] = '\0';
}

/* Paragraph-length lines (at least 60 bytes) of every .txt file. */
static void
read_paragraphs(const char *dir, struct text *out)
{
	char path[4096], line[65536];
	struct dirent **names;
	FILE *f;
	int n, i;
	size_t len;

	n = scandir(dir, &names, NULL, alphasort);
	if (n < 0) {
		perror(dir);
		exit(3);
	}
	for (i = 0; i < n; i++) {
		len = strlen(names[i]->d_name);
		if (len > 4 && strcmp(names[i]->d_name + len - 4, ".txt") == 0) {
			snprintf(path, sizeof(path), "%s/%s", dir,
			    names[i]->d_name);
			f = must(fopen(path, "r"));
			while (fgets(line, sizeof(line), f) != NULL) {
				len = strcspn(line, "\r\n");
				if (len >= 60)
					push(out, line, len);
			}
			fclose(f);
		}
		free(names[i]);
	}
	free(names);
}

/* The value after "key:" on a line, without quotes or trailing blanks. */
static char *
value_of(char *line, const char *key)
{
	char *p = strstr(line, key), *end;

	if (p == NULL)
		return NULL;
	p += strlen(key);
	while (*p == ' ' || *p == '"')
		p++;
	end = p + strcspn(p, "\r\n");
	while (end > p && (end[-1] == ' ' || end[-1] == '"'))
		end--;
	*end = '\0';
	return p;
}

/* "[a, b, c]" into its items. */
static void
split_list(char *list, struct text *out)
{
	size_t len;

	list += strspn(list, "[ ");
	while (*list != '\0' && *list != ']') {
		len = strcspn(list, ",]");
		while (len > 0 && list[len - 1] == ' ')
			len--;
		if (len > 0)
			push(out, list, len);
		list += len;
		list += strspn(list, ", ");
	}
}

/*
 * The themes of themes.yaml: an entry starts at its "slug:" line and
 * takes the name, description and keywords lines that follow.
 */
static void
read_themes(const char *path, struct themes *out)
{
	char line[4096], *v;
	FILE *f = must(fopen(path, "r"));
	struct theme *t = NULL;

	while (fgets(line, sizeof(line), f) != NULL) {
		if (line[strspn(line, " ")] == '#')
			continue;
		if ((v = value_of(line, "slug:")) != NULL) {
			if (out->n == out->cap) {
				out->cap = out->cap ? out->cap * 2 : 32;
				out->items = must(realloc(out->items,
				    out->cap * sizeof(*out->items)));
			}
			t = &out->items[out->n++];
			memset(t, 0, sizeof(*t));
			t->slug = must(strdup(v));
			t->name = must(strdup(v));
			t->description = must(strdup(""));
		} else if (t != NULL && (v = value_of(line, "name:")) != NULL) {
			free(t->name);
			t->name = must(strdup(v));
		} else if (t != NULL &&
		    (v = value_of(line, "description:")) != NULL) {
			free(t->description);
			t->description = must(strdup(v));
		} else if (t != NULL &&
		    (v = value_of(line, "keywords:")) != NULL)
			split_list(v, &t->keywords);
	}
	fclose(f);
}

/* A place name of n syllables, the same for the same seed. */
static void
place_name(char *out, size_t seed, size_t n, const char *suffix)
{
	size_t nsyl = (sizeof(syllables) - 1) / 3, i;

	out[0] = '\0';
	for (i = 0; i < n; i++) {
		strncat(out, syllables + 3 * (seed % nsyl), 3);
		seed = seed / nsyl + i * 7 + 3;
	}
	strcat(out, suffix);
}

static void
mkdirs(const char *path)
{
	char buf[4096], *p;

	snprintf(buf, sizeof(buf), "%s", path);
	for (p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		mkdir(buf, 0755);
		*p = '/';
	}
	mkdir(buf, 0755);
}

/* The first few characters of a paragraph, up to its first comma. */
static void
phrase(char *out, size_t cap, const char *para)
{
	size_t chars = 0, i = 0, len = 0, want = 8 + pick(6), n;
	unsigned char c;

	while (para[i] != '\0' && chars < want) {
		c = (unsigned char)para[i];
		n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
		if (n == 3 && (memcmp(para + i, "，", 3) == 0 ||
		    memcmp(para + i, "。", 3) == 0))
			break;
		if (len + n + 1 > cap)
			break;
		memcpy(out + len, para + i, n);
		len += n;
		i += n;
		chars++;
	}
	out[len] = '\0';
}

/*
 * Hugo's related content matches pages on keywords: those of any theme
 * that occur in the body, each once.
 */
static void
write_keywords(FILE *f, const char *body, const struct themes *themes)
{
	struct text seen = { 0 };
	size_t t, k, j;
	const char *word;

	for (t = 0; t < themes->n; t++) {
		for (k = 0; k < themes->items[t].keywords.n; k++) {
			word = themes->items[t].keywords.items[k];
			for (j = 0; j < seen.n; j++)
				if (strcmp(seen.items[j], word) == 0)
					break;
			if (j == seen.n && strstr(body, word) != NULL)
				push(&seen, word, strlen(word));
		}
	}
	fputs("keywords: [", f);
	for (j = 0; j < seen.n; j++) {
		fprintf(f, "%s\"%s\"", j ? ", " : "", seen.items[j]);
		free(seen.items[j]);
	}
	fputs("]\n", f);
	free(seen.items);
}

/* Paragraphs, with a heading before every third from the fourth on. */
static char *
make_body(const struct text *paras)
{
	char words[256], *body = NULL;
	size_t n = 6 + pick(8), k, len;
	FILE *f = must(open_memstream(&body, &len));

	for (k = 0; k < n; k++) {
		if (k > 0 && k % 3 == 0) {
			phrase(words, sizeof(words), paras->items[pick(paras->n)]);
			fprintf(f, "## %s\n\n", words);
		}
		fprintf(f, "%s\n\n", paras->items[pick(paras->n)]);
	}
	if (fclose(f) != 0) {
		perror("gensite");
		exit(3);
	}
	return body;
}

static void
write_article(const char *dir, size_t i, size_t count, const struct text *paras,
    const struct themes *themes, int hugo)
{
	char path[4096], city[64], district[64], author[64], words[256];
	size_t ndistricts = count / 5 ? count / 5 : 1, d = pick(ndistricts);
	size_t p = d % NPROVINCES, nthemes = 2 + pick(4), k, j;
	size_t chosen[8];
	char *body;
	FILE *f;

	/* Two syllables name 1,296 cities; past them a third keeps each
	 * city's name, and so each district's path, its own. */
	place_name(city, d / 4 + 1, d / 4 + 1 < 1296 ? 2 : 3, "市");
	place_name(district, d + 101, 2, d % 3 ? "区" : "县");
	place_name(author, i * 31 + 7, 2, "");
	snprintf(path, sizeof(path), "%s/content/articles/a%06zu.md", dir, i);
	f = must(fopen(path, "w"));
	phrase(words, sizeof(words), paras->items[pick(paras->n)]);
	fprintf(f, "---\ntitle: %s 第%zu篇\n", words, i);
	fprintf(f, "province: %s\ncity: %s\ndistrict: %s\n", provinces[p],
	    city, district);
	fprintf(f, "author: %s\nauthor_title: %s%s委书记\n", author, city,
	    district);
	if (nthemes > themes->n)
		nthemes = themes->n;
	for (k = 0; k < nthemes; k++) {
		/* Distinct themes: step past those already chosen. */
		chosen[k] = pick(themes->n);
		for (j = 0; j < k; j++) {
			if (chosen[j] == chosen[k]) {
				chosen[k] = (chosen[k] + 1) % themes->n;
				j = (size_t)-1;
			}
		}
	}
	fputs("themes: [", f);
	for (k = 0; k < nthemes; k++)
		fprintf(f, "%s%s", k ? ", " : "", themes->items[chosen[k]].slug);
	fputs("]\n", f);
	body = make_body(paras);
	if (hugo) {
		fprintf(f, "provinces: [\"%s\"]\ndistricts: [\"%s%s\"]\n",
		    provinces[p], city, district);
		write_keywords(f, body, themes);
	}
	fprintf(f, "---\n%s", body);
	free(body);
	if (fclose(f) != 0) {
		perror(path);
		exit(3);
	}
}

/* Hugo takes a term's title and description from its _index.md. */
static void
write_theme_pages(const char *dir, const struct themes *themes)
{
	char path[4096];
	size_t t;
	FILE *f;

	for (t = 0; t < themes->n; t++) {
		snprintf(path, sizeof(path), "%s/content/themes/%s", dir,
		    themes->items[t].slug);
		mkdirs(path);
		strncat(path, "/_index.md", sizeof(path) - strlen(path) - 1);
		f = must(fopen(path, "w"));
		fprintf(f, "---\ntitle: \"%s\"\ndescription: \"%s\"\n"
		    "outputs: [html, rss]\n---\n", themes->items[t].name,
		    themes->items[t].description);
		if (fclose(f) != 0) {
			perror(path);
			exit(3);
		}
	}
}

int
main(int argc, char **argv)
{
	struct text paras = { 0 };
	struct themes themes = { 0 };
	char path[4096];
	size_t count, i;
	int hugo;

	if (argc < 5) {
		fputs("usage: gensite SITE_DIR SOURCES_DIR THEMES_YAML COUNT "
		    "[jiceng|hugo]\n", stderr);
		return 2;
	}
	count = strtoul(argv[4], NULL, 10);
	hugo = argc > 5 && strcmp(argv[5], "hugo") == 0;
	read_paragraphs(argv[2], &paras);
	read_themes(argv[3], &themes);
	if (paras.n == 0 || themes.n == 0) {
		fputs("gensite: no paragraphs or no themes\n", stderr);
		return 1;
	}
	snprintf(path, sizeof(path), "%s/content/articles", argv[1]);
	mkdirs(path);
	for (i = 0; i < count; i++)
		write_article(argv[1], i, count, &paras, &themes, hugo);
	if (hugo)
		write_theme_pages(argv[1], &themes);
	return 0;
}
