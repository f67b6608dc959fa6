/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A hit as user space handles it, whether it came from the ring buffer
 * (live, record) or from a trace file (report). How it is printed is
 * common/print/'s.
 */
#ifndef KM_HIT_H
#define KM_HIT_H

#include <stdbool.h>
#include <stdio.h>
#include <linux/types.h>
#include "../../bpf/kmemsnoop.h"
#include "machine.h"
#include "target.h"

struct km_hit {
	uint64_t time_ns; /* CLOCK_MONOTONIC */
	uint64_t ip;
	uint64_t addr;
	uint64_t value; /* after the access; valid when has_value */
	uint64_t old_value; /* before it; valid when has_old */
	uint32_t pid;
	uint32_t tid;
	uint32_t cpu;
	uint32_t stack_id; /* in a trace; KM_NO_STACK if none */
	uint16_t watch;
	bool has_value;
	bool has_old;
	char comm[KM_COMM_LEN + 1];
	uint32_t nr_frames;
	const uint64_t *frames; /* innermost first */
	/*
	 * The registers, or NULL; regset names them and says how many
	 * (machine.h): the native set for a hit from the ring buffer, the
	 * trace's machine's for one read from a trace. NULL regset with
	 * regs is the native set.
	 */
	const uint64_t *regs;
	const struct km_regset *regset;
};

/* The register set of h's registers (h->regs non-NULL). */
static inline const struct km_regset *km_hit_regset(const struct km_hit *h)
{
	return h->regset ? h->regset : km_regset_native();
}

/* Fills h from a ring-buffer event of size bytes; -EBADMSG if short. */
int km_hit_from_event(struct km_hit *h, const void *data, size_t size);

#endif
