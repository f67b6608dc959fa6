// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <string.h>
#include "life.h"
#include "tlv.h"
#include "trace_format.h"

int km_life_encode(struct km_buf *b, const struct km_life_rec *r)
{
	int err;

	err = km_tlv_put_u64(b, KM_LIFE_KIND, r->kind);
	err = err ?: km_tlv_put_u64(b, KM_LIFE_SLOT, r->slot);
	err = err ?: km_tlv_put_u64(b, KM_LIFE_SEQ, r->seq);
	err = err ?: km_tlv_put_u64(b, KM_LIFE_EVENT_NS, r->event_ns);
	err = err ?: km_tlv_put_u64(b, KM_LIFE_LIVE_NS, r->live_ns);
	err = err ?: km_tlv_put_u64(b, KM_LIFE_OBJECT, r->object);
	err = err ?: km_tlv_put_u64(b, KM_LIFE_ADDR, r->addr);
	err = err ?: km_tlv_put_u64(b, KM_LIFE_PID, r->pid);
	err = err ?: km_tlv_put_u64(b, KM_LIFE_TID, r->tid);
	return err ?: km_tlv_put_str(b, KM_LIFE_COMM, r->comm);
}

int km_life_encode_summary(struct km_buf *b, const struct km_life_summary *s)
{
	int err;

	err = km_tlv_put_u64(b, KM_LIFE_KIND, KM_LIFE_SUMMARY);
	err = err ?: km_tlv_put_u64(b, KM_LIFE_ARMS, s->arms);
	err = err ?: km_tlv_put_u64(b, KM_LIFE_DISARMS, s->disarms);
	err = err ?: km_tlv_put_u64(b, KM_LIFE_UNWATCHED, s->unwatched);
	err = err ?: km_tlv_put_u64(b, KM_LIFE_IGNORED, s->ignored);
	err = err ?: km_tlv_put_u64(b, KM_LIFE_FILTERED, s->filtered);
	err = err ?: km_tlv_put_u64(b, KM_LIFE_AGAIN, s->again);
	err = err ?: km_tlv_put_u64(b, KM_LIFE_UNREADABLE, s->unreadable);
	err = err ?: km_tlv_put_u64(b, KM_LIFE_MISALIGNED, s->misaligned);
	err = err ?: km_tlv_put_u64(b, KM_LIFE_REFUSED, s->refused);
	return err ?: km_tlv_put_u64(b, KM_LIFE_DROPPED, s->dropped);
}

/* Where each u64 tag goes, in a record or in the summary. */
static uint64_t *slot_of(uint16_t tag, uint64_t *v, struct km_life_summary *s)
{
	switch (tag) {
	case KM_LIFE_ARMS:
		return &s->arms;
	case KM_LIFE_DISARMS:
		return &s->disarms;
	case KM_LIFE_UNWATCHED:
		return &s->unwatched;
	case KM_LIFE_IGNORED:
		return &s->ignored;
	case KM_LIFE_FILTERED:
		return &s->filtered;
	case KM_LIFE_AGAIN:
		return &s->again;
	case KM_LIFE_UNREADABLE:
		return &s->unreadable;
	case KM_LIFE_MISALIGNED:
		return &s->misaligned;
	case KM_LIFE_REFUSED:
		return &s->refused;
	case KM_LIFE_DROPPED:
		return &s->dropped;
	}
	return tag >= KM_LIFE_KIND && tag <= KM_LIFE_TID ? &v[tag] : NULL;
}

int km_life_decode(const uint8_t *p, size_t len, struct km_life_rec *r,
		   struct km_life_summary *s, const char **why)
{
	uint64_t v[KM_LIFE_TID + 1] = { 0 }, *dst;
	struct km_life_summary sum = { .valid = true };
	struct km_tlv e;
	size_t off = 0;
	bool kind = false;
	int n;

	memset(r, 0, sizeof(*r));
	while ((n = km_tlv_next(p, len, &off, &e)) > 0) {
		if (e.tag == KM_LIFE_COMM) {
			if (e.len > KM_COMM_LEN) {
				*why = "a LIFE comm longer than 16 bytes";
				return -EBADMSG;
			}
			memcpy(r->comm, e.val, e.len);
			r->comm[e.len] = '\0';
			continue;
		}
		dst = slot_of(e.tag, v, &sum);
		if (!dst)
			continue; /* a tag from a newer writer */
		if (km_tlv_u64(&e, dst)) {
			*why = "a LIFE value that is not 8 bytes";
			return -EBADMSG;
		}
		kind |= e.tag == KM_LIFE_KIND;
	}
	if (n < 0) {
		*why = "a LIFE entry runs past the chunk";
		return -EBADMSG;
	}
	if (!kind) {
		*why = "a LIFE chunk without a kind";
		return -EBADMSG;
	}
	if (v[KM_LIFE_KIND] == KM_LIFE_SUMMARY) {
		*s = sum;
		return 2;
	}
	if (v[KM_LIFE_KIND] != KM_LIFE_ARM && v[KM_LIFE_KIND] != KM_LIFE_DISARM)
		return 0;
	if (v[KM_LIFE_SLOT] >= KM_MAX_WATCHES || v[KM_LIFE_SEQ] > UINT32_MAX ||
	    v[KM_LIFE_PID] > UINT32_MAX || v[KM_LIFE_TID] > UINT32_MAX) {
		*why = "a LIFE slot, number or id out of range";
		return -EBADMSG;
	}
	r->kind = v[KM_LIFE_KIND];
	r->slot = v[KM_LIFE_SLOT];
	r->seq = v[KM_LIFE_SEQ];
	r->event_ns = v[KM_LIFE_EVENT_NS];
	r->live_ns = v[KM_LIFE_LIVE_NS];
	r->object = v[KM_LIFE_OBJECT];
	r->addr = v[KM_LIFE_ADDR];
	r->pid = v[KM_LIFE_PID];
	r->tid = v[KM_LIFE_TID];
	return 1;
}

long km_life_disarm_of(const struct km_life_rec *recs, size_t n, size_t i)
{
	size_t j;

	for (j = i + 1; j < n; j++)
		if (recs[j].kind == KM_LIFE_DISARM &&
		    recs[j].slot == recs[i].slot && recs[j].seq == recs[i].seq)
			return j;
	return -1;
}

long km_life_object_of(const struct km_life_rec *recs, size_t n, uint16_t watch,
		       uint64_t addr, uint64_t time_ns, bool *after_free)
{
	long d;
	size_t i;

	*after_free = false;
	/*
	 * A slot takes a new object only once the last one's breakpoint is
	 * off, so the latest arming of this slot at this address before
	 * the hit is its object. The newest records are the likeliest.
	 */
	for (i = n; i-- > 0;) {
		const struct km_life_rec *r = &recs[i];

		if (r->kind != KM_LIFE_ARM || r->slot != watch ||
		    r->addr != addr || r->event_ns > time_ns)
			continue;
		d = km_life_disarm_of(recs, n, i);
		if (d >= 0 && recs[d].event_ns <= time_ns) {
			if (time_ns > recs[d].live_ns)
				return -1; /* after its breakpoint was off */
			*after_free = true;
		}
		return i;
	}
	return -1;
}
