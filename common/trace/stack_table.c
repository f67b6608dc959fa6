// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <string.h>
#include "stack_table.h"

/*
 * FNV-1a a frame word at a time rather than a byte at a time: this
 * runs for every hit record writes.
 */
static uint64_t hash_frames(const uint64_t *f, uint32_t nr)
{
	uint64_t h = 0xcbf29ce484222325ull ^ nr;
	uint32_t i;

	for (i = 0; i < nr; i++) {
		h ^= f[i];
		h *= 0x100000001b3ull;
		h ^= h >> 29;
	}
	return h;
}

int64_t km_stack_intern(struct km_stack_table *t, const uint64_t *frames,
			uint32_t nr, bool *is_new)
{
	uint64_t *id;

	id = km_htab_get_hashed(&t->ids, hash_frames(frames, nr), frames,
				nr * sizeof(*frames), is_new);
	if (!id)
		return -ENOMEM;
	if (*is_new)
		*id = t->nr++;
	return *id;
}

void km_stack_table_free(struct km_stack_table *t)
{
	km_htab_free(&t->ids);
	memset(t, 0, sizeof(*t));
}
