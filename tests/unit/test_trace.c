// SPDX-License-Identifier: GPL-2.0
/* A trace written by trace_writer.c reads back the same through trace_reader.c. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <cmocka.h>
#include "../../record/capture/sysinfo.h"
#include "../../common/trace/trace_writer.h"
#include "../../common/trace/trace_reader.h"
#include "km_test.h"

#define NR_HITS 200000
#define HITS_PER_CHUNK 65536 /* as in trace_writer.c */

static const uint64_t stack_a[] = { 0xffffffff81100010, 0xffffffff81200020,
				    0xffffffff81000030 };
static const uint64_t stack_b[] = { 0xffffffff81100040, 0xffffffff81100050,
				    0xffffffff81100060, 0xffffffff81100070,
				    0xffffffff81100080 };
static const uint64_t stack_c[] = { 0xffffffffc0001000 };
static const struct {
	const uint64_t *frames;
	uint32_t nr;
} stacks[] = { { stack_a, 3 }, { stack_b, 5 }, { stack_c, 1 }, { NULL, 0 } };

/* Which of stacks[] hit i uses; index 3 is "no stack". */
static int stack_of(uint64_t i)
{
	return (i * 7 + i / 3) % 4;
}

/* Hit i of the test trace, as handed to km_tw_hit. */
static void gen_hit(uint64_t i, struct km_hit *h)
{
	static const char *const comms[] = { "kworker/0:1", "a",
					     "0123456789abcdef", "" };
	int s = stack_of(i);

	memset(h, 0, sizeof(*h));
	/* Mostly forward, sometimes a step back, once a 10 s jump. */
	h->time_ns = 5000000000ull + i * 100 - (i % 10 == 5 ? 300 : 0) +
		     (i >= 150000 ? 10000000000ull : 0);
	h->ip = 0xffffffff81100000 + i % 97;
	h->addr = 0xffffffff82000000 + 8 * (i % 2);
	h->has_value = i % 3 != 0;
	h->value = h->has_value ? i * 0x9e3779b97f4a7c15ull : 0;
	h->has_old = h->has_value && i % 4 != 1;
	h->old_value = h->has_old ? ~i * 0x9e3779b97f4a7c15ull : 0;
	/* Now and then registers: their chunk's records grow a group. */
	if (i % 1000 == 999) {
		static uint64_t regs[KM_NR_REGS];
		int c;

		for (c = 0; c < KM_NR_REGS; c++)
			regs[c] = i << 8 | c;
		h->regs = regs;
	}
	h->pid = 1000 + i % 13;
	h->tid = h->pid + i % 3;
	h->cpu = i % 64;
	h->watch = i % 2;
	if (i % 5 == 4) /* garbage after the NUL must not reach the file */
		memcpy(h->comm, "ab\0garbage", 11);
	else
		strcpy(h->comm, comms[i % 4]);
	h->stack_id = 12345; /* the writer assigns it */
	h->nr_frames = stacks[s].nr;
	h->frames = stacks[s].frames;
}

static const char kallsyms[] = "ffffffff81000000 T _text\n"
			       "ffffffff81100000 T vfs_read\n"
			       "ffffffffc0001000 t foo\t[mymod]\n";
static const char modules[] = "mymod 16384 0 - Live 0xffffffffc0000000\n";

static char *argv[] = { "record", "-o", "x.kmt", "rw4", "jiffies" };

/* META, two WATCH chunks, KALLSYMS and MODULES, as record.c writes them. */
static void write_head(struct km_trace_writer *w)
{
	struct km_buf meta = { 0 };

	assert_int_equal(km_sysinfo_meta(&meta, 5, argv), 0);
	assert_int_equal(km_tlv_put_u64(&meta, KM_META_NR_REGS, KM_NR_REGS), 0);
	assert_int_equal(km_tw_chunk(w, KM_CHUNK_META, meta.data, meta.len), 0);
	km_buf_free(&meta);
	km_test_put_watch(w, 0, KM_BP_RW, 4, 0xffffffff82000000, "jiffies");
	km_test_put_watch(w, 1, KM_BP_W, 8, 0xffffffff82000008, "0x8");
	assert_int_equal(km_tw_chunk(w, KM_CHUNK_KALLSYMS, kallsyms,
				     strlen(kallsyms)),
			 0);
	assert_int_equal(
		km_tw_chunk(w, KM_CHUNK_MODULES, modules, strlen(modules)), 0);
}

/* What km_tw_finish is given; it fills in hits and stacks itself. */
static struct km_trailer trailer = {
	.hits = 1,
	.lost = 7,
	.stacks = 1,
	.end_ns = 99000000000ull,
	.seen = NR_HITS + 7,
};

struct fixture {
	char dir[256];
	char path[300];
};

/* Writes the whole test trace once for all tests. */
static int setup_trace(void **state)
{
	static struct fixture fx;
	struct km_trace_writer w;
	struct km_hit h;
	uint64_t i;
	mode_t old = umask(0); /* the writer must not rely on a umask */

	km_test_mkdtemp(fx.dir);
	snprintf(fx.path, sizeof(fx.path), "%s/trace.kmt", fx.dir);
	assert_int_equal(km_tw_create(&w, fx.path), 0);
	umask(old);
	assert_false(w.moved_old);
	write_head(&w);
	for (i = 0; i < NR_HITS; i++) {
		gen_hit(i, &h);
		assert_int_equal(km_tw_hit(&w, &h), 0);
	}
	assert_int_equal(w.stacks.nr, 3);
	assert_int_equal(km_tw_finish(&w, &trailer), 0);
	assert_int_equal(w.hits, NR_HITS);
	assert_int_equal(trailer.hits, NR_HITS);
	assert_int_equal(trailer.stacks, 3);
	km_tw_free(&w);
	*state = &fx;
	return 0;
}

static int teardown_trace(void **state)
{
	struct fixture *fx = *state;

	km_test_rmdir(fx->dir);
	return 0;
}

static void test_mode_0600(void **state)
{
	struct fixture *fx = *state;
	struct stat st;

	assert_int_equal(stat(fx->path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0600);
}

static void test_header_chunks(void **state)
{
	struct fixture *fx = *state;
	struct km_trace t;
	struct utsname u;

	assert_int_equal(km_trace_open(&t, fx->path), 0);
	assert_int_equal(uname(&u), 0);
	assert_string_equal(t.d.release, u.release);
	assert_string_equal(t.d.kversion, u.version);
	assert_string_equal(t.d.machine, u.machine);
	assert_string_equal(t.d.tool_version, KM_TOOL_VERSION);
	assert_string_equal(t.d.cmdline,
			    "kmemsnoop record -o x.kmt rw4 jiffies");
	assert_int_equal(t.d.nr_cpus, sysconf(_SC_NPROCESSORS_ONLN));
	assert_true(t.d.realtime_ns > 0 && t.d.monotonic_ns > 0);

	assert_int_equal(t.d.nr_watches, 2);
	assert_int_equal(t.d.watches[0].type, KM_BP_RW);
	assert_int_equal(t.d.watches[0].len, 4);
	assert_int_equal(t.d.watches[0].addr, 0xffffffff82000000);
	assert_string_equal(t.d.watches[0].expr, "jiffies");
	assert_int_equal(t.d.watches[1].type, KM_BP_W);
	assert_int_equal(t.d.watches[1].len, 8);
	assert_int_equal(t.d.watches[1].addr, 0xffffffff82000008);
	assert_string_equal(t.d.watches[1].expr, "0x8");

	assert_int_equal(t.d.kallsyms_len, strlen(kallsyms));
	assert_string_equal(t.d.kallsyms, kallsyms);
	assert_int_equal(t.d.modules_len, strlen(modules));
	assert_string_equal(t.d.modules, modules);
	km_trace_close(&t);
}

/* The build-id in META is the running kernel's, when it has one. */
static void test_header_build_id(void **state)
{
	struct fixture *fx = *state;
	uint8_t id[64];
	struct km_trace t;
	size_t len, n;
	char *notes;

	if (km_read_file("/sys/kernel/notes", &notes, &len))
		skip();
	n = km_find_build_id((uint8_t *)notes, len, id, sizeof(id));
	free(notes);
	assert_int_equal(km_trace_open(&t, fx->path), 0);
	assert_int_equal(t.d.build_id_len, n);
	assert_memory_equal(t.d.build_id, id, n);
	km_trace_close(&t);
}

static void check_hit(uint64_t i, const struct km_hit *got)
{
	struct km_hit want;
	char comm[KM_COMM_LEN + 1] = { 0 };

	gen_hit(i, &want);
	memcpy(comm, want.comm, strnlen(want.comm, KM_COMM_LEN));
	if (got->time_ns != want.time_ns || got->ip != want.ip ||
	    got->addr != want.addr || got->pid != want.pid ||
	    got->tid != want.tid || got->cpu != want.cpu ||
	    got->watch != want.watch || got->has_value != want.has_value ||
	    (want.has_value && got->value != want.value) ||
	    got->has_old != want.has_old ||
	    (want.has_old && got->old_value != want.old_value) ||
	    !got->regs != !want.regs ||
	    (want.regs &&
	     memcmp(got->regs, want.regs, KM_NR_REGS * sizeof(*want.regs))) ||
	    memcmp(got->comm, comm, sizeof(comm)))
		fail_msg("hit %llu differs from what was written",
			 (unsigned long long)i);
	assert_int_equal(got->nr_frames, want.nr_frames);
	if (!want.nr_frames) {
		assert_int_equal(got->stack_id, KM_NO_STACK);
		assert_null(got->frames);
		return;
	}
	assert_memory_equal(got->frames, want.frames,
			    want.nr_frames * sizeof(*want.frames));
}

/* Stack ids are given in order of first use: remember which is which. */
static void check_stack_id(uint64_t i, const struct km_hit *got, uint32_t *ids,
			   uint32_t *next)
{
	int s = stack_of(i);

	if (!stacks[s].nr)
		return;
	if (ids[s] == KM_NO_STACK)
		ids[s] = (*next)++;
	assert_int_equal(got->stack_id, ids[s]);
}

static void test_hits_round_trip(void **state)
{
	struct fixture *fx = *state;
	uint32_t ids[4] = { KM_NO_STACK, KM_NO_STACK, KM_NO_STACK,
			    KM_NO_STACK };
	uint32_t next_id = 0;
	const struct km_hit *h;
	struct km_trace t;
	uint64_t i = 0;
	long n, j, batches = 0;

	assert_int_equal(km_trace_open(&t, fx->path), 0);
	while ((n = km_trace_next_hits(&t, &h)) > 0) {
		assert_true(n <= HITS_PER_CHUNK);
		assert_true(i + n <= NR_HITS);
		for (j = 0; j < n; j++, i++) {
			check_hit(i, &h[j]);
			check_stack_id(i, &h[j], ids, &next_id);
		}
		batches++;
	}
	assert_int_equal(n, 0);
	assert_int_equal(i, NR_HITS);
	assert_int_equal(t.d.hits_read, NR_HITS);
	/* 200000 hits do not fit in three chunks. */
	assert_true(batches >= 4);
	assert_int_equal(t.d.nr_stacks, 3);
	assert_int_equal(next_id, 3);
	assert_false(t.truncated);
	km_trace_close(&t);
}

static void test_trailer(void **state)
{
	struct fixture *fx = *state;
	const struct km_hit *h;
	struct km_trace t;

	assert_int_equal(km_trace_open(&t, fx->path), 0);
	while (km_trace_next_hits(&t, &h) > 0)
		;
	assert_true(t.d.has_trailer);
	assert_int_equal(t.d.t_hits, NR_HITS);
	assert_int_equal(t.d.t_lost, trailer.lost);
	assert_int_equal(t.d.t_stacks, 3);
	assert_int_equal(t.d.t_end_ns, trailer.end_ns);
	assert_int_equal(t.d.t_seen, trailer.seen);
	/* At the end it stays at the end. */
	assert_int_equal(km_trace_next_hits(&t, &h), 0);
	km_trace_close(&t);
}

/* A trace with a header and nothing else: no hits, no error. */
static void write_empty(const char *path)
{
	struct km_trace_writer w;
	struct km_trailer none = { 0 };

	assert_int_equal(km_tw_create(&w, path), 0);
	km_test_put_meta(&w);
	assert_int_equal(km_tw_finish(&w, &none), 0);
	km_tw_free(&w);
}

static void test_empty_trace(void **state)
{
	struct fixture *fx = *state;
	char path[320];
	const struct km_hit *h;
	struct km_trace t;

	snprintf(path, sizeof(path), "%s/empty.kmt", fx->dir);
	write_empty(path);
	assert_int_equal(km_trace_open(&t, path), 0);
	assert_int_equal(km_trace_next_hits(&t, &h), 0);
	assert_true(t.d.has_trailer);
	assert_int_equal(t.d.nr_watches, 0);
	assert_string_equal(t.d.release, "6.1.0-test");
	km_trace_close(&t);
	unlink(path);
}

static void test_existing_file_kept(void **state)
{
	struct fixture *fx = *state;
	char path[320], old[330];
	struct km_trace_writer w;
	size_t len;
	uint8_t *back;

	snprintf(path, sizeof(path), "%s/again.kmt", fx->dir);
	snprintf(old, sizeof(old), "%s.old", path);
	km_test_write_file(path, "previous", 8);
	assert_int_equal(km_tw_create(&w, path), 0);
	assert_true(w.moved_old);
	back = km_test_read_file(old, &len);
	assert_int_equal(len, 8);
	assert_memory_equal(back, "previous", 8);
	free(back);
	/* The new file starts with the magic. */
	back = km_test_read_file(path, &len);
	assert_int_equal(len, KM_FILE_HDR_SIZE);
	assert_memory_equal(back, KM_MAGIC, KM_MAGIC_LEN);
	free(back);

	/* Abort: the new file goes, the old one comes back. */
	km_tw_abort(&w);
	km_tw_free(&w);
	back = km_test_read_file(path, &len);
	assert_int_equal(len, 8);
	assert_memory_equal(back, "previous", 8);
	free(back);
	assert_int_equal(access(old, F_OK), -1);
	unlink(path);
}

static void test_create_fails(void **state)
{
	struct fixture *fx = *state;
	struct km_trace_writer w;
	char path[320];

	snprintf(path, sizeof(path), "%s/no/such/dir.kmt", fx->dir);
	assert_int_equal(km_tw_create(&w, path), -ENOENT);
	km_tw_free(&w);
}

/* Makes opening any new file fail with EMFILE until restored. */
static void no_more_fds(struct rlimit *saved)
{
	struct rlimit lim;
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);

	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(getrlimit(RLIMIT_NOFILE, saved), 0);
	lim = *saved;
	lim.rlim_cur = fd;
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &lim), 0);
}

/*
 * When creating the new file fails after the old one was moved aside,
 * record.c's cleanup (abort, free) must leave the old file where it
 * was: a failed record changes nothing.
 */
static void test_create_fails_keeps_old(void **state)
{
	struct fixture *fx = *state;
	char path[320], old[330];
	struct km_trace_writer w;
	struct rlimit saved;
	uint8_t *back;
	size_t len;
	int err;

	snprintf(path, sizeof(path), "%s/kept.kmt", fx->dir);
	snprintf(old, sizeof(old), "%s.old", path);
	km_test_write_file(path, "previous", 8);
	no_more_fds(&saved);
	err = km_tw_create(&w, path);
	setrlimit(RLIMIT_NOFILE, &saved);
	assert_int_equal(err, -EMFILE);
	km_tw_abort(&w);
	km_tw_free(&w);
	assert_int_equal(access(path, F_OK), 0);
	back = km_test_read_file(path, &len);
	assert_int_equal(len, 8);
	assert_memory_equal(back, "previous", 8);
	free(back);
	unlink(path);
	unlink(old);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mode_0600),
		cmocka_unit_test(test_header_chunks),
		cmocka_unit_test(test_header_build_id),
		cmocka_unit_test(test_hits_round_trip),
		cmocka_unit_test(test_trailer),
		cmocka_unit_test(test_empty_trace),
		cmocka_unit_test(test_existing_file_kept),
		cmocka_unit_test(test_create_fails),
		cmocka_unit_test(test_create_fails_keeps_old),
	};

	return cmocka_run_group_tests(tests, setup_trace, teardown_trace);
}
