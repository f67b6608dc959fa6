// SPDX-License-Identifier: GPL-2.0
/*
 * What a trace may make report look up. A trace comes from anyone:
 * its module build-ids become debuginfod requests and its kernel
 * release becomes directory names. Checked, with a debuginfod that is
 * a directory (DEBUGINFOD_URLS=file://..., no network) and its cache
 * counted from outside (one directory per build-id asked for):
 *  - a trace naming 300 modules whose kept stacks pass through 2 asks
 *    for those 2 and the kernel, and says so in one line;
 *  - stacks through all 300 make at most KM_DEBUGINFOD_MAX requests;
 *  - --no-debuginfod makes none;
 *  - a fetched file's size is in the line;
 *  - a release such as "..", "../x" or "a/b" names no directory, and
 *    is warned about once;
 *  - a trace without a kernel build-id gets no vmlinux found by path,
 *    only one given with --vmlinux.
 */
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>
#include "../../common/error.h"
#include "../../common/symbolize/vmlinux.h"
#include "../../report/report.h"
#include "../../report/symbols.h"
#include "km_test.h"

#define NR_MODS 300
#define MOD_BASE 0xffffffffc0000000ull
#define MOD_SIZE 0x10000ull
#define STACK_DEPTH 100 /* under the 127 frames a stack may have */
#define START_NS 1000000000ull
#define ID_LEN 20
/* The modules pid 100's stacks pass through; pid 200's pass all. */
#define MOD_A 7
#define MOD_B 123

static const char kallsyms[] = "ffffffff81000000 T _text\n"
			       "ffffffff81001000 T vfs_read\n"
			       "ffffffff81005000 T _etext\n";

static struct {
	char dir[256];
	char trace[512], out[512], err[512];
	char server[512], cache[512], empty[512];
	char url[600];
	uint8_t self_id[KM_BUILD_ID_MAX]; /* this program's build-id */
	int self_len;
	bool have_lib; /* libdebuginfod.so.1 loads */
} fx;

static const uint8_t other_kernel[ID_LEN] = { 0xee, 0xee, 0xee, 0xee };

static uint64_t in_mod(int i)
{
	return MOD_BASE + i * MOD_SIZE + 0x10;
}

/* Module i's build-id: one that no file anywhere has. */
static void mod_id(int i, uint8_t *id)
{
	memset(id, 0x5a, ID_LEN);
	id[0] = i >> 8;
	id[1] = i;
}

static void put_meta(struct km_trace_writer *w, const uint8_t *id)
{
	struct km_buf b = { 0 };

	assert_int_equal(km_tlv_put_str(&b, KM_META_RELEASE, "6.1.0-test"), 0);
	assert_int_equal(km_tlv_put(&b, KM_META_BUILD_ID, id, ID_LEN), 0);
	assert_int_equal(km_tlv_put_u64(&b, KM_META_MONOTONIC_NS, START_NS), 0);
	assert_int_equal(km_tlv_put_u64(&b, KM_META_NR_CPUS, 2), 0);
	assert_int_equal(km_tw_chunk(w, KM_CHUNK_META, b.data, b.len), 0);
	km_buf_free(&b);
}

static void put_hit(struct km_trace_writer *w, int n, uint32_t pid,
		    const uint64_t *frames, uint32_t nr)
{
	struct km_hit h = { 0 };

	h.time_ns = START_NS + n * 1000000ull;
	h.pid = h.tid = pid;
	strcpy(h.comm, pid == 100 ? "two" : "all");
	h.addr = 0xffffffff82000000;
	h.stack_id = KM_NO_STACK;
	h.frames = frames;
	h.nr_frames = nr;
	h.ip = frames[0];
	assert_int_equal(km_tw_hit(w, &h), 0);
}

/*
 * The trace: the kernel with build-id kernel_id, NR_MODS modules;
 * pid 100's stack passes through MOD_A and MOD_B, pid 200's stacks
 * through every module.
 */
static void write_trace(const uint8_t *kernel_id)
{
	struct km_trailer tr = { .end_ns = START_NS + 1000000000ull };
	uint64_t two[] = { 0xffffffff81001010, in_mod(MOD_A), in_mod(MOD_B) };
	uint64_t all[STACK_DEPTH];
	struct km_trace_writer w;
	uint8_t id[ID_LEN];
	char name[16];
	int i, n = 0;

	assert_int_equal(km_tw_create(&w, fx.trace), 0);
	put_meta(&w, kernel_id);
	km_test_put_watch(&w, 0, KM_BP_RW, 4, 0xffffffff82000000, "jiffies");
	assert_int_equal(km_tw_chunk(&w, KM_CHUNK_KALLSYMS, kallsyms,
				     strlen(kallsyms)),
			 0);
	for (i = 0; i < NR_MODS; i++) {
		snprintf(name, sizeof(name), "m%03d", i);
		mod_id(i, id);
		km_test_put_module(&w, name, MOD_BASE + i * MOD_SIZE, MOD_SIZE,
				   id, ID_LEN, NULL, 0);
	}
	put_hit(&w, n++, 100, two, 3);
	for (i = 0; i < NR_MODS; i++) {
		all[i % STACK_DEPTH] = in_mod(i);
		if (i % STACK_DEPTH == STACK_DEPTH - 1 || i == NR_MODS - 1)
			put_hit(&w, n++, 200, all, i % STACK_DEPTH + 1);
	}
	tr.seen = n;
	assert_int_equal(km_tw_finish(&w, &tr), 0);
	km_tw_free(&w);
}

/*
 * `kmemsnoop report -i TRACE ARGS...` (ending with NULL) in-process,
 * with a fresh debuginfod cache; returns its exit status, and what it
 * wrote on stderr through *err (malloc'ed).
 */
static int report(char **err, ...)
{
	char *argv[16] = { "report", "-i", fx.trace };
	int argc = 3, saved, fd, status;
	size_t len;
	va_list ap;

	va_start(ap, err);
	while (argc < 15 && (argv[argc] = va_arg(ap, char *)))
		argc++;
	va_end(ap);
	km_test_rm_tree(fx.cache);
	km_usage_error = 0;
	fflush(stdout);
	saved = dup(1);
	fd = open(fx.out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	assert_true(saved >= 0 && fd >= 0);
	dup2(fd, 1);
	close(fd);
	km_test_capture_stderr(fx.err);
	status = km_cmd_report(argc, argv);
	km_test_loud();
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	*err = (char *)km_test_read_file(fx.err, &len);
	*err = realloc(*err, len + 1);
	assert_non_null(*err);
	(*err)[len] = '\0';
	return status;
}

/* Whether the cache has an entry for build-id id. */
static bool asked_for(const uint8_t *id)
{
	char hex[2 * ID_LEN + 1], path[700];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", fx.cache,
		 km_build_id_hex(hex, id, ID_LEN));
	return !stat(path, &st);
}

/* Build-ids the debuginfod cache has an entry for: those asked for. */
static int nr_asked(void)
{
	struct dirent *e;
	DIR *d = opendir(fx.cache);
	int n = 0;

	if (!d)
		return 0;
	while ((e = readdir(d)))
		n += strlen(e->d_name) == 2 * ID_LEN;
	closedir(d);
	return n;
}

/* Lines of text that contain needle. */
static int lines_with(const char *text, const char *needle)
{
	const char *p = text, *nl;
	int n = 0;

	for (; *p; p = nl + 1) {
		nl = strchrnul(p, '\n');
		if (memmem(p, nl - p, needle, strlen(needle)))
			n++;
		if (!*nl)
			break;
	}
	return n;
}

static int setup(void **state)
{
	void *lib;

	(void)state;
	km_test_mkdtemp(fx.dir);
	snprintf(fx.trace, sizeof(fx.trace), "%s/t.kmt", fx.dir);
	snprintf(fx.out, sizeof(fx.out), "%s/out", fx.dir);
	snprintf(fx.err, sizeof(fx.err), "%s/err", fx.dir);
	snprintf(fx.server, sizeof(fx.server), "%s/server", fx.dir);
	snprintf(fx.cache, sizeof(fx.cache), "%s/cache", fx.dir);
	snprintf(fx.empty, sizeof(fx.empty), "%s/empty", fx.dir);
	snprintf(fx.url, sizeof(fx.url), "file://%s", fx.server);
	assert_int_equal(mkdir(fx.server, 0700), 0);
	assert_int_equal(mkdir(fx.empty, 0700), 0);
	fx.self_len = km_elf_build_id("/proc/self/exe", fx.self_id,
				      sizeof(fx.self_id));
	assert_int_equal(fx.self_len, ID_LEN);
	/* Nothing from this machine: no debug files, our own server. */
	setenv("KMEMSNOOP_DEBUG_ROOT", fx.empty, 1);
	setenv("DEBUGINFOD_URLS", fx.url, 1);
	setenv("DEBUGINFOD_CACHE_PATH", fx.cache, 1);
	lib = dlopen("libdebuginfod.so.1", RTLD_NOW | RTLD_LOCAL);
	fx.have_lib = lib != NULL;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	km_test_loud();
	unsetenv("DEBUGINFOD_URLS");
	unsetenv("KMEMSNOOP_DEBUG_ROOT");
	km_test_rm_tree(fx.dir);
	return 0;
}

/* The requests are made through libdebuginfod (tools/install-deps.sh). */
static void need_lib(void)
{
	if (!fx.have_lib) {
		print_message("libdebuginfod.so.1 cannot be loaded: skipped\n");
		skip();
	}
}

/* 300 modules in the trace, 2 in the stacks kept: 2 requests, and the kernel's. */
static void test_kept_stacks_only(void **state)
{
	uint8_t a[ID_LEN], b[ID_LEN];
	char *err;

	(void)state;
	need_lib();
	write_trace(other_kernel);
	assert_int_equal(report(&err, "--pid", "100", NULL), 0);
	mod_id(MOD_A, a);
	mod_id(MOD_B, b);
	assert_true(asked_for(other_kernel));
	assert_true(asked_for(a));
	assert_true(asked_for(b));
	assert_int_equal(nr_asked(), 3);
	assert_int_equal(lines_with(err, "kmemsnoop: debuginfod: "), 1);
	assert_non_null(strstr(err, "debuginfod: 3 requests, no debug file\n"));
	free(err);
}

/* Stacks through all 300: the limit holds, and the line says so. */
static void test_limit(void **state)
{
	char want[128], *err;

	(void)state;
	need_lib();
	write_trace(other_kernel);
	assert_int_equal(report(&err, NULL), 0);
	assert_true(asked_for(other_kernel));
	assert_int_equal(nr_asked(), KM_DEBUGINFOD_MAX);
	snprintf(
		want, sizeof(want),
		"debuginfod: %d requests, no debug file; %d more not made: at most %d a run\n",
		KM_DEBUGINFOD_MAX, NR_MODS + 1 - KM_DEBUGINFOD_MAX,
		KM_DEBUGINFOD_MAX);
	assert_non_null(strstr(err, want));
	assert_int_equal(lines_with(err, "kmemsnoop: debuginfod: "), 1);
	free(err);
}

/* --no-debuginfod: no request at all, and nothing to sum up. */
static void test_no_debuginfod(void **state)
{
	char *err;

	(void)state;
	write_trace(other_kernel);
	assert_int_equal(report(&err, "--no-debuginfod", NULL), 0);
	assert_int_equal(nr_asked(), 0);
	assert_int_equal(lines_with(err, "debuginfod"), 0);
	free(err);
}

/* A file that is fetched: used, and counted with its size. */
static void test_fetched(void **state)
{
	char hex[2 * ID_LEN + 1], rel[128], path[1024], *err;
	struct stat st;

	(void)state;
	need_lib();
	km_build_id_hex(hex, fx.self_id, fx.self_len);
	snprintf(rel, sizeof(rel), "buildid/%s/debuginfo", hex);
	km_test_put_file(fx.server, rel, "/proc/self/exe", path, sizeof(path));
	assert_int_equal(stat(path, &st), 0);
	write_trace(fx.self_id);
	assert_int_equal(report(&err, "--pid", "100", NULL), 0);
	assert_int_equal(nr_asked(), 3);
	assert_int_equal(lines_with(err, "kmemsnoop: symbols from "), 1);
	assert_non_null(strstr(err, "debuginfod: 3 requests, 1 debug file ("));
	if (st.st_size >= 1024 * 1024)
		assert_non_null(strstr(err, " MiB)\n"));
	else
		assert_non_null(strstr(err, " KiB)\n"));
	free(err);
	unlink(path);
}

static void test_path_name_ok(void **state)
{
	static const char *const bad[] = {
		"",
		".",
		"..",
		"../x",
		"a/b",
		"/",
		"6.1 x",
		"6.1\t",
		"6.1\x1b[2J",
		"6.1\x7f",
		"\xc3\xa9",
		"0123456789012345678901234567890123456789012345678901234567890123456789",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		assert_false(km_path_name_ok(bad[i]));
	assert_true(km_path_name_ok("6.1.0-13-amd64"));
	assert_true(km_path_name_ok("..."));
	assert_true(km_path_name_ok(".x"));
	assert_true(km_path_name_ok("virtio_blk"));
}

/* The kernel part of a trace, as the reader fills it in. */
static void fake_trace(struct km_trace_data *d, const char *release,
		       const uint8_t *id, size_t len)
{
	memset(d, 0, sizeof(*d));
	d->path = "t.kmt";
	d->release = (char *)release;
	if (len) /* id may be NULL then, and memcpy's may not */
		memcpy(d->build_id, id, len);
	d->build_id_len = len;
	d->kallsyms = (char *)kallsyms;
	d->kallsyms_len = strlen(kallsyms);
}

/* km_report_symbols on d, with its stderr into *err (malloc'ed). */
static int symbols(const struct km_trace_data *d,
		   const struct km_symbol_opts *o, char **err)
{
	struct km_symbolizer *s = NULL;
	size_t len;
	int rc;

	km_test_capture_stderr(fx.err);
	rc = km_report_symbols(&s, d, o);
	km_symbolizer_destroy(s);
	km_test_loud();
	*err = (char *)km_test_read_file(fx.err, &len);
	*err = realloc(*err, len + 1);
	assert_non_null(*err);
	(*err)[len] = '\0';
	return rc;
}

/*
 * A release that would lead out of the directories: this program, with
 * the trace's build-id, waits where the path would lead, and is not
 * taken; one line says why.
 */
static void test_release_not_a_path(void **state)
{
	static const struct {
		const char *release, *rel;
	} cases[] = {
		{ "..", "lib/build/vmlinux" },
		{ "..", "usr/lib/debug/boot/vmlinux-.." },
		{ ".", "lib/modules/build/vmlinux" },
		{ "../x", "lib/x/build/vmlinux" },
		{ "a/b", "lib/modules/a/b/build/vmlinux" },
		{ "a/b", "boot/vmlinux-a/b" },
		{ "x\x1b[2J", "boot/vmlinux-x\x1b[2J" },
	};
	struct km_symbol_opts o = { .no_debuginfod = true };
	char root[512], path[1024], *err;
	struct km_trace_data d;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		snprintf(root, sizeof(root), "%s/root%zu", fx.dir, i);
		assert_int_equal(mkdir(root, 0700), 0);
		km_test_put_file(root, cases[i].rel, "/proc/self/exe", path,
				 sizeof(path));
		setenv("KMEMSNOOP_DEBUG_ROOT", root, 1);
		fake_trace(&d, cases[i].release, fx.self_id, fx.self_len);
		assert_int_equal(symbols(&d, &o, &err), 0);
		assert_null(strstr(err, "symbols from /"));
		assert_int_equal(lines_with(err, "records kernel release"), 1);
		assert_non_null(strstr(err, "no vmlinux with build-id"));
		/* Shown escaped, never as it is. */
		assert_null(strchr(err, '\x1b'));
		free(err);
	}
	setenv("KMEMSNOOP_DEBUG_ROOT", fx.empty, 1);
}

/*
 * No build-id in the trace: a vmlinux named for its release is not
 * taken (it could be any kernel's), but one given with --vmlinux is.
 */
static void test_no_build_id(void **state)
{
	struct km_symbol_opts o = { .no_debuginfod = true };
	char root[512], path[1024], want[1200], *err;
	struct km_trace_data d;

	(void)state;
	snprintf(root, sizeof(root), "%s/noid", fx.dir);
	assert_int_equal(mkdir(root, 0700), 0);
	km_test_put_file(root, "boot/vmlinux-6.1.0-test", "/proc/self/exe",
			 path, sizeof(path));
	setenv("KMEMSNOOP_DEBUG_ROOT", root, 1);
	fake_trace(&d, "6.1.0-test", NULL, 0);
	assert_int_equal(symbols(&d, &o, &err), 0);
	assert_null(strstr(err, "symbols from /"));
	assert_int_equal(lines_with(err, "records no kernel build-id"), 1);
	/* One line, and that one. */
	assert_ptr_equal(strchr(err, '\n'), err + strlen(err) - 1);
	free(err);

	o.vmlinux = path;
	assert_int_equal(symbols(&d, &o, &err), 0);
	snprintf(want, sizeof(want), "cannot check that %s is the kernel",
		 path);
	assert_non_null(strstr(err, want));
	free(err);
	setenv("KMEMSNOOP_DEBUG_ROOT", fx.empty, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_kept_stacks_only,
					  km_test_teardown),
		cmocka_unit_test_teardown(test_limit, km_test_teardown),
		cmocka_unit_test_teardown(test_no_debuginfod, km_test_teardown),
		cmocka_unit_test_teardown(test_fetched, km_test_teardown),
		cmocka_unit_test(test_path_name_ok),
		cmocka_unit_test_teardown(test_release_not_a_path,
					  km_test_teardown),
		cmocka_unit_test_teardown(test_no_build_id, km_test_teardown),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
