/* SPDX-License-Identifier: GPL-2.0 */
/* Module frames symbolized from the modules' own debug files. */
#ifndef KM_REPORT_MODULES_H
#define KM_REPORT_MODULES_H

#include "symbolizer.h"
#include "../trace/trace_reader.h"

/*
 * Puts a symbolizer in front of *s (the kernel's: vmlinux DWARF, a
 * symbol table, the kallsyms snapshot) that sends each address inside
 * a module the trace recorded (MODULE_INFO) to that module's debug
 * file, found (common/symbolize/module_find.h, dir is --modules or NULL) and
 * loaded the first time one of its addresses comes up. Addresses
 * elsewhere, and those of modules without a debug file, stay with *s.
 * A trace without MODULE_INFO leaves *s as it is. debuginfod: whether
 * a module's file may be downloaded (not while hits wait to be shown).
 * Returns 0, or a negative errno after explaining, *s then unchanged.
 */
int km_modules_symbolizer(struct km_symbolizer **s, const struct km_trace *t,
			  const char *dir, bool debuginfod);

#endif
