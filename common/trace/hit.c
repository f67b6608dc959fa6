// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <string.h>
#include <linux/perf_event.h>
#include "hit.h"
#include "trace_format.h"

/*
 * perf's callchain starts with a PERF_CONTEXT_KERNEL marker; such
 * markers are not addresses and are left out.
 */
static void drop_context_markers(struct km_hit *h)
{
	uint32_t i;

	while (h->nr_frames && h->frames[0] >= (uint64_t)PERF_CONTEXT_MAX) {
		h->frames++;
		h->nr_frames--;
	}
	for (i = 0; i < h->nr_frames; i++)
		if (h->frames[i] >= (uint64_t)PERF_CONTEXT_MAX)
			h->nr_frames = i;
}

int km_hit_from_event(struct km_hit *h, const void *data, size_t size)
{
	const struct kmemsnoop_event *e = data;
	size_t nregs;

	/* The head first: flags and nr_frames are in it. */
	if (size < KM_EVENT_HEAD_SIZE)
		return -EBADMSG;
	nregs = e->flags & KM_EVENT_REGS ? KM_NR_REGS : 0;
	if (e->nr_frames > KM_MAX_FRAMES ||
	    size < KM_EVENT_HEAD_SIZE + (nregs + e->nr_frames) * 8)
		return -EBADMSG;
	h->time_ns = e->time_ns;
	h->ip = e->ip;
	h->addr = e->addr;
	h->value = e->value;
	h->old_value = e->old_value;
	h->has_value = e->flags & KM_EVENT_VALUE;
	h->has_old = e->flags & KM_EVENT_OLD;
	h->pid = e->pid;
	h->tid = e->tid;
	h->cpu = e->cpu;
	h->watch = e->watch;
	h->stack_id = KM_NO_STACK;
	memcpy(h->comm, e->comm, KM_COMM_LEN);
	h->comm[KM_COMM_LEN] = '\0';
	h->regs = nregs ? (const uint64_t *)e->payload : NULL;
	h->regset = nregs ? km_regset_native() : NULL;
	h->frames = (const uint64_t *)e->payload + nregs;
	h->nr_frames = e->nr_frames;
	drop_context_markers(h);
	return 0;
}
