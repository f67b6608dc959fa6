/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The task filters (-p, --tid, --exclude-self, -C, --comm), shared by
 * the hit program (kmemsnoop.bpf.c) and the arming programs
 * (lifetime.bpf.c), so a filter means the same in both. The including
 * file declares `const volatile struct kmemsnoop_filter filter` first.
 */
#ifndef KM_TASK_FILTER_BPF_H
#define KM_TASK_FILTER_BPF_H

static __always_inline bool task_passes(__u64 id, __u32 cpu)
{
	__u32 pid = id >> 32, tid = (__u32)id;

	if (filter.pid && pid != filter.pid)
		return false;
	if (filter.tid && tid != filter.tid)
		return false;
	if (filter.exclude_pid && pid == filter.exclude_pid)
		return false;
	if (filter.has_cpus &&
	    !(filter.cpus[(cpu / 64) & (KM_MAX_CPUS / 64 - 1)] &
	      (1ull << (cpu % 64))))
		return false;
	return true;
}

static __always_inline bool comm_passes(const char *comm)
{
	int i;

	if (!filter.comm[0])
		return true;
	for (i = 0; i < KM_COMM_LEN; i++) {
		if (comm[i] != filter.comm[i])
			return false;
		if (!comm[i])
			break;
	}
	return true;
}

#endif
