/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kmemsnoop trace file, defined once. common/trace/trace_writer.c and
 * common/trace/trace_reader.c are its two sides; docs/trace-format.md
 * describes the same bytes in prose. All integers are little-endian.
 *
 *   file header (16 bytes, uncompressed)
 *   chunk*      (each: 16-byte header, then stored_size payload bytes)
 *
 * A chunk's payload is one zstd frame with a content checksum, so each
 * chunk decodes on its own and a file cut anywhere reads up to its last
 * whole chunk. Readers skip chunk types and TLV tags they do not know;
 * that is the rule for extending the format without a version bump.
 */
#ifndef KM_TRACE_FORMAT_H
#define KM_TRACE_FORMAT_H

#include <stdint.h>

#define KM_MAGIC "KMEMSNP\x01"
#define KM_MAGIC_LEN 8
/* Bumped only for changes old readers cannot skip. */
#define KM_VERSION 1

#define KM_FILE_HDR_SIZE 16 /* magic[8] version:u32 flags:u32 */
#define KM_CHUNK_HDR_SIZE \
	16 /* type:u32 flags:u32 raw_size:u32 stored_size:u32 */

/* Readers refuse chunks claiming more; bounds memory on hostile input. */
#define KM_CHUNK_MAX (64u << 20)

enum km_chunk_type {
	KM_CHUNK_META = 1, /* TLV list, must be the first chunk */
	KM_CHUNK_WATCH = 2, /* TLV list, one chunk per watchpoint */
	KM_CHUNK_KALLSYMS = 3, /* /proc/kallsyms text at record time */
	KM_CHUNK_MODULES = 4, /* /proc/modules text at record time */
	KM_CHUNK_STACKS = 5, /* stack definitions, see below */
	KM_CHUNK_HITS = 6, /* column-major hit records, see below */
	KM_CHUNK_TRAILER = 7, /* TLV list, written when recording ends */
	KM_CHUNK_MODULE_INFO = 8, /* TLV list, one chunk per loaded module */
	KM_CHUNK_LIFE = 9, /* TLV list, one arming, disarming or summary */
};

/* Chunk header flags */
#define KM_CHUNK_ZSTD (1u << 0) /* payload is a zstd frame */

/*
 * TLV entry: tag:u16 reserved:u16 len:u32 value[len]. Integers in a
 * value are u64 unless noted; strings carry no terminating NUL.
 */
#define KM_TLV_HDR_SIZE 8

enum km_meta_tag {
	KM_META_BUILD_ID = 1, /* bytes: the kernel's GNU build-id */
	KM_META_RELEASE = 2, /* uname -r */
	KM_META_KVERSION = 3, /* uname -v */
	KM_META_MACHINE = 4, /* uname -m */
	KM_META_HOSTNAME = 5,
	KM_META_REALTIME_NS = 6, /* CLOCK_REALTIME at start */
	KM_META_MONOTONIC_NS = 7, /* CLOCK_MONOTONIC read right after it */
	KM_META_CMDLINE = 8, /* arguments, each followed by a NUL */
	KM_META_NR_CPUS = 9,
	KM_META_TOOL_VERSION = 10,
	KM_META_FILTERS = 11, /* the filters, as "key=value" words */
	KM_META_NR_REGS = 12, /* registers in a KM_HITS_REGS group */
	KM_META_EXPORT = 13, /* only in an export: what it removed */
};

enum km_watch_tag {
	KM_WATCH_INDEX = 1,
	KM_WATCH_TYPE = 2, /* KM_BP_* (target.h), stored as they are */
	KM_WATCH_LEN = 3, /* bytes: 1, 2, 4 or 8 */
	KM_WATCH_ADDR = 4, /* resolved kernel address */
	KM_WATCH_EXPR = 5, /* the expression as typed */
	KM_WATCH_OBJECT = 6, /* what EXPR is a member path of, if anything */
};

/*
 * MODULE_INFO: what report needs to place a module's relocatable
 * debug file where the module ran. SECTION is the one tag that
 * repeats: each entry is one section, u64 address then its name.
 */
enum km_module_tag {
	KM_MODULE_NAME = 1, /* as in /proc/modules */
	KM_MODULE_ADDR = 2, /* u64: core load address (/proc/modules) */
	KM_MODULE_SIZE = 3, /* u64: core size (/proc/modules) */
	KM_MODULE_BUILD_ID = 4, /* bytes: GNU build-id (sysfs notes) */
	KM_MODULE_SECTION = 5, /* addr:u64 name[len - 8] (sysfs sections) */
};

/*
 * LIFE (record --on/--off, common/trace/life.h): KIND says which; ARM
 * and DISARM records carry KIND to COMM, the SUMMARY the counts.
 */
enum km_life_tag {
	KM_LIFE_KIND = 1, /* 1 ARM, 2 DISARM, 3 SUMMARY */
	KM_LIFE_SLOT = 2, /* the watch index */
	KM_LIFE_SEQ = 3, /* the arming's number, from 1 */
	KM_LIFE_EVENT_NS = 4, /* CLOCK_MONOTONIC at the --on/--off call */
	KM_LIFE_LIVE_NS = 5, /* breakpoints live (ARM) or off (DISARM) */
	KM_LIFE_OBJECT = 6, /* the object's address */
	KM_LIFE_ADDR = 7, /* the watched field's address (ARM) */
	KM_LIFE_PID = 8, /* of the task that made the call */
	KM_LIFE_TID = 9,
	KM_LIFE_COMM = 10, /* string, at most 16 bytes */
	KM_LIFE_REPLACED = 11, /* DISARM: 1 if --replace moved the slot on */
	KM_LIFE_ARMS = 16, /* SUMMARY: objects a slot took */
	KM_LIFE_DISARMS = 17,
	KM_LIFE_UNWATCHED = 18, /* arrived with every slot taken */
	KM_LIFE_IGNORED = 19, /* --off for an object not watched */
	KM_LIFE_FILTERED = 20, /* --on calls the task filters left out */
	KM_LIFE_AGAIN = 21, /* --on calls for an object already watched */
	KM_LIFE_UNREADABLE = 22, /* a pointer on the path NULL or unreadable */
	KM_LIFE_MISALIGNED = 23, /* the field not aligned to the length */
	KM_LIFE_REFUSED = 24, /* the kernel would not move a breakpoint */
	KM_LIFE_DROPPED = 25, /* events lost: the ring buffer was full */
	KM_LIFE_REPLACES = 26, /* armings that took an older one's slot */
};

/* Readers refuse more; a real kernel has a few hundred at most. */
#define KM_MAX_MODULES 4096
/*
 * Sections per module and in all: real modules have tens (a few hundred
 * built with -ffunction-sections), so these bound what a crafted file
 * can make a reader keep (docs/trace-format.md, §12).
 */
#define KM_MAX_MODULE_SECTIONS 1024
#define KM_MAX_SECTIONS_TOTAL 65536
#define KM_MODULE_NAME_MAX 255

enum km_trailer_tag {
	KM_TRAILER_HITS = 1, /* hits written */
	KM_TRAILER_LOST = 2, /* hits the kernel dropped (ring buffer full) */
	KM_TRAILER_STACKS = 3, /* distinct stacks written */
	KM_TRAILER_END_NS = 4, /* CLOCK_MONOTONIC at stop */
	KM_TRAILER_SEEN = 5, /* times the BPF program ran */
	KM_TRAILER_FILTERED = 6, /* hits filters (or the -c limit) left out */
};

/*
 * STACKS payload: a sequence of  id:u32 nr:u32 frames:u64[nr]
 * Ids are dense, given in order 0, 1, 2, ...; a stack is defined
 * before the first hit that uses it and never twice.
 */
#define KM_STACK_HDR_SIZE 8

/*
 * HITS payload: a 16-byte header
 *   count:u32  record_size:u16  groups:u16  base_ns:u64
 * then count records of record_size bytes, stored column-major: byte b
 * of record i is at 16 + b * count + i. Laid out this way, bytes that
 * rarely change (pid, comm, high bytes of addresses) form long runs
 * that zstd compresses to almost nothing.
 *
 * A record is the base fields below, then each optional group named
 * in groups, in bit order. Readers skip bytes past the fields they
 * know (record_size says where a record ends), so new fields and
 * groups are added at the end without a version bump.
 */
#define KM_HITS_HDR_SIZE 16

/* One hit record; offsets within the record before the transpose. */
enum km_hit_field {
	/* i64: ns since the previous record; the first is 0 (at base_ns) */
	KM_HIT_TIME_DELTA = 0,
	KM_HIT_IP = 8, /* u64 */
	KM_HIT_ADDR = 16, /* u64 */
	KM_HIT_VALUE = 24, /* u64, valid when flags has KM_HITF_VALUE */
	KM_HIT_PID = 32, /* u32 */
	KM_HIT_TID = 36, /* u32 */
	KM_HIT_CPU = 40, /* u32 */
	KM_HIT_STACK = 44, /* u32 stack id, KM_NO_STACK if none */
	KM_HIT_WATCH = 48, /* u16 */
	KM_HIT_FLAGS = 50, /* u16 KM_HITF_* */
	KM_HIT_COMM = 52, /* char[16], NUL-padded */
	KM_HIT_OLD_VALUE = 68, /* u64, valid when flags has KM_HITF_OLD */
	KM_HIT_BASE_SIZE = 76,
};

/* Optional groups (HITS header groups bits), in this order after the base. */
#define KM_HITS_REGS (1u << 0) /* u64 regs[machine's count], see META */

#define KM_HITF_VALUE (1u << 0)
#define KM_HITF_OLD (1u << 1)
#define KM_HITF_REGS (1u << 2) /* this record's registers are valid */
#define KM_NO_STACK 0xffffffffu

#endif
