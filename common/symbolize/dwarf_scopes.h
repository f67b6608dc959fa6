/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The DIEs whose address ranges hold a pc, from the compilation unit
 * down to the innermost lexical block or inlined call.
 */
#ifndef KM_DWARF_SCOPES_H
#define KM_DWARF_SCOPES_H

#include <elfutils/libdw.h>
#include <stddef.h>

/* Deeper nesting (lexical blocks and inlined calls) than this is cut. */
#define KM_MAX_SCOPES 64

struct km_cu_spans;

/* Remembers, per CU, where its functions are; starts zeroed. */
struct km_scope_index {
	struct km_cu_spans *cus; /* sorted by CU offset */
	size_t nr, cap;
};

/*
 * Fills chain[0..KM_MAX_SCOPES) with the CU DIE cu and the DIEs inside
 * it that hold pc (a DWARF address), outermost first; returns how many.
 */
int km_scope_chain(struct km_scope_index *x, Dwarf_Die *cu, Dwarf_Addr pc,
		   Dwarf_Die *chain);
void km_scope_index_free(struct km_scope_index *x);

#endif
