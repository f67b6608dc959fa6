/* SPDX-License-Identifier: GPL-2.0 */
/* The loaded modules and where each ran, read from /proc and /sys. */
#ifndef KM_MODULE_INFO_H
#define KM_MODULE_INFO_H

#include <stddef.h>
#include "../../common/kmodule.h"
#include "../../common/trace/trace_writer.h"

struct km_module_list {
	struct km_module_info *mods; /* in /proc/modules' order */
	size_t nr;
};

/*
 * Each module listed in modules (the text of /proc/modules): its name,
 * core address and size, build-id and section addresses from
 * /sys/module/NAME. What sysfs does not show is left out. Returns 0,
 * or -ENOMEM after saying so and leaving l empty. Free l->mods with
 * km_module_list_free.
 */
int km_module_list_read(struct km_module_list *l, const char *modules);

/* One MODULE_INFO chunk per module; only a failed write is an error. */
int km_write_module_info(struct km_trace_writer *w, const char *modules);

#endif
