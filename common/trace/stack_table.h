/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Gives each distinct kernel stack a dense id. Stacks are compared by
 * their full contents, so two stacks whose hashes collide still get
 * two ids: none is ever lost or merged.
 */
#ifndef KM_STACK_TABLE_H
#define KM_STACK_TABLE_H

#include <stdbool.h>
#include <stdint.h>
#include "../htab.h"

struct km_stack_table {
	struct km_htab ids; /* a stack's frames, as bytes, to its id */
	size_t nr; /* ids handed out: 0 .. nr-1 */
};

/*
 * The id of frames[0..nr); *is_new says whether it was just created.
 * Returns -ENOMEM without memory.
 */
int64_t km_stack_intern(struct km_stack_table *t, const uint64_t *frames,
			uint32_t nr, bool *is_new);
void km_stack_table_free(struct km_stack_table *t);

#endif
