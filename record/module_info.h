/* SPDX-License-Identifier: GPL-2.0 */
/* Where each loaded module ran, for report to place its debug file. */
#ifndef KM_MODULE_INFO_H
#define KM_MODULE_INFO_H

#include "trace_writer.h"

/*
 * Writes one MODULE_INFO chunk per module listed in modules (the text
 * of /proc/modules): its name, core address and size, build-id and
 * section addresses from /sys/module/NAME. What sysfs does not show is
 * left out; only a failed write is an error.
 */
int km_write_module_info(struct km_trace_writer *w, const char *modules);

#endif
