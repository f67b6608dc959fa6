/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The reading side of common/trace/trace_format.h. Every file is untrusted:
 * each length and offset is checked before use, and a problem comes
 * back as an error naming the file offset, never a crash.
 */
#ifndef KM_TRACE_READER_H
#define KM_TRACE_READER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <zstd.h>
#include "../kmodule.h"
#include "hit.h"
#include "target.h"

struct km_stack {
	uint32_t nr;
	size_t pos; /* of the first frame in km_trace.frames */
};

struct km_trace {
	uint32_t version; /* of the file's format */
	/* META */
	uint8_t build_id[64];
	size_t build_id_len;
	char *release, *kversion, *machine, *hostname, *tool_version;
	char *cmdline; /* arguments joined by spaces */
	uint64_t realtime_ns, monotonic_ns, nr_cpus;
	uint64_t nr_regs; /* registers per hit when captured */
	char *filters; /* as record describes them, or NULL */
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
	/* TRAILER */
	bool has_trailer;
	uint64_t t_hits, t_lost, t_stacks, t_end_ns, t_seen, t_filtered;
	/* reading state */
	FILE *f;
	const char *path;
	uint64_t size, off;
	uint64_t hits_read;
	bool truncated; /* the file ends inside a chunk */
	bool at_end;
	ZSTD_DCtx *dctx;
	uint8_t *raw; /* the current chunk, decompressed */
	size_t raw_cap;
	uint8_t *stored;
	size_t stored_cap;
	struct km_hit *hits; /* the current HITS chunk, decoded */
	size_t hits_cap;
	uint64_t *regs; /* their registers, KM_NR_REGS each */
	size_t regs_cap;
	long pending; /* hits decoded by open, not yet handed out */
	bool warned;
};

/*
 * Opens path and reads every chunk up to the first HITS chunk: META,
 * WATCH, KALLSYMS, MODULES, MODULE_INFO. Returns 0 or a negative errno
 * (explained).
 */
int km_trace_open(struct km_trace *t, const char *path);
/*
 * The next batch of hits, in file order, through *hits; valid until
 * the next call. Returns the count, 0 at the end, or a negative errno
 * (explained). A file cut short ends with a warning, not an error.
 */
long km_trace_next_hits(struct km_trace *t, const struct km_hit **hits);
void km_trace_close(struct km_trace *t);

#endif
