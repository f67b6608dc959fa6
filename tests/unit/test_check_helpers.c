// SPDX-License-Identifier: GPL-2.0
/*
 * What kmemsnoop check's lines are made of: outside text escaped for
 * the terminal, an error message captured instead of printed, and a
 * symbol's kallsyms line found even where addresses are hidden.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "../../common/error.h"
#include "../../common/escape.h"
#include "../../common/symbolize/ksyms.h"

static void test_escape_plain(void **state)
{
	char out[64];

	(void)state;
	assert_string_equal(km_escape_text(out, sizeof(out), "perf", 4),
			    "perf");
	assert_string_equal(km_escape_text(out, sizeof(out), "a b-c", 5),
			    "a b-c");
}

/*
 * A task name may carry a terminal's escape sequences: none gets out,
 * while UTF-8 text (the é) is shown as it is (tests/unit/test_escape.c
 * has the whole rule).
 */
static void test_escape_controls(void **state)
{
	static const char name[] = "e\033]0;x\a\\\x7f\xc3\xa9\n";
	char out[64];
	size_t i;

	(void)state;
	km_escape_text(out, sizeof(out), name, sizeof(name) - 1);
	assert_string_equal(out, "e\\x1b]0;x\\x07\\\\\\x7f\xc3\xa9\\x0a");
	for (i = 0; out[i]; i++)
		assert_true((unsigned char)out[i] >= 0x20 && out[i] != 0x7f);
}

/* Cut short, never in the middle of an escape; NUL-terminated. */
static void test_escape_truncates_whole(void **state)
{
	char out[6];

	(void)state;
	assert_string_equal(km_escape_text(out, sizeof(out), "ab\033cd", 5),
			    "ab");
	assert_string_equal(km_escape_text(out, sizeof(out), "abcdefgh", 8),
			    "abcde");
	assert_string_equal(km_escape_text(out, 1, "abc", 3), "");
	/* A NUL inside the length is a byte like any other. */
	assert_string_equal(km_escape_text(out, sizeof(out), "a\0b", 3),
			    "a\\x00");
}

/* The first error wins over what follows it and over warnings. */
static void test_err_capture(void **state)
{
	char buf[64];

	(void)state;
	km_err_capture(buf, sizeof(buf));
	assert_string_equal(buf, "");
	km_warn("a warning %d", 1);
	assert_string_equal(buf, "warning: a warning 1");
	km_warn("another warning");
	assert_string_equal(buf, "warning: a warning 1");
	km_err("the error: %s", "why");
	km_err("a consequence");
	km_warn("a late warning");
	km_err_capture(NULL, 0);
	assert_string_equal(buf, "the error: why");
	/* Captured again: a fresh start. */
	km_err_capture(buf, 8);
	km_err("long message, cut");
	km_err_capture(NULL, 0);
	assert_string_equal(buf, "long me");
}

static const char kallsyms[] = "ffffffff81000000 T _text\n"
			       "ffffffff81002000 D jiffies_64\n"
			       "ffffffff81002000 D jiffies\n"
			       "ffffffff81004000 T vfs_read\n"
			       "ffffffffc0001000 t vfs_read_hook\t[mod]\n"
			       "ffffffffc0002000 b jiffies_seen\t[mod]\n";

static const char hidden[] = "0000000000000000 T _text\n"
			     "0000000000000000 R __start_BTF\n"
			     "0000000000000000 t helper\t[mod]";

static void test_kallsyms_find(void **state)
{
	uint64_t addr;
	char type;

	(void)state;
	assert_int_equal(km_kallsyms_find(kallsyms, strlen(kallsyms), "jiffies",
					  &addr, &type),
			 0);
	assert_int_equal(addr, 0xffffffff81002000ull);
	assert_int_equal(type, 'D');
	assert_int_equal(km_kallsyms_find(kallsyms, strlen(kallsyms),
					  "vfs_read", &addr, &type),
			 0);
	assert_int_equal(addr, 0xffffffff81004000ull);
	assert_int_equal(type, 'T');
	/* Names that only start or end like one are not it. */
	assert_int_equal(km_kallsyms_find(kallsyms, strlen(kallsyms), "jiff",
					  &addr, &type),
			 -ENOENT);
	assert_int_equal(km_kallsyms_find(kallsyms, strlen(kallsyms), "read",
					  &addr, &type),
			 -ENOENT);
	assert_int_equal(km_kallsyms_find(kallsyms, strlen(kallsyms),
					  "jiffies_seen", &addr, &type),
			 0);
	assert_int_equal(type, 'b');
}

/* Where the kernel hides addresses the names are still listed. */
static void test_kallsyms_find_hidden(void **state)
{
	uint64_t addr = 1;
	char type;

	(void)state;
	assert_int_equal(km_kallsyms_find(hidden, strlen(hidden), "_text",
					  &addr, &type),
			 0);
	assert_int_equal(addr, 0);
	assert_int_equal(type, 'T');
	/* The last line may lack its newline. */
	assert_int_equal(km_kallsyms_find(hidden, strlen(hidden), "helper",
					  &addr, &type),
			 0);
	assert_int_equal(type, 't');
	assert_int_equal(km_kallsyms_find(hidden, strlen(hidden), "jiffies",
					  &addr, &type),
			 -ENOENT);
	assert_int_equal(km_kallsyms_find("", 0, "_text", &addr, &type),
			 -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape_plain),
		cmocka_unit_test(test_escape_controls),
		cmocka_unit_test(test_escape_truncates_whole),
		cmocka_unit_test(test_err_capture),
		cmocka_unit_test(test_kallsyms_find),
		cmocka_unit_test(test_kallsyms_find_hidden),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
