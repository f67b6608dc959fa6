/* SPDX-License-Identifier: GPL-2.0 */
/* Decoding of each chunk type's payload; used by trace_reader.c. */
#ifndef KM_TRACE_DECODE_H
#define KM_TRACE_DECODE_H

#include <inttypes.h>
#include "../error.h"
#include "trace_reader.h"

/* Says what is wrong with the file, and where; evaluates to -EBADMSG. */
#define km_corrupt(t, at, fmt, ...)                                       \
	(km_err("%s is corrupt at offset %" PRIu64 ": " fmt, (t)->d.path, \
		(uint64_t)(at), ##__VA_ARGS__),                           \
	 -EBADMSG)

/* Each takes the chunk's payload and its file offset, for errors. */
int km_decode_meta(struct km_trace *t, uint64_t at, const uint8_t *p,
		   size_t len);
int km_decode_watch(struct km_trace *t, uint64_t at, const uint8_t *p,
		    size_t len);
int km_decode_stacks(struct km_trace *t, uint64_t at, const uint8_t *p,
		     size_t len);
int km_decode_trailer(struct km_trace *t, uint64_t at, const uint8_t *p,
		      size_t len);
/* One module's MODULE_INFO, added to t->mods (trace_modules.c). */
int km_decode_module_info(struct km_trace *t, uint64_t at, const uint8_t *p,
			  size_t len);
/* One LIFE chunk, added to t->d.life (trace_life.c). */
int km_decode_life(struct km_trace *t, uint64_t at, const uint8_t *p,
		   size_t len);
/* Returns the number of hits decoded into t->hits, or -errno. */
long km_decode_hits_at(struct km_trace *t, uint64_t at, const uint8_t *p,
		       size_t len);

/* Grows an array to hold need elements; says so when memory runs out. */
int km_trace_grow(void **p, size_t *cap, size_t need, size_t elem);

#endif
