/* SPDX-License-Identifier: GPL-2.0 */
/* -g: the stacks of a group of hits as a tree of calls, perf-style. */
#ifndef KM_CALL_TREE_H
#define KM_CALL_TREE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "flamegraph.h"

struct km_jw;

/*
 * Each node below root, one a line: percent of total, hits, and the
 * name, indented two spaces a level from depth; children by hits, most
 * first; a node under limit percent of total is left out with what
 * hangs from it (--percent-limit; 0 keeps all). With color, each
 * percentage in its colour (km_percent_color).
 * Returns 0 or -ENOMEM.
 */
int km_call_tree_text(FILE *f, const struct km_fg_node *root, uint64_t total,
		      int depth, double limit, bool color);
/*
 * The same as a JSON array of {"name","hits","percent","calls":[...]},
 * the next value of w. Returns 0, or -ENOMEM having recorded it in w
 * (which then writes nothing more: km_jw_end closes what is open).
 */
int km_call_tree_json(struct km_jw *w, const struct km_fg_node *root,
		      uint64_t total, double limit);

#endif
