/* SPDX-License-Identifier: GPL-2.0 */
/* Where report takes symbol names, file:line and inlined calls from. */
#ifndef KM_REPORT_SYMBOLS_H
#define KM_REPORT_SYMBOLS_H

#include <stdbool.h>
#include "../common/symbolize/symbolizer.h"
#include "../common/trace/trace_reader.h"

struct km_symbol_opts {
	const char *vmlinux; /* --vmlinux: DWARF, else its symbol table */
	const char *kallsyms; /* --kallsyms: a kallsyms file */
	bool force; /* use a vmlinux whose build-id is not the trace's */
	const char *modules; /* --modules: a tree with modules' debug files */
};

/*
 * The given vmlinux (placed where the recording kernel ran), else the
 * given kallsyms file, else the vmlinux found by the trace's build-id
 * (km_find_vmlinux_local, then debuginfod), else the trace's own
 * kallsyms snapshot. A vmlinux whose build-id differs from the trace's
 * is refused unless o->force. Frames inside a module come from the
 * module's debug file when one is found (common/symbolize/modules.h). Returns 0,
 * or a negative errno after explaining; a trace without a snapshot
 * gives a symbolizer that knows no names, and a warning.
 */
int km_report_symbols(struct km_symbolizer **out, const struct km_trace_data *t,
		      const struct km_symbol_opts *o);

/* The same without --force. */
int km_report_symbolizer(struct km_symbolizer **out,
			 const struct km_trace_data *t,
			 const char *kallsyms_path, const char *vmlinux);

#endif
