// SPDX-License-Identifier: GPL-2.0
/*
 * Routing by address: a frame inside a recorded module goes to that
 * module's DWARF, everything else (and a module's frame its DWARF has
 * no name for) to the kernel's symbolizer. A module's debug file is
 * looked for only once one of its addresses comes up: a machine has
 * a hundred modules, a trace's stacks pass through a few.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../addr_search.h"
#include "../error.h"
#include "module_dwarf.h"
#include "module_find.h"
#include "modules.h"
#include "vmlinux.h"

struct mod {
	struct km_module_place place; /* points into the fields below */
	char *name, *path;
	struct km_module_section *sections;
	size_t nr_sections;
	uint8_t id[KM_BUILD_ID_MAX];
	size_t id_len;
	struct km_symbolizer *dwarf; /* NULL: none found (yet) */
	bool looked;
};

struct modules_symbolizer {
	struct km_symbolizer base;
	struct km_symbolizer *rest;
	struct mod *mods; /* by address */
	size_t nr;
	struct km_module_search search;
	char *dir, *release;
};

/*
 * The module whose core holds addr. Since 6.4 /proc/modules gives a
 * module's text address but the size of all its allocations, so ranges
 * can overlap: the nearest start below addr is the owner.
 */
static struct mod *find_mod(struct modules_symbolizer *ms, uint64_t addr)
{
	size_t n = km_count_at_or_below(ms->mods, ms->nr, sizeof(*ms->mods),
					offsetof(struct mod, place.addr), addr);
	struct mod *m = n ? &ms->mods[n - 1] : NULL;

	return m && addr - m->place.addr < m->place.size ? m : NULL;
}

/* Finds and loads m's debug file, saying which one or that there is none. */
static void look(struct modules_symbolizer *ms, struct mod *m)
{
	char hex[2 * KM_BUILD_ID_MAX + 1];
	int err;

	m->looked = true;
	m->path = km_find_module_debug(&ms->search, m->name, m->id, m->id_len);
	if (!m->path) {
		km_note("no debug file for module %s (build-id %s): its names from kallsyms, without file:line",
			m->name,
			m->id_len ? km_build_id_hex(hex, m->id, m->id_len) :
				    "not recorded");
		return;
	}
	m->place.path = m->path;
	err = km_module_dwarf(&m->dwarf, &m->place);
	if (!err) {
		km_note("symbols for module %s from %s", m->name, m->path);
		return;
	}
	km_warn("cannot read the DWARF of %s: %s; module %s's names from kallsyms",
		m->path,
		err == -ENODATA ? "it has none" :
		err == -ENOEXEC ? "not an ELF file" :
				  strerror(-err),
		m->name);
}

static int modules_resolve(struct km_symbolizer *s, uint64_t addr,
			   struct km_frame *out, int max)
{
	struct modules_symbolizer *ms = (struct modules_symbolizer *)s;
	struct mod *m = find_mod(ms, addr);
	int n;

	if (m && !m->looked)
		look(ms, m);
	if (m && m->dwarf) {
		n = km_resolve(m->dwarf, addr, out, max);
		if (n > 1 || (n == 1 && out[0].name))
			return n;
	}
	return km_resolve(ms->rest, addr, out, max);
}

static void mod_free(struct mod *m)
{
	size_t i;

	/* Its DWARF first: libdwfl may still ask for the sections. */
	km_symbolizer_destroy(m->dwarf);
	for (i = 0; i < m->nr_sections; i++)
		free(m->sections[i].name);
	free(m->sections);
	free(m->name);
	free(m->path);
}

static void modules_destroy(struct km_symbolizer *s)
{
	struct modules_symbolizer *ms = (struct modules_symbolizer *)s;
	size_t i;

	for (i = 0; i < ms->nr; i++)
		mod_free(&ms->mods[i]);
	free(ms->mods);
	km_module_search_free(&ms->search);
	km_symbolizer_destroy(ms->rest);
	free(ms->dir);
	free(ms->release);
	free(ms);
}

static const struct km_symbolizer_ops modules_ops = {
	.resolve = modules_resolve,
	.destroy = modules_destroy,
};

/* A copy: the list may be gone before the symbolizer is done. */
static int copy_mod(struct mod *m, const struct km_module_info *in)
{
	size_t i;

	m->name = strdup(in->name);
	m->sections = calloc(in->nr_sections ?: 1, sizeof(*m->sections));
	if (!m->name || !m->sections)
		return -ENOMEM;
	m->nr_sections = in->nr_sections;
	for (i = 0; i < in->nr_sections; i++) {
		m->sections[i].addr = in->sections[i].addr;
		m->sections[i].name = strdup(in->sections[i].name);
		if (!m->sections[i].name)
			return -ENOMEM;
	}
	memcpy(m->id, in->build_id, in->build_id_len);
	m->id_len = in->build_id_len;
	m->place = (struct km_module_place){ .name = m->name,
					     .addr = in->addr,
					     .size = in->size,
					     .sections = m->sections,
					     .nr_sections = m->nr_sections };
	return 0;
}

static int cmp_mod(const void *a, const void *b)
{
	const struct mod *x = a, *y = b;

	if (x->place.addr != y->place.addr)
		return x->place.addr < y->place.addr ? -1 : 1;
	return 0;
}

static int copy_mods(struct modules_symbolizer *ms,
		     const struct km_module_info *mods, size_t nr)
{
	size_t i;
	int err;

	ms->mods = calloc(nr, sizeof(*ms->mods));
	if (!ms->mods)
		return -ENOMEM;
	for (i = 0; i < nr; i++) {
		if (!km_module_placed(&mods[i]))
			continue;
		err = copy_mod(&ms->mods[ms->nr++], &mods[i]);
		if (err)
			return err;
	}
	qsort(ms->mods, ms->nr, sizeof(*ms->mods), cmp_mod);
	return 0;
}

static int setup(struct modules_symbolizer *ms,
		 const struct km_module_info *mods, size_t nr,
		 const char *release, const char *dir, bool debuginfod)
{
	int err;

	ms->base.ops = &modules_ops;
	ms->dir = dir ? strdup(dir) : NULL;
	ms->release = release ? strdup(release) : NULL;
	if ((dir && !ms->dir) || (release && !ms->release)) {
		km_err("out of memory");
		return -ENOMEM;
	}
	ms->search.dir = ms->dir;
	ms->search.release = ms->release;
	ms->search.debuginfod = debuginfod;
	err = km_module_search_check(&ms->search);
	if (err)
		return err;
	err = copy_mods(ms, mods, nr);
	if (err)
		km_err("out of memory");
	return err;
}

int km_modules_symbolizer(struct km_symbolizer **s,
			  const struct km_module_info *mods, size_t nr,
			  const char *release, const char *dir, bool debuginfod)
{
	struct modules_symbolizer *ms;
	int err;

	if (!nr)
		return 0;
	ms = calloc(1, sizeof(*ms));
	if (!ms) {
		km_err("out of memory");
		return -ENOMEM;
	}
	err = setup(ms, mods, nr, release, dir, debuginfod);
	if (err) {
		modules_destroy(&ms->base);
		return err;
	}
	ms->rest = *s;
	*s = &ms->base;
	return 0;
}
