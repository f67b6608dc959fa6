// SPDX-License-Identifier: GPL-2.0
#include "views.h"

int km_view_hits(FILE *f, struct km_trace *t, const struct km_print_ctx *pc,
		 bool json)
{
	const struct km_hit *hits;
	uint64_t nr = 0;
	long n, i;

	while ((n = km_trace_next_hits(t, &hits)) > 0) {
		for (i = 0; i < n; i++) {
			if (json)
				km_print_hit_json(f, pc, &hits[i]);
			else
				km_print_hit(f, pc, ++nr, &hits[i]);
		}
	}
	return n;
}
