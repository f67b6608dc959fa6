// SPDX-License-Identifier: GPL-2.0
/*
 * The reader's side of LIFE chunks: checked, then kept in file order
 * and indexed for finding a hit's object.
 */
#include <errno.h>
#include "../error.h"
#include "life.h"
#include "trace_decode.h"

int km_decode_life(struct km_trace *t, uint64_t at, const uint8_t *p,
		   size_t len)
{
	struct km_trace_data *d = &t->d;
	struct km_life_summary s;
	struct km_life_rec r;
	const char *why = "";
	int n;

	n = km_life_decode(p, len, &r, &s, &why);
	if (n < 0)
		return km_corrupt(t, at, "%s", why);
	if (n == 0)
		return 0; /* a kind from a newer writer */
	if (n == 2) {
		d->life_summary = s;
		return 0;
	}
	/* As for hits: a slot's watch is described before it is used. */
	if (r.slot >= (uint32_t)d->nr_watches)
		return km_corrupt(t, at,
				  "a LIFE record for watch %u, not described",
				  r.slot);
	if (d->nr_life == KM_MAX_LIFE_RECORDS)
		return km_corrupt(t, at, "more than %u LIFE records",
				  KM_MAX_LIFE_RECORDS);
	if (km_trace_grow((void **)&d->life, &d->life_cap, d->nr_life + 1,
			  sizeof(*d->life)))
		return -ENOMEM;
	d->life[d->nr_life++] = r;
	if (km_life_index_add(&d->life_ix, d->life, d->nr_life)) {
		km_err("out of memory");
		return -ENOMEM;
	}
	return 0;
}
