/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A trace's content as report sees it, apart from how it was read:
 * META, WATCH, KALLSYMS, MODULES, MODULE_INFO, STACKS and TRAILER
 * (common/trace/trace_format.h), decoded and checked. The reader
 * (trace_reader.h) fills it; views, symbol sources and tools only read
 * it. Hits are not kept here: they stream through km_trace_next_hits.
 */
#ifndef KM_TRACE_DATA_H
#define KM_TRACE_DATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "../kmodule.h"
#include "../../bpf/kmemsnoop.h"
#include "life.h"
#include "machine.h"
#include "target.h"

struct km_stack {
	uint32_t nr;
	size_t pos; /* of the first frame in km_trace_data.frames */
};

struct km_trace_data {
	const char *path; /* the file it came from, for messages */
	uint32_t version; /* of the file's format */
	/* META */
	uint8_t build_id[64];
	size_t build_id_len;
	char *release, *kversion, *machine, *hostname, *tool_version;
	char *cmdline; /* arguments joined by spaces */
	uint64_t realtime_ns, monotonic_ns, nr_cpus;
	uint64_t nr_regs; /* registers per hit when captured, as META says */
	/* Names the hits' registers (machine.h); NULL: they are not kept. */
	const struct km_regset *regset;
	char *filters; /* as record describes them, or NULL */
	char *export_note; /* an export's META EXPORT, or NULL: not one */
	/* WATCH */
	struct km_watch watches[KM_MAX_WATCHES];
	int nr_watches;
	/* KALLSYMS, MODULES */
	char *kallsyms, *modules;
	size_t kallsyms_len, modules_len;
	/* MODULE_INFO, one entry per chunk */
	struct km_module_info *mods;
	size_t nr_mods, mods_cap;
	/* STACKS, as far as read */
	struct km_stack *stacks;
	size_t nr_stacks, stacks_cap;
	uint64_t *frames;
	size_t nr_frames, frames_cap;
	uint64_t hits_read; /* so far */
	/* LIFE, as far as read: armings and disarmings in file order */
	struct km_life_rec *life;
	size_t nr_life, life_cap;
	struct km_life_index life_ix;
	struct km_life_summary life_summary;
	/* TRAILER */
	bool has_trailer;
	uint64_t t_hits, t_lost, t_stacks, t_end_ns, t_seen, t_filtered;
};

/* Frees what d owns and clears it. */
void km_trace_data_free(struct km_trace_data *d);

#endif
