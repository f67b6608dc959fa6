// SPDX-License-Identifier: GPL-2.0
/*
 * Writes small, valid traces for the fuzzer to start from: every chunk
 * type (a module's too), two watches, stacks, hits with values, old values and
 * registers, a trailer; a second one cut short; and one of objects
 * watched from birth to death (record --on), whose LIFE chunks reach
 * the objects table and --hits' object lines.
 *
 *   make_seeds DIR
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "../../common/trace/life.h"
#include "../../common/trace/tlv.h"
#include "../../common/trace/trace_format.h"
#include "../../common/trace/trace_writer.h"

static const char kallsyms[] = "ffffffff81000000 T _text\n"
			       "ffffffff81001000 T vfs_read\n"
			       "ffffffff81002000 t memcpy\n"
			       "ffffffffc0001000 t mod_fn\t[mod]\n";

static void check(int err, const char *what)
{
	if (err) {
		fprintf(stderr, "make_seeds: %s failed (%d)\n", what, err);
		exit(1);
	}
}

/* The module mod_fn is in: where it ran, its build-id, two sections. */
static void put_module(struct km_trace_writer *w)
{
	static const uint8_t id[20] = { 0xbc, 0x8f, 0x0c, 0x86 };
	uint8_t sec[8 + 16];
	struct km_buf b = { 0 };

	check(km_tlv_put_str(&b, KM_MODULE_NAME, "mod") ||
		      km_tlv_put_u64(&b, KM_MODULE_ADDR,
				     0xffffffffc0000000ull) ||
		      km_tlv_put_u64(&b, KM_MODULE_SIZE, 0x4000) ||
		      km_tlv_put(&b, KM_MODULE_BUILD_ID, id, sizeof(id)),
	      "module");
	km_put64(sec, 0xffffffffc0001000ull);
	memcpy(sec + 8, ".text", 5);
	check(km_tlv_put(&b, KM_MODULE_SECTION, sec, 8 + 5), "section");
	km_put64(sec, 0xffffffffc0003000ull);
	memcpy(sec + 8, ".data..percpu", 13);
	check(km_tlv_put(&b, KM_MODULE_SECTION, sec, 8 + 13), "section");
	check(km_tw_chunk(w, KM_CHUNK_MODULE_INFO, b.data, b.len), "module");
	km_buf_free(&b);
}

/* The watch's OBJECT; a lifetime trace's starts "objects from --on ". */
static void put_head(struct km_trace_writer *w, const char *object)
{
	struct km_buf b = { 0 };
	int i;

	/* A machine with a default link address: export rebases it. */
	check(km_tlv_put_str(&b, KM_META_RELEASE, "6.1.0-seed") ||
		      km_tlv_put_str(&b, KM_META_MACHINE, "x86_64") ||
		      km_tlv_put_u64(&b, KM_META_REALTIME_NS,
				     1767225600000000000ull) ||
		      km_tlv_put_u64(&b, KM_META_MONOTONIC_NS, 1000) ||
		      km_tlv_put_u64(&b, KM_META_NR_REGS, KM_NR_REGS) ||
		      km_tlv_put_str(&b, KM_META_FILTERS, "pid=1"),
	      "meta");
	check(km_tw_chunk(w, KM_CHUNK_META, b.data, b.len), "meta chunk");
	for (i = 0; i < 2; i++) {
		b.len = 0;
		check(km_tlv_put_u64(&b, KM_WATCH_INDEX, i) ||
			      km_tlv_put_u64(&b, KM_WATCH_TYPE, KM_BP_RW) ||
			      km_tlv_put_u64(&b, KM_WATCH_LEN, 4) ||
			      km_tlv_put_u64(&b, KM_WATCH_ADDR,
					     0xffffffff82000000ull + 8 * i) ||
			      km_tlv_put_str(&b, KM_WATCH_EXPR, "seed") ||
			      (object &&
			       km_tlv_put_str(&b, KM_WATCH_OBJECT, object)),
		      "watch");
		check(km_tw_chunk(w, KM_CHUNK_WATCH, b.data, b.len), "watch");
	}
	km_buf_free(&b);
	check(km_tw_chunk(w, KM_CHUNK_KALLSYMS, kallsyms, strlen(kallsyms)),
	      "kallsyms");
	put_module(w);
}

static void put_hits(struct km_trace_writer *w, int n)
{
	uint64_t frames[] = { 0xffffffff81002010ull, 0xffffffff81001020ull,
			      0xffffffffc0001004ull };
	uint64_t regs[KM_NR_REGS] = { 1, 2, 3 };
	struct km_hit h;
	int i;

	for (i = 0; i < n; i++) {
		memset(&h, 0, sizeof(h));
		h.time_ns = 2000 + 10 * i;
		h.ip = frames[0];
		h.addr = 0xffffffff82000000ull + 8 * (i % 2);
		h.value = i;
		h.old_value = i - 1;
		h.has_value = true;
		h.has_old = i > 0;
		h.pid = h.tid = 100 + i % 3;
		h.watch = i % 2;
		strcpy(h.comm, i % 2 ? "cat" : "dd");
		h.frames = frames + i % 2;
		h.nr_frames = 3 - i % 2;
		h.regs = i % 4 ? NULL : regs;
		check(km_tw_hit(w, &h), "hit");
		if (i % 8 == 7)
			check(km_tw_flush(w), "flush");
	}
}

static void write_seed(const char *dir, const char *name, int hits,
		       bool trailer)
{
	struct km_trailer t = { .seen = hits };
	struct km_trace_writer w;
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	check(km_tw_create(&w, path), "create");
	put_head(&w, NULL);
	put_hits(&w, hits);
	if (trailer)
		check(km_tw_finish(&w, &t), "trailer");
	else
		check(km_tw_flush(&w), "flush");
	km_tw_free(&w);
}

/* One ARM or DISARM, its breakpoints live (or off) 7 ns after the call. */
static void put_life(struct km_trace_writer *w, uint32_t kind, uint32_t slot,
		     uint32_t seq, uint64_t at, uint64_t object)
{
	struct km_life_rec r = { .kind = kind,
				 .slot = slot,
				 .seq = seq,
				 .event_ns = at,
				 .live_ns = at + 7,
				 .object = object,
				 .addr = object + 0x40,
				 .pid = 300 + seq,
				 .tid = 300 + seq };
	struct km_buf b = { 0 };

	/* Every other caller names itself to drive a terminal. */
	strcpy(r.comm, seq % 2 ? "kworker/0:1" : "\033]0;pwn\a\xe2\x80\xae");
	check(km_life_encode(&b, &r), "life");
	check(km_tw_chunk(w, KM_CHUNK_LIFE, b.data, b.len), "life chunk");
	km_buf_free(&b);
}

/* A hit on slot's object (or on no object) at time at. */
static void put_obj_hit(struct km_trace_writer *w, uint16_t slot,
			uint64_t object, uint64_t at)
{
	uint64_t frames[] = { 0xffffffff81002010ull, 0xffffffff81001020ull };
	struct km_hit h = { .time_ns = at,
			    .ip = frames[0],
			    .addr = object + 0x40,
			    .value = at,
			    .has_value = true,
			    .pid = 100,
			    .tid = 101,
			    .watch = slot,
			    .comm = "cat",
			    .frames = frames,
			    .nr_frames = 2 };

	check(km_tw_hit(w, &h), "hit");
}

/*
 * Two slots taking objects one after another, as record --on writes
 * them: each ARM before its object's hits, a DISARM after some; hits
 * before an arming, during lives, after a free (before the breakpoint
 * was off) and after it; a reused address; an object never freed; the
 * summary last.
 */
static void write_life_seed(const char *dir)
{
	struct km_life_summary s = { .valid = true,
				     .arms = 4,
				     .disarms = 3,
				     .unwatched = 2,
				     .ignored = 1,
				     .filtered = 5,
				     .again = 1,
				     .unreadable = 1,
				     .refused = 1 };
	const uint64_t a = 0xffff888001000000ull, b = 0xffff888002000000ull;
	struct km_trailer t = { .seen = 11 };
	struct km_trace_writer w;
	struct km_buf sb = { 0 };
	char path[4096];

	snprintf(path, sizeof(path), "%s/lifetime.kmt", dir);
	check(km_tw_create(&w, path), "create");
	put_head(&w, "objects from --on kmem_cache_alloc:ret");
	put_obj_hit(&w, 0, a, 1500); /* before any arming */
	put_life(&w, KM_LIFE_ARM, 0, 1, 2000, a);
	put_life(&w, KM_LIFE_ARM, 1, 2, 2100, b);
	put_obj_hit(&w, 0, a, 2010);
	put_obj_hit(&w, 1, b, 2200);
	put_obj_hit(&w, 0, a, 2500);
	check(km_tw_flush(&w), "flush");
	put_life(&w, KM_LIFE_DISARM, 0, 1, 3000, a);
	put_obj_hit(&w, 0, a, 3003); /* after the free, breakpoint still on */
	put_obj_hit(&w, 0, a, 3100); /* after the breakpoint was off */
	put_life(&w, KM_LIFE_ARM, 0, 3, 4000, a);
	put_obj_hit(&w, 0, a, 4050); /* the same address, a new object */
	check(km_tw_flush(&w), "flush");
	put_life(&w, KM_LIFE_DISARM, 1, 2, 4500, b);
	put_life(&w, KM_LIFE_DISARM, 0, 3, 5000, a);
	put_life(&w, KM_LIFE_ARM, 1, 4, 6000, b);
	put_obj_hit(&w, 1, b, 6100); /* never freed */
	put_obj_hit(&w, 1, b, 5999); /* a CPU behind: before its arming */
	check(km_life_encode_summary(&sb, &s), "summary");
	check(km_tw_chunk(&w, KM_CHUNK_LIFE, sb.data, sb.len), "summary");
	km_buf_free(&sb);
	check(km_tw_finish(&w, &t), "trailer");
	km_tw_free(&w);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: make_seeds DIR\n");
		return 2;
	}
	write_seed(argv[1], "complete.kmt", 20, true);
	write_seed(argv[1], "no-trailer.kmt", 5, false);
	write_seed(argv[1], "empty.kmt", 0, true);
	write_life_seed(argv[1]);
	return 0;
}
