// SPDX-License-Identifier: GPL-2.0
/*
 * report --max-stack N on a trace whose stacks share their first
 * frames, so that cutting them merges some:
 *
 *   stack  hits  frames, innermost first
 *   P      4     memcpy+0x8, vfs_read+0x20, do_syscall_64+0x20
 *   Q      2     memcpy+0x8, vfs_read+0x20, ksys_write+0x20,
 *                do_syscall_64+0x20
 *   R      1     memcpy+0x8, ksys_write+0x30, do_syscall_64+0x20
 *   -      1     (none; ip in vfs_read+0x4)
 *
 * Cut to 2 frames P and Q are one stack of 6 hits; cut to 1, P, Q and
 * R are one of 7. Every hit is alpha's, on watch 0.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "report_fixture.h"

static const uint64_t ms_p[] = { 0xffffffff81002008, 0xffffffff81001020,
				 0xffffffff81003020 };
static const uint64_t ms_q[] = { 0xffffffff81002008, 0xffffffff81001020,
				 0xffffffff81004020, 0xffffffff81003020 };
static const uint64_t ms_r[] = { 0xffffffff81002008, 0xffffffff81004030,
				 0xffffffff81003020 };

/* Hit i's stack: P P Q R - P Q P, so the groups meet in any order. */
static const char ms_order[RF_NR_HITS] = "PPQR-PQP";

static void ms_hit(int i, struct km_hit *h)
{
	rf_hit(i, h);
	strcpy(h->comm, "alpha");
	h->watch = 0;
	h->addr = 0xffffffff82000000;
	h->frames = NULL;
	h->nr_frames = 0;
	switch (ms_order[i]) {
	case 'P':
		h->frames = ms_p, h->nr_frames = 3;
		break;
	case 'Q':
		h->frames = ms_q, h->nr_frames = 4;
		break;
	case 'R':
		h->frames = ms_r, h->nr_frames = 3;
		break;
	}
	h->ip = h->nr_frames ? h->frames[0] : 0xffffffff81001004;
}

static int ms_setup(void **state)
{
	struct km_trailer tr = { .seen = RF_NR_HITS,
				 .end_ns = RF_START_NS + 4000000000ull };
	struct rf_fixture *fx;
	struct km_trace_writer w;
	struct km_hit h;
	int i;

	rf_setup(state);
	fx = *state;
	assert_int_equal(km_tw_create(&w, fx->path), 0);
	rf_put_meta(&w);
	km_test_put_watch(&w, 0, KM_BP_RW, 4, 0xffffffff82000000, "jiffies");
	assert_int_equal(km_tw_chunk(&w, KM_CHUNK_KALLSYMS, rf_kallsyms,
				     strlen(rf_kallsyms)),
			 0);
	for (i = 0; i < RF_NR_HITS; i++) {
		ms_hit(i, &h);
		assert_int_equal(km_tw_hit(&w, &h), 0);
	}
	assert_int_equal(km_tw_finish(&w, &tr), 0);
	km_tw_free(&w);
	return 0;
}

#define MEMCPY "{\"addr\":\"0xffffffff81002008\",\"sym\":\"memcpy\",\"off\":8}"
#define VFS_READ \
	"{\"addr\":\"0xffffffff81001020\",\"sym\":\"vfs_read\",\"off\":32}"
#define KSYS_WRITE \
	"{\"addr\":\"0xffffffff81004030\",\"sym\":\"ksys_write\",\"off\":48}"
#define NO_STACK \
	"{\"addr\":\"0xffffffff81001004\",\"sym\":\"vfs_read\",\"off\":4}"

/* The stack key groups the cut stacks: P and Q are one group. */
static void test_sort_stack(void **state)
{
	char *out = RF_OK(*state, "--sort", "stack", "--max-stack", "2",
			  "--format", "json");

	assert_string_equal(
		out,
		"{\"hits\":6,\"percent\":75.0000,\"stack\":[" MEMCPY
		"," VFS_READ "]}\n"
		"{\"hits\":1,\"percent\":12.5000,\"stack\":[" MEMCPY
		"," KSYS_WRITE "]}\n"
		"{\"hits\":1,\"percent\":12.5000,\"stack\":[" NO_STACK "]}\n");
	free(out);
	out = RF_OK(*state, "-s", "stack", "--max-stack", "1", "--format",
		    "json");
	assert_string_equal(
		out,
		"{\"hits\":7,\"percent\":87.5000,\"stack\":[" MEMCPY "]}\n"
		"{\"hits\":1,\"percent\":12.5000,\"stack\":[" NO_STACK "]}\n");
	free(out);
}

/* The text table: a row per cut stack, its frames under it. */
static void test_sort_text(void **state)
{
	char *out = RF_OK(*state, "-s", "comm,stack", "--max-stack", "2");

	assert_int_equal(rf_count_lines(out, "^    75.00%         6  alpha$"),
			 1);
	assert_int_equal(rf_count_lines(out, "^    12.50%         1  alpha$"),
			 2);
	assert_int_equal(rf_count_lines(out, "^ {12}0x[0-9a-f]{16}: "), 5);
	assert_int_equal(rf_count_lines(out, "do_syscall_64"), 0);
	free(out);
}

/* The default view: per watch, the cut stacks by hits. */
static void test_default_view(void **state)
{
	char *out = RF_OK(*state, "--max-stack", "2");

	assert_int_equal(rf_count_lines(out, "^ +75\\.00%  6 hits$"), 1);
	assert_int_equal(rf_count_lines(out, "^ +12\\.50%  1 hits$"), 2);
	assert_int_equal(rf_count_lines(out, "^ {10}0x[0-9a-f]{16}: "), 4);
	free(out);
}

static void test_call_graph(void **state)
{
	char *out = RF_OK(*state, "-g", "caller", "--max-stack", "2");

	assert_string_equal(out, "# 8 hits, by stack (calls: caller first)\n"
				 "# watch 0: rw4 jiffies (0xffffffff82000000)\n"
				 "# Overhead      Hits\n"
				 "    87.50%         7  vfs_read\n"
				 "    75.00%         6    memcpy\n"
				 "    12.50%         1  ksys_write\n"
				 "    12.50%         1    memcpy\n"
				 "\n");
	free(out);
}

static void test_folded(void **state)
{
	char *out = RF_OK(*state, "--format", "folded", "--max-stack", "2");

	assert_string_equal(out, "alpha;ksys_write;memcpy 1\n"
				 "alpha;vfs_read 1\n"
				 "alpha;vfs_read;memcpy 6\n");
	free(out);
	out = RF_OK(*state, "--format", "folded", "--max-stack", "1");
	assert_string_equal(out, "alpha;memcpy 7\n"
				 "alpha;vfs_read 1\n");
	free(out);
}

/* Cut to one frame, no caller is left to draw. */
static void test_svg(void **state)
{
	char *out = RF_OK(*state, "--format", "svg", "--max-stack", "1");

	assert_non_null(strstr(out, "memcpy"));
	assert_null(strstr(out, "do_syscall_64"));
	assert_null(strstr(out, "ksys_write"));
	free(out);
}

/* Every hit's listing shows its cut stack: 7 hits with one frame. */
static void test_hits(void **state)
{
	char *out = RF_OK(*state, "--hits", "--max-stack", "1");

	assert_int_equal(rf_count_lines(out, "^    0x[0-9a-f]{16}: "), 7);
	free(out);
	out = RF_OK(*state, "--hits", "--format", "json", "--max-stack", "1");
	assert_int_equal(rf_count_lines(out, "\"stack\":\\[\\{[^]]*\\}\\]\\}$"),
			 7);
	assert_int_equal(rf_count_lines(out, "\"stack\":\\[\\]\\}$"), 1);
	free(out);
	out = RF_OK(*state, "--format", "perf-script", "--max-stack", "2");
	/* 7 hits with 2 frames, and the ip of the one without a stack. */
	assert_int_equal(rf_count_lines(out, "^\t"), 15);
	free(out);
}

/* 0: no stacks, every hit as one recorded without. */
static void test_zero(void **state)
{
	char *out = RF_OK(*state, "--max-stack", "0");

	assert_int_equal(rf_count_lines(out, "^ +100\\.00%  8 hits$"), 1);
	assert_int_equal(rf_count_lines(out, "\\(no stack\\)"), 1);
	assert_int_equal(rf_count_lines(out, "0x[0-9a-f]{16}: "), 0);
	free(out);
	out = RF_OK(*state, "--format", "json", "--max-stack", "0");
	assert_int_equal(rf_count_lines(out, "\"stack\":\\[\\]\\}$"), 8);
	free(out);
	out = RF_OK(*state, "--format", "folded", "--max-stack", "0");
	assert_string_equal(out, "alpha;memcpy 7\n"
				 "alpha;vfs_read 1\n");
	free(out);
}

/* A limit above every stack's depth changes nothing. */
static void test_no_cut(void **state)
{
	static const char *const views[][2] = {
		{ "-s", "stack" },	  { "-g", "callee" },
		{ "--format", "folded" }, { "--format", "perf-script" },
		{ "--hits", NULL },
	};
	char *all, *cut;
	size_t i;

	for (i = 0; i < sizeof(views) / sizeof(views[0]); i++) {
		all = RF_OK(*state, views[i][0], views[i][1]);
		cut = RF_OK(*state, "--max-stack", "4", views[i][0],
			    views[i][1]);
		assert_string_equal(all, cut);
		free(all);
		free(cut);
	}
}

static void test_bad(void **state)
{
	static const char *const bad[] = { "-1", "x",  "",	    "2x",
					   " 2", "+2", "4294967296" };
	size_t i;
	int st;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		free(rf_report(*state, &st, "--max-stack", bad[i], NULL));
		if (st != KM_EXIT_USAGE)
			fail_msg("--max-stack '%s' exited %d, not 2", bad[i],
				 st);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sort_stack),
		cmocka_unit_test(test_sort_text),
		cmocka_unit_test(test_default_view),
		cmocka_unit_test(test_call_graph),
		cmocka_unit_test(test_folded),
		cmocka_unit_test(test_svg),
		cmocka_unit_test(test_hits),
		cmocka_unit_test(test_zero),
		cmocka_unit_test(test_no_cut),
		cmocka_unit_test(test_bad),
	};

	return cmocka_run_group_tests(tests, ms_setup, rf_teardown);
}
