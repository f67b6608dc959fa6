// SPDX-License-Identifier: GPL-2.0
/*
 * libdwfl places a relocatable module as elfutils does for the running
 * kernel's modules (dwfl_linux_kernel_report_modules): the module is
 * reported as an address range, find_elf hands over the debug file,
 * and section_address says where each of its sections was loaded.
 * Relocating the DWARF and the symbol table against those addresses
 * puts everything where the trace saw it, with no bias to apply.
 */
#include <elfutils/libdwfl.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include "dwarf.h"
#include "module_dwarf.h"

static int find_elf(Dwfl_Module *mod, void **user, const char *modname,
		    Dwarf_Addr base, char **file_name, Elf **elfp)
{
	const struct km_module_place *p = *user;
	int fd;

	(void)mod, (void)modname, (void)base, (void)elfp;
	fd = open(p->path, O_RDONLY | O_CLOEXEC);
	/* libdwfl frees the name with the module. */
	if (fd >= 0)
		*file_name = strdup(p->path);
	return fd;
}

static int section_address(Dwfl_Module *mod, void **user, const char *modname,
			   Dwarf_Addr base, const char *secname,
			   GElf_Word shndx, const GElf_Shdr *shdr,
			   Dwarf_Addr *addr)
{
	const struct km_module_place *p = *user;
	size_t i;

	(void)mod, (void)modname, (void)base, (void)shndx, (void)shdr;
	for (i = 0; i < p->nr_sections; i++) {
		if (!strcmp(p->sections[i].name, secname)) {
			*addr = p->sections[i].addr;
			return 0;
		}
	}
	/* Not in /sys/module/NAME/sections: the kernel did not load it. */
	*addr = (Dwarf_Addr)-1;
	return 0;
}

static const Dwfl_Callbacks callbacks = {
	.find_elf = find_elf,
	.find_debuginfo = km_dwfl_no_debuginfo,
	.section_address = section_address,
};

int km_module_dwarf(struct km_symbolizer **out,
		    const struct km_module_place *place)
{
	Dwfl *dwfl = dwfl_begin(&callbacks);
	Dwfl_Module *mod;
	void **user;

	*out = NULL;
	if (!dwfl)
		return -ENOMEM;
	dwfl_report_begin(dwfl);
	mod = dwfl_report_module(dwfl, place->name, place->addr,
				 place->addr + place->size);
	if (!mod || dwfl_report_end(dwfl, NULL, NULL)) {
		dwfl_end(dwfl);
		return -ENOMEM;
	}
	/* The callbacks find the place through the module's user data. */
	dwfl_module_info(mod, &user, NULL, NULL, NULL, NULL, NULL, NULL);
	*user = (void *)place;
	return km_dwarf_symbolizer_dwfl(out, dwfl, mod, place->name, 0);
}
