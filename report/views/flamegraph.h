/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A flame graph of stacks: a tree of frames, each counting the hits in
 * it and below, and a self-contained interactive SVG drawn from it
 * (hover shows a frame and its count, click zooms, Ctrl-F searches).
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
	const char *name; /* frame name, allocated with the node */
	uint64_t count; /* hits in this node and below */
	/*
	 * In the order they were first added, names unique: keeping them
	 * sorted as they came cost a move of the later ones each, which a
	 * level of a million names made quadratic. The SVG sorts them.
	 */
	struct km_fg_node **kids;
	size_t nr_kids, cap_kids;
	/* Private: kids by name (a keyed hash), once there are many. */
	struct km_fg_slot *index;
	size_t index_cap;
};

/* A root named "all". NULL without memory. */
struct km_fg_node *km_fg_new(void);
/*
 * Adds count hits for the path names[0..n), outermost frame first
 * (e.g. comm, then entry_SYSCALL_64, ..., then the innermost function).
 * A NULL name stands for "[unknown]". Returns 0 or -ENOMEM; after
 * -ENOMEM no count has changed. Takes time linear in n (expected: each
 * level's kids are found by hash), however many kids a level has.
 */
int km_fg_add(struct km_fg_node *root, const char *const *names, size_t n,
	      uint64_t count);
void km_fg_free(struct km_fg_node *root);
/*
 * Writes a self-contained SVG flame graph (root at the bottom, callers
 * below callees, width proportional to count, each level's frames left
 * to right in strcmp order of their names) with title as its heading.
 * The same paths and counts give the same bytes, in whatever order they
 * were added. Takes O(N log N) for N frames. Returns 0 or a negative
 * errno (-EIO: f's error flag is set; -ENOMEM, with the file cut short).
 */
int km_flamegraph_svg(FILE *f, const struct km_fg_node *root,
		      const char *title);

#endif
