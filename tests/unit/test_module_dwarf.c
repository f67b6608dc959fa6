// SPDX-License-Identifier: GPL-2.0
/*
 * Module frames from a module's own debug file: build/tests/
 * module_fixture.ko is dwarf_fixture.c built as a kernel module is
 * (relocatable, with a build-id), and each of its sections is "loaded"
 * at an address of its own, as a module's are. Checked: the inlined
 * calls and file:line at the relocated addresses, the module's name on
 * its frames, and report finding the file by build-id, under --modules
 * (with '-' for '_', another build refused) and in a -dbg tree, else
 * falling back to the kallsyms snapshot.
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
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
#include "../../common/symbolize/module_dwarf.h"
#include "../../report/symbols.h"
#include "../../common/symbolize/vmlinux.h"
#include "fixture_frame.h"
#include "km_test.h"

#define NAME "module_fixture"
#define RELEASE "6.1.0-fixture"
#define BASE 0xffffffffc0010000ull /* section i goes to BASE + i pages */
#define SIZE 0x100000ull
#define MAX_SECS 64

static struct {
	char dir[256];
	char ko[512]; /* build/tests/module_fixture.ko */
	char other[512]; /* the same with another build-id */
	uint8_t id[KM_BUILD_ID_MAX];
	int id_len;
	struct km_module_section secs[MAX_SECS];
	size_t nr_secs;
	uint64_t outer, main; /* where the functions were "loaded" */
	char snapshot[256];
	struct km_module_info info;
} fx;

static uint64_t section_addr(size_t shndx)
{
	return BASE + shndx * 0x1000;
}

/* Places every allocated section, and finds outer() and main(). */
static void place(Elf *elf)
{
	GElf_Shdr shdr, symsh;
	Elf_Scn *scn = NULL, *symscn = NULL;
	Elf_Data *data;
	const char *name;
	size_t shstrndx, i;
	GElf_Sym sym;

	assert_int_equal(elf_getshdrstrndx(elf, &shstrndx), 0);
	while ((scn = elf_nextscn(elf, scn))) {
		assert_non_null(gelf_getshdr(scn, &shdr));
		if (shdr.sh_type == SHT_SYMTAB)
			symscn = scn;
		if (!(shdr.sh_flags & SHF_ALLOC) || !shdr.sh_size)
			continue;
		name = elf_strptr(elf, shstrndx, shdr.sh_name);
		assert_true(fx.nr_secs < MAX_SECS);
		fx.secs[fx.nr_secs].addr = section_addr(elf_ndxscn(scn));
		fx.secs[fx.nr_secs++].name = strdup(name);
	}
	assert_non_null(symscn);
	gelf_getshdr(symscn, &symsh);
	data = elf_getdata(symscn, NULL);
	for (i = 0; i < symsh.sh_size / symsh.sh_entsize; i++) {
		gelf_getsym(data, i, &sym);
		name = elf_strptr(elf, symsh.sh_link, sym.st_name);
		if (name && !strcmp(name, "outer"))
			fx.outer = section_addr(sym.st_shndx) + sym.st_value;
		if (name && !strcmp(name, "main"))
			fx.main = section_addr(sym.st_shndx) + sym.st_value;
	}
	assert_true(fx.outer && fx.main);
}

static void read_fixture(void)
{
	Elf *elf;
	int fd;

	elf_version(EV_CURRENT);
	fd = open(fx.ko, O_RDONLY);
	assert_true(fd >= 0);
	elf = elf_begin(fd, ELF_C_READ, NULL);
	assert_non_null(elf);
	place(elf);
	elf_end(elf);
	close(fd);
}

/* A copy of the fixture with its build-id's last byte changed. */
static void make_other(void)
{
	uint8_t *buf, *at;
	size_t len;

	snprintf(fx.other, sizeof(fx.other), "%s/other.ko", fx.dir);
	buf = km_test_read_file(fx.ko, &len);
	at = memmem(buf, len, fx.id, fx.id_len);
	assert_non_null(at);
	at[fx.id_len - 1] ^= 1;
	km_test_write_file(fx.other, buf, len);
	free(buf);
}

static int setup(void **state)
{
	char exe[512];
	ssize_t n;

	(void)state;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	assert_true(n > 0);
	exe[n] = '\0';
	snprintf(fx.ko, sizeof(fx.ko), "%s/module_fixture.ko", dirname(exe));
	km_test_mkdtemp(fx.dir);
	fx.id_len = km_elf_build_id(fx.ko, fx.id, sizeof(fx.id));
	assert_int_equal(fx.id_len, 20);
	read_fixture();
	make_other();
	snprintf(fx.snapshot, sizeof(fx.snapshot),
		 "ffffffff81000000 T _text\n%016llx t outer\t[" NAME "]\n",
		 (unsigned long long)fx.outer);
	fx.info = (struct km_module_info){ .name = NAME,
					   .addr = BASE,
					   .size = SIZE,
					   .build_id_len = fx.id_len,
					   .sections = fx.secs,
					   .nr_sections = fx.nr_secs };
	memcpy(fx.info.build_id, fx.id, fx.id_len);
	unsetenv("DEBUGINFOD_URLS");
	unsetenv("KMEMSNOOP_DEBUG_ROOT");
	return 0;
}

static int teardown(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < fx.nr_secs; i++)
		free(fx.secs[i].name);
	km_test_rm_tree(fx.dir);
	return 0;
}

static void assert_entry(const struct km_frame *e, const char *name,
			 bool inlined, unsigned int line)
{
	assert_fixture_frame(e, name, inlined, line, NAME);
}

/* outer()'s first byte is in leaf() inlined into mid() inlined into it. */
static void assert_outer(struct km_symbolizer *s)
{
	struct km_frame e[KM_MAX_INLINE];
	int n = km_resolve(s, fx.outer, e, KM_MAX_INLINE);

	assert_int_equal(n, 3);
	assert_entry(&e[0], "leaf", true, FIX_LEAF_LINE);
	assert_entry(&e[1], "mid", true, FIX_MID_CALL_LINE);
	assert_entry(&e[2], "outer", false, FIX_OUTER_CALL_LINE);
	assert_int_equal(e[2].start, fx.outer);
}

static void test_placed(void **state)
{
	struct km_module_place p = { .name = NAME,
				     .addr = BASE,
				     .size = SIZE,
				     .sections = fx.secs,
				     .nr_sections = fx.nr_secs,
				     .path = fx.ko };
	struct km_frame e[KM_MAX_INLINE];
	struct km_symbolizer *s;

	(void)state;
	assert_int_equal(km_module_dwarf(&s, &p), 0);
	assert_outer(s);
	/* main is in a section of its own (.text.startup), placed apart. */
	assert_int_equal(km_resolve(s, fx.main, e, KM_MAX_INLINE), 1);
	assert_string_equal(e[0].name, "main");
	assert_int_equal(e[0].start, fx.main);
	assert_string_equal(e[0].file, FIX_SOURCE);
	assert_string_equal(e[0].module, NAME);
	/* Outside the module: nothing to say. */
	assert_int_equal(km_resolve(s, BASE + SIZE, e, KM_MAX_INLINE), 1);
	assert_null(e[0].name);
	km_symbolizer_destroy(s);

	p.path = "/nonexistent.ko";
	assert_true(km_module_dwarf(&s, &p) < 0);
	assert_null(s);
}

/* A trace of the kernel without a vmlinux, and the fixture module. */
static void fake_trace(struct km_trace *t)
{
	memset(t, 0, sizeof(*t));
	t->d.path = "module.data";
	t->d.release = RELEASE;
	t->d.kallsyms = fx.snapshot;
	t->d.kallsyms_len = strlen(fx.snapshot);
	t->d.mods = &fx.info;
	t->d.nr_mods = 1;
}

/* The symbolizer report makes with --modules dir (or NULL). */
static struct km_symbolizer *report_symbols(const char *dir, char **err)
{
	struct km_symbol_opts o = { .modules = dir };
	struct km_frame e[KM_MAX_INLINE];
	struct km_symbolizer *s = NULL;
	char log[512];
	struct km_trace t;
	size_t len;

	fake_trace(&t);
	snprintf(log, sizeof(log), "%s/stderr", fx.dir);
	km_test_capture_stderr(log);
	assert_int_equal(km_report_symbols(&s, &t.d, &o), 0);
	/* The first frame in the module looks for its debug file. */
	km_resolve(s, fx.outer, e, KM_MAX_INLINE);
	km_test_loud();
	*err = (char *)km_test_read_file(log, &len);
	return s;
}

/* report with --modules dir finds path, says so, and uses it. */
static void assert_found(const char *dir, const char *path)
{
	struct km_symbolizer *s;
	char want[1200], *err;

	s = report_symbols(dir, &err);
	snprintf(want, sizeof(want),
		 "kmemsnoop: symbols for module " NAME " from %s\n", path);
	assert_non_null(strstr(err, want));
	free(err);
	assert_outer(s);
	km_symbolizer_destroy(s);
}

/* Nothing found: the snapshot names the frame, and says so once. */
static void test_fallback(void **state)
{
	struct km_frame e[KM_MAX_INLINE];
	struct km_symbolizer *s;
	char root[512], *err;

	(void)state;
	snprintf(root, sizeof(root), "%s/empty", fx.dir);
	assert_int_equal(mkdir(root, 0700), 0);
	setenv("KMEMSNOOP_DEBUG_ROOT", root, 1);
	s = report_symbols(NULL, &err);
	unsetenv("KMEMSNOOP_DEBUG_ROOT");
	assert_non_null(strstr(err, "no debug file for module " NAME));
	free(err);
	assert_int_equal(km_resolve(s, fx.outer + 1, e, KM_MAX_INLINE), 1);
	assert_string_equal(e[0].name, "outer");
	assert_string_equal(e[0].module, NAME);
	assert_null(e[0].file);
	/* The kernel's own addresses still go to the snapshot. */
	assert_int_equal(km_resolve(s, 0xffffffff81000010, e, KM_MAX_INLINE),
			 1);
	assert_string_equal(e[0].name, "_text");
	assert_null(e[0].module);
	km_symbolizer_destroy(s);
}

/* --modules: NAME.ko anywhere below, '-' for '_', only this build. */
static void test_modules_dir(void **state)
{
	char dir[512], path[1024], other[1024], *err;
	struct km_frame e[KM_MAX_INLINE];
	struct km_symbolizer *s;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/tree", fx.dir);
	assert_int_equal(mkdir(dir, 0700), 0);
	km_test_put_file(dir, "a/drivers/module_fixture.ko", fx.other, other,
			 sizeof(other));
	s = report_symbols(dir, &err);
	assert_non_null(strstr(err, other));
	assert_non_null(strstr(err, "not used"));
	free(err);
	assert_int_equal(km_resolve(s, fx.outer, e, KM_MAX_INLINE), 1);
	assert_null(e[0].file);
	km_symbolizer_destroy(s);

	km_test_put_file(dir, "b/c/module-fixture.ko.debug", fx.ko, path,
			 sizeof(path));
	assert_found(dir, path);
}

/* ROOT/usr/lib/debug/.build-id/xx/rest.debug */
static void test_build_id_link(void **state)
{
	char root[512], rel[256], path[1024], hex[41];

	(void)state;
	snprintf(root, sizeof(root), "%s/bid", fx.dir);
	km_build_id_hex(hex, fx.id, fx.id_len);
	snprintf(rel, sizeof(rel), "usr/lib/debug/.build-id/%.2s/%s.debug", hex,
		 hex + 2);
	assert_int_equal(mkdir(root, 0700), 0);
	km_test_put_file(root, rel, fx.ko, path, sizeof(path));
	setenv("KMEMSNOOP_DEBUG_ROOT", root, 1);
	assert_found(NULL, path);
	unsetenv("KMEMSNOOP_DEBUG_ROOT");
}

/* Debian's -dbg package: ROOT/usr/lib/debug/lib/modules/RELEASE/... */
static void test_dbg_tree(void **state)
{
	char root[512], path[1024];

	(void)state;
	snprintf(root, sizeof(root), "%s/dbg", fx.dir);
	assert_int_equal(mkdir(root, 0700), 0);
	km_test_put_file(root,
			 "usr/lib/debug/lib/modules/" RELEASE
			 "/kernel/drivers/misc/module_fixture.ko",
			 fx.ko, path, sizeof(path));
	setenv("KMEMSNOOP_DEBUG_ROOT", root, 1);
	assert_found(NULL, path);
	unsetenv("KMEMSNOOP_DEBUG_ROOT");
}

/*
 * A debuginfod server that is not there (port 1 on the loopback): one
 * warning, then the snapshot names the module's frames.
 */
static void test_debuginfod_down(void **state)
{
	struct km_frame e[KM_MAX_INLINE];
	char root[512], cache[512], *err;
	struct km_symbolizer *s;

	(void)state;
	snprintf(root, sizeof(root), "%s/empty2", fx.dir);
	snprintf(cache, sizeof(cache), "%s/debuginfod-cache", fx.dir);
	assert_int_equal(mkdir(root, 0700), 0);
	setenv("KMEMSNOOP_DEBUG_ROOT", root, 1);
	setenv("DEBUGINFOD_URLS", "http://127.0.0.1:1", 1);
	setenv("DEBUGINFOD_CACHE_PATH", cache, 1);
	s = report_symbols(NULL, &err);
	unsetenv("DEBUGINFOD_URLS");
	unsetenv("KMEMSNOOP_DEBUG_ROOT");
	assert_non_null(strstr(err, "gave no debug file for module " NAME));
	assert_non_null(strstr(err, "no debug file for module " NAME " ("));
	free(err);
	assert_int_equal(km_resolve(s, fx.outer, e, KM_MAX_INLINE), 1);
	assert_string_equal(e[0].name, "outer");
	assert_null(e[0].file);
	km_symbolizer_destroy(s);
}

/* A --modules that is not there is an error, said in one line. */
static void test_bad_dir(void **state)
{
	struct km_symbol_opts o = { .modules = "/nonexistent/modules" };
	struct km_symbolizer *s = NULL;
	struct km_trace t;
	int rc;

	(void)state;
	fake_trace(&t);
	km_test_quiet();
	rc = km_report_symbols(&s, &t.d, &o);
	km_test_loud();
	assert_int_equal(rc, -ENOENT);
	assert_null(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_placed),
		cmocka_unit_test_teardown(test_fallback, km_test_teardown),
		cmocka_unit_test_teardown(test_modules_dir, km_test_teardown),
		cmocka_unit_test_teardown(test_build_id_link, km_test_teardown),
		cmocka_unit_test_teardown(test_dbg_tree, km_test_teardown),
		cmocka_unit_test_teardown(test_debuginfod_down,
					  km_test_teardown),
		cmocka_unit_test_teardown(test_bad_dir, km_test_teardown),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
