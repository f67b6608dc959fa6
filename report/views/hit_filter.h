/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Report-time filters (--pid, --tid, --comm, --cpu, --watch, --time):
 * which hits of a trace every view and format looks at.
 */
#ifndef KM_HIT_FILTER_H
#define KM_HIT_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "../../common/trace/hit.h"
#include "../../common/trace/trace_reader.h"

struct km_range {
	uint64_t lo, hi; /* inclusive */
};

/* A list such as "1,5-7"; empty: anything matches. */
struct km_ranges {
	struct km_range *r;
	size_t n, cap;
};

struct km_hit_filter {
	struct km_ranges pid, tid, cpu, watch;
	char **comms; /* --comm names, any of which matches */
	size_t nr_comms, comms_cap;
	bool has_from, has_to;
	int64_t from_ns, to_ns; /* since the trace's start, inclusive */
};

/*
 * Adds "N" and "N-M" items of the comma-separated s to r; what names
 * the option in messages. Explains a bad list (km_usage) and returns
 * -EINVAL, or -ENOMEM.
 */
int km_ranges_parse(struct km_ranges *r, const char *s, const char *what);
bool km_ranges_match(const struct km_ranges *r, uint64_t v);
/* --comm NAME[,NAME...] */
int km_hit_filter_comms(struct km_hit_filter *f, const char *s);
/* --time FROM,TO: seconds since the start; either side may be empty. */
int km_hit_filter_time(struct km_hit_filter *f, const char *s);
/* Whether any filter is set. */
bool km_hit_filter_active(const struct km_hit_filter *f);
/*
 * Checks the filter against the trace (a --watch beyond its watches is
 * a mistake worth saying). Returns 0 or -EINVAL after km_usage.
 */
int km_hit_filter_check(const struct km_hit_filter *f,
			const struct km_trace_data *t);
bool km_hit_filter_match(const struct km_hit_filter *f, const struct km_hit *h,
			 uint64_t start_ns);
void km_hit_filter_free(struct km_hit_filter *f);

/*
 * Reads the rest of t and hands each hit f keeps (f may be NULL) to
 * fn, in file order. Stops at fn's first negative return and returns
 * it; else 0, or the reader's negative errno.
 */
int km_for_each_hit(struct km_trace *t, const struct km_hit_filter *f,
		    int (*fn)(void *arg, const struct km_hit *h), void *arg);

#endif
