/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A kernel module's DWARF, from its relocatable debug file placed
 * where the module's sections were loaded.
 */
#ifndef KM_MODULE_DWARF_H
#define KM_MODULE_DWARF_H

#include <stddef.h>
#include <stdint.h>
#include "../kmodule.h"
#include "symbolizer.h"

/* Where one module ran, and its debug file. */
struct km_module_place {
	const char *name;
	uint64_t addr, size; /* the core: the addresses it answers for */
	const struct km_module_section *sections;
	size_t nr_sections;
	const char *path; /* an ET_REL file with DWARF: NAME.ko, NAME.ko.debug */
};

/*
 * A DWARF symbolizer (common/symbolize/dwarf.h) over place->path with each
 * section at its recorded address; sections not recorded count as not
 * loaded. Frames name the module. place must outlive the symbolizer.
 * Returns 0, -ENODATA when the file has no DWARF, -ENOEXEC when it is
 * no ELF file, or another negative errno; prints nothing.
 */
int km_module_dwarf(struct km_symbolizer **out,
		    const struct km_module_place *place);

#endif
