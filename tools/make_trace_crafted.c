// SPDX-License-Identifier: GPL-2.0
/*
 * Writes traces made to be hard on `kmemsnoop report`'s own data
 * structures rather than on its symbolizer, for make bench
 * (tools/bench_report_crafted.sh): a trace comes from whoever recorded
 * it, and report must stay fast on one written to slow it down.
 *
 *   make_trace_crafted [-n HITS] [-b BITS] [-z SEED] [-a ARMS] MODE OUT
 *
 * MODE is one of:
 *
 *   random         HITS hits (default 200,000) at distinct random ips,
 *                  no stacks: the baseline for the two below.
 *   collide-sym    HITS hits at distinct ips whose 64-bit FNV-1a (the
 *                  hash report used before it was keyed), over the ip's
 *                  8 bytes as report's function cache keys them, agree
 *                  in their low BITS bits (default 20): under that hash
 *                  they all want one slot of a table of up to 2^BITS,
 *                  and linear probing made report -s sym quadratic.
 *   collide-stack  The same for the 12-byte key of a hit without a
 *                  stack (KM_NO_STACK, then the ip), as report's stack
 *                  name cache and perf-script's text cache key it
 *                  (folded, svg, perf-script).
 *   names          HITS hits (default 1,000,000) in one function, each
 *                  from a process of its own name, in shuffled order:
 *                  that many distinct frames at the flame graph's first
 *                  level (its children were kept sorted by insertion).
 *   far            As random, but the hits spread evenly over 10^9 s:
 *                  a timeline of one row a second would have 10^9.
 *   objects        A lifetime trace (record --on): ARMS ARMs (default
 *                  as many as a reader keeps, KM_MAX_LIFE_RECORDS),
 *                  each at an address of its own and never freed, then
 *                  HITS hits (default 1,000,000) on the first object:
 *                  the objects table and --hits look each hit's object
 *                  up among them, and each object's free; with few
 *                  ARMs, what the table costs a hit.
 *
 * The trace holds what report needs and nothing more: META, one WATCH,
 * a small KALLSYMS snapshot (the random and colliding ips fall outside
 * it and print as [unknown], alike for all three), the hits, flushed
 * every 65536 as record does, and the trailer. The same arguments give
 * the same file.
 */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tool_number.h"
#include "../common/bytes.h"
#include "../common/trace/life.h"
#include "../common/trace/tlv.h"
#include "../common/trace/trace_format.h"
#include "../common/trace/trace_writer.h"

#define START_NS 1000000000000ull /* CLOCK_MONOTONIC at "record" start */
#define REALTIME_NS 1767225600000000000ull /* 2026-01-01T00:00:00Z */
#define WATCH_ADDR 0xffffffff82000000ull
#define FN_ADDR 0xffffffff81001000ull /* crafted_fn, where "names" hits are */
#define FNV_OFFSET 0xcbf29ce484222325ull
#define FNV_PRIME 0x100000001b3ull

static const char kallsyms[] = "ffffffff81000000 T _text\n"
			       "ffffffff81001000 T crafted_fn\n"
			       "ffffffff81002000 T _etext\n"
			       "ffffffff82000000 D crafted_var\n";

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static void check(int err, const char *what)
{
	if (err)
		errx(1, "%s: %s", what, strerror(-err));
}

/* splitmix64: a fixed sequence from the seed. */
static uint64_t rnd(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint64_t fnv_step(uint64_t h, uint8_t b)
{
	return (h ^ b) * FNV_PRIME;
}

/*
 * n distinct ips whose FNV-1a, started from state s0 (the offset basis
 * run over whatever precedes the ip in the key) and run over the ip's
 * bytes little-endian, is 0 in its low bits. The low bits of the state
 * depend only on the low bits of what went before, so the last byte
 * can be solved for: after ip bytes 0..6 give state s, the final state
 * is (s ^ b7) * P, which (P being odd) is 0 modulo 2^bits exactly when
 * s ^ b7 is: when bits 8 and up of s (below bits) are 0 and b7 is s's
 * low byte.
 * One state in 2^(bits - 8) qualifies; bytes 0..5 count up, byte 6 runs
 * through all 256 values for each.
 */
static void colliding_ips(uint64_t *ips, size_t n, uint64_t s0, int bits)
{
	uint64_t mask = bits >= 64 ? ~0ull : (1ull << bits) - 1, c, s, t;
	size_t got = 0;
	int i, b6;

	for (c = 0; got < n && c < (1ull << 48); c++) {
		for (s = s0, i = 0; i < 6; i++)
			s = fnv_step(s, (c >> (8 * i)) & 0xff);
		for (b6 = 0; b6 < 256 && got < n; b6++) {
			t = fnv_step(s, b6) & mask;
			if (t >> 8)
				continue;
			ips[got++] = c | (uint64_t)b6 << 48 | t << 56;
		}
	}
	if (got < n)
		errx(1, "found only %zu colliding ips", got);
}

static void put_meta(struct km_trace_writer *w)
{
	struct km_buf b = { 0 };
	int err = 0;

	err = err ?: km_tlv_put_str(&b, KM_META_RELEASE, "6.1.0-crafted");
	err = err ?: km_tlv_put_str(&b, KM_META_HOSTNAME, "make_trace_crafted");
	err = err ?: km_tlv_put_u64(&b, KM_META_REALTIME_NS, REALTIME_NS);
	err = err ?: km_tlv_put_u64(&b, KM_META_MONOTONIC_NS, START_NS);
	err = err ?: km_tlv_put_u64(&b, KM_META_NR_CPUS, 2);
	err = err ?: km_tlv_put_str(&b, KM_META_TOOL_VERSION, KM_TOOL_VERSION);
	err = err ?: km_tlv_put_u64(&b, KM_META_NR_REGS, KM_NR_REGS);
	check(err, "META");
	check(km_tw_chunk(w, KM_CHUNK_META, b.data, b.len), "META chunk");
	km_buf_free(&b);
}

/* object: the watch's OBJECT tag, NULL for none. */
static void put_watch(struct km_trace_writer *w, const char *object)
{
	struct km_buf b = { 0 };

	check(km_tlv_put_u64(&b, KM_WATCH_INDEX, 0) ||
		      km_tlv_put_u64(&b, KM_WATCH_TYPE, KM_BP_RW) ||
		      km_tlv_put_u64(&b, KM_WATCH_LEN, 4) ||
		      km_tlv_put_u64(&b, KM_WATCH_ADDR, WATCH_ADDR) ||
		      km_tlv_put_str(&b, KM_WATCH_EXPR, "crafted_var") ||
		      (object && km_tlv_put_str(&b, KM_WATCH_OBJECT, object)),
	      "WATCH");
	check(km_tw_chunk(w, KM_CHUNK_WATCH, b.data, b.len), "WATCH chunk");
	km_buf_free(&b);
}

/*
 * objects: the ARMs, one a chunk as record writes them; object i's
 * field is at WATCH_ADDR + 8 * i, the hits' at object 0's.
 */
static void put_arms(struct km_trace_writer *w, uint32_t arms)
{
	struct km_life_rec r = { .kind = KM_LIFE_ARM, .comm = "crafted" };
	struct km_buf b = { 0 };
	uint32_t i;

	for (i = 0; i < arms; i++) {
		r.seq = i + 1;
		r.event_ns = START_NS + i;
		r.live_ns = r.event_ns + 1;
		r.object = WATCH_ADDR + 8 * (uint64_t)i;
		r.addr = r.object;
		b.len = 0;
		check(km_life_encode(&b, &r), "LIFE");
		check(km_tw_chunk(w, KM_CHUNK_LIFE, b.data, b.len),
		      "LIFE chunk");
	}
	km_buf_free(&b);
}

static void usage(void)
{
	fprintf(stderr,
		"usage: make_trace_crafted [-n HITS] [-b BITS] [-z SEED] [-a ARMS]\n"
		"           random|collide-sym|collide-stack|names|far|objects OUT\n");
	exit(2);
}

int main(int argc, char **argv)
{
	uint64_t n = 0, seed = 1, i, t = START_NS, s0, *ips = NULL;
	uint32_t *order = NULL, tmp, j, arms = KM_MAX_LIFE_RECORDS;
	struct km_trace_writer w;
	struct km_trailer tr = { 0 };
	const char *mode;
	struct km_hit h;
	int c, bits = 20;
	bool objects;

	while ((c = getopt(argc, argv, "n:b:z:a:")) != -1) {
		switch (c) {
		case 'n':
			n = tool_number(optarg, "hit count");
			break;
		case 'b':
			bits = tool_number(optarg, "bit count");
			break;
		case 'z':
			seed = tool_number(optarg, "seed");
			break;
		case 'a':
			arms = tool_number(optarg, "ARM count");
			break;
		default:
			usage();
		}
	}
	if (argc - optind != 2)
		usage();
	mode = argv[optind];
	rng ^= seed * 0xbf58476d1ce4e5b9ull;
	objects = !strcmp(mode, "objects");
	if (!n)
		n = strcmp(mode, "names") && !objects ? 200000 : 1000000;
	if (n > UINT32_MAX || bits < 9 || bits > 24 ||
	    arms > KM_MAX_LIFE_RECORDS)
		errx(1,
		     "HITS must be under 2^32, BITS 9 to 24, ARMS at most %u",
		     KM_MAX_LIFE_RECORDS);

	if (!strcmp(mode, "names")) {
		order = malloc(n * sizeof(*order));
		if (!order)
			errx(1, "out of memory");
		for (i = 0; i < n; i++)
			order[i] = i;
		for (i = n - 1; i > 0; i--) {
			j = rnd() % (i + 1);
			tmp = order[i];
			order[i] = order[j];
			order[j] = tmp;
		}
	} else {
		ips = malloc(n * sizeof(*ips));
		if (!ips)
			errx(1, "out of memory");
		if (!strcmp(mode, "random") || !strcmp(mode, "far") ||
		    objects) {
			for (i = 0; i < n; i++)
				ips[i] = rnd();
		} else if (!strcmp(mode, "collide-sym") ||
			   !strcmp(mode, "collide-stack")) {
			s0 = FNV_OFFSET;
			/* The stack key's first 4 bytes: KM_NO_STACK. */
			for (i = 0; !strcmp(mode, "collide-stack") && i < 4;
			     i++)
				s0 = fnv_step(s0,
					      (KM_NO_STACK >> (8 * i)) & 0xff);
			colliding_ips(ips, n, s0, bits);
		} else {
			usage();
		}
	}

	check(km_tw_create(&w, argv[optind + 1]), "create");
	put_meta(&w);
	put_watch(&w, objects ? "objects from --on crafted_alloc:ret" : NULL);
	check(km_tw_chunk(&w, KM_CHUNK_KALLSYMS, kallsyms, strlen(kallsyms)),
	      "KALLSYMS chunk");
	if (objects) {
		put_arms(&w, arms);
		t += arms; /* the hits after every arming */
	}
	for (i = 0; i < n; i++) {
		memset(&h, 0, sizeof(h));
		/* far: spread over 10^9 s, a 10^9-row timeline before. */
		t += strcmp(mode, "far") ? 10000 : 1000000000000000000ull / n;
		h.time_ns = t;
		h.addr = WATCH_ADDR;
		h.stack_id = KM_NO_STACK;
		h.pid = 1000;
		h.tid = 1000;
		if (order) {
			h.ip = FN_ADDR + 16;
			snprintf(h.comm, sizeof(h.comm), "n%07" PRIx32,
				 order[i]);
		} else {
			h.ip = ips[i];
			snprintf(h.comm, sizeof(h.comm), "crafted");
		}
		check(km_tw_hit(&w, &h), "hit");
		if (i % 65536 == 65535)
			check(km_tw_flush(&w), "flush");
	}
	tr.seen = n;
	tr.end_ns = t + 1000000;
	check(km_tw_finish(&w, &tr), "trailer");
	fprintf(stderr,
		"make_trace_crafted: %s: %s, %" PRIu64 " hits, %" PRIu64
		" bytes\n",
		argv[optind + 1], mode, tr.hits, w.bytes);
	km_tw_free(&w);
	free(ips);
	free(order);
	return 0;
}
