// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "../../common/color.h"
#include "../../common/escape.h"
#include "../../common/json.h"
#include "call_tree.h"

/* Deeper trees are cut there: the recursion must stay bounded. */
#define MAX_DEPTH 4096

/* In JSON each call is an object and its "calls" array, in a row. */
_Static_assert(2 * MAX_DEPTH + 2 <= KM_JW_MAX_DEPTH,
	       "a call tree as deep as it is cut must fit the JSON writer");

static int by_hits(const void *a, const void *b)
{
	const struct km_fg_node *x = *(const struct km_fg_node *const *)a;
	const struct km_fg_node *y = *(const struct km_fg_node *const *)b;

	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return strcmp(x->name, y->name);
}

/*
 * The children of n by hits. A copy: the tree keeps its kids sorted by
 * name, which it needs to find them.
 */
static struct km_fg_node **sorted_kids(const struct km_fg_node *n)
{
	struct km_fg_node **k;

	k = malloc((n->nr_kids ?: 1) * sizeof(*k));
	if (!k)
		return NULL;
	if (n->nr_kids)
		memcpy(k, n->kids, n->nr_kids * sizeof(*k));
	qsort(k, n->nr_kids, sizeof(*k), by_hits);
	return k;
}

static double percent(uint64_t part, uint64_t total)
{
	return total ? 100.0 * part / total : 0;
}

/* What every line of a text tree shares. */
struct text_opts {
	uint64_t total;
	double limit;
	bool color;
};

static int text(FILE *f, const struct km_fg_node *n, int depth,
		const struct text_opts *o)
{
	struct km_fg_node **k;
	size_t i;
	int err = 0;

	if (depth >= MAX_DEPTH)
		return 0;
	k = sorted_kids(n);
	if (!k)
		return -ENOMEM;
	/* Most hits first: the first under the limit ends the level. */
	for (i = 0; !err && i < n->nr_kids; i++) {
		if (percent(k[i]->count, o->total) < o->limit)
			break;
		km_print_percent(f, 9, percent(k[i]->count, o->total),
				 o->color);
		fprintf(f, "  %8" PRIu64 "  %*s", k[i]->count, 2 * depth, "");
		km_puts_text(f, k[i]->name);
		fputc('\n', f);
		err = text(f, k[i], depth + 1, o);
	}
	free(k);
	return err;
}

int km_call_tree_text(FILE *f, const struct km_fg_node *root, uint64_t total,
		      int depth, double limit, bool color)
{
	const struct text_opts o = { total, limit, color };

	return text(f, root, depth, &o);
}

/*
 * The kids are sorted before the array opens: out of memory, n's
 * "calls" are null and the rest of the row is left out, as w writes
 * nothing after an error but what closes the row at km_jw_end.
 */
static int json(struct km_jw *w, const struct km_fg_node *n, uint64_t total,
		int depth, double limit)
{
	struct km_fg_node **k = NULL;
	size_t i;
	int err = 0;

	if (depth < MAX_DEPTH) {
		k = sorted_kids(n);
		if (!k) {
			km_jw_fail(w, -ENOMEM);
			return -ENOMEM;
		}
	}
	km_jw_open_array(w);
	for (i = 0; k && !err && i < n->nr_kids; i++) {
		if (percent(k[i]->count, total) < limit)
			break;
		km_jw_open_object(w);
		km_jw_key(w, "name");
		km_jw_string(w, k[i]->name);
		km_jw_key(w, "hits");
		km_jw_u64(w, k[i]->count);
		km_jw_key(w, "percent");
		km_jw_fixed(w, percent(k[i]->count, total), 4);
		km_jw_key(w, "calls");
		err = json(w, k[i], total, depth + 1, limit);
		km_jw_close_object(w);
	}
	km_jw_close_array(w);
	free(k);
	return err;
}

int km_call_tree_json(struct km_jw *w, const struct km_fg_node *root,
		      uint64_t total, double limit)
{
	return json(w, root, total, 0, limit);
}
