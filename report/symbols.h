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
	bool no_debuginfod; /* --no-debuginfod: ask no debuginfod server */
};

/*
 * The given vmlinux (placed where the recording kernel ran), else the
 * given kallsyms file, else the vmlinux found by the trace's build-id
 * (km_find_vmlinux_local, then debuginfod), else the trace's own
 * kallsyms snapshot. A vmlinux whose build-id differs from the trace's
 * is refused unless o->force; a trace without a build-id gets no
 * vmlinux but the one given. Frames inside a module come from the
 * module's debug file, looked for when a frame first falls in the
 * module (common/symbolize/modules.h). The trace's release names
 * directories only if km_path_name_ok (else one warning). debuginfod
 * is asked within the run's limit (KM_DEBUGINFOD_MAX, vmlinux.h), not
 * at all with o->no_debuginfod; destroying the symbolizer prints what
 * it fetched, in one line. Returns 0, or a negative errno after
 * explaining; a trace without a snapshot gives a symbolizer that
 * knows no names, and a warning.
 */
int km_report_symbols(struct km_symbolizer **out, const struct km_trace_data *t,
		      const struct km_symbol_opts *o);

/* The same without --force. */
int km_report_symbolizer(struct km_symbolizer **out,
			 const struct km_trace_data *t,
			 const char *kallsyms_path, const char *vmlinux);

#endif
