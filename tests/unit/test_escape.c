// SPDX-License-Identifier: GPL-2.0
/*
 * The one escaping rule (common/escape.h) for text and JSON: controls of
 * every kind escaped in every form they can take, UTF-8 text kept.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "../../common/escape.h"
#include "../../common/json.h"

struct text_case {
	const char *in;
	const char *text; /* km_escape_text's output */
	const char *json; /* km_json_str's output, quotes left out */
};

static const struct text_case cases[] = {
	{ "perf", "perf", "perf" },
	{ "a\\b\"c", "a\\\\b\"c", "a\\\\b\\\"c" },
	/* C0, ESC sequences, DEL. */
	{ "\033]0;pwned\a", "\\x1b]0;pwned\\x07", "\\u001b]0;pwned\\u0007" },
	{ "b\r\n#9 fake", "b\\x0d\\x0a#9 fake", "b\\u000d\\u000a#9 fake" },
	{ "\x7f", "\\x7f", "\\u007f" },
	/* C1: a raw byte (not UTF-8) and UTF-8-encoded CSI and OSC. */
	{ "\x9b"
	  "2J",
	  "\\x9b"
	  "2J",
	  "\\u009b"
	  "2J" },
	{ "\xc2\x9b"
	  "2J",
	  "\\xc2\\x9b"
	  "2J",
	  "\\u009b"
	  "2J" },
	{ "\xc2\x9d"
	  "0;t\a",
	  "\\xc2\\x9d"
	  "0;t\\x07",
	  "\\u009d"
	  "0;t\\u0007" },
	/* Bidirectional overrides reorder what a line shows. */
	{ "a\xe2\x80\xae"
	  "b",
	  "a\\xe2\\x80\\xae"
	  "b",
	  "a\\u202e"
	  "b" },
	{ "\xe2\x81\xa6", "\\xe2\\x81\\xa6", "\\u2066" },
	/* UTF-8 text as it is: 2, 3 and 4 bytes. */
	{ "caf\xc3\xa9", "caf\xc3\xa9", "caf\xc3\xa9" },
	{ "\xe6\x97\xa5\xe6\x9c\xac", "\xe6\x97\xa5\xe6\x9c\xac",
	  "\xe6\x97\xa5\xe6\x9c\xac" },
	{ "\xf0\x9f\x90\xa7", "\xf0\x9f\x90\xa7", "\xf0\x9f\x90\xa7" },
	/* Not UTF-8: each byte on its own. */
	{ "\xc0\x80", "\\xc0\\x80", "\\u00c0\\u0080" }, /* overlong NUL */
	{ "\xe0\x80\x9b", "\\xe0\\x80\\x9b", "\\u00e0\\u0080\\u009b" },
	{ "\xed\xa0\x80", "\\xed\\xa0\\x80", "\\u00ed\\u00a0\\u0080" },
	{ "\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80",
	  "\\u00f4\\u0090\\u0080\\u0080" },
	{ "\xc3", "\\xc3", "\\u00c3" }, /* cut short */
	{ "\xc3("
	  "x",
	  "\\xc3(x", "\\u00c3(x" },
};

static void test_text(void **state)
{
	char out[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		km_escape_text(out, sizeof(out), cases[i].in,
			       strlen(cases[i].in));
		if (strcmp(out, cases[i].text))
			fail_msg("case %zu: got '%s', want '%s'", i, out,
				 cases[i].text);
	}
}

/* Writes through km_put_text (or km_json_str) and returns what came. */
static char *captured(const char *in, bool json)
{
	static char buf[512];
	FILE *f = fmemopen(buf, sizeof(buf), "w");

	assert_non_null(f);
	if (json)
		km_json_str(f, in);
	else
		km_puts_text(f, in);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static void test_stream_same(void **state)
{
	char out[256], want[260];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		km_escape_text(out, sizeof(out), cases[i].in,
			       strlen(cases[i].in));
		assert_string_equal(captured(cases[i].in, false), out);
		snprintf(want, sizeof(want), "\"%s\"", cases[i].json);
		if (strcmp(captured(cases[i].in, true), want))
			fail_msg("case %zu: JSON '%s', want '%s'", i,
				 captured(cases[i].in, true), want);
	}
}

/*
 * Every string of up to 3 bytes drawn from the bytes that matter: no
 * output holds a C0 or DEL byte, a C1 byte outside a valid multi-byte
 * character, or a UTF-8-encoded C1 or bidirectional control.
 */
static void test_nothing_gets_out(void **state)
{
	static const unsigned char pick[] = { 0x00, 0x1b, 0x7f, 0x80, 0x9b,
					      0x9d, 0xae, 0xa6, 0xc2, 0xc3,
					      0xe2, 0x80, 0x81, 'a',  '\\' };
	size_t np = sizeof(pick), a, b, c, k, n;
	char in[4], out[64];
	uint32_t cp;

	(void)state;
	for (a = 0; a < np; a++)
		for (b = 0; b < np; b++)
			for (c = 0; c < np; c++) {
				in[0] = pick[a];
				in[1] = pick[b];
				in[2] = pick[c];
				km_escape_text(out, sizeof(out), in, 3);
				for (k = 0; out[k]; k += n) {
					n = km_utf8_next(out + k,
							 strlen(out + k), &cp);
					assert_true(n > 0);
					assert_false(km_cp_unsafe(cp));
				}
			}
}

/* Cut short, never in the middle of an escape or a character. */
static void test_truncates_whole(void **state)
{
	char out[6];

	(void)state;
	assert_string_equal(km_escape_text(out, sizeof(out), "ab\033cd", 5),
			    "ab");
	assert_string_equal(km_escape_text(out, sizeof(out), "abcd\xc3\xa9", 6),
			    "abcd");
	assert_string_equal(km_escape_text(out, 1, "abc", 3), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_stream_same),
		cmocka_unit_test(test_nothing_gets_out),
		cmocka_unit_test(test_truncates_whole),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
