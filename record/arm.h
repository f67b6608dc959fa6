/* SPDX-License-Identifier: GPL-2.0 */
/* Hardware breakpoints: one perf event per watchpoint per online CPU. */
#ifndef KM_ARM_H
#define KM_ARM_H

#include <stdbool.h>
#include <bpf/libbpf.h>
#include "../common/target.h"

struct km_armed {
	struct bpf_link **links; /* each owns its perf event fd */
	size_t nr;
};

/*
 * Opens every event disabled, attaches prog with the watch index as
 * the cookie, then enables them all. On failure explains it in one
 * line, closes what it opened and returns a negative errno.
 */
int km_arm(struct bpf_program *prog, const struct km_watch *w, int nr_watches,
	   bool stacks, struct km_armed *a);
/* Closes every event; the debug registers are free again afterwards. */
void km_disarm(struct km_armed *a);

/* Online CPU numbers from sysfs into cpus[]; returns the count or -errno. */
int km_online_cpus(int *cpus, int max);

#endif
