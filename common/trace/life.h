/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Objects watched from birth to death (record --on/--off): the LIFE
 * chunk (trace_format.h, docs/trace-format.md §4.6) that says when a
 * watch slot took an object and when it let it go, its encoding and
 * decoding, and which object a hit belongs to.
 */
#ifndef KM_LIFE_H
#define KM_LIFE_H

#include <stdbool.h>
#include <stdint.h>
#include "../bytes.h"
#include "../htab.h"
#include "../../bpf/kmemsnoop.h"

/* km_life_rec.kind: KM_LIFE_ARM, KM_LIFE_DISARM (kmemsnoop.h), or: */
#define KM_LIFE_SUMMARY 3

/* Readers keep at most this many ARM and DISARM records (§12). */
#define KM_MAX_LIFE_RECORDS (1u << 18)

struct km_life_rec {
	uint32_t kind;
	uint32_t slot; /* the watch index */
	uint32_t seq; /* the arming's number; a DISARM gives its ARM's */
	/*
	 * ARM: the call that gave the object, and when its breakpoints
	 * were live; DISARM: the call that freed it, and when they were
	 * off. Both CLOCK_MONOTONIC: live_ns - event_ns is the latency.
	 */
	uint64_t event_ns, live_ns;
	uint64_t object, addr; /* addr: the watched field (ARM) */
	uint32_t pid, tid;
	char comm[KM_COMM_LEN + 1];
	/*
	 * DISARM: not a free, but --replace moving the slot to the next
	 * ARM's object at live_ns; hits until then are the object's own.
	 */
	bool replaced;
};

/* The arming programs' counts, written once at the end (SUMMARY). */
struct km_life_summary {
	bool valid;
	uint64_t arms, disarms;
	uint64_t unwatched; /* arrived with every slot taken */
	uint64_t ignored; /* --off for an object not watched */
	uint64_t filtered, again, unreadable, misaligned;
	uint64_t refused; /* the kernel would not move a breakpoint there */
	uint64_t dropped;
	uint64_t replaced; /* armings that took an older one's slot */
};

/* One LIFE chunk's payload for r, appended to b. */
int km_life_encode(struct km_buf *b, const struct km_life_rec *r);
int km_life_encode_summary(struct km_buf *b, const struct km_life_summary *s);

/*
 * Decodes one LIFE chunk: 1 with *r filled, 2 with *s filled (a
 * SUMMARY), 0 for a kind this reader does not know (skip it), or
 * -EBADMSG with the reason in why.
 */
int km_life_decode(const uint8_t *p, size_t len, struct km_life_rec *r,
		   struct km_life_summary *s, const char **why);

/*
 * What finds a hit's object and an object's free without a walk over
 * the records, kept as they are read (a crafted trace holds up to
 * KM_MAX_LIFE_RECORDS of them, and millions of hits): each ARM's
 * DISARM, each slot's latest ARM, and for each slot and field address
 * the ARMs a hit may still belong to, their EVENT_NS rising.
 */
struct km_life_chain {
	uint32_t *arm; /* records; an ARM is dropped once a later one's
			  EVENT_NS is at or before its own */
	uint32_t n, cap;
};
struct km_life_index {
	int32_t *disarm; /* [record]: an ARM's DISARM, or -1 */
	size_t cap;
	int32_t last_arm[KM_MAX_WATCHES]; /* -1: none yet */
	struct km_htab by_addr; /* (slot, addr) -> chain */
	struct km_life_chain *chains;
	size_t nr_chains, chains_cap;
};

/*
 * Takes recs[n - 1], the latest record read, into ix (zeroed before the
 * first): an ARM joins its slot and address; a DISARM ends its slot's
 * latest ARM if their SEQs agree and that ARM has no DISARM yet, and is
 * otherwise left alone (its ARM was lost to a full ring buffer, or the
 * trace is crafted). 0 or -ENOMEM.
 */
int km_life_index_add(struct km_life_index *ix, const struct km_life_rec *recs,
		      size_t n);
void km_life_index_free(struct km_life_index *ix);

/*
 * The ARM record (index into recs) whose object hit h (watch slot,
 * address, time) belongs to, or -1: of the ARMs read so far on the slot
 * at the address with an EVENT_NS at or before the hit's time, the
 * latest in the file. *after_free says the hit came after the object's
 * free call, before its breakpoint was off: such a hit is the freed
 * memory's, never a new object's. O(log n).
 */
long km_life_object_of(const struct km_life_index *ix,
		       const struct km_life_rec *recs, uint16_t watch,
		       uint64_t addr, uint64_t time_ns, bool *after_free);
/* The DISARM record of ARM record i, or -1 while it is watched. O(1). */
long km_life_disarm_of(const struct km_life_index *ix, size_t i);

#endif
