// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "../bytes.h"
#include "../htab.h"
#include "hit_columns.h"
#include "tlv.h"
#include "trace_format.h"
#include "trace_decode.h"

int km_trace_grow(void **p, size_t *cap, size_t need, size_t elem)
{
	if (!km_grow_array(p, cap, need, elem))
		return 0;
	km_err("out of memory");
	return -ENOMEM;
}

/* The command line is stored NUL-separated; show it space-separated. */
static char *join_args(const struct km_tlv *v)
{
	char *s = km_tlv_strdup(v);
	uint32_t i;

	for (i = 0; s && v->len && i < v->len - 1; i++)
		if (!s[i])
			s[i] = ' ';
	return s;
}

static int set_str(char **dst, char *val)
{
	if (!val) {
		km_err("out of memory");
		return -ENOMEM;
	}
	free(*dst);
	*dst = val;
	return 0;
}

static int meta_entry(struct km_trace *t, const struct km_tlv *v)
{
	switch (v->tag) {
	case KM_META_BUILD_ID:
		if (v->len > sizeof(t->d.build_id))
			return -EBADMSG;
		memcpy(t->d.build_id, v->val, v->len);
		t->d.build_id_len = v->len;
		return 0;
	case KM_META_RELEASE:
		return set_str(&t->d.release, km_tlv_strdup(v));
	case KM_META_KVERSION:
		return set_str(&t->d.kversion, km_tlv_strdup(v));
	case KM_META_MACHINE:
		return set_str(&t->d.machine, km_tlv_strdup(v));
	case KM_META_HOSTNAME:
		return set_str(&t->d.hostname, km_tlv_strdup(v));
	case KM_META_TOOL_VERSION:
		return set_str(&t->d.tool_version, km_tlv_strdup(v));
	case KM_META_CMDLINE:
		return set_str(&t->d.cmdline, join_args(v));
	case KM_META_REALTIME_NS:
		return km_tlv_u64(v, &t->d.realtime_ns);
	case KM_META_MONOTONIC_NS:
		return km_tlv_u64(v, &t->d.monotonic_ns);
	case KM_META_NR_CPUS:
		return km_tlv_u64(v, &t->d.nr_cpus);
	case KM_META_NR_REGS:
		return km_tlv_u64(v, &t->d.nr_regs);
	case KM_META_FILTERS:
		return set_str(&t->d.filters, km_tlv_strdup(v));
	case KM_META_EXPORT:
		return set_str(&t->d.export_note, km_tlv_strdup(v));
	}
	return 0; /* a newer writer's tag: skip it */
}

int km_decode_meta(struct km_trace *t, uint64_t at, const uint8_t *p,
		   size_t len)
{
	struct km_tlv v;
	size_t off = 0;
	int r;

	while ((r = km_tlv_next(p, len, &off, &v)) > 0)
		if ((r = meta_entry(t, &v)))
			return r != -EBADMSG ?
				       r :
				       km_corrupt(
					       t, at,
					       "header entry %u is malformed",
					       v.tag);
	if (r)
		return km_corrupt(t, at, "header entries overrun the chunk");
	/* Registers are kept only as the recording machine's, all of them. */
	t->d.regset = km_regset_of_trace(t->d.machine, t->d.nr_regs);
	return 0;
}

static int watch_entry(struct km_watch *w, uint64_t *index,
		       const struct km_tlv *v)
{
	uint64_t x = 0;
	int err = 0;

	if (v->tag == KM_WATCH_EXPR) {
		free(w->expr);
		w->expr = km_tlv_strdup(v);
		return w->expr ? 0 : -ENOMEM;
	}
	if (v->tag == KM_WATCH_OBJECT) {
		free(w->object);
		w->object = km_tlv_strdup(v);
		return w->object ? 0 : -ENOMEM;
	}
	if (v->tag < KM_WATCH_INDEX || v->tag > KM_WATCH_ADDR)
		return 0;
	err = km_tlv_u64(v, &x);
	if (v->tag == KM_WATCH_INDEX)
		*index = x;
	else if (v->tag == KM_WATCH_TYPE)
		w->type = x;
	else if (v->tag == KM_WATCH_LEN)
		w->len = x;
	else
		w->addr = x;
	return err;
}

static bool watch_valid(const struct km_watch *w)
{
	return w->type >= KM_BP_R && w->type <= KM_BP_X && w->len <= 8 &&
	       w->len && !(w->len & (w->len - 1)) && w->expr;
}

int km_decode_watch(struct km_trace *t, uint64_t at, const uint8_t *p,
		    size_t len)
{
	struct km_watch *w;
	uint64_t index = UINT64_MAX;
	struct km_tlv v;
	size_t off = 0;
	int r;

	if (t->d.nr_watches == KM_MAX_WATCHES)
		return km_corrupt(t, at, "more than %d watchpoints",
				  KM_MAX_WATCHES);
	w = &t->d.watches[t->d.nr_watches];
	while ((r = km_tlv_next(p, len, &off, &v)) > 0)
		if ((r = watch_entry(w, &index, &v)))
			break;
	if (r == -ENOMEM) {
		km_watch_free(w);
		km_err("out of memory");
		return r;
	}
	if (r || index != (uint64_t)t->d.nr_watches || !watch_valid(w)) {
		km_watch_free(w);
		return km_corrupt(t, at, "watchpoint %d is malformed",
				  t->d.nr_watches);
	}
	t->d.nr_watches++;
	return 0;
}

/* Whether stack old holds the nr frames at p (file byte order). */
static bool same_stack(const struct km_trace_data *d, uint32_t old,
		       const uint8_t *p, uint32_t nr)
{
	const struct km_stack *s = &d->stacks[old];
	uint32_t i;

	if (s->nr != nr)
		return false;
	for (i = 0; i < nr; i++)
		if (d->frames[s->pos + i] != km_get64(p + 8 * i))
			return false;
	return true;
}

/*
 * The writer gives each distinct stack one id, so a stack defined twice
 * is a crafted file: compressed, copies of one stack cost nothing in
 * the file and 1 KiB each in memory. Stacks are indexed by a hash of
 * their frames; a hash shared by different stacks is let through.
 */
static int check_new_stack(struct km_trace *t, uint64_t at, const uint8_t *p,
			   uint32_t nr)
{
	uint64_t hv = km_htab_hash(p, 8 * (size_t)nr);
	bool created;
	uint64_t *id = km_htab_get(&t->stack_index, &hv, sizeof(hv), &created);

	if (!id) {
		km_err("out of memory");
		return -ENOMEM;
	}
	if (created)
		*id = t->d.nr_stacks;
	else if (same_stack(&t->d, *id, p, nr))
		return km_corrupt(t, at, "stack %zu repeats stack %" PRIu64,
				  t->d.nr_stacks, *id);
	return 0;
}

/* Appends the stack of nr frames at p, checked, as the next id. */
static int add_stack(struct km_trace *t, uint64_t at, const uint8_t *p,
		     uint32_t nr)
{
	struct km_trace_data *d = &t->d;
	uint32_t i;
	int err = check_new_stack(t, at, p, nr);

	if (err)
		return err;
	if (km_trace_grow((void **)&d->stacks, &d->stacks_cap, d->nr_stacks + 1,
			  sizeof(*d->stacks)) ||
	    km_trace_grow((void **)&d->frames, &d->frames_cap,
			  d->nr_frames + nr, sizeof(*d->frames)))
		return -ENOMEM;
	d->stacks[d->nr_stacks++] = (struct km_stack){ nr, d->nr_frames };
	for (i = 0; i < nr; i++)
		d->frames[d->nr_frames++] = km_get64(p + 8 * i);
	return 0;
}

int km_decode_stacks(struct km_trace *t, uint64_t at, const uint8_t *p,
		     size_t len)
{
	size_t off = 0;
	uint32_t id, nr;
	int err;

	while (off < len) {
		if (len - off < KM_STACK_HDR_SIZE)
			return km_corrupt(t, at, "stack record cut short");
		id = km_get32(p + off);
		nr = km_get32(p + off + 4);
		off += KM_STACK_HDR_SIZE;
		if (id != t->d.nr_stacks)
			return km_corrupt(
				t, at,
				"stack id %u out of order (expected %zu)", id,
				t->d.nr_stacks);
		if (nr > KM_MAX_FRAMES || (size_t)nr * 8 > len - off)
			return km_corrupt(t, at, "stack %u claims %u frames",
					  id, nr);
		err = add_stack(t, at, p + off, nr);
		if (err)
			return err;
		off += 8 * (size_t)nr;
	}
	return 0;
}

int km_decode_trailer(struct km_trace *t, uint64_t at, const uint8_t *p,
		      size_t len)
{
	uint64_t *dst[] = {
		NULL,		&t->d.t_hits, &t->d.t_lost,    &t->d.t_stacks,
		&t->d.t_end_ns, &t->d.t_seen, &t->d.t_filtered
	};
	struct km_tlv v;
	size_t off = 0;
	int r;

	while ((r = km_tlv_next(p, len, &off, &v)) > 0) {
		if (v.tag == 0 || v.tag >= sizeof(dst) / sizeof(dst[0]))
			continue;
		if (km_tlv_u64(&v, dst[v.tag]))
			return km_corrupt(
				t, at, "trailer entry %u is malformed", v.tag);
	}
	if (r)
		return km_corrupt(t, at, "trailer entries overrun the chunk");
	t->d.has_trailer = true;
	return 0;
}

static uint64_t get_col(const uint8_t *cols, size_t n, size_t i, int off,
			int size)
{
	uint64_t v = 0;
	int b;

	for (b = size - 1; b >= 0; b--)
		v = v << 8 | cols[(size_t)(off + b) * n + i];
	return v;
}

/* Fills h[lo..hi) from the n records at cols (time_ns: the deltas). */
static void decode_block(const uint8_t *cols, size_t n, size_t lo, size_t hi,
			 struct km_hit *h)
{
	uint16_t flags;
	size_t i;
	int c;

	KM_COL_GET(cols, n, lo, hi, KM_HIT_TIME_DELTA, 8, h, time_ns);
#define GET(off, size, member) \
	KM_COL_GET(cols, n, lo, hi, off, size, h, member);
	KM_HIT_PLAIN_COLUMNS(GET)
#undef GET
	for (c = 0; c < KM_COMM_LEN; c++)
		KM_COL_GET(cols, n, lo, hi, KM_HIT_COMM + c, 1, h, comm[c]);
	for (i = lo; i < hi; i++) {
		flags = get_col(cols, n, i, KM_HIT_FLAGS, 2);
		h[i].has_value = flags & KM_HITF_VALUE;
		h[i].has_old = flags & KM_HITF_OLD;
		h[i].comm[KM_COMM_LEN] = '\0';
		h[i].regs = NULL;
		h[i].regset = NULL;
	}
}

/* Places record i's stack; -EBADMSG names a reference to nothing. */
static int check_one(struct km_trace *t, uint64_t at, size_t i,
		     struct km_hit *h)
{
	if (h->watch >= t->d.nr_watches)
		return km_corrupt(t, at, "hit %zu names watchpoint %u of %d", i,
				  h->watch, t->d.nr_watches);
	h->nr_frames = 0;
	h->frames = NULL;
	if (h->stack_id == KM_NO_STACK)
		return 0;
	if (h->stack_id >= t->d.nr_stacks)
		return km_corrupt(t, at,
				  "hit %zu uses stack id %u, never defined", i,
				  h->stack_id);
	h->nr_frames = t->d.stacks[h->stack_id].nr;
	h->frames = t->d.frames + t->d.stacks[h->stack_id].pos;
	return 0;
}

/* The record layout a HITS header announces; -EBADMSG if impossible. */
static int hits_layout(struct km_trace *t, uint64_t at, const uint8_t *p,
		       size_t len, size_t *n, size_t *size, bool *regs)
{
	uint16_t groups;
	size_t need = KM_HIT_BASE_SIZE;

	if (len < KM_HITS_HDR_SIZE)
		return km_corrupt(t, at, "hit chunk too short");
	*n = km_get32(p);
	*size = km_get16(p + 4);
	groups = km_get16(p + 6);
	/*
	 * Registers are kept only when the trace's machine is known and
	 * has NR_REGS of them (t->d.regset, at most KM_REGSET_MAX); other
	 * traces' are skipped with the rest of the record, and NR_REGS,
	 * untrusted, never sizes anything.
	 */
	*regs = (groups & KM_HITS_REGS) && t->d.regset;
	if (*regs)
		need += (size_t)t->d.regset->nr * 8;
	if (*size < need)
		return km_corrupt(
			t, at, "hit records of %zu bytes are too short", *size);
	if ((len - KM_HITS_HDR_SIZE) / *size != *n ||
	    (len - KM_HITS_HDR_SIZE) % *size)
		return km_corrupt(t, at,
				  "hit chunk of %zu bytes cannot hold %zu hits",
				  len, *n);
	return 0;
}

/* Record i's registers, if it has them, into t->regs. */
static void decode_regs(struct km_trace *t, const uint8_t *cols, size_t n,
			size_t i, struct km_hit *h)
{
	const struct km_regset *rs = t->d.regset;
	uint64_t *r = t->regs + i * rs->nr;
	unsigned int c;

	if (!(get_col(cols, n, i, KM_HIT_FLAGS, 2) & KM_HITF_REGS))
		return;
	for (c = 0; c < rs->nr; c++)
		r[c] = get_col(cols, n, i, KM_HIT_BASE_SIZE + 8 * c, 8);
	h->regs = r;
	h->regset = rs;
}

long km_decode_hits_at(struct km_trace *t, uint64_t at, const uint8_t *p,
		       size_t len)
{
	size_t n, i, size;
	uint64_t time;
	bool regs;
	int err;

	err = hits_layout(t, at, p, len, &n, &size, &regs);
	if (err)
		return err;
	if (km_trace_grow((void **)&t->hits, &t->hits_cap, n, sizeof(*t->hits)))
		return -ENOMEM;
	/* n < 2^32 hits of at most KM_REGSET_MAX registers: no overflow. */
	if (regs && km_trace_grow((void **)&t->regs, &t->regs_cap,
				  n * t->d.regset->nr, sizeof(*t->regs)))
		return -ENOMEM;
	time = km_get64(p + 8);
	p += KM_HITS_HDR_SIZE;
	for (i = 0; i < n; i++) {
		if (i % KM_COL_BLOCK == 0)
			decode_block(p, n, i,
				     i + KM_COL_BLOCK < n ? i + KM_COL_BLOCK :
							    n,
				     t->hits);
		time += t->hits[i].time_ns;
		t->hits[i].time_ns = time;
		err = check_one(t, at, i, &t->hits[i]);
		if (err)
			return err;
		if (regs)
			decode_regs(t, p, n, i, &t->hits[i]);
	}
	return n;
}
