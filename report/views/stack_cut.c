// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "../../common/bytes.h"
#include "../../common/trace/trace_format.h"
#include "stack_cut.h"
#include "views.h"

static uint32_t kept(const struct km_stack_cut *c, uint32_t nr)
{
	return c->on && nr > c->max ? c->max : nr;
}

/*
 * The cut id of h's stack: the id of the first stack whose kept frames
 * are h's, found once per stack of the trace.
 */
static int64_t cut_id(struct km_stack_cut *c, const struct km_hit *h)
{
	/* A trace may hold a stack of no frames, whose pointer may be NULL. */
	const void *key = h->nr_frames ? (const void *)h->frames : "";
	size_t old = c->cap;
	uint64_t *v;
	bool created;

	if (km_grow_array((void **)&c->id_of, &c->cap, (size_t)h->stack_id + 1,
			  sizeof(*c->id_of)))
		return -ENOMEM;
	memset(c->id_of + old, 0, (c->cap - old) * sizeof(*c->id_of));
	if (c->id_of[h->stack_id])
		return c->id_of[h->stack_id] - 1;
	v = km_htab_get(&c->by_frames, key,
			kept(c, h->nr_frames) * sizeof(*h->frames), &created);
	if (!v)
		return -ENOMEM;
	if (created)
		*v = h->stack_id;
	c->id_of[h->stack_id] = *v + 1;
	return *v;
}

int km_stack_cut_hit(struct km_stack_cut *c, const struct km_hit *h,
		     struct km_hit *out)
{
	int64_t id;

	*out = *h;
	if (!c->on || h->stack_id == KM_NO_STACK)
		return 0;
	if (!c->max) {
		out->stack_id = KM_NO_STACK;
		out->nr_frames = 0;
		out->frames = NULL;
		return 0;
	}
	id = cut_id(c, h);
	if (id < 0)
		return id;
	/* The cut stack's frames are h's first ones: h's pointer serves. */
	out->stack_id = id;
	out->nr_frames = kept(c, h->nr_frames);
	return 0;
}

const uint64_t *km_stack_cut_frames(const struct km_stack_cut *c,
				    const struct km_trace_data *d, uint32_t id,
				    uint32_t *nr)
{
	const struct km_stack *s = &d->stacks[id];

	*nr = kept(c, s->nr);
	return d->frames + s->pos;
}

void km_stack_cut_free(struct km_stack_cut *c)
{
	km_htab_free(&c->by_frames);
	free(c->id_of);
	c->id_of = NULL;
	c->cap = 0;
}

/* km_for_each_hit's callback and argument, behind the cut. */
struct cut_walk {
	struct km_report *r;
	int (*fn)(void *arg, const struct km_hit *h);
	void *arg;
};

static int cut_one(void *arg, const struct km_hit *h)
{
	struct cut_walk *w = arg;
	struct km_hit c;
	int err = km_stack_cut_hit(&w->r->cut, h, &c);

	return err ?: w->fn(w->arg, &c);
}

int km_report_for_each_hit(struct km_report *r,
			   int (*fn)(void *arg, const struct km_hit *h),
			   void *arg)
{
	struct cut_walk w = { r, fn, arg };

	if (!r->cut.on)
		return km_for_each_hit(r->t, r->filter, fn, arg);
	return km_for_each_hit(r->t, r->filter, cut_one, &w);
}

const uint64_t *km_report_stack(const struct km_report *r, uint32_t id,
				uint32_t *nr)
{
	return km_stack_cut_frames(&r->cut, r->d, id, nr);
}
