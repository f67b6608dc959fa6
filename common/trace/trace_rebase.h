/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Moving a trace's kernel addresses off the machine that recorded it,
 * for `kmemsnoop export`. The kernel image is moved by its KASLR slide
 * (the snapshot's _text against the nominal one), each module that a
 * kept address falls in to a fake base of its own (packed upwards from
 * the machine's module area, machine.h's km_kernel_layout, stepping
 * over the moved kernel image), and whatever lies in neither becomes
 * KM_REBASE_UNKNOWN. The kallsyms snapshot is cut down to the symbols
 * the kept addresses resolve to, each with the next symbol up to bound
 * its size, and _text; MODULE_INFO to the modules they fall in.
 *
 * Use: km_rebase_init, km_rebase_need for every address the export
 * keeps, km_rebase_place, then km_rebase_addr, km_rebase_kallsyms and
 * km_rebase_modules. The trace data passed to init must outlive rb.
 */
#ifndef KM_TRACE_REBASE_H
#define KM_TRACE_REBASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "../bytes.h"
#include "../kmodule.h"
#include "trace_data.h"

/* What an address in no known region becomes: below every symbol. */
#define KM_REBASE_UNKNOWN 0x1ull

struct km_rb_sym; /* one kallsyms line */
struct km_rb_region; /* one module, or one [tag] of kallsyms */

struct km_rebase {
	const struct km_trace_data *d;
	struct km_rb_sym *syms; /* in the snapshot's line order */
	size_t nr_syms;
	size_t *order; /* indices into syms, by address */
	struct km_rb_region *regions;
	size_t nr_regions, regions_cap;
	size_t *cores; /* regions with a core range, by core address */
	size_t nr_cores;
	bool has_text;
	uint64_t text, nominal, kend; /* kernel image: [text, kend) */
	uint64_t module_base; /* where the first fake module goes */
};

/*
 * Parses d's kallsyms snapshot and modules; nominal is where _text is
 * to go, module_base where the first module goes (0: just above the
 * kernel image). Returns 0 or -ENOMEM (explained). Without _text in the
 * snapshot no kernel address is known, so every one becomes
 * KM_REBASE_UNKNOWN.
 */
int km_rebase_init(struct km_rebase *rb, const struct km_trace_data *d,
		   uint64_t nominal, uint64_t module_base);
/* Keeps what addr needs: its symbol, the next one, its module. */
void km_rebase_need(struct km_rebase *rb, uint64_t addr);
/*
 * Gives each module that was needed its fake base. Returns 0, or
 * -ERANGE (explained) when they do not fit below 2^64.
 */
int km_rebase_place(struct km_rebase *rb);
/* Where addr goes in the export; KM_REBASE_UNKNOWN if nowhere known. */
uint64_t km_rebase_addr(const struct km_rebase *rb, uint64_t addr);
/* Whether addr is in the kernel image or a module the snapshot knows. */
bool km_rebase_known(const struct km_rebase *rb, uint64_t addr);
/* The cut-down, rebased kallsyms text, appended to out. -ENOMEM. */
int km_rebase_kallsyms(const struct km_rebase *rb, struct km_buf *out);
/*
 * The needed modules' MODULE_INFO, rebased, as a new list for
 * km_module_list_free. Returns 0 or -ENOMEM.
 */
int km_rebase_modules(const struct km_rebase *rb, struct km_module_info **out,
		      size_t *nr);
void km_rebase_free(struct km_rebase *rb);

#endif
