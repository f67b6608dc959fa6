// SPDX-License-Identifier: GPL-2.0
/* report --sort KEYS and -g on a trace with known content. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "report_fixture.h"

/* `report --sort KEYS --format json` must print exactly want. */
static void sorted_json(void **state, const char *keys, const char *want)
{
	char *out = RF_OK(*state, "--sort", keys, "--format", "json");

	assert_string_equal(out, want);
	free(out);
}

static void test_sort_comm(void **state)
{
	sorted_json(state, "comm",
		    "{\"hits\":4,\"percent\":50.0000,\"comm\":\"alpha\"}\n"
		    "{\"hits\":3,\"percent\":37.5000,\"comm\":\"beta\"}\n"
		    "{\"hits\":1,\"percent\":12.5000,\"comm\":\"gamma\"}\n");
}

static void test_sort_pid(void **state)
{
	sorted_json(state, "pid",
		    "{\"hits\":4,\"percent\":50.0000,\"pid\":100}\n"
		    "{\"hits\":3,\"percent\":37.5000,\"pid\":200}\n"
		    "{\"hits\":1,\"percent\":12.5000,\"pid\":300}\n");
}

/* Equal counts come in the order of the key's values. */
static void test_sort_tid(void **state)
{
	sorted_json(state, "tid",
		    "{\"hits\":2,\"percent\":25.0000,\"tid\":100}\n"
		    "{\"hits\":2,\"percent\":25.0000,\"tid\":101}\n"
		    "{\"hits\":2,\"percent\":25.0000,\"tid\":200}\n"
		    "{\"hits\":1,\"percent\":12.5000,\"tid\":201}\n"
		    "{\"hits\":1,\"percent\":12.5000,\"tid\":300}\n");
}

static void test_sort_cpu(void **state)
{
	sorted_json(state, "cpu",
		    "{\"hits\":4,\"percent\":50.0000,\"cpu\":0}\n"
		    "{\"hits\":4,\"percent\":50.0000,\"cpu\":1}\n");
}

static void test_sort_watch(void **state)
{
	sorted_json(state, "watch",
		    "{\"hits\":5,\"percent\":62.5000,\"watch\":0}\n"
		    "{\"hits\":3,\"percent\":37.5000,\"watch\":1}\n");
}

/* A hit without a value is a group of its own, after the values. */
static void test_sort_value(void **state)
{
	sorted_json(state, "value",
		    "{\"hits\":3,\"percent\":37.5000,\"value\":\"0x1\"}\n"
		    "{\"hits\":2,\"percent\":25.0000,\"value\":\"0x2\"}\n"
		    "{\"hits\":2,\"percent\":25.0000,\"value\":\"0x3\"}\n"
		    "{\"hits\":1,\"percent\":12.5000,\"value\":null}\n");
}

/* sym is the function the hit's ip is in. */
static void test_sort_sym(void **state)
{
	sorted_json(state, "sym",
		    "{\"hits\":7,\"percent\":87.5000,\"sym\":\"memcpy\"}\n"
		    "{\"hits\":1,\"percent\":12.5000,\"sym\":\"vfs_read\"}\n");
}

/* A hit without a stack has its ip for a stack. */
static void test_sort_stack(void **state)
{
	sorted_json(
		state, "stack",
		"{\"hits\":5,\"percent\":62.5000,\"stack\":["
		"{\"addr\":\"0xffffffff81002008\",\"sym\":\"memcpy\",\"off\":8},"
		"{\"addr\":\"0xffffffff81001020\",\"sym\":\"vfs_read\",\"off\":32},"
		"{\"addr\":\"0xffffffff81003020\",\"sym\":\"do_syscall_64\",\"off\":32}]}\n"
		"{\"hits\":2,\"percent\":25.0000,\"stack\":["
		"{\"addr\":\"0xffffffff81002010\",\"sym\":\"memcpy\",\"off\":16},"
		"{\"addr\":\"0xffffffff81004020\",\"sym\":\"ksys_write\",\"off\":32},"
		"{\"addr\":\"0xffffffff81003020\",\"sym\":\"do_syscall_64\",\"off\":32}]}\n"
		"{\"hits\":1,\"percent\":12.5000,\"stack\":["
		"{\"addr\":\"0xffffffff81001004\",\"sym\":\"vfs_read\",\"off\":4}]}\n");
}

static void test_sort_two_keys(void **state)
{
	sorted_json(
		state, "comm,watch",
		"{\"hits\":3,\"percent\":37.5000,\"comm\":\"alpha\",\"watch\":0}\n"
		"{\"hits\":2,\"percent\":25.0000,\"comm\":\"beta\",\"watch\":1}\n"
		"{\"hits\":1,\"percent\":12.5000,\"comm\":\"alpha\",\"watch\":1}\n"
		"{\"hits\":1,\"percent\":12.5000,\"comm\":\"beta\",\"watch\":0}\n"
		"{\"hits\":1,\"percent\":12.5000,\"comm\":\"gamma\",\"watch\":0}\n");
}

static void test_sort_text_table(void **state)
{
	char *out = RF_OK(*state, "--sort", "comm,sym");

	assert_string_equal(out, "# 8 hits, by comm,sym\n"
				 "# watch 0: rw4 jiffies (0xffffffff82000000)\n"
				 "# watch 1: w8 0x8 (0xffffffff82000008)\n"
				 "# Overhead      Hits  comm   sym\n"
				 "    50.00%         4  alpha  memcpy\n"
				 "    25.00%         2  beta   memcpy\n"
				 "    12.50%         1  beta   vfs_read\n"
				 "    12.50%         1  gamma  memcpy\n");
	free(out);
}

/* The stack key prints each group's stack under its row. */
static void test_sort_text_stack(void **state)
{
	char *out = RF_OK(*state, "--sort", "watch,stack");

	assert_int_equal(rf_count_lines(out, "^ +[0-9.]+% +[0-9]+  [01]$"), 5);
	/* Watch 0: A 4, B 1; watch 1: B, A and the hit without a stack. */
	assert_int_equal(rf_count_lines(out, "^ {12}0x[0-9a-f]{16}: memcpy @ "),
			 4);
	assert_int_equal(rf_count_lines(out, "^ {12}0x[0-9a-f]{16}: vfs_read @ "
					     "0xffffffff81001000\\+0x4$"),
			 1);
	assert_int_equal(rf_count_lines(out, "^    50.00%         4  0$"), 1);
	free(out);
}

static void test_call_graph_caller(void **state)
{
	char *out = RF_OK(*state, "-g", "caller");

	assert_string_equal(out, "# 8 hits, by stack (calls: caller first)\n"
				 "# watch 0: rw4 jiffies (0xffffffff82000000)\n"
				 "# watch 1: w8 0x8 (0xffffffff82000008)\n"
				 "# Overhead      Hits\n"
				 "    87.50%         7  do_syscall_64\n"
				 "    62.50%         5    vfs_read\n"
				 "    62.50%         5      memcpy\n"
				 "    25.00%         2    ksys_write\n"
				 "    25.00%         2      memcpy\n"
				 "    12.50%         1  vfs_read\n"
				 "\n");
	free(out);
}

static void test_call_graph_callee_json(void **state)
{
	char *out = RF_OK(*state, "--call-graph", "callee", "--format", "json");

	assert_string_equal(
		out,
		"{\"hits\":8,\"percent\":100.0000,\"calls\":["
		"{\"name\":\"memcpy\",\"hits\":7,\"percent\":87.5000,\"calls\":["
		"{\"name\":\"vfs_read\",\"hits\":5,\"percent\":62.5000,\"calls\":["
		"{\"name\":\"do_syscall_64\",\"hits\":5,\"percent\":62.5000,\"calls\":[]}]},"
		"{\"name\":\"ksys_write\",\"hits\":2,\"percent\":25.0000,\"calls\":["
		"{\"name\":\"do_syscall_64\",\"hits\":2,\"percent\":25.0000,\"calls\":[]}]}]},"
		"{\"name\":\"vfs_read\",\"hits\":1,\"percent\":12.5000,\"calls\":[]}]}\n");
	free(out);
}

/* With other keys, a tree per group, percentages of all hits. */
static void test_call_graph_groups(void **state)
{
	char *out = RF_OK(*state, "--sort", "comm", "-g", "callee");

	assert_int_equal(rf_count_lines(out, "^    50.00%         4  alpha$"),
			 1);
	assert_int_equal(
		rf_count_lines(out, "^    50.00%         4    memcpy$"), 1);
	assert_int_equal(
		rf_count_lines(out, "^    12.50%         1      ksys_write$"),
		2);
	assert_int_equal(rf_count_lines(out, "^    12.50%         1  gamma$"),
			 1);
	free(out);
}

static void test_bad_sort(void **state)
{
	static const char *const bad[][2] = {
		{ "--sort", "bogus" },	      { "--sort", "comm,comm" },
		{ "--sort", "comm," },	      { "--sort", "" },
		{ "-g", "sideways" },	      { "--format", "nope" },
		{ "--time-format", "local" },
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

/* Views that cannot be combined are a usage error, not a guess. */
static void test_views_conflict(void **state)
{
	int st;

	free(rf_report(*state, &st, "--hits", "--sort", "comm", NULL));
	assert_int_equal(st, 2);
	free(rf_report(*state, &st, "--timeline", "-g", "caller", NULL));
	assert_int_equal(st, 2);
	free(rf_report(*state, &st, "--format", "folded", "--sort", "pid",
		       NULL));
	assert_int_equal(st, 2);
	/* --header is text or JSON (test_report_cli.c), nothing else. */
	free(rf_report(*state, &st, "--header", "--format", "folded", NULL));
	assert_int_equal(st, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sort_comm),
		cmocka_unit_test(test_sort_pid),
		cmocka_unit_test(test_sort_tid),
		cmocka_unit_test(test_sort_cpu),
		cmocka_unit_test(test_sort_watch),
		cmocka_unit_test(test_sort_value),
		cmocka_unit_test(test_sort_sym),
		cmocka_unit_test(test_sort_stack),
		cmocka_unit_test(test_sort_two_keys),
		cmocka_unit_test(test_sort_text_table),
		cmocka_unit_test(test_sort_text_stack),
		cmocka_unit_test(test_call_graph_caller),
		cmocka_unit_test(test_call_graph_callee_json),
		cmocka_unit_test(test_call_graph_groups),
		cmocka_unit_test(test_bad_sort),
		cmocka_unit_test(test_views_conflict),
	};

	return cmocka_run_group_tests(tests, rf_setup, rf_teardown);
}
