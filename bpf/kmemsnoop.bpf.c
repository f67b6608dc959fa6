// SPDX-License-Identifier: GPL-2.0
/*
 * Runs on every hit of a kmemsnoop hardware breakpoint and sends one
 * km_event to user space. The attach cookie carries the watchpoint's
 * index, so one program serves all watchpoints.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "kmemsnoop.h"

char LICENSE[] SEC("license") = "GPL";

/* Bytes to read at each watch address; 0 for execute breakpoints. */
const volatile __u32 value_len[KM_MAX_WATCHES];
const volatile bool want_stack = true;
/*
 * Wake the reader only once this much is waiting. A wakeup per hit
 * costs an interrupt and a context switch, more than the hit itself;
 * the reader also polls on a short timer, so nothing waits long.
 */
const volatile __u64 wakeup_bytes = 1 << 20;

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

static __always_inline void read_value(struct kmemsnoop_event *e, __u32 watch)
{
	/* The mask gives the verifier a bound it can see. */
	__u32 len = value_len[watch & (KM_MAX_WATCHES - 1)] & 0xf;

	if (!len || len > sizeof(e->value))
		return;
	e->value = 0;
	if (!bpf_probe_read_kernel(&e->value, len, (void *)e->addr))
		e->flags |= KM_EVENT_VALUE;
}

static __always_inline __u32 read_stack(struct bpf_perf_event_data *ctx,
					struct kmemsnoop_event *e)
{
	long n;

	if (!want_stack)
		return 0;
	/*
	 * The event asks for PERF_SAMPLE_CALLCHAIN, so this copies the
	 * callchain perf already took rather than unwinding again from
	 * the exception frame.
	 */
	n = bpf_get_stack(ctx, e->frames, sizeof(e->frames), 0);
	if (n < 0)
		return 0;
	return n / sizeof(__u64);
}

SEC("perf_event")
int on_hit(struct bpf_perf_event_data *ctx)
{
	struct kmemsnoop_counters *cnt;
	struct kmemsnoop_event *e;
	__u64 id, size, flags;
	__u32 zero = 0;

	cnt = bpf_map_lookup_elem(&counters, &zero);
	e = bpf_map_lookup_elem(&scratch, &zero);
	if (!cnt || !e)
		return 0;
	cnt->seen++;

	id = bpf_get_current_pid_tgid();
	e->time_ns = bpf_ktime_get_ns();
	e->ip = PT_REGS_IP(&ctx->regs);
	e->addr = ctx->addr;
	e->pid = id >> 32;
	e->tid = (__u32)id;
	e->cpu = bpf_get_smp_processor_id();
	e->watch = bpf_get_attach_cookie(ctx);
	e->flags = 0;
	e->value = 0;
	e->reserved = 0;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	read_value(e, e->watch);
	e->nr_frames = read_stack(ctx, e);

	size = KM_EVENT_HEAD_SIZE + (__u64)e->nr_frames * sizeof(__u64);
	if (size > sizeof(*e))
		size = sizeof(*e);
	flags = bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) >= wakeup_bytes ?
			BPF_RB_FORCE_WAKEUP :
			BPF_RB_NO_WAKEUP;
	if (bpf_ringbuf_output(&events, e, size, flags))
		cnt->dropped++;
	/* Nonzero would also write a perf sample nobody reads. */
	return 0;
}
