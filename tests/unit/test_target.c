// SPDX-License-Identifier: GPL-2.0
/* BP parsing (rw4 ...) and EXPR resolution (symbol, symbol+off, hex). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "../../common/error.h"
#include "../../common/trace/target.h"
#include "../../common/trace/trace_format.h"

static const char kallsyms[] = "ffffffff81000000 T _text\n"
			       "ffffffff81001000 T start_kernel\n"
			       "ffffffff81002000 D jiffies\n"
			       "ffffffff81003000 T add\n"
			       "ffffffff81004000 T vfs_read\n"
			       "ffffffff81005000 D counters\n";

static int setup_syms(void **state)
{
	static struct km_symtab t;

	if (km_symtab_from_kallsyms(&t, kallsyms, strlen(kallsyms)))
		return -1;
	*state = &t;
	return 0;
}

static int teardown_syms(void **state)
{
	km_symtab_free(*state);
	return 0;
}

static void test_bp_valid(void **state)
{
	static const struct {
		const char *s;
		uint32_t type;
	} kinds[] = {
		{ "r", KM_BP_R },
		{ "w", KM_BP_W },
		{ "rw", KM_BP_RW },
		{ "x", KM_BP_X },
	};
	static const uint32_t lens[] = { 1, 2, 4, 8 };
	char s[8];
	uint32_t type, len;
	size_t i, j;

	(void)state;
	for (i = 0; i < 4; i++) {
		for (j = 0; j < 4; j++) {
			snprintf(s, sizeof(s), "%s%u", kinds[i].s, lens[j]);
			type = len = 0;
			assert_int_equal(km_parse_bp(s, &type, &len), 0);
			assert_int_equal(type, kinds[i].type);
			assert_int_equal(len, lens[j]);
		}
	}
}

static void test_bp_invalid(void **state)
{
	static const char *const bad[] = {
		"rw3", "rw", "r16", "xx4",  "",	    "rw44", "W4",
		"r0",  "4",  "wr4", "rw-4", " rw4", "rw4 ", "r 4",
	};
	uint32_t type = 77, len = 77;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (km_parse_bp(bad[i], &type, &len) != -EINVAL)
			fail_msg("km_parse_bp accepted \"%s\"", bad[i]);
	}
	/* A failed parse leaves the outputs alone. */
	assert_int_equal(type, 77);
	assert_int_equal(len, 77);
}

static void test_bp_name(void **state)
{
	(void)state;
	assert_string_equal(km_bp_name(KM_BP_R), "r");
	assert_string_equal(km_bp_name(KM_BP_W), "w");
	assert_string_equal(km_bp_name(KM_BP_RW), "rw");
	assert_string_equal(km_bp_name(KM_BP_X), "x");
	assert_string_equal(km_bp_name(0), "?");
}

/* Resolves expr and checks the result. */
static void expect_addr(const struct km_symtab *t, const char *expr,
			uint64_t want)
{
	uint64_t addr = 0;
	int err = km_resolve_expr(expr, t, &addr);

	if (err)
		fail_msg("\"%s\" gave %d, want 0x%llx", expr, err,
			 (unsigned long long)want);
	if (addr != want)
		fail_msg("\"%s\" gave 0x%llx, want 0x%llx", expr,
			 (unsigned long long)addr, (unsigned long long)want);
}

static void expect_err(const struct km_symtab *t, const char *expr, int want)
{
	uint64_t addr = 0;
	int err = km_resolve_expr(expr, t, &addr);

	if (err != want)
		fail_msg("\"%s\" gave %d (addr 0x%llx), want %d",
			 expr ? expr : "(null)", err, (unsigned long long)addr,
			 want);
}

static void test_expr_symbols(void **state)
{
	const struct km_symtab *t = *state;

	expect_addr(t, "jiffies", 0xffffffff81002000);
	expect_addr(t, "jiffies+0x10", 0xffffffff81002010);
	expect_addr(t, "jiffies+16", 0xffffffff81002010);
	expect_addr(t, "jiffies+0", 0xffffffff81002000);
	expect_addr(t, "_text", 0xffffffff81000000);
	expect_addr(t, "counters+0X8", 0xffffffff81005008);
}

static void test_expr_hex(void **state)
{
	const struct km_symtab *t = *state;

	expect_addr(t, "0xffffffff81000000", 0xffffffff81000000);
	expect_addr(t, "0Xffffffff81000040", 0xffffffff81000040);
	expect_addr(t, "ffffffff81000000", 0xffffffff81000000);
	expect_addr(t, "FFFFFFFF81000008", 0xffffffff81000008);
	/* Not a symbol, but hex: read as a number. */
	expect_addr(t, "beef", 0xbeef);
	/* Without a table at all, hex still works. */
	expect_addr(NULL, "ffffffff81000000", 0xffffffff81000000);
	expect_addr(NULL, "0x10", 0x10);
}

/* A name the table knows wins over its hex reading. */
static void test_expr_hex_looking_symbol(void **state)
{
	const struct km_symtab *t = *state;

	expect_addr(t, "add", 0xffffffff81003000);
	expect_addr(t, "add+4", 0xffffffff81003004);
	/* ... unless 0x says it is a number. */
	expect_addr(t, "0xadd", 0xadd);
}

static void test_expr_errors(void **state)
{
	const struct km_symtab *t = *state;

	expect_err(t, "no_such_symbol", -ENOENT);
	expect_err(t, "no_such_symbol+0x10", -ENOENT);
	expect_err(NULL, "jiffies", -ENOENT);
	expect_err(t, "", -EINVAL);
	expect_err(t, NULL, -EINVAL);
	expect_err(t, "jiffies+", -EINVAL);
	expect_err(t, "jiffies+zz", -EINVAL);
	expect_err(t, "jiffies+0x", -EINVAL);
	expect_err(t, "jiffies+-1", -EINVAL);
	expect_err(t, "jiffies+ 1", -EINVAL);
	expect_err(t, "+16", -EINVAL);
	expect_err(t, "0x", -EINVAL);
	expect_err(t, "0xzz", -EINVAL);
	expect_err(t, "0x-1", -EINVAL);
	expect_err(t, "0x 10", -EINVAL);
	expect_err(t, "0x10zz", -EINVAL);
	/* 17 hex digits do not fit in 64 bits. */
	expect_err(t, "0x1ffffffffffffffff", -EINVAL);
}

/*
 * "0x" followed by another "0x" is not a hex address; strtoull(..., 16)
 * alone would skip the second prefix and read 0x10.
 */
static void test_expr_double_prefix(void **state)
{
	expect_err(*state, "0x0x10", -EINVAL);
}

/*
 * Kernel symbol names may be up to KSYM_NAME_LEN (512 since Linux 6.1,
 * for Rust's mangled names) long; such a name resolves like any other.
 */
static void test_expr_long_symbol(void **state)
{
	char name[400], text[512], expr[420];
	uint64_t addr = 0, addr_off = 0;
	struct km_symtab t;
	int err, err_off;

	(void)state;
	memset(name, 'a', sizeof(name) - 1);
	name[0] = '_';
	name[sizeof(name) - 1] = '\0';
	snprintf(text, sizeof(text), "ffffffff81006000 T %s\n", name);
	snprintf(expr, sizeof(expr), "%s+0x10", name);
	assert_int_equal(km_symtab_from_kallsyms(&t, text, strlen(text)), 0);
	assert_int_equal(t.nr, 1);
	err = km_resolve_expr(name, &t, &addr);
	err_off = km_resolve_expr(expr, &t, &addr_off);
	km_symtab_free(&t);
	if (err || err_off)
		fail_msg("a %zu-character symbol gave %d, with +0x10 %d",
			 strlen(name), err, err_off);
	assert_int_equal(addr, 0xffffffff81006000);
	assert_int_equal(addr_off, 0xffffffff81006010);
}

static void test_watch_parse_ok(void **state)
{
	struct km_watch w;

	assert_int_equal(km_watch_parse(&w, "rw4", "counters+4", *state), 0);
	assert_int_equal(w.type, KM_BP_RW);
	assert_int_equal(w.len, 4);
	assert_int_equal(w.addr, 0xffffffff81005004);
	assert_string_equal(w.expr, "counters+4");
	km_watch_free(&w);
	assert_null(w.expr);

	assert_int_equal(km_watch_parse(&w, "w8", "jiffies", *state), 0);
	assert_int_equal(w.type, KM_BP_W);
	assert_int_equal(w.len, 8);
	assert_int_equal(w.addr, 0xffffffff81002000);
	km_watch_free(&w);
}

/* Each failure prints one line on stderr: that is expected. */
static void test_watch_parse_errors(void **state)
{
	struct km_watch w;

	km_usage_error = 0;
	assert_int_equal(km_watch_parse(&w, "rw4", "0xffffffff81005001",
					*state),
			 -EINVAL);
	assert_null(w.expr);
	assert_int_equal(km_usage_error, 1);
	assert_int_equal(km_watch_parse(&w, "w8", "counters+4", *state),
			 -EINVAL);
	assert_int_equal(km_watch_parse(&w, "rw3", "jiffies", *state), -EINVAL);
	assert_int_equal(km_watch_parse(&w, "rw4", "vfs_raed", *state),
			 -ENOENT);
	assert_int_equal(km_watch_parse(&w, "rw4", "jiffies+zz", *state),
			 -EINVAL);
	assert_null(w.expr);
}

/* Without symbols: BP and EXPR syntax only; names are not judged. */
static void test_watch_check(void **state)
{
	uint32_t type, len;

	(void)state;
	assert_int_equal(km_watch_check("rw4", "jiffies", false, &type, &len),
			 0);
	assert_int_equal(type, KM_BP_RW);
	assert_int_equal(len, 4);
	assert_int_equal(km_watch_check("w8", "0xffffffff81000000", false,
					&type, &len),
			 0);
	assert_int_equal(km_watch_check("rw3", "jiffies", false, &type, &len),
			 -EINVAL);
	assert_int_equal(km_watch_check("rw4", "", false, &type, &len),
			 -EINVAL);
	assert_int_equal(km_watch_check("rw4", "jiffies+zz", false, &type,
					&len),
			 -EINVAL);
	/* A member path: any text, and the length may be left out. */
	assert_int_equal(km_watch_check("rw", "&se.x", true, &type, &len), 0);
	assert_int_equal(len, 0);
	assert_int_equal(km_watch_check("rw", "jiffies", false, &type, &len),
			 -EINVAL);
}

/* What "did you mean" for commands and symbols measures. */
static void test_edit_distance(void **state)
{
	(void)state;
	assert_int_equal(km_edit_distance("recrod", "record", 3), 2);
	assert_int_equal(km_edit_distance("report", "report", 3), 0);
	assert_int_equal(km_edit_distance("rw4", "record", 3), 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bp_valid),
		cmocka_unit_test(test_bp_invalid),
		cmocka_unit_test(test_bp_name),
		cmocka_unit_test(test_expr_symbols),
		cmocka_unit_test(test_expr_hex),
		cmocka_unit_test(test_expr_hex_looking_symbol),
		cmocka_unit_test(test_expr_errors),
		cmocka_unit_test(test_expr_double_prefix),
		cmocka_unit_test(test_expr_long_symbol),
		cmocka_unit_test(test_watch_parse_ok),
		cmocka_unit_test(test_watch_parse_errors),
		cmocka_unit_test(test_watch_check),
		cmocka_unit_test(test_edit_distance),
	};

	return cmocka_run_group_tests(tests, setup_syms, teardown_syms);
}
