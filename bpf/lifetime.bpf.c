// SPDX-License-Identifier: GPL-2.0
/*
 * The arming side of --on/--off: fentry (or fexit, for $retval)
 * programs that user space attaches at run time to the functions the
 * user names. on_entry/on_exit take the object a call is given (or
 * returns) into a free watch slot and tell user space where its field
 * is; off_entry lets the slot go when the object is freed. User space
 * moves the breakpoints (record/capture/lifetime.c).
 *
 * A slot's life is one word, slot_word[], changed only by
 * compare-and-swap, so that an arming, a free and a replacement racing
 * on other CPUs see one order: 0 (free) -> OBJ (taken here, first come
 * first served) -> OBJ | KM_SLOT_GONE (--off saw OBJ freed) -> 0 again,
 * set by user space only once the breakpoints are off, so a slot never
 * takes a new object while its breakpoint may still sit on the freed
 * one. With --replace, an arming that finds every slot taken moves the
 * slot of the oldest arming from OBJ to the new object in one step; the
 * old object is then no longer watched, and its --off is ignored.
 * Objects are pointers to structs, so bit 0 is free for GONE.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "kmemsnoop.h"

char LICENSE[] SEC("license") = "GPL";

/* Set by user space before load. */
const volatile struct kmemsnoop_filter filter;
/* kmemsnoop's own calls never arm: its reads and writes are no workload. */
const volatile __u32 self_pid;
const volatile __u32 on_arg; /* ARG's index among FUNC's parameters */
const volatile __u32 off_arg;
const volatile __u32 nr_slots = 1; /* --objects */
const volatile __u32 nr_derefs;
const volatile __u64 deref_off[KM_LIFE_MAX_DEREFS];
const volatile __u64 field_off; /* from the last base to the field */
const volatile __u32 watch_len; /* a power of two */
const volatile __u32 replace; /* --replace */

#define KM_SLOT_GONE 1ull

/* Slot state, shared with user space through the mmap'ed .bss. */
__u64 slot_word[KM_MAX_WATCHES];
__u32 slot_seq[KM_MAX_WATCHES];
/*
 * 1 once user space has moved the slot's breakpoints to its object:
 * --replace takes only such a slot (and clears it), so that a slot
 * never has more than an ARM and a DISARM waiting, and the ring buffer
 * below cannot fill.
 */
__u32 slot_applied[KM_MAX_WATCHES];
__u32 arm_seq;

#include "task_filter.bpf.h"

/*
 * The objects counted as not watched (every slot taken), so that each
 * counts once however often it comes back to the --on function: the
 * count is of objects, as of armings. An object leaves the set at its
 * --off call (its memory may be a new object's next) or when a slot
 * takes it. Past KM_LIFE_UNWATCHED_MAX objects at once, the oldest are
 * forgotten, and may count again.
 */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, KM_LIFE_UNWATCHED_MAX);
	__type(key, __u64);
	__type(value, __u8);
} unwatched_seen SEC(".maps");

/*
 * At most two events per slot are ever waiting (an ARM, then its
 * DISARM): a slot takes no object until user space has handled both,
 * and --replace waits for its ARM to be applied (slot_applied).
 */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 16);
} life_events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct km_life_counters);
} life_counters SEC(".maps");

static __always_inline void fill(struct km_life_event *e, __u32 kind,
				 __u32 slot, __u64 obj, __u64 addr)
{
	__u64 id = bpf_get_current_pid_tgid();

	e->time_ns = bpf_ktime_get_ns();
	e->object = obj;
	e->addr = addr;
	e->kind = kind;
	e->slot = slot;
	e->seq = slot_seq[slot & (KM_MAX_WATCHES - 1)];
	e->pid = id >> 32;
	e->tid = (__u32)id;
	e->cpu = bpf_get_smp_processor_id();
	e->replaced = 0;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
}

/* Arming waits on user space: wake it now, not at the next poll. */
static __always_inline void submit(struct km_life_event *e)
{
	bpf_ringbuf_submit(e, BPF_RB_FORCE_WAKEUP);
}

static __always_inline int send(__u32 kind, __u32 slot, __u64 obj, __u64 addr)
{
	struct km_life_event *e;

	e = bpf_ringbuf_reserve(&life_events, sizeof(*e), 0);
	if (!e)
		return -1;
	fill(e, kind, slot, obj, addr);
	submit(e);
	return 0;
}

/* Where the watched field of obj is: the member path, read here. */
static __always_inline bool field_addr(__u64 obj, __u64 *addr)
{
	__u64 base = obj, p;
	int i;

	for (i = 0; i < KM_LIFE_MAX_DEREFS; i++) {
		if (i >= nr_derefs)
			break;
		p = 0;
		if (bpf_probe_read_kernel(&p, sizeof(p),
					  (void *)(base + deref_off[i])) ||
		    !p)
			return false;
		base = p;
	}
	*addr = base + field_off;
	return true;
}

static __always_inline bool watched(__u64 obj)
{
	int i;

	for (i = 0; i < KM_MAX_WATCHES; i++)
		if (i < nr_slots && slot_word[i] == obj)
			return true;
	return false;
}

/*
 * --replace: the slot of the oldest arming still watched moves to obj.
 * The event is reserved before the swap: events are read in the order
 * they were reserved, and an --off of obj on another CPU can see obj in
 * the slot only after the swap, so its DISARM comes after this ARM.
 * Returns the slot, or -1 (nothing to replace, a race lost, or the ring
 * buffer full: *full says which).
 */
static __always_inline int replace_oldest(__u64 obj, __u64 addr, bool *full)
{
	struct km_life_event *e;
	__u32 best = 0, seq;
	__u64 old = 0, w;
	int i, slot = -1;

	for (i = 0; i < KM_MAX_WATCHES; i++) {
		if (i >= nr_slots)
			break;
		w = slot_word[i];
		seq = slot_seq[i];
		if (!w || (w & KM_SLOT_GONE) || !slot_applied[i] ||
		    (slot >= 0 && seq >= best))
			continue;
		slot = i;
		best = seq;
		old = w;
	}
	if (slot < 0)
		return -1;
	/*
	 * The compiler knows slot < KM_MAX_WATCHES and would drop this
	 * mask; the verifier does not know it, and needs the mask.
	 */
	barrier_var(slot);
	slot &= KM_MAX_WATCHES - 1;
	if (__sync_val_compare_and_swap(&slot_applied[slot], 1, 0) != 1)
		return -1;
	e = bpf_ringbuf_reserve(&life_events, sizeof(*e), 0);
	if (!e) {
		slot_applied[slot] = 1;
		*full = true;
		return -1;
	}
	if (__sync_val_compare_and_swap(&slot_word[slot], old, obj) != old) {
		/* Freed or replaced meanwhile: no longer this slot's turn. */
		bpf_ringbuf_discard(e, 0);
		return -1;
	}
	slot_seq[slot] = __sync_fetch_and_add(&arm_seq, 1) + 1;
	fill(e, KM_LIFE_ARM, slot, obj, addr);
	e->replaced = old;
	submit(e);
	return slot;
}

static __always_inline int arm(__u64 obj)
{
	struct km_life_counters *cnt;
	__u32 zero = 0, cpu = bpf_get_smp_processor_id();
	__u64 id = bpf_get_current_pid_tgid(), addr;
	char comm[KM_COMM_LEN] __attribute__((aligned(8)));
	int i, slot = -1;

	cnt = bpf_map_lookup_elem(&life_counters, &zero);
	if (!cnt || !obj)
		return 0;
	/* Bit 0 is the slot word's GONE: a struct pointer never has it. */
	if (obj & KM_SLOT_GONE) {
		cnt->misaligned++;
		return 0;
	}
	get_comm(comm);
	if (id >> 32 == self_pid || !task_passes(id, cpu) ||
	    !comm_passes(comm)) {
		cnt->filtered++;
		return 0;
	}
	if (watched(obj)) {
		cnt->again++;
		return 0;
	}
	if (!field_addr(obj, &addr)) {
		cnt->unreadable++;
		return 0;
	}
	if (!km_watch_fits(addr, watch_len)) {
		cnt->misaligned++;
		return 0;
	}
	for (i = 0; i < KM_MAX_WATCHES; i++) {
		if (i < nr_slots &&
		    !__sync_val_compare_and_swap(&slot_word[i], 0, obj)) {
			slot = i;
			break;
		}
	}
	if (slot < 0 && replace) {
		bool full = false;

		slot = replace_oldest(obj, addr, &full);
		if (slot >= 0) {
			bpf_map_delete_elem(&unwatched_seen, &obj);
			cnt->arms++;
			cnt->replaced++;
			return 0;
		}
		if (full) {
			cnt->dropped++;
			return 0;
		}
	}
	if (slot < 0) {
		__u8 one = 1;

		if (!bpf_map_update_elem(&unwatched_seen, &obj, &one,
					 BPF_NOEXIST))
			cnt->unwatched++;
		return 0;
	}
	bpf_map_delete_elem(&unwatched_seen, &obj);
	slot_seq[slot & (KM_MAX_WATCHES - 1)] =
		__sync_fetch_and_add(&arm_seq, 1) + 1;
	if (send(KM_LIFE_ARM, slot, obj, addr)) {
		slot_word[slot & (KM_MAX_WATCHES - 1)] = 0;
		cnt->dropped++;
		return 0;
	}
	cnt->arms++;
	return 0;
}

/* Not filtered by task: whoever frees the object, it is gone. */
static __always_inline int disarm(__u64 obj)
{
	struct km_life_counters *cnt;
	__u32 zero = 0;
	int i;

	cnt = bpf_map_lookup_elem(&life_counters, &zero);
	if (!cnt || !obj)
		return 0;
	for (i = 0; i < KM_MAX_WATCHES; i++) {
		if (i >= nr_slots ||
		    __sync_val_compare_and_swap(&slot_word[i], obj,
						obj | KM_SLOT_GONE) != obj)
			continue;
		if (send(KM_LIFE_DISARM, i, obj, 0))
			cnt->dropped++;
		else
			cnt->disarms++;
		return 0;
	}
	/* Freed: its memory may come back as a new object, to count anew. */
	bpf_map_delete_elem(&unwatched_seen, &obj);
	cnt->ignored++;
	return 0;
}

/* The attach targets are set by user space before load. */
SEC("fentry")
int on_entry(__u64 *ctx)
{
	__u64 obj = 0;

	if (bpf_get_func_arg(ctx, on_arg, &obj))
		return 0;
	return arm(obj);
}

SEC("fexit")
int on_exit(__u64 *ctx)
{
	__u64 obj = 0;

	if (bpf_get_func_ret(ctx, &obj))
		return 0;
	return arm(obj);
}

SEC("fentry")
int off_entry(__u64 *ctx)
{
	__u64 obj = 0;

	if (bpf_get_func_arg(ctx, off_arg, &obj))
		return 0;
	return disarm(obj);
}
