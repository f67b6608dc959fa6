// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include "kmodule.h"

void km_module_info_free(struct km_module_info *m)
{
	size_t i;

	free(m->name);
	for (i = 0; i < m->nr_sections; i++)
		free(m->sections[i].name);
	free(m->sections);
}

void km_module_list_free(struct km_module_info *mods, size_t nr)
{
	size_t i;

	for (i = 0; i < nr; i++)
		km_module_info_free(&mods[i]);
	free(mods);
}
