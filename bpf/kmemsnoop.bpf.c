// SPDX-License-Identifier: GPL-2.0
/*
 * Runs on every hit of a kmemsnoop hardware breakpoint: filters it,
 * and sends the kept ones to user space as one kmemsnoop_event. The
 * attach cookie carries the watchpoint's index, so one program serves
 * all watchpoints.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "kmemsnoop.h"

char LICENSE[] SEC("license") = "GPL";

/*
 * Set by user space after load, before arming: loading need not wait
 * for the addresses to be resolved. Bytes to read at each watch
 * address; 0 for execute breakpoints.
 */
__u64 watch_addr[KM_MAX_WATCHES];
__u32 value_len[KM_MAX_WATCHES];

/* Set by user space before load. */
const volatile bool want_stack = true;
const volatile bool want_regs = false;
const volatile struct kmemsnoop_filter filter;
/*
 * --on/--off: hits on a watch that holds no object yet (its breakpoint
 * still at the placeholder it was opened at) are filtered out.
 */
const volatile bool gated = false;
/*
 * Wake the reader only once this much is waiting. A wakeup per hit
 * costs an interrupt and a context switch, more than the hit itself;
 * the reader also polls on a short timer, so nothing waits long.
 */
const volatile __u64 wakeup_bytes = 1 << 20;

/*
 * The value each watch held at its last hit (or at arming). Hits on
 * several CPUs at once race here: "old" is the last value this
 * program saw, which is what the documentation promises.
 */
__u64 last_value[KM_MAX_WATCHES];
__u32 last_valid[KM_MAX_WATCHES];
/*
 * Runs of on_hit on each watch, filtered ones included, for the value
 * after a hit where hits read the value before (value_after.h): a hit
 * is the next access after another only when its number follows.
 * Not atomic: hits on two CPUs at once may share a number, and then
 * neither follows, which gives no "after" rather than a wrong one.
 */
__u32 hit_seq[KM_MAX_WATCHES];
/*
 * The thread reading the watched values (prime_values) while armed:
 * its own read is no hit. bpf_get_current_pid_tgid() form; 0 for none.
 */
__u64 reader_id;
/* With gated: which watches hold an object; set by user space. */
__u32 watch_live[KM_MAX_WATCHES];
/* Hits sent so far, for -c; shared by all CPUs. */
__u64 kept_total;

#include "task_filter.bpf.h"

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 24); /* resized by user space before load */
} events SEC(".maps");

/* An event is built here, then copied out at its used length. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct kmemsnoop_event);
} scratch SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct kmemsnoop_counters);
} counters SEC(".maps");

/* Reads len (1..8) bytes at addr into *v, zero-extended. */
static __always_inline int read_len(__u64 *v, __u32 len, __u64 addr)
{
	*v = 0;
	/* The mask gives the verifier a bound it can see. */
	len &= 0xf;
	if (!len || len > sizeof(*v))
		return -1;
	return bpf_probe_read_kernel(v, len, (void *)addr);
}

static __always_inline bool value_passes(const struct kmemsnoop_event *e)
{
	__u64 v = e->value, n = filter.value_arg;

	switch (filter.value_op) {
	case KM_OP_NONE:
		return true;
	case KM_OP_EQ:
		return v == n;
	case KM_OP_NE:
		return v != n;
	case KM_OP_LT:
		return v < n;
	case KM_OP_GT:
		return v > n;
	case KM_OP_LE:
		return v <= n;
	case KM_OP_GE:
		return v >= n;
	case KM_OP_AND:
		return v & n;
	}
	return false;
}

/* The value now and the one before; "before" moves on even if filtered. */
static __always_inline void read_values(struct kmemsnoop_event *e, __u32 w)
{
	w &= KM_MAX_WATCHES - 1;
	if (!value_len[w] || read_len(&e->value, value_len[w], e->addr))
		return;
	e->flags |= KM_EVENT_VALUE;
	if (last_valid[w]) {
		e->old_value = last_value[w];
		e->flags |= KM_EVENT_OLD;
	}
	last_value[w] = e->value;
	last_valid[w] = 1;
}

/* Registers, then the stack, into the payload; returns payload bytes. */
static __always_inline __u64 fill_payload(struct bpf_perf_event_data *ctx,
					  struct kmemsnoop_event *e)
{
	__u64 *regs = (__u64 *)&ctx->regs;
	__u64 *frames = e->payload;
	long n = 0;
	int i;

	if (want_regs) {
#pragma unroll
		for (i = 0; i < KM_NR_REGS; i++)
			e->payload[i] = regs[i];
		e->flags |= KM_EVENT_REGS;
		frames = &e->payload[KM_NR_REGS];
	}
	/*
	 * The event asks for PERF_SAMPLE_CALLCHAIN, so this copies the
	 * callchain perf already took rather than unwinding again from
	 * the exception frame.
	 */
	if (want_stack)
		n = bpf_get_stack(ctx, frames, KM_MAX_FRAMES * sizeof(__u64),
				  0);
	e->nr_frames = n > 0 ? n / sizeof(__u64) : 0;
	return (want_regs ? KM_NR_REGS * sizeof(__u64) : 0) +
	       e->nr_frames * sizeof(__u64);
}

static __always_inline long send(struct kmemsnoop_event *e, __u64 size)
{
	__u64 flags;

	if (size > sizeof(*e))
		size = sizeof(*e);
	flags = bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) >= wakeup_bytes ?
			BPF_RB_FORCE_WAKEUP :
			BPF_RB_NO_WAKEUP;
	return bpf_ringbuf_output(&events, e, size, flags);
}

/* -c: claim one of the max_kept places; false once they are gone. */
static __always_inline bool claim_place(void)
{
	if (!filter.max_kept)
		return true;
	if (__sync_fetch_and_add(&kept_total, 1) < filter.max_kept)
		return true;
	__sync_fetch_and_add(&kept_total, -1);
	return false;
}

SEC("perf_event")
int on_hit(struct bpf_perf_event_data *ctx)
{
	struct kmemsnoop_counters *cnt;
	struct kmemsnoop_event *e;
	__u32 zero = 0, cpu;
	__u64 id, size;

	id = bpf_get_current_pid_tgid();
	if (reader_id && id == reader_id)
		return 0;
	cnt = bpf_map_lookup_elem(&counters, &zero);
	e = bpf_map_lookup_elem(&scratch, &zero);
	if (!cnt || !e)
		return 0;
	cnt->seen++;

	/* Cheap filters first: a filtered hit costs almost nothing. */
	cpu = bpf_get_smp_processor_id();
	e->watch = bpf_get_attach_cookie(ctx);
	e->seq = ++hit_seq[e->watch & (KM_MAX_WATCHES - 1)];
	if (gated && !watch_live[e->watch & (KM_MAX_WATCHES - 1)])
		goto filtered;
	e->addr = watch_addr[e->watch & (KM_MAX_WATCHES - 1)];
	e->flags = 0;
	e->old_value = 0;
	read_values(e, e->watch);
	if (!task_passes(id, cpu))
		goto filtered;
	get_comm(e->comm);
	if (!comm_passes(e->comm) || !value_passes(e) || !claim_place())
		goto filtered;

	e->time_ns = bpf_ktime_get_ns();
	e->ip = PT_REGS_IP(&ctx->regs);
	e->pid = id >> 32;
	e->tid = (__u32)id;
	e->cpu = cpu;
	size = KM_EVENT_HEAD_SIZE + fill_payload(ctx, e);
	if (send(e, size)) {
		if (filter.max_kept)
			__sync_fetch_and_add(&kept_total, -1);
		cnt->dropped++;
	}
	/* Nonzero would also write a perf sample nobody reads. */
	return 0;
filtered:
	cnt->filtered++;
	return 0;
}

/*
 * Counts the hits of step_probe.c's watch on a child's store, which
 * tells whether the kernel steps over a watched access with a BPF
 * program attached (arm64 must, and some kernels do not).
 */
__u64 probe_hits;

SEC("perf_event")
int probe_hit(struct bpf_perf_event_data *ctx)
{
	__sync_fetch_and_add(&probe_hits, 1);
	return 0;
}

/*
 * Run once through BPF_PROG_TEST_RUN before arming: records what each
 * watched address holds, so the first hit has an "old" value too.
 */
SEC("syscall")
int prime_values(void *ctx)
{
	int i;

	for (i = 0; i < KM_MAX_WATCHES; i++) {
		if (!value_len[i] ||
		    read_len(&last_value[i], value_len[i], watch_addr[i]))
			continue;
		last_valid[i] = 1;
	}
	return 0;
}
