/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one hash table: byte strings to a 64-bit value, open addressing,
 * at most half full. It tallies hits by whatever groups them (sort
 * keys, stacks, folded lines), gives each distinct stack its id (the
 * trace writer's stack table) and caches DWARF answers by address.
 * Keys are compared in full, so keys whose hashes collide stay apart;
 * they are copied into one arena; entries are never removed.
 */
#ifndef KM_HTAB_H
#define KM_HTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "bytes.h"

struct km_hent {
	uint64_t hash;
	size_t key_off; /* in km_htab.keys */
	size_t key_len;
	uint64_t val;
	bool used;
};

struct km_htab {
	struct km_hent *ents;
	size_t cap, nr; /* cap is a power of two, or 0 */
	struct km_buf keys;
};

/* FNV-1a over the key's bytes: what km_htab_get hashes with. */
uint64_t km_htab_hash(const void *key, size_t len);

/*
 * The value for key, inserted as 0 if new (*created says which, created
 * may be NULL), or NULL without memory. Valid until the next insertion.
 * hv is the key's hash: a caller with a cheaper one for its keys (stack
 * frames, a word at a time) gives it; it must always give the same.
 */
uint64_t *km_htab_get_hashed(struct km_htab *h, uint64_t hv, const void *key,
			     size_t len, bool *created);

static inline uint64_t *km_htab_get(struct km_htab *h, const void *key,
				    size_t len, bool *created)
{
	return km_htab_get_hashed(h, km_htab_hash(key, len), key, len, created);
}

/* The value for key (hashed by km_htab_hash), or NULL if absent. */
const uint64_t *km_htab_find(const struct km_htab *h, const void *key,
			     size_t len);
/* The entry's key bytes; valid until the next insertion. */
static inline const uint8_t *km_hent_key(const struct km_htab *h,
					 const struct km_hent *e)
{
	return h->keys.data + e->key_off;
}
/*
 * The used entries, copied into a malloc'ed array of h->nr (NULL if
 * there are none or without memory; *err says which).
 */
struct km_hent *km_htab_entries(const struct km_htab *h, int *err);
void km_htab_free(struct km_htab *h);

#endif
