// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
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
	/* Only where set: a reader from before --replace sees a free. */
	if (!err && r->replaced)
		err = km_tlv_put_u64(b, KM_LIFE_REPLACED, 1);
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
	err = err ?: km_tlv_put_u64(b, KM_LIFE_REPLACES, s->replaced);
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
	case KM_LIFE_REPLACES:
		return &s->replaced;
	case KM_LIFE_REPLACED:
		return &v[0]; /* v[0]: no tag of its own below KIND */
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
	r->replaced = r->kind == KM_LIFE_DISARM && v[0];
	return 1;
}

/* The hash key of a slot and a field address, fixed in byte order. */
static void chain_key(uint8_t key[12], uint32_t slot, uint64_t addr)
{
	km_put32(key, slot);
	km_put64(key + 4, addr);
}

/* Room for one more; chains start small, as most hold one ARM. */
static int chain_grow(struct km_life_chain *c)
{
	uint32_t cap = c->cap ? 2 * c->cap : 2;
	uint32_t *p;

	if (c->n < c->cap)
		return 0;
	p = realloc(c->arm, cap * sizeof(*p));
	if (!p)
		return -ENOMEM;
	c->arm = p;
	c->cap = cap;
	return 0;
}

static struct km_life_chain *chain_of(struct km_life_index *ix,
				      const struct km_life_rec *r)
{
	uint8_t key[12];
	bool created;
	uint64_t *v;

	chain_key(key, r->slot, r->addr);
	v = km_htab_get(&ix->by_addr, key, sizeof(key), &created);
	if (!v)
		return NULL;
	if (created) {
		if (km_grow_array((void **)&ix->chains, &ix->chains_cap,
				  ix->nr_chains + 1, sizeof(*ix->chains)))
			return NULL;
		ix->chains[ix->nr_chains] = (struct km_life_chain){ 0 };
		*v = ix->nr_chains++;
	}
	return &ix->chains[*v];
}

/*
 * The latest ARM with an EVENT_NS at or before a time is always one
 * whose EVENT_NS is below every later ARM's: the chain keeps just
 * those, so their EVENT_NS rise and a binary search finds it.
 */
static int add_arm(struct km_life_index *ix, const struct km_life_rec *recs,
		   uint32_t i)
{
	struct km_life_chain *c = chain_of(ix, &recs[i]);

	if (!c || chain_grow(c))
		return -ENOMEM;
	while (c->n && recs[c->arm[c->n - 1]].event_ns >= recs[i].event_ns)
		c->n--;
	c->arm[c->n++] = i;
	ix->last_arm[recs[i].slot] = i;
	return 0;
}

int km_life_index_add(struct km_life_index *ix, const struct km_life_rec *recs,
		      size_t n)
{
	const struct km_life_rec *r = &recs[n - 1];
	uint32_t i = n - 1;
	int32_t a;

	if (!ix->cap)
		memset(ix->last_arm, 0xff, sizeof(ix->last_arm));
	if (km_grow_array((void **)&ix->disarm, &ix->cap, n,
			  sizeof(*ix->disarm)))
		return -ENOMEM;
	ix->disarm[i] = -1;
	if (r->kind == KM_LIFE_ARM)
		return add_arm(ix, recs, i);
	a = ix->last_arm[r->slot];
	if (a >= 0 && recs[a].seq == r->seq && ix->disarm[a] < 0)
		ix->disarm[a] = i;
	return 0;
}

void km_life_index_free(struct km_life_index *ix)
{
	size_t i;

	for (i = 0; i < ix->nr_chains; i++)
		free(ix->chains[i].arm);
	free(ix->chains);
	free(ix->disarm);
	km_htab_free(&ix->by_addr);
	memset(ix, 0, sizeof(*ix));
}

long km_life_disarm_of(const struct km_life_index *ix, size_t i)
{
	return ix->disarm[i];
}

long km_life_object_of(const struct km_life_index *ix,
		       const struct km_life_rec *recs, uint16_t watch,
		       uint64_t addr, uint64_t time_ns, bool *after_free)
{
	const struct km_life_chain *c;
	const uint64_t *v;
	uint8_t key[12];
	uint32_t lo = 0, hi, mid;
	long i, d;

	*after_free = false;
	chain_key(key, watch, addr);
	v = km_htab_find(&ix->by_addr, key, sizeof(key));
	if (!v)
		return -1;
	c = &ix->chains[*v];
	/* The first ARM of the chain armed after the hit: hi. */
	hi = c->n;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (recs[c->arm[mid]].event_ns <= time_ns)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!hi)
		return -1;
	i = c->arm[hi - 1];
	d = ix->disarm[i];
	if (d >= 0 && recs[d].event_ns <= time_ns) {
		if (time_ns > recs[d].live_ns)
			return -1; /* after its breakpoint was off */
		/* Not freed, only left for a newer one: still its hit. */
		*after_free = !recs[d].replaced;
	}
	return i;
}
