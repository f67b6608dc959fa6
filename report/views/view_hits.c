// SPDX-License-Identifier: GPL-2.0
#include "views.h"

struct listing {
	FILE *f;
	const struct km_report *r;
	uint64_t nr;
	bool lifetime;
};

static int print_one(void *arg, const struct km_hit *h)
{
	struct listing *l = arg;
	struct km_hit_owner owner;

	if (l->r->format == KM_FMT_JSON) {
		if (l->lifetime)
			km_hit_owner_of(l->r->d, h, &owner);
		km_print_hit_json(l->f, &l->r->pc, h,
				  l->lifetime ? &owner : NULL);
		return 0;
	}
	/* --on: whose hit it is, on a line of its own before it. */
	if (l->lifetime)
		km_print_hit_object(l->f, l->r->d, h);
	km_print_hit(l->f, &l->r->pc, ++l->nr, h);
	return 0;
}

int km_view_hits(FILE *f, struct km_report *r)
{
	struct listing l = { .f = f,
			     .r = r,
			     .lifetime = km_trace_is_lifetime(r->d) };

	return km_report_for_each_hit(r, print_one, &l);
}
