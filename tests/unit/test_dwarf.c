// SPDX-License-Identifier: GPL-2.0
/*
 * The DWARF symbolizer over build/tests/dwarf_fixture (dwarf_fixture.c
 * at -O2, with leaf() inlined into mid() inlined into outer()): inlined
 * calls with their file:line, the KASLR slide, the cache, the build-id
 * check, the fallback without DWARF, and finding a vmlinux by build-id
 * under a fake debug root.
 */
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>
#include "../../common/symbolize/dwarf.h"
#include "../../report/symbols.h"
#include "../../common/symbolize/vmlinux.h"
#include "fixture_frame.h"
#include "km_test.h"

#define SLIDE 0x2a00000ll
#define RELEASE "6.1.0-fixture"

static struct {
	char dir[256]; /* scratch, removed at the end */
	char fixture[512]; /* build/tests/dwarf_fixture */
	uint8_t id[KM_BUILD_ID_MAX];
	int id_len;
	uint64_t in_leaf; /* inside leaf() inside mid() inside outer() */
	uint64_t in_mid; /* inside mid(), not in leaf() */
	uint64_t outer, main; /* the functions' addresses */
} fx;

/* The first inlined call of the function called name, under die. */
static bool find_inline(Dwarf_Die *die, const char *name, Dwarf_Die *out)
{
	Dwarf_Attribute attr;
	Dwarf_Die child;
	const char *n;

	if (dwarf_tag(die) == DW_TAG_inlined_subroutine) {
		n = dwarf_formstring(
			dwarf_attr_integrate(die, DW_AT_name, &attr));
		if (n && !strcmp(n, name)) {
			*out = *die;
			return true;
		}
	}
	if (dwarf_child(die, &child))
		return false;
	do {
		if (find_inline(&child, name, out))
			return true;
	} while (!dwarf_siblingof(&child, &child));
	return false;
}

static bool in_ranges(Dwarf_Die *die, uint64_t pc)
{
	return dwarf_haspc(die, pc) > 0;
}

/*
 * Where the inlined calls are, read here with plain libdw so the
 * test does not take the symbolizer's word for it.
 */
static void locate_inlines(void)
{
	Dwarf_Addr base, lo, hi, pc;
	Dwarf_Die cu, leaf, mid;
	size_t hsize;
	Dwarf_Off off = 0, next;
	Dwarf *dbg;
	bool found = false;
	int fd;

	fd = open(fx.fixture, O_RDONLY);
	assert_true(fd >= 0);
	dbg = dwarf_begin(fd, DWARF_C_READ);
	assert_non_null(dbg);
	while (!found &&
	       !dwarf_nextcu(dbg, off, &next, &hsize, NULL, NULL, NULL)) {
		assert_non_null(dwarf_offdie(dbg, off + hsize, &cu));
		found = find_inline(&cu, "leaf", &leaf) &&
			find_inline(&cu, "mid", &mid);
		off = next;
	}
	assert_true(found);
	assert_true(dwarf_ranges(&leaf, 0, &base, &lo, &hi) > 0);
	fx.in_leaf = lo;
	assert_true(dwarf_ranges(&mid, 0, &base, &lo, &hi) > 0);
	for (pc = lo; pc < hi && in_ranges(&leaf, pc); pc++)
		;
	assert_true(pc < hi);
	fx.in_mid = pc;
	dwarf_end(dbg);
	close(fd);
}

static void locate_functions(void)
{
	struct km_symtab t;
	const struct km_sym *s;

	assert_int_equal(km_symtab_from_elf(&t, fx.fixture), 0);
	s = km_symtab_find(&t, "outer");
	assert_non_null(s);
	fx.outer = s->addr;
	s = km_symtab_find(&t, "main");
	assert_non_null(s);
	fx.main = s->addr;
	km_symtab_free(&t);
}

static int setup(void **state)
{
	char exe[512];
	ssize_t n;

	(void)state;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	assert_true(n > 0);
	exe[n] = '\0';
	snprintf(fx.fixture, sizeof(fx.fixture), "%s/dwarf_fixture",
		 dirname(exe));
	km_test_mkdtemp(fx.dir);
	fx.id_len = km_elf_build_id(fx.fixture, fx.id, sizeof(fx.id));
	assert_int_equal(fx.id_len, 20);
	locate_inlines();
	locate_functions();
	/* Nothing from this machine's environment. */
	unsetenv("DEBUGINFOD_URLS");
	unsetenv("KMEMSNOOP_DEBUG_ROOT");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	km_test_rm_tree(fx.dir);
	return 0;
}

static struct km_symbolizer *open_fixture(int64_t slide)
{
	struct km_symbolizer *s;

	assert_int_equal(km_dwarf_symbolizer(&s, fx.fixture, slide), 0);
	assert_non_null(s);
	return s;
}

static void assert_entry(const struct km_frame *e, const char *name,
			 bool inlined, unsigned int line)
{
	assert_fixture_frame(e, name, inlined, line, NULL);
}

/* leaf, then mid at its call of leaf, then outer at its call of mid. */
static void assert_leaf_chain(const struct km_frame *e, int n, uint64_t addr,
			      int64_t slide)
{
	int i;

	assert_int_equal(n, 3);
	assert_entry(&e[0], "leaf", true, FIX_LEAF_LINE);
	assert_entry(&e[1], "mid", true, FIX_MID_CALL_LINE);
	assert_entry(&e[2], "outer", false, FIX_OUTER_CALL_LINE);
	for (i = 0; i < n; i++)
		assert_int_equal(e[i].addr, addr);
	/* Inlined entries start where their code does; leaf's at addr. */
	assert_int_equal(e[0].start, addr);
	assert_in_range(e[1].start, fx.outer + slide, addr);
	assert_int_equal(e[2].start, fx.outer + slide);
}

static void test_inlined_chain(void **state)
{
	struct km_symbolizer *s = open_fixture(0);
	struct km_frame e[KM_MAX_INLINE];
	int n;

	(void)state;
	n = km_resolve(s, fx.in_leaf, e, KM_MAX_INLINE);
	assert_leaf_chain(e, n, fx.in_leaf, 0);

	n = km_resolve(s, fx.in_mid, e, KM_MAX_INLINE);
	assert_int_equal(n, 2);
	assert_entry(&e[0], "mid", true, FIX_MID_STORE_LINE);
	assert_entry(&e[1], "outer", false, FIX_OUTER_CALL_LINE);

	/* main has nothing inlined at its start. */
	n = km_resolve(s, fx.main, e, KM_MAX_INLINE);
	assert_int_equal(n, 1);
	assert_string_equal(e[0].name, "main");
	assert_false(e[0].inlined);
	assert_string_equal(e[0].file, FIX_SOURCE);
	assert_int_equal(e[0].start, fx.main);
	km_symbolizer_destroy(s);
}

/* With too little room: the innermost inlines and the function. */
static void test_max(void **state)
{
	struct km_symbolizer *s = open_fixture(0);
	struct km_frame e[KM_MAX_INLINE];

	(void)state;
	assert_int_equal(km_resolve(s, fx.in_leaf, e, 1), 1);
	assert_string_equal(e[0].name, "outer");
	assert_int_equal(e[0].line, FIX_OUTER_CALL_LINE);
	assert_int_equal(km_resolve(s, fx.in_leaf, e, 2), 2);
	assert_string_equal(e[0].name, "leaf");
	assert_string_equal(e[1].name, "outer");
	km_symbolizer_destroy(s);
}

static void test_slide(void **state)
{
	struct km_symbolizer *s = open_fixture(SLIDE);
	struct km_frame e[KM_MAX_INLINE];
	int n;

	(void)state;
	n = km_resolve(s, fx.in_leaf + SLIDE, e, KM_MAX_INLINE);
	assert_leaf_chain(e, n, fx.in_leaf + SLIDE, SLIDE);
	/* The link address is not where the kernel ran. */
	n = km_resolve(s, fx.in_leaf, e, KM_MAX_INLINE);
	assert_int_equal(n, 1);
	assert_null(e[0].name);
	assert_null(e[0].file);
	km_symbolizer_destroy(s);
}

/*
 * Repeated addresses come from the cache: the very same strings, also
 * after the table has grown past its first size many times over.
 */
static void test_cache(void **state)
{
	struct km_symbolizer *s = open_fixture(0), *fresh;
	struct km_frame a[KM_MAX_INLINE], b[KM_MAX_INLINE];
	uint64_t addr;
	int n, m, i;

	(void)state;
	n = km_resolve(s, fx.in_leaf, a, KM_MAX_INLINE);
	m = km_resolve(s, fx.in_leaf, b, KM_MAX_INLINE);
	assert_int_equal(n, m);
	for (i = 0; i < n; i++) {
		assert_ptr_equal(a[i].name, b[i].name);
		assert_ptr_equal(a[i].file, b[i].file);
	}
	for (addr = fx.outer - 10000; addr < fx.outer + 10000; addr++)
		km_resolve(s, addr, b, KM_MAX_INLINE);
	m = km_resolve(s, fx.in_leaf, b, KM_MAX_INLINE);
	assert_leaf_chain(b, m, fx.in_leaf, 0);
	for (i = 0; i < n; i++)
		assert_ptr_equal(a[i].name, b[i].name);

	/* What the cache hands back is what a fresh lookup finds. */
	fresh = open_fixture(0);
	for (addr = fx.outer - 64; addr < fx.outer + 64; addr++) {
		n = km_resolve(s, addr, a, KM_MAX_INLINE);
		m = km_resolve(fresh, addr, b, KM_MAX_INLINE);
		assert_int_equal(n, m);
		for (i = 0; i < n; i++) {
			assert_string_equal(a[i].name ?: "-", b[i].name ?: "-");
			assert_string_equal(a[i].file ?: "-", b[i].file ?: "-");
			assert_int_equal(a[i].line, b[i].line);
			assert_int_equal(a[i].start, b[i].start);
		}
	}
	km_symbolizer_destroy(fresh);
	km_symbolizer_destroy(s);
}

static void test_tree_path(void **state)
{
	(void)state;
	assert_string_equal(km_tree_path("/build/linux/kernel/sched/core.c",
					 "/build/linux"),
			    "kernel/sched/core.c");
	assert_string_equal(km_tree_path("/build/linux/kernel/fork.c",
					 "/build/linux/"),
			    "kernel/fork.c");
	/* Debian: relative to a build directory inside the tree. */
	assert_string_equal(km_tree_path("debian/build/b/include/linux/list.h",
					 "debian/build/b"),
			    "include/linux/list.h");
	assert_string_equal(
		km_tree_path("/build/r/linux-6.1/arch/x86/entry/entry_64.S",
			     "/build/r/linux-6.1/debian/build/b"),
		"arch/x86/entry/entry_64.S");
	/* Outside the tree, and no partial directory names. */
	assert_string_equal(
		km_tree_path("/usr/lib/gcc/x86_64-linux-gnu/12/stdarg.h",
			     "/usr/src/linux"),
		"/usr/lib/gcc/x86_64-linux-gnu/12/stdarg.h");
	assert_string_equal(km_tree_path("/build/linuxy/x.c", "/build/linux"),
			    "/build/linuxy/x.c");
	assert_string_equal(km_tree_path("./include/linux/list.h", NULL),
			    "include/linux/list.h");
	assert_string_equal(km_tree_path("x.c", "/"), "x.c");
}

/* A trace of the fixture's "kernel", as the reader would fill it in. */
static void fake_trace(struct km_trace *t, const uint8_t *id, size_t len,
		       const char *kallsyms)
{
	memset(t, 0, sizeof(*t));
	t->d.path = "fixture.data";
	memcpy(t->d.build_id, id, len);
	t->d.build_id_len = len;
	t->d.release = RELEASE;
	t->d.kallsyms = (char *)kallsyms;
	t->d.kallsyms_len = kallsyms ? strlen(kallsyms) : 0;
}

static char *captured(const char *path)
{
	size_t len;

	km_test_loud();
	return (char *)km_test_read_file(path, &len);
}

static void test_build_id(void **state)
{
	struct km_symbol_opts o = { .vmlinux = fx.fixture };
	struct km_frame e[KM_MAX_INLINE];
	struct km_symbolizer *s = NULL;
	uint8_t other[KM_BUILD_ID_MAX];
	char log[512], hex[41], *text;
	struct km_trace t;
	int rc;

	(void)state;
	snprintf(log, sizeof(log), "%s/stderr", fx.dir);
	fake_trace(&t, fx.id, fx.id_len, NULL);
	km_test_capture_stderr(log);
	rc = km_report_symbols(&s, &t.d, &o);
	text = captured(log);
	assert_int_equal(rc, 0);
	assert_leaf_chain(e, km_resolve(s, fx.in_leaf, e, KM_MAX_INLINE),
			  fx.in_leaf, 0);
	km_symbolizer_destroy(s);
	free(text);

	/* Another kernel's: refused, naming both ids and --force. */
	memcpy(other, fx.id, fx.id_len);
	other[0] ^= 0xff;
	fake_trace(&t, other, fx.id_len, NULL);
	km_test_capture_stderr(log);
	s = NULL;
	rc = km_report_symbols(&s, &t.d, &o);
	text = captured(log);
	assert_int_equal(rc, -EINVAL);
	assert_null(s);
	assert_non_null(strstr(text, km_build_id_hex(hex, fx.id, fx.id_len)));
	assert_non_null(strstr(text, km_build_id_hex(hex, other, fx.id_len)));
	assert_non_null(strstr(text, "--force"));
	/* One line. */
	assert_ptr_equal(strchr(text, '\n'), text + strlen(text) - 1);
	free(text);

	o.force = true;
	km_test_quiet();
	rc = km_report_symbols(&s, &t.d, &o);
	km_test_loud();
	assert_int_equal(rc, 0);
	assert_int_equal(km_resolve(s, fx.in_leaf, e, KM_MAX_INLINE), 3);
	km_symbolizer_destroy(s);
}

static void test_elf_build_id(void **state)
{
	uint8_t id[KM_BUILD_ID_MAX];
	char path[512];

	(void)state;
	assert_int_equal(km_elf_build_id("/nonexistent", id, sizeof(id)),
			 -ENOENT);
	snprintf(path, sizeof(path), "%s/not-elf", fx.dir);
	km_test_write_file(path, "hello\n", 6);
	assert_int_equal(km_elf_build_id(path, id, sizeof(id)), -ENOEXEC);
	assert_int_equal(km_elf_build_id(fx.fixture, id, 4), -EOVERFLOW);
}

/* A copy of the fixture without DWARF: its symbol table still names. */
static void test_no_dwarf(void **state)
{
	struct km_symbol_opts o = { 0 };
	struct km_frame e[KM_MAX_INLINE];
	struct km_symbolizer *s;
	char path[512], cmd[1200];
	struct km_trace t;
	int rc;

	(void)state;
	snprintf(path, sizeof(path), "%s/stripped", fx.dir);
	snprintf(cmd, sizeof(cmd), "strip -g -o '%s' '%s'", path, fx.fixture);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(km_dwarf_symbolizer(&s, path, 0), -ENODATA);
	assert_null(s);

	o.vmlinux = path;
	fake_trace(&t, fx.id, fx.id_len, NULL);
	km_test_quiet();
	rc = km_report_symbols(&s, &t.d, &o);
	km_test_loud();
	assert_int_equal(rc, 0);
	assert_int_equal(km_resolve(s, fx.in_leaf, e, KM_MAX_INLINE), 1);
	assert_string_equal(e[0].name, "outer");
	assert_int_equal(e[0].start, fx.outer);
	assert_null(e[0].file);
	km_symbolizer_destroy(s);
}

/*
 * A fake /usr/lib/debug, /boot and /lib/modules under a scratch root:
 * a file counts only if its build-id is the one looked for.
 */
static void test_find_local(void **state)
{
	char root[512], path[1024], rel[256], hex[41], *found;
	uint8_t other[KM_BUILD_ID_MAX];

	(void)state;
	snprintf(root, sizeof(root), "%s/root", fx.dir);
	assert_int_equal(mkdir(root, 0700), 0);
	setenv("KMEMSNOOP_DEBUG_ROOT", root, 1);
	assert_null(km_find_vmlinux_local(fx.id, fx.id_len, RELEASE));

	/* Named for the release, but another file: not taken. */
	km_test_put_file(root, "boot/vmlinux-" RELEASE, "/proc/self/exe", path,
			 sizeof(path));
	assert_null(km_find_vmlinux_local(fx.id, fx.id_len, RELEASE));
	/* Without a build-id to check, a file at a path is not taken. */
	assert_null(km_find_vmlinux_local(NULL, 0, RELEASE));

	km_test_put_file(root, "lib/modules/" RELEASE "/build/vmlinux",
			 fx.fixture, path, sizeof(path));
	found = km_find_vmlinux_local(fx.id, fx.id_len, RELEASE);
	assert_non_null(found);
	assert_string_equal(found, path);
	free(found);
	/* Releases with a / would lead out of the directories. */
	assert_null(km_find_vmlinux_local(fx.id, fx.id_len, "../" RELEASE));

	/* The .build-id link wins, and needs no release. */
	km_build_id_hex(hex, fx.id, fx.id_len);
	snprintf(rel, sizeof(rel), "usr/lib/debug/.build-id/%.2s/%s.debug", hex,
		 hex + 2);
	km_test_put_file(root, rel, fx.fixture, path, sizeof(path));
	found = km_find_vmlinux_local(fx.id, fx.id_len, NULL);
	assert_non_null(found);
	assert_string_equal(found, path);
	free(found);
	memcpy(other, fx.id, fx.id_len);
	other[19] ^= 1;
	assert_null(km_find_vmlinux_local(other, fx.id_len, NULL));
	unsetenv("KMEMSNOOP_DEBUG_ROOT");
}

/*
 * No --vmlinux: report finds it by the trace's build-id, says so, and
 * moves it to where the trace's kallsyms snapshot puts _text; what is
 * not in it, a module, the snapshot names.
 */
static void test_report_finds(void **state)
{
	struct km_symbol_opts o = { 0 };
	struct km_frame e[KM_MAX_INLINE];
	char root[512], path[1024], log[512], expect[1200], *text;
	char snapshot[128];
	struct km_symbolizer *s;
	struct km_trace t;
	int rc;

	(void)state;
	/*
	 * The fixture's _text is outer (see the Makefile); as kallsyms
	 * would, the snapshot lists both, and its last name is the one
	 * report gives the function.
	 */
	snprintf(snapshot, sizeof(snapshot),
		 "%016llx T _text\n%016llx T outer\n"
		 "ffffffffc0001000 t mod_fn\t[mod]\n",
		 (unsigned long long)(fx.outer + SLIDE),
		 (unsigned long long)(fx.outer + SLIDE));
	snprintf(root, sizeof(root), "%s/root2", fx.dir);
	assert_int_equal(mkdir(root, 0700), 0);
	km_test_put_file(root, "usr/lib/debug/boot/vmlinux-" RELEASE,
			 fx.fixture, path, sizeof(path));
	setenv("KMEMSNOOP_DEBUG_ROOT", root, 1);
	snprintf(log, sizeof(log), "%s/stderr", fx.dir);
	fake_trace(&t, fx.id, fx.id_len, snapshot);
	km_test_capture_stderr(log);
	rc = km_report_symbols(&s, &t.d, &o);
	text = captured(log);
	unsetenv("KMEMSNOOP_DEBUG_ROOT");
	assert_int_equal(rc, 0);
	snprintf(expect, sizeof(expect), "kmemsnoop: symbols from %s\n", path);
	assert_string_equal(text, expect);
	free(text);
	assert_leaf_chain(e,
			  km_resolve(s, fx.in_leaf + SLIDE, e, KM_MAX_INLINE),
			  fx.in_leaf + SLIDE, SLIDE);
	/* A module's address is named by the snapshot. */
	assert_int_equal(km_resolve(s, 0xffffffffc0001010, e, KM_MAX_INLINE),
			 1);
	assert_string_equal(e[0].name, "mod_fn");
	assert_string_equal(e[0].module, "mod");
	assert_int_equal(e[0].start, 0xffffffffc0001000);
	km_symbolizer_destroy(s);
}

/*
 * Nothing found and a debuginfod server that is not there: one line
 * each, and the trace's kallsyms snapshot names the addresses.
 */
static void test_fallback_to_snapshot(void **state)
{
	static const char snapshot[] = "0000000000401000 T _text\n"
				       "0000000000401120 T outer\n";
	struct km_symbol_opts o = { 0 };
	struct km_frame e[KM_MAX_INLINE];
	char root[512], cache[512], log[512], *text, *path;
	struct km_symbolizer *s;
	struct km_trace t;
	int rc;

	(void)state;
	snprintf(root, sizeof(root), "%s/empty", fx.dir);
	snprintf(cache, sizeof(cache), "%s/debuginfod-cache", fx.dir);
	assert_int_equal(mkdir(root, 0700), 0);
	setenv("KMEMSNOOP_DEBUG_ROOT", root, 1);
	assert_int_equal(km_debuginfod_find(&path, fx.id, fx.id_len, "vmlinux"),
			 -ENOSYS);
	/* Port 1 on the loopback: refused at once. */
	setenv("DEBUGINFOD_URLS", "http://127.0.0.1:1", 1);
	setenv("DEBUGINFOD_CACHE_PATH", cache, 1);
	rc = km_debuginfod_find(&path, fx.id, fx.id_len, "vmlinux");
	assert_true(rc < 0);
	assert_null(path);

	snprintf(log, sizeof(log), "%s/stderr", fx.dir);
	fake_trace(&t, fx.id, fx.id_len, snapshot);
	km_test_capture_stderr(log);
	rc = km_report_symbols(&s, &t.d, &o);
	text = captured(log);
	unsetenv("DEBUGINFOD_URLS");
	unsetenv("KMEMSNOOP_DEBUG_ROOT");
	assert_int_equal(rc, 0);
	/* Or, without libdebuginfod1, that it cannot be loaded. */
	assert_non_null(strstr(text, "debuginfod"));
	assert_non_null(strstr(text, "symbols from the trace's kallsyms"));
	free(text);
	assert_int_equal(km_resolve(s, 0x401124, e, KM_MAX_INLINE), 1);
	assert_string_equal(e[0].name, "outer");
	assert_null(e[0].file);
	km_symbolizer_destroy(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_inlined_chain),
		cmocka_unit_test(test_max),
		cmocka_unit_test(test_slide),
		cmocka_unit_test(test_cache),
		cmocka_unit_test(test_tree_path),
		cmocka_unit_test_teardown(test_build_id, km_test_teardown),
		cmocka_unit_test(test_elf_build_id),
		cmocka_unit_test_teardown(test_no_dwarf, km_test_teardown),
		cmocka_unit_test(test_find_local),
		cmocka_unit_test_teardown(test_report_finds, km_test_teardown),
		cmocka_unit_test_teardown(test_fallback_to_snapshot,
					  km_test_teardown),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
