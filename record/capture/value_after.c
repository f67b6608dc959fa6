// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "../../bpf/kmemsnoop.h"
#include "../../common/error.h"
#include "value_after.h"

struct km_after_held {
	uint64_t arrived_ns;
	uint32_t size;
	bool waiting; /* for the value after */
	bool has_after;
	uint64_t after;
	union {
		struct kmemsnoop_event e;
		unsigned char bytes[sizeof(struct kmemsnoop_event)];
	};
};

int km_after_init(struct km_after *q, const struct km_watch *w, int nr_watches,
		  size_t cap, int (*deliver)(void *ctx, const struct km_hit *h),
		  void *ctx)
{
	int i;

	memset(q, 0, sizeof(*q));
	q->ring = calloc(cap, sizeof(*q->ring));
	if (!q->ring) {
		km_err("out of memory");
		return -ENOMEM;
	}
	q->cap = cap;
	q->deliver = deliver;
	q->ctx = ctx;
	for (i = 0; i < nr_watches && i < KM_MAX_WATCHES; i++)
		q->pairs[i] = w[i].type & KM_BP_W;
	return 0;
}

static struct km_after_held *at(struct km_after *q, uint64_t seq)
{
	return &q->ring[seq % q->cap];
}

static void resolve(struct km_after_held *h, bool known, uint64_t after)
{
	h->waiting = false;
	h->has_after = known;
	h->after = after;
}

/* Sends the oldest hits on while none of them waits. */
static int flush(struct km_after *q)
{
	struct km_after_held *h;
	struct km_hit hit;
	int err;

	while (q->head < q->tail && !(h = at(q, q->head))->waiting) {
		q->head++;
		if (km_hit_from_event(&hit, h->bytes, h->size))
			continue;
		if (hit.has_value) {
			hit.old_value = hit.value; /* read before the access */
			hit.has_old = true;
			hit.value = h->after;
			hit.has_value = h->has_after;
		}
		err = q->deliver(q->ctx, &hit);
		if (err < 0)
			return err;
	}
	return 0;
}

int km_after_push(struct km_after *q, const void *data, size_t size,
		  uint64_t now_ns)
{
	const struct kmemsnoop_event *e = data;
	struct km_after_held *h, *prev;
	struct km_hit check;
	uint32_t w;

	if (km_hit_from_event(&check, data, size) || size > sizeof(h->bytes))
		return -EBADMSG;
	if (q->tail - q->head == q->cap)
		return KM_AFTER_FULL;
	w = e->watch & (KM_MAX_WATCHES - 1);
	h = at(q, q->tail);
	memcpy(h->bytes, data, size);
	h->size = size;
	h->arrived_ns = now_ns;
	/*
	 * This hit's value before is the last one's value after, if it is
	 * the very next access: no run between them, on the same object.
	 */
	if (q->waiting[w]) {
		prev = at(q, q->waiting[w] - 1);
		resolve(prev,
			check.has_value && prev->e.addr == e->addr &&
				e->seq == prev->e.seq + 1,
			e->value);
		q->waiting[w] = 0;
	}
	if (check.has_value && q->pairs[w]) {
		h->waiting = true;
		q->waiting[w] = q->tail + 1;
	} else {
		/* A read leaves the value as it was; no value, nothing after. */
		resolve(h, check.has_value, e->value);
	}
	q->tail++;
	return flush(q);
}

bool km_after_stale(const struct km_after *q, uint64_t now_ns, uint64_t wait_ns)
{
	return q->head < q->tail &&
	       now_ns - q->ring[q->head % q->cap].arrived_ns >= wait_ns;
}

int km_after_settle(struct km_after *q, const struct km_after_now *now,
		    uint64_t arrived_by)
{
	struct km_after_held *h;
	int w;

	for (w = 0; w < KM_MAX_WATCHES; w++) {
		if (!q->waiting[w])
			continue;
		h = at(q, q->waiting[w] - 1);
		if (h->arrived_ns > arrived_by)
			continue;
		/* No run since the hit: the value now is the one it left. */
		resolve(h,
			now && now->valid[w] && now->addr[w] == h->e.addr &&
				now->seq[w] == h->e.seq,
			now ? now->value[w] : 0);
		q->waiting[w] = 0;
	}
	return flush(q);
}

int km_after_forget(struct km_after *q, uint32_t watch)
{
	uint32_t w = watch & (KM_MAX_WATCHES - 1);

	if (q->waiting[w]) {
		resolve(at(q, q->waiting[w] - 1), false, 0);
		q->waiting[w] = 0;
	}
	return flush(q);
}

void km_after_free(struct km_after *q)
{
	free(q->ring);
	memset(q, 0, sizeof(*q));
}
