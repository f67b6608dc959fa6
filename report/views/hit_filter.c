// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "../../common/bytes.h"
#include "../../common/error.h"
#include "../../common/numlist.h"
#include "hit_filter.h"

static int add_range(void *ctx, uint64_t lo, uint64_t hi)
{
	struct km_ranges *r = ctx;

	if (km_grow_array((void **)&r->r, &r->cap, r->n + 1, sizeof(*r->r))) {
		km_err("out of memory");
		return -ENOMEM;
	}
	r->r[r->n++] = (struct km_range){ lo, hi };
	return 0;
}

int km_ranges_parse(struct km_ranges *r, const char *s, const char *what)
{
	int err = km_numlist_parse(s, add_range, r);

	if (err != -EINVAL)
		return err;
	km_usage("bad %s list '%s': give numbers and ranges, e.g. 1,4-6", what,
		 s);
	return -EINVAL;
}

bool km_ranges_match(const struct km_ranges *r, uint64_t v)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (v >= r->r[i].lo && v <= r->r[i].hi)
			return true;
	return !r->n;
}

int km_hit_filter_comms(struct km_hit_filter *f, const char *s)
{
	const char *p = s, *comma;
	size_t len;

	for (;;) {
		comma = strchr(p, ',');
		len = comma ? (size_t)(comma - p) : strlen(p);
		if (!len || len > KM_COMM_LEN) {
			km_usage(
				"bad --comm '%s': give command names of 1 to %d characters, separated by commas",
				s, KM_COMM_LEN);
			return -EINVAL;
		}
		if (km_grow_array((void **)&f->comms, &f->comms_cap,
				  f->nr_comms + 1, sizeof(*f->comms)) ||
		    !(f->comms[f->nr_comms] = strndup(p, len))) {
			km_err("out of memory");
			return -ENOMEM;
		}
		f->nr_comms++;
		if (!comma)
			return 0;
		p = comma + 1;
	}
}

/* One side of FROM,TO: empty, or seconds (fractions allowed). */
static int parse_side(const char *s, size_t len, bool *has, int64_t *ns)
{
	char buf[64], *end;
	double d;

	*has = len > 0;
	if (!len)
		return 0;
	if (len >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, len);
	buf[len] = '\0';
	errno = 0;
	d = strtod(buf, &end);
	if (errno || *end || end == buf || !(d >= 0) || d > 1e9)
		return -EINVAL;
	*ns = llround(d * 1e9);
	return 0;
}

int km_hit_filter_time(struct km_hit_filter *f, const char *s)
{
	const char *comma = strchr(s, ',');

	if (!comma || parse_side(s, comma - s, &f->has_from, &f->from_ns) ||
	    parse_side(comma + 1, strlen(comma + 1), &f->has_to, &f->to_ns)) {
		km_usage(
			"bad --time '%s': give FROM,TO in seconds since the start, either side may be empty (e.g. 1.5,3 or 10,)",
			s);
		return -EINVAL;
	}
	if (f->has_from && f->has_to && f->to_ns < f->from_ns) {
		km_usage("bad --time '%s': FROM (%.*s) is after TO (%s), so no hit could match",
			 s, (int)(comma - s), s, comma + 1);
		return -EINVAL;
	}
	return 0;
}

bool km_hit_filter_active(const struct km_hit_filter *f)
{
	return f->pid.n || f->tid.n || f->cpu.n || f->watch.n || f->nr_comms ||
	       f->has_from || f->has_to;
}

int km_hit_filter_check(const struct km_hit_filter *f,
			const struct km_trace_data *t)
{
	size_t i;

	for (i = 0; i < f->watch.n; i++) {
		if (f->watch.r[i].hi < (uint64_t)t->nr_watches)
			continue;
		km_usage("no watch %llu in %s: it has %d, numbered from 0",
			 (unsigned long long)f->watch.r[i].hi, t->path,
			 t->nr_watches);
		return -EINVAL;
	}
	return 0;
}

static bool comm_match(const struct km_hit_filter *f, const char *comm)
{
	size_t i;

	for (i = 0; i < f->nr_comms; i++)
		if (!strncmp(f->comms[i], comm, KM_COMM_LEN))
			return true;
	return !f->nr_comms;
}

bool km_hit_filter_match(const struct km_hit_filter *f, const struct km_hit *h,
			 uint64_t start_ns)
{
	int64_t t = (int64_t)(h->time_ns - start_ns);

	if ((f->has_from && t < f->from_ns) || (f->has_to && t > f->to_ns))
		return false;
	return km_ranges_match(&f->pid, h->pid) &&
	       km_ranges_match(&f->tid, h->tid) &&
	       km_ranges_match(&f->cpu, h->cpu) &&
	       km_ranges_match(&f->watch, h->watch) && comm_match(f, h->comm);
}

void km_hit_filter_free(struct km_hit_filter *f)
{
	size_t i;

	free(f->pid.r);
	free(f->tid.r);
	free(f->cpu.r);
	free(f->watch.r);
	for (i = 0; i < f->nr_comms; i++)
		free(f->comms[i]);
	free(f->comms);
	memset(f, 0, sizeof(*f));
}

int km_for_each_hit(struct km_trace *t, const struct km_hit_filter *f,
		    int (*fn)(void *arg, const struct km_hit *h), void *arg)
{
	const struct km_hit *hits;
	long n, i;
	int err;

	while ((n = km_trace_next_hits(t, &hits)) > 0) {
		for (i = 0; i < n; i++) {
			if (f && !km_hit_filter_match(f, &hits[i],
						      t->d.monotonic_ns))
				continue;
			err = fn(arg, &hits[i]);
			if (err < 0)
				return err;
		}
	}
	return n;
}
