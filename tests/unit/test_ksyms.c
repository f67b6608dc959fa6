// SPDX-License-Identifier: GPL-2.0
/* Symbol tables: kallsyms text, ELF, lookup, near matches, rebase. */
#include <errno.h>
#include <link.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "../../common/symbolize/ksyms.h"
#include "km_test.h"

/* Unsorted, with module symbols, garbage, zero addresses, no final \n. */
static const char kallsyms[] = "ffffffff81200000 T vfs_write\n"
			       "ffffffff81000000 T _text\n"
			       "this is not a symbol line\n"
			       "0000000000000000 T zero_sym\n"
			       "ffffffffc0001000 t foo\t[mymod]\n"
			       "ffffffff81100000 T vfs_read\n"
			       "ffffffff81100000 T\n"
			       "ffffffff81100000  T spaced\n"
			       "ffffffff81100000 TT long_type\n"
			       "zzzzzzzzzzzzzzzz T bad_addr\n"
			       "ffffffffc0003000 t baz\t[broken\n"
			       "ffffffff81100100 t vfs_readv\n"
			       "ffffffffc0002000 t bar\t[mymod]\n"
			       "ffffffff81300000 D jiffies";

static const struct {
	uint64_t addr;
	const char *name, *module;
} sorted[] = {
	{ 0xffffffff81000000, "_text", NULL },
	{ 0xffffffff81100000, "vfs_read", NULL },
	{ 0xffffffff81100100, "vfs_readv", NULL },
	{ 0xffffffff81200000, "vfs_write", NULL },
	{ 0xffffffff81300000, "jiffies", NULL },
	{ 0xffffffffc0001000, "foo", "mymod" },
	{ 0xffffffffc0002000, "bar", "mymod" },
};
#define NR_SORTED (sizeof(sorted) / sizeof(sorted[0]))

static int setup_syms(void **state)
{
	static struct km_symtab t;
	char *copy = strdup(kallsyms);

	/* The table keeps its own copy: scribble over ours afterwards. */
	if (!copy || km_symtab_from_kallsyms(&t, copy, strlen(copy)))
		return -1;
	memset(copy, 'x', strlen(copy));
	free(copy);
	*state = &t;
	return 0;
}

static int teardown_syms(void **state)
{
	km_symtab_free(*state);
	return 0;
}

static void test_kallsyms_parse(void **state)
{
	const struct km_symtab *t = *state;
	size_t i;

	assert_int_equal(t->nr, NR_SORTED);
	for (i = 0; i < NR_SORTED; i++) {
		assert_int_equal(t->syms[i].addr, sorted[i].addr);
		assert_string_equal(t->syms[i].name, sorted[i].name);
		if (sorted[i].module)
			assert_string_equal(t->syms[i].module,
					    sorted[i].module);
		else
			assert_null(t->syms[i].module);
	}
}

static void test_kallsyms_empty(void **state)
{
	/* As /proc/kallsyms reads without CAP_SYSLOG: all zeros. */
	static const char zeros[] = "0000000000000000 T _text\n"
				    "0000000000000000 T start_kernel\n";
	struct km_symtab t;

	(void)state;
	assert_int_equal(km_symtab_from_kallsyms(&t, zeros, strlen(zeros)), 0);
	assert_int_equal(t.nr, 0);
	assert_null(km_symtab_lookup(&t, 0xffffffff81000000));
	assert_null(km_symtab_find(&t, "_text"));
	km_symtab_free(&t);

	assert_int_equal(km_symtab_from_kallsyms(&t, "", 0), 0);
	assert_int_equal(t.nr, 0);
	km_symtab_free(&t);
}

/* len bounds the text: what follows it is not parsed. */
static void test_kallsyms_len(void **state)
{
	static const char text[] = "ffffffff81000000 T a\n"
				   "ffffffff81000010 T b\n";
	struct km_symtab t;

	(void)state;
	assert_int_equal(km_symtab_from_kallsyms(&t, text, 21), 0);
	assert_int_equal(t.nr, 1);
	assert_string_equal(t.syms[0].name, "a");
	km_symtab_free(&t);
}

/* An empty line is just another line that is not a symbol. */
static void test_kallsyms_blank_line(void **state)
{
	static const char text[] = "ffffffff81000000 T a\n"
				   "\n"
				   "ffffffff81000010 T b\n";
	struct km_symtab t;

	(void)state;
	assert_int_equal(km_symtab_from_kallsyms(&t, text, strlen(text)), 0);
	assert_int_equal(t.nr, 2);
	assert_non_null(km_symtab_find(&t, "b"));
	km_symtab_free(&t);
}

static void test_lookup(void **state)
{
	const struct km_symtab *t = *state;
	const struct km_sym *s;

	assert_null(km_symtab_lookup(t, 0));
	assert_null(km_symtab_lookup(t, 0xffffffff80ffffff));

	s = km_symtab_lookup(t, 0xffffffff81000000);
	assert_non_null(s);
	assert_string_equal(s->name, "_text");

	s = km_symtab_lookup(t, 0xffffffff811000ff);
	assert_non_null(s);
	assert_string_equal(s->name, "vfs_read");

	s = km_symtab_lookup(t, 0xffffffff81100100);
	assert_non_null(s);
	assert_string_equal(s->name, "vfs_readv");

	s = km_symtab_lookup(t, 0xffffffffc0001234);
	assert_non_null(s);
	assert_string_equal(s->name, "foo");
	assert_string_equal(s->module, "mymod");

	/* Beyond the last symbol: still the last one. */
	s = km_symtab_lookup(t, UINT64_MAX);
	assert_non_null(s);
	assert_string_equal(s->name, "bar");
}

/* Every address between two symbols maps to the lower one. */
static void test_lookup_exhaustive(void **state)
{
	const struct km_symtab *t = *state;
	uint64_t a;
	size_t i;

	for (i = 0; i + 1 < t->nr; i++) {
		uint64_t lo = t->syms[i].addr, hi = t->syms[i + 1].addr;
		uint64_t step = (hi - lo) / 64 ? (hi - lo) / 64 : 1;

		for (a = lo; a < hi; a += step)
			assert_ptr_equal(km_symtab_lookup(t, a), &t->syms[i]);
		assert_ptr_equal(km_symtab_lookup(t, hi - 1), &t->syms[i]);
	}
}

static void test_find(void **state)
{
	const struct km_symtab *t = *state;
	const struct km_sym *s;

	s = km_symtab_find(t, "jiffies");
	assert_non_null(s);
	assert_int_equal(s->addr, 0xffffffff81300000);
	s = km_symtab_find(t, "bar");
	assert_non_null(s);
	assert_string_equal(s->module, "mymod");
	assert_null(km_symtab_find(t, "zero_sym"));
	assert_null(km_symtab_find(t, "bad_addr"));
	assert_null(km_symtab_find(t, "baz"));
	assert_null(km_symtab_find(t, "vfs"));
	assert_null(km_symtab_find(t, ""));
}

static void test_near(void **state)
{
	const struct km_symtab *t = *state;
	const char *out[3];
	int n, i;

	n = km_symtab_near(t, "vfs_raed", out, 3);
	assert_true(n >= 1 && n <= 3);
	assert_string_equal(out[0], "vfs_read");
	for (i = 1; i < n; i++)
		assert_string_not_equal(out[i], "vfs_read");

	/* A name contained in a symbol's is a near match too. */
	n = km_symtab_near(t, "jiffie", out, 3);
	assert_true(n >= 1);
	assert_string_equal(out[0], "jiffies");

	n = km_symtab_near(t, "vfs_", out, 2);
	assert_int_equal(n, 2);

	n = km_symtab_near(t, "completely_unrelated", out, 3);
	assert_int_equal(n, 0);
}

static void test_rebase(void **state)
{
	static const char link[] = "ffffffff81000000 T _text\n"
				   "ffffffff81001000 T start_kernel\n"
				   "ffffffff82000000 D jiffies\n";
	static const char run[] = "ffffffff9a000000 T _text\n";
	struct km_symtab elf, running;
	const struct km_sym *s;
	int64_t slide = 0;

	(void)state;
	assert_int_equal(km_symtab_from_kallsyms(&elf, link, strlen(link)), 0);
	assert_int_equal(km_symtab_from_kallsyms(&running, run, strlen(run)),
			 0);
	assert_int_equal(km_symtab_rebase(&elf, &running, &slide), 0);
	assert_int_equal(slide, 0x19000000);
	s = km_symtab_find(&elf, "start_kernel");
	assert_int_equal(s->addr, 0xffffffff9a001000);
	s = km_symtab_lookup(&elf, 0xffffffff9b000010);
	assert_non_null(s);
	assert_string_equal(s->name, "jiffies");
	assert_null(km_symtab_lookup(&elf, 0xffffffff81001000));

	/* And back down: a negative slide. */
	km_symtab_free(&running);
	assert_int_equal(km_symtab_from_kallsyms(&running, link, strlen(link)),
			 0);
	assert_int_equal(km_symtab_rebase(&elf, &running, &slide), 0);
	assert_int_equal(slide, -0x19000000);
	assert_int_equal(km_symtab_find(&elf, "jiffies")->addr,
			 0xffffffff82000000);
	km_symtab_free(&elf);
	km_symtab_free(&running);
}

static void test_rebase_no_text(void **state)
{
	const struct km_symtab *t = *state;
	static const char link[] = "ffffffff81001000 T start_kernel\n";
	struct km_symtab elf;
	int64_t slide = 0;

	assert_int_equal(km_symtab_from_kallsyms(&elf, link, strlen(link)), 0);
	assert_int_equal(km_symtab_rebase(&elf, t, &slide), -ENOENT);
	assert_int_equal(elf.syms[0].addr, 0xffffffff81001000);
	km_symtab_free(&elf);
}

/* Non-static, so it is in this binary's .symtab. */
void km_test_marker(void);
void km_test_marker(void)
{
}

/* The main program's load bias, as the dynamic linker placed it. */
static int main_bias(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size;
	*(uintptr_t *)data = info->dlpi_addr;
	return 1; /* the first entry is the main program */
}

static void test_elf_self(void **state)
{
	struct km_symtab t;
	const struct km_sym *s;
	uintptr_t bias = 0;

	(void)state;
	assert_int_equal(km_symtab_from_elf(&t, "/proc/self/exe"), 0);
	assert_true(t.nr > 10);
	s = km_symtab_find(&t, "km_test_marker");
	assert_non_null(s);
	assert_null(s->module);
	dl_iterate_phdr(main_bias, &bias);
	assert_int_equal(s->addr + bias, (uintptr_t)&km_test_marker);
	s = km_symtab_lookup(&t, s->addr);
	assert_non_null(s);
	assert_string_equal(s->name, "km_test_marker");
	assert_non_null(km_symtab_find(&t, "main"));
	km_symtab_free(&t);
}

static void test_elf_errors(void **state)
{
	struct km_symtab t;
	char dir[256], path[300];

	(void)state;
	km_test_mkdtemp(dir);
	snprintf(path, sizeof(path), "%s/not-elf", dir);
	km_test_write_file(path, kallsyms, sizeof(kallsyms));
	assert_int_equal(km_symtab_from_elf(&t, path), -ENOEXEC);
	assert_int_equal(t.nr, 0);
	km_test_write_file(path, "", 0);
	assert_int_equal(km_symtab_from_elf(&t, path), -ENOEXEC);
	snprintf(path, sizeof(path), "%s/missing", dir);
	assert_int_equal(km_symtab_from_elf(&t, path), -ENOENT);
	km_test_rmdir(dir);
}

/* km_read_file on more than its first 64 KiB buffer. */
static void test_read_file(void **state)
{
	size_t size = 300000, len, i;
	uint8_t *buf = malloc(size), *back;
	char dir[256], path[300];

	(void)state;
	assert_non_null(buf);
	for (i = 0; i < size; i++)
		buf[i] = i * 7 + i / 251;
	km_test_mkdtemp(dir);
	snprintf(path, sizeof(path), "%s/big", dir);
	km_test_write_file(path, buf, size);
	back = km_test_read_file(path, &len);
	assert_int_equal(len, size);
	assert_memory_equal(back, buf, size);
	assert_int_equal(back[len], 0);
	free(back);
	free(buf);
	km_test_rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kallsyms_parse),
		cmocka_unit_test(test_kallsyms_empty),
		cmocka_unit_test(test_kallsyms_len),
		cmocka_unit_test(test_kallsyms_blank_line),
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_lookup_exhaustive),
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_near),
		cmocka_unit_test(test_rebase),
		cmocka_unit_test(test_rebase_no_text),
		cmocka_unit_test(test_elf_self),
		cmocka_unit_test(test_elf_errors),
		cmocka_unit_test(test_read_file),
	};

	return cmocka_run_group_tests(tests, setup_syms, teardown_syms);
}
