/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A loaded kernel module as the kernel shows it: name, core address
 * and size (/proc/modules), build-id and where each section went
 * (/sys/module/NAME). Capture reads it, the trace carries it
 * (MODULE_INFO), symbolize places the module's debug file by it; so it
 * lives below all three.
 */
#ifndef KM_KMODULE_H
#define KM_KMODULE_H

#include <stddef.h>
#include <stdint.h>

struct km_module_section {
	uint64_t addr;
	char *name;
};

struct km_module_info {
	char *name;
	uint64_t addr, size; /* the core, as /proc/modules shows it */
	uint8_t build_id[64];
	size_t build_id_len;
	struct km_module_section *sections;
	size_t nr_sections;
};

/* Frees what m holds, not m. */
void km_module_info_free(struct km_module_info *m);

/* Frees mods[0..nr) and mods. */
void km_module_list_free(struct km_module_info *mods, size_t nr);

/*
 * Whether m's addresses are known: without the privilege to see them
 * (kptr_restrict), /proc/modules shows 0.
 */
static inline int km_module_placed(const struct km_module_info *m)
{
	return m->addr && m->size;
}

#endif
