/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one list syntax of the command line, "0,2-3": comma-separated
 * decimal numbers and inclusive ranges N-M, nothing else (no spaces,
 * no signs, no empty items). record's --cpu and report's --pid, --tid,
 * --cpu and --watch all take it.
 */
#ifndef KM_NUMLIST_H
#define KM_NUMLIST_H

#include <stdint.h>

typedef int (*km_numlist_fn)(void *ctx, uint64_t lo, uint64_t hi);

/*
 * Calls fn(ctx, lo, hi) for each item of s in order (lo == hi for a
 * single number). Returns 0; -EINVAL for a malformed list, saying
 * nothing since only the caller knows the option; or fn's first
 * nonzero return.
 */
int km_numlist_parse(const char *s, km_numlist_fn fn, void *ctx);

#endif
