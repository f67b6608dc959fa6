// SPDX-License-Identifier: GPL-2.0
/*
 * Memory bombs: small files that decompress to what a real recording
 * never holds (copies of one stack, one module described many times,
 * modules with thousands of sections, a second kallsyms snapshot, more
 * LIFE records than objects a recording arms). The
 * reader refuses them, and what it does keep stays within the bound
 * docs/trace-format.md §12 states: peak memory at most 3 times the
 * decompressed bytes it keeps plus its largest chunk, and 16 MiB.
 * Each read runs in a child process whose peak RSS is measured.
 * Failing cases print an error line on stderr; that is expected.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include "../../common/trace/life.h"
#include "../../common/trace/trace_reader.h"
#include "../../common/trace/trace_writer.h"
#include "km_test.h"

#define SLACK (16u << 20)
#define STACK_FRAMES KM_MAX_FRAMES

static struct {
	char dir[256];
	char path[300];
} fx;

static int setup(void **state)
{
	(void)state;
	km_test_mkdtemp(fx.dir);
	snprintf(fx.path, sizeof(fx.path), "%s/bomb.kmt", fx.dir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	km_test_rmdir(fx.dir);
	return 0;
}

static void start(struct km_trace_writer *w)
{
	assert_int_equal(km_tw_create(w, fx.path), 0);
	km_test_put_meta(w);
	km_test_put_watch(w, 0, KM_BP_W, 4, 0xffffffff82000000, "jiffies");
}

static void finish(struct km_trace_writer *w)
{
	struct km_trailer tr = { 0 };

	assert_int_equal(km_tw_finish(w, &tr), 0);
	km_tw_free(w);
}

/* Resident bytes now, from /proc/self/statm. */
static size_t rss_now(void)
{
	unsigned long size = 0, resident = 0;
	FILE *f = fopen("/proc/self/statm", "r");

	if (f) {
		if (fscanf(f, "%lu %lu", &size, &resident) != 2)
			resident = 0;
		fclose(f);
	}
	return resident * (size_t)sysconf(_SC_PAGESIZE);
}

struct read_result {
	int rc; /* of opening and reading every hit */
	size_t peak; /* bytes of RSS above what the child started with */
};

/* Reads fx.path whole in a child; its result and how much it grew. */
static struct read_result read_in_child(void)
{
	struct read_result res = { 0 };
	int pipefd[2], status;
	pid_t pid;

	assert_int_equal(pipe(pipefd), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		const struct km_hit *h;
		struct rusage ru;
		struct km_trace t;
		size_t base = rss_now();
		long n = 0;

		res.rc = km_trace_open(&t, fx.path);
		while (!res.rc && (n = km_trace_next_hits(&t, &h)) > 0)
			;
		if (!res.rc && n < 0)
			res.rc = n;
		getrusage(RUSAGE_SELF, &ru);
		res.peak = (size_t)ru.ru_maxrss * 1024 > base ?
				   (size_t)ru.ru_maxrss * 1024 - base :
				   0;
		km_trace_close(&t);
		if (write(pipefd[1], &res, sizeof(res)) != sizeof(res))
			_exit(1);
		_exit(0);
	}
	close(pipefd[1]);
	assert_int_equal(read(pipefd[0], &res, sizeof(res)), sizeof(res));
	close(pipefd[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && !WEXITSTATUS(status));
	return res;
}

static struct read_result read_quietly(void)
{
	struct read_result r;

	km_test_quiet();
	r = read_in_child();
	km_test_loud();
	return r;
}

static void assert_within(const struct read_result *r, size_t kept,
			  size_t largest_chunk)
{
	size_t bound = 3 * (kept + largest_chunk) + SLACK;

	if (r->peak > bound)
		fail_msg("peak RSS grew %zu bytes; the bound is %zu", r->peak,
			 bound);
	print_message("peak %zu bytes for %zu kept (bound %zu)\n", r->peak,
		      kept, bound);
}

/* A module named name with n sections whose names are 255 bytes. */
static size_t put_fat_module(struct km_trace_writer *w, const char *name,
			     size_t n)
{
	struct km_test_section *s = calloc(n, sizeof(*s));
	char(*names)[256] = calloc(n, sizeof(*names));
	size_t i, raw = 0;

	assert_non_null(s);
	assert_non_null(names);
	for (i = 0; i < n; i++) {
		memset(names[i], 'a', 255);
		snprintf(names[i], 12, ".s%zu", i);
		names[i][strlen(names[i])] = 'a';
		s[i].addr = 0xffffffffc0000000 + i * 4096;
		s[i].name = names[i];
		raw += 8 + 8 + 255;
	}
	km_test_put_module(w, name, 0xffffffffc0000000, 1 << 20, NULL, 0, s, n);
	free(names);
	free(s);
	return raw;
}

/*
 * As many sections as the format allows, in modules at the largest
 * size allowed, read within the bound; one section more is refused.
 */
static void test_module_sections(void **state)
{
	size_t per = KM_MAX_MODULE_SECTIONS;
	size_t mods = KM_MAX_SECTIONS_TOTAL / per, kept = 0, chunk = 0, i;
	struct km_trace_writer w;
	struct read_result r;
	char name[16];

	(void)state;
	start(&w);
	for (i = 0; i < mods; i++) {
		snprintf(name, sizeof(name), "m%zu", i);
		chunk = put_fat_module(&w, name, per);
		kept += chunk;
	}
	finish(&w);
	r = read_in_child();
	assert_int_equal(r.rc, 0);
	assert_within(&r, kept, chunk);

	start(&w);
	for (i = 0; i <= mods; i++) {
		snprintf(name, sizeof(name), "m%zu", i);
		put_fat_module(&w, name, i < mods ? per : 1);
	}
	finish(&w);
	assert_int_equal(read_quietly().rc, -EBADMSG);

	/* One module with a section more than a module may have. */
	start(&w);
	put_fat_module(&w, "m", per + 1);
	finish(&w);
	assert_int_equal(read_quietly().rc, -EBADMSG);
}

/* The same module twice: a writer sends one MODULE_INFO per module. */
static void test_module_twice(void **state)
{
	struct km_trace_writer w;

	(void)state;
	start(&w);
	put_fat_module(&w, "virtio_blk", 3);
	put_fat_module(&w, "virtio_net", 3);
	finish(&w);
	assert_int_equal(read_quietly().rc, 0);

	start(&w);
	put_fat_module(&w, "virtio_blk", 3);
	put_fat_module(&w, "virtio_blk", 3);
	finish(&w);
	assert_int_equal(read_quietly().rc, -EBADMSG);
}

/* Stacks first..first+n-1, each of STACK_FRAMES; vary: frame 0 differs. */
static size_t put_stacks(struct km_trace_writer *w, uint32_t first, uint32_t n,
			 bool vary)
{
	struct km_buf b = { 0 };
	uint32_t i, j;

	for (i = 0; i < n; i++) {
		assert_int_equal(km_buf_put32(&b, first + i), 0);
		assert_int_equal(km_buf_put32(&b, STACK_FRAMES), 0);
		for (j = 0; j < STACK_FRAMES; j++)
			assert_int_equal(
				km_buf_put64(&b,
					     0xffffffff81000000 +
						     (vary && !j ?
							      8 * (first + i) :
							      0)),
				0);
	}
	assert_int_equal(km_tw_chunk(w, KM_CHUNK_STACKS, b.data, b.len), 0);
	n = b.len;
	km_buf_free(&b);
	return n;
}

/* Copies of one stack are refused at the first copy. */
static void test_stack_copies(void **state)
{
	struct km_trace_writer w;

	(void)state;
	start(&w);
	put_stacks(&w, 0, 1, false);
	put_stacks(&w, 1, 1000, false);
	finish(&w);
	assert_int_equal(read_quietly().rc, -EBADMSG);
}

/*
 * Stacks that differ in one frame compress almost as well as copies and
 * are legal: what they cost is bounded by their decompressed size.
 */
static void test_stacks_near_copies(void **state)
{
	uint32_t per_chunk = 8000, chunks = 8, i;
	size_t kept = 0, chunk = 0;
	struct km_trace_writer w;
	struct read_result r;

	(void)state;
	start(&w);
	for (i = 0; i < chunks; i++) {
		chunk = put_stacks(&w, i * per_chunk, per_chunk, true);
		kept += chunk;
	}
	finish(&w);
	r = read_in_child();
	assert_int_equal(r.rc, 0);
	assert_within(&r, kept, chunk);
}

/* One kallsyms snapshot and one module list per file. */
static void test_second_snapshot(void **state)
{
	static const char text[] = "ffffffff81000000 T _text\n";
	struct km_trace_writer w;
	int type;

	(void)state;
	for (type = KM_CHUNK_KALLSYMS; type <= KM_CHUNK_MODULES; type++) {
		start(&w);
		assert_int_equal(km_tw_chunk(&w, type, text, strlen(text)), 0);
		finish(&w);
		assert_int_equal(read_quietly().rc, 0);

		start(&w);
		assert_int_equal(km_tw_chunk(&w, type, text, strlen(text)), 0);
		assert_int_equal(km_tw_chunk(&w, type, text, strlen(text)), 0);
		finish(&w);
		assert_int_equal(read_quietly().rc, -EBADMSG);
	}
}

/* n ARMs, each at an address of its own; their raw bytes. */
static size_t put_arms(struct km_trace_writer *w, uint32_t n, size_t *largest)
{
	struct km_life_rec r = { .kind = KM_LIFE_ARM, .comm = "bomb" };
	struct km_buf b = { 0 };
	size_t kept = 0;
	uint32_t i;

	for (i = 0; i < n; i++) {
		r.seq = i + 1;
		r.event_ns = r.live_ns = 1000 + i;
		r.object = 0xffff888000000000 + 64 * (uint64_t)i;
		r.addr = r.object + 8;
		b.len = 0;
		assert_int_equal(km_life_encode(&b, &r), 0);
		assert_int_equal(km_tw_chunk(w, KM_CHUNK_LIFE, b.data, b.len),
				 0);
		kept += b.len;
		*largest = b.len > *largest ? b.len : *largest;
	}
	km_buf_free(&b);
	return kept;
}

/*
 * As many LIFE records as a reader keeps, each an ARM at an address of
 * its own (the most its index holds: an entry and a chain each), read
 * within the bound; one more is refused.
 */
static void test_life_records(void **state)
{
	struct km_trace_writer w;
	struct read_result r;
	size_t kept, largest = 0;

	(void)state;
	start(&w);
	kept = put_arms(&w, KM_MAX_LIFE_RECORDS, &largest);
	finish(&w);
	r = read_in_child();
	assert_int_equal(r.rc, 0);
	assert_within(&r, kept, largest);

	start(&w);
	put_arms(&w, KM_MAX_LIFE_RECORDS + 1, &largest);
	finish(&w);
	assert_int_equal(read_quietly().rc, -EBADMSG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_module_sections),
		cmocka_unit_test(test_module_twice),
		cmocka_unit_test(test_stack_copies),
		cmocka_unit_test(test_stacks_near_copies),
		cmocka_unit_test(test_second_snapshot),
		cmocka_unit_test(test_life_records),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
