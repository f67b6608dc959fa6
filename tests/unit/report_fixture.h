/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A trace with known content for the report tests, and a way to run
 * `kmemsnoop report` on it in-process and get what it printed.
 *
 * Eight hits of two watches, from three processes, on two CPUs, over
 * four seconds, with two stacks and one hit without a stack:
 *
 *   hit  time  cpu  pid/tid  comm   watch  value  stack
 *   0    0.1   0    100/100  alpha  0      1      A
 *   1    0.2   1    100/101  alpha  0      1      A
 *   2    0.5   0    200/200  beta   1      2      B
 *   3    1.1   1    100/100  alpha  0      2      A
 *   4    1.5   0    200/200  beta   1      -      (none; ip in vfs_read)
 *   5    2.0   1    300/300  gamma  0      3      B
 *   6    2.5   0    100/101  alpha  1      3      A
 *   7    3.9   1    200/201  beta   0      1      A
 *
 * A is memcpy <- vfs_read <- do_syscall_64, B is memcpy <- ksys_write
 * <- do_syscall_64 (innermost first).
 *
 * Include after <cmocka.h>.
 */
#ifndef KM_REPORT_FIXTURE_H
#define KM_REPORT_FIXTURE_H

#include <regex.h>
#include <stdarg.h>
#include "../../report/report.h"
#include "../../common/error.h"
#include "km_test.h"

#define RF_START_NS 5000000000ull /* CLOCK_MONOTONIC at the start */
#define RF_REALTIME_NS 1700000000000000000ull /* 2023-11-14T22:13:20Z */
#define RF_NR_HITS 8

static const char rf_kallsyms[] = "ffffffff81000000 T _text\n"
				  "ffffffff81001000 T vfs_read\n"
				  "ffffffff81002000 T memcpy\n"
				  "ffffffff81003000 T do_syscall_64\n"
				  "ffffffff81004000 T ksys_write\n"
				  "ffffffff81005000 T _etext\n";

/* Callers' frames are return addresses: inside the function, not at it. */
static const uint64_t rf_stack_a[] = { 0xffffffff81002008, 0xffffffff81001020,
				       0xffffffff81003020 };
static const uint64_t rf_stack_b[] = { 0xffffffff81002010, 0xffffffff81004020,
				       0xffffffff81003020 };

static const struct {
	uint32_t ms, cpu, pid, tid;
	const char *comm;
	uint16_t watch;
	int value; /* -1: none */
	char stack; /* 'A', 'B' or 0 */
} rf_hits[RF_NR_HITS] = {
	{ 100, 0, 100, 100, "alpha", 0, 1, 'A' },
	{ 200, 1, 100, 101, "alpha", 0, 1, 'A' },
	{ 500, 0, 200, 200, "beta", 1, 2, 'B' },
	{ 1100, 1, 100, 100, "alpha", 0, 2, 'A' },
	{ 1500, 0, 200, 200, "beta", 1, -1, 0 },
	{ 2000, 1, 300, 300, "gamma", 0, 3, 'B' },
	{ 2500, 0, 100, 101, "alpha", 1, 3, 'A' },
	{ 3900, 1, 200, 201, "beta", 0, 1, 'A' },
};

static void rf_put_meta(struct km_trace_writer *w)
{
	struct km_buf b = { 0 };

	assert_int_equal(km_tlv_put_str(&b, KM_META_RELEASE, "6.1.0-test"), 0);
	assert_int_equal(
		km_tlv_put_u64(&b, KM_META_REALTIME_NS, RF_REALTIME_NS), 0);
	assert_int_equal(km_tlv_put_u64(&b, KM_META_MONOTONIC_NS, RF_START_NS),
			 0);
	assert_int_equal(km_tlv_put_u64(&b, KM_META_NR_CPUS, 2), 0);
	assert_int_equal(km_tw_chunk(w, KM_CHUNK_META, b.data, b.len), 0);
	km_buf_free(&b);
}

static void rf_hit(int i, struct km_hit *h)
{
	memset(h, 0, sizeof(*h));
	h->time_ns = RF_START_NS + rf_hits[i].ms * 1000000ull;
	h->cpu = rf_hits[i].cpu;
	h->pid = rf_hits[i].pid;
	h->tid = rf_hits[i].tid;
	strcpy(h->comm, rf_hits[i].comm);
	h->watch = rf_hits[i].watch;
	h->addr = 0xffffffff82000000 + 8 * h->watch;
	h->has_value = rf_hits[i].value >= 0;
	h->value = h->has_value ? rf_hits[i].value : 0;
	h->stack_id = KM_NO_STACK;
	if (rf_hits[i].stack) {
		h->frames = rf_hits[i].stack == 'A' ? rf_stack_a : rf_stack_b;
		h->nr_frames = 3;
	}
	h->ip = h->nr_frames ? h->frames[0] : 0xffffffff81001004;
}

/* Writes the trace to path. */
static void rf_write(const char *path)
{
	struct km_trailer tr = { .seen = RF_NR_HITS,
				 .end_ns = RF_START_NS + 4000000000ull };
	struct km_trace_writer w;
	struct km_hit h;
	int i;

	assert_int_equal(km_tw_create(&w, path), 0);
	rf_put_meta(&w);
	km_test_put_watch(&w, 0, KM_BP_RW, 4, 0xffffffff82000000, "jiffies");
	km_test_put_watch(&w, 1, KM_BP_W, 8, 0xffffffff82000008, "0x8");
	assert_int_equal(km_tw_chunk(&w, KM_CHUNK_KALLSYMS, rf_kallsyms,
				     strlen(rf_kallsyms)),
			 0);
	for (i = 0; i < RF_NR_HITS; i++) {
		rf_hit(i, &h);
		assert_int_equal(km_tw_hit(&w, &h), 0);
	}
	assert_int_equal(km_tw_finish(&w, &tr), 0);
	km_tw_free(&w);
}

struct rf_fixture {
	char dir[256];
	char path[300];
	char out[300];
};

static int rf_setup(void **state)
{
	static struct rf_fixture fx;

	/* Symbols must come from the trace, whatever this machine has. */
	unsetenv("DEBUGINFOD_URLS");
	setenv("KMEMSNOOP_DEBUG_ROOT", "/nonexistent", 1);
	km_test_mkdtemp(fx.dir);
	snprintf(fx.path, sizeof(fx.path), "%s/t.kmt", fx.dir);
	snprintf(fx.out, sizeof(fx.out), "%s/out", fx.dir);
	rf_write(fx.path);
	*state = &fx;
	return 0;
}

static int rf_teardown(void **state)
{
	struct rf_fixture *fx = *state;

	km_test_loud();
	km_test_rmdir(fx->dir);
	return 0;
}

/*
 * Runs `kmemsnoop report -i TRACE ARGS...` (ARGS ending with NULL);
 * returns what it printed on stdout (malloc'ed, NUL-terminated) and
 * its exit status through *status. stderr is quieted meanwhile.
 */
static inline char *rf_report(const struct rf_fixture *fx, int *status, ...)
{
	char *argv[32] = { "report", "-i", (char *)fx->path };
	int argc = 3, saved, fd;
	size_t len;
	va_list ap;
	char *out;

	va_start(ap, status);
	while (argc < 31 && (argv[argc] = va_arg(ap, char *)))
		argc++;
	va_end(ap);
	km_usage_error = 0;
	fflush(stdout);
	saved = dup(1);
	fd = open(fx->out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	assert_true(saved >= 0 && fd >= 0);
	dup2(fd, 1);
	close(fd);
	km_test_quiet();
	*status = km_cmd_report(argc, argv);
	km_test_loud();
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	out = (char *)km_test_read_file(fx->out, &len);
	out = realloc(out, len + 1);
	assert_non_null(out);
	out[len] = '\0';
	return out;
}

/* Runs report, which must succeed, and returns its output. */
#define RF_OK(fx, ...)                                             \
	({                                                         \
		int _st;                                           \
		char *_o = rf_report(fx, &_st, __VA_ARGS__, NULL); \
		assert_int_equal(_st, 0);                          \
		_o;                                                \
	})

/* How many lines of text match the extended regex re. */
static inline int rf_count_lines(const char *text, const char *re)
{
	const char *p = text, *nl;
	char line[4096];
	regex_t rx;
	int n = 0;

	assert_int_equal(regcomp(&rx, re, REG_EXTENDED | REG_NOSUB), 0);
	for (; *p; p = nl + 1) {
		nl = strchr(p, '\n');
		if (!nl)
			nl = p + strlen(p);
		snprintf(line, sizeof(line), "%.*s", (int)(nl - p), p);
		n += !regexec(&rx, line, 0, NULL, 0);
		if (!*nl)
			break;
	}
	regfree(&rx);
	return n;
}

/* Lines of text, counting a last one without a newline. */
static inline int rf_lines(const char *text)
{
	int n = 0;

	for (; *text; text++)
		n += *text == '\n';
	return n;
}

#endif
