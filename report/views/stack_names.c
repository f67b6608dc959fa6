// SPDX-License-Identifier: GPL-2.0
/*
 * Names of stacks, for the views that fold stacks into paths (folded,
 * svg, call trees) or group by function (sort sym). Symbolizing is the
 * slow part of a report, so each distinct stack and address is looked
 * up once.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "../../common/error.h"
#include "../../common/trace/trace_format.h"
#include "views.h"

static const char unknown[] = "[unknown]";

/* Appends frame i's entries, innermost inlined call first. */
static int add_frame(struct km_report *r, struct km_names *nm,
		     const uint64_t *frames, uint32_t i)
{
	struct km_frame e[KM_MAX_INLINE];
	const char **grown;
	int n, k;

	n = km_resolve_frame(&r->pc, frames, i, e);
	grown = realloc(nm->name, (nm->n + n) * sizeof(*grown));
	if (!grown)
		return -ENOMEM;
	nm->name = grown;
	for (k = 0; k < n; k++)
		nm->name[nm->n++] = e[k].name ? e[k].name : unknown;
	return 0;
}

static int resolve_names(struct km_report *r, struct km_names *nm,
			 uint32_t stack_id, const uint64_t *ip)
{
	const uint64_t *frames = ip;
	uint32_t i, nr = 1;
	int err = 0;

	if (stack_id != KM_NO_STACK)
		frames = km_report_stack(r, stack_id, &nr);
	for (i = 0; !err && i < nr; i++)
		err = add_frame(r, nm, frames, i);
	return err;
}

const struct km_names *km_stack_names(struct km_report *r, uint32_t stack_id,
				      uint64_t ip)
{
	uint8_t key[12];
	size_t len = stack_id == KM_NO_STACK ? 12 : 4;
	bool created;
	uint64_t *idx;
	int err;

	memcpy(key, &stack_id, 4);
	memcpy(key + 4, &ip, 8);
	idx = km_htab_get(&r->names_index, key, len, &created);
	if (!idx)
		goto nomem;
	if (!created)
		return &r->names[*idx];
	if (km_grow_array((void **)&r->names, &r->names_cap, r->nr_names + 1,
			  sizeof(*r->names)))
		goto nomem;
	*idx = r->nr_names++;
	r->names[*idx] = (struct km_names){ 0 };
	err = resolve_names(r, &r->names[*idx], stack_id, &ip);
	if (err)
		goto nomem;
	return &r->names[*idx];
nomem:
	return NULL;
}

const char *km_ip_function(struct km_report *r, uint64_t ip)
{
	struct km_frame e[KM_MAX_INLINE];
	bool created;
	uint64_t *v;
	int n;

	v = km_htab_get(&r->sym_cache, &ip, sizeof(ip), &created);
	if (!v)
		return NULL;
	if (!created)
		return (const char *)(uintptr_t)*v;
	/* The function itself: the entry after any inlined calls. */
	n = km_resolve_frame(&r->pc, &ip, 0, e);
	*v = (uintptr_t)(e[n - 1].name ? e[n - 1].name : unknown);
	return (const char *)(uintptr_t)*v;
}

void km_report_free_caches(struct km_report *r)
{
	size_t i;

	for (i = 0; i < r->nr_names; i++)
		free(r->names[i].name);
	free(r->names);
	r->names = NULL;
	r->nr_names = r->names_cap = 0;
	km_htab_free(&r->names_index);
	km_htab_free(&r->sym_cache);
	km_stack_cut_free(&r->cut);
}
