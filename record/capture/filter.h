/* SPDX-License-Identifier: GPL-2.0 */
/* The in-kernel filters: parsing them and saying what they are. */
#ifndef KM_FILTER_H
#define KM_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include "../../bpf/kmemsnoop.h"

/* "0,2-3" into the filter's CPU bitmap. */
int km_filter_cpus(struct kmemsnoop_filter *f, const char *list);
/* "value OP N", OP one of == != < > <= >= &. */
int km_filter_value(struct kmemsnoop_filter *f, const char *cond);
/* A pid or tid: a positive number. */
int km_filter_id(uint32_t *id, const char *s, const char *what);
/* The command name: at most 15 bytes, as the kernel keeps it. */
int km_filter_comm(struct kmemsnoop_filter *f, const char *comm);
/* "pid=1 comm=cat cpus=0,1 value>=5 ..." for the trace header; "" if none. */
void km_filter_describe(const struct kmemsnoop_filter *f, char *buf,
			size_t size);

#endif
