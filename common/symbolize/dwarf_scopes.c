// SPDX-License-Identifier: GPL-2.0
/*
 * Finding the DIEs that hold a pc. dwarf_getscopes does it by visiting
 * the CU's DIEs level by level, asking each whether it holds the pc;
 * but a kernel CU has thousands of DIEs at its top level (types,
 * declarations, functions), and it stops at the innermost inline to go
 * on through its abstract definition, where eu-addr2line -i then needs
 * dwarf_getscopes_die, a walk of the whole CU. So the functions at a
 * CU's top level are indexed by address the first time the CU is
 * needed, and from there the descent goes through the few DIEs inside
 * one function with libdw's own dwarf_child, dwarf_siblingof and
 * dwarf_haspc.
 */
#include <dwarf.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "../bytes.h"
#include "dwarf_scopes.h"

/* One address range of a DIE at a CU's top level. */
struct span {
	Dwarf_Addr lo, hi; /* [lo, hi) */
	Dwarf_Die die;
};

struct km_cu_spans {
	Dwarf_Off cu;
	struct span *spans; /* sorted by lo */
	size_t nr;
};

/*
 * Most DIEs are types and declarations, without ranges; asking their
 * abbreviation is much cheaper than dwarf_haspc reading attributes.
 */
static bool has_ranges(Dwarf_Die *die)
{
	return dwarf_hasattr(die, DW_AT_low_pc) ||
	       dwarf_hasattr(die, DW_AT_ranges);
}

/* The first child of parent whose ranges hold pc. */
static bool child_with_pc(Dwarf_Die *parent, Dwarf_Addr pc, Dwarf_Die *out)
{
	int r = dwarf_child(parent, out);

	for (; r == 0; r = dwarf_siblingof(out, out))
		if (has_ranges(out) && dwarf_haspc(out, pc) > 0)
			return true;
	return false;
}

static int add_span(struct km_cu_spans *c, size_t *cap, Dwarf_Addr lo,
		    Dwarf_Addr hi, Dwarf_Die *die)
{
	if (km_grow_array((void **)&c->spans, cap, c->nr + 1,
			  sizeof(*c->spans)))
		return -1;
	c->spans[c->nr++] = (struct span){ lo, hi, *die };
	return 0;
}

static int cmp_span(const void *a, const void *b)
{
	const struct span *x = a, *y = b;

	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

/* Every address range of every DIE at the top level of cu. */
static int index_cu(struct km_cu_spans *c, Dwarf_Die *cu)
{
	Dwarf_Addr base, lo, hi;
	ptrdiff_t off;
	size_t cap = 0;
	Dwarf_Die die;
	int r;

	c->cu = dwarf_dieoffset(cu);
	for (r = dwarf_child(cu, &die); r == 0;
	     r = dwarf_siblingof(&die, &die)) {
		if (!has_ranges(&die))
			continue;
		off = 0;
		while ((off = dwarf_ranges(&die, off, &base, &lo, &hi)) > 0)
			if (lo < hi && add_span(c, &cap, lo, hi, &die))
				return -1;
	}
	qsort(c->spans, c->nr, sizeof(*c->spans), cmp_span);
	return 0;
}

/* The index of cu, made on first use; NULL if out of memory. */
static struct km_cu_spans *cu_spans(struct km_scope_index *x, Dwarf_Die *cu)
{
	Dwarf_Off off = dwarf_dieoffset(cu);
	size_t lo = 0, hi = x->nr, mid;
	struct km_cu_spans *p;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (x->cus[mid].cu == off)
			return &x->cus[mid];
		if (x->cus[mid].cu < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (km_grow_array((void **)&x->cus, &x->cap, x->nr + 1, sizeof(*p)))
		return NULL;
	p = &x->cus[lo];
	memmove(p + 1, p, (x->nr - lo) * sizeof(*p));
	memset(p, 0, sizeof(*p));
	x->nr++;
	if (!index_cu(p, cu))
		return p;
	free(p->spans);
	x->nr--;
	memmove(p, p + 1, (x->nr - lo) * sizeof(*p));
	return NULL;
}

/* The top-level DIE of cu whose ranges hold pc. */
static bool top_with_pc(struct km_scope_index *x, Dwarf_Die *cu, Dwarf_Addr pc,
			Dwarf_Die *out)
{
	struct km_cu_spans *c = cu_spans(x, cu);
	size_t lo = 0, hi, mid;

	if (!c)
		return child_with_pc(cu, pc, out);
	hi = c->nr;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (c->spans[mid].lo <= pc)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo || pc >= c->spans[lo - 1].hi)
		return false;
	*out = c->spans[lo - 1].die;
	return true;
}

int km_scope_chain(struct km_scope_index *x, Dwarf_Die *cu, Dwarf_Addr pc,
		   Dwarf_Die *chain)
{
	int n = 1;

	chain[0] = *cu;
	if (!top_with_pc(x, cu, pc, &chain[1]))
		return 1;
	n = 2;
	while (n < KM_MAX_SCOPES && child_with_pc(&chain[n - 1], pc, &chain[n]))
		n++;
	return n;
}

void km_scope_index_free(struct km_scope_index *x)
{
	size_t i;

	for (i = 0; i < x->nr; i++)
		free(x->cus[i].spans);
	free(x->cus);
	memset(x, 0, sizeof(*x));
}
