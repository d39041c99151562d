/*
 * Removing what left the site from a tree of the output folder: the
 * files a build did not put, then the folders they leave empty.  The
 * tree is known by an open folder and its name alone, and is reached
 * through no link: a link planted in it leads nowhere.
 */
#ifndef JICENG_PRUNE_H
#define JICENG_PRUNE_H

#include <stdbool.h>
#include <stddef.h>

#include "../util/diag.h"

struct prune_tree {
	int	 fd;		/* the tree's folder (O_PATH will do) */
	const char *path;	/* its name, for messages */
	const char *spare;	/* an entry of its top left in place, or NULL */
	bool	 (*keep)(void *arg, const char *rel); /* whether the file
				   rel stays */
	void	*arg;
};

/*
 * Walks the whole tree, removing every file not kept and each folder
 * left empty; adds how many files went to *removed.  Returns 0, or -1
 * after adding an error to d.
 */
int	 prune_walk(const struct prune_tree *t, size_t *removed,
	    struct diags *d);
/*
 * Removes the file rel of the tree, if it is there, and each folder it
 * leaves empty: one file that left the site, without a walk.  Returns 1
 * when it removed the file, 0 when there was none, or -1 after adding
 * an error to d.
 */
int	 prune_path(const struct prune_tree *t, const char *rel,
	    struct diags *d);

#endif
