/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a trace's machine (META MACHINE, `uname -m`) decides when the
 * trace is read on another one: how many registers a hit holds and
 * their names, where that machine's kernel is linked and where an
 * export may put modules. One table, keyed by the uname machine; the
 * native entry is the one this binary records (KM_NR_REGS registers,
 * bpf/kmemsnoop.h).
 *
 * Contract:
 * - km_regset_for(machine) is NULL for a machine not in the table (or
 *   NULL): a reader then keeps no registers, whatever NR_REGS says.
 * - A regset's names are in the order the BPF program copies the
 *   perf_event context (bpf_user_pt_regs_t), which is the order of a
 *   hit's registers in the trace: names[i] names regs[i], for i below
 *   nr, and nr never exceeds KM_REGSET_MAX.
 * - km_regset_native() is never NULL and its nr is KM_NR_REGS.
 * - A trace's registers are trusted only when its machine's regset has
 *   exactly the trace's NR_REGS (km_regset_of_trace).
 */
#ifndef KM_MACHINE_H
#define KM_MACHINE_H

#include <stdint.h>

/* The most registers any known machine has: no trace is read with more. */
#define KM_REGSET_MAX 64

struct km_regset {
	const char *machine; /* uname -m: "x86_64", "aarch64" */
	unsigned int nr;
	const char *const *names; /* nr of them */
};

/* The registers of machine, or NULL if it is not known. */
const struct km_regset *km_regset_for(const char *machine);
/* The registers this binary records (its own machine's). */
const struct km_regset *km_regset_native(void);
/*
 * The registers a trace recorded on machine with nr_regs per hit can be
 * read with: its machine's, if their count is nr_regs; else NULL.
 */
const struct km_regset *km_regset_of_trace(const char *machine,
					   uint64_t nr_regs);

/* Where a machine's kernel lives, for moving a trace's addresses. */
struct km_kernel_layout {
	const char *machine;
	uint64_t link_text; /* _text of its vmlinux as linked (no KASLR) */
	uint64_t module_base; /* the lowest address of its module area */
	const char *source; /* where link_text comes from, for messages */
};

/* The layout of machine's kernel, or NULL if not known. */
const struct km_kernel_layout *km_kernel_layout_for(const char *machine);

/* The uname machine of an ELF e_machine (EM_*), or NULL if not known. */
const char *km_machine_of_elf(unsigned int e_machine);
/*
 * Whether the ELF file vmlinux can be the kernel of a trace (at
 * trace_path) recorded on machine: 0 if so, or if either machine is
 * unknown, or if the file cannot be read as ELF (the build-id check
 * after this says why); -EINVAL, explained in one line, if it is
 * another machine's kernel.
 */
int km_machine_check_elf(const char *machine, const char *trace_path,
			 const char *vmlinux);

#endif
