/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The value after each access, where the hardware reports a watched
 * access before it happens (arm64: the kernel steps over the
 * instruction once the BPF program has run). There the value a hit
 * reads is the one before its access. The one after is what the next
 * hit on the same watch reads before its own access, every write to the
 * watched bytes being a hit too; for the last hit, what the address
 * holds once nothing has hit it for a while.
 *
 * Hits wait here for that value and leave, in the order they came, as
 * hits whose old_value is the value before and whose value is the one
 * after. has_value is false when it cannot be known: the next run of
 * the BPF program on the watch was not sent (a filter, -c, a full ring
 * buffer), the watch moved to another object, its memory could not be
 * read, or a run came between the hit and the read. Runs are told by
 * the event's seq, which counts them all.
 */
#ifndef KM_VALUE_AFTER_H
#define KM_VALUE_AFTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "../../common/trace/hit.h"
#include "../../common/trace/target.h"

/*
 * What each watched address held when read, for km_after_settle, and
 * the watch's run count (kmemsnoop_event.seq) then: valid only if no
 * run came during the read.
 */
struct km_after_now {
	uint64_t addr[KM_MAX_WATCHES];
	uint64_t value[KM_MAX_WATCHES];
	uint32_t seq[KM_MAX_WATCHES];
	bool valid[KM_MAX_WATCHES];
};

/* km_after_push: the queue is full, nothing taken. */
#define KM_AFTER_FULL 1

struct km_after_held;

struct km_after {
	struct km_after_held *ring;
	size_t cap;
	uint64_t head, tail; /* sequence numbers: ring[seq % cap] */
	uint64_t waiting[KM_MAX_WATCHES]; /* seq + 1 of the watch's, or 0 */
	bool pairs[KM_MAX_WATCHES]; /* w and rw: a later hit tells "after" */
	int (*deliver)(void *ctx, const struct km_hit *h);
	void *ctx;
};

/*
 * Holds at most cap hits (cap > 0). Returns 0 or -ENOMEM (explained).
 * deliver gets each hit as it leaves; its negative return stops the
 * push or settle that called it, and comes back from it.
 */
int km_after_init(struct km_after *q, const struct km_watch *w, int nr_watches,
		  size_t cap, int (*deliver)(void *ctx, const struct km_hit *h),
		  void *ctx);
/*
 * Takes a ring-buffer event (size bytes, as km_hit_from_event takes
 * it) and delivers whatever no longer waits. Returns 0, -EBADMSG for a
 * malformed event (dropped), KM_AFTER_FULL when the queue is full
 * (nothing taken: settle, then push again), or deliver's negative
 * return.
 */
int km_after_push(struct km_after *q, const void *data, size_t size,
		  uint64_t now_ns);
/* Whether the oldest hit has waited at least wait_ns. */
bool km_after_stale(const struct km_after *q, uint64_t now_ns,
		    uint64_t wait_ns);
/*
 * Gives each hit that has waited since arrived_by or before the value
 * now (now NULL: none known), then delivers what no longer waits.
 */
int km_after_settle(struct km_after *q, const struct km_after_now *now,
		    uint64_t arrived_by);
/* A watch moved to another object: its waiting hit gets no value after. */
int km_after_forget(struct km_after *q, uint32_t watch);
void km_after_free(struct km_after *q);

#endif
