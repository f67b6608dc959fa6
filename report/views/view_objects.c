// SPDX-License-Identifier: GPL-2.0
/*
 * Objects watched from birth to death (record --on/--off): one line
 * per object with when it was armed and freed, how long the arming
 * took, and its hits. Each hit is counted for its object as it is
 * read (views.h says how those read before the object's free are told
 * apart), so a trace of many hits costs no memory for them.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "../../common/bytes.h"
#include "../../common/escape.h"
#include "views.h"

#define LIFE_PREFIX "objects from --on "

/* The watch whose OBJECT says the trace is a lifetime one, or NULL. */
static const char *lifetime_object(const struct km_trace_data *d)
{
	int i;

	for (i = 0; i < d->nr_watches; i++)
		if (d->watches[i].object &&
		    !strncmp(d->watches[i].object, LIFE_PREFIX,
			     strlen(LIFE_PREFIX)))
			return d->watches[i].object;
	return NULL;
}

bool km_trace_is_lifetime(const struct km_trace_data *d)
{
	return lifetime_object(d);
}

/* Keeps t among o's latest KM_OBJ_KEEP waiting times. */
static void wait_for_free(struct km_obj_count *o, uint64_t t)
{
	uint64_t *min;
	int k;

	if (o->waiting < KM_OBJ_KEEP) {
		o->kept[o->waiting++] = t;
		return;
	}
	o->waiting++;
	min = &o->kept[0];
	for (k = 1; k < KM_OBJ_KEEP; k++)
		if (o->kept[k] < *min)
			min = &o->kept[k];
	if (t > *min) {
		uint64_t old = *min;

		*min = t;
		t = old;
	}
	if (!o->dropped || t > o->dropped_max)
		o->dropped_max = t;
	o->dropped = true;
}

int km_obj_tally_add(struct km_obj_tally *ot, const struct km_trace_data *d,
		     const struct km_hit *h)
{
	struct km_obj_count *o;
	size_t old = ot->cap;
	bool freed;
	long i = km_life_object_of(&d->life_ix, d->life, h->watch, h->addr,
				   h->time_ns, &freed);

	if (i < 0) {
		ot->none++;
		return 0;
	}
	if (km_grow_array((void **)&ot->obj, &ot->cap, i + 1, sizeof(*ot->obj)))
		return -ENOMEM;
	memset(ot->obj + old, 0, (ot->cap - old) * sizeof(*ot->obj));
	o = &ot->obj[i];
	if (km_life_disarm_of(&d->life_ix, i) < 0)
		wait_for_free(o, h->time_ns);
	else if (freed)
		o->after++;
	else
		o->hits++;
	return 0;
}

void km_obj_tally_free(struct km_obj_tally *ot)
{
	free(ot->obj);
	memset(ot, 0, sizeof(*ot));
}

void km_hit_owner_of(const struct km_trace_data *d, const struct km_hit *h,
		     struct km_hit_owner *owner)
{
	long i = km_life_object_of(&d->life_ix, d->life, h->watch, h->addr,
				   h->time_ns, &owner->after_free);

	owner->armed = i >= 0;
	owner->seq = i >= 0 ? d->life[i].seq : 0;
	owner->object = i >= 0 ? d->life[i].object : 0;
	if (i < 0)
		owner->after_free = false;
}

/*
 * Once the trace is read: the hits of object i that came before its
 * DISARM was read, told apart by its free. True if some of them could
 * not be (more came after the free than were kept): those count as
 * hits.
 */
static bool settle(struct km_obj_tally *ot, const struct km_trace_data *d,
		   size_t i)
{
	struct km_obj_count *o = &ot->obj[i];
	long j = km_life_disarm_of(&d->life_ix, i);
	const struct km_life_rec *off = j >= 0 ? &d->life[j] : NULL;
	uint64_t kept = o->waiting < KM_OBJ_KEEP ? o->waiting : KM_OBJ_KEEP;
	uint64_t k;

	o->hits += o->waiting - kept;
	for (k = 0; k < kept; k++) {
		/* A slot moved on by --replace: its hits until the move. */
		if (!off || o->kept[k] < off->event_ns ||
		    (off->replaced && o->kept[k] <= off->live_ns))
			o->hits++;
		else if (o->kept[k] <= off->live_ns)
			o->after++;
		else
			ot->none++; /* after its breakpoint was off */
	}
	o->waiting = 0;
	return off && o->dropped && o->dropped_max >= off->event_ns;
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
	if (s->replaced)
		fprintf(f,
			"# %" PRIu64
			" armings took the slot of an older one (--replace)\n",
			s->replaced);
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

/* "%6.1f us" of a latency, or "?" where the times are backwards. */
static void print_us(FILE *f, const struct km_life_rec *r)
{
	if (r->live_ns >= r->event_ns)
		fprintf(f, "%6.1f us", (r->live_ns - r->event_ns) / 1e3);
	else
		fprintf(f, "%9s", "?");
}

static void print_object(FILE *f, struct km_report *r, size_t i,
			 const struct km_obj_count *o)
{
	const struct km_trace_data *d = r->d;
	const struct km_life_rec *a = &d->life[i];
	long j = km_life_disarm_of(&d->life_ix, i);
	/* The column's width, whole characters and escapes only. */
	char at[64], off[64], comm[14 + 1];

	km_format_time(&r->pc, a->event_ns, at, sizeof(at));
	if (j >= 0)
		km_format_time(&r->pc, d->life[j].event_ns, off,
			       sizeof(off) - 1);
	else
		snprintf(off, sizeof(off), "-");
	/* Not a free: --replace moved the slot on (the table's note). */
	if (j >= 0 && d->life[j].replaced)
		strcat(off, "*");
	km_escape_text(comm, sizeof(comm), a->comm, strlen(a->comm));
	fprintf(f, "  %6u %4u 0x%016" PRIx64 " 0x%016" PRIx64 " %-14s ", a->seq,
		a->slot, a->object, a->addr, at);
	print_us(f, a);
	fprintf(f, " %-14s %9u %-14s ", comm, a->tid, off);
	if (j >= 0)
		print_us(f, &d->life[j]);
	else
		fprintf(f, "%9s", "-");
	fprintf(f, " %7" PRIu64 " %10" PRIu64 "\n", o ? o->hits : 0,
		o ? o->after : 0);
}

int km_view_objects(FILE *f, struct km_report *r, struct km_obj_tally *ot)
{
	const struct km_trace_data *d = r->d;
	uint64_t unsure = 0;
	bool replaced = false;
	size_t i;

	for (i = 0; i < ot->cap && i < d->nr_life; i++)
		unsure += settle(ot, d, i);
	fputs("\n# objects (", f);
	km_puts_text(f, lifetime_object(d));
	fputs(")\n", f);
	print_summary(f, &d->life_summary);
	print_latency(f, d);
	fprintf(f, "# %6s %4s %-18s %-18s %-14s %9s %-24s %-14s %9s %7s %10s\n",
		"object", "slot", "address", "field at", "armed at", "latency",
		"given by", "freed at", "off after", "hits", "after free");
	for (i = 0; i < d->nr_life; i++) {
		if (d->life[i].kind == KM_LIFE_ARM)
			print_object(f, r, i, i < ot->cap ? &ot->obj[i] : NULL);
		replaced |= d->life[i].replaced;
	}
	if (replaced)
		fputs("# *: not freed but left (--replace): the slot moved on to a newer object\n",
		      f);
	if (ot->none)
		fprintf(f, "# %" PRIu64 " hits belong to no armed object\n",
			ot->none);
	if (unsure)
		fprintf(f,
			"# %" PRIu64
			" objects had more hits read before their free than could be told apart by it: those count as hits\n",
			unsure);
	return 0;
}
