/*
 * gensite: writes a deterministic synthetic site for benchmarks.
 *
 *   gensite SITE_DIR SOURCES_DIR THEMES_YAML COUNT [FORMAT]
 *
 * Articles are made from the paragraphs of the raw pages in SOURCES_DIR
 * (so text, length and vocabulary are realistic), carry 2 to 5 themes
 * from THEMES_YAML, and are spread over the 31 mainland provinces with
 * about one district per five articles.  FORMAT "jiceng" (the default)
 * writes SITE_DIR/content/...; "hugo" writes the same articles as Hugo
 * content (SITE_DIR/content/articles/N.md with taxonomies).  The same
 * arguments always give the same bytes.
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

/* The slugs of themes.yaml ("- slug: x" or "  slug: x" lines). */
static void
read_slugs(const char *path, struct text *out)
{
	char line[1024], *p;
	FILE *f = must(fopen(path, "r"));
	size_t len;

	while (fgets(line, sizeof(line), f) != NULL) {
		p = strstr(line, "slug:");
		if (p == NULL)
			continue;
		p += 5;
		while (*p == ' ')
			p++;
		len = strcspn(p, " \r\n#");
		push(out, p, len);
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

static void
write_article(const char *dir, size_t i, size_t count, const struct text *paras,
    const struct text *slugs, int hugo)
{
	char path[4096], city[64], district[64], author[64], words[256];
	size_t ndistricts = count / 5 ? count / 5 : 1, d = pick(ndistricts);
	size_t p = d % NPROVINCES, nthemes = 2 + pick(4), k, j, n;
	size_t chosen[8];
	FILE *f;

	place_name(city, d / 4 + 1, 2, "市");
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
	if (nthemes > slugs->n)
		nthemes = slugs->n;
	for (k = 0; k < nthemes; k++) {
		/* Distinct themes: step past those already chosen. */
		chosen[k] = pick(slugs->n);
		for (j = 0; j < k; j++) {
			if (chosen[j] == chosen[k]) {
				chosen[k] = (chosen[k] + 1) % slugs->n;
				j = (size_t)-1;
			}
		}
	}
	fputs("themes: [", f);
	for (k = 0; k < nthemes; k++)
		fprintf(f, "%s%s", k ? ", " : "", slugs->items[chosen[k]]);
	fputs("]\n", f);
	if (hugo)
		fprintf(f, "provinces: [\"%s\"]\ndistricts: [\"%s%s\"]\n",
		    provinces[p], city, district);
	fputs("---\n", f);
	n = 6 + pick(8);
	for (k = 0; k < n; k++) {
		if (k > 0 && k % 3 == 0) {
			phrase(words, sizeof(words), paras->items[pick(paras->n)]);
			fprintf(f, "## %s\n\n", words);
		}
		fprintf(f, "%s\n\n", paras->items[pick(paras->n)]);
	}
	if (fclose(f) != 0) {
		perror(path);
		exit(3);
	}
}

int
main(int argc, char **argv)
{
	struct text paras = { 0 }, slugs = { 0 };
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
	read_slugs(argv[3], &slugs);
	if (paras.n == 0 || slugs.n == 0) {
		fputs("gensite: no paragraphs or no themes\n", stderr);
		return 1;
	}
	snprintf(path, sizeof(path), "%s/content/articles", argv[1]);
	mkdirs(path);
	for (i = 0; i < count; i++)
		write_article(argv[1], i, count, &paras, &slugs, hugo);
	return 0;
}
