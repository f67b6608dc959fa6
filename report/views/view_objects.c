// SPDX-License-Identifier: GPL-2.0
/*
 * Objects watched from birth to death (record --on/--off): one line
 * per object with when it was armed and freed, how long the arming
 * took, and its hits. A trace's LIFE chunks come between its hits, so
 * hits are attributed only once the whole trace is read: the tally
 * keeps each hit's slot, address and time until then.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "../../common/bytes.h"
#include "../../common/escape.h"
#include "views.h"

#define LIFE_PREFIX "objects from --on "

bool km_trace_is_lifetime(const struct km_trace_data *d)
{
	int i;

	for (i = 0; i < d->nr_watches; i++)
		if (d->watches[i].object &&
		    !strncmp(d->watches[i].object, LIFE_PREFIX,
			     strlen(LIFE_PREFIX)))
			return true;
	return false;
}

int km_obj_tally_add(struct km_obj_tally *ot, const struct km_hit *h)
{
	if (km_grow_array((void **)&ot->hits, &ot->cap, ot->n + 1,
			  sizeof(*ot->hits)))
		return -ENOMEM;
	ot->hits[ot->n++] = (struct km_obj_hit){ .time_ns = h->time_ns,
						 .addr = h->addr,
						 .watch = h->watch };
	return 0;
}

void km_obj_tally_free(struct km_obj_tally *ot)
{
	free(ot->hits);
	memset(ot, 0, sizeof(*ot));
}

void km_hit_owner_of(const struct km_trace_data *d, const struct km_hit *h,
		     struct km_hit_owner *owner)
{
	long i = km_life_object_of(d->life, d->nr_life, h->watch, h->addr,
				   h->time_ns, &owner->after_free);

	owner->armed = i >= 0;
	owner->seq = i >= 0 ? d->life[i].seq : 0;
	owner->object = i >= 0 ? d->life[i].object : 0;
	if (i < 0)
		owner->after_free = false;
}

void km_print_hit_object(FILE *f, const struct km_trace_data *d,
			 const struct km_hit *h)
{
	struct km_hit_owner o;

	km_hit_owner_of(d, h, &o);
	if (!o.armed)
		fprintf(f, "object: none armed on watch %u at 0x%" PRIx64 "\n",
			h->watch, h->addr);
	else
		fprintf(f, "object %u (0x%" PRIx64 ")%s\n", o.seq, o.object,
			o.after_free ? ", after its free: not its hit" : "");
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Median and 99th percentile of the arming latencies, in us. */
static void print_latency(FILE *f, const struct km_trace_data *d)
{
	uint64_t *lat = calloc(d->nr_life ? d->nr_life : 1, sizeof(*lat));
	size_t i, n = 0;

	if (!lat)
		return;
	for (i = 0; i < d->nr_life; i++)
		if (d->life[i].kind == KM_LIFE_ARM &&
		    d->life[i].live_ns >= d->life[i].event_ns)
			lat[n++] = d->life[i].live_ns - d->life[i].event_ns;
	if (n) {
		qsort(lat, n, sizeof(*lat), cmp_u64);
		fprintf(f,
			"# arm latency (call to breakpoint live): median %.1f us, p99 %.1f us, max %.1f us over %zu armings\n",
			lat[(n - 1) / 2] / 1e3,
			lat[(n * 99 + 99) / 100 - 1] / 1e3, lat[n - 1] / 1e3,
			n);
	}
	free(lat);
}

static void print_summary(FILE *f, const struct km_life_summary *s)
{
	if (!s->valid)
		return;
	fprintf(f,
		"# %" PRIu64 " objects armed, %" PRIu64
		" freed; not watched: %" PRIu64
		" (every slot taken); disarms ignored: %" PRIu64
		" (object not watched); calls filtered out: %" PRIu64 "\n",
		s->arms, s->disarms, s->unwatched, s->ignored, s->filtered);
	if (s->unreadable || s->misaligned || s->refused || s->dropped)
		fprintf(f,
			"# not armed: %" PRIu64
			" NULL or unreadable pointer, %" PRIu64
			" misaligned, %" PRIu64
			" refused by the kernel; %" PRIu64 " events lost\n",
			s->unreadable, s->misaligned, s->refused, s->dropped);
}

int km_view_objects(FILE *f, struct km_report *r, struct km_obj_tally *ot)
{
	const struct km_trace_data *d = r->d;
	uint64_t *hits, *after, none = 0;
	char at[64], off[64], comm[4 * KM_COMM_LEN + 1];
	bool freed;
	size_t i;
	long j;

	hits = calloc(d->nr_life + 1, sizeof(*hits));
	after = calloc(d->nr_life + 1, sizeof(*after));
	if (!hits || !after) {
		free(hits);
		free(after);
		return -ENOMEM;
	}
	for (i = 0; i < ot->n; i++) {
		j = km_life_object_of(d->life, d->nr_life, ot->hits[i].watch,
				      ot->hits[i].addr, ot->hits[i].time_ns,
				      &freed);
		if (j < 0)
			none++;
		else if (freed)
			after[j]++;
		else
			hits[j]++;
	}
	fprintf(f, "\n# objects (%s)\n", d->watches[0].object);
	print_summary(f, &d->life_summary);
	print_latency(f, d);
	fprintf(f, "# %6s %4s %-18s %-18s %-14s %9s %-24s %-14s %9s %7s %10s\n",
		"object", "slot", "address", "field at", "armed at", "latency",
		"given by", "freed at", "off after", "hits", "after free");
	for (i = 0; i < d->nr_life; i++) {
		const struct km_life_rec *a = &d->life[i];

		if (a->kind != KM_LIFE_ARM)
			continue;
		j = km_life_disarm_of(d->life, d->nr_life, i);
		km_format_time(&r->pc, a->event_ns, at, sizeof(at));
		if (j >= 0)
			km_format_time(&r->pc, d->life[j].event_ns, off,
				       sizeof(off));
		else
			snprintf(off, sizeof(off), "-");
		km_escape_text(comm, sizeof(comm), a->comm, strlen(a->comm));
		fprintf(f,
			"  %6u %4u 0x%016" PRIx64 " 0x%016" PRIx64
			" %-14s %6.1f us %-14.14s %9u %-14s ",
			a->seq, a->slot, a->object, a->addr, at,
			(a->live_ns - a->event_ns) / 1e3, comm, a->tid, off);
		if (j >= 0)
			fprintf(f, "%6.1f us",
				(d->life[j].live_ns - d->life[j].event_ns) /
					1e3);
		else
			fprintf(f, "%9s", "-");
		fprintf(f, " %7" PRIu64 " %10" PRIu64 "\n", hits[i], after[i]);
	}
	if (none)
		fprintf(f, "# %" PRIu64 " hits belong to no armed object\n",
			none);
	free(hits);
	free(after);
	return 0;
}
