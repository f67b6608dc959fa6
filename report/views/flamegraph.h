/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A flame graph of stacks: a tree of frames, each counting the hits in
 * it and below, and a self-contained interactive SVG drawn from it
 * (hover shows a frame and its count, click zooms).
 *
 * Errors come back as a negative errno and are not explained here: the
 * caller knows which trace or output file it was and says so.
 */
#ifndef KM_FLAMEGRAPH_H
#define KM_FLAMEGRAPH_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct km_fg_node {
	const char *name; /* frame name, owned by the tree */
	uint64_t count; /* hits in this node and below */
	struct km_fg_node **kids; /* sorted by name, names unique */
	size_t nr_kids, cap_kids;
};

/* A root named "all". NULL without memory. */
struct km_fg_node *km_fg_new(void);
/*
 * Adds count hits for the path names[0..n), outermost frame first
 * (e.g. comm, then entry_SYSCALL_64, ..., then the innermost function).
 * A NULL name stands for "[unknown]". Returns 0 or -ENOMEM; after
 * -ENOMEM no count has changed.
 */
int km_fg_add(struct km_fg_node *root, const char *const *names, size_t n,
	      uint64_t count);
void km_fg_free(struct km_fg_node *root);
/*
 * Writes a self-contained SVG flame graph (root at the bottom, callers
 * below callees, width proportional to count) with title as its heading.
 * Returns 0 or a negative errno (-EIO: f's error flag is set).
 */
int km_flamegraph_svg(FILE *f, const struct km_fg_node *root,
		      const char *title);

#endif
