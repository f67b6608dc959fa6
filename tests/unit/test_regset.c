// SPDX-License-Identifier: GPL-2.0
/*
 * Registers per machine (common/trace/machine.h): a trace recorded on
 * aarch64 reads back and prints with x0..pstate on any build, an
 * x86-64 one with r15..ss; a trace whose NR_REGS is absurd or not its
 * machine's keeps no registers, and nothing crashes. With
 * KM_ARM64_VMLINUX naming an arm64 vmlinux (a -dbg package's), its
 * DWARF is symbolized here too.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "../../common/print/hit_print.h"
#include "../../common/symbolize/dwarf.h"
#include "../../common/symbolize/ksyms.h"
#include "../../common/trace/machine.h"
#include "../../common/trace/tlv.h"
#include "../../common/trace/trace_format.h"
#include "../../common/trace/trace_reader.h"
#include "../../common/trace/trace_writer.h"
#include "km_test.h"

#define NR_HITS 10

static char dir[256];

static int setup(void **state)
{
	(void)state;
	km_test_mkdtemp(dir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	km_test_rm_tree(dir);
	return 0;
}

static uint64_t reg_value(int i, unsigned int r)
{
	return (uint64_t)i << 32 | 0xabc00 | r;
}

/*
 * A trace saying machine and nr_regs in META, its hits carrying the
 * registers of rs (every other hit; none with rs NULL).
 */
static void write_trace(const char *path, const char *machine, uint64_t nr_regs,
			const struct km_regset *rs)
{
	static uint64_t regs[NR_HITS][KM_REGSET_MAX];
	struct km_trace_writer w;
	struct km_buf b = { 0 };
	struct km_hit h;
	unsigned int r;
	int i;

	assert_int_equal(km_tw_create(&w, path), 0);
	assert_int_equal(km_tlv_put_str(&b, KM_META_MACHINE, machine), 0);
	assert_int_equal(km_tlv_put_u64(&b, KM_META_MONOTONIC_NS, 1000), 0);
	assert_int_equal(km_tlv_put_u64(&b, KM_META_NR_REGS, nr_regs), 0);
	assert_int_equal(km_tw_chunk(&w, KM_CHUNK_META, b.data, b.len), 0);
	km_buf_free(&b);
	km_test_put_watch(&w, 0, KM_BP_RW, 8, 0xffff800009817000, "jiffies");
	for (i = 0; i < NR_HITS; i++) {
		memset(&h, 0, sizeof(h));
		h.time_ns = 2000 + i;
		h.ip = 0xffff800008100000 + i;
		h.addr = 0xffff800009817000;
		h.pid = h.tid = 100 + i;
		strcpy(h.comm, "task");
		if (rs && i % 2 == 0) {
			for (r = 0; r < rs->nr; r++)
				regs[i][r] = reg_value(i, r);
			h.regs = regs[i];
			h.regset = rs;
		}
		assert_int_equal(km_tw_hit(&w, &h), 0);
	}
	assert_int_equal(km_tw_finish(&w, &(struct km_trailer){ 0 }), 0);
	km_tw_free(&w);
}

/*
 * Reads path back: every hit there, with registers named by want
 * (NULL: none kept) holding what write_trace put.
 */
static void read_back(const char *path, const struct km_regset *want)
{
	const struct km_hit *h;
	struct km_trace t;
	unsigned int r;
	long n, i;

	assert_int_equal(km_trace_open(&t, path), 0);
	assert_ptr_equal(t.d.regset, want);
	n = km_trace_next_hits(&t, &h);
	assert_int_equal(n, NR_HITS);
	for (i = 0; i < n; i++) {
		if (!want || i % 2) {
			assert_null(h[i].regs);
			continue;
		}
		assert_non_null(h[i].regs);
		assert_ptr_equal(h[i].regset, want);
		for (r = 0; r < want->nr; r++)
			assert_int_equal(h[i].regs[r], reg_value(i, r));
	}
	assert_int_equal(km_trace_next_hits(&t, &h), 0);
	km_trace_close(&t);
}

/* What km_print_hit and km_print_hit_json make of path's first hit. */
static char *print_first(const char *path, bool json)
{
	struct km_print_ctx pc = { 0 };
	const struct km_hit *h;
	struct km_trace t;
	char *out = NULL;
	size_t len = 0;
	FILE *f;

	assert_int_equal(km_trace_open(&t, path), 0);
	assert_true(km_trace_next_hits(&t, &h) > 0);
	pc.start_ns = t.d.monotonic_ns;
	pc.watches = t.d.watches;
	pc.nr_watches = t.d.nr_watches;
	f = open_memstream(&out, &len);
	assert_non_null(f);
	if (json)
		km_print_hit_json(f, &pc, &h[0], NULL);
	else
		km_print_hit(f, &pc, 1, &h[0]);
	fclose(f);
	km_trace_close(&t);
	return out;
}

static void test_table(void **state)
{
	const struct km_regset *a = km_regset_for("aarch64");
	const struct km_regset *x = km_regset_for("x86_64");

	(void)state;
	assert_non_null(a);
	assert_non_null(x);
	assert_int_equal(a->nr, 34);
	assert_string_equal(a->names[0], "x0");
	assert_string_equal(a->names[30], "x30");
	assert_string_equal(a->names[31], "sp");
	assert_string_equal(a->names[32], "pc");
	assert_string_equal(a->names[33], "pstate");
	assert_int_equal(x->nr, 21);
	assert_string_equal(x->names[0], "r15");
	assert_string_equal(x->names[16], "ip");
	assert_string_equal(x->names[20], "ss");
	assert_int_equal(km_regset_native()->nr, KM_NR_REGS);
	assert_null(km_regset_for("riscv64"));
	assert_null(km_regset_for(NULL));
	assert_ptr_equal(km_regset_of_trace("aarch64", 34), a);
	assert_null(km_regset_of_trace("aarch64", 21));
	assert_null(km_regset_of_trace("x86_64", UINT64_MAX));
	assert_string_equal(km_machine_of_elf(183), "aarch64");
	assert_string_equal(km_machine_of_elf(62), "x86_64");
	assert_null(km_machine_of_elf(243));
}

static void test_aarch64_trace(void **state)
{
	const struct km_regset *a = km_regset_for("aarch64");
	char path[300];
	char *s;

	(void)state;
	snprintf(path, sizeof(path), "%s/a64.kmt", dir);
	write_trace(path, "aarch64", 34, a);
	read_back(path, a);
	s = print_first(path, false);
	assert_non_null(strstr(s, "    x0      0x00000000000abc00"));
	assert_non_null(strstr(s, "pstate  0x00000000000abc21\n"));
	assert_null(strstr(s, "r15"));
	free(s);
	s = print_first(path, true);
	assert_non_null(strstr(s, "\"x30\":\"0xabc1e\""));
	assert_non_null(strstr(s, "\"pstate\":\"0xabc21\"}"));
	assert_null(strstr(s, "\"ss\""));
	free(s);
}

static void test_x86_64_trace(void **state)
{
	const struct km_regset *x = km_regset_for("x86_64");
	char path[300];
	char *s;

	(void)state;
	snprintf(path, sizeof(path), "%s/x86.kmt", dir);
	write_trace(path, "x86_64", 21, x);
	read_back(path, x);
	s = print_first(path, false);
	assert_non_null(strstr(s, "    r15     0x00000000000abc00"));
	assert_non_null(strstr(s, "ss      0x00000000000abc14\n"));
	free(s);
	s = print_first(path, true);
	assert_non_null(strstr(s, "\"orig_ax\":\"0xabc0f\""));
	assert_null(strstr(s, "\"x0\""));
	free(s);
}

/* NR_REGS hostile, wrong for the machine, or the machine unknown. */
static void test_registers_dropped(void **state)
{
	const struct km_regset *a = km_regset_for("aarch64");
	const struct km_regset *x = km_regset_for("x86_64");
	char path[300];
	char *s;

	(void)state;
	snprintf(path, sizeof(path), "%s/bad.kmt", dir);
	/* Sized by NR_REGS, these would overflow any buffer. */
	write_trace(path, "aarch64", UINT64_MAX, a);
	read_back(path, NULL);
	remove(path);
	write_trace(path, "aarch64", (1ull << 61) + 34, a);
	read_back(path, NULL);
	remove(path);
	/* An x86-64 trace claiming arm64's count, and the reverse. */
	write_trace(path, "x86_64", 34, a);
	read_back(path, NULL);
	s = print_first(path, true);
	assert_null(strstr(s, "\"regs\""));
	free(s);
	remove(path);
	write_trace(path, "aarch64", 21, x);
	read_back(path, NULL);
	remove(path);
	write_trace(path, "riscv64", 32, NULL);
	read_back(path, NULL);
	remove(path);
	/* No machine at all. */
	write_trace(path, "", 21, x);
	read_back(path, NULL);
	remove(path);
}

/* One trace, one register count: the writer refuses a second one. */
static void test_writer_one_count(void **state)
{
	uint64_t regs[KM_REGSET_MAX] = { 0 };
	struct km_trace_writer w;
	struct km_hit h = { .time_ns = 1, .stack_id = KM_NO_STACK };
	char path[300];

	(void)state;
	snprintf(path, sizeof(path), "%s/mixed.kmt", dir);
	assert_int_equal(km_tw_create(&w, path), 0);
	km_test_put_meta(&w);
	km_test_put_watch(&w, 0, KM_BP_RW, 8, 0x1000, "x");
	h.regs = regs;
	h.regset = km_regset_for("aarch64");
	assert_int_equal(km_tw_hit(&w, &h), 0);
	h.regset = km_regset_for("x86_64");
	km_test_quiet();
	assert_int_equal(km_tw_hit(&w, &h), -EINVAL);
	km_test_loud();
	km_tw_abort(&w);
	km_tw_free(&w);
}

/*
 * A few functions every arm64 kernel has, looked up a few instructions
 * in: each comes back as itself with file:line, and somewhere in them
 * is an inlined call.
 */
static void test_arm64_vmlinux(void **state)
{
	static const char *const fns[] = {
		"vfs_read", "vfs_write",	"do_sys_openat2",
		"schedule", "kmem_cache_alloc", "__arm64_sys_read"
	};
	const uint64_t slide = 0x1e000000;
	const char *path = getenv("KM_ARM64_VMLINUX");
	struct km_frame e[KM_MAX_INLINE];
	struct km_symbolizer *s;
	struct km_symtab tab;
	const struct km_sym *sym;
	int found = 0, inlined = 0, n, k;
	size_t i;

	(void)state;
	if (!path || !*path) {
		print_message(
			"skipped: set KM_ARM64_VMLINUX to an arm64 vmlinux with DWARF (linux-image-*-arm64-dbg) to run it\n");
		skip();
	}
	/* An arm64 kernel is not an x86-64 trace's, and says so. */
	km_test_quiet();
	assert_int_equal(km_machine_check_elf("x86_64", "t.kmt", path),
			 -EINVAL);
	km_test_loud();
	assert_int_equal(km_machine_check_elf("aarch64", "t.kmt", path), 0);
	assert_int_equal(km_symtab_from_elf(&tab, path), 0);
	assert_int_equal(km_dwarf_symbolizer(&s, path, slide), 0);
	for (i = 0; i < sizeof(fns) / sizeof(fns[0]); i++) {
		sym = km_symtab_find(&tab, fns[i]);
		if (!sym)
			continue;
		found++;
		n = km_resolve(s, sym->addr + slide + 4, e, KM_MAX_INLINE);
		assert_true(n >= 1);
		/* The function last, where the symbol table has it. */
		assert_non_null(e[n - 1].name);
		assert_string_equal(e[n - 1].name, fns[i]);
		assert_int_equal(e[n - 1].start, sym->addr + slide);
		assert_non_null(e[n - 1].file);
		assert_true(e[n - 1].line > 0);
		print_message("%s+4: %s:%u\n", fns[i], e[n - 1].file,
			      e[n - 1].line);
		for (k = 4; k < 1024 && !inlined; k += 4) {
			n = km_resolve(s, sym->addr + slide + k, e,
				       KM_MAX_INLINE);
			if (n > 1 && e[0].inlined && e[0].name && e[0].file) {
				inlined++;
				print_message("%s+%#x: %s [inlined] %s:%u\n",
					      fns[i], k, e[0].name, e[0].file,
					      e[0].line);
			}
		}
	}
	assert_true(found >= 3);
	assert_true(inlined > 0);
	km_symbolizer_destroy(s);
	km_symtab_free(&tab);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_aarch64_trace),
		cmocka_unit_test(test_x86_64_trace),
		cmocka_unit_test(test_registers_dropped),
		cmocka_unit_test(test_writer_one_count),
		cmocka_unit_test(test_arm64_vmlinux),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
