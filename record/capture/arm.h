/* SPDX-License-Identifier: GPL-2.0 */
/* Hardware breakpoints: one perf event per watchpoint per online CPU. */
#ifndef KM_ARM_H
#define KM_ARM_H

#include <stdbool.h>
#include <linux/perf_event.h>
#include <bpf/libbpf.h>
#include "../../common/trace/target.h"

/* Debug address registers per CPU, where the architecture fixes it. */
#ifdef __x86_64__
#define KM_HW_SLOTS 4
#else
#define KM_HW_SLOTS 0 /* unknown */
#endif

struct km_armed {
	struct bpf_link **links; /* each owns its perf event fd */
	int *fds; /* links[i]'s perf event, for moving it (lifetime.c) */
	size_t nr; /* watch w on the c-th online CPU is at w * nr_cpus + c */
	int nr_cpus;
	bool stacks; /* as armed: a modified attr must match the rest */
};

/*
 * Opens every event disabled, attaches prog with the watch index as
 * the cookie, then enables them all. On failure explains it in one
 * line, closes what it opened and returns a negative errno.
 */
int km_arm(struct bpf_program *prog, const struct km_watch *w, int nr_watches,
	   bool stacks, struct km_armed *a);
/*
 * Opens one breakpoint event as km_arm() does (on cpu, every task,
 * disabled); returns its fd or a negative errno, and says nothing.
 * kmemsnoop check probes what the kernel accepts with it.
 */
int km_open_bp(const struct km_watch *w, int cpu, bool stacks);
/*
 * The attributes km_open_bp() opens a breakpoint with; the kernel
 * takes PERF_EVENT_IOC_MODIFY_ATTRIBUTES only with the very same ones
 * but for the address, type, length and disabled.
 */
void km_bp_attr(struct perf_event_attr *attr, const struct km_watch *w,
		bool stacks);
/* Closes every event; the debug registers are free again afterwards. */
void km_disarm(struct km_armed *a);

/* Online CPU numbers from sysfs into cpus[]; returns the count or -errno. */
int km_online_cpus(int *cpus, int max);

#endif
