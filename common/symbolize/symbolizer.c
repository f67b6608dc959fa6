// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <string.h>
#include "symbolizer.h"

struct symtab_symbolizer {
	struct km_symbolizer base;
	struct km_symtab tab;
};

static int symtab_resolve(struct km_symbolizer *s, uint64_t addr,
			  struct km_frame *out, int max)
{
	struct symtab_symbolizer *ss = (struct symtab_symbolizer *)s;
	const struct km_sym *sym = km_symtab_lookup(&ss->tab, addr);

	(void)max;
	memset(out, 0, sizeof(*out));
	out->addr = addr;
	if (sym) {
		out->name = sym->name;
		out->module = sym->module;
		out->start = sym->addr;
	}
	return 1;
}

static void symtab_destroy(struct km_symbolizer *s)
{
	struct symtab_symbolizer *ss = (struct symtab_symbolizer *)s;

	km_symtab_free(&ss->tab);
	free(ss);
}

static const struct km_symbolizer_ops symtab_ops = {
	.resolve = symtab_resolve,
	.destroy = symtab_destroy,
};

struct km_symbolizer *km_symbolizer_from_symtab(struct km_symtab *t)
{
	struct symtab_symbolizer *ss = calloc(1, sizeof(*ss));

	if (!ss)
		return NULL;
	ss->base.ops = &symtab_ops;
	ss->tab = *t;
	memset(t, 0, sizeof(*t));
	return &ss->base;
}
