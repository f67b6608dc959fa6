// SPDX-License-Identifier: GPL-2.0
/*
 * The colour of a percentage (common/color.h), perf's thresholds: red
 * from 5%, green above 0.5%, none below; and a percentage printed with
 * and without colour.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "../../common/color.h"

static void test_thresholds(void **state)
{
	static const struct {
		double pct;
		const char *want;
	} cases[] = {
		{ 100, KM_COLOR_RED },
		{ 5.0, KM_COLOR_RED },
		{ 4.999, KM_COLOR_GREEN },
		{ 0.51, KM_COLOR_GREEN },
		{ 0.5, "" },
		{ 0.49, "" },
		{ 0, "" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (strcmp(km_percent_color(cases[i].pct), cases[i].want))
			fail_msg("%g%% has the wrong colour", cases[i].pct);
}

static char *printed(double pct, bool color)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);

	assert_non_null(f);
	km_print_percent(f, 9, pct, color);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static void test_print(void **state)
{
	static const struct {
		double pct;
		bool color;
		const char *want;
	} cases[] = {
		{ 62.5, true, KM_COLOR_RED "    62.50%" KM_COLOR_RESET },
		{ 1.25, true, KM_COLOR_GREEN "     1.25%" KM_COLOR_RESET },
		{ 0.25, true, "     0.25%" },
		{ 62.5, false, "    62.50%" },
		{ 1.25, false, "     1.25%" },
	};
	size_t i;
	char *got;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		got = printed(cases[i].pct, cases[i].color);
		assert_string_equal(got, cases[i].want);
		free(got);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_thresholds),
		cmocka_unit_test(test_print),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
