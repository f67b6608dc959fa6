// SPDX-License-Identifier: GPL-2.0
/*
 * The flame graph's children: the tree keeps them as they came and
 * finds them by name (one by one while few, by hash once many); the SVG
 * draws each level in strcmp order of the names, so the same paths give
 * the same bytes in whatever order they were added.
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

/* The SVG of root, in memory (malloc'ed, NUL-terminated). */
static char *svg_of(const struct km_fg_node *root, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	assert_non_null(f);
	assert_int_equal(km_flamegraph_svg(f, root, "order"), 0);
	assert_int_equal(fclose(f), 0);
	return buf;
}

/*
 * Name i of a level, distinct for each i: varied lengths and cases,
 * some prefixes of others ("a6", "a60").
 */
static void name_of(char *buf, size_t size, unsigned int i)
{
	static const char *const stems[] = { "a", "B", "a_b", "aa", "_x", "Z" };

	snprintf(buf, size, "%s%u", stems[i % 6], i);
}

/* Adds path (comm, level 1 name i, level 2 name j) with count hits. */
static void add3(struct km_fg_node *root, unsigned int i, unsigned int j,
		 uint64_t count)
{
	char a[32], b[32];
	const char *p[3] = { "comm", a, b };

	name_of(a, sizeof(a), i);
	name_of(b, sizeof(b), j);
	assert_int_equal(km_fg_add(root, p, 3, count), 0);
}

/*
 * The same 600 paths, in order, in reverse and shuffled: three trees
 * whose kids are in three different orders, one SVG.
 */
static void test_order_independent(void **state)
{
	enum { N = 600 };
	struct km_fg_node *t[3];
	unsigned int perm[N], i, j, tmp;
	uint64_t rng = 12345;
	char *svg[3];
	size_t len[3];
	int k;

	(void)state;
	for (i = 0; i < N; i++)
		perm[i] = i;
	for (i = N - 1; i > 0; i--) {
		rng = rng * 6364136223846793005ull + 1442695040888963407ull;
		j = (rng >> 33) % (i + 1);
		tmp = perm[i];
		perm[i] = perm[j];
		perm[j] = tmp;
	}
	for (k = 0; k < 3; k++) {
		t[k] = km_fg_new();
		assert_non_null(t[k]);
	}
	for (i = 0; i < N; i++) {
		/* Up to 60 kids a level, a few counts large enough to draw. */
		add3(t[0], i % 60, i % 13, 1 + i % 5 * 40);
		add3(t[1], (N - 1 - i) % 60, (N - 1 - i) % 13,
		     1 + (N - 1 - i) % 5 * 40);
		add3(t[2], perm[i] % 60, perm[i] % 13, 1 + perm[i] % 5 * 40);
	}
	assert_int_equal(t[0]->kids[0]->nr_kids, 60);
	assert_int_equal(t[0]->count, t[2]->count);
	for (k = 0; k < 3; k++)
		svg[k] = svg_of(t[k], &len[k]);
	for (k = 1; k < 3; k++) {
		assert_int_equal(len[k], len[0]);
		assert_memory_equal(svg[k], svg[0], len[0]);
	}
	for (k = 0; k < 3; k++) {
		free(svg[k]);
		km_fg_free(t[k]);
	}
}

/*
 * A level of 400 kids, all wide enough to draw, added in an order far
 * from sorted: their frames come left to right in strcmp order, each
 * starting where the one before it ends.
 */
static void test_svg_name_order(void **state)
{
	enum { N = 400 };
	struct km_fg_node *root = km_fg_new();
	char name[32], prev[64] = "", got[64];
	const char *p[1] = { name };
	unsigned long long count, start, at = 0;
	unsigned int i, depth, frames = 0;
	const char *s;
	char *svg;
	size_t len;

	(void)state;
	assert_non_null(root);
	for (i = 0; i < N; i++) {
		name_of(name, sizeof(name), (i * 263) % N);
		assert_int_equal(km_fg_add(root, p, 1, 1 + i % 3), 0);
	}
	svg = svg_of(root, &len);
	for (s = svg; (s = strstr(s, "<g class=\"frame\" data-name=\"")); s++) {
		assert_int_equal(
			sscanf(s,
			       "<g class=\"frame\" data-name=\"%63[^\"]\""
			       " data-count=\"%llu\" data-start=\"%llu\""
			       " data-depth=\"%u\"",
			       got, &count, &start, &depth),
			4);
		if (depth != 1)
			continue;
		if (frames++)
			assert_true(strcmp(prev, got) < 0);
		assert_int_equal(start, at);
		at += count;
		strcpy(prev, got);
	}
	assert_int_equal(frames, root->nr_kids);
	assert_int_equal(at, root->count);
	free(svg);
	km_fg_free(root);
}

/*
 * Past the handful of kids looked through one by one, past several
 * growths of the index: every name added again is found, not made
 * anew, and NULL is found as "[unknown]".
 */
static void test_find_again(void **state)
{
	enum { N = 5000 };
	struct km_fg_node *root = km_fg_new();
	char name[32];
	const char *p[2] = { name, "leaf" };
	const char *unknown[1] = { NULL };
	unsigned int i, round;

	(void)state;
	assert_non_null(root);
	for (round = 0; round < 2; round++) {
		p[0] = name;
		for (i = 0; i < N; i++) {
			name_of(name, sizeof(name), i);
			assert_int_equal(km_fg_add(root, p, 2, 1), 0);
			assert_int_equal(root->nr_kids, round ? N + 1 : i + 1);
		}
		assert_int_equal(km_fg_add(root, unknown, 1, 1), 0);
		p[0] = "[unknown]";
		assert_int_equal(km_fg_add(root, p, 1, 1), 0);
	}
	assert_int_equal(root->nr_kids, N + 1);
	assert_int_equal(root->count, 2 * N + 4);
	for (i = 0; i < root->nr_kids; i++) {
		if (!strcmp(root->kids[i]->name, "[unknown]")) {
			assert_int_equal(root->kids[i]->count, 4);
			continue;
		}
		assert_int_equal(root->kids[i]->count, 2);
		assert_int_equal(root->kids[i]->nr_kids, 1);
		assert_int_equal(root->kids[i]->kids[0]->count, 2);
	}
	km_fg_free(root);
}

/*
 * A crafted trace's shape: 200,000 distinct names at one level, each
 * too thin to draw. Built and drawn at all (this once took a move of
 * every later name per insertion); none is drawn, all are counted as
 * left out.
 */
static void test_wide_level(void **state)
{
	enum { N = 200000 };
	struct km_fg_node *root = km_fg_new();
	char name[32], *svg;
	const char *p[1] = { name };
	unsigned int i;
	size_t len;

	(void)state;
	assert_non_null(root);
	for (i = 0; i < N; i++) {
		snprintf(name, sizeof(name), "n%07x", (i * 7919u) % N);
		assert_int_equal(km_fg_add(root, p, 1, 1), 0);
	}
	assert_int_equal(root->nr_kids, N);
	svg = svg_of(root, &len);
	assert_non_null(strstr(svg, "<!-- 200000 frames under 0.1% of all hits"
				    " are left out -->"));
	free(svg);
	km_fg_free(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order_independent),
		cmocka_unit_test(test_svg_name_order),
		cmocka_unit_test(test_find_again),
		cmocka_unit_test(test_wide_level),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
