// SPDX-License-Identifier: GPL-2.0
/*
 * report's objects table and --hits' object lines (record --on) on
 * traces a recording writes and on ones it does not: hits after a free
 * read before the free's DISARM, more of them than are kept to tell
 * apart, latencies whose times run backwards, names that would drive a
 * terminal, and LIFE chunks in a trace that is not a lifetime one.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "../../common/trace/life.h"
#include "report_fixture.h"
#include "../../report/views/views.h"

#define FIELD 0xffff888000001008ull
#define T0 RF_START_NS

static void put_watch(struct km_trace_writer *w, const char *object)
{
	struct km_buf b = { 0 };

	assert_int_equal(km_tlv_put_u64(&b, KM_WATCH_INDEX, 0), 0);
	assert_int_equal(km_tlv_put_u64(&b, KM_WATCH_TYPE, KM_BP_W), 0);
	assert_int_equal(km_tlv_put_u64(&b, KM_WATCH_LEN, 8), 0);
	assert_int_equal(km_tlv_put_u64(&b, KM_WATCH_ADDR, FIELD), 0);
	assert_int_equal(km_tlv_put_str(&b, KM_WATCH_EXPR, "&f_pos"), 0);
	if (object)
		assert_int_equal(km_tlv_put_str(&b, KM_WATCH_OBJECT, object),
				 0);
	assert_int_equal(km_tw_chunk(w, KM_CHUNK_WATCH, b.data, b.len), 0);
	km_buf_free(&b);
}

static void start(struct km_trace_writer *w, const char *path,
		  const char *object)
{
	assert_int_equal(km_tw_create(w, path), 0);
	rf_put_meta(w);
	put_watch(w, object);
	assert_int_equal(km_tw_chunk(w, KM_CHUNK_KALLSYMS, rf_kallsyms,
				     strlen(rf_kallsyms)),
			 0);
}

static void put_life(struct km_trace_writer *w, uint32_t kind, uint32_t seq,
		     uint64_t event_ns, uint64_t live_ns, const char *comm)
{
	struct km_life_rec r = { .kind = kind,
				 .seq = seq,
				 .event_ns = T0 + event_ns,
				 .live_ns = T0 + live_ns,
				 .object = FIELD - 8,
				 .addr = FIELD,
				 .tid = 7 };
	struct km_buf b = { 0 };

	snprintf(r.comm, sizeof(r.comm), "%s", comm);
	assert_int_equal(km_life_encode(&b, &r), 0);
	assert_int_equal(km_tw_chunk(w, KM_CHUNK_LIFE, b.data, b.len), 0);
	km_buf_free(&b);
}

/* n hits on the field at T0 + at, at + 1, ..., flushed as one chunk. */
static void put_hits(struct km_trace_writer *w, uint64_t at, int n)
{
	struct km_hit h = { .addr = FIELD,
			    .ip = 0xffffffff81001004,
			    .stack_id = KM_NO_STACK,
			    .comm = "cat" };
	int i;

	for (i = 0; i < n; i++) {
		h.time_ns = T0 + at + i;
		assert_int_equal(km_tw_hit(w, &h), 0);
	}
	assert_int_equal(km_tw_flush(w), 0);
}

static void end(struct km_trace_writer *w)
{
	struct km_trailer tr = { 0 };

	assert_int_equal(km_tw_finish(w, &tr), 0);
	km_tw_free(w);
}

/* The table's row of object seq, as "hits after" (its last columns). */
static void assert_row(const char *out, uint32_t seq, const char *tail)
{
	char re[128];

	snprintf(re, sizeof(re), "^ +%u +0 0x.* %s$", seq, tail);
	if (rf_count_lines(out, re) != 1)
		fail_msg("no row /%s/ in:\n%s", re, out);
}

/*
 * Object 1 lives from 100 to its free at 200 (breakpoint off at 230):
 * two hits before the free, two after it read before its DISARM, one
 * after it read after, one once the breakpoint was off. Object 2's
 * times run backwards, and its caller's name is an escape sequence.
 */
static void test_table(void **state)
{
	const struct rf_fixture *fx = *state;
	struct km_trace_writer w;
	char *out, *hits;

	start(&w, fx->path, "objects from --on \033]0;owned\a:ret");
	put_life(&w, KM_LIFE_ARM, 1, 100, 110, "alloc");
	put_hits(&w, 150, 2);
	put_hits(&w, 210, 2);
	put_life(&w, KM_LIFE_DISARM, 1, 200, 230, "free");
	put_hits(&w, 220, 1);
	put_hits(&w, 240, 1);
	put_life(&w, KM_LIFE_ARM, 2, 500, 400, "\033[2J");
	put_hits(&w, 600, 1);
	end(&w);

	out = RF_OK(fx, "--no-pager");
	assert_row(out, 1, "2 +3");
	assert_row(out, 2, "1 +0");
	/* The latency of live before call is not 2^64 - 100 ns. */
	assert_int_equal(rf_count_lines(out, "^ +2 +0 0x.* \\? .*\\\\x1b\\[2J"),
			 1);
	assert_int_equal(rf_count_lines(out, "over 1 armings"), 1);
	assert_int_equal(rf_count_lines(out, "^# 1 hits belong to no armed"),
			 1);
	assert_int_equal(
		rf_count_lines(out, "^# objects \\(objects from --on \\\\x1b"),
		1);
	assert_null(strchr(out, '\033'));
	assert_null(strchr(out, '\a'));
	hits = RF_OK(fx, "--hits");
	assert_int_equal(rf_count_lines(hits, "^object 1 "), 5);
	assert_int_equal(rf_count_lines(hits, "after its free"), 1);
	assert_int_equal(rf_count_lines(hits, "^object 2 "), 1);
	assert_int_equal(rf_count_lines(hits, "^object: none armed"), 1);
	free(out);
	free(hits);
}

/*
 * More hits after a free read before its DISARM than are kept: those
 * kept are told apart, the rest count as hits, and the table says so.
 */
static void test_more_than_kept(void **state)
{
	const struct rf_fixture *fx = *state;
	struct km_trace_writer w;
	char *out;

	start(&w, fx->path, "objects from --on alloc:ret");
	put_life(&w, KM_LIFE_ARM, 1, 100, 110, "alloc");
	put_hits(&w, 150, 1);
	put_hits(&w, 200, KM_OBJ_KEEP + 2);
	put_life(&w, KM_LIFE_DISARM, 1, 200, 230, "free");
	end(&w);

	out = RF_OK(fx, "--no-pager");
	assert_row(out, 1, "3 +4");
	assert_int_equal(rf_count_lines(out, "^# 1 objects had more hits"), 1);
	free(out);
}

/* LIFE chunks in a trace not recorded with --on: no objects shown. */
static void test_not_lifetime(void **state)
{
	const struct rf_fixture *fx = *state;
	struct km_trace_writer w;
	char *out, *hits;

	start(&w, fx->path, NULL);
	put_life(&w, KM_LIFE_ARM, 1, 100, 110, "alloc");
	put_hits(&w, 150, 2);
	end(&w);

	out = RF_OK(fx, "--no-pager");
	hits = RF_OK(fx, "--hits");
	assert_int_equal(rf_count_lines(out, "objects"), 0);
	assert_int_equal(rf_count_lines(hits, "^object"), 0);
	assert_int_equal(rf_count_lines(out, "2 hits"), 2);
	free(out);
	free(hits);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_more_than_kept),
		cmocka_unit_test(test_not_lifetime),
	};

	return cmocka_run_group_tests(tests, rf_setup, rf_teardown);
}
