// SPDX-License-Identifier: GPL-2.0
/*
 * The arming side of --on/--off: fentry (or fexit, for $retval)
 * programs that user space attaches at run time to the functions the
 * user names. on_entry/on_exit take the object a call is given (or
 * returns) into a free watch slot and tell user space where its field
 * is; off_entry lets the slot go when the object is freed. User space
 * moves the breakpoints (record/capture/lifetime.c).
 *
 * A slot's life: free (slot_obj 0) -> taken here by compare-and-swap,
 * first come first served -> gone (slot_gone 1, set here by --off) ->
 * free again, set by user space only once the breakpoints are off, so
 * a slot never takes a new object while its breakpoint may still sit
 * on the freed one.
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

/* Slot state, shared with user space through the mmap'ed .bss. */
__u64 slot_obj[KM_MAX_WATCHES];
__u32 slot_gone[KM_MAX_WATCHES];
__u32 slot_seq[KM_MAX_WATCHES];
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
 * DISARM): a slot takes no object until user space has handled both.
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

static __always_inline int send(__u32 kind, __u32 slot, __u64 obj, __u64 addr)
{
	struct km_life_event *e;
	__u64 id = bpf_get_current_pid_tgid();

	e = bpf_ringbuf_reserve(&life_events, sizeof(*e), 0);
	if (!e)
		return -1;
	e->time_ns = bpf_ktime_get_ns();
	e->object = obj;
	e->addr = addr;
	e->kind = kind;
	e->slot = slot;
	e->seq = slot_seq[slot & (KM_MAX_WATCHES - 1)];
	e->pid = id >> 32;
	e->tid = (__u32)id;
	e->cpu = bpf_get_smp_processor_id();
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	/* Arming waits on user space: wake it now, not at the next poll. */
	bpf_ringbuf_submit(e, BPF_RB_FORCE_WAKEUP);
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
		if (i < nr_slots && slot_obj[i] == obj && !slot_gone[i])
			return true;
	return false;
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
	if (addr & (watch_len - 1)) {
		cnt->misaligned++;
		return 0;
	}
	for (i = 0; i < KM_MAX_WATCHES; i++) {
		if (i < nr_slots &&
		    !__sync_val_compare_and_swap(&slot_obj[i], 0, obj)) {
			slot = i;
			break;
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
		slot_obj[slot & (KM_MAX_WATCHES - 1)] = 0;
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
		if (i >= nr_slots || slot_obj[i] != obj ||
		    __sync_val_compare_and_swap(&slot_gone[i], 0, 1))
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
