// SPDX-License-Identifier: GPL-2.0
/*
 * A well-formed trace whose every string is an attack on the terminal:
 * hostname, release, command line, filters, watch expression and
 * object, kallsyms names, task names. Every text view of report must
 * print none of it raw (common/escape.h): the output is valid UTF-8
 * with no C0 control but tab and newline, no DEL, no C1 control and no
 * bidirectional override. Checked with glibc's iconv and byte patterns
 * written here, not with the escaping code itself.
 */
#include <errno.h>
#include <iconv.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "report_fixture.h"

/* Forges a line, retitles the window, clears the screen, reorders. */
#define EVIL                              \
	"a\r\n#9 fake\033]0;pw\a\xc2\x9b" \
	"2J\x9b\xe2\x80\xae"

static const char evil_kallsyms[] = "ffffffff81000000 T _text\n"
				    "ffffffff81001000 T vfs\033]0;pw\aread\n"
				    "ffffffff81002000 T mem\xc2\x9d"
				    "cpy\n"
				    "ffffffff81003000 T do\xe2\x80\xae"
				    "syscall\n"
				    "ffffffff81004000 T ksys\x9b"
				    "write\n"
				    "ffffffff81005000 T _etext\n";

static void put_meta(struct km_trace_writer *w)
{
	static const int strs[] = { KM_META_RELEASE,	 KM_META_KVERSION,
				    KM_META_MACHINE,	 KM_META_HOSTNAME,
				    KM_META_CMDLINE,	 KM_META_FILTERS,
				    KM_META_TOOL_VERSION };
	struct km_buf b = { 0 };
	size_t i;

	for (i = 0; i < sizeof(strs) / sizeof(strs[0]); i++)
		assert_int_equal(km_tlv_put_str(&b, strs[i], EVIL), 0);
	assert_int_equal(
		km_tlv_put_u64(&b, KM_META_REALTIME_NS, RF_REALTIME_NS), 0);
	assert_int_equal(km_tlv_put_u64(&b, KM_META_MONOTONIC_NS, RF_START_NS),
			 0);
	assert_int_equal(km_tlv_put_u64(&b, KM_META_NR_CPUS, 2), 0);
	assert_int_equal(km_tw_chunk(w, KM_CHUNK_META, b.data, b.len), 0);
	km_buf_free(&b);
}

static void put_watch(struct km_trace_writer *w)
{
	struct km_buf b = { 0 };

	assert_int_equal(km_tlv_put_u64(&b, KM_WATCH_INDEX, 0), 0);
	assert_int_equal(km_tlv_put_u64(&b, KM_WATCH_TYPE, KM_BP_RW), 0);
	assert_int_equal(km_tlv_put_u64(&b, KM_WATCH_LEN, 4), 0);
	assert_int_equal(km_tlv_put_u64(&b, KM_WATCH_ADDR, 0xffffffff82000000),
			 0);
	assert_int_equal(km_tlv_put_str(&b, KM_WATCH_EXPR, "&" EVIL), 0);
	assert_int_equal(km_tlv_put_str(&b, KM_WATCH_OBJECT, "struct " EVIL),
			 0);
	assert_int_equal(km_tw_chunk(w, KM_CHUNK_WATCH, b.data, b.len), 0);
	km_buf_free(&b);
}

static void write_evil(const char *path)
{
	static const char *const comms[] = { "\033]0;pw\a\xc2\x9b"
					     "2J",
					     "b\r\n#9 fake",
					     "\xe2\x80\xae"
					     "gnp.exe",
					     "caf\xc3\xa9" };
	struct km_trailer tr = { .seen = 8,
				 .end_ns = RF_START_NS + 4000000000 };
	struct km_trace_writer w;
	struct km_hit h;
	int i;

	assert_int_equal(km_tw_create(&w, path), 0);
	put_meta(&w);
	put_watch(&w);
	assert_int_equal(km_tw_chunk(&w, KM_CHUNK_KALLSYMS, evil_kallsyms,
				     strlen(evil_kallsyms)),
			 0);
	for (i = 0; i < 8; i++) {
		memset(&h, 0, sizeof(h));
		h.time_ns = RF_START_NS + i * 500000000ull;
		h.cpu = i & 1;
		h.pid = h.tid = 100 + i % 4;
		snprintf(h.comm, sizeof(h.comm), "%s", comms[i % 4]);
		h.addr = 0xffffffff82000000;
		h.frames = i & 1 ? rf_stack_a : rf_stack_b;
		h.nr_frames = 3;
		h.ip = h.frames[0];
		assert_int_equal(km_tw_hit(&w, &h), 0);
	}
	assert_int_equal(km_tw_finish(&w, &tr), 0);
	km_tw_free(&w);
}

static int setup(void **state)
{
	struct rf_fixture *fx;

	rf_setup(state);
	fx = *state;
	write_evil(fx->path);
	return 0;
}

/* Whether glibc's iconv takes text as UTF-8 from start to end. */
static bool valid_utf8(const char *text)
{
	iconv_t cd = iconv_open("UTF-8", "UTF-8");
	size_t in_left = strlen(text), out_left = 4 * in_left + 16;
	char *out = malloc(out_left), *in = (char *)text, *o = out;
	bool ok;

	assert_true(cd != (iconv_t)-1);
	assert_non_null(out);
	ok = iconv(cd, &in, &in_left, &o, &out_left) != (size_t)-1 && !in_left;
	iconv_close(cd);
	free(out);
	return ok;
}

/* The first thing in text a terminal would act on, or NULL. */
static const char *unsafe(const char *text)
{
	static const char *const seqs[] = {
		"\xc2\x80",	"\xc2\x8f",	"\xc2\x90",	"\xc2\x9b",
		"\xc2\x9d",	"\xc2\x9f",	"\xe2\x80\x8e", "\xe2\x80\x8f",
		"\xe2\x80\xaa", "\xe2\x80\xab", "\xe2\x80\xac", "\xe2\x80\xad",
		"\xe2\x80\xae", "\xe2\x81\xa6", "\xe2\x81\xa7", "\xe2\x81\xa8",
		"\xe2\x81\xa9", "\xd8\x9c",
	};
	const unsigned char *p;
	size_t i;

	if (!valid_utf8(text))
		return "bytes that are not UTF-8";
	for (p = (const unsigned char *)text; *p; p++)
		if ((*p < 0x20 && *p != '\n' && *p != '\t') || *p == 0x7f)
			return "a C0 control or DEL";
	for (i = 0; i < sizeof(seqs) / sizeof(seqs[0]); i++)
		if (strstr(text, seqs[i]))
			return "a C1 control or a bidirectional override";
	return NULL;
}

static void check_view(const struct rf_fixture *fx, const char *what,
		       const char *out, const char *must_show)
{
	const char *bad = unsafe(out);

	if (bad)
		fail_msg("report %s lets through %s", what, bad);
	if (!*out)
		fail_msg("report %s printed nothing", what);
	if (must_show && !strstr(out, must_show))
		fail_msg("report %s does not show '%s' in:\n%s", what,
			 must_show, out);
	(void)fx;
}

/* report with up to four arguments (NULL after the last), checked. */
static void view(const struct rf_fixture *fx, const char *show, const char *a1,
		 const char *a2, const char *a3, const char *a4)
{
	char what[128];
	int status;
	char *out = rf_report(fx, &status, a1, a2, a3, a4, NULL);

	snprintf(what, sizeof(what), "%s %s %s %s", a1 ? a1 : "",
		 a1 && a2 ? a2 : "", a2 && a3 ? a3 : "", a3 && a4 ? a4 : "");
	assert_int_equal(status, 0);
	check_view(fx, what, out, show);
	free(out);
}

static void test_text_views(void **state)
{
	const struct rf_fixture *fx = *state;

	view(fx, "hostname: a\\x0d\\x0a#9 fake\\x1b]0;pw\\x07\\xc2\\x9b2J",
	     "--header", NULL, NULL, NULL);
	view(fx, "comm \\x1b]0;pw\\x07\\xc2\\x9b2J watch", "--hits", NULL, NULL,
	     NULL);
	view(fx, "vfs\\x1b]0;pw\\x07read", "--hits", NULL, NULL, NULL);
	view(fx, "caf\xc3\xa9", "--hits", NULL, NULL, NULL);
	view(fx, "# watch 0: rw4 &a\\x0d\\x0a#9 fake", NULL, NULL, NULL, NULL);
	view(fx, "mem\\xc2\\x9dcpy", "-s", "comm,sym", NULL, NULL);
	view(fx, "do\\xe2\\x80\\xaesyscall", "-g", "caller", NULL, NULL);
	view(fx, NULL, "-s", "comm", "-g", "callee");
	view(fx, NULL, "--timeline", NULL, NULL, NULL);
	view(fx, "b\\x0d\\x0a#9_fake;", "--format", "folded", NULL, NULL);
	view(fx, "ksys\\x9bwrite+0x20", "--format", "perf-script", NULL, NULL);
}

/* JSON escapes the same characters as \uXXXX and keeps UTF-8 text. */
static void test_json(void **state)
{
	const struct rf_fixture *fx = *state;
	char *out = RF_OK(fx, "--format", "json");

	assert_null(unsafe(out));
	assert_non_null(
		strstr(out, "\"comm\":\"\\u001b]0;pw\\u0007\\u009b2J\""));
	assert_non_null(strstr(out, "\"comm\":\"\\u202egnp.exe\""));
	assert_non_null(strstr(out, "\"comm\":\"caf\xc3\xa9\""));
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_views),
		cmocka_unit_test(test_json),
	};

	return cmocka_run_group_tests(tests, setup, rf_teardown);
}
