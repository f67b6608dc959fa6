/* SPDX-License-Identifier: GPL-2.0 */
/* Where report takes symbol names from. */
#ifndef KM_REPORT_SYMBOLS_H
#define KM_REPORT_SYMBOLS_H

#include "../common/symbolizer.h"
#include "trace_reader.h"

/*
 * A vmlinux (placed where the recording kernel ran), else a kallsyms
 * file, else the trace's own snapshot. Returns 0, or a negative errno
 * after explaining; a trace without a snapshot gives a symbolizer that
 * knows no names, and a warning.
 */
int km_report_symbolizer(struct km_symbolizer **out, const struct km_trace *t,
			 const char *kallsyms_path, const char *vmlinux);

#endif
