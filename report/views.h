/* SPDX-License-Identifier: GPL-2.0 */
/* What report can show of a trace. */
#ifndef KM_VIEWS_H
#define KM_VIEWS_H

#include <stdio.h>
#include "../common/hit.h"
#include "trace_reader.h"

/* Per watchpoint, distinct stacks by hit count (perf report --stdio). */
int km_view_stacks(FILE *f, struct km_trace *t, const struct km_print_ctx *pc);
/* Every hit in file order, as live mode prints it, or as JSON Lines. */
int km_view_hits(FILE *f, struct km_trace *t, const struct km_print_ctx *pc,
		 bool json);
/* The trace's metadata as "key: value" lines. */
int km_view_header(FILE *f, struct km_trace *t);

#endif
