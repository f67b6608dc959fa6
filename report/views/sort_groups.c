// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "../../common/error.h"
#include "sort_groups.h"

static int by_count(const void *a, const void *b)
{
	const struct km_group *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c;

	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	c = memcmp(x->key, y->key, n);
	return c ?: (x->len > y->len) - (x->len < y->len);
}

struct km_group *km_plain_groups(const struct km_htab *tab, size_t *nr)
{
	struct km_group *g;
	struct km_hent *e;
	size_t i;
	int err;

	*nr = tab->nr;
	e = km_htab_entries(tab, &err);
	g = calloc(*nr ?: 1, sizeof(*g));
	if (err || !g) {
		free(e);
		free(g);
		return NULL;
	}
	for (i = 0; i < *nr; i++)
		g[i] = (struct km_group){ .key = km_hent_key(tab, &e[i]),
					  .len = e[i].key_len,
					  .count = e[i].val };
	free(e);
	qsort(g, *nr, sizeof(*g), by_count);
	return g;
}

/* The names of a stack in the order its tree wants them. */
static const char **path(struct km_report *r, const struct km_names *nm,
			 const char **buf)
{
	size_t i;

	if (r->cg == KM_CG_CALLEE)
		return nm->name;
	for (i = 0; i < nm->n; i++)
		buf[i] = nm->name[nm->n - 1 - i];
	return buf;
}

/* Adds entry e (group bytes then stack bytes) to its group's tree. */
static int add_entry(struct km_report *r, const struct km_sort *by,
		     const uint8_t *key, uint64_t count, struct km_group *g)
{
	static const struct km_sort stack_only = { { KM_KEY_STACK }, 1 };
	struct km_group_vals v;
	const struct km_names *nm;
	const char **buf;
	int err;

	km_sort_decode(&stack_only, key + km_sort_decode(by, key, &v), &v);
	nm = km_stack_names(r, v.stack_id, v.ip);
	if (!nm)
		return -ENOMEM;
	buf = malloc((nm->n ?: 1) * sizeof(*buf));
	if (!buf)
		return -ENOMEM;
	err = km_fg_add(g->tree, path(r, nm, buf), nm->n, count);
	free(buf);
	g->count += count;
	return err;
}

static int fill(struct km_report *r, const struct km_htab *tab,
		const struct km_sort *by, struct km_hent *e, struct km_group *g,
		size_t *nr)
{
	struct km_group_vals v;
	struct km_htab index = { 0 };
	const uint8_t *key;
	uint64_t *gi;
	bool created;
	size_t i, len;
	int err = 0;

	for (i = 0; !err && i < tab->nr; i++) {
		key = km_hent_key(tab, &e[i]);
		len = km_sort_decode(by, key, &v);
		gi = km_htab_get(&index, key, len, &created);
		if (gi && created) {
			*gi = (*nr)++;
			g[*gi] = (struct km_group){ key, len, 0, km_fg_new() };
		}
		if (!gi || !g[*gi].tree)
			err = -ENOMEM;
		else
			err = add_entry(r, by, key, e[i].val, &g[*gi]);
	}
	km_htab_free(&index);
	return err;
}

struct km_group *km_tree_groups(struct km_report *r, const struct km_htab *tab,
				const struct km_sort *by, size_t *nr)
{
	struct km_group *g;
	struct km_hent *e;
	int err;

	*nr = 0;
	e = km_htab_entries(tab, &err);
	g = calloc(tab->nr ?: 1, sizeof(*g));
	if (!err && g)
		err = fill(r, tab, by, e, g, nr);
	free(e);
	if (err || !g) {
		km_groups_free(g, *nr);
		return NULL;
	}
	qsort(g, *nr, sizeof(*g), by_count);
	return g;
}

void km_groups_free(struct km_group *g, size_t nr)
{
	size_t i;

	for (i = 0; g && i < nr; i++)
		km_fg_free(g[i].tree);
	free(g);
}
