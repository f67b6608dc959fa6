/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the unit tests: temporary directories, whole-file
 * I/O, the chunks record.c writes before the first hit, a walk over a
 * trace's chunk headers, and a way to quiet stderr around loops that
 * feed the reader thousands of bad files (each would print a line).
 *
 * Include after <cmocka.h>.
 */
#ifndef KM_TEST_H
#define KM_TEST_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "../../common/trace/tlv.h"
#include "../../common/trace/trace_format.h"
#include "../../common/trace/trace_writer.h"

/* Makes a fresh directory under $TMPDIR (or /tmp) into dir[256]. */
static inline void km_test_mkdtemp(char *dir)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(dir, 256, "%s/kmemsnoop-test.XXXXXX", tmp ? tmp : "/tmp");
	assert_non_null(mkdtemp(dir));
}

/* Removes dir and the plain files in it. */
static inline void km_test_rmdir(const char *dir)
{
	char path[512];
	struct dirent *e;
	DIR *d = opendir(dir);

	if (!d)
		return;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(dir);
}

static inline int km_test_rm_entry(const char *path, const struct stat *st,
				   int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

/* Removes dir and everything below it. */
static inline void km_test_rm_tree(const char *dir)
{
	nftw(dir, km_test_rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static inline void km_test_write_file(const char *path, const void *buf,
				      size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, buf, len), len);
	assert_int_equal(close(fd), 0);
}

/* A malloc'ed copy of the whole file; its size goes to *len. */
static inline uint8_t *km_test_read_file(const char *path, size_t *len)
{
	char *text;

	assert_int_equal(km_read_file(path, &text, len), 0);
	return (uint8_t *)text;
}

/* Makes the directories of rel under root, then copies src there. */
static inline void km_test_put_file(const char *root, const char *rel,
				    const char *src, char *path, size_t size)
{
	size_t len;
	uint8_t *buf;
	char *p;

	snprintf(path, size, "%s/%s", root, rel);
	for (p = strchr(path + strlen(root) + 1, '/'); p;
	     p = strchr(p + 1, '/')) {
		*p = '\0';
		assert_true(mkdir(path, 0700) == 0 || errno == EEXIST);
		*p = '/';
	}
	buf = km_test_read_file(src, &len);
	km_test_write_file(path, buf, len);
	free(buf);
}

/* A WATCH chunk exactly as record/record.c's write_watch() makes it. */
static inline void km_test_put_watch(struct km_trace_writer *w, int i,
				     uint32_t type, uint32_t len, uint64_t addr,
				     const char *expr)
{
	struct km_buf b = { 0 };

	assert_int_equal(km_tlv_put_u64(&b, KM_WATCH_INDEX, i), 0);
	assert_int_equal(km_tlv_put_u64(&b, KM_WATCH_TYPE, type), 0);
	assert_int_equal(km_tlv_put_u64(&b, KM_WATCH_LEN, len), 0);
	assert_int_equal(km_tlv_put_u64(&b, KM_WATCH_ADDR, addr), 0);
	assert_int_equal(km_tlv_put_str(&b, KM_WATCH_EXPR, expr), 0);
	assert_int_equal(km_tw_chunk(w, KM_CHUNK_WATCH, b.data, b.len), 0);
	km_buf_free(&b);
}

struct km_test_section {
	uint64_t addr;
	const char *name;
};

/* A MODULE_INFO chunk as record/capture/module_info.c makes it. */
static inline void
km_test_put_module(struct km_trace_writer *w, const char *name, uint64_t addr,
		   uint64_t size, const uint8_t *id, size_t id_len,
		   const struct km_test_section *secs, size_t nr_secs)
{
	struct km_buf b = { 0 };
	uint8_t val[8 + 256];
	size_t i, n;

	assert_int_equal(km_tlv_put_str(&b, KM_MODULE_NAME, name), 0);
	assert_int_equal(km_tlv_put_u64(&b, KM_MODULE_ADDR, addr), 0);
	assert_int_equal(km_tlv_put_u64(&b, KM_MODULE_SIZE, size), 0);
	if (id_len)
		assert_int_equal(km_tlv_put(&b, KM_MODULE_BUILD_ID, id, id_len),
				 0);
	for (i = 0; i < nr_secs; i++) {
		n = strlen(secs[i].name);
		assert_true(n <= 256);
		km_put64(val, secs[i].addr);
		memcpy(val + 8, secs[i].name, n);
		assert_int_equal(km_tlv_put(&b, KM_MODULE_SECTION, val, 8 + n),
				 0);
	}
	assert_int_equal(km_tw_chunk(w, KM_CHUNK_MODULE_INFO, b.data, b.len),
			 0);
	km_buf_free(&b);
}

/* A small, fixed META chunk (km_sysinfo_meta's varies by machine). */
static inline void km_test_put_meta(struct km_trace_writer *w)
{
	struct km_buf b = { 0 };

	assert_int_equal(km_tlv_put_str(&b, KM_META_RELEASE, "6.1.0-test"), 0);
	assert_int_equal(km_tlv_put_str(&b, KM_META_MACHINE, "x86_64"), 0);
	assert_int_equal(km_tlv_put_u64(&b, KM_META_MONOTONIC_NS, 1000), 0);
	assert_int_equal(km_tlv_put_u64(&b, KM_META_NR_CPUS, 4), 0);
	assert_int_equal(km_tw_chunk(w, KM_CHUNK_META, b.data, b.len), 0);
	km_buf_free(&b);
}

/* One chunk of a trace we wrote ourselves (so trusted). */
struct km_test_chunk {
	uint64_t off; /* of its header */
	uint64_t end; /* one past its payload */
	uint32_t type, flags, raw_size, stored_size;
};

/*
 * Walks the chunk headers of a whole trace in buf; fills up to max
 * entries of out and returns how many chunks there are.
 */
static inline size_t km_test_chunks(const uint8_t *buf, size_t size,
				    struct km_test_chunk *out, size_t max)
{
	uint64_t off = KM_FILE_HDR_SIZE;
	size_t n = 0;

	while (off + KM_CHUNK_HDR_SIZE <= size) {
		struct km_test_chunk c = {
			.off = off,
			.type = km_get32(buf + off),
			.flags = km_get32(buf + off + 4),
			.raw_size = km_get32(buf + off + 8),
			.stored_size = km_get32(buf + off + 12),
		};

		c.end = off + KM_CHUNK_HDR_SIZE + c.stored_size;
		assert_true(c.end <= size);
		if (n < max)
			out[n] = c;
		n++;
		off = c.end;
	}
	assert_int_equal(off, size);
	return n;
}

/*
 * stderr off and back on. While it is off, cmocka's own messages are
 * lost too, so tests collect results and assert after turning it on;
 * km_test_teardown turns it back on should a test fail in between.
 */
static int km_test_saved_stderr = -1;

/* stderr into the file path (created 0600) until km_test_loud(). */
static inline void km_test_capture_stderr(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	assert_true(fd >= 0);
	fflush(stderr);
	km_test_saved_stderr = dup(2);
	assert_true(km_test_saved_stderr >= 0);
	dup2(fd, 2);
	close(fd);
}

static inline void km_test_quiet(void)
{
	km_test_capture_stderr("/dev/null");
}

static inline void km_test_loud(void)
{
	if (km_test_saved_stderr < 0)
		return;
	fflush(stderr);
	dup2(km_test_saved_stderr, 2);
	close(km_test_saved_stderr);
	km_test_saved_stderr = -1;
}

static inline int km_test_teardown(void **state)
{
	(void)state;
	km_test_loud();
	return 0;
}

#endif
