/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one hash table: byte strings to a 64-bit value, open addressing,
 * at most half full. It tallies hits by whatever groups them (sort
 * keys, stacks, folded lines), gives each distinct stack its id (the
 * trace writer's stack table) and caches DWARF answers by address.
 * Keys are compared in full, so keys whose hashes collide stay apart;
 * they are copied into one arena; entries are never removed.
 *
 * Keys often come from a trace, and a trace may come from anyone: with
 * a hash its writer could predict, keys chosen to share a slot would
 * make every insertion walk all the ones before it. So the hash is
 * keyed (SipHash-1-3) with 128 random bits drawn once per process
 * (getrandom(2)): which keys collide differs from run to run and cannot
 * be worked out from the trace. Nothing may depend on a hash value or
 * on the order of entries across runs; callers that print sort first.
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
 * SipHash-1-3 of the key's bytes under this process's random key: what
 * km_htab_get and km_htab_find hash with. Safe to call from any thread;
 * the first call draws the key (and may block until the kernel's
 * random pool is ready, as getrandom(2) without flags does).
 */
uint64_t km_htab_hash(const void *key, size_t len);

/*
 * SipHash-c-d (Aumasson and Bernstein) of msg under the 16-byte key k,
 * read little-endian as the specification does; c_rounds and d_rounds
 * of 1 and 3 are km_htab_hash's, 2 and 4 the specification's test
 * vectors'.
 */
uint64_t km_siphash(const uint8_t k[16], const void *msg, size_t len,
		    unsigned int c_rounds, unsigned int d_rounds);

/*
 * The value for key, inserted as 0 if new (*created says which, created
 * may be NULL), or NULL without memory. Valid until the next insertion.
 * hv is the key's hash: a caller with a cheaper one for its keys (stack
 * frames, a word at a time) gives it; it must always give the same, and
 * is answerable for it: only keys that no stranger chooses (record's
 * own stacks) should be hashed without km_htab_hash's key.
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
