// SPDX-License-Identifier: GPL-2.0
/*
 * common/htab.c: SipHash against the specification's vectors, a hash
 * keyed afresh in each process, keys kept apart when their hashes
 * collide, growth that loses nothing, and keys crafted to collide under
 * the unkeyed FNV-1a used before spreading out like any others.
 * (Entries are never removed: there is no deletion to test.)
 */
#include <fcntl.h>
#include <setjmp.h>
#include <spawn.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include "../../common/htab.h"
#include "km_test.h"

extern char **environ;

/*
 * Key 00 01 .. 0f, message 00 01 .. (len - 1). SipHash-2-4's from the
 * specification's reference vectors (the paper's appendix A example is
 * the 15-byte one); SipHash-1-3's as OpenSSL 3's SIPHASH MAC computes
 * them with c-rounds:1 and d-rounds:3.
 */
static const struct {
	size_t len;
	unsigned int c, d;
	uint64_t want;
} vectors[] = {
	{ 0, 2, 4, 0x726fdb47dd0e0e31ull },
	{ 1, 2, 4, 0x74f839c593dc67fdull },
	{ 2, 2, 4, 0x0d6c8009d9a94f5aull },
	{ 3, 2, 4, 0x85676696d7fb7e2dull },
	{ 4, 2, 4, 0xcf2794e0277187b7ull },
	{ 8, 2, 4, 0x93f5f5799a932462ull },
	{ 15, 2, 4, 0xa129ca6149be45e5ull },
	{ 0, 1, 3, 0xabac0158050fc4dcull },
	{ 8, 1, 3, 0x369095118d299a8eull },
	{ 15, 1, 3, 0xd320d86d2a519956ull },
};

static void test_siphash_vectors(void **state)
{
	uint8_t key[16], msg[16];
	size_t i;

	(void)state;
	for (i = 0; i < 16; i++)
		key[i] = msg[i] = i;
	for (i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
		uint64_t got = km_siphash(key, msg, vectors[i].len,
					  vectors[i].c, vectors[i].d);

		if (got != vectors[i].want)
			fail_msg(
				"SipHash-%u-%u of %zu bytes: %016llx, want %016llx",
				vectors[i].c, vectors[i].d, vectors[i].len,
				(unsigned long long)got,
				(unsigned long long)vectors[i].want);
	}
}

static uint64_t fnv1a(uint64_t h, const uint8_t *p, size_t len)
{
	while (len--)
		h = (h ^ *p++) * 0x100000001b3ull;
	return h;
}

/* What this program prints when run as "hash": one fixed key's hash. */
static int print_hash(void)
{
	printf("%016llx\n", (unsigned long long)km_htab_hash("kmemsnoop", 9));
	return 0;
}

/* That line from a fresh run of this program. */
static uint64_t hash_in_child(void)
{
	char *argv[] = { "test_htab", "hash", NULL };
	posix_spawn_file_actions_t fa;
	char out[300], buf[64] = { 0 };
	FILE *f;
	pid_t pid;
	int st;

	snprintf(out, sizeof(out), "%s/hash.%d", getenv("TMPDIR") ?: "/tmp",
		 (int)getpid());
	assert_int_equal(posix_spawn_file_actions_init(&fa), 0);
	assert_int_equal(posix_spawn_file_actions_addopen(
				 &fa, 1, out, O_WRONLY | O_CREAT | O_TRUNC,
				 0600),
			 0);
	assert_int_equal(posix_spawn(&pid, "/proc/self/exe", &fa, NULL, argv,
				     environ),
			 0);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st) && !WEXITSTATUS(st));
	posix_spawn_file_actions_destroy(&fa);
	f = fopen(out, "r");
	assert_non_null(f);
	assert_non_null(fgets(buf, sizeof(buf), f));
	fclose(f);
	unlink(out);
	return strtoull(buf, NULL, 16);
}

/*
 * The same key hashes alike within a run, differently from the unkeyed
 * FNV-1a, and differently in two other runs (each draws its own key;
 * the chance of two 64-bit values agreeing by luck is 2^-64).
 */
static void test_keyed_per_run(void **state)
{
	uint64_t h = km_htab_hash("kmemsnoop", 9), a, b;

	(void)state;
	assert_int_equal(h, km_htab_hash("kmemsnoop", 9));
	assert_int_not_equal(h, fnv1a(0xcbf29ce484222325ull,
				      (const uint8_t *)"kmemsnoop", 9));
	a = hash_in_child();
	b = hash_in_child();
	assert_int_not_equal(a, b);
	assert_int_not_equal(a, h);
	assert_int_not_equal(b, h);
}

/* Keys whose hashes are all alike still get entries of their own. */
static void test_collisions_kept_apart(void **state)
{
	struct km_htab h = { 0 };
	char key[32];
	bool created;
	uint64_t *v;
	int i;

	(void)state;
	for (i = 0; i < 500; i++) {
		snprintf(key, sizeof(key), "key%d", i);
		v = km_htab_get_hashed(&h, 42, key, strlen(key), &created);
		assert_non_null(v);
		assert_true(created);
		*v = i;
	}
	/* A key that is a prefix of another is a different key. */
	v = km_htab_get_hashed(&h, 42, "key1", 3, &created);
	assert_non_null(v);
	assert_true(created);
	assert_int_equal(h.nr, 501);
	for (i = 0; i < 500; i++) {
		snprintf(key, sizeof(key), "key%d", i);
		v = km_htab_get_hashed(&h, 42, key, strlen(key), &created);
		assert_non_null(v);
		assert_false(created);
		assert_int_equal(*v, i);
	}
	km_htab_free(&h);
	assert_int_equal(h.nr, 0);
	assert_null(h.ents);
}

/*
 * 100,000 keys through a dozen doublings: each keeps its value, the
 * table stays at most half full, absent keys are absent, and the
 * entries are exactly the keys, each NUL-terminated in place.
 */
static void test_growth(void **state)
{
	const size_t n = 100000;
	struct km_htab h = { 0 };
	struct km_hent *e;
	uint64_t k, *v;
	uint8_t *seen;
	bool created;
	size_t i;
	int err;

	(void)state;
	assert_null(km_htab_find(&h, "x", 1));
	for (i = 0; i < n; i++) {
		k = i * 0x9e3779b97f4a7c15ull;
		v = km_htab_get(&h, &k, sizeof(k), &created);
		assert_non_null(v);
		assert_true(created);
		*v = i;
		assert_true(2 * h.nr <= h.cap);
		assert_int_equal(h.cap & (h.cap - 1), 0);
	}
	assert_int_equal(h.nr, n);
	for (i = 0; i < n; i++) {
		const uint64_t *f;

		k = i * 0x9e3779b97f4a7c15ull;
		f = km_htab_find(&h, &k, sizeof(k));
		assert_non_null(f);
		assert_int_equal(*f, i);
		k = ~k;
		assert_null(km_htab_find(&h, &k, sizeof(k)));
	}
	/* The empty key is a key like any other. */
	v = km_htab_get(&h, "", 0, &created);
	assert_non_null(v);
	assert_true(created);
	*v = n;
	e = km_htab_entries(&h, &err);
	assert_int_equal(err, 0);
	assert_non_null(e);
	seen = calloc(n + 1, 1);
	assert_non_null(seen);
	for (i = 0; i < h.nr; i++) {
		assert_true(e[i].val <= n);
		assert_false(seen[e[i].val]);
		seen[e[i].val] = 1;
		assert_int_equal(km_hent_key(&h, &e[i])[e[i].key_len], 0);
		if (e[i].val == n) {
			assert_int_equal(e[i].key_len, 0);
			continue;
		}
		assert_int_equal(e[i].key_len, 8);
		memcpy(&k, km_hent_key(&h, &e[i]), 8);
		assert_int_equal(k, e[i].val * 0x9e3779b97f4a7c15ull);
	}
	free(seen);
	free(e);
	km_htab_free(&h);
	e = km_htab_entries(&h, &err);
	assert_null(e);
	assert_int_equal(err, 0);
}

/*
 * 8-byte keys whose FNV-1a agree in the low 20 bits, found as
 * tools/make_trace_crafted.c finds its ips: under the old hash every one
 * wanted the same slot, and linear probing walked past all the others.
 * Keyed, the longest walk from a key's slot to where it sits stays
 * short, as for any keys (at most a third full, a walk of a hundred
 * slots has a chance far below 2^-60 per key).
 */
static void test_crafted_keys_spread(void **state)
{
	const size_t n = 20000;
	struct km_htab h = { 0 };
	uint64_t c, s, t, ip, *v;
	size_t got = 0, i, pos, dist, max = 0, total = 0;
	int b6, j;

	(void)state;
	for (c = 0; got < n; c++) {
		for (s = 0xcbf29ce484222325ull, j = 0; j < 6; j++)
			s = (s ^ ((c >> (8 * j)) & 0xff)) * 0x100000001b3ull;
		for (b6 = 0; b6 < 256 && got < n; b6++) {
			t = ((s ^ b6) * 0x100000001b3ull) & 0xfffff;
			if (t >> 8)
				continue;
			ip = c | (uint64_t)b6 << 48 | t << 56;
			assert_int_equal(fnv1a(0xcbf29ce484222325ull,
					       (const uint8_t *)&ip, 8) &
						 0xfffff,
					 0);
			v = km_htab_get(&h, &ip, sizeof(ip), NULL);
			assert_non_null(v);
			*v = got++;
		}
	}
	assert_int_equal(h.nr, n);
	for (pos = 0; pos < h.cap; pos++) {
		if (!h.ents[pos].used)
			continue;
		i = h.ents[pos].hash & (h.cap - 1);
		dist = (pos - i) & (h.cap - 1);
		total += dist;
		if (dist > max)
			max = dist;
	}
	if (max > 100 || total > 2 * n)
		fail_msg("crafted keys cluster: longest walk %zu, %zu in all",
			 max, total);
	km_htab_free(&h);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_siphash_vectors),
		cmocka_unit_test(test_keyed_per_run),
		cmocka_unit_test(test_collisions_kept_apart),
		cmocka_unit_test(test_growth),
		cmocka_unit_test(test_crafted_keys_spread),
	};

	if (argc == 2 && !strcmp(argv[1], "hash"))
		return print_hash();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
