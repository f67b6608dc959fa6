// SPDX-License-Identifier: GPL-2.0
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>
#include "htab.h"

static inline uint64_t rotl(uint64_t x, int b)
{
	return (x << b) | (x >> (64 - b));
}

static inline void sip_round(uint64_t v[4])
{
	v[0] += v[1];
	v[1] = rotl(v[1], 13) ^ v[0];
	v[0] = rotl(v[0], 32);
	v[2] += v[3];
	v[3] = rotl(v[3], 16) ^ v[2];
	v[0] += v[3];
	v[3] = rotl(v[3], 21) ^ v[0];
	v[2] += v[1];
	v[1] = rotl(v[1], 17) ^ v[2];
	v[2] = rotl(v[2], 32);
}

/*
 * SipHash as its specification states it: 8-byte little-endian words,
 * c_rounds after each, then a last word of the leftover bytes with the
 * length's low byte on top, and d_rounds to finish. Inlined, so that
 * km_htab_hash's constant round counts unroll.
 */
static inline uint64_t siphash(uint64_t k0, uint64_t k1, const uint8_t *p,
			       size_t len, unsigned int c_rounds,
			       unsigned int d_rounds)
{
	uint64_t v[4] = { k0 ^ 0x736f6d6570736575ull,
			  k1 ^ 0x646f72616e646f6dull,
			  k0 ^ 0x6c7967656e657261ull,
			  k1 ^ 0x7465646279746573ull };
	const uint8_t *end = p + (len & ~(size_t)7);
	uint64_t m;
	unsigned int i;

	for (; p != end; p += 8) {
		memcpy(&m, p, 8);
		m = le64toh(m);
		v[3] ^= m;
		for (i = 0; i < c_rounds; i++)
			sip_round(v);
		v[0] ^= m;
	}
	m = (uint64_t)len << 56;
	for (i = 0; i < (len & 7); i++)
		m |= (uint64_t)p[i] << (8 * i);
	v[3] ^= m;
	for (i = 0; i < c_rounds; i++)
		sip_round(v);
	v[0] ^= m;
	v[2] ^= 0xff;
	for (i = 0; i < d_rounds; i++)
		sip_round(v);
	return v[0] ^ v[1] ^ v[2] ^ v[3];
}

uint64_t km_siphash(const uint8_t k[16], const void *msg, size_t len,
		    unsigned int c_rounds, unsigned int d_rounds)
{
	uint64_t k0, k1;

	memcpy(&k0, k, 8);
	memcpy(&k1, k + 8, 8);
	return siphash(le64toh(k0), le64toh(k1), msg, len, c_rounds, d_rounds);
}

static uint64_t sip_key[2];
static pthread_once_t sip_key_once = PTHREAD_ONCE_INIT;

static bool read_all(int fd, void *buf, size_t len)
{
	ssize_t n;

	while (len) {
		n = read(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		buf = (char *)buf + n;
		len -= n;
	}
	return true;
}

/*
 * The key, drawn once: from getrandom(2), else /dev/urandom (a kernel
 * without getrandom, a seccomp sandbox). Failing both, the time, the
 * pid and where ASLR put the stack and this library: not secret from
 * someone on this machine, but not to be guessed by whoever wrote a
 * trace elsewhere, which is what matters here. Failing to hash at all
 * would leave report unable to read any trace.
 */
static void draw_key(void)
{
	uint8_t buf[16];
	size_t got = 0;
	ssize_t n;
	struct timespec ts;
	int fd;

	while (got < sizeof(buf)) {
		n = getrandom(buf + got, sizeof(buf) - got, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += n;
	}
	if (got < sizeof(buf)) {
		fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
		if (fd >= 0 && read_all(fd, buf, sizeof(buf)))
			got = sizeof(buf);
		if (fd >= 0)
			close(fd);
	}
	if (got < sizeof(buf)) {
		clock_gettime(CLOCK_REALTIME, &ts);
		sip_key[0] = (uint64_t)ts.tv_sec * 1000000000u + ts.tv_nsec;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		sip_key[1] = (uint64_t)ts.tv_sec * 1000000000u + ts.tv_nsec;
		sip_key[0] ^= (uint64_t)getpid() << 32 ^ (uintptr_t)&ts;
		sip_key[1] ^= (uintptr_t)&sip_key;
		/* Spread those few unknown bits over all of the key. */
		memcpy(buf, sip_key, sizeof(buf));
		sip_key[0] = km_siphash(buf, "k0", 2, 2, 4);
		sip_key[1] = km_siphash(buf, "k1", 2, 2, 4);
		return;
	}
	memcpy(sip_key, buf, sizeof(buf));
}

/*
 * SipHash-1-3, as Python and Rust hash their dictionaries: a keyed
 * function whose outputs, without the key, cannot be told from random
 * ones, so no trace can pick keys that pile into one run of slots.
 * Speed matters too (it hashes every hit's key): an 8-byte key takes
 * five rounds of a few additions, rotations and xors.
 */
uint64_t km_htab_hash(const void *key, size_t len)
{
	pthread_once(&sip_key_once, draw_key);
	return siphash(sip_key[0], sip_key[1], key, len, 1, 3);
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
