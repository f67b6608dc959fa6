// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include "numlist.h"

/* A decimal number at s, digits only; where it ends through *end. */
static int parse_u64(const char *s, const char **end, uint64_t *v)
{
	char *e;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	*v = strtoull(s, &e, 10);
	*end = e;
	return errno ? -EINVAL : 0;
}

int km_numlist_parse(const char *s, km_numlist_fn fn, void *ctx)
{
	const char *p = s;
	uint64_t lo, hi;
	int err;

	for (;;) {
		if (parse_u64(p, &p, &lo))
			return -EINVAL;
		hi = lo;
		if (*p == '-' && parse_u64(p + 1, &p, &hi))
			return -EINVAL;
		if (hi < lo || (*p && *p != ','))
			return -EINVAL;
		err = fn(ctx, lo, hi);
		if (err || !*p)
			return err;
		p++;
	}
}
