// SPDX-License-Identifier: GPL-2.0
/*
 * --sort KEYS: hits grouped by the keys' values, most hits first, as
 * perf report -s does; the stack key shows each group's stack under
 * it. With -g the stacks of each group (the other keys) are a tree.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "../../common/color.h"
#include "../../common/error.h"
#include "../../common/json.h"
#include "../../common/trace/trace_format.h"
#include "call_tree.h"
#include "sort_groups.h"
#include "views.h"

struct tally {
	struct km_report *r;
	struct km_htab tab;
	struct km_buf key;
	uint64_t total;
};

static int tally_hit(void *arg, const struct km_hit *h)
{
	struct tally *ty = arg;
	uint64_t *v;

	ty->key.len = 0;
	if (km_sort_encode(ty->r, h, &ty->key))
		return -ENOMEM;
	v = km_htab_get(&ty->tab, ty->key.data, ty->key.len, NULL);
	if (!v)
		return -ENOMEM;
	(*v)++;
	ty->total++;
	return 0;
}

/* The last key shown as a column (stack is not): it gets no padding. */
static int last_column(const struct km_sort *s)
{
	int i = s->n - 1;

	while (i >= 0 && s->key[i] == KM_KEY_STACK)
		i--;
	return i;
}

static void print_columns(FILE *f, const struct km_sort *s, const int *width)
{
	int i, last = last_column(s);

	fputs("# Overhead      Hits", f);
	for (i = 0; i < s->n; i++)
		if (s->key[i] != KM_KEY_STACK)
			fprintf(f, "  %-*s", i == last ? 0 : width[i],
				km_sort_key_name(s->key[i]));
	fputc('\n', f);
}

/* Each column as wide as its widest cell (or name). */
static void measure(const struct km_sort *s, const struct km_group *g,
		    size_t nr, int *width)
{
	struct km_group_vals v;
	char cell[512];
	size_t j;
	int i, len;

	for (i = 0; i < s->n; i++)
		width[i] = strlen(km_sort_key_name(s->key[i]));
	for (j = 0; j < nr; j++) {
		km_sort_decode(s, g[j].key, &v);
		for (i = 0; i < s->n; i++) {
			km_sort_cell(s->key[i], &v, cell, sizeof(cell));
			len = strlen(cell);
			if (len > width[i])
				width[i] = len;
		}
	}
}

static int print_text_row(FILE *f, struct km_report *r, const struct km_sort *s,
			  const struct km_group *g, uint64_t total,
			  const int *width)
{
	struct km_group_vals v = { 0 };
	const uint64_t *frames;
	uint32_t nr;
	char cell[512];
	bool stack = false;
	int i, err;

	km_sort_decode(s, g->key, &v);
	if (g->tree && !s->n)
		goto tree;
	km_print_percent(f, 9, total ? 100.0 * g->count / total : 0,
			 r->pc.color);
	fprintf(f, "  %8" PRIu64, g->count);
	for (i = 0; i < s->n; i++) {
		if (s->key[i] == KM_KEY_STACK) {
			stack = true;
			continue;
		}
		km_sort_cell(s->key[i], &v, cell, sizeof(cell));
		fprintf(f, "  %-*s", i == last_column(s) ? 0 : width[i], cell);
	}
	fputc('\n', f);
tree:
	if (g->tree) {
		/* Under its group's row, or alone when no key groups. */
		err = km_call_tree_text(f, g->tree, total, s->n ? 1 : 0,
					r->percent_limit, r->pc.color);
		fputc('\n', f);
		return err;
	}
	if (!stack)
		return 0;
	if (v.stack_id == KM_NO_STACK) {
		km_print_frames(f, &r->pc, &v.ip, 1, "            ");
	} else {
		frames = km_report_stack(r, v.stack_id, &nr);
		km_print_frames(f, &r->pc, frames, nr, "            ");
	}
	fputc('\n', f);
	return 0;
}

/* One JSON line; on -ENOMEM a shorter one, closed, and the error. */
static int print_json_row(FILE *f, struct km_report *r, const struct km_sort *s,
			  const struct km_group *g, uint64_t total)
{
	struct km_group_vals v = { 0 };
	const uint64_t *frames;
	struct km_jw w;
	uint32_t nr;
	int i, err;

	km_sort_decode(s, g->key, &v);
	km_jw_init(&w, f, KM_JW_LINES);
	km_jw_open_object(&w);
	km_jw_key(&w, "hits");
	km_jw_u64(&w, g->count);
	km_jw_key(&w, "percent");
	km_jw_fixed(&w, total ? 100.0 * g->count / total : 0, 4);
	for (i = 0; i < s->n; i++)
		if (s->key[i] != KM_KEY_STACK)
			km_sort_json(&w, s->key[i], &v);
	if (g->tree) {
		km_jw_key(&w, "calls");
		km_call_tree_json(&w, g->tree, total, r->percent_limit);
	} else if (km_sort_has(s, KM_KEY_STACK)) {
		km_jw_key(&w, "stack");
		if (v.stack_id == KM_NO_STACK) {
			km_print_frames_jw(&w, &r->pc, &v.ip, 1);
		} else {
			frames = km_report_stack(r, v.stack_id, &nr);
			km_print_frames_jw(&w, &r->pc, frames, nr);
		}
	}
	km_jw_close_object(&w);
	err = km_jw_end(&w);
	/* An I/O error is stdout's, reported when report flushes it. */
	if (err == -EIO)
		return 0;
	if (err && err != -ENOMEM)
		km_err("bad JSON row: %s", strerror(-err));
	return err;
}

static bool under_limit(const struct km_report *r, uint64_t n, uint64_t total)
{
	return total && 100.0 * n / total < r->percent_limit;
}

static int print_groups(FILE *f, struct km_report *r, const struct km_sort *s,
			const struct km_group *g, size_t nr, uint64_t total)
{
	int width[KM_NR_KEYS], err = 0, i;
	size_t j;

	if (r->format == KM_FMT_TEXT) {
		fprintf(f, "# %" PRIu64 " hits, by", total);
		for (i = 0; i < r->sort.n; i++)
			fprintf(f, "%s%s", i ? "," : " ",
				km_sort_key_name(r->sort.key[i]));
		fputs(r->cg == KM_CG_CALLER ? " (calls: caller first)\n" :
		      r->cg == KM_CG_CALLEE ? " (calls: callee first)\n" :
					      "\n",
		      f);
		km_print_watch_lines(f, r);
		measure(s, g, nr, width);
		print_columns(f, s, width);
	}
	/* Groups come most hits first: the first under the limit ends it. */
	for (j = 0; !err && j < nr && !under_limit(r, g[j].count, total); j++)
		err = r->format == KM_FMT_JSON ?
			      print_json_row(f, r, s, &g[j], total) :
			      print_text_row(f, r, s, &g[j], total, width);
	return err;
}

int km_view_sort(FILE *f, struct km_report *r)
{
	struct tally ty = { .r = r };
	struct km_sort groups_by = r->sort;
	struct km_group *g = NULL;
	size_t nr = 0;
	int err;

	if (r->cg != KM_CG_NONE)
		km_sort_stack_last(&r->sort);
	err = km_report_for_each_hit(r, tally_hit, &ty);
	if (!err && r->cg != KM_CG_NONE) {
		groups_by = r->sort;
		groups_by.n--; /* the stack key, last, becomes the tree */
		g = km_tree_groups(r, &ty.tab, &groups_by, &nr);
		err = g ? 0 : -ENOMEM;
	} else if (!err) {
		g = km_plain_groups(&ty.tab, &nr);
		err = g ? 0 : -ENOMEM;
	}
	if (!err)
		err = print_groups(f, r, &groups_by, g, nr, ty.total);
	if (err == -ENOMEM)
		km_err("out of memory");
	km_groups_free(g, nr);
	km_buf_free(&ty.key);
	km_htab_free(&ty.tab);
	return err;
}
