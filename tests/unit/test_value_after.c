// SPDX-License-Identifier: GPL-2.0
/*
 * Pairing each hit with its value after, where hits read the value
 * before their access (arm64): the next hit on the same watch gives
 * it, or the address read later; hits leave in the order they came,
 * reads need no wait; a watch moved to another object, a run of the
 * BPF program that was not sent, or one during the read give nothing;
 * a full queue asks to be settled.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "../../record/capture/value_after.h"

#define ADDR 0xffff800081234560ull

struct seen {
	int n;
	struct km_hit h[16];
};

static int collect(void *ctx, const struct km_hit *h)
{
	struct seen *s = ctx;

	assert_true(s->n < 16);
	s->h[s->n++] = *h;
	return 0;
}

/* The BPF program's run count of each watch. */
static uint32_t runs[KM_MAX_WATCHES];

/*
 * Pushes a hit of watch w at addr that read value, as BPF sends it,
 * after skip runs of the watch that were not sent; arriving at time tid.
 */
static int push_after(struct km_after *q, uint16_t w, uint64_t addr,
		      uint64_t value, uint32_t tid, uint32_t skip)
{
	struct kmemsnoop_event e = { .addr = addr,
				     .value = value,
				     .watch = w,
				     .tid = tid,
				     .flags = KM_EVENT_VALUE };

	runs[w] += skip;
	e.seq = ++runs[w];
	return km_after_push(q, &e, KM_EVENT_HEAD_SIZE, tid);
}

static int push(struct km_after *q, uint16_t w, uint64_t addr, uint64_t value,
		uint32_t tid)
{
	return push_after(q, w, addr, value, tid, 0);
}

/* What a read finds now on watch 0: value, and the run count then. */
static struct km_after_now now0(uint64_t addr, uint64_t value)
{
	struct km_after_now now = { .addr = { addr },
				    .value = { value },
				    .seq = { runs[0] },
				    .valid = { true } };

	return now;
}

static void init(struct km_after *q, struct seen *s, size_t cap)
{
	static const struct km_watch w[] = {
		{ .type = KM_BP_RW, .len = 4, .addr = ADDR },
		{ .type = KM_BP_R, .len = 4, .addr = ADDR + 8 },
	};

	memset(s, 0, sizeof(*s));
	memset(runs, 0, sizeof(runs));
	assert_int_equal(km_after_init(q, w, 2, cap, collect, s), 0);
}

static void expect(const struct km_hit *h, uint32_t tid, uint64_t before,
		   bool known, uint64_t after)
{
	assert_int_equal(h->tid, tid);
	assert_true(h->has_old);
	assert_int_equal(h->old_value, before);
	assert_int_equal(h->has_value, known);
	if (known)
		assert_int_equal(h->value, after);
}

static void next_hit_gives_after(void **state)
{
	struct km_after q;
	struct seen s;
	struct km_after_now now;

	(void)state;
	init(&q, &s, 8);
	assert_int_equal(push(&q, 0, ADDR, 3, 1), 0);
	assert_int_equal(s.n, 0); /* waits for its after */
	assert_int_equal(push(&q, 0, ADDR, 5, 2), 0);
	assert_int_equal(s.n, 1);
	expect(&s.h[0], 1, 3, true, 5);
	assert_true(km_after_stale(&q, 2 + 50, 50));
	assert_false(km_after_stale(&q, 2 + 49, 50));
	now = now0(ADDR, 9);
	/* Only hits that arrived by the time given are settled. */
	assert_int_equal(km_after_settle(&q, &now, 1), 0);
	assert_int_equal(s.n, 1);
	assert_int_equal(km_after_settle(&q, &now, 2), 0);
	assert_int_equal(s.n, 2);
	expect(&s.h[1], 2, 5, true, 9);
	assert_false(km_after_stale(&q, 1000, 50));
	km_after_free(&q);
}

static void order_kept_and_reads_pass(void **state)
{
	struct km_after q;
	struct seen s;

	(void)state;
	init(&q, &s, 8);
	assert_int_equal(push(&q, 0, ADDR, 3, 1), 0);
	/* A read watch's hit is complete, but leaves after the first. */
	assert_int_equal(push(&q, 1, ADDR + 8, 7, 2), 0);
	assert_int_equal(s.n, 0);
	assert_int_equal(push(&q, 0, ADDR, 4, 3), 0);
	assert_int_equal(s.n, 2);
	expect(&s.h[0], 1, 3, true, 4);
	expect(&s.h[1], 2, 7, true, 7);
	km_after_free(&q);
}

static void moved_watch_gives_nothing(void **state)
{
	struct km_after q;
	struct seen s;
	struct km_after_now now;

	(void)state;
	init(&q, &s, 8);
	assert_int_equal(push(&q, 0, ADDR, 3, 1), 0);
	assert_int_equal(push(&q, 0, ADDR + 64, 5, 2), 0);
	expect(&s.h[0], 1, 3, false, 0);
	/* An unreadable address gives nothing either. */
	now = now0(ADDR + 64, 1);
	now.valid[0] = false;
	assert_int_equal(km_after_settle(&q, &now, UINT64_MAX), 0);
	expect(&s.h[1], 2, 5, false, 0);
	/* Nor a slot given to another object at the same address. */
	assert_int_equal(push(&q, 0, ADDR, 6, 3), 0);
	assert_int_equal(km_after_forget(&q, 0), 0);
	assert_int_equal(push(&q, 0, ADDR, 8, 4), 0);
	expect(&s.h[2], 3, 6, false, 0);
	km_after_free(&q);
}

/* A run between two sent hits, or during the read, leaves no "after". */
static void unsent_runs_give_nothing(void **state)
{
	struct km_after q;
	struct seen s;
	struct km_after_now now;

	(void)state;
	init(&q, &s, 8);
	assert_int_equal(push(&q, 0, ADDR, 3, 1), 0);
	/* A filtered run (another task's write, say) came between. */
	assert_int_equal(push_after(&q, 0, ADDR, 7, 2, 1), 0);
	expect(&s.h[0], 1, 3, false, 0);
	/* A run after the hit, its event not read yet: not the value now. */
	now = now0(ADDR, 9);
	now.seq[0]++;
	assert_int_equal(km_after_settle(&q, &now, UINT64_MAX), 0);
	expect(&s.h[1], 2, 7, false, 0);
	km_after_free(&q);
}

static void full_queue_asks_to_settle(void **state)
{
	struct km_after q;
	struct seen s;
	struct km_after_now now;
	struct kmemsnoop_event bad = { .nr_frames = KM_MAX_FRAMES + 1 };

	(void)state;
	init(&q, &s, 2);
	assert_int_equal(push(&q, 0, ADDR, 1, 1), 0);
	assert_int_equal(push(&q, 1, ADDR + 8, 2, 2), 0);
	assert_int_equal(push(&q, 1, ADDR + 8, 2, 3), KM_AFTER_FULL);
	assert_int_equal(s.n, 0);
	now = now0(ADDR, 6);
	assert_int_equal(km_after_settle(&q, &now, UINT64_MAX), 0);
	assert_int_equal(s.n, 2);
	expect(&s.h[0], 1, 1, true, 6);
	assert_int_equal(push(&q, 1, ADDR + 8, 2, 3), 0);
	assert_int_equal(s.n, 3);
	assert_int_equal(km_after_push(&q, &bad, sizeof(bad), 4), -EBADMSG);
	/* Settled with nothing known: the waiting hit has no "after". */
	assert_int_equal(push(&q, 0, ADDR, 4, 5), 0);
	assert_int_equal(km_after_settle(&q, NULL, UINT64_MAX), 0);
	expect(&s.h[3], 5, 4, false, 0);
	km_after_free(&q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(next_hit_gives_after),
		cmocka_unit_test(order_kept_and_reads_pass),
		cmocka_unit_test(moved_watch_gives_nothing),
		cmocka_unit_test(unsent_runs_give_nothing),
		cmocka_unit_test(full_queue_asks_to_settle),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
