/* SPDX-License-Identifier: GPL-2.0 */
/* Binary search of sorted address tables (symbols, in kallsyms and ELF). */
#ifndef KM_ADDR_SEARCH_H
#define KM_ADDR_SEARCH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/*
 * How many of the n entries at base (each size bytes, sorted by the
 * uint64_t at byte offset off) start at or below addr. The entry before
 * that index is the one addr falls in; 0 means addr is below them all.
 */
static inline size_t km_count_at_or_below(const void *base, size_t n,
					  size_t size, size_t off,
					  uint64_t addr)
{
	const char *p = base;
	size_t lo = 0, hi = n;
	uint64_t v;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		memcpy(&v, p + mid * size + off, sizeof(v));
		if (v <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

#endif
