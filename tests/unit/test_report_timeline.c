// SPDX-License-Identifier: GPL-2.0
/*
 * --timeline on traces whose hits are far apart: rows stay at most
 * 1,000 a watchpoint (several seconds a row), every hit is counted, and
 * a span of a few seconds keeps its row a second.
 */
#include <errno.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "report_fixture.h"

/* Hits of watch 0 at each of secs[] seconds after the start. */
static void write_at(const char *path, const uint64_t *secs, size_t n)
{
	struct km_trailer tr = { .seen = n };
	struct km_trace_writer w;
	struct km_hit h;
	size_t i;

	assert_int_equal(km_tw_create(&w, path), 0);
	rf_put_meta(&w);
	km_test_put_watch(&w, 0, KM_BP_RW, 4, 0xffffffff82000000, "jiffies");
	for (i = 0; i < n; i++) {
		memset(&h, 0, sizeof(h));
		h.time_ns = RF_START_NS + secs[i] * 1000000000ull;
		h.stack_id = KM_NO_STACK;
		strcpy(h.comm, "x");
		assert_int_equal(km_tw_hit(&w, &h), 0);
	}
	tr.end_ns = h.time_ns;
	assert_int_equal(km_tw_finish(&w, &tr), 0);
	km_tw_free(&w);
}

/* Sums the counts at the end of the row lines; *rows counts them. */
static uint64_t sum_rows(const char *text, int *rows)
{
	const char *line = text;
	uint64_t sum = 0;

	*rows = 0;
	while (line && *line) {
		const char *nl = strchr(line, '\n'), *sp;

		if (*line != '#' && *line != '\n') {
			sp = memrchr(line, ' ',
				     (nl ? nl : line + strlen(line)) - line);
			sum += strtoull(sp + 1, NULL, 10);
			(*rows)++;
		}
		line = nl ? nl + 1 : NULL;
	}
	return sum;
}

/* One hit at the start and one 10^9 s later: 1,000 rows, not 10^9. */
static void test_far_apart(void **state)
{
	const struct rf_fixture *fx = *state;
	static const uint64_t secs[] = { 0, 1, 1, 500000000, 1000000000 };
	char *out;
	int rows;

	write_at(fx->path, secs, 5);
	out = RF_OK(fx, "--timeline");
	assert_non_null(strstr(out, "5 hits, hits per 1000001 seconds"));
	assert_int_equal(sum_rows(out, &rows), 5);
	assert_true(rows <= 1000);
	assert_true(rows >= 999);
	free(out);

	out = RF_OK(fx, "--timeline", "--format", "json");
	assert_true(strlen(out) < 100000);
	assert_non_null(strstr(out, "{\"watch\":0,\"second\":0,"
				    "\"seconds\":1000001,\"hits\":3}"));
	free(out);
}

/* A short span is shown a second a row, empty seconds included. */
static void test_short_span(void **state)
{
	const struct rf_fixture *fx = *state;
	static const uint64_t secs[] = { 2, 2, 5 };
	char *out;
	int rows;

	write_at(fx->path, secs, 3);
	out = RF_OK(fx, "--timeline");
	assert_non_null(strstr(out, "3 hits, hits per second\n"));
	assert_int_equal(sum_rows(out, &rows), 3);
	assert_int_equal(rows, 4);
	assert_non_null(strstr(out, "      3s "));
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_far_apart),
		cmocka_unit_test(test_short_span),
	};

	return cmocka_run_group_tests(tests, rf_setup, rf_teardown);
}
