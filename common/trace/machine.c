// SPDX-License-Identifier: GPL-2.0
#include <elf.h>
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include "../../bpf/kmemsnoop.h"
#include "../error.h"
#include "../symbolize/vmlinux.h"
#include "machine.h"

#ifndef EM_AARCH64
#define EM_AARCH64 183
#endif

/* x86-64 struct pt_regs, which is what the perf_event context holds. */
static const char *const x86_64_names[] = {
	"r15", "r14",	  "r13", "r12", "bp",	 "bx", "r11",
	"r10", "r9",	  "r8",	 "ax",	"cx",	 "dx", "si",
	"di",  "orig_ax", "ip",	 "cs",	"flags", "sp", "ss",
};

/* arm64 struct user_pt_regs: regs[31], sp, pc, pstate. */
static const char *const aarch64_names[] = {
	"x0",  "x1",  "x2",  "x3",  "x4",  "x5",  "x6",	    "x7",  "x8",
	"x9",  "x10", "x11", "x12", "x13", "x14", "x15",    "x16", "x17",
	"x18", "x19", "x20", "x21", "x22", "x23", "x24",    "x25", "x26",
	"x27", "x28", "x29", "x30", "sp",  "pc",  "pstate",
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct km_regset regsets[] = {
	{ "x86_64", N(x86_64_names), x86_64_names },
	{ "aarch64", N(aarch64_names), aarch64_names },
};

_Static_assert(N(x86_64_names) <= KM_REGSET_MAX &&
		       N(aarch64_names) <= KM_REGSET_MAX,
	       "KM_REGSET_MAX bounds every register set");

/* The entry this binary records: KM_NR_REGS is its count. */
#if defined(__x86_64__)
#define NATIVE 0
#define NATIVE_NAMES x86_64_names
#elif defined(__aarch64__)
#define NATIVE 1
#define NATIVE_NAMES aarch64_names
#else
#error "kmemsnoop records on x86-64 and arm64 only"
#endif
_Static_assert(N(NATIVE_NAMES) == KM_NR_REGS,
	       "KM_NR_REGS is the native register set's count");

const struct km_regset *km_regset_for(const char *machine)
{
	size_t i;

	for (i = 0; machine && i < N(regsets); i++)
		if (!strcmp(machine, regsets[i].machine))
			return &regsets[i];
	return NULL;
}

const struct km_regset *km_regset_native(void)
{
	return &regsets[NATIVE];
}

const struct km_regset *km_regset_of_trace(const char *machine,
					   uint64_t nr_regs)
{
	const struct km_regset *r = km_regset_for(machine);

	return r && r->nr == nr_regs ? r : NULL;
}

/*
 * x86-64: __START_KERNEL_map + 16 MiB (CONFIG_PHYSICAL_START), and
 * MODULES_VADDR, just above the 1 GiB of KERNEL_IMAGE_SIZE.
 *
 * arm64, 48-bit VA (Debian's and most distributions' kernels; a 52-bit
 * VA kernel keeps VA_BITS_MIN 48 for these): the module area starts at
 * MODULES_VADDR = _PAGE_END(VA_BITS_MIN) = 0xffff800000000000, and the
 * image at KIMAGE_VADDR = MODULES_END. In 6.1 that is 128 MiB higher,
 * 0xffff800008000000, the _text of Debian 12's 6.1 arm64 System.map
 * (linux-image-*-cloud-arm64-dbg); from 6.5 on the module area is
 * 2 GiB and _text 0xffff800080000000. Either way nothing but modules
 * lies between module_base and the image, and export -v VMLINUX gives
 * a kernel's own _text. (With RANDOMIZE_MODULE_REGION_FULL, 6.1 puts
 * modules anywhere in a 2 GiB window over the image; export only needs
 * a place no real kernel address is, and km_rebase_place steps over
 * the image.)
 */
static const struct km_kernel_layout layouts[] = {
	{ "x86_64", 0xffffffff81000000ull, 0xffffffffc0000000ull,
	  "the x86_64 default" },
	{ "aarch64", 0xffff800008000000ull, 0xffff800000000000ull,
	  "the aarch64 default of 6.1 to 6.4" },
};

const struct km_kernel_layout *km_kernel_layout_for(const char *machine)
{
	size_t i;

	for (i = 0; machine && i < N(layouts); i++)
		if (!strcmp(machine, layouts[i].machine))
			return &layouts[i];
	return NULL;
}

const char *km_machine_of_elf(unsigned int e_machine)
{
	switch (e_machine) {
	case EM_X86_64:
		return "x86_64";
	case EM_AARCH64:
		return "aarch64";
	}
	return NULL;
}

int km_machine_check_elf(const char *machine, const char *trace_path,
			 const char *vmlinux)
{
	int em = km_elf_machine(vmlinux);
	const char *its;

	if (em < 0)
		return 0;
	its = km_machine_of_elf(em);
	if (!machine || !km_regset_for(machine) || !its ||
	    !strcmp(its, machine))
		return 0;
	km_err("%s is an %s kernel, but %s was recorded on %s: give the %s vmlinux it ran",
	       vmlinux, its, trace_path, machine, machine);
	return -EINVAL;
}
