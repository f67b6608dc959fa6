/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A hit as user space handles it, whether it came from the ring buffer
 * (live, record) or from a trace file (report), and how it is printed.
 */
#ifndef KM_HIT_H
#define KM_HIT_H

#include <stdbool.h>
#include <stdio.h>
#include <linux/types.h>
#include "../../bpf/kmemsnoop.h"
#include "../symbolize/symbolizer.h"
#include "target.h"

struct km_jw;

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
	const uint64_t *regs; /* KM_NR_REGS registers, or NULL */
};

/* Register names in kmemsnoop_event order (x86-64 struct pt_regs). */
extern const char *const km_reg_names[KM_NR_REGS];

/* Fills h from a ring-buffer event of size bytes; -EBADMSG if short. */
int km_hit_from_event(struct km_hit *h, const void *data, size_t size);

/* What printing needs besides the hit. */
struct km_print_ctx {
	struct km_symbolizer *sym; /* NULL prints bare addresses */
	uint64_t start_ns; /* hit times print relative to this */
	/*
	 * Nonzero: hit times print as UTC wall time instead, this being
	 * CLOCK_REALTIME at start_ns (the trace's realtime/monotonic pair).
	 */
	uint64_t wall_ns;
	const struct km_watch *watches;
	int nr_watches;
	bool color; /* colour the header line and symbol names */
	/* If set, stacks with an id are rendered once (common/print/stack_text.h). */
	struct km_stack_text *stack_text;
};

/*
 * A hit's time as pc says: seconds since start_ns ("1.000000300", "-"
 * before it), or UTC wall time ("2026-11-26T05:56:01.145639448Z").
 */
void km_format_time(const struct km_print_ctx *pc, uint64_t time_ns, char *buf,
		    size_t size);
/*
 * The entries for frames[i] (innermost inlined call first, the
 * function last), into out[KM_MAX_INLINE]; returns their count. A
 * caller's frame is looked up inside the call (one byte before the
 * return address), and every entry keeps the frame's address.
 */
int km_resolve_frame(const struct km_print_ctx *pc, const uint64_t *frames,
		     uint32_t i, struct km_frame *out);

/* The header line and one line per frame, as live mode shows them. */
void km_print_hit(FILE *f, const struct km_print_ctx *pc, uint64_t nr,
		  const struct km_hit *h);
/*
 * "0xADDR: symbol @ 0xSTART+0xOFF" for each frame, with " (file:line)"
 * where known; each inlined call at an address comes first, as
 * "0xADDR: function [inlined] (file:line)".
 */
void km_print_frames(FILE *f, const struct km_print_ctx *pc,
		     const uint64_t *frames, uint32_t nr, const char *indent);
/* The frames as a JSON array of the objects km_print_hit_json uses. */
void km_print_frames_json(FILE *f, const struct km_print_ctx *pc,
			  const uint64_t *frames, uint32_t nr);
/* The same array as the next value of w (common/json.h). */
void km_print_frames_jw(struct km_jw *w, const struct km_print_ctx *pc,
			const uint64_t *frames, uint32_t nr);
/* One JSON Lines object; keys are documented in docs/report.md. */
void km_print_hit_json(FILE *f, const struct km_print_ctx *pc,
		       const struct km_hit *h);

#endif
