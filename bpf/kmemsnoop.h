/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one event layout shared by the BPF program and user space.
 * Both sides include this file; nothing else defines a hit.
 */
#ifndef KMEMSNOOP_EVENT_H
#define KMEMSNOOP_EVENT_H

#ifndef __bpf__
#include <linux/types.h> /* the BPF side has them from vmlinux.h */
#endif

/* x86 has four debug address registers; no architecture we run on has more. */
#define KM_MAX_WATCHES 4
/* The kernel's default perf_event_max_stack. */
#define KM_MAX_FRAMES 127
#define KM_COMM_LEN 16

/* km_event.flags */
#define KM_EVENT_VALUE (1u << 0) /* value holds what the address held */

struct kmemsnoop_event {
	__u64 time_ns; /* CLOCK_MONOTONIC */
	__u64 ip; /* instruction pointer at the hit */
	__u64 addr; /* the watched address */
	__u64 value; /* bytes at addr right after the access, zero-extended */
	__u32 pid; /* thread group id */
	__u32 tid;
	__u32 cpu;
	__u16 watch; /* index of the watchpoint, in command-line order */
	__u16 flags;
	__u32 nr_frames; /* valid entries in frames[] */
	__u32 reserved;
	char comm[KM_COMM_LEN];
	__u64 frames[KM_MAX_FRAMES]; /* kernel stack, innermost first */
};

/* Only the used part of frames[] crosses the ring buffer. */
#define KM_EVENT_HEAD_SIZE \
	((unsigned long)&((struct kmemsnoop_event *)0)->frames)

/* Per-CPU counters; user space sums them over CPUs. */
struct kmemsnoop_counters {
	__u64 seen; /* every time the program ran */
	__u64 dropped; /* the ring buffer was full */
};

#endif
