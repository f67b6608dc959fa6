// SPDX-License-Identifier: GPL-2.0
/*
 * LIFE chunks (record --on/--off): their records round trip, corrupt
 * ones are refused and unknown kinds and tags skipped, hits go to the
 * right object (and never to a new one after a free), and a trace
 * holding them reads back through the reader with its hits.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "../../common/trace/life.h"
#include "../../common/trace/trace_reader.h"
#include "km_test.h"

static const struct km_life_rec arm1 = {
	.kind = KM_LIFE_ARM,
	.slot = 1,
	.seq = 7,
	.event_ns = 1000,
	.live_ns = 1050,
	.object = 0xffff888012345600,
	.addr = 0xffff888012345640,
	.pid = 42,
	.tid = 43,
	.comm = "trigger",
};

static void test_round_trip(void **state)
{
	struct km_life_summary s = { 0 },
			       s2 = { .valid = true,
				      .arms = 3,
				      .disarms = 2,
				      .unwatched = 1,
				      .ignored = 5,
				      .filtered = 9,
				      .refused = 1 },
			       got_s = { 0 };
	struct km_life_rec r;
	struct km_buf b = { 0 };
	const char *why = NULL;

	(void)state;
	assert_int_equal(km_life_encode(&b, &arm1), 0);
	assert_int_equal(km_life_decode(b.data, b.len, &r, &s, &why), 1);
	assert_memory_equal(&r, &arm1, sizeof(r));
	km_buf_free(&b);
	assert_int_equal(km_life_encode_summary(&b, &s2), 0);
	assert_int_equal(km_life_decode(b.data, b.len, &r, &got_s, &why), 2);
	assert_memory_equal(&got_s, &s2, sizeof(s2));
	km_buf_free(&b);
}

static int decode(struct km_buf *b)
{
	struct km_life_summary s;
	struct km_life_rec r;
	const char *why = NULL;
	int n = km_life_decode(b->data, b->len, &r, &s, &why);

	if (n < 0)
		assert_non_null(why);
	km_buf_free(b);
	return n;
}

static void test_corrupt_and_unknown(void **state)
{
	struct km_buf b = { 0 };
	uint8_t four[4] = { 0 };
	char comm[20];

	(void)state;
	/* No kind at all. */
	assert_int_equal(km_tlv_put_u64(&b, KM_LIFE_SLOT, 0), 0);
	assert_int_equal(decode(&b), -EBADMSG);
	/* A slot past the watches. */
	assert_int_equal(km_tlv_put_u64(&b, KM_LIFE_KIND, KM_LIFE_ARM), 0);
	assert_int_equal(km_tlv_put_u64(&b, KM_LIFE_SLOT, KM_MAX_WATCHES), 0);
	assert_int_equal(decode(&b), -EBADMSG);
	/* A value of the wrong size. */
	assert_int_equal(km_tlv_put_u64(&b, KM_LIFE_KIND, KM_LIFE_ARM), 0);
	assert_int_equal(km_tlv_put(&b, KM_LIFE_OBJECT, four, 4), 0);
	assert_int_equal(decode(&b), -EBADMSG);
	/* A comm longer than the kernel's. */
	memset(comm, 'a', sizeof(comm));
	assert_int_equal(km_tlv_put_u64(&b, KM_LIFE_KIND, KM_LIFE_ARM), 0);
	assert_int_equal(km_tlv_put(&b, KM_LIFE_COMM, comm, 17), 0);
	assert_int_equal(decode(&b), -EBADMSG);
	/* An entry cut short. */
	assert_int_equal(km_tlv_put_u64(&b, KM_LIFE_KIND, KM_LIFE_ARM), 0);
	b.len -= 3;
	assert_int_equal(decode(&b), -EBADMSG);
	/* A kind and a tag from a newer writer: skipped. */
	assert_int_equal(km_tlv_put_u64(&b, KM_LIFE_KIND, 99), 0);
	assert_int_equal(decode(&b), 0);
	assert_int_equal(km_tlv_put_u64(&b, KM_LIFE_KIND, KM_LIFE_DISARM), 0);
	assert_int_equal(km_tlv_put_u64(&b, 200, 1), 0);
	assert_int_equal(decode(&b), 1);
}

/*
 * Slot 0 holds object A (seq 1) from 100 (live 110) until its free at
 * 200 (off at 230); then object B (seq 2) at the same address from 300.
 */
static const struct km_life_rec recs[] = {
	{ .kind = KM_LIFE_ARM,
	  .slot = 0,
	  .seq = 1,
	  .event_ns = 100,
	  .live_ns = 110,
	  .object = 0xa000,
	  .addr = 0xa008 },
	{ .kind = KM_LIFE_ARM,
	  .slot = 1,
	  .seq = 2,
	  .event_ns = 150,
	  .live_ns = 160,
	  .object = 0xc000,
	  .addr = 0xc008 },
	{ .kind = KM_LIFE_DISARM,
	  .slot = 0,
	  .seq = 1,
	  .event_ns = 200,
	  .live_ns = 230,
	  .object = 0xa000,
	  .addr = 0xa008 },
	{ .kind = KM_LIFE_ARM,
	  .slot = 0,
	  .seq = 3,
	  .event_ns = 300,
	  .live_ns = 320,
	  .object = 0xa000,
	  .addr = 0xa008 },
};

static struct km_life_index ix;
static const struct km_life_rec *ix_recs; /* what ix indexes */

/* The object of a hit, among the records index_all() took last. */
static long owner(uint16_t w, uint64_t addr, uint64_t t, bool *freed)
{
	return km_life_object_of(&ix, ix_recs, w, addr, t, freed);
}

static void index_all(const struct km_life_rec *r, size_t n)
{
	size_t i;

	km_life_index_free(&ix);
	ix_recs = r;
	for (i = 1; i <= n; i++)
		assert_int_equal(km_life_index_add(&ix, r, i), 0);
}

static void test_attribution(void **state)
{
	bool freed;

	(void)state;
	index_all(recs, 4);
	assert_int_equal(owner(0, 0xa008, 150, &freed), 0);
	assert_false(freed);
	assert_int_equal(owner(1, 0xc008, 500, &freed), 1);
	assert_false(freed);
	/* After A's free, before its breakpoint was off: A's, marked. */
	assert_int_equal(owner(0, 0xa008, 210, &freed), 0);
	assert_true(freed);
	/* Between A's breakpoint off and B's arming: nobody's. */
	assert_int_equal(owner(0, 0xa008, 250, &freed), -1);
	/* B at the same address: B's, not A's. */
	assert_int_equal(owner(0, 0xa008, 330, &freed), 3);
	assert_false(freed);
	/* Another address on the slot: not these objects'. */
	assert_int_equal(owner(0, 0xb008, 150, &freed), -1);
	assert_int_equal(km_life_disarm_of(&ix, 0), 2);
	assert_int_equal(km_life_disarm_of(&ix, 3), -1);
	km_life_index_free(&ix);
}

/*
 * --replace: object A (seq 1) is left at 200 for B (seq 2), its
 * breakpoint moved at 230. A's hits until the move are its own, not
 * after a free; after it, nobody's at A's address; B's from its arming.
 * The flag round-trips, and only on a DISARM.
 */
static const struct km_life_rec replaced_recs[] = {
	{ .kind = KM_LIFE_ARM,
	  .slot = 0,
	  .seq = 1,
	  .event_ns = 100,
	  .live_ns = 110,
	  .object = 0xa000,
	  .addr = 0xa008 },
	{ .kind = KM_LIFE_DISARM,
	  .slot = 0,
	  .seq = 1,
	  .event_ns = 200,
	  .live_ns = 230,
	  .object = 0xa000,
	  .addr = 0xa008,
	  .replaced = true },
	{ .kind = KM_LIFE_ARM,
	  .slot = 0,
	  .seq = 2,
	  .event_ns = 200,
	  .live_ns = 230,
	  .object = 0xb000,
	  .addr = 0xb008 },
};

static void test_replaced(void **state)
{
	struct km_life_rec r, arm = replaced_recs[0];
	struct km_life_summary s = { .valid = true, .replaced = 4 }, got;
	struct km_buf b = { 0 };
	const char *why = NULL;
	bool freed;

	(void)state;
	assert_int_equal(km_life_encode(&b, &replaced_recs[1]), 0);
	assert_int_equal(km_life_decode(b.data, b.len, &r, &got, &why), 1);
	assert_memory_equal(&r, &replaced_recs[1], sizeof(r));
	km_buf_free(&b);
	arm.replaced = true; /* meaningless on an ARM: not kept */
	assert_int_equal(km_life_encode(&b, &arm), 0);
	assert_int_equal(km_life_decode(b.data, b.len, &r, &got, &why), 1);
	assert_false(r.replaced);
	km_buf_free(&b);
	assert_int_equal(km_life_encode_summary(&b, &s), 0);
	assert_int_equal(km_life_decode(b.data, b.len, &r, &got, &why), 2);
	assert_int_equal(got.replaced, 4);
	km_buf_free(&b);

	index_all(replaced_recs, 3);
	assert_int_equal(km_life_disarm_of(&ix, 0), 1);
	assert_int_equal(owner(0, 0xa008, 150, &freed), 0);
	assert_false(freed);
	assert_int_equal(owner(0, 0xa008, 220, &freed), 0);
	assert_false(freed);
	assert_int_equal(owner(0, 0xa008, 240, &freed), -1);
	assert_int_equal(owner(0, 0xb008, 240, &freed), 2);
	assert_false(freed);
	km_life_index_free(&ix);
}

/* The latest ARM read so far on the slot at the address, by a walk. */
static long scan(const struct km_life_rec *r, size_t n, uint16_t w,
		 uint64_t addr, uint64_t t)
{
	size_t i;

	for (i = n; i-- > 0;)
		if (r[i].kind == KM_LIFE_ARM && r[i].slot == w &&
		    r[i].addr == addr && r[i].event_ns <= t)
			return i;
	return -1;
}

/*
 * The index finds what a walk over the records finds, whatever order
 * a crafted trace gives their times in; the DISARMs are left out, as
 * only the ARM's choice is compared.
 */
static void test_index_matches_walk(void **state)
{
	struct km_life_rec r[300] = { 0 };
	uint64_t t, addr;
	unsigned int seed = 1;
	bool freed;
	size_t n, q;
	uint16_t w;

	(void)state;
	km_life_index_free(&ix);
	for (n = 1; n <= 300; n++) {
		r[n - 1] =
			(struct km_life_rec){ .kind = KM_LIFE_ARM,
					      .slot = rand_r(&seed) % 2,
					      .seq = n,
					      .event_ns = rand_r(&seed) % 50,
					      .addr = 8 * (rand_r(&seed) % 3) };
		assert_int_equal(km_life_index_add(&ix, r, n), 0);
		for (q = 0; q < 20; q++) {
			w = rand_r(&seed) % 2;
			addr = 8 * (rand_r(&seed) % 3);
			t = rand_r(&seed) % 60;
			assert_int_equal(km_life_object_of(&ix, r, w, addr, t,
							   &freed),
					 scan(r, n, w, addr, t));
		}
	}
	km_life_index_free(&ix);
}

/*
 * A DISARM ends its slot's latest ARM when their numbers agree; one
 * with no such ARM (lost, read later, on another slot, or already
 * ended) ends nothing.
 */
static void test_disarm_pairing(void **state)
{
	static const struct km_life_rec r[] = {
		{ .kind = KM_LIFE_DISARM, .slot = 0, .seq = 1 }, /* before */
		{ .kind = KM_LIFE_ARM, .slot = 0, .seq = 1, .addr = 8 },
		{ .kind = KM_LIFE_DISARM, .slot = 0, .seq = 9 }, /* no ARM */
		{ .kind = KM_LIFE_DISARM, .slot = 1, .seq = 1 }, /* other slot */
		{ .kind = KM_LIFE_DISARM, .slot = 0, .seq = 1 }, /* its free */
		{ .kind = KM_LIFE_DISARM, .slot = 0, .seq = 1 }, /* again */
		{ .kind = KM_LIFE_ARM, .slot = 0, .seq = 2, .addr = 8 },
		{ .kind = KM_LIFE_ARM, .slot = 0, .seq = 2, .addr = 8 },
		{ .kind = KM_LIFE_DISARM, .slot = 0, .seq = 2 },
	};

	(void)state;
	index_all(r, 9);
	assert_int_equal(km_life_disarm_of(&ix, 1), 4);
	/* Two ARMs of one number: the latest is the slot's, and ends. */
	assert_int_equal(km_life_disarm_of(&ix, 6), -1);
	assert_int_equal(km_life_disarm_of(&ix, 7), 8);
	km_life_index_free(&ix);
}

static void put_life(struct km_trace_writer *w, const struct km_life_rec *r)
{
	struct km_buf b = { 0 };

	assert_int_equal(km_life_encode(&b, r), 0);
	assert_int_equal(km_tw_chunk(w, KM_CHUNK_LIFE, b.data, b.len), 0);
	km_buf_free(&b);
}

/* ARM, hits, DISARM, SUMMARY through the writer and the reader. */
static void test_trace_file(void **state)
{
	struct km_life_summary s = { .valid = true, .arms = 2, .ignored = 4 };
	struct km_trace_writer w;
	struct km_trailer tr = { 0 };
	struct km_hit h = { .watch = 0,
			    .addr = 0xa008,
			    .stack_id = KM_NO_STACK };
	const struct km_hit *got;
	struct km_trace t;
	struct km_buf b = { 0 };
	char dir[256], path[300];
	long n, total = 0;
	int i;

	(void)state;
	km_test_mkdtemp(dir);
	snprintf(path, sizeof(path), "%s/t.kmt", dir);
	assert_int_equal(km_tw_create(&w, path), 0);
	assert_int_equal(km_tlv_put_u64(&b, KM_META_NR_CPUS, 1), 0);
	assert_int_equal(km_tw_chunk(&w, KM_CHUNK_META, b.data, b.len), 0);
	km_buf_free(&b);
	km_test_put_watch(&w, 0, KM_BP_W, 8, 0xffffffff82000000, "&f_pos");
	km_test_put_watch(&w, 1, KM_BP_W, 8, 0xffffffff82000000, "&f_pos");
	put_life(&w, &recs[0]);
	put_life(&w, &recs[1]);
	for (i = 0; i < 3; i++) {
		h.time_ns = 120 + i;
		assert_int_equal(km_tw_hit(&w, &h), 0);
	}
	assert_int_equal(km_tw_flush(&w), 0);
	put_life(&w, &recs[2]);
	assert_int_equal(km_life_encode_summary(&b, &s), 0);
	assert_int_equal(km_tw_chunk(&w, KM_CHUNK_LIFE, b.data, b.len), 0);
	km_buf_free(&b);
	assert_int_equal(km_tw_finish(&w, &tr), 0);
	km_tw_free(&w);

	assert_int_equal(km_trace_open(&t, path), 0);
	while ((n = km_trace_next_hits(&t, &got)) > 0)
		total += n;
	assert_int_equal(n, 0);
	assert_int_equal(total, 3);
	assert_int_equal(t.d.nr_life, 3);
	assert_memory_equal(&t.d.life[0], &recs[0], sizeof(recs[0]));
	assert_memory_equal(&t.d.life[2], &recs[2], sizeof(recs[2]));
	assert_true(t.d.life_summary.valid);
	assert_int_equal(t.d.life_summary.ignored, 4);
	km_trace_close(&t);
	km_test_rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_corrupt_and_unknown),
		cmocka_unit_test(test_attribution),
		cmocka_unit_test(test_index_matches_walk),
		cmocka_unit_test(test_disarm_pairing),
		cmocka_unit_test(test_replaced),
		cmocka_unit_test(test_trace_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
