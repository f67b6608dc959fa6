// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "../../common/bytes.h"
#include "../../common/color.h"
#include "../../common/error.h"
#include "../../common/escape.h"
#include "../../common/trace/trace_format.h"
#include "views.h"

/* Hit counts per (watch, stack); slot 0 of each watch is "no stack". */
struct tally {
	uint64_t *count; /* [(stack_id + 1) * KM_MAX_WATCHES + watch] */
	size_t cap;
	uint64_t total[KM_MAX_WATCHES];
	bool lifetime; /* record --on: hits per object, for their table */
	const struct km_trace_data *d;
	struct km_obj_tally objs;
};

struct row {
	uint64_t count;
	int64_t stack_id; /* -1: no stack */
};

static int add(void *arg, const struct km_hit *h)
{
	struct tally *ty = arg;
	size_t sid = h->stack_id == KM_NO_STACK ? 0 : (size_t)h->stack_id + 1;
	size_t i = sid * KM_MAX_WATCHES + h->watch, old = ty->cap;

	if (km_grow_array((void **)&ty->count, &ty->cap, i + 1,
			  sizeof(*ty->count)))
		return -ENOMEM;
	if (ty->cap > old)
		memset(ty->count + old, 0,
		       (ty->cap - old) * sizeof(*ty->count));
	ty->count[i]++;
	ty->total[h->watch]++;
	return ty->lifetime ? km_obj_tally_add(&ty->objs, ty->d, h) : 0;
}

static int by_count(const void *a, const void *b)
{
	const struct row *x = a, *y = b;

	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return x->stack_id < y->stack_id ? -1 : x->stack_id > y->stack_id;
}

static void print_watch(FILE *f, const struct km_report *r,
			const struct tally *ty, int w, struct row *rows)
{
	const struct km_trace_data *t = r->d;
	const struct km_print_ctx *pc = &r->pc;
	size_t n = 0, slot;

	km_print_watch_head(f, t, w);
	fprintf(f, ": %" PRIu64 " hits\n", ty->total[w]);
	for (slot = 0; slot * KM_MAX_WATCHES + w < ty->cap; slot++) {
		uint64_t c = ty->count[slot * KM_MAX_WATCHES + w];

		if (c)
			rows[n++] = (struct row){ c, (int64_t)slot - 1 };
	}
	qsort(rows, n, sizeof(*rows), by_count);
	for (slot = 0; slot < n; slot++) {
		const uint64_t *frames;
		uint32_t nr;

		/* Most hits first: the first under the limit ends the list. */
		if (100.0 * rows[slot].count / ty->total[w] < r->percent_limit)
			break;
		fputc('\n', f);
		km_print_percent(f, 8, 100.0 * rows[slot].count / ty->total[w],
				 pc->color);
		fprintf(f, "  %" PRIu64 " hits\n", rows[slot].count);
		if (rows[slot].stack_id < 0) {
			fputs("          (no stack)\n", f);
		} else {
			frames = km_report_stack(r, rows[slot].stack_id, &nr);
			km_print_frames(f, pc, frames, nr, "          ");
		}
	}
	fputc('\n', f);
}

void km_print_watch_head(FILE *f, const struct km_trace_data *t, int w)
{
	const struct km_watch *wa = &t->watches[w];

	fprintf(f, "# watch %d: %s%u ", w, km_bp_name(wa->type), wa->len);
	km_puts_text(f, wa->expr);
	/*
	 * record --on: the address the slot waited at before its first
	 * object, not one it watched; the objects table has those.
	 */
	if (km_trace_is_lifetime(t))
		fputs(" (moved to each object)", f);
	else
		fprintf(f, " (0x%" PRIx64 ")", wa->addr);
}

void km_print_watch_lines(FILE *f, const struct km_report *r)
{
	int w;

	for (w = 0; w < r->d->nr_watches; w++) {
		if (!km_ranges_match(&r->filter->watch, w))
			continue;
		km_print_watch_head(f, r->d, w);
		fputc('\n', f);
	}
}

int km_view_stacks(FILE *f, struct km_report *r)
{
	struct tally ty = { .lifetime = km_trace_is_lifetime(r->d), .d = r->d };
	struct row *rows = NULL;
	int w, err;

	err = km_report_for_each_hit(r, add, &ty);
	if (err == -ENOMEM)
		goto nomem;
	if (err)
		goto out;
	rows = calloc(ty.cap / KM_MAX_WATCHES + 1, sizeof(*rows));
	if (!rows)
		goto nomem;
	for (w = 0; w < r->d->nr_watches; w++)
		if (km_ranges_match(&r->filter->watch, w))
			print_watch(f, r, &ty, w, rows);
	if (ty.lifetime && km_view_objects(f, r, &ty.objs))
		goto nomem;
	goto out;
nomem:
	km_err("out of memory");
	err = -ENOMEM;
out:
	free(rows);
	free(ty.count);
	km_obj_tally_free(&ty.objs);
	return err;
}
