/* SPDX-License-Identifier: GPL-2.0 */
/* The groups of the sort view, from the tally of hits by group bytes. */
#ifndef KM_SORT_GROUPS_H
#define KM_SORT_GROUPS_H

#include <stddef.h>
#include <stdint.h>
#include "flamegraph.h"
#include "views.h"

struct km_group {
	const uint8_t *key; /* group bytes (km_sort_encode) */
	size_t len;
	uint64_t count;
	struct km_fg_node *tree; /* -g: the group's calls */
};

/*
 * One group per tallied key, most hits first. Keys point into tab.
 * NULL without memory.
 */
struct km_group *km_plain_groups(const struct km_htab *tab, size_t *nr);
/*
 * For -g: tab's keys end with the stack key; the groups are what comes
 * before it (the keys of by), each with a tree of its stacks, caller
 * or callee first as r->cg says. NULL without memory.
 */
struct km_group *km_tree_groups(struct km_report *r, const struct km_htab *tab,
				const struct km_sort *by, size_t *nr);
void km_groups_free(struct km_group *g, size_t nr);

#endif
