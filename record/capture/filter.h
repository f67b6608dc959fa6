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
/*
 * -p, --tid and --comm: a comma-separated list, added to what the
 * filter lists already (a repeated option adds up). An item already
 * listed is skipped. Refused, saying why (km_usage): an empty item, a
 * pid or tid that is not a positive 32-bit number, a name longer than
 * the kernel's 15 bytes, and more than KM_MAX_PIDS, KM_MAX_TIDS or
 * KM_MAX_COMMS distinct items in all. Return 0 or a negative errno.
 */
int km_filter_pids(struct kmemsnoop_filter *f, const char *list);
int km_filter_tids(struct kmemsnoop_filter *f, const char *list);
int km_filter_comms(struct kmemsnoop_filter *f, const char *list);
/*
 * "pid=1,2 comm=cat,sh cpus=0,1 value>=5 ..." for the trace header, the
 * lists in the order given; "" if none. A name's space, comma, '=' and
 * backslash are written \xNN.
 */
void km_filter_describe(const struct kmemsnoop_filter *f, char *buf,
			size_t size);

#endif
