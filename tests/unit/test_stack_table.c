// SPDX-License-Identifier: GPL-2.0
/* The stack table: dense ids, dedup by contents, growth, collisions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include "../../common/trace/stack_table.h"

static int64_t intern(struct km_stack_table *t, const uint64_t *f, uint32_t nr,
		      bool want_new)
{
	bool is_new = !want_new;
	int64_t id = km_stack_intern(t, f, nr, &is_new);

	assert_true(id >= 0);
	assert_int_equal(is_new, want_new);
	return id;
}

static void test_dense_and_dedup(void **state)
{
	static const uint64_t a[] = { 0xffffffff81000010, 0xffffffff81000020,
				      0xffffffff81000030 };
	static const uint64_t b[] = { 0xffffffff81000040 };
	uint64_t copy[3] = { a[0], a[1], a[2] };
	struct km_stack_table t = { 0 };

	(void)state;
	assert_int_equal(intern(&t, a, 3, true), 0);
	assert_int_equal(intern(&t, b, 1, true), 1);
	/* Same contents at another address: same id. */
	assert_int_equal(intern(&t, copy, 3, false), 0);
	assert_int_equal(intern(&t, b, 1, false), 1);
	/* The table keeps its own copy of the frames. */
	copy[2] = 0;
	assert_int_equal(intern(&t, copy, 3, true), 2);
	assert_int_equal(intern(&t, a, 3, false), 0);
	assert_int_equal(t.nr, 3);
	km_stack_table_free(&t);
	assert_int_equal(t.nr, 0);
}

static void test_prefixes(void **state)
{
	static const uint64_t f[] = { 1, 2, 3, 0 };
	struct km_stack_table t = { 0 };
	uint32_t n;

	(void)state;
	/* [1], [1 2], [1 2 3], [1 2 3 0]: four stacks. */
	for (n = 1; n <= 4; n++)
		assert_int_equal(intern(&t, f, n, true), n - 1);
	for (n = 1; n <= 4; n++)
		assert_int_equal(intern(&t, f, n, false), n - 1);
	/* [2 3] is a suffix of [1 2 3], not the same stack either. */
	assert_int_equal(intern(&t, f + 1, 2, true), 4);
	km_stack_table_free(&t);
}

/* Deterministic pseudo-random numbers (xorshift64*). */
static uint64_t rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dull;
}

#define NR_RANDOM 100000
#define MAX_DEPTH 12

static void test_many_random(void **state)
{
	uint64_t *frames = malloc(NR_RANDOM * MAX_DEPTH * sizeof(*frames));
	uint32_t *nr = malloc(NR_RANDOM * sizeof(*nr));
	struct km_stack_table t = { 0 };
	uint64_t seed = 0x1234567887654321ull;
	size_t i, j;

	(void)state;
	assert_non_null(frames);
	assert_non_null(nr);
	for (i = 0; i < NR_RANDOM; i++) {
		nr[i] = 1 + rnd(&seed) % MAX_DEPTH;
		for (j = 0; j < nr[i]; j++)
			frames[i * MAX_DEPTH + j] = 0xffffffff81000000 |
						    (rnd(&seed) & 0xffffff);
		/* Make each distinct for sure: its index in the last frame. */
		frames[i * MAX_DEPTH + nr[i] - 1] = 0xffffffff90000000 + i;
	}
	for (i = 0; i < NR_RANDOM; i++)
		assert_int_equal(
			intern(&t, frames + i * MAX_DEPTH, nr[i], true), i);
	for (i = NR_RANDOM; i-- > 0;)
		assert_int_equal(
			intern(&t, frames + i * MAX_DEPTH, nr[i], false), i);
	assert_int_equal(t.nr, NR_RANDOM);
	km_stack_table_free(&t);
	free(frames);
	free(nr);
}

/*
 * The table's hash, copied here to build stacks whose full 64-bit
 * hashes are equal. Should the table change its hash, these simply
 * stop colliding and the test still holds.
 */
static uint64_t mix(uint64_t h, uint64_t f)
{
	h ^= f;
	h *= 0x100000001b3ull;
	return h ^ (h >> 29);
}

static void test_hash_collisions(void **state)
{
	uint64_t base = 0xcbf29ce484222325ull ^ 2, f[64][2];
	struct km_stack_table t = { 0 };
	int i;

	(void)state;
	/* [x, y] hashes to mix(mix(base, x), y): pick y to hit one value. */
	for (i = 0; i < 64; i++) {
		f[i][0] = 0xffffffff81000000 + i;
		f[i][1] = mix(base, f[i][0]) ^ 0x5555;
	}
	/* Same hash and length, different frames: each one new. */
	for (i = 0; i < 64; i++)
		assert_int_equal(intern(&t, f[i], 2, true), i);
	for (i = 0; i < 64; i++)
		assert_int_equal(intern(&t, f[i], 2, false), i);
	assert_int_equal(t.nr, 64);
	km_stack_table_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dense_and_dedup),
		cmocka_unit_test(test_prefixes),
		cmocka_unit_test(test_many_random),
		cmocka_unit_test(test_hash_collisions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
