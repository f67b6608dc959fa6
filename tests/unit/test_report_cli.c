// SPDX-License-Identifier: GPL-2.0
/*
 * report's command line as perf report's users type it: --stdio, -n,
 * -F, -k, -q, --percent-limit, --symfs, the pager on a terminal and
 * --no-pager, no SVG on a terminal, --header --format json, and --watch
 * in every view's heading.
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
#include "report_fixture.h"

/* report with stdout on a new terminal; returns its exit status. */
static int report_on_tty(const struct rf_fixture *fx, const char *a1,
			 const char *a2, const char *a3)
{
	char *argv[8] = { "report",   "-i",	  (char *)fx->path,
			  (char *)a1, (char *)a2, (char *)a3,
			  NULL };
	int master = posix_openpt(O_RDWR | O_NOCTTY), slave, saved, argc = 3;
	int status;

	assert_true(master >= 0);
	assert_int_equal(grantpt(master), 0);
	assert_int_equal(unlockpt(master), 0);
	slave = open(ptsname(master), O_RDWR | O_NOCTTY);
	assert_true(slave >= 0);
	while (argv[argc])
		argc++;
	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	dup2(slave, STDOUT_FILENO);
	close(slave);
	km_test_quiet();
	km_usage_error = 0;
	status = km_cmd_report(argc, argv);
	km_test_loud();
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	close(master);
	return status;
}

/* stderr of a report run (its stdout dropped), malloc'ed. */
static char *report_stderr(const struct rf_fixture *fx, const char *a1,
			   const char *a2)
{
	char *argv[8] = { "report",   "-i",	  (char *)fx->path,
			  (char *)a1, (char *)a2, NULL };
	int argc = a2 ? 5 : 4, saved, null;
	char path[320];
	size_t len;
	char *out;

	snprintf(path, sizeof(path), "%s/err", fx->dir);
	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	null = open("/dev/null", O_WRONLY);
	dup2(null, STDOUT_FILENO);
	close(null);
	km_test_capture_stderr(path);
	km_cmd_report(argc, argv);
	km_test_loud();
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	out = (char *)km_test_read_file(path, &len);
	out = realloc(out, len + 1);
	out[len] = '\0';
	return out;
}

static void test_perf_spellings(void **state)
{
	const struct rf_fixture *fx = *state;
	char *sort = RF_OK(fx, "-s", "comm,sym");
	char *fields = RF_OK(fx, "-F", "comm,sym");
	char *plain = RF_OK(fx, "--hits");
	char *stdio = RF_OK(fx, "--hits", "--stdio", "-n");
	int st1, st2;
	char *a, *b;

	assert_string_equal(sort, fields);
	assert_string_equal(plain, stdio);
	/* -k is --vmlinux: the same refusal of the same missing file. */
	a = rf_report(fx, &st1, "-k", "/nonexistent/vmlinux", NULL);
	b = rf_report(fx, &st2, "--vmlinux", "/nonexistent/vmlinux", NULL);
	assert_int_equal(st1, 1);
	assert_int_equal(st1, st2);
	free(a);
	free(b);
	free(sort);
	free(fields);
	free(plain);
	free(stdio);
}

/* The default view's stacks: A 6 of 8, B 2 of 8 hits (25%). */
static void test_percent_limit(void **state)
{
	const struct rf_fixture *fx = *state;
	char *all = RF_OK(fx, "--percent-limit", "0");
	char *cut = RF_OK(fx, "--percent-limit", "30");
	char *rows = RF_OK(fx, "-s", "comm", "--percent-limit", "30");
	int st;

	assert_true(rf_count_lines(all, "% +[0-9]+ hits$") >
		    rf_count_lines(cut, "% +[0-9]+ hits$"));
	assert_true(rf_count_lines(cut, "% +[0-9]+ hits$") >= 1);
	/* -s comm: alpha 4 (50%), beta 3 (37.5%), gamma 1 (12.5%). */
	assert_int_equal(rf_count_lines(rows, "^ +[0-9.]+% "), 2);
	free(rf_report(fx, &st, "--percent-limit", "101", NULL));
	assert_int_equal(st, KM_EXIT_USAGE);
	free(rf_report(fx, &st, "--percent-limit", "x", NULL));
	assert_int_equal(st, KM_EXIT_USAGE);
	free(all);
	free(cut);
	free(rows);
}

/* -q leaves out where symbols came from; errors still show. */
static void test_quiet(void **state)
{
	const struct rf_fixture *fx = *state;
	char *loud = report_stderr(fx, "--hits", NULL);
	char *quiet = report_stderr(fx, "--hits", "-q");

	assert_non_null(strstr(loud, "kmemsnoop: "));
	assert_string_equal(quiet, "");
	free(loud);
	free(quiet);
}

/* --symfs DIR is KMEMSNOOP_DEBUG_ROOT=DIR. */
static void test_symfs(void **state)
{
	const struct rf_fixture *fx = *state;
	char *out;
	int st;

	out = rf_report(fx, &st, "--symfs", fx->dir, "--hits", NULL);
	assert_int_equal(st, 0);
	assert_string_equal(getenv("KMEMSNOOP_DEBUG_ROOT"), fx->dir);
	free(out);
	setenv("KMEMSNOOP_DEBUG_ROOT", "/nonexistent", 1);
}

static void test_terminal(void **state)
{
	const struct rf_fixture *fx = *state;
	char paged[320], cmd[400];
	size_t len;
	char *out;

	/* An SVG is refused on a terminal, before anything is read. */
	assert_int_equal(report_on_tty(fx, "--format", "svg", NULL),
			 KM_EXIT_USAGE);

	/* On a terminal the report goes through the pager, LESS=FRX. */
	snprintf(paged, sizeof(paged), "%s/paged", fx->dir);
	snprintf(cmd, sizeof(cmd), "{ echo \"LESS=$LESS\"; cat; } > %s", paged);
	setenv("KMEMSNOOP_PAGER", cmd, 1);
	unsetenv("LESS");
	assert_int_equal(report_on_tty(fx, "--hits", NULL, NULL), 0);
	out = (char *)km_test_read_file(paged, &len);
	out = realloc(out, len + 1);
	out[len] = '\0';
	assert_true(!strncmp(out, "LESS=FRX\n", 9));
	/* Coloured, as for a terminal: less -R shows the colours. */
	assert_int_equal(rf_count_lines(out, "^\033\\[1;33m#[0-9]+ "),
			 RF_NR_HITS);
	free(out);

	/* --no-pager: nothing goes to the pager. */
	unlink(paged);
	assert_int_equal(report_on_tty(fx, "--hits", "--no-pager", NULL), 0);
	assert_int_equal(access(paged, F_OK), -1);
	unsetenv("KMEMSNOOP_PAGER");
}

static void test_header_json(void **state)
{
	const struct rf_fixture *fx = *state;
	char *out = RF_OK(fx, "--header", "--format", "json");

	assert_int_equal(rf_lines(out), 1);
	assert_non_null(strstr(out, "{\"kmemsnoop\":\"" KM_TOOL_VERSION
				    "\",\"schema\":1,"));
	assert_non_null(strstr(out, "\"kernel_release\":\"6.1.0-test\""));
	assert_non_null(strstr(out, "\"expr\":\"jiffies\""));
	assert_non_null(strstr(out, "\"complete\":true"));
	free(out);
}

/* --watch 1: the headings name watch 1 alone. */
static void test_watch_headings(void **state)
{
	const struct rf_fixture *fx = *state;
	char *sorted = RF_OK(fx, "-s", "comm", "--watch", "1");
	char *tree = RF_OK(fx, "-g", "caller", "--watch", "1");

	assert_int_equal(rf_count_lines(sorted, "^# watch "), 1);
	assert_int_equal(rf_count_lines(sorted, "^# watch 1: "), 1);
	assert_int_equal(rf_count_lines(tree, "^# watch 0: "), 0);
	free(sorted);
	free(tree);
}

/* --time with FROM after TO says so, rather than "bad --time". */
static void test_time_order(void **state)
{
	char *err = report_stderr(*state, "--time", "5,1");

	assert_non_null(strstr(err, "FROM (5) is after TO (1)"));
	assert_null(strchr(strchr(err, '\n') + 1, '\n'));
	free(err);
}

/*
 * What report wrote on a terminal, through a pager that keeps it
 * (KMEMSNOOP_PAGER); malloc'ed.
 */
static char *tty_output(const struct rf_fixture *fx, const char *a1,
			const char *a2, const char *a3)
{
	char paged[320], cmd[400];
	size_t len;
	char *out;

	snprintf(paged, sizeof(paged), "%s/paged", fx->dir);
	snprintf(cmd, sizeof(cmd), "cat > %s", paged);
	setenv("KMEMSNOOP_PAGER", cmd, 1);
	assert_int_equal(report_on_tty(fx, a1, a2, a3), 0);
	unsetenv("KMEMSNOOP_PAGER");
	out = (char *)km_test_read_file(paged, &len);
	out = realloc(out, len + 1);
	out[len] = '\0';
	return out;
}

#define RED_PERCENT "\033\\[31m +[0-9]+\\.[0-9]{2}%\033\\[m"

/*
 * On a terminal each percentage is in its colour (all of the fixture's
 * are 5% or more: red); with NO_COLOR, or into a file, none is.
 */
static void test_percent_colors(void **state)
{
	const struct rf_fixture *fx = *state;
	char *out;

	unsetenv("NO_COLOR");
	out = tty_output(fx, "-s", "comm", NULL);
	assert_int_equal(rf_count_lines(out, "^" RED_PERCENT "  +[0-9]+  "), 3);
	free(out);
	out = tty_output(fx, "-g", "caller", NULL);
	assert_int_equal(rf_count_lines(out, "^" RED_PERCENT "  "), 6);
	free(out);
	out = tty_output(fx, NULL, NULL, NULL);
	assert_int_equal(rf_count_lines(out, "^" RED_PERCENT "  [0-9]+ hits$"),
			 5);
	free(out);

	setenv("NO_COLOR", "1", 1);
	out = tty_output(fx, "-s", "comm", NULL);
	assert_null(strchr(out, '\033'));
	assert_int_equal(rf_count_lines(out, "^ +[0-9.]+%  "), 3);
	free(out);
	unsetenv("NO_COLOR");
	out = RF_OK(fx, "-g", "caller");
	assert_null(strchr(out, '\033'));
	free(out);
}

/* A bad --max-stack: one line on stderr naming it, exit status 2. */
static void test_max_stack_bad(void **state)
{
	static const char *const bad[] = { "-1", "x", "", "3frames" };
	char *err;
	size_t i;
	int st;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		free(rf_report(*state, &st, "--max-stack", bad[i], NULL));
		assert_int_equal(st, KM_EXIT_USAGE);
		err = report_stderr(*state, "--max-stack", bad[i]);
		if (!strstr(err, "bad --max-stack '"))
			fail_msg("--max-stack '%s' said: %s", bad[i], err);
		assert_null(strchr(strchr(err, '\n') + 1, '\n'));
		free(err);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_perf_spellings),
		cmocka_unit_test(test_percent_limit),
		cmocka_unit_test(test_quiet),
		cmocka_unit_test(test_symfs),
		cmocka_unit_test(test_terminal),
		cmocka_unit_test(test_header_json),
		cmocka_unit_test(test_watch_headings),
		cmocka_unit_test(test_time_order),
		cmocka_unit_test(test_max_stack_bad),
		cmocka_unit_test(test_percent_colors),
	};

	return cmocka_run_group_tests(tests, rf_setup, rf_teardown);
}
