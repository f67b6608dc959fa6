/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The layouts shared by the BPF program and user space: the event a
 * hit sends, the per-CPU counters, and the configuration user space
 * sets before load. Both sides include this file; nothing else
 * defines them.
 */
#ifndef KMEMSNOOP_EVENT_H
#define KMEMSNOOP_EVENT_H

#ifndef __bpf__
#include <linux/types.h> /* the BPF side has them from vmlinux.h */
#endif

/* x86 has four debug address registers; no architecture we run on has more. */
#define KM_MAX_WATCHES 4
/*
 * The architecture being built: __TARGET_ARCH_* on the BPF side (the
 * Makefile's -D), the compiler's own macro in user space.
 */
#if defined(__TARGET_ARCH_arm64) || (!defined(__bpf__) && defined(__aarch64__))
#define KM_ARCH_ARM64 1
#endif

/*
 * Whether a data watch of len bytes can start at addr. x86 debug
 * registers cover a naturally aligned 1, 2, 4 or 8 bytes. arm64 selects
 * bytes within an aligned doubleword (byte address select), so any
 * range that stays inside one doubleword is allowed.
 */
#ifdef KM_ARCH_ARM64
#define KM_WATCH_FIT_RULE \
	"arm64 watches bytes within one aligned 8-byte doubleword; use a shorter length"
#else
#define KM_WATCH_FIT_RULE \
	"x86 watches 1, 2, 4 or 8 bytes aligned to their length; align it or use a shorter length"
#endif
static inline int km_watch_fits(__u64 addr, __u32 len)
{
	/* 1, 2, 4 or 8 bytes only, as the parsers allow. */
	if (!len || len > 8 || (len & (len - 1)))
		return 0;
#ifdef KM_ARCH_ARM64
	return (addr & 7) + len <= 8;
#else
	return !(addr & (len - 1));
#endif
}

/* The kernel's default perf_event_max_stack. */
#define KM_MAX_FRAMES 127
#define KM_COMM_LEN 16
/* CPUs the --cpu filter can name. */
#define KM_MAX_CPUS 1024
/*
 * General registers in the perf_event context (bpf_user_pt_regs_t) of
 * the machine built for; an event's payload is sized by it. Their names
 * per machine are common/trace/machine.c's, which checks the count.
 */
#if defined(__TARGET_ARCH_arm64) || (!defined(__bpf__) && defined(__aarch64__))
#define KM_NR_REGS 34 /* struct user_pt_regs: x0-x30, sp, pc, pstate */
#elif defined(__TARGET_ARCH_x86) || (!defined(__bpf__) && defined(__x86_64__))
#define KM_NR_REGS 21 /* struct pt_regs */
#else
#error "kmemsnoop is built for x86-64 and arm64 only"
#endif

/* kmemsnoop_event.flags */
#define KM_EVENT_VALUE (1u << 0) /* value holds what addr holds now */
#define KM_EVENT_OLD (1u << 1) /* old_value holds what it held before */
#define KM_EVENT_REGS (1u << 2) /* payload starts with KM_NR_REGS registers */

struct kmemsnoop_event {
	__u64 time_ns; /* CLOCK_MONOTONIC */
	__u64 ip; /* instruction pointer at the hit */
	__u64 addr; /* the watched address */
	__u64 value; /* bytes at addr right after the access, zero-extended */
	__u64 old_value; /* the value the previous hit saw (or at arming) */
	__u32 pid; /* thread group id */
	__u32 tid;
	__u32 cpu;
	__u16 watch; /* index of the watchpoint, in command-line order */
	__u16 flags;
	__u32 nr_frames; /* kernel stack entries in payload */
	__u32 seq; /* runs of the program on this watch so far, this one included */
	char comm[KM_COMM_LEN];
	/* [registers if KM_EVENT_REGS] then nr_frames frames, innermost first */
	__u64 payload[KM_NR_REGS + KM_MAX_FRAMES];
};

/* Only the used part of payload[] crosses the ring buffer. */
#define KM_EVENT_HEAD_SIZE \
	((unsigned long)&((struct kmemsnoop_event *)0)->payload)

/* Per-CPU counters; user space sums them. Every run of the program is
 * exactly one of: sent, filtered, dropped (kmemsnoop's own reads of the
 * watched values, reader_id's, are not runs). */
struct kmemsnoop_counters {
	__u64 seen; /* every time the program ran */
	__u64 filtered; /* a filter, or the -c limit, said no */
	__u64 dropped; /* the ring buffer was full */
};

/* --if 'value OP N' */
enum km_value_op {
	KM_OP_NONE = 0,
	KM_OP_EQ,
	KM_OP_NE,
	KM_OP_LT,
	KM_OP_GT,
	KM_OP_LE,
	KM_OP_GE,
	KM_OP_AND, /* any bit of N set */
};

/*
 * Items -p, --tid and --comm may list, every repeat of the option
 * counted: the BPF program compares a hit with each, so each list is
 * short and fixed.
 */
#define KM_MAX_PIDS 16
#define KM_MAX_TIDS KM_MAX_PIDS /* one loop bound walks both */
#define KM_MAX_COMMS 8

/*
 * Which hits to keep; zero everywhere keeps them all. A hit passes when
 * its thread group is one of pids[] (if nr_pids), its thread one of
 * tids[] (if nr_tids) and its command name one of comms[] (if
 * nr_comms). comms[] are zero after their NUL: the program compares
 * them as two 8-byte words, which the u64 fields before keep aligned.
 */
struct kmemsnoop_filter {
	__u32 nr_pids;
	__u32 nr_tids;
	__u32 nr_comms;
	__u32 exclude_pid; /* a thread group to ignore (kmemsnoop), 0: none */
	__u32 value_op; /* enum km_value_op, on the value after the access */
	__u32 has_cpus; /* cpus[] is a bitmap of allowed CPUs */
	__u64 value_arg;
	__u64 max_kept; /* -c: keep at most this many, 0: no limit */
	__u32 pids[KM_MAX_PIDS]; /* thread groups */
	__u32 tids[KM_MAX_TIDS];
	char comms[KM_MAX_COMMS][KM_COMM_LEN];
	__u64 cpus[KM_MAX_CPUS / 64];
};

/*
 * Watching objects from birth to death (--on/--off, lifetime.bpf.c):
 * the arming programs send one km_life_event when a watch slot takes
 * an object (ARM) or its object is freed (DISARM); user space then
 * moves that slot's breakpoints.
 */
#define KM_LIFE_ARM 1
#define KM_LIFE_DISARM 2
/* Pointers read on the way from the object to the watched field. */
#define KM_LIFE_MAX_DEREFS 8
/* Objects not watched (every slot taken) remembered, to count each once. */
#define KM_LIFE_UNWATCHED_MAX 16384

struct km_life_event {
	__u64 time_ns; /* CLOCK_MONOTONIC, at the call */
	__u64 object; /* the pointer --on/--off's ARG held */
	__u64 addr; /* the watched field in it */
	__u32 kind; /* KM_LIFE_* */
	__u32 slot; /* the watch index */
	__u32 seq; /* the arming's number, from 1; a DISARM gives its ARM's */
	__u32 pid;
	__u32 tid;
	__u32 cpu;
	char comm[KM_COMM_LEN];
	/*
	 * --replace: the object the slot left for this one (ARM), 0 if
	 * none; user space knows its arming's number from the events.
	 */
	__u64 replaced;
};

/* Per-CPU counts of the arming programs' runs that armed nothing. */
struct km_life_counters {
	__u64 arms; /* objects a slot took */
	__u64 unwatched; /* objects that arrived with every slot taken (once each) */
	__u64 again; /* already watched: the same object once more */
	__u64 filtered; /* the task filters said no */
	__u64 unreadable; /* a pointer on the member path was NULL or unreadable */
	__u64 misaligned; /* the field is not aligned to the watch length */
	__u64 disarms;
	__u64 ignored; /* --off for an object no slot holds */
	__u64 dropped; /* the event ring buffer was full */
	__u64 replaced; /* --replace: armings that took a slot from an older one */
};

#endif
