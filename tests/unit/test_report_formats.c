// SPDX-License-Identifier: GPL-2.0
/*
 * report's formats (folded, perf-script, svg, json), --time-format and
 * --timeline on a trace with known content. The perf-script grammar is
 * the one tests/kernel/test_report_formats.sh checks against what this
 * machine's perf script prints.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "report_fixture.h"

/* perf script's lines: a sample's header, a callchain frame, the end. */
#define PS_HEADER                                                           \
	"^[^ \t].* +[0-9]+(/[0-9]+)? +\\[[0-9]{3}\\] +[0-9]+\\.[0-9]{6}: +" \
	"[0-9]+ +mem:0x[0-9a-f]+: ?$"
#define PS_FRAME \
	"^\t *[0-9a-f]+ ([^ ]+\\+0x[0-9a-f]+|\\[unknown\\]) \\([^)]*\\)$"
#define FOLDED_LINE "^[^; ]+(;[^;]+)* [0-9]+$"

static void test_folded(void **state)
{
	char *out = RF_OK(*state, "--format", "folded");

	assert_string_equal(out, "alpha;do_syscall_64;vfs_read;memcpy 4\n"
				 "beta;do_syscall_64;ksys_write;memcpy 1\n"
				 "beta;do_syscall_64;vfs_read;memcpy 1\n"
				 "beta;vfs_read 1\n"
				 "gamma;do_syscall_64;ksys_write;memcpy 1\n");
	assert_int_equal(rf_count_lines(out, FOLDED_LINE), 5);
	free(out);
}

static void test_perf_script(void **state)
{
	char *out = RF_OK(*state, "--format", "perf-script");

	assert_memory_equal(
		out,
		"alpha 100/100 [000]     0.100000:          1 mem:0xffffffff82000000: \n"
		"\tffffffff81002008 memcpy+0x8 ([kernel.kallsyms])\n"
		"\tffffffff81001020 vfs_read+0x20 ([kernel.kallsyms])\n"
		"\tffffffff81003020 do_syscall_64+0x20 ([kernel.kallsyms])\n"
		"\n"
		"alpha 100/101 [001]     0.200000:",
		213);
	/* Every line is of the grammar: 8 samples, 22 frames. */
	assert_int_equal(rf_count_lines(out, PS_HEADER), 8);
	assert_int_equal(rf_count_lines(out, PS_FRAME), 22);
	assert_int_equal(rf_count_lines(out, "^$"), 8);
	assert_int_equal(rf_lines(out), 8 + 22 + 8);
	/* The hit without a stack: its ip is its only frame. */
	assert_non_null(strstr(out, "beta 200/200 [000]     1.500000:          "
				    "1 mem:0xffffffff82000008: \n"
				    "\tffffffff81001004 vfs_read+0x4 "
				    "([kernel.kallsyms])\n\n"));
	free(out);
}

/* The flame graph holds the folded paths' frames; xmllint parses it. */
static void test_svg(void **state)
{
	struct rf_fixture *fx = *state;
	char *out = RF_OK(*state, "--format", "svg"), cmd[600];
	const char *names[] = { "alpha",	"beta",	    "gamma",
				"memcpy",	"vfs_read", "ksys_write",
				"do_syscall_64" };
	size_t i;

	assert_non_null(strstr(out, "<svg"));
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strstr(out, names[i]))
			fail_msg("no %s in the flame graph", names[i]);
	if (system("command -v xmllint >/dev/null 2>&1"))
		skip();
	snprintf(cmd, sizeof(cmd), "xmllint --noout '%s'", fx->out);
	assert_int_equal(system(cmd), 0);
	free(out);
}

static void test_time_relative(void **state)
{
	char *out = RF_OK(*state, "--hits");

	assert_int_equal(rf_count_lines(out, "^#1 0\\.100000000 cpu 0 pid "
					     "100/100 comm alpha watch 0 "),
			 1);
	assert_int_equal(rf_count_lines(out, "^#8 3\\.900000000 cpu 1 "), 1);
	free(out);
}

/* Wall time: the trace's realtime at the start, plus the hit's offset. */
static void test_time_wall(void **state)
{
	char *out = RF_OK(*state, "--hits", "--time-format", "wall");

	assert_int_equal(rf_count_lines(out, "^#1 2023-11-14T22:13:20\\."
					     "100000000Z cpu 0 pid 100/100 "),
			 1);
	assert_int_equal(rf_count_lines(out, "^#8 2023-11-14T22:13:23\\."
					     "900000000Z cpu 1 "),
			 1);
	free(out);
	out = RF_OK(*state, "--format", "json", "--time-format", "wall");
	assert_int_equal(rf_count_lines(out, "^\\{\"time_ns\":100000000,.*"
					     "\"time\":\"2023-11-14T22:13:20\\."
					     "100000000Z\""),
			 1);
	free(out);
	out = RF_OK(*state, "--format", "perf-script", "--time-format", "wall");
	assert_int_equal(rf_count_lines(out, " 1700000000\\.100000: "), 1);
	free(out);
}

static void test_json_hits(void **state)
{
	char *out =
		RF_OK(*state, "--format", "json", "--cpu", "0", "--pid", "200");

	assert_string_equal(
		out,
		"{\"time_ns\":500000000,\"cpu\":0,\"pid\":200,\"tid\":200,"
		"\"comm\":\"beta\",\"watch\":1,\"addr\":\"0xffffffff82000008\","
		"\"value\":\"0x2\",\"ip\":\"0xffffffff81002010\",\"stack\":["
		"{\"addr\":\"0xffffffff81002010\",\"sym\":\"memcpy\",\"off\":16},"
		"{\"addr\":\"0xffffffff81004020\",\"sym\":\"ksys_write\",\"off\":32},"
		"{\"addr\":\"0xffffffff81003020\",\"sym\":\"do_syscall_64\",\"off\":32}]}\n"
		"{\"time_ns\":1500000000,\"cpu\":0,\"pid\":200,\"tid\":200,"
		"\"comm\":\"beta\",\"watch\":1,\"addr\":\"0xffffffff82000008\","
		"\"ip\":\"0xffffffff81001004\",\"stack\":[]}\n");
	free(out);
}

/* One row a second, bars scaled to the busiest second (2 hits). */
static void test_timeline(void **state)
{
	char *out = RF_OK(*state, "--timeline");
	char full[256] = "", half[128] = ""; /* 3 bytes a block */
	int i;

	for (i = 0; i < 50; i++)
		strcat(full, "█");
	for (i = 0; i < 25; i++)
		strcat(half, "█");
	assert_int_equal(rf_count_lines(out,
					"^# watch 0: rw4 jiffies "
					"\\(0xffffffff82000000\\): 5 hits"),
			 1);
	assert_non_null(strstr(out, "\n      0s "));
	assert_int_equal(rf_count_lines(out, "^ +[0-9]+s "), 8);
	/* Watch 0 has 2 hits in second 0, watch 1 none in second 3. */
	{
		char want[512];

		snprintf(want, sizeof(want), "      0s %s 2\n", full);
		assert_non_null(strstr(out, want));
		snprintf(want, sizeof(want), "      1s %s%25s 1\n", half, "");
		assert_non_null(strstr(out, want));
		snprintf(want, sizeof(want), "      3s %50s 0\n", "");
		assert_non_null(strstr(out, want));
	}
	free(out);
}

static void test_timeline_json(void **state)
{
	char *out =
		RF_OK(*state, "--timeline", "--format", "json", "--watch", "1");

	assert_string_equal(out, "{\"watch\":1,\"second\":0,\"hits\":1}\n"
				 "{\"watch\":1,\"second\":1,\"hits\":1}\n"
				 "{\"watch\":1,\"second\":2,\"hits\":1}\n");
	free(out);
	out = RF_OK(*state, "--timeline", "--format", "json", "--time-format",
		    "wall", "--watch", "0", "--time", "3,");
	assert_string_equal(out,
			    "{\"watch\":0,\"second\":3,\"hits\":1,\"time\":"
			    "\"2023-11-14T22:13:23.000000000Z\"}\n");
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_folded),
		cmocka_unit_test(test_perf_script),
		cmocka_unit_test(test_svg),
		cmocka_unit_test(test_time_relative),
		cmocka_unit_test(test_time_wall),
		cmocka_unit_test(test_json_hits),
		cmocka_unit_test(test_timeline),
		cmocka_unit_test(test_timeline_json),
	};

	return cmocka_run_group_tests(tests, rf_setup, rf_teardown);
}
