// SPDX-License-Identifier: GPL-2.0
/* report's filters (--pid --tid --comm --cpu --watch --time), every view. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "report_fixture.h"

/*
 * The hits (as JSON Lines) that filter options f1 [f2] keep: their
 * numbers in the fixture's table, as a string such as "0,1,3".
 */
static void kept(void **state, const char *want, const char *f1, const char *v1,
		 const char *f2, const char *v2)
{
	char *out = f2 ? RF_OK(*state, "--format", "json", f1, v1, f2, v2) :
			 RF_OK(*state, "--format", "json", f1, v1);
	char got[64] = "", needle[64];
	size_t len = 0;
	int i;

	/* Hit i is the one at time rf_hits[i].ms after the start. */
	for (i = 0; i < RF_NR_HITS; i++) {
		snprintf(needle, sizeof(needle), "{\"time_ns\":%u000000,",
			 rf_hits[i].ms);
		if (strstr(out, needle))
			len += snprintf(got + len, sizeof(got) - len, "%s%d",
					len ? "," : "", i);
	}
	if (strcmp(got, want))
		fail_msg("%s %s%s%s%s kept hits %s, not %s", f1, v1,
			 f2 ? " " : "", f2 ? f2 : "", f2 ? v2 : "", got, want);
	/* Each kept hit once, and nothing else. */
	assert_int_equal(rf_lines(out),
			 *want ? (int)(strlen(want) + 1) / 2 : 0);
	free(out);
}

static void test_pid(void **state)
{
	kept(state, "0,1,3,6", "--pid", "100", NULL, NULL);
	kept(state, "0,1,3,5,6", "--pid", "100,300", NULL, NULL);
	kept(state, "2,4,7", "--pid", "150-250", NULL, NULL);
	kept(state, "", "--pid", "1", NULL, NULL);
}

static void test_tid(void **state)
{
	kept(state, "1,6", "--tid", "101", NULL, NULL);
	kept(state, "2,4,5,7", "--tid", "200-300", NULL, NULL);
}

static void test_comm(void **state)
{
	kept(state, "2,4,7", "--comm", "beta", NULL, NULL);
	kept(state, "0,1,3,5,6", "--comm", "alpha,gamma", NULL, NULL);
	kept(state, "", "--comm", "alph", NULL, NULL);
}

static void test_cpu(void **state)
{
	kept(state, "1,3,5,7", "--cpu", "1", NULL, NULL);
	kept(state, "0,2,4,6", "-C", "0", NULL, NULL);
	kept(state, "0,1,2,3,4,5,6,7", "--cpu", "0-1", NULL, NULL);
}

static void test_watch(void **state)
{
	kept(state, "2,4,6", "--watch", "1", NULL, NULL);
	kept(state, "0,1,3,5,7", "--watch", "0", NULL, NULL);
}

/* FROM and TO are seconds since the start, both included. */
static void test_time(void **state)
{
	kept(state, "3,4,5", "--time", "1,2", NULL, NULL);
	kept(state, "0,1,2", "--time", ",0.5", NULL, NULL);
	kept(state, "6,7", "--time", "2.5,", NULL, NULL);
	kept(state, "1", "--time", "0.2,0.2", NULL, NULL);
	kept(state, "0,1,2,3,4,5,6,7", "--time", ",", NULL, NULL);
}

static void test_combined(void **state)
{
	kept(state, "0,6", "--comm", "alpha", "--cpu", "0");
	kept(state, "5", "--watch", "0", "--time", "1.5,3");
}

/* Sum of the numbers at the end of the lines matching re. */
static uint64_t sum_counts(const char *out, const char *re)
{
	const char *p = out, *nl;
	char line[4096];
	uint64_t sum = 0;
	regex_t rx;

	assert_int_equal(regcomp(&rx, re, REG_EXTENDED | REG_NOSUB), 0);
	for (; *p; p = nl + 1) {
		nl = strchr(p, '\n');
		assert_non_null(nl);
		snprintf(line, sizeof(line), "%.*s", (int)(nl - p), p);
		if (!regexec(&rx, line, 0, NULL, 0))
			sum += strtoull(strrchr(line, ' ') + 1, NULL, 10);
	}
	regfree(&rx);
	return sum;
}

/* --comm beta (hits 2, 4 and 7) in every view and format. */
static void test_every_view(void **state)
{
	char *out;

	out = RF_OK(*state, "--comm", "beta");
	assert_int_equal(rf_count_lines(out, "^# watch 0: .*: 1 hits$"), 1);
	assert_int_equal(rf_count_lines(out, "^# watch 1: .*: 2 hits$"), 1);
	free(out);
	out = RF_OK(*state, "--comm", "beta", "--hits");
	assert_int_equal(rf_count_lines(out, "^#[0-9]+ .* comm beta "), 3);
	assert_int_equal(rf_count_lines(out, "^#"), 3);
	free(out);
	out = RF_OK(*state, "--comm", "beta", "--sort", "comm");
	assert_int_equal(rf_count_lines(out, "^   100.00%         3  beta$"),
			 1);
	free(out);
	out = RF_OK(*state, "--comm", "beta", "-g", "caller");
	assert_int_equal(rf_count_lines(out, "^# 3 hits"), 1);
	/* Roots: do_syscall_64 (hits 2 and 7) and vfs_read (hit 4). */
	assert_int_equal(
		rf_count_lines(out, "^    66.67%         2  do_syscall_64$"),
		1);
	assert_int_equal(
		rf_count_lines(out, "^    33.33%         1  vfs_read$"), 1);
	assert_int_equal(rf_count_lines(out, "^ +[0-9.]+% +[0-9]+  [^ ]"), 2);
	free(out);
	out = RF_OK(*state, "--comm", "beta", "--format", "folded");
	assert_int_equal(sum_counts(out, "^beta;"), 3);
	assert_int_equal(rf_lines(out), 3);
	free(out);
	out = RF_OK(*state, "--comm", "beta", "--format", "perf-script");
	assert_int_equal(rf_count_lines(out, "^beta [0-9]+/[0-9]+ "), 3);
	assert_int_equal(rf_count_lines(out, "^[^\t]"), 3);
	free(out);
	out = RF_OK(*state, "--comm", "beta", "--timeline");
	assert_int_equal(sum_counts(out, "^ +[0-9]+s "), 3);
	free(out);
	out = RF_OK(*state, "--comm", "beta", "--format", "svg");
	assert_non_null(strstr(out, "beta"));
	assert_null(strstr(out, "alpha"));
	free(out);
}

static void test_bad_filters(void **state)
{
	static const char *const bad[][2] = {
		{ "--watch", "2" },   { "--watch", "0-5" },
		{ "--pid", "a" },     { "--pid", "1," },
		{ "--cpu", "1-" },    { "--cpu", "3-1" },
		{ "--tid", "-1" },    { "--time", "3,1" },
		{ "--time", "5" },    { "--time", "x,1" },
		{ "--time", "-1," },  { "--comm", "" },
		{ "--comm", "a,,b" }, { "--comm", "0123456789abcdefg" },
	};
	size_t i;
	int st;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		free(rf_report(*state, &st, bad[i][0], bad[i][1], NULL));
		if (st != 2)
			fail_msg("%s '%s' exited %d, not 2", bad[i][0],
				 bad[i][1], st);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pid),
		cmocka_unit_test(test_tid),
		cmocka_unit_test(test_comm),
		cmocka_unit_test(test_cpu),
		cmocka_unit_test(test_watch),
		cmocka_unit_test(test_time),
		cmocka_unit_test(test_combined),
		cmocka_unit_test(test_every_view),
		cmocka_unit_test(test_bad_filters),
	};

	return cmocka_run_group_tests(tests, rf_setup, rf_teardown);
}
