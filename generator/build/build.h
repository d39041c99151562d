/*
 * One build: load content, build the model, render every page on all
 * cores, check the links, and only then change the output folder.
 */
#ifndef JICENG_BUILD_H
#define JICENG_BUILD_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "../util/diag.h"

struct build_options {
	const char *site_dir;	/* holds content/, templates/, assets/ */
	const char *out_dir;	/* where the site goes */
	const char *base_url;	/* overrides site.yaml when not NULL */
	size_t	 threads;	/* 0: one per core */
	bool	 check_only;	/* validate, write nothing */
	bool	 progress;	/* a progress line on stderr */
	bool	 keep_memory;	/* the process ends after: leave the model's
				   memory to the system, unfreed */
	const volatile sig_atomic_t *stop; /* when it becomes true, the
				   build ends early, changing nothing; or NULL */
	/*
	 * Called, unless NULL, when another build holds the output folder
	 * and this one starts to wait for it: the caller tells whoever
	 * waits, as the build prints nothing itself.
	 */
	void	 (*waiting)(void *arg, const char *out_dir);
	void	*arg;
	/*
	 * The bytes of article bodies held through the pages at most, past
	 * which each is freed once its page is made and read again for the
	 * search index; 0: the default, enough for about 40,000 articles.
	 */
	size_t	 bodies_held_max;
};

#define BUILD_PHASES 6

struct build_stats {
	size_t	 articles;
	size_t	 pages;		/* files in the site */
	size_t	 rendered;	/* pages rendered this run */
	size_t	 written;	/* files new or changed */
	size_t	 removed;	/* files that left the site */
	double	 ms;		/* wall time */
	double	 phase_ms[BUILD_PHASES];	/* see build_phase_names */
};

/* Names of the phases of build_stats.phase_ms, for --timings. */
extern const char *const build_phase_names[BUILD_PHASES];

/*
 * Runs a build.  Returns 0; or 1 when the content or templates have
 * errors, 3 on I/O errors (the exit codes of jiceng(1)) or when stopped
 * through opt->stop, after adding them to d.  On failure the output
 * folder is left as it was.
 */
int	 build_run(const struct build_options *opt, struct build_stats *st,
	    struct diags *d);

#endif
