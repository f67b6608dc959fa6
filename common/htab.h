/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A hash table from byte strings to a 64-bit value, for tallying hits
 * by whatever groups them (sort keys, stacks, folded lines). Keys are
 * copied into one arena; entries are never removed.
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

/*
 * The value for key, inserted as 0 if new (*created says which), or
 * NULL without memory. Valid until the next insertion.
 */
uint64_t *km_htab_get(struct km_htab *h, const void *key, size_t len,
		      bool *created);
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
