/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Turns a kernel address into what a person reads: function, offset,
 * and where the source says so, file:line and the inlined calls at
 * that address. One interface over the sources report and live mode
 * use: a kallsyms or ELF symbol table, or DWARF.
 */
#ifndef KM_SYMBOLIZER_H
#define KM_SYMBOLIZER_H

#include <stdbool.h>
#include <stdint.h>
#include "ksyms.h"

struct km_frame {
	uint64_t addr;
	const char *name; /* NULL: unknown */
	const char *module; /* NULL: the kernel itself */
	uint64_t start; /* runtime address of the symbol */
	const char *file; /* NULL: no line information */
	unsigned int line;
	bool inlined; /* inlined into the entry after it */
};

/* An address expands to at most this many entries (inlined calls). */
#define KM_MAX_INLINE 16

struct km_symbolizer;

struct km_symbolizer_ops {
	/*
	 * Fills out[0..max) for addr, innermost inlined call first and
	 * the containing function last; returns the count (at least 1).
	 * Strings stay valid as long as the symbolizer.
	 */
	int (*resolve)(struct km_symbolizer *s, uint64_t addr,
		       struct km_frame *out, int max);
	void (*destroy)(struct km_symbolizer *s);
};

struct km_symbolizer {
	const struct km_symbolizer_ops *ops;
};

static inline int km_resolve(struct km_symbolizer *s, uint64_t addr,
			     struct km_frame *out, int max)
{
	return s->ops->resolve(s, addr, out, max);
}

static inline void km_symbolizer_destroy(struct km_symbolizer *s)
{
	if (s)
		s->ops->destroy(s);
}

/* A symbolizer over a symbol table; takes the table's contents. */
struct km_symbolizer *km_symbolizer_from_symtab(struct km_symtab *t);

#endif
