// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "stack_table.h"

struct km_stack_slot {
	uint64_t hash;
	size_t pos; /* in pool */
	uint32_t nr;
	uint32_t id_plus1; /* 0: empty slot */
};

/* FNV-1a over the frame words; cheap and good enough for a table. */
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

static struct km_stack_slot *find(struct km_stack_table *t, uint64_t h,
				  const uint64_t *f, uint32_t nr)
{
	size_t i = h & (t->cap - 1);

	for (;; i = (i + 1) & (t->cap - 1)) {
		struct km_stack_slot *s = &t->slots[i];

		if (!s->id_plus1)
			return s;
		if (s->hash == h && s->nr == nr &&
		    !memcmp(t->pool + s->pos, f, nr * sizeof(*f)))
			return s;
	}
}

static int grow_slots(struct km_stack_table *t)
{
	size_t cap = t->cap ? t->cap * 2 : 1024, i, j;
	struct km_stack_slot *old = t->slots, *slots;

	slots = calloc(cap, sizeof(*slots));
	if (!slots)
		return -ENOMEM;
	for (i = 0; i < t->cap; i++) {
		if (!old[i].id_plus1)
			continue;
		for (j = old[i].hash & (cap - 1); slots[j].id_plus1;
		     j = (j + 1) & (cap - 1))
			;
		slots[j] = old[i];
	}
	free(old);
	t->slots = slots;
	t->cap = cap;
	return 0;
}

static int pool_add(struct km_stack_table *t, const uint64_t *f, uint32_t nr)
{
	if (t->pool_len + nr > t->pool_cap) {
		size_t cap = t->pool_cap ? t->pool_cap : 4096;
		uint64_t *p;

		while (cap < t->pool_len + nr)
			cap *= 2;
		p = realloc(t->pool, cap * sizeof(*p));
		if (!p)
			return -ENOMEM;
		t->pool = p;
		t->pool_cap = cap;
	}
	memcpy(t->pool + t->pool_len, f, nr * sizeof(*f));
	t->pool_len += nr;
	return 0;
}

int64_t km_stack_intern(struct km_stack_table *t, const uint64_t *frames,
			uint32_t nr, bool *is_new)
{
	uint64_t h = hash_frames(frames, nr);
	struct km_stack_slot *s;

	/* Keep the load under 1/2 so probes stay short. */
	if (t->nr * 2 >= t->cap && grow_slots(t))
		return -ENOMEM;
	s = find(t, h, frames, nr);
	*is_new = !s->id_plus1;
	if (!*is_new)
		return s->id_plus1 - 1;
	if (pool_add(t, frames, nr))
		return -ENOMEM;
	*s = (struct km_stack_slot){ h, t->pool_len - nr, nr, t->nr + 1 };
	return t->nr++;
}

void km_stack_table_free(struct km_stack_table *t)
{
	free(t->slots);
	free(t->pool);
	memset(t, 0, sizeof(*t));
}
