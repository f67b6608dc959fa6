/* SPDX-License-Identifier: GPL-2.0 */
/* What report can show of a trace, and what every view shares. */
#ifndef KM_VIEWS_H
#define KM_VIEWS_H

#include <stdio.h>
#include "../../common/print/hit_print.h"
#include "hit_filter.h"
#include "../../common/htab.h"
#include "sort_keys.h"
#include "stack_cut.h"
#include "../../common/trace/trace_reader.h"

enum km_format {
	KM_FMT_TEXT,
	KM_FMT_JSON, /* JSON Lines, docs/report.md */
	KM_FMT_FOLDED, /* comm;outermost;...;innermost COUNT */
	KM_FMT_PERF_SCRIPT, /* what `perf script` prints */
	KM_FMT_SVG, /* a flame graph */
};

enum km_call_graph {
	KM_CG_NONE,
	KM_CG_CALLER, /* outermost frame at the root */
	KM_CG_CALLEE, /* innermost frame at the root, as perf's default */
};

/* One report run: the trace, how to print, and which hits. */
struct km_report {
	struct km_trace *t; /* the reader, for the hits */
	const struct km_trace_data *d; /* what it read: t->d */
	struct km_print_ctx pc;
	const struct km_hit_filter *filter;
	enum km_format format;
	struct km_sort sort;
	enum km_call_graph cg;
	double percent_limit; /* rows under this share of the hits: left out */
	struct km_stack_cut cut; /* --max-stack, and what it has cut */
	/* Caches, filled as views ask (stack_names.c, sort_keys.c). */
	struct km_htab names_index; /* stack key bytes -> names[] index */
	struct km_names *names;
	size_t nr_names, names_cap;
	struct km_htab sym_cache; /* ip -> function name */
};

/*
 * Every view reads the hits through this: km_for_each_hit over
 * r->filter, each hit's stack cut by --max-stack (stack_cut.h).
 */
int km_report_for_each_hit(struct km_report *r,
			   int (*fn)(void *arg, const struct km_hit *h),
			   void *arg);
/*
 * The frames of stack id (not KM_NO_STACK) as views show it, cut by
 * --max-stack, innermost first; *nr says how many.
 */
const uint64_t *km_report_stack(const struct km_report *r, uint32_t id,
				uint32_t *nr);

/* A stack's names, innermost first, inlined calls included. */
struct km_names {
	const char **name;
	size_t n;
};

/*
 * The names of a hit's stack, or of its ip alone when it has none
 * (stack_id KM_NO_STACK), cached: "[unknown]" where no symbol is
 * known. NULL without memory.
 */
const struct km_names *km_stack_names(struct km_report *r, uint32_t stack_id,
				      uint64_t ip);
/* The function holding ip, or "[unknown]"; NULL without memory. */
const char *km_ip_function(struct km_report *r, uint64_t ip);
void km_report_free_caches(struct km_report *r);

/* Per watchpoint, distinct stacks by hit count (perf report --stdio). */
int km_view_stacks(FILE *f, struct km_report *r);
/* Every hit in file order, as live mode prints it, or as JSON Lines. */
int km_view_hits(FILE *f, struct km_report *r);
/* Hits grouped by the sort keys, with call trees when r->cg is set. */
int km_view_sort(FILE *f, struct km_report *r);
/* One line per distinct comm and stack, or (svg) their flame graph. */
int km_view_folded(FILE *f, struct km_report *r);
/* Every hit as `perf script` prints a sample with its callchain. */
int km_view_perf_script(FILE *f, struct km_report *r);
/* Hits per second, per watchpoint, as bars. */
int km_view_timeline(FILE *f, struct km_report *r);
/* The trace's metadata as "key: value" lines. */
int km_view_header(FILE *f, struct km_trace *t, bool json);

/*
 * Objects watched from birth to death (view_objects.c). A trace
 * recorded with --on has them. Each hit goes to its object as it is
 * read: the object's ARM comes before it in the file. Whether it came
 * after the object's free is known once the object's DISARM is read,
 * which may come after it; until then the object keeps the latest
 * KM_OBJ_KEEP times of such hits, enough for the few a recording has
 * between a free and its breakpoint's off. So the tally grows with the
 * LIFE records (bounded, docs/trace-format.md §4.6), not with the hits.
 */
#define KM_OBJ_KEEP 4
struct km_obj_count {
	uint64_t hits, after;
	uint64_t waiting; /* read before the object's DISARM */
	uint64_t kept[KM_OBJ_KEEP]; /* the latest of their times */
	uint64_t dropped_max; /* the latest of the times not kept */
	bool dropped;
};
struct km_obj_tally {
	struct km_obj_count *obj; /* [LIFE record] */
	size_t cap;
	uint64_t none; /* hits of no armed object */
};
bool km_trace_is_lifetime(const struct km_trace_data *d);
int km_obj_tally_add(struct km_obj_tally *ot, const struct km_trace_data *d,
		     const struct km_hit *h);
void km_obj_tally_free(struct km_obj_tally *ot);
/* One line per object: armed, freed, latencies, hits, hits after its free. */
int km_view_objects(FILE *f, struct km_report *r, struct km_obj_tally *ot);
/*
 * "object N (0xADDR)" for the hit, from the LIFE records read so far
 * (its object's ARM always comes before it in the file).
 */
void km_print_hit_object(FILE *f, const struct km_trace_data *d,
			 const struct km_hit *h);
/* The same as a struct, for JSON. */
void km_hit_owner_of(const struct km_trace_data *d, const struct km_hit *h,
		     struct km_hit_owner *owner);

/*
 * "# watch N: BP EXPR (0xADDR)" for watch w, without the newline; EXPR
 * is the trace's, escaped (common/escape.h).
 */
void km_print_watch_head(FILE *f, const struct km_trace_data *t, int w);
/* That line for each watch --watch keeps: what the hits are of. */
void km_print_watch_lines(FILE *f, const struct km_report *r);

#endif
