// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <string.h>
#include "trace_data.h"

void km_trace_data_free(struct km_trace_data *d)
{
	int i;

	free(d->release);
	free(d->kversion);
	free(d->machine);
	free(d->hostname);
	free(d->tool_version);
	free(d->cmdline);
	free(d->filters);
	free(d->export_note);
	for (i = 0; i < d->nr_watches; i++)
		km_watch_free(&d->watches[i]);
	free(d->kallsyms);
	free(d->modules);
	km_module_list_free(d->mods, d->nr_mods);
	free(d->stacks);
	free(d->frames);
	free(d->life);
	km_life_index_free(&d->life_ix);
	memset(d, 0, sizeof(*d));
}
