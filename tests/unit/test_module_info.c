// SPDX-License-Identifier: GPL-2.0
/*
 * MODULE_INFO chunks: what the writer makes of /proc/modules, the round
 * trip through the reader and --header, and the reader on hostile
 * chunks (each must be refused as corrupt, never crash or leak).
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
#include <cmocka.h>
#include "../../record/capture/module_info.h"
#include "../../common/trace/trace_reader.h"
#include "../../report/views/views.h"
#include "km_test.h"

#define MOD_ADDR 0xffffffffc0010000ull

static const uint8_t build_id[20] = { 0xbc, 0x8f, 0x0c, 0x86, 0xe2, 0xf2, 0xf2,
				      0x61, 0xea, 0x82, 0x0d, 0x8c, 0x1f, 0x17,
				      0xde, 0x70, 0x5b, 0x81, 0xd7, 0x72 };

static const struct km_test_section sections[] = {
	{ MOD_ADDR, ".text" },
	{ 0xffffffffc0020000ull, ".init.text" },
	{ 0xffffffffc0013000ull, ".data..percpu" },
};

static struct {
	char dir[256];
	char path[300];
} fx;

static int setup(void **state)
{
	(void)state;
	km_test_mkdtemp(fx.dir);
	snprintf(fx.path, sizeof(fx.path), "%s/mod.kmt", fx.dir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	km_test_rmdir(fx.dir);
	return 0;
}

/* META, a watch and an empty snapshot: what every trace here starts with. */
static void start(struct km_trace_writer *w)
{
	assert_int_equal(km_tw_create(w, fx.path), 0);
	km_test_put_meta(w);
	km_test_put_watch(w, 0, KM_BP_X, 8, MOD_ADDR, "virtio_queue_rq");
	assert_int_equal(km_tw_chunk(w, KM_CHUNK_KALLSYMS, "", 0), 0);
}

static void finish(struct km_trace_writer *w)
{
	struct km_trailer tr = { 0 };

	assert_int_equal(km_tw_finish(w, &tr), 0);
	km_tw_free(w);
}

/* Opens fx.path; its status, and the trace (closed) if it opened. */
static int open_trace(struct km_trace *t)
{
	int rc = km_trace_open(t, fx.path);

	if (rc)
		km_trace_close(t);
	return rc;
}

static void test_round_trip(void **state)
{
	struct km_trace_writer w;
	const struct km_module_info *m;
	struct km_trace t;

	(void)state;
	start(&w);
	km_test_put_module(&w, "virtio_blk", MOD_ADDR, 28672, build_id,
			   sizeof(build_id), sections, 3);
	km_test_put_module(&w, "no-id", 0xffffffffc0030000ull, 4096, NULL, 0,
			   NULL, 0);
	finish(&w);
	assert_int_equal(open_trace(&t), 0);
	assert_int_equal(t.d.nr_mods, 2);
	m = &t.d.mods[0];
	assert_string_equal(m->name, "virtio_blk");
	assert_int_equal(m->addr, MOD_ADDR);
	assert_int_equal(m->size, 28672);
	assert_int_equal(m->build_id_len, sizeof(build_id));
	assert_memory_equal(m->build_id, build_id, sizeof(build_id));
	assert_int_equal(m->nr_sections, 3);
	assert_string_equal(m->sections[1].name, ".init.text");
	assert_int_equal(m->sections[1].addr, 0xffffffffc0020000ull);
	assert_string_equal(m->sections[2].name, ".data..percpu");
	m = &t.d.mods[1];
	assert_string_equal(m->name, "no-id");
	assert_int_equal(m->build_id_len, 0);
	assert_int_equal(m->nr_sections, 0);
	km_trace_close(&t);
}

/* --header lists each module with its address, size and build-id. */
static void test_header(void **state)
{
	struct km_trace_writer w;
	struct km_trace t;
	size_t len;
	char *out;
	FILE *f;

	(void)state;
	start(&w);
	km_test_put_module(&w, "virtio_blk", MOD_ADDR, 28672, build_id,
			   sizeof(build_id), sections, 1);
	km_test_put_module(&w, "no-id", 0xffffffffc0030000ull, 4096, NULL, 0,
			   NULL, 0);
	finish(&w);
	assert_int_equal(open_trace(&t), 0);
	f = open_memstream(&out, &len);
	assert_non_null(f);
	assert_int_equal(km_view_header(f, &t, false), 0);
	fclose(f);
	km_trace_close(&t);
	assert_non_null(strstr(out, "\nmodule-info: 2 modules\n"));
	assert_non_null(strstr(
		out,
		"\nmodule: virtio_blk 0xffffffffc0010000 28672 bc8f0c86e2f2f261ea820d8c1f17de705b81d772\n"));
	assert_non_null(strstr(
		out,
		"\nmodule: no-id 0xffffffffc0030000 4096 (no build-id)\n"));
	free(out);
}

/*
 * The writer's reading of /proc/modules: deps, taint flags, a state
 * and lines it cannot use. These modules are not in /sys/module here,
 * so the chunks carry no sections or build-id.
 */
static void test_writer_lines(void **state)
{
	static const char text[] =
		"km_test_a 16384 0 - Live 0xffffffffc0000000\n"
		"km-test-b 8192 2 km_test_a,other, Live 0xffffffffc0004000 (OE)\n"
		"truncated 4096\n"
		"\n"
		"km_test_c 4096 0 - Loading 0x0000000000000000";
	struct km_trace_writer w;
	struct km_trace t;

	(void)state;
	start(&w);
	assert_int_equal(km_write_module_info(&w, text), 0);
	finish(&w);
	assert_int_equal(open_trace(&t), 0);
	assert_int_equal(t.d.nr_mods, 3);
	assert_string_equal(t.d.mods[0].name, "km_test_a");
	assert_int_equal(t.d.mods[0].addr, 0xffffffffc0000000ull);
	assert_int_equal(t.d.mods[0].size, 16384);
	assert_string_equal(t.d.mods[1].name, "km-test-b");
	assert_int_equal(t.d.mods[1].addr, 0xffffffffc0004000ull);
	assert_int_equal(t.d.mods[1].size, 8192);
	assert_string_equal(t.d.mods[2].name, "km_test_c");
	assert_int_equal(t.d.mods[2].addr, 0);
	assert_int_equal(t.d.mods[2].nr_sections, 0);
	assert_int_equal(t.d.mods[2].build_id_len, 0);
	km_trace_close(&t);
}

/* A trace whose one module chunk is the TLV list in b. */
static int read_chunk(const struct km_buf *b)
{
	struct km_trace_writer w;
	struct km_trace t;
	int rc;

	start(&w);
	assert_int_equal(km_tw_chunk(&w, KM_CHUNK_MODULE_INFO, b->data, b->len),
			 0);
	finish(&w);
	rc = open_trace(&t);
	if (!rc)
		km_trace_close(&t);
	return rc;
}

enum bad_case {
	NO_NAME,
	EMPTY_NAME,
	SLASH_NAME,
	SPACE_NAME,
	LONG_NAME,
	SHORT_ADDR,
	WRAPPING_SIZE,
	LONG_BUILD_ID,
	SECTION_NO_NAME,
	SECTION_SHORT,
	SECTION_CONTROL,
	OVERRUN,
	NR_BAD,
	/* The accepted variants the same code builds. */
	OK_UNKNOWN_TAG = NR_BAD,
	OK_LONGEST,
	NR_CASES,
};

static void put_section(struct km_buf *b, const char *name, size_t len)
{
	uint8_t val[8 + 300] = { 0 };

	memcpy(val + 8, name, strlen(name));
	assert_int_equal(km_tlv_put(b, KM_MODULE_SECTION, val, len), 0);
}

static void build_case(struct km_buf *b, int c)
{
	char name[300];
	uint8_t id[65] = { 1 };

	memset(name, 'm', sizeof(name));
	name[c == LONG_NAME  ? KM_MODULE_NAME_MAX + 1 :
	     c == OK_LONGEST ? KM_MODULE_NAME_MAX :
			       4] = '\0';
	if (c == SLASH_NAME)
		strcpy(name, "../x");
	if (c == SPACE_NAME)
		strcpy(name, "a b");
	if (c == EMPTY_NAME)
		name[0] = '\0';
	if (c != NO_NAME)
		assert_int_equal(km_tlv_put_str(b, KM_MODULE_NAME, name), 0);
	if (c == SHORT_ADDR)
		assert_int_equal(km_tlv_put(b, KM_MODULE_ADDR, id, 4), 0);
	else
		assert_int_equal(km_tlv_put_u64(b, KM_MODULE_ADDR, MOD_ADDR),
				 0);
	assert_int_equal(km_tlv_put_u64(b, KM_MODULE_SIZE,
					c == WRAPPING_SIZE ? 1ull << 62 : 4096),
			 0);
	assert_int_equal(km_tlv_put(b, KM_MODULE_BUILD_ID, id,
				    c == LONG_BUILD_ID ? 65 : 64),
			 0);
	put_section(b, ".text",
		    c == SECTION_NO_NAME ? 8 :
		    c == SECTION_SHORT	 ? 5 :
					   13);
	if (c == SECTION_CONTROL)
		put_section(b, ".te\x01t", 13);
	if (c == OK_UNKNOWN_TAG)
		assert_int_equal(km_tlv_put_u64(b, 99, 1), 0);
	if (c == OVERRUN)
		km_put32(b->data + 4, 1000); /* the NAME entry's length */
}

static void test_hostile(void **state)
{
	struct km_buf b = { 0 };
	int c, rc[NR_CASES];

	(void)state;
	km_test_quiet();
	for (c = 0; c < NR_CASES; c++) {
		b.len = 0;
		build_case(&b, c);
		rc[c] = read_chunk(&b);
	}
	km_test_loud();
	km_buf_free(&b);
	for (c = 0; c < NR_BAD; c++)
		if (rc[c] != -EBADMSG)
			fail_msg("bad case %d read with %d, want -EBADMSG", c,
				 rc[c]);
	for (; c < NR_CASES; c++)
		if (rc[c])
			fail_msg("good case %d read with %d", c, rc[c]);
}

/* No more than KM_MAX_MODULES: memory stays bounded on hostile input. */
static void test_too_many(void **state)
{
	struct km_trace_writer w;
	struct km_trace t;
	char name[16];
	int i, rc;

	(void)state;
	start(&w);
	for (i = 0; i < KM_MAX_MODULES; i++) {
		snprintf(name, sizeof(name), "m%d", i);
		km_test_put_module(&w, name, MOD_ADDR + i * 4096ull, 4096,
				   NULL, 0, NULL, 0);
	}
	finish(&w);
	assert_int_equal(open_trace(&t), 0);
	assert_int_equal(t.d.nr_mods, KM_MAX_MODULES);
	km_trace_close(&t);

	start(&w);
	for (i = 0; i <= KM_MAX_MODULES; i++) {
		snprintf(name, sizeof(name), "m%d", i);
		km_test_put_module(&w, name, MOD_ADDR, 4096, NULL, 0, NULL, 0);
	}
	finish(&w);
	km_test_quiet();
	rc = open_trace(&t);
	km_test_loud();
	assert_int_equal(rc, -EBADMSG);
}

/* Cut anywhere in or after the module chunks, the file still reads. */
static void test_cut(void **state)
{
	struct km_trace_writer w;
	struct km_trace t;
	size_t size, len;
	int bad = 0, rc;
	uint8_t *buf;

	(void)state;
	start(&w);
	km_test_put_module(&w, "virtio_blk", MOD_ADDR, 28672, build_id,
			   sizeof(build_id), sections, 3);
	finish(&w);
	buf = km_test_read_file(fx.path, &size);
	km_test_quiet();
	for (len = size; len-- > KM_FILE_HDR_SIZE;) {
		km_test_write_file(fx.path, buf, len);
		rc = km_trace_open(&t, fx.path);
		/* Before META's end: corrupt; after it: what is whole. */
		if (rc && rc != -EBADMSG)
			bad++;
		if (!rc && t.d.nr_mods > 1)
			bad++;
		km_trace_close(&t);
	}
	km_test_loud();
	free(buf);
	assert_int_equal(bad, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_header),
		cmocka_unit_test(test_writer_lines),
		cmocka_unit_test_teardown(test_hostile, km_test_teardown),
		cmocka_unit_test_teardown(test_too_many, km_test_teardown),
		cmocka_unit_test_teardown(test_cut, km_test_teardown),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
