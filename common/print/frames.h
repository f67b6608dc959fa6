/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A stack's frames as text or JSON, with the context every printer
 * shares: where names come from, colour, how times are shown.
 */
#ifndef KM_FRAMES_H
#define KM_FRAMES_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "../symbolize/symbolizer.h"
#include "../trace/target.h"

struct km_jw;
struct km_stack_text;

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
 * The entries for frames[i] (innermost inlined call first, the
 * function last), into out[KM_MAX_INLINE]; returns their count. A
 * caller's frame is looked up inside the call (one byte before the
 * return address), and every entry keeps the frame's address.
 */
int km_resolve_frame(const struct km_print_ctx *pc, const uint64_t *frames,
		     uint32_t i, struct km_frame *out);

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
#endif
