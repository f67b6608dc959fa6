/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --max-stack N: each hit's stack cut to its N innermost frames (the
 * hit's own first) before any view sees it, as perf report's option
 * does. N counts return addresses, as perf counts a callchain's
 * entries: a frame's inlined calls come with it. With N 0 every hit is
 * one without a stack.
 *
 * Stacks equal in their first N frames are one stack to every view:
 * the cut stack's id is the id of the first of them the trace holds,
 * so whatever groups hits by stack id merges them, and whatever looks
 * a stack id up in the trace finds the right frames once it keeps the
 * first N (km_stack_cut_frames). Each distinct stack of the trace is
 * hashed once (keyed, common/htab.h); each hit then costs a lookup by
 * its stack id.
 */
#ifndef KM_STACK_CUT_H
#define KM_STACK_CUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "../../common/htab.h"
#include "../../common/trace/hit.h"
#include "../../common/trace/trace_data.h"

struct km_stack_cut {
	bool on; /* --max-stack given */
	uint32_t max; /* frames kept */
	struct km_htab by_frames; /* the kept frames -> the cut stack's id */
	uint64_t *id_of; /* by the trace's stack id: cut id + 1, 0 unknown */
	size_t cap;
};

/*
 * h as views see it, into *out: its stack id, frame count and frames
 * cut. out's frames point into h's. Returns 0 or -ENOMEM.
 */
int km_stack_cut_hit(struct km_stack_cut *c, const struct km_hit *h,
		     struct km_hit *out);
/*
 * The frames of stack id (not KM_NO_STACK) in d as views see them, cut;
 * *nr says how many.
 */
const uint64_t *km_stack_cut_frames(const struct km_stack_cut *c,
				    const struct km_trace_data *d, uint32_t id,
				    uint32_t *nr);
void km_stack_cut_free(struct km_stack_cut *c);

#endif
