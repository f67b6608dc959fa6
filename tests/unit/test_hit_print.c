// SPDX-License-Identifier: GPL-2.0
/*
 * The header line of a printed hit (common/print/hit_print.c builds it by hand,
 * for speed), held against the same line made with printf, over the
 * edges of every field: zero, widest values, times before the start and
 * as wall-clock time, unknown old values, colour.
 */
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>
#include "../../common/color.h"
#include "../../common/print/hit_print.h"
#include "../../common/trace/trace_format.h"

static const struct km_watch watches[] = {
	{ .type = KM_BP_RW, .len = 8 },
	{ .type = KM_BP_RW, .len = 2 },
};

/* What km_print_hit prints for h (no frames: just the header line). */
static char *printed(const struct km_print_ctx *pc, uint64_t nr,
		     const struct km_hit *h)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);

	assert_non_null(f);
	km_print_hit(f, pc, nr, h);
	assert_int_equal(fclose(f), 0);
	return buf;
}

/* The line as printf makes it: the reference. */
static void time_ref(const struct km_print_ctx *pc, uint64_t t, char *buf,
		     size_t size)
{
	bool before = t < pc->start_ns;
	uint64_t d = before ? pc->start_ns - t : t - pc->start_ns;
	uint64_t ns = before ? pc->wall_ns - d : pc->wall_ns + d;
	char date[32];
	struct tm tm;
	time_t s = ns / 1000000000;

	if (!pc->wall_ns) {
		snprintf(buf, size, "%s%" PRIu64 ".%09" PRIu64,
			 before ? "-" : "", d / 1000000000, d % 1000000000);
		return;
	}
	gmtime_r(&s, &tm);
	strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf, size, "%s.%09" PRIu64 "Z", date, ns % 1000000000);
}

static char *expected(const struct km_print_ctx *pc, uint64_t nr,
		      const struct km_hit *h)
{
	int w = (int)pc->watches[h->watch].len * 2;
	char when[64], value[160] = "", *out;

	time_ref(pc, h->time_ns, when, sizeof(when));
	if (h->has_value && h->has_old)
		snprintf(value, sizeof(value),
			 " value 0x%0*" PRIx64 " -> 0x%0*" PRIx64 " (%" PRIu64
			 " -> %" PRIu64 ")",
			 w, h->old_value, w, h->value, h->old_value, h->value);
	else if (h->has_value)
		snprintf(value, sizeof(value),
			 " value ? -> 0x%0*" PRIx64 " (? -> %" PRIu64 ")", w,
			 h->value, h->value);
	assert_true(asprintf(&out,
			     "%s#%" PRIu64 " %s cpu %u pid %u/%u comm %s "
			     "watch %u%s%s\n",
			     pc->color ? KM_COLOR_HEADER : "", nr, when, h->cpu,
			     h->pid, h->tid, h->comm, h->watch, value,
			     pc->color ? KM_COLOR_RESET : "") > 0);
	return out;
}

static void check(const struct km_print_ctx *pc, uint64_t nr,
		  const struct km_hit *h)
{
	char *got = printed(pc, nr, h), *want = expected(pc, nr, h);

	assert_string_equal(got, want);
	free(got);
	free(want);
}

static struct km_hit hit(uint64_t time_ns, uint64_t old, uint64_t value)
{
	struct km_hit h = { .time_ns = time_ns,
			    .old_value = old,
			    .value = value,
			    .has_value = true,
			    .has_old = true,
			    .pid = 4242,
			    .tid = 4243,
			    .cpu = 1,
			    .stack_id = KM_NO_STACK };

	strcpy(h.comm, "cat");
	return h;
}

static void test_edges(void **state)
{
	static const uint64_t values[] = { 0,
					   1,
					   9,
					   10,
					   99,
					   100,
					   65535,
					   1000000000,
					   0xdeadbeef,
					   UINT64_MAX,
					   UINT64_MAX - 1 };
	struct km_print_ctx pc = { .watches = watches,
				   .nr_watches = 2,
				   .start_ns = 5000000000ull };
	struct km_hit h;
	size_t i, j;

	(void)state;
	for (i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		for (j = 0; j < sizeof(values) / sizeof(values[0]); j++) {
			h = hit(pc.start_ns + values[j] % 7000000000ull,
				values[i], values[j]);
			h.watch = (i + j) % 2;
			h.pid = h.tid = values[j] & 0xffffffff;
			h.cpu = values[i] & 0xffffffff;
			check(&pc, values[i] ?: 1, &h);
		}
	}
}

static void test_times(void **state)
{
	static const uint64_t times[] = { 0,	      1,	  999999999,
					  1000000000, 4999999999, 5000000000,
					  5000000001, UINT64_MAX };
	struct km_print_ctx pc = { .watches = watches,
				   .nr_watches = 2,
				   .start_ns = 5000000000ull };
	struct km_hit h = hit(0, 1, 2);
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(times) / sizeof(times[0]); i++) {
		h.time_ns = times[i];
		pc.wall_ns = 0;
		check(&pc, i + 1, &h);
		/* 2026-11-26T05:56:01.000000300Z at the start. */
		pc.wall_ns = 1795672561000000300ull;
		if (times[i] < UINT64_MAX / 2)
			check(&pc, i + 1, &h);
	}
}

static void test_unknown_values_and_color(void **state)
{
	struct km_print_ctx pc = { .watches = watches, .nr_watches = 2 };
	struct km_hit h = hit(123456789, 0, 77);

	(void)state;
	h.has_old = false;
	check(&pc, 1, &h);
	h.has_value = false;
	check(&pc, 2, &h);
	pc.color = true;
	check(&pc, 3, &h);
	h.has_value = h.has_old = true;
	strcpy(h.comm, "a-comm-of-15-ch");
	check(&pc, UINT64_MAX, &h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_edges),
		cmocka_unit_test(test_times),
		cmocka_unit_test(test_unknown_values_and_color),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
