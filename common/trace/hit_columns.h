/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Moving hit fields in and out of a HITS chunk's column-major records
 * (docs/trace-format.md): byte b of the field at offset off of record i
 * of n is at cols[(off + b) * n + i].
 *
 * Field by field, one column at a time over a block of records: record by
 * record instead, with all 76 byte rows open at once, encoding was two
 * thirds of what record spent per hit and decoding most of what
 * `report --hits` spent outside printing. Blocks of KM_COL_BLOCK records
 * keep their struct km_hits in the cache while each column passes.
 */
#ifndef KM_HIT_COLUMNS_H
#define KM_HIT_COLUMNS_H

#include <stddef.h>
#include <stdint.h>

#define KM_COL_BLOCK 256

/*
 * The plain fields of a record and the struct km_hit members they hold:
 * X(offset, size, member). The time (a delta), the flags (bits of
 * km_hit) and comm (16 one-byte columns) need more than a copy.
 */
#define KM_HIT_PLAIN_COLUMNS(X)           \
	X(KM_HIT_IP, 8, ip)               \
	X(KM_HIT_ADDR, 8, addr)           \
	X(KM_HIT_VALUE, 8, value)         \
	X(KM_HIT_OLD_VALUE, 8, old_value) \
	X(KM_HIT_PID, 4, pid)             \
	X(KM_HIT_TID, 4, tid)             \
	X(KM_HIT_CPU, 4, cpu)             \
	X(KM_HIT_STACK, 4, stack_id)      \
	X(KM_HIT_WATCH, 2, watch)

/*
 * h[i].member = the field (size bytes, little-endian), for i in [lo, hi).
 * member may index: comm[c].
 */
#define KM_COL_GET(cols, n, lo, hi, off, size, h, member)               \
	do {                                                            \
		const uint8_t *row_[8];                                 \
		size_t i_;                                              \
		int b_;                                                 \
                                                                        \
		for (b_ = 0; b_ < (size); b_++)                         \
			row_[b_] = (cols) + (size_t)((off) + b_) * (n); \
		for (i_ = (lo); i_ < (hi); i_++) {                      \
			uint64_t v_ = 0;                                \
                                                                        \
			for (b_ = (size)-1; b_ >= 0; b_--)              \
				v_ = v_ << 8 | row_[b_][i_];            \
			(h)[i_].member = v_;                            \
		}                                                       \
	} while (0)

/* The field (size bytes, little-endian) = h[i].member, for i in [lo, hi). */
#define KM_COL_PUT(cols, n, lo, hi, off, size, h, member)               \
	do {                                                            \
		uint8_t *row_[8];                                       \
		size_t i_;                                              \
		int b_;                                                 \
                                                                        \
		for (b_ = 0; b_ < (size); b_++)                         \
			row_[b_] = (cols) + (size_t)((off) + b_) * (n); \
		for (i_ = (lo); i_ < (hi); i_++) {                      \
			uint64_t v_ = (h)[i_].member;                   \
                                                                        \
			for (b_ = 0; b_ < (size); b_++, v_ >>= 8)       \
				row_[b_][i_] = v_ & 0xff;               \
		}                                                       \
	} while (0)

#endif
