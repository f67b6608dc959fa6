// SPDX-License-Identifier: GPL-2.0
/* km_find_build_id over ELF notes, as /sys/kernel/notes holds them. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <cmocka.h>
#include "../../common/bytes.h"
#include "../../common/symbolize/ksyms.h"
#include "../../record/capture/sysinfo.h"

#define NT_GNU_BUILD_ID 3

/* Appends one note: namesz descsz type, name and desc padded to 4. */
static size_t put_note(uint8_t *p, const char *name, uint32_t namesz,
		       uint32_t type, const uint8_t *desc, uint32_t descsz)
{
	size_t n = 12;

	km_put32(p, namesz);
	km_put32(p + 4, descsz);
	km_put32(p + 8, type);
	memset(p + n, 0, (namesz + 3) & ~3u);
	memcpy(p + n, name, namesz);
	n += (namesz + 3) & ~3u;
	memset(p + n, 0, (descsz + 3) & ~3u);
	memcpy(p + n, desc, descsz);
	return n + ((descsz + 3) & ~3u);
}

static const uint8_t id20[20] = { 0x4a, 0x5a, 0x9b, 0x0a, 0xff, 0xb6, 0x6c,
				  0x43, 0x7a, 0xbc, 0xd4, 0x55, 0xd2, 0x73,
				  0x8a, 0xf8, 0x79, 0x98, 0x5f, 0xa9 };

/* A "Linux" note, a GNU note of another type, then the build-id. */
static size_t make_notes(uint8_t *p)
{
	static const uint8_t linux_desc[4] = { 1, 1, 0, 0 };
	static const uint8_t abi[16] = { 0 };
	size_t n = 0;

	n += put_note(p + n, "Linux", 6, 0x101, linux_desc, 4);
	n += put_note(p + n, "GNU", 4, 1, abi, sizeof(abi));
	n += put_note(p + n, "GNU", 4, NT_GNU_BUILD_ID, id20, 20);
	return n;
}

/*
 * len bytes that end right where an unreadable page starts: reading
 * one byte too far faults, and cmocka reports the signal.
 */
static uint8_t *guarded(const uint8_t *src, size_t len, void **map)
{
	long pg = sysconf(_SC_PAGESIZE);
	uint8_t *p = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	assert_true(p != MAP_FAILED);
	assert_int_equal(mprotect(p + pg, pg, PROT_NONE), 0);
	*map = p;
	memcpy(p + pg - len, src, len);
	return p + pg - len;
}

static void unguard(void *map)
{
	munmap(map, 2 * sysconf(_SC_PAGESIZE));
}

static void test_found_after_other_notes(void **state)
{
	uint8_t notes[256], id[64];
	size_t len = make_notes(notes);
	void *map;
	uint8_t *g = guarded(notes, len, &map);

	(void)state;
	memset(id, 0xee, sizeof(id));
	assert_int_equal(km_find_build_id(g, len, id, sizeof(id)), 20);
	assert_memory_equal(id, id20, 20);
	assert_int_equal(id[20], 0xee);
	unguard(map);
}

/* Every cut short of the whole build-id finds nothing, reads nothing past. */
static void test_truncated(void **state)
{
	uint8_t notes[256], id[64];
	size_t len = make_notes(notes), cut;
	void *map;

	(void)state;
	for (cut = 0; cut < len; cut++) {
		uint8_t *g = guarded(notes, cut, &map);

		if (km_find_build_id(g, cut, id, sizeof(id)) != 0)
			fail_msg(
				"found a build-id in the first %zu of %zu bytes",
				cut, len);
		unguard(map);
	}
}

static void test_too_big_for_caller(void **state)
{
	uint8_t notes[256], id[64];
	size_t len = make_notes(notes);

	(void)state;
	memset(id, 0xee, sizeof(id));
	assert_int_equal(km_find_build_id(notes, len, id, 19), 0);
	assert_int_equal(id[0], 0xee);
}

/* Sizes that would run far past the buffer, or wrap around. */
static void test_hostile_sizes(void **state)
{
	static const uint32_t sizes[] = { 0xffffffff, 0xfffffffd, 0x7fffffff,
					  0x80000000, 1000 };
	uint8_t notes[256], id[64];
	size_t len = make_notes(notes), i;
	void *map;

	(void)state;
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		uint8_t bad[256];
		uint8_t *g;

		/* The first note's namesz, then its descsz. */
		memcpy(bad, notes, len);
		km_put32(bad, sizes[i]);
		g = guarded(bad, len, &map);
		assert_int_equal(km_find_build_id(g, len, id, sizeof(id)), 0);
		unguard(map);
		memcpy(bad, notes, len);
		km_put32(bad + 4, sizes[i]);
		g = guarded(bad, len, &map);
		assert_int_equal(km_find_build_id(g, len, id, sizeof(id)), 0);
		unguard(map);
	}
}

static void test_real_kernel(void **state)
{
	uint8_t id[64];
	size_t len, n, i;
	char *notes;
	int nonzero = 0;

	(void)state;
	if (km_read_file("/sys/kernel/notes", &notes, &len))
		skip();
	n = km_find_build_id((uint8_t *)notes, len, id, sizeof(id));
	free(notes);
	assert_int_equal(n, 20);
	for (i = 0; i < n; i++)
		nonzero |= id[i];
	assert_true(nonzero);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_found_after_other_notes),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_too_big_for_caller),
		cmocka_unit_test(test_hostile_sizes),
		cmocka_unit_test(test_real_kernel),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
