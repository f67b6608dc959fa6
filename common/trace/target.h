/* SPDX-License-Identifier: GPL-2.0 */
/* What to watch: the BP type/length and the address expression. */
#ifndef KM_TARGET_H
#define KM_TARGET_H

#include <stdbool.h>
#include <stdint.h>
#include "../symbolize/ksyms.h"

/*
 * Watch types, as the kernel's HW_BREAKPOINT_* values; a trace's WATCH
 * chunk stores them as they are (trace_format.h).
 */
enum km_bp_type {
	KM_BP_R = 1,
	KM_BP_W = 2,
	KM_BP_RW = 3,
	KM_BP_X = 4,
};

struct km_watch {
	uint32_t type; /* enum km_bp_type */
	uint32_t len; /* bytes */
	uint64_t addr;
	char *expr; /* as typed, malloc'ed */
	char *object; /* what EXPR is a member path of, or NULL; malloc'ed */
};

/* "rw4" -> KM_BP_RW, 4. Returns -EINVAL for anything else. */
int km_parse_bp(const char *s, uint32_t *type, uint32_t *len);
/* Same, but the length may be left out ("rw"): *len is then 0. */
int km_parse_bp_field(const char *s, uint32_t *type, uint32_t *len);
/* "r", "w", "rw" or "x". */
const char *km_bp_name(uint32_t type);

/*
 * Resolves "symbol", "symbol+offset" or a hex address (0x optional;
 * a name the table knows wins over a hex reading). Returns -EINVAL
 * for bad syntax, -ENOENT for an unknown symbol.
 */
int km_resolve_expr(const char *expr, const struct km_symtab *syms,
		    uint64_t *addr);

/*
 * What can be told of BP and EXPR without symbols: BP's type and
 * length into *type and *len, and EXPR's syntax unless it is a member
 * path (of an object; its BP may leave the length, *len 0, to the
 * member's type). Explains any problem as km_watch_parse() does.
 */
int km_watch_check(const char *bp, const char *expr, bool member_path,
		   uint32_t *type, uint32_t *len);

/*
 * Parses BP and EXPR into w, checking alignment. Explains any problem
 * in one line through km_usage() and returns a negative errno.
 */
int km_watch_parse(struct km_watch *w, const char *bp, const char *expr,
		   const struct km_symtab *syms);
void km_watch_free(struct km_watch *w);

#endif
