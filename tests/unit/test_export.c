// SPDX-License-Identifier: GPL-2.0
/*
 * kmemsnoop export on a trace recorded (so to speak) under KASLR: the
 * export must hold none of the machine's addresses, its hostname,
 * command line, registers or values, while report shows the same
 * stacks, names and offsets, with the same counts, on both.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <ctype.h>
#include <inttypes.h>
#include <zstd.h>
#include "../../common/trace/life.h"
#include "report_fixture.h"
#include "../../report/export.h"

#define SLIDE 0x1e400000ull
#define K(off) (0xffffffff81000000ull + SLIDE + (off)) /* runtime kernel */
#define MOD 0xffffffffc0a10000ull /* where mymod ran */
#define HOST "secret-host-name"
#define ARG "--secret-arg"

static const char slid_kallsyms[] =
	"0000000000000000 A fixed_percpu_data\n"
	"ffffffff9f400000 T _text\n"
	"ffffffff9f401000 T vfs_read\n"
	"ffffffff9f402000 T memcpy\n"
	"ffffffff9f402000 T __pi_memcpy\n"
	"ffffffff9f403000 T do_syscall_64\n"
	"ffffffff9f404000 T ksys_write\n"
	"ffffffff9f405000 T _etext\n"
	"ffffffff9f406000 T unrelated_secret_fn\n"
	"ffffffff9fa00000 D jiffies\n"
	"ffffffff9fa00100 D other_data\n"
	"ffffffffc0a10000 t mod_fn\t[mymod]\n"
	"ffffffffc0a10800 t mod_fn2\t[mymod]\n"
	"ffffffffc0a11000 t mod_end\t[mymod]\n"
	"ffffffffc0b20000 t other_mod_fn\t[othermod]\n";

static const uint64_t stack_a[] = { K(0x2008), K(0x1020), K(0x3020) };
static const uint64_t stack_b[] = { MOD + 0x810, K(0x4020), K(0x3020) };

#define NR_HITS 6
static const struct {
	uint32_t pid, tid;
	const char *comm;
	char stack;
} hits[NR_HITS] = {
	{ 4242, 4242, "alpha", 'A' }, { 4242, 4243, "alpha", 'A' },
	{ 5151, 5151, "beta", 'B' },  { 4242, 4242, "alpha", 'A' },
	{ 5151, 5151, "beta", 0 },    { 6161, 6161, "gamma", 'B' },
};

/* Registers and values no export may show. */
static uint64_t reg_value(int hit, int r)
{
	return 0xffff888012340000ull + 0x100 * hit + r;
}

#define VALUE(i) (0x7e57a1e500000000ull + (i))
#define FILTERS                                                             \
	"pid=987654,876543 tid=765432 exclude-pid=654321 comm=Web Kontent," \
	"secretproj,Web\\x20Zontent cpus=0"

static void put_meta(struct km_trace_writer *w)
{
	static const char cmdline[] = "kmemsnoop\0record\0" ARG
				      "\0rw8\0jiffies";
	struct km_buf b = { 0 };

	assert_int_equal(km_tlv_put_str(&b, KM_META_RELEASE, "6.1.0-test"), 0);
	assert_int_equal(km_tlv_put_str(&b, KM_META_MACHINE, "x86_64"), 0);
	assert_int_equal(km_tlv_put_str(&b, KM_META_HOSTNAME, HOST), 0);
	assert_int_equal(km_tlv_put_u64(&b, KM_META_MONOTONIC_NS, RF_START_NS),
			 0);
	assert_int_equal(
		km_tlv_put(&b, KM_META_CMDLINE, cmdline, sizeof(cmdline)), 0);
	assert_int_equal(km_tlv_put_u64(&b, KM_META_NR_REGS, KM_NR_REGS), 0);
	/* A name with a space, as record wrote it before escaping them. */
	assert_int_equal(km_tlv_put_str(&b, KM_META_FILTERS, FILTERS), 0);
	assert_int_equal(km_tw_chunk(w, KM_CHUNK_META, b.data, b.len), 0);
	km_buf_free(&b);
}

static void put_modules(struct km_trace_writer *w)
{
	static const struct km_test_section mine[] = {
		{ MOD, ".text" }, { MOD + 0x4000, ".data" }
	};
	static const struct km_test_section other[] = { { 0xffffffffc0b20000ull,
							  ".text" } };
	static const uint8_t id[] = { 1, 2, 3, 4 };

	km_test_put_module(w, "mymod", MOD, 0x2000, id, sizeof(id), mine, 2);
	km_test_put_module(w, "othermod", 0xffffffffc0b20000ull, 0x1000, NULL,
			   0, other, 1);
}

static void make_hit(int i, struct km_hit *h, uint64_t *regs)
{
	int r;

	memset(h, 0, sizeof(*h));
	h->time_ns = RF_START_NS + (i + 1) * 100000000ull;
	h->pid = hits[i].pid;
	h->tid = hits[i].tid;
	h->cpu = i % 2;
	strcpy(h->comm, hits[i].comm);
	h->addr = K(0xa00000);
	h->has_value = h->has_old = true;
	h->value = VALUE(i);
	h->old_value = VALUE(i + 100);
	h->stack_id = KM_NO_STACK;
	if (hits[i].stack) {
		h->frames = hits[i].stack == 'A' ? stack_a : stack_b;
		h->nr_frames = 3;
	}
	h->ip = h->nr_frames ? h->frames[0] : K(0x1004);
	for (r = 0; r < KM_NR_REGS; r++)
		regs[r] = reg_value(i, r);
	h->regs = regs;
}

static void write_slid(const char *path)
{
	struct km_trailer tr = { .seen = NR_HITS,
				 .end_ns = RF_START_NS + 1000000000ull };
	uint64_t regs[KM_NR_REGS];
	struct km_trace_writer w;
	struct km_hit h;
	int i;

	assert_int_equal(km_tw_create(&w, path), 0);
	put_meta(&w);
	km_test_put_watch(&w, 0, KM_BP_RW, 8, K(0xa00000), "jiffies");
	assert_int_equal(km_tw_chunk(&w, KM_CHUNK_KALLSYMS, slid_kallsyms,
				     strlen(slid_kallsyms)),
			 0);
	put_modules(&w);
	for (i = 0; i < NR_HITS; i++) {
		make_hit(i, &h, regs);
		assert_int_equal(km_tw_hit(&w, &h), 0);
	}
	assert_int_equal(km_tw_finish(&w, &tr), 0);
	km_tw_free(&w);
}

/*
 * A lifetime trace (record --on) on two watch slots. Slot 0: object 1
 * at O1, hit twice, freed, hit after its free (read before its DISARM
 * and after it), hit once its breakpoint was off, then object 3 at the
 * same address, hit and never freed. Slot 1: object 2 at O2, hit,
 * then a hit at slot 0's field, which no object of slot 1 has.
 */
#define O1 0xffff888003a1c000ull
#define F1 (O1 + 0x48)
#define O2 0xffff888003a1d800ull
#define F2 (O2 + 0x10)
#define MS(ms) (RF_START_NS + 1000000ull * (ms))

static void put_life_watch(struct km_trace_writer *w, int i)
{
	struct km_buf b = { 0 };

	assert_int_equal(km_tlv_put_u64(&b, KM_WATCH_INDEX, i), 0);
	assert_int_equal(km_tlv_put_u64(&b, KM_WATCH_TYPE, KM_BP_W), 0);
	assert_int_equal(km_tlv_put_u64(&b, KM_WATCH_LEN, 8), 0);
	assert_int_equal(km_tlv_put_u64(&b, KM_WATCH_ADDR, K(0xa00100)), 0);
	assert_int_equal(km_tlv_put_str(&b, KM_WATCH_EXPR, "f_pos"), 0);
	assert_int_equal(km_tlv_put_str(&b, KM_WATCH_OBJECT,
					"objects from --on alloc_file:ret"),
			 0);
	assert_int_equal(km_tw_chunk(w, KM_CHUNK_WATCH, b.data, b.len), 0);
	km_buf_free(&b);
}

/* A LIFE record made by hits[task]'s task. */
static void put_life(struct km_trace_writer *w, uint32_t kind, uint32_t slot,
		     uint32_t seq, uint64_t ms, uint64_t object, uint64_t addr,
		     int task)
{
	struct km_life_rec r = {
		.kind = kind,
		.slot = slot,
		.seq = seq,
		.event_ns = MS(ms),
		.live_ns = MS(ms + (kind == KM_LIFE_DISARM ? 30 : 1)),
		.object = object,
		.addr = addr,
		.pid = hits[task].pid,
		.tid = hits[task].tid
	};
	struct km_buf b = { 0 };

	snprintf(r.comm, sizeof(r.comm), "%s", hits[task].comm);
	assert_int_equal(km_life_encode(&b, &r), 0);
	assert_int_equal(km_tw_chunk(w, KM_CHUNK_LIFE, b.data, b.len), 0);
	km_buf_free(&b);
}

/* A hit as hits[task] would have made it, on watch at addr. */
static void put_life_hit(struct km_trace_writer *w, uint16_t watch,
			 uint64_t addr, uint64_t ms, int task, bool flush)
{
	uint64_t regs[KM_NR_REGS];
	struct km_hit h;

	make_hit(task, &h, regs);
	h.watch = watch;
	h.addr = addr;
	h.time_ns = MS(ms);
	assert_int_equal(km_tw_hit(w, &h), 0);
	if (flush)
		assert_int_equal(km_tw_flush(w), 0);
}

static void write_lifetime(const char *path)
{
	struct km_life_summary sum = { .arms = 3, .disarms = 2, .again = 1 };
	struct km_trailer tr = { .end_ns = MS(1000) };
	struct km_trace_writer w;
	struct km_buf b = { 0 };

	assert_int_equal(km_tw_create(&w, path), 0);
	put_meta(&w);
	put_life_watch(&w, 0);
	put_life_watch(&w, 1);
	assert_int_equal(km_tw_chunk(&w, KM_CHUNK_KALLSYMS, slid_kallsyms,
				     strlen(slid_kallsyms)),
			 0);
	put_modules(&w);
	put_life(&w, KM_LIFE_ARM, 0, 1, 100, O1, F1, 1);
	put_life_hit(&w, 0, F1, 150, 0, false);
	put_life(&w, KM_LIFE_ARM, 1, 2, 120, O2, F2, 2);
	put_life_hit(&w, 1, F2, 130, 2, false);
	put_life_hit(&w, 1, F1, 140, 3, false);
	put_life_hit(&w, 0, F1, 160, 2, true);
	put_life_hit(&w, 0, F1, 210, 0, true);
	put_life(&w, KM_LIFE_DISARM, 0, 1, 200, O1, F1, 5);
	put_life_hit(&w, 0, F1, 220, 5, false);
	put_life_hit(&w, 0, F1, 240, 5, true);
	put_life(&w, KM_LIFE_ARM, 0, 3, 300, O1, F1, 2);
	put_life_hit(&w, 0, F1, 350, 4, true);
	put_life(&w, KM_LIFE_DISARM, 1, 2, 400, O2, F2, 0);
	assert_int_equal(km_life_encode_summary(&b, &sum), 0);
	assert_int_equal(km_tw_chunk(&w, KM_CHUNK_LIFE, b.data, b.len), 0);
	km_buf_free(&b);
	assert_int_equal(km_tw_finish(&w, &tr), 0);
	km_tw_free(&w);
}

/* The original trace and its export, each as report_fixture.h runs it. */
struct ex {
	struct rf_fixture orig, exp, life;
};

static int ex_setup(void **state)
{
	static struct ex ex;
	struct rf_fixture *fx;

	rf_setup(state);
	fx = *state;
	ex.orig = ex.exp = *fx;
	snprintf(ex.orig.path, sizeof(ex.orig.path), "%.200s/slid.kmt",
		 fx->dir);
	snprintf(ex.exp.path, sizeof(ex.exp.path), "%.200s/export.kmt",
		 fx->dir);
	write_slid(ex.orig.path);
	ex.life = *fx;
	snprintf(ex.life.path, sizeof(ex.life.path), "%.200s/life.kmt",
		 fx->dir);
	write_lifetime(ex.life.path);
	*state = &ex;
	return 0;
}

static int ex_teardown(void **state)
{
	struct ex *ex = *state;

	*state = &ex->orig;
	return rf_teardown(state);
}

/* Runs `kmemsnoop export ARGS...` (ending with NULL); its exit status. */
static int run_export(const char *arg, ...)
{
	char *argv[32] = { "export", (char *)arg };
	int argc = 2, st;
	va_list ap;

	va_start(ap, arg);
	while (arg && argc < 31 && (argv[argc] = va_arg(ap, char *)))
		argc++;
	va_end(ap);
	argc = arg ? argc : 1;
	km_usage_error = 0;
	km_test_quiet();
	st = km_cmd_export(argc, argv);
	km_test_loud();
	return st;
}

static void export_from(struct ex *ex, const struct rf_fixture *in,
			const char *opt, const char *items)
{
	unlink(ex->exp.path);
	assert_int_equal(run_export("-i", in->path, "-o", ex->exp.path, opt,
				    items, NULL),
			 0);
}

static void export_ok(struct ex *ex, const char *keep)
{
	export_from(ex, &ex->orig, keep ? "--keep" : NULL, keep);
}

/* The file header, then every chunk's payload decompressed. */
static uint8_t *plain_bytes(const char *path, size_t *out_len)
{
	size_t len, off = KM_FILE_HDR_SIZE, n = 0;
	uint8_t *file = km_test_read_file(path, &len), *out;
	uint32_t raw, stored;

	out = malloc(KM_FILE_HDR_SIZE);
	memcpy(out, file, KM_FILE_HDR_SIZE);
	n = KM_FILE_HDR_SIZE;
	while (off + KM_CHUNK_HDR_SIZE <= len) {
		raw = km_get32(file + off + 8);
		stored = km_get32(file + off + 12);
		out = realloc(out, n + raw);
		assert_int_equal(ZSTD_decompress(out + n, raw,
						 file + off + KM_CHUNK_HDR_SIZE,
						 stored),
				 raw);
		n += raw;
		off += KM_CHUNK_HDR_SIZE + stored;
	}
	assert_int_equal(off, len);
	free(file);
	*out_len = n;
	return out;
}

/* Whether v occurs in buf, as 8 bytes or as hex text. */
static bool has_u64(const uint8_t *buf, size_t len, uint64_t v)
{
	char hex[17];
	uint8_t le[8];

	km_put64(le, v);
	snprintf(hex, sizeof(hex), "%" PRIx64, v);
	return memmem(buf, len, le, 8) || memmem(buf, len, hex, strlen(hex));
}

static void assert_absent_u64(const uint8_t *buf, size_t len, uint64_t v)
{
	if (has_u64(buf, len, v))
		fail_msg("the export holds 0x%" PRIx64, v);
}

static void assert_absent_str(const uint8_t *buf, size_t len, const char *s)
{
	if (memmem(buf, len, s, strlen(s)))
		fail_msg("the export holds \"%s\"", s);
}

/* Every address of the original kallsyms text, parsed as hex. */
static void assert_no_kallsyms_address(const uint8_t *buf, size_t len)
{
	const char *p = slid_kallsyms;
	uint64_t a;

	for (; *p; p = strchr(p, '\n') + 1) {
		a = strtoull(p, NULL, 16);
		if (a)
			assert_absent_u64(buf, len, a);
	}
}

static void test_nothing_private_left(void **state)
{
	struct ex *ex = *state;
	size_t len, i;
	uint8_t *buf;
	int h, r;

	export_ok(ex, NULL);
	buf = plain_bytes(ex->exp.path, &len);
	assert_no_kallsyms_address(buf, len);
	for (i = 0; i < 3; i++) {
		assert_absent_u64(buf, len, stack_a[i]);
		assert_absent_u64(buf, len, stack_b[i]);
	}
	assert_absent_u64(buf, len, SLIDE);
	assert_absent_u64(buf, len, MOD + 0x4000);
	assert_absent_u64(buf, len, K(0x1004));
	for (h = 0; h < NR_HITS; h++) {
		assert_absent_u64(buf, len, VALUE(h));
		assert_absent_u64(buf, len, VALUE(h + 100));
		for (r = 0; r < KM_NR_REGS; r++)
			assert_absent_u64(buf, len, reg_value(h, r));
	}
	assert_absent_str(buf, len, HOST);
	assert_absent_str(buf, len, ARG);
	assert_absent_str(buf, len, "unrelated_secret_fn");
	assert_absent_str(buf, len, "othermod");
	assert_absent_str(buf, len, "fixed_percpu_data");
	assert_absent_str(buf, len, "987654");
	assert_absent_str(buf, len, "876543");
	assert_absent_str(buf, len, "765432");
	assert_absent_str(buf, len, "654321");
	/* And what it must say instead. */
	assert_non_null(memmem(buf, len, "T _text", 7));
	assert_true(has_u64(buf, len, 0xffffffff81000000ull));
	free(buf);
}

/*
 * A report with its addresses taken out: "0x" and its hex digits,
 * except an offset ("+0x8"); and the export's own line.
 */
static char *without_addresses(const char *s)
{
	char *out = malloc(strlen(s) + 1), *o = out;

	if (!strncmp(s, "# export: ", 10))
		s = strchr(s, '\n') + 1;
	while (*s) {
		if (s[0] == '0' && s[1] == 'x' && (o == out || o[-1] != '+')) {
			for (s += 2; isxdigit((unsigned char)*s); s++)
				;
			continue;
		}
		*o++ = *s++;
	}
	*o = '\0';
	return out;
}

/* report ARGS on both: the same once addresses are taken out. */
static void same_report(struct ex *ex, const char *a, const char *b)
{
	char *x = RF_OK(&ex->orig, a, b), *y = RF_OK(&ex->exp, a, b);
	char *nx = without_addresses(x), *ny = without_addresses(y);

	assert_true(strlen(nx) > 100);
	assert_string_equal(nx, ny);
	assert_int_equal(strncmp(y, "# export: ", 10), 0);
	free(x), free(y), free(nx), free(ny);
}

static void test_same_stacks(void **state)
{
	struct ex *ex = *state;
	char *out;

	export_ok(ex, NULL);
	same_report(ex, NULL, NULL);
	same_report(ex, "-s", "sym,stack");
	same_report(ex, "-g", "caller");
	out = RF_OK(&ex->exp, NULL);
	/* Named, with the offsets of the original. */
	assert_int_equal(rf_count_lines(out, "memcpy @ 0x[0-9a-f]+\\+0x8$"), 1);
	assert_int_equal(rf_count_lines(out, "mod_fn2 \\[mymod\\] @ "
					     "0xffffffffc0000800\\+0x10$"),
			 1);
	assert_int_equal(rf_count_lines(out, "ksys_write @ 0xffffffff81004000"),
			 1);
	free(out);
}

static void test_header_and_keep(void **state)
{
	struct ex *ex = *state;
	char *out;

	export_ok(ex, NULL);
	out = RF_OK(&ex->exp, "--header");
	assert_int_equal(rf_count_lines(out, "^export: kernel rebased to _text "
					     "0xffffffff81000000 .*removed: "
					     "hostname, cmdline, regs"),
			 1);
	assert_int_equal(rf_count_lines(out, "^hostname: \\(not recorded\\)$"),
			 1);
	assert_int_equal(rf_count_lines(out,
					"^module: mymod 0xffffffffc0000000 "
					"8192 01020304$"),
			 1);
	free(out);
	out = RF_OK(&ex->exp, "--hits");
	/* Renumbered as first seen, 0 for none; comms kept. */
	assert_int_equal(rf_count_lines(out, "pid 1/1 comm alpha"), 2);
	assert_int_equal(rf_count_lines(out, "pid 1/2 comm alpha"), 1);
	assert_int_equal(rf_count_lines(out, "pid 3/3 comm beta"), 2);
	assert_int_equal(rf_count_lines(out, " value 0x"), 0);
	free(out);

	export_ok(ex, "hostname,regs,pids");
	out = RF_OK(&ex->exp, "--header");
	assert_int_equal(rf_count_lines(out, "^hostname: " HOST "$"), 1);
	free(out);
	out = RF_OK(&ex->exp, "--hits");
	assert_int_equal(rf_count_lines(out, "pid 4242/4243"), 1);
	assert_int_equal(rf_count_lines(out, "0xffff888012340000"), 1);
	free(out);
}

static void test_drop_comms(void **state)
{
	struct ex *ex = *state;
	char *out;

	unlink(ex->exp.path);
	assert_int_equal(run_export("-i", ex->orig.path, "-o", ex->exp.path,
				    "--drop", "comms", NULL),
			 0);
	out = RF_OK(&ex->exp, "--hits");
	assert_int_equal(rf_count_lines(out, "comm task1 "), 3);
	assert_int_equal(rf_count_lines(out, "comm task3 "), 1);
	assert_int_equal(rf_count_lines(out, "alpha|beta|gamma"), 0);
	free(out);
	/* Every name of the --comm filter, spaces and all; cpus= stays. */
	out = RF_OK(&ex->exp, "--header");
	assert_int_equal(rf_count_lines(out, "Kontent|secretproj|Zontent"), 0);
	assert_int_equal(
		rf_count_lines(
			out,
			"pid=\\? tid=\\? exclude-pid=\\? comm=\\? cpus=0$"),
		1);
	free(out);
}

static void test_mode_and_refusals(void **state)
{
	struct ex *ex = *state;
	size_t before, after;
	struct stat st;
	char old[600];

	export_ok(ex, NULL);
	assert_int_equal(stat(ex->exp.path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	free(km_test_read_file(ex->orig.path, &before));
	/* Never the input, not even as OUTPUT.old. */
	assert_int_equal(run_export("-i", ex->orig.path, "-o", ex->orig.path,
				    NULL),
			 KM_EXIT_USAGE);
	snprintf(old, sizeof(old), "%s.old", ex->exp.path);
	assert_int_equal(rename(ex->orig.path, old), 0);
	assert_int_equal(run_export("-i", old, "-o", ex->exp.path, NULL),
			 KM_EXIT_USAGE);
	assert_int_equal(rename(old, ex->orig.path), 0);
	free(km_test_read_file(ex->orig.path, &after));
	assert_int_equal(before, after);
	assert_int_equal(run_export("-i", ex->orig.path, NULL), KM_EXIT_USAGE);
	assert_int_equal(run_export("-i", ex->orig.path, "-o", "x", "--keep",
				    "secrets", NULL),
			 KM_EXIT_USAGE);
	assert_int_equal(run_export("-i", "/nonexistent/t", "-o", ex->exp.path,
				    NULL),
			 KM_EXIT_FAIL);
	/* -k, as in report and perf, and -v, its old letter: a vmlinux. */
	assert_int_equal(run_export("-i", ex->orig.path, "-o", ex->exp.path,
				    "-k", "/nonexistent/vmlinux", NULL),
			 KM_EXIT_FAIL);
	assert_int_equal(run_export("-i", ex->orig.path, "-o", ex->exp.path,
				    "-v", "/nonexistent/vmlinux", NULL),
			 KM_EXIT_FAIL);
	assert_int_equal(run_export("-i", ex->orig.path, "-o", ex->exp.path,
				    "-x", "/nonexistent/vmlinux", NULL),
			 KM_EXIT_USAGE);
}

/* The objects table's lines of a report, their addresses taken out. */
static char *objects_table(const struct rf_fixture *fx)
{
	char *out = RF_OK(fx, "--no-pager"), *t = strstr(out, "\n# objects");
	char *table;

	assert_non_null(t);
	table = without_addresses(t);
	free(out);
	return table;
}

/* The table of the lifetime trace, as the original's report gives it. */
static void assert_objects(const char *table)
{
	static const char *const rows[] = {
		"^ +1 +0 .* alpha +4243 .* +2 +2$",
		"^ +2 +1 .* beta +5151 .* +1 +0$",
		"^ +3 +0 .* beta +5151 +- +- +1 +0$",
		"^# 3 objects armed, 2 freed",
		"^# 2 hits belong to no armed object$",
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		if (rf_count_lines(table, rows[i]) != 1)
			fail_msg("no line /%s/ in:\n%s", rows[i], table);
}

/*
 * The objects table of an export is the original's, row for row, once
 * the addresses are taken out; no object's address is left; pids,
 * tids and comms of the LIFE records go as the hits' do.
 */
static void test_lifetime(void **state)
{
	struct ex *ex = *state;
	char *orig = objects_table(&ex->life), *exp, *hits;
	static const uint64_t addrs[] = { O1, F1, O2, F2 };
	size_t len, i;
	uint8_t *buf;

	assert_objects(orig);
	export_from(ex, &ex->life, "--keep", "pids");
	exp = objects_table(&ex->exp);
	assert_string_equal(orig, exp);
	free(exp);
	buf = plain_bytes(ex->exp.path, &len);
	for (i = 0; i < 4; i++)
		assert_absent_u64(buf, len, addrs[i]);
	free(buf);
	/* The same address, the same made-up one: objects 1 and 3. */
	hits = RF_OK(&ex->exp, "--hits");
	assert_int_equal(rf_count_lines(hits, "^object 1 \\(0xda7a"), 4);
	assert_int_equal(rf_count_lines(hits, "^object 3 \\(0xda7a"), 1);
	free(hits);
	hits = RF_OK(&ex->exp, "--hits", "--format", "json");
	assert_null(strstr(hits, "ffff888003a1"));
	free(hits);

	/* Renumbered and renamed as the hits are: alpha, 4242/4243 first. */
	export_from(ex, &ex->life, "--drop", "comms");
	exp = objects_table(&ex->exp);
	assert_int_equal(rf_count_lines(exp, "^ +1 +0 .* task1 +2 .* +2 +2$"),
			 1);
	assert_int_equal(rf_count_lines(exp, "^ +2 +1 .* task2 +3 .* +1 +0$"),
			 1);
	assert_int_equal(
		rf_count_lines(exp, "^ +3 +0 .* task2 +3 +- +- +1 +0$"), 1);
	free(exp);
	hits = RF_OK(&ex->exp, "--hits");
	assert_int_equal(rf_count_lines(hits, "pid 3/3 comm task2 "), 3);
	free(hits);

	export_from(ex, &ex->life, "--keep", "addresses,pids");
	buf = plain_bytes(ex->exp.path, &len);
	for (i = 0; i < 4; i++)
		assert_true(has_u64(buf, len, addrs[i]));
	free(buf);
	exp = objects_table(&ex->exp);
	assert_string_equal(orig, exp);
	free(exp);
	free(orig);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nothing_private_left),
		cmocka_unit_test(test_same_stacks),
		cmocka_unit_test(test_header_and_keep),
		cmocka_unit_test(test_drop_comms),
		cmocka_unit_test(test_mode_and_refusals),
		cmocka_unit_test(test_lifetime),
	};

	return cmocka_run_group_tests(tests, ex_setup, ex_teardown);
}
