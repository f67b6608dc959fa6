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
#include "../htab.h"
#include "../kmodule.h"
#include "hit.h"
#include "trace_data.h"

/*
 * What a reader holds: the model (struct km_trace_data, trace_data.h)
 * and the machinery that fills it. Views take the model; only
 * km_trace_next_hits needs the reader.
 */
struct km_trace {
	struct km_trace_data d;
	/* reading state */
	int fd;
	bool own_fd; /* opened here, closed by km_trace_close */
	bool stream; /* a pipe: read in order, size unknown (UINT64_MAX) */
	uint64_t size, off;
	bool truncated; /* the file ends inside a chunk */
	bool at_end;
	ZSTD_DCtx *dctx;
	uint8_t *raw; /* the current chunk, decompressed */
	size_t raw_cap;
	uint8_t *stored;
	size_t stored_cap;
	struct km_hit *hits; /* the current HITS chunk, decoded */
	size_t hits_cap;
	uint64_t *regs; /* their registers, d.regset->nr each */
	size_t regs_cap;
	long pending; /* hits decoded by open, not yet handed out */
	struct km_htab stack_index; /* hash of a stack's frames -> its id */
	bool warned;
};

/*
 * Opens path and reads every chunk up to the first HITS chunk: META,
 * WATCH, KALLSYMS, MODULES, MODULE_INFO. path must name a regular file;
 * "-" is standard input, which may be a pipe (read once, in order) but
 * not a terminal. Returns 0 or a negative errno (explained).
 */
int km_trace_open(struct km_trace *t, const char *path);
/*
 * The next batch of hits, in file order, through *hits; valid until
 * the next call. Returns the count, 0 at the end, or a negative errno
 * (explained). A file cut short ends with a warning, not an error.
 */
long km_trace_next_hits(struct km_trace *t, const struct km_hit **hits);
/*
 * After km_trace_open: true when the file holds no hits at all (open
 * read to its end and found no HITS chunk), before any is asked for.
 */
bool km_trace_no_hits(const struct km_trace *t);
void km_trace_close(struct km_trace *t);

#endif
