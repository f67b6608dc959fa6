/* SPDX-License-Identifier: GPL-2.0 */
/* The writing side of common/trace/trace_format.h. */
#ifndef KM_TRACE_WRITER_H
#define KM_TRACE_WRITER_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <zstd.h>
#include "../bytes.h"
#include "../kmodule.h"
#include "hit.h"
#include "stack_table.h"

struct km_trace_writer {
	int fd;
	const char *path;
	ZSTD_CCtx *cctx;
	struct km_stack_table stacks;
	struct km_buf new_stacks; /* STACKS payload not yet written */
	struct km_hit *pending; /* hits not yet written */
	uint64_t *pending_regs; /* their registers, regset->nr each */
	const struct km_regset *regset; /* of the first hit with registers */
	size_t nr_pending;
	uint64_t hits; /* written to the file */
	uint64_t bytes; /* written to the file */
	struct km_buf out; /* one chunk, header and payload */
	bool moved_old; /* an existing file became path.old */
	bool is_stdout; /* path "-": writing to standard output */
	bool failed; /* a write failed: write nothing more */
};

struct km_trailer {
	uint64_t hits, lost, stacks, end_ns, seen, filtered;
};

/*
 * Creates path with mode 0600 (it will hold kernel addresses); an
 * existing file is kept as path.old, as perf does with perf.data.
 * "-" writes to standard output instead (a pipe, never a terminal):
 * the format is written in order, so readers can take it as a stream.
 * Writes the file header.
 */
int km_tw_create(struct km_trace_writer *w, const char *path);
/*
 * Gives the file to uid:gid, its mode still 0600. Returns 0 or a
 * negative errno (explained); nothing to do for standard output.
 */
int km_tw_chown(struct km_trace_writer *w, uid_t uid, gid_t gid);
/* Writes one chunk of raw bytes, compressed, in a single write. */
int km_tw_chunk(struct km_trace_writer *w, uint32_t type, const void *raw,
		size_t len);
/*
 * One MODULE_INFO chunk for m (trace_modules.c); returns 0 or a
 * negative errno, explained.
 */
int km_tw_module_info(struct km_trace_writer *w,
		      const struct km_module_info *m);
/* Queues a hit; writes a chunk when enough are queued. */
int km_tw_hit(struct km_trace_writer *w, const struct km_hit *h);
/* Writes queued stacks and hits, if any. */
int km_tw_flush(struct km_trace_writer *w);
/* Flushes and writes the trailer, filling in its hits and stacks. */
int km_tw_finish(struct km_trace_writer *w, struct km_trailer *t);
/* Removes the file again and puts path.old back: nothing was recorded. */
void km_tw_abort(struct km_trace_writer *w);
/* Releases everything; the file stays as written. */
void km_tw_free(struct km_trace_writer *w);

/* Encoding helpers, exposed for the unit tests. */
int km_encode_hits(struct km_buf *b, const struct km_hit *h, size_t n);

#endif
