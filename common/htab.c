// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "htab.h"

/* FNV-1a: keys are short, and nothing here is adversarial for speed. */
uint64_t km_htab_hash(const void *key, size_t len)
{
	const uint8_t *p = key;
	uint64_t h = 0xcbf29ce484222325ull;

	while (len--)
		h = (h ^ *p++) * 0x100000001b3ull;
	return h;
}

static struct km_hent *slot(struct km_hent *ents, size_t cap, uint64_t hv,
			    const struct km_buf *keys, const void *key,
			    size_t len)
{
	size_t i = hv & (cap - 1);

	for (;; i = (i + 1) & (cap - 1)) {
		struct km_hent *e = &ents[i];

		if (!e->used)
			return e;
		if (e->hash == hv && e->key_len == len &&
		    !memcmp(keys->data + e->key_off, key, len))
			return e;
	}
}

/* Doubles the table, keeping it under half full. */
static int grow(struct km_htab *h)
{
	size_t cap = h->cap ? h->cap * 2 : 64, i;
	struct km_hent *ents = calloc(cap, sizeof(*ents));

	if (!ents)
		return -ENOMEM;
	for (i = 0; i < h->cap; i++) {
		if (h->ents[i].used)
			/* Keys are distinct: the first free slot is it. */
			*slot(ents, cap, h->ents[i].hash, &h->keys, NULL,
			      (size_t)-1) = h->ents[i];
	}
	free(h->ents);
	h->ents = ents;
	h->cap = cap;
	return 0;
}

const uint64_t *km_htab_find(const struct km_htab *h, const void *key,
			     size_t len)
{
	struct km_hent *e;

	if (!h->cap)
		return NULL;
	e = slot(h->ents, h->cap, km_htab_hash(key, len), &h->keys, key, len);
	return e->used ? &e->val : NULL;
}

uint64_t *km_htab_get_hashed(struct km_htab *h, uint64_t hv, const void *key,
			     size_t len, bool *created)
{
	struct km_hent *e;

	if (created)
		*created = false;
	if (2 * (h->nr + 1) > h->cap && grow(h))
		return NULL;
	e = slot(h->ents, h->cap, hv, &h->keys, key, len);
	if (e->used)
		return &e->val;
	/* A NUL after each key lets string keys be used in place. */
	if ((len && km_buf_append(&h->keys, key, len)) ||
	    km_buf_append(&h->keys, "", 1))
		return NULL;
	*e = (struct km_hent){ .hash = hv,
			       .key_off = h->keys.len - len - 1,
			       .key_len = len,
			       .used = true };
	h->nr++;
	if (created)
		*created = true;
	return &e->val;
}

struct km_hent *km_htab_entries(const struct km_htab *h, int *err)
{
	struct km_hent *out;
	size_t i, n = 0;

	*err = 0;
	if (!h->nr)
		return NULL;
	out = malloc(h->nr * sizeof(*out));
	if (!out) {
		*err = -ENOMEM;
		return NULL;
	}
	for (i = 0; i < h->cap; i++)
		if (h->ents[i].used)
			out[n++] = h->ents[i];
	return out;
}

void km_htab_free(struct km_htab *h)
{
	free(h->ents);
	km_buf_free(&h->keys);
	memset(h, 0, sizeof(*h));
}
