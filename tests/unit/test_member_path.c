// SPDX-License-Identifier: GPL-2.0
/*
 * Member paths over BTF (common/btf_path.c), on BTF built here with
 * libbpf's btf__add_* API, so no kernel is needed:
 *
 *   typedef unsigned long u64;
 *   struct inner { int a; u64 b; };                        16 bytes
 *   struct outer {                                         96 bytes
 *           int first;                          0
 *           struct inner in;                    8
 *           struct inner *pin;                 24
 *           char name[16];                     32
 *           union { int ua; char uc[4]; };     48
 *           struct { int sx; int sy; };        52
 *           const volatile u64 cv;             64
 *           struct outer *next;                72
 *           struct inner **pp;                 80
 *           void *opaque;                      88
 *           unsigned int flag:1, mode:3;       92 (bits 736, 737-739)
 *           int tail[];                        96
 *   };
 *   typedef struct outer outer_t;
 *   union number { int i; u64 l; };
 *   struct wide { int member_000; ... int member_199; };
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <bpf/btf.h>
#include "../../common/btf_path.h"
#include "../../common/trace/target.h"
#include "../../common/trace/trace_format.h"

struct fixture {
	struct btf *btf;
	int outer, outer_t, number, inner, wide;
};

static struct fixture fx;

/* struct wide { int member_000; ... int member_199; }: too many to list. */
static int add_wide(struct btf *b, int i32)
{
	char name[32];
	int i;

	fx.wide = btf__add_struct(b, "wide", 200 * 4);
	for (i = 0; i < 200; i++) {
		snprintf(name, sizeof(name), "member_%03d", i);
		btf__add_field(b, name, i32, i * 32, 0);
	}
	return fx.wide;
}

static int add_types(struct btf *b)
{
	int i32, chr, u32, ul, u64, inner, pinner, chr16, anon_u, chr4;
	int anon_s, cvu64, outer, pouter, ppinner, pvoid, flex;

	i32 = btf__add_int(b, "int", 4, BTF_INT_SIGNED);
	chr = btf__add_int(b, "char", 1, BTF_INT_SIGNED | BTF_INT_CHAR);
	u32 = btf__add_int(b, "unsigned int", 4, 0);
	ul = btf__add_int(b, "long unsigned int", 8, 0);
	u64 = btf__add_typedef(b, "u64", ul);

	inner = btf__add_struct(b, "inner", 16);
	btf__add_field(b, "a", i32, 0, 0);
	btf__add_field(b, "b", u64, 64, 0);
	fx.inner = inner;

	pinner = btf__add_ptr(b, inner);
	chr16 = btf__add_array(b, i32, chr, 16);
	chr4 = btf__add_array(b, i32, chr, 4);
	anon_u = btf__add_union(b, NULL, 4);
	btf__add_field(b, "ua", i32, 0, 0);
	btf__add_field(b, "uc", chr4, 0, 0);
	anon_s = btf__add_struct(b, NULL, 8);
	btf__add_field(b, "sx", i32, 0, 0);
	btf__add_field(b, "sy", i32, 32, 0);
	cvu64 = btf__add_const(b, btf__add_volatile(b, u64));
	flex = btf__add_array(b, i32, i32, 0);

	ppinner = btf__add_ptr(b, pinner);
	pvoid = btf__add_ptr(b, 0);
	/* Fields go to the last type added, so the pointer to struct
	 * outer comes first, naming the id outer is about to get. */
	pouter = btf__add_ptr(b, btf__type_cnt(b) + 1);
	outer = btf__add_struct(b, "outer", 96);
	if (outer != pouter + 1)
		return -1;
	btf__add_field(b, "first", i32, 0, 0);
	btf__add_field(b, "in", inner, 64, 0);
	btf__add_field(b, "pin", pinner, 192, 0);
	btf__add_field(b, "name", chr16, 256, 0);
	btf__add_field(b, NULL, anon_u, 384, 0);
	btf__add_field(b, NULL, anon_s, 416, 0);
	btf__add_field(b, "cv", cvu64, 512, 0);
	btf__add_field(b, "next", pouter, 576, 0);
	btf__add_field(b, "pp", ppinner, 640, 0);
	btf__add_field(b, "opaque", pvoid, 704, 0);
	btf__add_field(b, "flag", u32, 736, 1);
	btf__add_field(b, "mode", u32, 737, 3);
	btf__add_field(b, "tail", flex, 768, 0);
	fx.outer = outer;
	fx.outer_t = btf__add_typedef(b, "outer_t", outer);
	fx.number = btf__add_union(b, "number", 8);
	btf__add_field(b, "i", i32, 0, 0);
	btf__add_field(b, "l", u64, 0, 0);
	return add_wide(b, i32);
}

static int setup(void **state)
{
	(void)state;
	fx.btf = btf__new_empty();
	return !fx.btf || add_types(fx.btf) < 0 ? -1 : 0;
}

static int teardown(void **state)
{
	(void)state;
	btf__free(fx.btf);
	return 0;
}

/* Walks path from struct outer, expecting success. */
static struct km_member_path walk_ok(const char *path)
{
	struct km_member_path p;
	int err = km_member_path(fx.btf, fx.outer, path, &p);

	if (err)
		fail_msg("'%s': %d, %s", path, err, p.err);
	return p;
}

static void expect_fail(const char *path, int want, const char *msg)
{
	struct km_member_path p;
	int err = km_member_path(fx.btf, fx.outer, path, &p);

	if (err != want)
		fail_msg("'%s': %d, want %d (%s)", path, err, want, p.err);
	if (!strstr(p.err, msg))
		fail_msg("'%s': message '%s' lacks '%s'", path, p.err, msg);
}

static void test_plain_members(void **state)
{
	struct km_member_path p;

	(void)state;
	p = walk_ok("&first");
	assert_true(p.addr_of);
	assert_int_equal(p.nr_derefs, 0);
	assert_int_equal(p.off, 0);
	assert_int_equal(p.size, 4);
	assert_string_equal(p.type_name, "int");
	assert_string_equal(p.field, "first");

	p = walk_ok("&in.b");
	assert_int_equal(p.off, 8 + 8);
	assert_int_equal(p.size, 8);
	assert_string_equal(p.type_name, "u64");

	p = walk_ok(" & in . a ");
	assert_int_equal(p.off, 8);
	assert_string_equal(p.field, "in.a");
}

static void test_arrays(void **state)
{
	struct km_member_path p;

	(void)state;
	p = walk_ok("&name");
	assert_int_equal(p.off, 32);
	assert_int_equal(p.size, 16);
	assert_string_equal(p.type_name, "char[16]");
	p = walk_ok("&name[15]");
	assert_int_equal(p.off, 47);
	assert_int_equal(p.size, 1);
	p = walk_ok("&name[0x3]");
	assert_int_equal(p.off, 35);
	expect_fail(
		"&name[16]", -ERANGE,
		"index 16 is past the end of name (char[16]: indices 0 to 15)");
	/* A flexible array member has no end to check against. */
	p = walk_ok("&tail[1000]");
	assert_int_equal(p.off, 96 + 4000);
	assert_int_equal(p.size, 4);
	expect_fail("&first[0]", -EINVAL, "only arrays and pointers take [N]");
}

/* Members of anonymous unions and structs are the holder's, as in C. */
static void test_anonymous(void **state)
{
	struct km_member_path p;

	(void)state;
	p = walk_ok("&ua");
	assert_int_equal(p.off, 48);
	p = walk_ok("&uc[2]");
	assert_int_equal(p.off, 50);
	p = walk_ok("&sy");
	assert_int_equal(p.off, 56);
	assert_int_equal(p.size, 4);
}

/* const, volatile and typedefs are looked through, and named. */
static void test_modifiers_typedefs(void **state)
{
	struct km_member_path p;
	int err;

	(void)state;
	p = walk_ok("&cv");
	assert_int_equal(p.off, 64);
	assert_int_equal(p.size, 8);
	assert_non_null(strstr(p.type_name, "const"));
	assert_non_null(strstr(p.type_name, "volatile"));
	assert_non_null(strstr(p.type_name, "u64"));
	/* The root may be a typedef of a struct, or a union. */
	err = km_member_path(fx.btf, fx.outer_t, "&in.b", &p);
	assert_int_equal(err, 0);
	assert_int_equal(p.off, 16);
	err = km_member_path(fx.btf, fx.number, "&l", &p);
	assert_int_equal(err, 0);
	assert_int_equal(p.off, 0);
	assert_int_equal(p.size, 8);
	err = km_member_path(fx.btf, 1, "&x", &p);
	assert_int_equal(err, -EINVAL);
	assert_non_null(strstr(p.err, "no struct or union"));
}

/* '->' reads a pointer: the base moves to what it points to. */
static void test_pointer_steps(void **state)
{
	struct km_member_path p;

	(void)state;
	p = walk_ok("&pin->b");
	assert_int_equal(p.nr_derefs, 1);
	assert_int_equal(p.derefs[0].off, 24);
	assert_string_equal(p.derefs[0].what, "outer->pin");
	assert_int_equal(p.off, 8);
	assert_int_equal(p.size, 8);

	p = walk_ok("&next->next->in.a");
	assert_int_equal(p.nr_derefs, 2);
	assert_int_equal(p.derefs[0].off, 72);
	assert_int_equal(p.derefs[1].off, 72);
	assert_string_equal(p.derefs[1].what, "outer->next->next");
	assert_int_equal(p.off, 8);

	/* A pointer to pointers: pp[2] reads pp, then the third element. */
	p = walk_ok("&pp[2]->a");
	assert_int_equal(p.nr_derefs, 2);
	assert_int_equal(p.derefs[0].off, 80);
	assert_int_equal(p.derefs[1].off, 16);
	assert_int_equal(p.off, 0);
	assert_int_equal(p.size, 4);
}

/* Without '&' the field must be a pointer; the watch is on its target. */
static void test_without_ampersand(void **state)
{
	struct km_member_path p;

	(void)state;
	p = walk_ok("pin");
	assert_false(p.addr_of);
	assert_int_equal(p.nr_derefs, 1);
	assert_int_equal(p.derefs[0].off, 24);
	assert_int_equal(p.off, 0);
	assert_int_equal(p.size, 16);
	assert_string_equal(p.type_name, "struct inner");
	assert_string_equal(p.field, "*pin");

	p = walk_ok("pp[1]");
	assert_int_equal(p.nr_derefs, 2);
	assert_int_equal(p.derefs[1].off, 8);
	assert_string_equal(p.type_name, "struct inner");

	/* void *: the size is unknown, 0. */
	p = walk_ok("opaque");
	assert_int_equal(p.nr_derefs, 1);
	assert_int_equal(p.size, 0);

	expect_fail("first", -EINVAL,
		    "'first' is int, not a pointer: write '&first'");
	expect_fail("in", -EINVAL, "not a pointer");
}

/* A bitfield is watched through its storage unit. */
static void test_bitfields(void **state)
{
	struct km_member_path p;

	(void)state;
	p = walk_ok("&flag");
	assert_int_equal(p.off, 92);
	assert_int_equal(p.size, 4);
	assert_int_equal(p.bit_off, 0);
	assert_int_equal(p.bit_size, 1);
	p = walk_ok("&mode");
	assert_int_equal(p.off, 92);
	assert_int_equal(p.bit_off, 1);
	assert_int_equal(p.bit_size, 3);
}

static void test_wrong_steps(void **state)
{
	(void)state;
	expect_fail("&pin.a", -EINVAL,
		    "'pin' is struct inner *, a pointer: use 'pin->a'");
	expect_fail("&in->a", -EINVAL,
		    "'in' is struct inner, not a pointer: use 'in.a'");
	expect_fail("&first.x", -EINVAL,
		    "'first' is int, which has no members");
	expect_fail("&opaque->x", -EINVAL, "points to no struct or union");
	expect_fail(
		"&next->next->next->next->next->next->next->next->next->first",
		-E2BIG, "more than 8 pointers");
}

static void test_unknown_members(void **state)
{
	(void)state;
	expect_fail(
		"&nope", -ENOENT,
		"struct outer has no member 'nope'; its members: first, in, pin, name, ua, uc, sx, sy, cv, next, pp, opaque, flag, mode, tail");
	expect_fail("&in.bb", -ENOENT, "struct inner has no member 'bb'");
	expect_fail("&nam", -ENOENT, "(did you mean name?)");
	expect_fail("&pin->zz", -ENOENT, "struct inner has no member 'zz'");
}

/* A long list of members is cut, in order, saying how many are left. */
static void test_members_abbreviated(void **state)
{
	struct km_member_path p;
	const char *more;
	int shown = 0, left;
	const char *c;

	(void)state;
	assert_int_equal(km_member_path(fx.btf, fx.wide, "&nope", &p), -ENOENT);
	assert_true(strlen(p.err) < 600);
	assert_non_null(strstr(p.err, "its members: member_000, member_001, "));
	more = strstr(p.err, ", ... (");
	assert_non_null(more);
	for (c = p.err; (c = strstr(c, "member_")); c++)
		shown++;
	assert_int_equal(sscanf(more, ", ... (%d more)", &left), 1);
	assert_int_equal(shown + left, 200);
}

static void test_syntax(void **state)
{
	static const char *const bad[] = {
		"",	     "&",      "&&first", "&1x",      "&in.",
		"&in..a",    "&name[", "&name[]", "&name[x]", "&name[1",
		"&name[-1]", "&in-a",  "&in>a",	  "&first;",  "&in . ",
	};
	struct km_member_path p;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (km_member_path(fx.btf, fx.outer, bad[i], &p) != -EINVAL)
			fail_msg("accepted '%s'", bad[i]);
		if (!strstr(p.err, "bad member path"))
			fail_msg("'%s': %s", bad[i], p.err);
	}
}

static void test_find_type(void **state)
{
	char err[KM_PATH_ERR_MAX];

	(void)state;
	assert_int_equal(km_btf_find_type(fx.btf, "struct outer", err,
					  sizeof(err)),
			 fx.outer);
	assert_int_equal(km_btf_find_type(fx.btf, "  struct   outer ", err,
					  sizeof(err)),
			 fx.outer);
	assert_int_equal(km_btf_find_type(fx.btf, "outer", err, sizeof(err)),
			 fx.outer);
	assert_int_equal(km_btf_find_type(fx.btf, "outer_t", err, sizeof(err)),
			 fx.outer_t);
	assert_int_equal(km_btf_find_type(fx.btf, "union number", err,
					  sizeof(err)),
			 fx.number);
	assert_int_equal(km_btf_find_type(fx.btf, "struct number", err,
					  sizeof(err)),
			 -ENOENT);
	assert_int_equal(km_btf_find_type(fx.btf, "struct inn", err,
					  sizeof(err)),
			 -ENOENT);
	assert_non_null(strstr(err, "no struct 'inn'"));
	assert_non_null(strstr(err, "did you mean struct inner?"));
	/* A typedef of no struct or union is no object type. */
	assert_int_equal(km_btf_find_type(fx.btf, "u64", err, sizeof(err)),
			 -ENOENT);
	assert_int_equal(km_btf_find_type(fx.btf, "struct outer *", err,
					  sizeof(err)),
			 -EINVAL);
	assert_int_equal(km_btf_find_type(fx.btf, "struct", err, sizeof(err)),
			 -EINVAL);
}

/* BP for a field may leave out the length; plain BP may not. */
static void test_bp_field(void **state)
{
	uint32_t type = 0, len = 9;

	(void)state;
	assert_int_equal(km_parse_bp_field("rw", &type, &len), 0);
	assert_int_equal(type, KM_BP_RW);
	assert_int_equal(len, 0);
	assert_int_equal(km_parse_bp_field("r", &type, &len), 0);
	assert_int_equal(type, KM_BP_R);
	assert_int_equal(km_parse_bp_field("x", &type, &len), 0);
	assert_int_equal(type, KM_BP_X);
	assert_int_equal(km_parse_bp_field("w4", &type, &len), 0);
	assert_int_equal(type, KM_BP_W);
	assert_int_equal(len, 4);
	assert_int_equal(km_parse_bp_field("rw3", &type, &len), -EINVAL);
	assert_int_equal(km_parse_bp_field("", &type, &len), -EINVAL);
	assert_int_equal(km_parse_bp_field("wr", &type, &len), -EINVAL);
	assert_int_equal(km_parse_bp("rw", &type, &len), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_members),
		cmocka_unit_test(test_arrays),
		cmocka_unit_test(test_anonymous),
		cmocka_unit_test(test_modifiers_typedefs),
		cmocka_unit_test(test_pointer_steps),
		cmocka_unit_test(test_without_ampersand),
		cmocka_unit_test(test_bitfields),
		cmocka_unit_test(test_wrong_steps),
		cmocka_unit_test(test_unknown_members),
		cmocka_unit_test(test_members_abbreviated),
		cmocka_unit_test(test_syntax),
		cmocka_unit_test(test_find_type),
		cmocka_unit_test(test_bp_field),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
