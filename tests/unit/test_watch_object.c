// SPDX-License-Identifier: GPL-2.0
/*
 * The WATCH chunk's OBJECT entry (tag 6): what a member path was
 * resolved from survives writing and reading, and a watch without one
 * reads back with none.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "km_test.h"
#include "../../common/trace/trace_reader.h"

static const char object[] =
	"pid-task 1 (struct task_struct at 0xffff888100268000)";

/* A WATCH chunk as record.c's write_watch() makes it for a member path. */
static void put_object_watch(struct km_trace_writer *w)
{
	struct km_buf b = { 0 };

	assert_int_equal(km_tlv_put_u64(&b, KM_WATCH_INDEX, 0), 0);
	assert_int_equal(km_tlv_put_u64(&b, KM_WATCH_TYPE, KM_BP_RW), 0);
	assert_int_equal(km_tlv_put_u64(&b, KM_WATCH_LEN, 8), 0);
	assert_int_equal(km_tlv_put_u64(&b, KM_WATCH_ADDR, 0xffff888100268110),
			 0);
	assert_int_equal(km_tlv_put_str(&b, KM_WATCH_EXPR, "&se.nr_migrations"),
			 0);
	assert_int_equal(km_tlv_put_str(&b, KM_WATCH_OBJECT, object), 0);
	assert_int_equal(km_tw_chunk(w, KM_CHUNK_WATCH, b.data, b.len), 0);
	km_buf_free(&b);
}

static void test_object_round_trip(void **state)
{
	static const char kallsyms[] = "ffffffff81000000 T _text\n";
	struct km_trailer trailer = { 0 };
	struct km_trace_writer w;
	struct km_trace t = { 0 };
	char dir[256], path[300];

	(void)state;
	km_test_mkdtemp(dir);
	snprintf(path, sizeof(path), "%s/t.kmt", dir);
	assert_int_equal(km_tw_create(&w, path), 0);
	km_test_put_meta(&w);
	put_object_watch(&w);
	km_test_put_watch(&w, 1, KM_BP_W, 4, 0xffffffff82000000, "jiffies");
	assert_int_equal(km_tw_chunk(&w, KM_CHUNK_KALLSYMS, kallsyms,
				     strlen(kallsyms)),
			 0);
	assert_int_equal(km_tw_finish(&w, &trailer), 0);
	km_tw_free(&w);

	assert_int_equal(km_trace_open(&t, path), 0);
	assert_int_equal(t.d.nr_watches, 2);
	assert_string_equal(t.d.watches[0].expr, "&se.nr_migrations");
	assert_non_null(t.d.watches[0].object);
	assert_string_equal(t.d.watches[0].object, object);
	assert_int_equal(t.d.watches[0].len, 8);
	assert_string_equal(t.d.watches[1].expr, "jiffies");
	assert_null(t.d.watches[1].object);
	km_trace_close(&t);
	km_test_rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_object_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
