/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The task filters (-p, --tid, --exclude-self, -C, --comm), shared by
 * the hit program (kmemsnoop.bpf.c) and the arming programs
 * (lifetime.bpf.c), so a filter means the same in both. The including
 * file declares `const volatile struct kmemsnoop_filter filter` first.
 *
 * The lists are walked by plain loops with constant bounds, which the
 * verifier takes since 5.3 (bounded loops; no bpf_loop()). filter is
 * read-only data, frozen before load, so the verifier knows each count:
 * it walks a loop as many times as the list has items, and not at all
 * for a list that is empty. A hit compares its ids with at most
 * KM_MAX_PIDS words each, its name with 2 * KM_MAX_COMMS.
 */
#ifndef KM_TASK_FILTER_BPF_H
#define KM_TASK_FILTER_BPF_H

_Static_assert(KM_COMM_LEN == 2 * sizeof(__u64),
	       "comm_passes() compares a name as two words");

/* Whether id is one of the first nr of ids[KM_MAX_PIDS]. */
static __always_inline bool id_listed(__u32 id, const volatile __u32 *ids,
				      __u32 nr)
{
	int i;

	for (i = 0; i < KM_MAX_PIDS; i++) {
		if (i >= nr)
			break;
		if (ids[i] == id)
			return true;
	}
	return false;
}

static __always_inline bool task_passes(__u64 id, __u32 cpu)
{
	__u32 pid = id >> 32, tid = (__u32)id, nr;

	nr = filter.nr_pids;
	if (nr && !id_listed(pid, filter.pids, nr))
		return false;
	nr = filter.nr_tids;
	if (nr && !id_listed(tid, filter.tids, nr))
		return false;
	if (filter.exclude_pid && pid == filter.exclude_pid)
		return false;
	if (filter.has_cpus &&
	    !(filter.cpus[(cpu / 64) & (KM_MAX_CPUS / 64 - 1)] &
	      (1ull << (cpu % 64))))
		return false;
	return true;
}

/*
 * The current task's command name into comm (8-byte aligned,
 * KM_COMM_LEN bytes), zero after its NUL: the helper of 6.1 copies
 * with strscpy, which leaves what follows the NUL as it was.
 */
static __always_inline void get_comm(char *comm)
{
	((__u64 *)comm)[0] = 0;
	((__u64 *)comm)[1] = 0;
	bpf_get_current_comm(comm, KM_COMM_LEN);
}

/* comm as get_comm() leaves it: two words against each listed name. */
static __always_inline bool comm_passes(const char *comm)
{
	const volatile __u64 *want;
	__u64 w0, w1;
	__u32 nr = filter.nr_comms;
	int i;

	if (!nr)
		return true;
	w0 = ((const __u64 *)comm)[0];
	w1 = ((const __u64 *)comm)[1];
	for (i = 0; i < KM_MAX_COMMS; i++) {
		if (i >= nr)
			break;
		want = (const volatile __u64 *)filter.comms[i];
		if (want[0] == w0 && want[1] == w1)
			return true;
	}
	return false;
}

#endif
