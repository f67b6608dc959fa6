/* SPDX-License-Identifier: GPL-2.0 */
/* One hit as live mode shows it, or as a JSON Lines object. */
#ifndef KM_HIT_PRINT_H
#define KM_HIT_PRINT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "../trace/hit.h"
#include "frames.h"

/*
 * A hit's time as pc says: seconds since start_ns ("1.000000300", "-"
 * before it), or UTC wall time ("2026-11-26T05:56:01.145639448Z").
 */
void km_format_time(const struct km_print_ctx *pc, uint64_t time_ns, char *buf,
		    size_t size);
/* The header line and one line per frame, as live mode shows them. */
void km_print_hit(FILE *f, const struct km_print_ctx *pc, uint64_t nr,
		  const struct km_hit *h);
/*
 * The object a hit of a record --on trace belongs to, from its LIFE
 * records: none armed on the watch at that time, or the arming's
 * number, its object, and whether the hit came after the free.
 */
struct km_hit_owner {
	bool armed;
	bool after_free;
	uint32_t seq;
	uint64_t object;
};

/*
 * One JSON Lines object; keys are documented in docs/report.md. owner
 * (NULL for traces without --on) adds the "object" key.
 */
void km_print_hit_json(FILE *f, const struct km_print_ctx *pc,
		       const struct km_hit *h,
		       const struct km_hit_owner *owner);

#endif
