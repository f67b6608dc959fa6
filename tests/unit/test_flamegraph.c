// SPDX-License-Identifier: GPL-2.0
/*
 * The flame graph tree merges paths by name per level; the SVG parses as
 * XML (xmllint, libxml2-utils) and its frames carry the counts, places
 * and titles their hits give them.
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
#include "../../report/views/flamegraph.h"
#include "km_test.h"

#define PATH(...) ((const char *const[]){ __VA_ARGS__ })
#define NR(...) (sizeof(PATH(__VA_ARGS__)) / sizeof(const char *))
#define ADD(root, count, ...) \
	assert_int_equal(     \
		km_fg_add(root, PATH(__VA_ARGS__), NR(__VA_ARGS__), count), 0)

/* The path in the README's example, 5000 hits in all. */
static struct km_fg_node *sample(void)
{
	struct km_fg_node *root = km_fg_new();

	assert_non_null(root);
	ADD(root, 3000, "trigger", "entry_SYSCALL_64", "do_syscall_64",
	    "vfs_read", "memcpy");
	ADD(root, 500, "trigger", "entry_SYSCALL_64", "do_syscall_64",
	    "vfs_read");
	ADD(root, 500, "trigger", "entry_SYSCALL_64", "do_syscall_64",
	    "vfs_write");
	ADD(root, 1000, "cat", "a<b>&\"'c");
	return root;
}

static const struct km_fg_node *kid(const struct km_fg_node *n,
				    const char *name)
{
	size_t i;

	for (i = 0; i < n->nr_kids; i++)
		if (!strcmp(n->kids[i]->name, name))
			return n->kids[i];
	fail_msg("no frame %s above %s", name, n->name);
	return NULL;
}

static void test_merge(void **state)
{
	struct km_fg_node *root = sample();
	const struct km_fg_node *n;

	(void)state;
	assert_string_equal(root->name, "all");
	assert_int_equal(root->count, 5000);
	assert_int_equal(root->nr_kids, 2);
	/* Kids in the order first added; the SVG sorts them. */
	assert_string_equal(root->kids[0]->name, "trigger");
	assert_string_equal(root->kids[1]->name, "cat");
	n = kid(kid(kid(root, "trigger"), "entry_SYSCALL_64"), "do_syscall_64");
	assert_int_equal(n->count, 4000);
	assert_int_equal(n->nr_kids, 2);
	assert_int_equal(kid(n, "vfs_read")->count, 3500);
	assert_int_equal(kid(n, "vfs_write")->count, 500);
	assert_int_equal(kid(kid(n, "vfs_read"), "memcpy")->count, 3000);
	km_fg_free(root);
}

static void test_null_and_empty(void **state)
{
	struct km_fg_node *root = km_fg_new();

	(void)state;
	assert_non_null(root);
	ADD(root, 2, "comm", NULL);
	assert_int_equal(km_fg_add(root, NULL, 0, 3), 0);
	assert_int_equal(root->count, 5);
	assert_int_equal(kid(kid(root, "comm"), "[unknown]")->count, 2);
	km_fg_free(root);
	km_fg_free(NULL);
}

/* Many names at one level, in an order that is not sorted. */
static void test_many_kids(void **state)
{
	struct km_fg_node *root = km_fg_new();
	char name[16];
	const char *p[1] = { name };
	size_t i;

	(void)state;
	for (i = 0; i < 3000; i++) {
		snprintf(name, sizeof(name), "f%zu", (i * 7919) % 1000);
		assert_int_equal(km_fg_add(root, p, 1, 1), 0);
	}
	assert_int_equal(root->nr_kids, 1000);
	/* The first 1000 names are distinct (7919 is prime to 1000). */
	for (i = 0; i < root->nr_kids; i++) {
		snprintf(name, sizeof(name), "f%zu", (i * 7919) % 1000);
		assert_string_equal(root->kids[i]->name, name);
		assert_int_equal(root->kids[i]->count, 3);
	}
	km_fg_free(root);
}

static char dir[256];

static int setup(void **state)
{
	(void)state;
	km_test_mkdtemp(dir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	km_test_rmdir(dir);
	return 0;
}

/* Writes root's SVG into dir and returns its path (static). */
static const char *write_svg(const struct km_fg_node *root, const char *name,
			     const char *title)
{
	static char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(km_flamegraph_svg(f, root, title), 0);
	assert_int_equal(fclose(f), 0);
	return path;
}

static void assert_xml(const char *path)
{
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "xmllint --noout '%s'", path);
	if (system(cmd))
		fail_msg("%s does not parse as XML (is xmllint, of "
			 "libxml2-utils, installed?)",
			 path);
}

/* What xmllint makes of the XPath expression expr (no ') in path. */
static char *xpath(const char *path, const char *expr)
{
	char cmd[1024], *out = calloc(1, 4096);
	size_t n;
	FILE *p;

	assert_non_null(out);
	snprintf(cmd, sizeof(cmd), "xmllint --xpath '%s' '%s'", expr, path);
	p = popen(cmd, "r");
	assert_non_null(p);
	n = fread(out, 1, 4095, p);
	if (n && out[n - 1] == '\n') /* xmllint's, after the value */
		n--;
	out[n] = 0;
	assert_int_equal(pclose(p), 0);
	return out;
}

/* The attribute attr of the frame named name, or of its rect or title. */
static void assert_frame(const char *path, const char *name, const char *attr,
			 const char *want)
{
	char expr[512];
	char *got;

	snprintf(expr, sizeof(expr),
		 "string(//*[local-name()=\"g\"][@data-name=\"%s\"]/%s)", name,
		 attr);
	got = xpath(path, expr);
	if (strcmp(got, want))
		fail_msg("%s of frame %s: got \"%s\", want \"%s\"", attr, name,
			 got, want);
	free(got);
}

static void test_svg_frames(void **state)
{
	struct km_fg_node *root = sample();
	const char *path = write_svg(root, "sample.svg", "rw4 __start_BTF");
	char *got;

	(void)state;
	assert_xml(path);
	got = xpath(path, "count(//*[local-name()=\"g\"][@class=\"frame\"])");
	assert_string_equal(got, "9");
	free(got);
	got = xpath(path, "string(//*[@id=\"title\"])");
	assert_string_equal(got, "rw4 __start_BTF");
	free(got);

	assert_frame(path, "all", "@data-count", "5000");
	assert_frame(path, "all", "@data-depth", "0");
	assert_frame(path, "all", "*[local-name()=\"rect\"]/@width", "1180.00");
	assert_frame(path, "all", "*[local-name()=\"title\"]",
		     "all (5000 hits, 100.00%)");
	/* Kids left to right by name: cat, then trigger. */
	assert_frame(path, "cat", "@data-start", "0");
	assert_frame(path, "cat", "*[local-name()=\"rect\"]/@x", "10.00");
	assert_frame(path, "cat", "*[local-name()=\"rect\"]/@width", "236.00");
	assert_frame(path, "trigger", "@data-start", "1000");
	assert_frame(path, "trigger", "*[local-name()=\"rect\"]/@x", "246.00");
	assert_frame(path, "trigger", "*[local-name()=\"rect\"]/@width",
		     "944.00");
	assert_frame(path, "vfs_read", "@data-count", "3500");
	assert_frame(path, "vfs_read", "@data-depth", "4");
	assert_frame(path, "vfs_read", "*[local-name()=\"rect\"]/@width",
		     "826.00");
	assert_frame(path, "vfs_read", "*[local-name()=\"title\"]",
		     "vfs_read (3500 hits, 70.00%)");
	assert_frame(path, "vfs_write", "@data-start", "4500");
	assert_frame(path, "vfs_write", "*[local-name()=\"rect\"]/@x",
		     "1072.00");
	assert_frame(path, "memcpy", "@data-depth", "5");
	assert_frame(path, "memcpy", "*[local-name()=\"text\"]", "memcpy");
	/* A narrow frame's label is cut to fit: 118 px hold 15 chars. */
	assert_frame(path, "vfs_write", "*[local-name()=\"text\"]",
		     "vfs_write");
	/* The name with XML's special characters, escaped and read back. */
	got = xpath(path, "string(//*[local-name()=\"g\"][@data-depth=\"2\"]"
			  "[@data-count=\"1000\"]/@data-name)");
	assert_string_equal(got, "a<b>&\"'c");
	free(got);
	/* Root at the bottom: deeper frames are higher up. */
	got = xpath(path, "string(//*[local-name()=\"g\"][@data-name=\"all\"]/"
			  "*[local-name()=\"rect\"]/@y)");
	assert_int_equal(atoi(got), 40 + 5 * 16);
	free(got);
	km_fg_free(root);
}

/* Labels are cut with ".." to what the frame holds. */
static void test_label_cut(void **state)
{
	struct km_fg_node *root = km_fg_new();
	const char *path;

	(void)state;
	assert_non_null(root);
	/* 1% of 1180 px: 11.8 px, one character: no label. */
	ADD(root, 1, "tiny_frame");
	/* 10%: 118 px, (118 - 6) / 7.3 = 15 characters. */
	ADD(root, 10, "a_rather_long_function_name");
	ADD(root, 89, "rest");
	path = write_svg(root, "cut.svg", NULL);
	assert_xml(path);
	assert_frame(path, "tiny_frame", "*[local-name()=\"text\"]", "");
	assert_frame(path, "a_rather_long_function_name",
		     "*[local-name()=\"text\"]", "a_rather_long..");
	assert_frame(path, "rest", "*[local-name()=\"text\"]", "rest");
	km_fg_free(root);
}

/* Frames under 0.1% are left out, with what is above them. */
static void test_narrow_left_out(void **state)
{
	struct km_fg_node *root = km_fg_new();
	const char *path;
	char *got;

	(void)state;
	assert_non_null(root);
	ADD(root, 9999, "wide");
	ADD(root, 1, "narrow", "above_narrow");
	ADD(root, 11, "just_wide_enough");
	path = write_svg(root, "narrow.svg", "t");
	assert_xml(path);
	got = xpath(path, "count(//*[local-name()=\"g\"][@class=\"frame\"])");
	assert_string_equal(got, "3");
	free(got);
	assert_frame(path, "all", "@data-count", "10011");
	assert_frame(path, "just_wide_enough", "@data-count", "11");
	/* The narrow frame keeps its place: wide starts after it. */
	assert_frame(path, "just_wide_enough", "@data-start", "0");
	assert_frame(path, "wide", "@data-start", "12");
	got = xpath(path, "string(//comment())");
	assert_non_null(strstr(got, "2 frames under 0.1%"));
	free(got);
	km_fg_free(root);
}

/* Bytes that are not printable ASCII still make valid XML. */
static void test_odd_bytes(void **state)
{
	struct km_fg_node *root = km_fg_new();
	const char *path;
	char *got;

	(void)state;
	assert_non_null(root);
	ADD(root, 1, "ctl\x01\x1f\x7f", "caf\xe9", "\xff\xfe");
	path = write_svg(root, "odd.svg", "title <&>");
	assert_xml(path);
	got = xpath(path, "string(//*[local-name()=\"g\"][@data-depth=\"2\"]"
			  "/@data-name)");
	assert_string_equal(got, "caf\xc3\xa9"); /* U+00E9 in UTF-8 */
	free(got);
	got = xpath(path, "string(//*[local-name()=\"g\"][@data-depth=\"1\"]"
			  "/@data-name)");
	assert_string_equal(got, "ctl\xe2\x90\x81\xe2\x90\x9f\xe2\x90\xa1");
	free(got);
	got = xpath(path, "string(//*[@id=\"title\"])");
	assert_string_equal(got, "title <&>");
	free(got);
	km_fg_free(root);
}

/* No hits at all: a root spanning the width, nothing else. */
static void test_empty(void **state)
{
	struct km_fg_node *root = km_fg_new();
	const char *path;

	(void)state;
	assert_non_null(root);
	path = write_svg(root, "empty.svg", "nothing");
	assert_xml(path);
	assert_frame(path, "all", "*[local-name()=\"rect\"]/@width", "1180.00");
	assert_frame(path, "all", "*[local-name()=\"title\"]",
		     "all (0 hits, 0.00%)");
	km_fg_free(root);
}

/* The same tree, built in another order, gives the same bytes. */
static void test_deterministic(void **state)
{
	struct km_fg_node *a = sample(), *b = km_fg_new();
	size_t la, lb;
	uint8_t *x, *y;

	(void)state;
	assert_non_null(b);
	ADD(b, 1000, "cat", "a<b>&\"'c");
	ADD(b, 500, "trigger", "entry_SYSCALL_64", "do_syscall_64",
	    "vfs_write");
	ADD(b, 1500, "trigger", "entry_SYSCALL_64", "do_syscall_64", "vfs_read",
	    "memcpy");
	ADD(b, 500, "trigger", "entry_SYSCALL_64", "do_syscall_64", "vfs_read");
	ADD(b, 1500, "trigger", "entry_SYSCALL_64", "do_syscall_64", "vfs_read",
	    "memcpy");
	x = km_test_read_file(write_svg(a, "a.svg", "t"), &la);
	y = km_test_read_file(write_svg(b, "b.svg", "t"), &lb);
	assert_int_equal(la, lb);
	assert_memory_equal(x, y, la);
	free(x);
	free(y);
	km_fg_free(a);
	km_fg_free(b);
}

/* A write error comes back as -EIO. */
static void test_write_error(void **state)
{
	struct km_fg_node *root = sample();
	FILE *f = fopen("/dev/full", "w");

	(void)state;
	assert_non_null(f);
	setvbuf(f, NULL, _IONBF, 0);
	assert_int_equal(km_flamegraph_svg(f, root, "t"), -EIO);
	fclose(f);
	km_fg_free(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_merge),
		cmocka_unit_test(test_null_and_empty),
		cmocka_unit_test(test_many_kids),
		cmocka_unit_test(test_svg_frames),
		cmocka_unit_test(test_label_cut),
		cmocka_unit_test(test_narrow_left_out),
		cmocka_unit_test(test_odd_bytes),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_write_error),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
