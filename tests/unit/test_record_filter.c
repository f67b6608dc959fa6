// SPDX-License-Identifier: GPL-2.0
/*
 * record's and live mode's task filter lists: -p, --tid and --comm take
 * comma-separated lists, a repeated option adds to its list, each list
 * has its bound, and what is refused is refused as a usage error with
 * one line saying why. Also the trace header's description of them.
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "../../common/error.h"
#include "../../record/capture/filter.h"
#include "../../record/options.h"

static char msg[1024];

/* km_opts_parse of "record ARGS... rw4 jiffies"; the first error in msg. */
static int parse(struct km_opts *o, ...)
{
	char *argv[64] = { "record", "-o", "t" };
	int argc = 3, err;
	va_list ap;

	va_start(ap, o);
	while ((argv[argc] = va_arg(ap, char *)))
		argc++;
	va_end(ap);
	argv[argc++] = "rw4";
	argv[argc++] = "jiffies";
	argv[argc] = NULL;
	memset(o, 0, sizeof(*o));
	o->record = true;
	km_usage_error = 0;
	km_err_capture(msg, sizeof(msg));
	err = km_opts_parse(o, argc, argv);
	km_err_capture(NULL, 0);
	km_opts_free(o);
	return err;
}

/* f's description for the trace header. */
static const char *describe(const struct kmemsnoop_filter *f)
{
	static char buf[1024];

	km_filter_describe(f, buf, sizeof(buf));
	return buf;
}

/* A pid nobody has now, counting down from the largest there can be. */
static pid_t free_pid(void)
{
	pid_t pid;

	for (pid = 4194303; pid > 300; pid--)
		if (kill(pid, 0) && errno == ESRCH)
			return pid;
	fail_msg("no free pid");
	return 0;
}

/* The lists, in order, each item once, and the header's words for them. */
static void test_lists(void **state)
{
	struct km_opts o;
	char self[16], both[32], want[128];

	(void)state;
	snprintf(self, sizeof(self), "%d", getpid());
	snprintf(both, sizeof(both), "1,%d", getpid());
	assert_int_equal(parse(&o, "-p", both, "--tid", self, "--comm",
			       "sh,trigger", NULL),
			 0);
	assert_int_equal(o.filter.nr_pids, 2);
	assert_int_equal(o.filter.pids[0], 1);
	assert_int_equal(o.filter.pids[1], getpid());
	assert_int_equal(o.filter.nr_tids, 1);
	assert_int_equal(o.filter.tids[0], getpid());
	assert_int_equal(o.filter.nr_comms, 2);
	/* Zero after the NUL: the BPF program compares whole words. */
	assert_memory_equal(o.filter.comms[0], "sh\0\0\0\0\0\0\0\0\0\0\0\0\0",
			    KM_COMM_LEN);
	assert_memory_equal(o.filter.comms[1], "trigger\0\0\0\0\0\0\0\0",
			    KM_COMM_LEN);
	snprintf(want, sizeof(want), "pid=1,%d tid=%d comm=sh,trigger",
		 getpid(), getpid());
	assert_string_equal(describe(&o.filter), want);
	/* Long options and the 15-byte name the kernel keeps at most. */
	assert_int_equal(
		parse(&o, "--pid", self, "--comm", "0123456789abcde", NULL), 0);
	snprintf(want, sizeof(want), "pid=%d comm=0123456789abcde", getpid());
	assert_string_equal(describe(&o.filter), want);
	/* A name's separators escaped, so no one takes its rest for a key. */
	memset(&o, 0, sizeof(o));
	assert_int_equal(parse(&o, "--comm", "Web Content,a=b\\c", NULL), 0);
	assert_string_equal(describe(&o.filter),
			    "comm=Web\\x20Content,a\\x3db\\x5cc");
}

/* -p A -p B is -p A,B; the same for --tid and --comm; duplicates count once. */
static void test_repeats_add_up(void **state)
{
	struct km_opts once, twice;
	char self[16], both[32];

	(void)state;
	snprintf(self, sizeof(self), "%d", getpid());
	snprintf(both, sizeof(both), "1,%d", getpid());
	assert_int_equal(parse(&once, "-p", both, "--tid", both, "--comm",
			       "a,b,c", NULL),
			 0);
	assert_int_equal(parse(&twice, "-p", "1", "--tid", "1", "--comm", "a",
			       "-p", self, "--tid", self, "--comm", "b,c",
			       NULL),
			 0);
	assert_int_equal(twice.filter.nr_pids, 2);
	assert_int_equal(twice.filter.nr_tids, 2);
	assert_int_equal(twice.filter.nr_comms, 3);
	assert_memory_equal(&once.filter, &twice.filter, sizeof(once.filter));

	assert_int_equal(parse(&twice, "-p", "1,1", "--pid", "1", "--comm",
			       "a,a", "--comm", "a", NULL),
			 0);
	assert_int_equal(twice.filter.nr_pids, 1);
	assert_int_equal(twice.filter.nr_comms, 1);
	assert_string_equal(describe(&twice.filter), "pid=1 comm=a");
}

/* A refusal: a usage error (exit 2) and one line that says what. */
static void refused(int err, const char *want)
{
	assert_true(err < 0);
	assert_int_equal(km_exit_status(err), KM_EXIT_USAGE);
	if (!strstr(msg, want))
		fail_msg("the message '%s' does not say '%s'", msg, want);
	assert_null(strchr(msg, '\n'));
}

static void test_bad_items(void **state)
{
	static const char *const ids[] = {
		"",	      ",",    "1,",	    ",1",
		"1,,2",	      "0",    "-1",	    "+1",
		"1x",	      "0x10", "1-3",	    " 1",
		"1 ",	      "1;2",  "4294967296", "99999999999999999999",
		"2147483648",
	};
	struct km_opts o;
	char want[64], list[32];
	pid_t free;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		refused(parse(&o, "-p", ids[i], NULL), "bad pid '");
		refused(parse(&o, "--tid", ids[i], NULL), "bad tid '");
		assert_true(
			strstr(msg, "positive numbers separated by commas"));
	}
	/* The bad item, and the list it is in when there is more. */
	refused(parse(&o, "-p", "1,,2", NULL), "bad pid '' in '1,,2'");
	refused(parse(&o, "-p", ",", NULL), "bad pid '' in ','");
	refused(parse(&o, "-p", "1,0", NULL), "bad pid '0' in '1,0'");
	refused(parse(&o, "--pid", "0", NULL), "bad pid '0': ");
	refused(parse(&o, "--tid", "-5", NULL), "bad tid '-5': ");

	refused(parse(&o, "--comm", "", NULL), "bad command name '': ");
	refused(parse(&o, "--comm", "a,,b", NULL),
		"bad command name '' in 'a,,b'");
	refused(parse(&o, "--comm", "a,", NULL), "bad command name '' in 'a,'");
	refused(parse(&o, "--comm", "sh,0123456789abcdef", NULL),
		"bad command name '0123456789abcdef' in 'sh,0123456789abcdef'");
	assert_true(strstr(msg, "1 to 15 bytes"));

	/* Each one listed must exist, as a single one must. */
	free = free_pid();
	snprintf(list, sizeof(list), "1,%d", free);
	snprintf(want, sizeof(want), "-p %d: there is no process %d", free,
		 free);
	refused(parse(&o, "-p", list, NULL), want);
	snprintf(list, sizeof(list), "%d,%d", getpid(), free);
	snprintf(want, sizeof(want), "--tid %d: there is no thread %d", free,
		 free);
	refused(parse(&o, "--tid", list, NULL), want);
}

/* n distinct numbers from 1, comma-separated, into buf. */
static char *numbers(char *buf, size_t size, int from, int n)
{
	size_t len = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < n; i++)
		len += snprintf(buf + len, size - len, "%s%d", i ? "," : "",
				from + i);
	return buf;
}

/* The bounds, counted over every repeat of the option, duplicates once. */
static void test_bounds(void **state)
{
	struct kmemsnoop_filter f = { 0 };
	char buf[256];

	(void)state;
	km_err_capture(msg, sizeof(msg));
	assert_int_equal(
		km_filter_pids(&f, numbers(buf, sizeof(buf), 1, KM_MAX_PIDS)),
		0);
	assert_int_equal(f.nr_pids, KM_MAX_PIDS);
	assert_int_equal(km_filter_pids(&f, "1,2,16"), 0);
	km_usage_error = 0;
	refused(km_filter_pids(&f, "17"), "too many pids");
	assert_true(strstr(msg, "at most 16"));

	memset(&f, 0, sizeof(f));
	assert_int_equal(km_filter_tids(&f, numbers(buf, sizeof(buf), 100,
						    KM_MAX_TIDS - 1)),
			 0);
	km_err_capture(msg, sizeof(msg));
	km_usage_error = 0;
	refused(km_filter_tids(&f, "1,2"), "too many tids");
	assert_true(strstr(msg, "at most 16"));

	memset(&f, 0, sizeof(f));
	assert_int_equal(km_filter_comms(&f, "a,b,c,d"), 0);
	assert_int_equal(km_filter_comms(&f, "e,f,g,h,a"), 0);
	assert_int_equal(f.nr_comms, KM_MAX_COMMS);
	km_err_capture(msg, sizeof(msg));
	km_usage_error = 0;
	refused(km_filter_comms(&f, "i"), "too many command names");
	assert_true(strstr(msg, "at most 8"));
	km_err_capture(NULL, 0);

	/* Through the command line: the 17th pid is refused before any
	 * pid is looked for. */
	refused(parse(&(struct km_opts){ 0 }, "-p",
		      numbers(buf, sizeof(buf), 1, 10), "-p",
		      numbers(buf + 128, 128, 11, 7), NULL),
		"too many pids");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lists),
		cmocka_unit_test(test_repeats_add_up),
		cmocka_unit_test(test_bad_items),
		cmocka_unit_test(test_bounds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
