/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Whether the kernel steps over a watched access while a BPF program is
 * attached to the breakpoint. arm64 takes a watchpoint before the
 * access and must step over the instruction; kernels whose arm64
 * breakpoint code did not yet know a BPF overflow handler (fixed
 * upstream in 6.6, and in some stable kernels since) skip the step, and
 * the CPU takes the same exception forever. On a kernel address that
 * hangs the machine; so this is asked of a child process's store
 * instead, where such a kernel only traps the child, which is killed.
 */
#ifndef KM_STEP_PROBE_H
#define KM_STEP_PROBE_H

#include <stdint.h>

struct kmemsnoop_bpf;

/*
 * A fork()ed child stores once to a word a write watchpoint (on that
 * child only) with the loaded skel's probe_hit attached watches; it
 * counts its runs into probe_hits. Returns 0 when the child's store took at most a few hits, 1
 * when it took more (the child is killed once it has), or a negative
 * errno when the probe could not run or the child did not end within
 * seconds with few hits (nothing said). *seen is the count either way.
 */
int km_step_probe(struct kmemsnoop_bpf *skel, uint64_t *seen);

/* What km_step_probe's 1 means, for an error line or check's detail. */
#define KM_STEP_HAZARD \
	"this kernel does not step over a watched access while a BPF program is attached to the breakpoint (arm64 kernels before 6.6 without its fix): the CPU would take the same exception forever"

#endif
