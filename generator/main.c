/*
 * jiceng: the command line.  Parses arguments, dispatches to the library
 * and is the only place that prints diagnostics and picks exit codes:
 * 0 success, 1 content or template errors, 2 usage errors, 3 I/O errors.
 */
#include <cmark.h>
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utf8proc.h>
#include <xxhash.h>
#include <yaml.h>

#include "build/build.h"
#include "import/import.h"
#include "init.h"
#include "load/article.h"
#include "serve/serve.h"
#include "util/diag.h"
#include "util/xalloc.h"
#include "version.h"

/*
 * A build that ends the process leaves its memory to the system: freeing
 * the model's few hundred thousand objects took 10 ms at 10,000 articles,
 * a tenth of a one-article edit.  Builds for a leak checker free it all.
 */
#if defined(__SANITIZE_ADDRESS__)
#define KEEP_MEMORY	false
#else
#define KEEP_MEMORY	true
#endif

#define EXIT_CONTENT	1
#define EXIT_USAGE	2
#define EXIT_IO		3

struct command {
	const char *name;
	int	 (*run)(int argc, char **argv);
	const char *synopsis;
	const char *help;
};

static int cmd_build(int argc, char **argv);
static int cmd_check(int argc, char **argv);
static int cmd_import(int argc, char **argv);
static int cmd_init(int argc, char **argv);
static int cmd_new(int argc, char **argv);
static int cmd_serve(int argc, char **argv);
static int cmd_version(int argc, char **argv);
static int cmd_watch(int argc, char **argv);

static const struct command commands[] = {
	{ "init", cmd_init,
	  "init [DIR]",
	  "Makes a new site in DIR (default .): the templates, the assets and\n"
	  "a sample site (content/site.yaml, content/themes.yaml and one\n"
	  "article) installed with jiceng.  Overwrites nothing.\n" },
	{ "new", cmd_new,
	  "new article [-C DIR] NAME",
	  "Writes content/articles/NAME.md: front matter to fill in, with\n"
	  "every key explained, as a draft.  The place is filled in when NAME\n"
	  "names one, as the importer's file names do (海口市美兰区).\n"
	  "  -C, --directory DIR  the site folder\n" },
	{ "build", cmd_build,
	  "build [-C DIR] [-o OUT] [--base-url URL] [-j N]",
	  "Renders the site in DIR (default .) into OUT (default public).\n"
	  "  -C, --directory DIR  the site folder (content/, templates/, assets/)\n"
	  "  -o, --output OUT     the output folder, relative to DIR\n"
	  "      --base-url URL   absolute URL the site is served from\n"
	  "  -j, --jobs N         render threads (default: one per core)\n"
	  "      --timings        print the time each phase took\n" },
	{ "check", cmd_check,
	  "check [-C DIR]",
	  "Validates content and templates and checks every link, writing\n"
	  "nothing.\n"
	  "  -C, --directory DIR  the site folder\n" },
	{ "import", cmd_import,
	  "import [--dry-run] [--force] [--verbose] [-C DIR] FILE...",
	  "Turns raw newspaper pages into content/articles/*.md.  Reports\n"
	  "what an editor should look at and counts the repairs by kind.\n"
	  "      --dry-run        show what would be written, write nothing\n"
	  "      --force          overwrite articles edited since the import\n"
	  "  -v, --verbose        report every repair, wrapped lines too\n"
	  "  -C, --directory DIR  the site folder\n" },
	{ "watch", cmd_watch,
	  "watch [-C DIR] [-o OUT] [--base-url URL] [-j N]",
	  "Builds, then rebuilds whenever content/, templates/ or assets/\n"
	  "change, until interrupted.  A failed build keeps the last good site.\n"
	  "  -C, --directory DIR  the site folder (default .)\n"
	  "  -o, --output OUT     the output folder, relative to DIR\n"
	  "      --base-url URL   absolute URL the site is served from\n"
	  "  -j, --jobs N         render threads (default: one per core)\n" },
	{ "serve", cmd_serve,
	  "serve [-C DIR] [-o OUT] [--port N] [--bind ADDR] [-j N]",
	  "Builds into a preview folder of its own, with its own address as\n"
	  "base URL, watches like \"watch\" and serves it over HTTP; open\n"
	  "pages reload after each successful build and show the errors of\n"
	  "one that failed.  public/ is left as \"jiceng build\" made it.\n"
	  "  -C, --directory DIR  the site folder (default .)\n"
	  "  -o, --output OUT     the preview folder, relative to DIR\n"
	  "                       (default " SERVE_PREVIEW_DIR ")\n"
	  "      --port N         the port (default 8000; 0: any free port)\n"
	  "      --bind ADDR      the address to listen on (default 127.0.0.1)\n"
	  "  -j, --jobs N         render threads (default: one per core)\n" },
	{ "--version", cmd_version,
	  "--version",
	  "Prints the version of jiceng and of the libraries it runs with,\n"
	  "and the folder \"jiceng init\" copies from.\n" },
};
#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void
usage(FILE *f)
{
	size_t i;

	fputs("usage: jiceng COMMAND [OPTIONS]\n\ncommands:\n", f);
	for (i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  jiceng %s\n", commands[i].synopsis);
	fputs("\nRun \"jiceng COMMAND --help\" for a command's options.\n", f);
}

static int
command_help(const char *name, FILE *f)
{
	size_t i;

	for (i = 0; i < NCOMMANDS; i++) {
		if (strcmp(commands[i].name, name) != 0)
			continue;
		fprintf(f, "usage: jiceng %s\n\n%s", commands[i].synopsis,
		    commands[i].help);
		return 0;
	}
	return EXIT_USAGE;
}

static int
usage_error(const char *cmd, const char *fmt, const char *arg)
{
	fprintf(stderr, "jiceng %s: ", cmd);
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	command_help(cmd, stderr);
	return EXIT_USAGE;
}

static const char *
plural(size_t n)
{
	return n == 1 ? "" : "s";
}

/*
 * The warnings a build prints at most: a site imported with many scars
 * would bury its errors and the summary under tens of thousands of
 * lines.  jiceng check prints every one.
 */
#define BUILD_WARNINGS	100

/*
 * Prints the diagnostics, sorted, at most max warnings of them (0: all),
 * and a count of errors.
 */
static void
report(struct diags *d, size_t max)
{
	size_t left;

	diags_sort(d);
	left = diags_print_some(d, max, stderr);
	if (left > 0)
		fprintf(stderr, "jiceng: %zu more warning%s not shown; "
		    "jiceng check lists every one\n", left, plural(left));
	if (d->errors > 0)
		fprintf(stderr, "jiceng: %zu error%s\n", d->errors,
		    plural(d->errors));
}

static int
parse_jobs(const char *s, size_t *out)
{
	char *end;
	long n = strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0' || n < 1 || n > 1024)
		return -1;
	*out = (size_t)n;
	return 0;
}

enum { OPT_BASE_URL = 256, OPT_HELP, OPT_DRY_RUN, OPT_FORCE, OPT_TIMINGS, OPT_PORT,
	OPT_BIND };

/* What build, check, watch and serve share: where the site is and goes. */
struct site_args {
	const char *dir;	/* -C */
	const char *out;	/* -o, relative to dir */
	size_t	 threads;	/* -j */
};

/*
 * Takes option c if it is one of the shared ones.  Returns 1 when it
 * was, 0 when it is the caller's, -1 after a usage message.
 */
static int
site_option(int c, struct site_args *a, const char *cmd)
{
	switch (c) {
	case 'C':
	case 'o':
		/* "" would name the current folder by accident. */
		if (optarg[0] == '\0') {
			usage_error(cmd, "%s", c == 'C' ? "-C needs a folder, "
			    "not \"\"" : "-o needs a folder, not \"\"");
			return -1;
		}
		if (c == 'C')
			a->dir = optarg;
		else
			a->out = optarg;
		return 1;
	case 'j':
		if (parse_jobs(optarg, &a->threads) == -1) {
			usage_error(cmd, "bad job count \"%s\"", optarg);
			return -1;
		}
		return 1;
	default:
		return 0;
	}
}

/* The output folder as the user means it (caller frees). */
static char *
output_folder(const struct site_args *a)
{
	if (a->out[0] == '/' || strcmp(a->dir, ".") == 0)
		return xstrdup(a->out);
	return xasprintf("%s/%s", a->dir, a->out);
}

/* What a build says while another build of its output folder runs. */
static void
say_waiting(void *arg, const char *out_dir)
{
	(void)arg;
	fprintf(stderr, "waiting for another build of %s to end\n", out_dir);
}

static int
run_build(int argc, char **argv, bool check_only)
{
	static const struct option longopts[] = {
		{ "directory", required_argument, NULL, 'C' },
		{ "output", required_argument, NULL, 'o' },
		{ "base-url", required_argument, NULL, OPT_BASE_URL },
		{ "jobs", required_argument, NULL, 'j' },
		{ "timings", no_argument, NULL, OPT_TIMINGS },
		{ "help", no_argument, NULL, OPT_HELP },
		{ NULL, 0, NULL, 0 },
	};
	const char *cmd = check_only ? "check" : "build";
	struct build_options opt = { ".", NULL, NULL, 0, check_only, false,
	    KEEP_MEMORY, NULL, say_waiting, NULL, 0 };
	struct site_args site = { ".", "public", 0 };
	struct build_stats st;
	struct diags d = DIAGS_INIT;
	char *out_dir = NULL;
	bool timings = false;
	int c, rc, taken;
	size_t i;

	while ((c = getopt_long(argc, argv, check_only ? "C:" : "C:o:j:",
	    longopts, NULL)) != -1) {
		if ((taken = site_option(c, &site, cmd)) != 0) {
			if (taken == -1)
				return EXIT_USAGE;
			continue;
		}
		switch (c) {
		case OPT_BASE_URL:
			opt.base_url = optarg;
			break;
		case OPT_TIMINGS:
			timings = true;
			break;
		case OPT_HELP:
			return command_help(cmd, stdout);
		default:
			command_help(cmd, stderr);
			return EXIT_USAGE;
		}
	}
	if (optind < argc)
		return usage_error(cmd, "unexpected argument \"%s\"",
		    argv[optind]);
	out_dir = output_folder(&site);
	opt.site_dir = site.dir;
	opt.threads = site.threads;
	opt.out_dir = out_dir;
	opt.progress = isatty(STDERR_FILENO);
	rc = build_run(&opt, &st, &d);
	report(&d, check_only ? 0 : BUILD_WARNINGS);
	if (rc == 0 && check_only)
		printf("checked %zu article%s, %zu pages: no errors\n",
		    st.articles, plural(st.articles), st.rendered);
	else if (rc == 0)
		printf("built %zu article%s: %zu pages rendered, %zu files "
		    "written, %zu removed, %.0f ms\n", st.articles,
		    plural(st.articles), st.rendered, st.written, st.removed,
		    st.ms);
	if (timings)
		for (i = 0; i < BUILD_PHASES; i++)
			fprintf(stderr, "%-8s %8.1f ms\n", build_phase_names[i],
			    st.phase_ms[i]);
	diags_free(&d);
	free(out_dir);
	return rc;
}

static int
cmd_build(int argc, char **argv)
{
	return run_build(argc, argv, false);
}

static int
cmd_check(int argc, char **argv)
{
	return run_build(argc, argv, true);
}

/*
 * Whether every source file can be read, before any is imported: a
 * typing mistake would otherwise import the rest, numbered as if the
 * missing page did not exist.  Returns 0, or -1 after adding errors to d.
 */
static int
check_sources(char *const *files, size_t n, struct diags *d)
{
	struct stat st;
	size_t i, errors = d->errors;

	for (i = 0; i < n; i++) {
		if (stat(files[i], &st) == -1 || access(files[i], R_OK) == -1)
			diag_error(d, files[i], 0, 0, "cannot read: %s",
			    strerror(errno));
		else if (!S_ISREG(st.st_mode))
			diag_error(d, files[i], 0, 0, "cannot read: not a "
			    "file");
	}
	return d->errors > errors ? -1 : 0;
}

static int
cmd_import(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "directory", required_argument, NULL, 'C' },
		{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
		{ "force", no_argument, NULL, OPT_FORCE },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, OPT_HELP },
		{ NULL, 0, NULL, 0 },
	};
	struct import_options opt = { .site_dir = "." };
	struct import_summary sum;
	struct diags d = DIAGS_INIT;
	int c, rc;

	while ((c = getopt_long(argc, argv, "C:v", longopts, NULL)) != -1) {
		switch (c) {
		case 'C':
			opt.site_dir = optarg;
			break;
		case 'v':
			opt.verbose = true;
			break;
		case OPT_DRY_RUN:
			opt.dry_run = true;
			break;
		case OPT_FORCE:
			opt.force = true;
			break;
		case OPT_HELP:
			return command_help("import", stdout);
		default:
			command_help("import", stderr);
			return EXIT_USAGE;
		}
	}
	if (optind == argc)
		return usage_error("import", "%s", "no source file given");
	if (check_sources(argv + optind, (size_t)(argc - optind), &d) == -1) {
		report(&d, 0);
		rc = EXIT_IO;
		goto out;
	}
	memset(&sum, 0, sizeof(sum));
	rc = import_run(&opt, argv + optind, (size_t)(argc - optind), stdout,
	    &d, &sum);
	if (!opt.verbose)
		diags_remove(&d, DIAG_DETAIL);
	report(&d, 0);
	import_summary_print(&sum, stdout);
	/* A conflict leaves an edited article out of date: not a success. */
	rc = rc == 0 && sum.conflicts == 0 ? 0 : EXIT_CONTENT;
out:
	diags_free(&d);
	return rc;
}

static int
parse_port(const char *s, unsigned *out)
{
	char *end;
	long n = strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0' || n < 0 || n > 65535)
		return -1;
	*out = (unsigned)n;
	return 0;
}

/* One line per build, flushed: the output is often a pipe or a log. */
static void
report_preview(void *arg, const struct serve_event *ev)
{
	const struct build_stats *st = ev->stats;
	const struct watch_changes *c = ev->changes;

	(void)arg;
	if (ev->kind == SERVE_WAITING) {
		say_waiting(NULL, ev->out_dir);
		return;
	}
	if (ev->kind == SERVE_READY) {
		if (ev->url != NULL)
			printf("serving %s/ (Ctrl-C stops)\n", ev->url);
		else
			printf("watching for changes (Ctrl-C stops)\n");
		fflush(stdout);
		return;
	}
	fflush(stdout);
	report(ev->diags, BUILD_WARNINGS);
	if (ev->rc != 0)
		printf("build failed; %s the last good site\n",
		    ev->url != NULL ? "serving" : "keeping");
	else {
		if (c->count == 0)
			printf("built %zu article%s", st->articles,
			    plural(st->articles));
		else if (c->count == 1)
			printf("rebuilt after %s", c->paths[0]);
		else
			printf("rebuilt after %s and %zu more", c->paths[0],
			    c->count - 1);
		printf(": %zu page%s rendered, %zu file%s written, ",
		    st->rendered, plural(st->rendered), st->written,
		    plural(st->written));
		if (st->removed > 0)
			printf("%zu removed, ", st->removed);
		printf("%.0f ms\n", st->ms);
	}
	fflush(stdout);
}

static int
run_preview(int argc, char **argv, bool serve)
{
	static const struct option longopts[] = {
		{ "directory", required_argument, NULL, 'C' },
		{ "output", required_argument, NULL, 'o' },
		{ "base-url", required_argument, NULL, OPT_BASE_URL },
		{ "jobs", required_argument, NULL, 'j' },
		{ "port", required_argument, NULL, OPT_PORT },
		{ "bind", required_argument, NULL, OPT_BIND },
		{ "help", no_argument, NULL, OPT_HELP },
		{ NULL, 0, NULL, 0 },
	};
	const char *cmd = serve ? "serve" : "watch";
	struct serve_options opt;
	struct site_args site = { ".", serve ? SERVE_PREVIEW_DIR : "public",
	    0 };
	struct diags d = DIAGS_INIT;
	char *out_dir = NULL;
	int c, rc, taken;

	memset(&opt, 0, sizeof(opt));
	opt.bind = serve ? "127.0.0.1" : NULL;
	opt.port = 8000;
	opt.report = report_preview;
	while ((c = getopt_long(argc, argv, "C:o:j:", longopts, NULL)) != -1) {
		if ((taken = site_option(c, &site, cmd)) != 0) {
			if (taken == -1)
				return EXIT_USAGE;
			continue;
		}
		switch (c) {
		case OPT_BASE_URL:
			if (serve)
				return usage_error(cmd, "%s", "the preview "
				    "sets --base-url to its own address");
			opt.base_url = optarg;
			break;
		case OPT_PORT:
		case OPT_BIND:
			if (!serve)
				return usage_error(cmd, "%s", "--port and "
				    "--bind are for \"jiceng serve\"");
			if (c == OPT_BIND)
				opt.bind = optarg;
			else if (parse_port(optarg, &opt.port) == -1)
				return usage_error(cmd, "bad port \"%s\"",
				    optarg);
			break;
		case OPT_HELP:
			return command_help(cmd, stdout);
		default:
			command_help(cmd, stderr);
			return EXIT_USAGE;
		}
	}
	if (optind < argc)
		return usage_error(cmd, "unexpected argument \"%s\"",
		    argv[optind]);
	out_dir = output_folder(&site);
	opt.site_dir = site.dir;
	opt.threads = site.threads;
	opt.out_dir = out_dir;
	rc = serve_run(&opt, &d);
	report(&d, BUILD_WARNINGS);
	diags_free(&d);
	free(out_dir);
	return rc == 0 ? 0 : EXIT_IO;
}

static int
cmd_watch(int argc, char **argv)
{
	return run_preview(argc, argv, false);
}

static int
cmd_serve(int argc, char **argv)
{
	return run_preview(argc, argv, true);
}

/* Options of a command that takes only -C and --help. */
static int
dir_options(int argc, char **argv, const char *cmd, const char **dir)
{
	static const struct option longopts[] = {
		{ "directory", required_argument, NULL, 'C' },
		{ "help", no_argument, NULL, OPT_HELP },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "C:", longopts, NULL)) != -1) {
		switch (c) {
		case 'C':
			*dir = optarg;
			break;
		case OPT_HELP:
			command_help(cmd, stdout);
			return 0;
		default:
			command_help(cmd, stderr);
			return EXIT_USAGE;
		}
	}
	return -1;
}

static int
cmd_init(int argc, char **argv)
{
	struct diags d = DIAGS_INIT;
	const char *dir = ".";
	char *data = NULL;
	size_t files = 0;
	int rc;

	if ((rc = dir_options(argc, argv, "init", &dir)) != -1)
		return rc;
	if (argc - optind > 1 || (optind < argc && strcmp(dir, ".") != 0))
		return usage_error("init", "unexpected argument \"%s\"",
		    argv[argc - 1]);
	if (optind < argc)
		dir = argv[optind];
	if ((data = init_data_dir()) == NULL) {
		fprintf(stderr, "jiceng: cannot find the templates and sample "
		    "site to copy: no share/jiceng beside the binary, nor in "
		    "%s\n", JICENG_DATADIR);
		rc = EXIT_IO;
		goto out;
	}
	rc = init_site(data, dir, &files, &d);
	report(&d, 0);
	if (rc == 0 && strcmp(dir, ".") == 0)
		printf("made a new site here: %zu files from %s\nnext: jiceng "
		    "build, or jiceng serve to preview it\n", files, data);
	else if (rc == 0)
		printf("made a new site in %s: %zu files from %s\nnext: jiceng "
		    "build -C %s, or jiceng serve -C %s to preview it\n", dir,
		    files, data, dir, dir);
out:
	diags_free(&d);
	free(data);
	return rc;
}

static int
cmd_new(int argc, char **argv)
{
	struct diags d = DIAGS_INIT;
	const char *dir = ".";
	char *name = NULL, *place = NULL;
	size_t len;
	int rc;

	if ((rc = dir_options(argc, argv, "new", &dir)) != -1)
		return rc;
	if (argc - optind != 2 || strcmp(argv[optind], "article") != 0)
		return usage_error("new", "%s", "expected \"article NAME\"");
	name = xstrdup(argv[optind + 1]);
	len = strlen(name);
	if (len > 3 && strcmp(name + len - 3, ".md") == 0)
		name[len - 3] = '\0';
	if (!article_slug_is_safe(name)) {
		rc = usage_error("new", "bad article name \"%s\" (use "
		    "letters, digits, \"-\" and \"_\")", argv[optind + 1]);
		goto out;
	}
	rc = init_article(dir, name, &place, &d);
	report(&d, 0);
	if (rc == 0 && place != NULL)
		printf("wrote content/articles/%s.md, a draft in %s\nnext: "
		    "write it, then set draft: false\n", name, place);
	else if (rc == 0)
		printf("wrote content/articles/%s.md, a draft\nnext: fill in "
		    "its province, city and district (the name names no "
		    "place), write it, then set draft: false\n", name);
out:
	diags_free(&d);
	free(place);
	free(name);
	return rc;
}

/* The libraries as they run, which may be newer than those built on. */
static int
cmd_version(int argc, char **argv)
{
	unsigned xxh = XXH_versionNumber();
	char *data;

	if (argc > 1 && strcmp(argv[1], "--help") == 0)
		return command_help("--version", stdout);
	if (argc > 1)
		return usage_error("--version", "unexpected argument \"%s\"",
		    argv[1]);
	data = init_data_dir();
	printf("jiceng %s\n", JICENG_VERSION);
	printf("  cmark %s, libyaml %s, utf8proc %s, jansson %s,\n"
	    "  libmicrohttpd %s, xxHash %u.%u.%u\n", cmark_version_string(),
	    yaml_get_version_string(), utf8proc_version(),
	    jansson_version_str(), MHD_get_version(), xxh / 10000,
	    xxh / 100 % 100, xxh % 100);
	printf("  jiceng init copies from %s\n",
	    data != NULL ? data : "(nowhere: no templates installed)");
	free(data);
	return 0;
}

int
main(int argc, char **argv)
{
	size_t i;

	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return 0;
	}
	for (i = 0; i < NCOMMANDS; i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "jiceng: unknown command \"%s\"\n", argv[1]);
	usage(stderr);
	return EXIT_USAGE;
}
