/* SPDX-License-Identifier: GPL-2.0 */
/* Where each loaded module ran, for report to place its debug file. */
#ifndef KM_MODULE_INFO_H
#define KM_MODULE_INFO_H

#include <stddef.h>
#include <stdint.h>
#include "../../common/trace/trace_writer.h"

typedef int (*km_module_info_fn)(void *ctx, const uint8_t *payload, size_t len);

/*
 * Calls fn with the MODULE_INFO payload (docs/trace-format.md) of each
 * module listed in modules (the text of /proc/modules): its name, core
 * address and size, build-id and section addresses from /sys/module/NAME.
 * What sysfs does not show is left out. Stops at fn's first error; says
 * what went wrong, but for fn's errors, which fn explains.
 */
int km_module_info_each(const char *modules, km_module_info_fn fn, void *ctx);

/* One MODULE_INFO chunk per module; only a failed write is an error. */
int km_write_module_info(struct km_trace_writer *w, const char *modules);

#endif
