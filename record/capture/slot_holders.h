/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Who may hold the CPU's breakpoint slots, for the messages that say
 * none is free: processes with perf events open (perf, bpftrace,
 * another kmemsnoop) and traced processes (a debugger's watchpoints
 * belong to the task it traces). The kernel does not say which perf
 * events are breakpoints, so these are candidates, not proof.
 */
#ifndef KM_SLOT_HOLDERS_H
#define KM_SLOT_HOLDERS_H

#include <stddef.h>

/*
 * Writes "holding perf events: perf[1234], bpftrace[99]; traced:
 * a.out[78]" into buf[size] (size > 0), this process left out, task
 * names escaped (common/escape.h), cut with "..." when long; "" when
 * there is no candidate or /proc cannot be read.
 */
void km_slot_holders(char *buf, size_t size);

#endif
