// SPDX-License-Identifier: GPL-2.0
/*
 * The reader on untrusted input: cut short anywhere, bad headers,
 * hostile sizes, references to nothing, unknown chunks, flipped bytes,
 * LIFE records (record --on) that no recording writes.
 * Failing cases print an error line on stderr; that is expected. The
 * loops that try thousands of files turn stderr off while they run.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "../../common/trace/life.h"
#include "../../common/trace/trace_writer.h"
#include "../../report/symbols.h"
#include "../../common/trace/trace_reader.h"
#include "km_test.h"

#define NR_BATCHES 5
#define MAX_CHUNKS 64

/* The small trace every test starts from. */
struct fixture {
	char dir[256];
	char path[300]; /* the trace as written */
	char bad[300]; /* scratch file for modified copies */
	uint8_t *buf;
	size_t size;
	uint64_t meta_end; /* the file offset where META ends */
	/* After flush k: the file size and the hits written so far. */
	uint64_t mark_off[NR_BATCHES + 1], mark_hits[NR_BATCHES + 1];
	uint64_t total;
	struct km_test_chunk chunks[MAX_CHUNKS];
	size_t nr_chunks;
};

static const uint64_t *stack_frames(int s)
{
	static uint64_t f[8][8];
	int i;

	for (i = 0; i <= s; i++)
		f[s][i] = 0xffffffff81000000 + s * 0x100 + i * 8;
	return f[s];
}

/* Hit j of batch k; batch k is the first to use stack k. */
static void gen_hit(int k, int j, uint64_t n, struct km_hit *h)
{
	int s = j % (k + 2);

	memset(h, 0, sizeof(*h));
	h->time_ns = 1000000 + n * 10;
	h->ip = 0xffffffff81100000 + n;
	h->addr = 0xffffffff82000000;
	h->value = n;
	h->has_value = n & 1;
	h->pid = h->tid = 100 + k;
	h->cpu = j % 4;
	strcpy(h->comm, "trigger");
	if (s <= k) {
		h->nr_frames = s + 1;
		h->frames = stack_frames(s);
	}
}

/*
 * Chunk types no reader knows yet: empty both compressed (99) and
 * stored (100), and one with a payload (101).
 */
static void put_unknown(struct km_trace_writer *w)
{
	uint8_t hdr[KM_CHUNK_HDR_SIZE] = { 0 };
	static const char junk[300] = "from a newer kmemsnoop";

	assert_int_equal(km_tw_chunk(w, 99, NULL, 0), 0);
	km_put32(hdr, 100);
	assert_int_equal(write(w->fd, hdr, sizeof(hdr)), sizeof(hdr));
	w->bytes += sizeof(hdr);
	assert_int_equal(km_tw_chunk(w, 101, junk, sizeof(junk)), 0);
}

/* Batches of hits, each flushed on its own; optionally unknown chunks. */
static void write_small(struct fixture *fx, const char *path, bool unknown)
{
	struct km_trailer tr = { .lost = 1 };
	struct km_trace_writer w;
	struct km_hit h;
	uint64_t n = 0;
	int k, j;

	assert_int_equal(km_tw_create(&w, path), 0);
	km_test_put_meta(&w);
	fx->meta_end = w.bytes;
	km_test_put_watch(&w, 0, KM_BP_RW, 8, 0xffffffff82000000, "jiffies");
	if (unknown)
		put_unknown(&w);
	assert_int_equal(km_tw_chunk(&w, KM_CHUNK_KALLSYMS, "", 0), 0);
	fx->mark_off[0] = w.bytes;
	fx->mark_hits[0] = 0;
	for (k = 0; k < NR_BATCHES; k++) {
		for (j = 0; j < 37 + 23 * k; j++, n++) {
			gen_hit(k, j, n, &h);
			assert_int_equal(km_tw_hit(&w, &h), 0);
		}
		assert_int_equal(km_tw_flush(&w), 0);
		assert_int_equal(w.hits, n);
		fx->mark_off[k + 1] = w.bytes;
		fx->mark_hits[k + 1] = n;
		if (unknown)
			put_unknown(&w);
	}
	fx->total = n;
	assert_int_equal(km_tw_finish(&w, &tr), 0);
	km_tw_free(&w);
}

static int setup(void **state)
{
	static struct fixture fx;

	km_test_mkdtemp(fx.dir);
	snprintf(fx.path, sizeof(fx.path), "%s/small.kmt", fx.dir);
	snprintf(fx.bad, sizeof(fx.bad), "%s/bad.kmt", fx.dir);
	write_small(&fx, fx.path, false);
	fx.buf = km_test_read_file(fx.path, &fx.size);
	fx.nr_chunks = km_test_chunks(fx.buf, fx.size, fx.chunks, MAX_CHUNKS);
	assert_true(fx.nr_chunks <= MAX_CHUNKS);
	*state = &fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	free(fx->buf);
	km_test_rmdir(fx->dir);
	return 0;
}

/* What reading a whole file came to; never asserts (stderr may be off). */
struct outcome {
	int open_rc;
	long end_rc; /* the last km_trace_next_hits, if opened */
	uint64_t hits, digest;
	bool truncated, trailer;
};

static uint64_t fnv(uint64_t d, uint64_t v)
{
	return (d ^ v) * 0x100000001b3ull;
}

/* Folds every field of h into d, to compare whole reads cheaply. */
static uint64_t digest_hit(uint64_t d, const struct km_hit *h)
{
	uint32_t i;

	d = fnv(d, h->time_ns);
	d = fnv(d, h->ip);
	d = fnv(d, h->addr);
	d = fnv(d, h->value);
	d = fnv(d, h->pid);
	d = fnv(d, h->tid);
	d = fnv(d, h->cpu);
	d = fnv(d, h->watch);
	d = fnv(d, h->has_value);
	d = fnv(d, h->stack_id);
	d = fnv(d, h->nr_frames);
	for (i = 0; i < h->nr_frames; i++)
		d = fnv(d, h->frames[i]);
	for (i = 0; i < KM_COMM_LEN; i++)
		d = fnv(d, (uint8_t)h->comm[i]);
	return d;
}

static struct outcome read_trace(const char *path)
{
	struct outcome o = { .digest = 0xcbf29ce484222325ull };
	const struct km_hit *h;
	struct km_trace t;
	long n, i;

	o.open_rc = km_trace_open(&t, path);
	if (!o.open_rc) {
		while ((n = km_trace_next_hits(&t, &h)) > 0)
			for (i = 0; i < n; i++)
				o.digest = digest_hit(o.digest, &h[i]);
		o.end_rc = n;
		o.hits = t.d.hits_read;
		o.truncated = t.truncated;
		o.trailer = t.d.has_trailer;
	}
	km_trace_close(&t);
	return o;
}

/* The first error, from opening or from reading. */
static long final_rc(const struct outcome *o)
{
	return o->open_rc ? o->open_rc : o->end_rc;
}

/* A copy of the trace with a u32 at off replaced, read back. */
static struct outcome read_patched(struct fixture *fx, size_t off, uint32_t v)
{
	uint8_t *copy = malloc(fx->size);
	struct outcome o;

	assert_non_null(copy);
	memcpy(copy, fx->buf, fx->size);
	km_put32(copy + off, v);
	km_test_write_file(fx->bad, copy, fx->size);
	free(copy);
	o = read_trace(fx->bad);
	return o;
}

/* The trace followed by extra bytes, read back. */
static struct outcome read_appended(struct fixture *fx, const void *extra,
				    size_t len)
{
	uint8_t *copy = malloc(fx->size + len);
	struct outcome o;

	assert_non_null(copy);
	memcpy(copy, fx->buf, fx->size);
	memcpy(copy + fx->size, extra, len);
	km_test_write_file(fx->bad, copy, fx->size + len);
	free(copy);
	o = read_trace(fx->bad);
	return o;
}

static const struct km_test_chunk *nth_chunk(struct fixture *fx, uint32_t type,
					     int nth)
{
	size_t i;

	for (i = 0; i < fx->nr_chunks; i++)
		if (fx->chunks[i].type == type && !nth--)
			return &fx->chunks[i];
	fail_msg("the test trace has too few chunks of type %u", type);
	return NULL;
}

static void test_intact(void **state)
{
	struct fixture *fx = *state;
	struct outcome o = read_trace(fx->path);

	assert_int_equal(o.open_rc, 0);
	assert_int_equal(o.end_rc, 0);
	assert_int_equal(o.hits, fx->total);
	assert_true(o.trailer);
	assert_false(o.truncated);
	/* Several HITS chunks, and STACKS chunks between them. */
	assert_int_equal(nth_chunk(fx, KM_CHUNK_HITS, NR_BATCHES - 1)->end,
			 fx->mark_off[NR_BATCHES]);
	assert_non_null(nth_chunk(fx, KM_CHUNK_STACKS, NR_BATCHES - 1));
}

/* Hits a file cut to len must give: those of the whole chunks before it. */
static uint64_t hits_before(const struct fixture *fx, uint64_t len)
{
	int k;

	for (k = NR_BATCHES; k > 0; k--)
		if (fx->mark_off[k] <= len)
			return fx->mark_hits[k];
	return 0;
}

static bool on_boundary(const struct fixture *fx, uint64_t len)
{
	size_t i;

	for (i = 0; i < fx->nr_chunks; i++)
		if (fx->chunks[i].end == len)
			return true;
	return len == KM_FILE_HDR_SIZE;
}

/* Whether o is right for the trace cut to len bytes. */
static bool cut_ok(const struct fixture *fx, uint64_t len,
		   const struct outcome *o)
{
	if (len < fx->meta_end)
		return o->open_rc == -EBADMSG;
	return o->open_rc == 0 && o->end_rc == 0 &&
	       o->hits == hits_before(fx, len) && !o->trailer &&
	       o->truncated == !on_boundary(fx, len);
}

static void test_cut_everywhere(void **state)
{
	struct fixture *fx = *state;
	struct outcome o, bad_o = { 0 };
	int64_t len, bad_len = -1;
	int fd;

	km_test_write_file(fx->bad, fx->buf, fx->size);
	fd = open(fx->bad, O_WRONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	km_test_quiet();
	for (len = fx->size - 1; len >= 0; len--) {
		if (ftruncate(fd, len))
			break;
		o = read_trace(fx->bad);
		if (!cut_ok(fx, len, &o)) {
			bad_len = len;
			bad_o = o;
		}
	}
	km_test_loud();
	close(fd);
	assert_int_equal(len, -1);
	if (bad_len >= 0)
		fail_msg(
			"cut to %lld of %zu bytes: open %d, end %ld, %llu hits (want %llu), truncated %d, trailer %d",
			(long long)bad_len, fx->size, bad_o.open_rc,
			bad_o.end_rc, (unsigned long long)bad_o.hits,
			(unsigned long long)hits_before(fx, bad_len),
			bad_o.truncated, bad_o.trailer);
}

static void test_bad_magic(void **state)
{
	struct fixture *fx = *state;
	struct outcome o;
	uint32_t magic = km_get32(fx->buf);

	o = read_patched(fx, 0, magic ^ 0x100);
	assert_int_equal(o.open_rc, -EBADMSG);
	km_test_write_file(fx->bad, "", 0);
	o = read_trace(fx->bad);
	assert_int_equal(o.open_rc, -EBADMSG);
	km_test_write_file(fx->bad, KM_MAGIC, KM_MAGIC_LEN);
	o = read_trace(fx->bad);
	assert_int_equal(o.open_rc, -EBADMSG);
}

static void test_not_a_file(void **state)
{
	struct fixture *fx = *state;
	struct outcome o;
	char path[320];

	o = read_trace(fx->dir);
	assert_int_equal(o.open_rc, -EINVAL);
	snprintf(path, sizeof(path), "%s/missing.kmt", fx->dir);
	o = read_trace(path);
	assert_int_equal(o.open_rc, -ENOENT);
}

static void test_version(void **state)
{
	struct fixture *fx = *state;
	struct outcome o;

	o = read_patched(fx, 8, KM_VERSION + 1);
	assert_int_equal(o.open_rc, -EPROTONOSUPPORT);
	o = read_patched(fx, 8, 0xffffffff);
	assert_int_equal(o.open_rc, -EPROTONOSUPPORT);
	o = read_patched(fx, 8, 0);
	assert_int_equal(o.open_rc, -EBADMSG);
}

/* Sizes no chunk may claim are corrupt, wherever they are. */
static void test_huge_raw_size(void **state)
{
	struct fixture *fx = *state;
	const struct km_test_chunk *c;
	uint8_t hdr[KM_CHUNK_HDR_SIZE + 8] = { 0 };
	struct outcome o;

	o = read_patched(fx, fx->chunks[0].off + 8, 3u << 30);
	assert_int_equal(o.open_rc, -EBADMSG);
	c = nth_chunk(fx, KM_CHUNK_WATCH, 0);
	o = read_patched(fx, c->off + 8, 3u << 30);
	assert_int_equal(o.open_rc, -EBADMSG);
	c = nth_chunk(fx, KM_CHUNK_HITS, 1);
	o = read_patched(fx, c->off + 8, 3u << 30);
	assert_int_equal(final_rc(&o), -EBADMSG);
	/* After the trailer: every hit, then the error. */
	km_put32(hdr, KM_CHUNK_HITS);
	km_put32(hdr + 4, KM_CHUNK_ZSTD);
	km_put32(hdr + 8, 3u << 30);
	km_put32(hdr + 12, 8);
	o = read_appended(fx, hdr, sizeof(hdr));
	assert_int_equal(o.open_rc, 0);
	assert_int_equal(o.end_rc, -EBADMSG);
	assert_int_equal(o.hits, fx->total);
}

static void test_stored_size_past_end(void **state)
{
	struct fixture *fx = *state;
	const struct km_test_chunk *c = nth_chunk(fx, KM_CHUNK_HITS, 1);
	uint8_t hdr[KM_CHUNK_HDR_SIZE + 8] = { 0 };
	struct outcome o;

	/* One byte more than the file holds: cut short there. */
	o = read_patched(fx, c->off + 12,
			 fx->size - c->off - KM_CHUNK_HDR_SIZE + 1);
	assert_int_equal(o.open_rc, 0);
	assert_int_equal(o.end_rc, 0);
	assert_true(o.truncated);
	assert_int_equal(o.hits, fx->mark_hits[1]);
	/* More than any chunk may hold: corrupt. */
	o = read_patched(fx, c->off + 12, 0xffffffff);
	assert_int_equal(final_rc(&o), -EBADMSG);
	assert_int_equal(o.hits, fx->mark_hits[1]);
	/* A header after the trailer whose payload is not there. */
	km_put32(hdr, KM_CHUNK_HITS);
	km_put32(hdr + 4, KM_CHUNK_ZSTD);
	km_put32(hdr + 8, 100);
	km_put32(hdr + 12, 1000);
	o = read_appended(fx, hdr, sizeof(hdr));
	assert_int_equal(o.open_rc, 0);
	assert_int_equal(o.end_rc, 0);
	assert_true(o.truncated);
	assert_int_equal(o.hits, fx->total);
}

/* raw_size must be what the payload decompresses to, flags known. */
static void test_header_lies(void **state)
{
	struct fixture *fx = *state;
	const struct km_test_chunk *c = nth_chunk(fx, KM_CHUNK_HITS, 0);
	struct outcome o;

	o = read_patched(fx, c->off + 8, c->raw_size - 1);
	assert_int_equal(final_rc(&o), -EBADMSG);
	o = read_patched(fx, c->off + 8, c->raw_size + 1);
	assert_int_equal(final_rc(&o), -EBADMSG);
	o = read_patched(fx, c->off + 4, KM_CHUNK_ZSTD | 2);
	assert_int_equal(final_rc(&o), -EBADMSG);
	/* Not flagged as compressed, but sizes disagree. */
	o = read_patched(fx, c->off + 4, 0);
	assert_int_equal(final_rc(&o), -EBADMSG);
	assert_int_equal(o.hits, 0);
}

/* Hand-built traces: META, one watch, then what the test adds. */
static void start(struct km_trace_writer *w, const char *path)
{
	assert_int_equal(km_tw_create(w, path), 0);
	km_test_put_meta(w);
	km_test_put_watch(w, 0, KM_BP_W, 4, 0xffffffff82000000, "jiffies");
}

static void put_hit(struct km_trace_writer *w, uint16_t watch,
		    uint32_t stack_id)
{
	struct km_hit h = { .time_ns = 1,
			    .watch = watch,
			    .stack_id = stack_id };
	struct km_buf b = { 0 };

	strcpy(h.comm, "x");
	assert_int_equal(km_encode_hits(&b, &h, 1), 0);
	assert_int_equal(km_tw_chunk(w, KM_CHUNK_HITS, b.data, b.len), 0);
	km_buf_free(&b);
}

static void put_stack(struct km_trace_writer *w, uint32_t id, uint32_t nr,
		      uint32_t nr_data)
{
	struct km_buf b = { 0 };
	uint32_t i;

	assert_int_equal(km_buf_put32(&b, id), 0);
	assert_int_equal(km_buf_put32(&b, nr), 0);
	for (i = 0; i < nr_data; i++)
		assert_int_equal(km_buf_put64(&b, 0xffffffff81000000 + i), 0);
	assert_int_equal(km_tw_chunk(w, KM_CHUNK_STACKS, b.data, b.len), 0);
	km_buf_free(&b);
}

static struct outcome finish(struct km_trace_writer *w, const char *path)
{
	km_tw_free(w);
	return read_trace(path);
}

static void test_undefined_stack(void **state)
{
	struct fixture *fx = *state;
	struct km_trace_writer w;
	struct outcome o;

	/* The control: a defined stack reads fine. */
	start(&w, fx->bad);
	put_stack(&w, 0, 2, 2);
	put_hit(&w, 0, 0);
	put_hit(&w, 0, KM_NO_STACK);
	o = finish(&w, fx->bad);
	assert_int_equal(final_rc(&o), 0);
	assert_int_equal(o.hits, 2);

	start(&w, fx->bad);
	put_hit(&w, 0, 5);
	o = finish(&w, fx->bad);
	assert_int_equal(final_rc(&o), -EBADMSG);
	assert_int_equal(o.hits, 0);

	start(&w, fx->bad);
	put_stack(&w, 0, 2, 2);
	put_hit(&w, 0, 1);
	o = finish(&w, fx->bad);
	assert_int_equal(final_rc(&o), -EBADMSG);
}

static void test_bad_references(void **state)
{
	struct fixture *fx = *state;
	struct km_trace_writer w;
	struct outcome o;

	/* Watchpoint 1 of 1. */
	start(&w, fx->bad);
	put_hit(&w, 1, KM_NO_STACK);
	o = finish(&w, fx->bad);
	assert_int_equal(final_rc(&o), -EBADMSG);

	/* Stack ids must come in order. */
	start(&w, fx->bad);
	put_stack(&w, 1, 2, 2);
	o = finish(&w, fx->bad);
	assert_int_equal(final_rc(&o), -EBADMSG);

	/* More frames than a stack may have, or than the chunk holds. */
	start(&w, fx->bad);
	put_stack(&w, 0, KM_MAX_FRAMES + 1, KM_MAX_FRAMES + 1);
	o = finish(&w, fx->bad);
	assert_int_equal(final_rc(&o), -EBADMSG);
	start(&w, fx->bad);
	put_stack(&w, 0, 3, 2);
	o = finish(&w, fx->bad);
	assert_int_equal(final_rc(&o), -EBADMSG);
}

static void test_bad_structure(void **state)
{
	struct fixture *fx = *state;
	struct km_trace_writer w;
	struct km_buf b = { 0 };
	struct outcome o;

	/* A hit count the chunk cannot hold. */
	start(&w, fx->bad);
	assert_int_equal(km_buf_put32(&b, 2), 0);
	/* record_size (u16) = the base record, groups (u16) = 0 */
	assert_int_equal(km_buf_put32(&b, KM_HIT_BASE_SIZE), 0);
	assert_int_equal(km_buf_put64(&b, 0), 0);
	assert_non_null(km_buf_grow(&b, KM_HIT_BASE_SIZE));
	memset(b.data + KM_HITS_HDR_SIZE, 0, KM_HIT_BASE_SIZE);
	assert_int_equal(km_tw_chunk(&w, KM_CHUNK_HITS, b.data, b.len), 0);
	km_buf_free(&b);
	o = finish(&w, fx->bad);
	assert_int_equal(final_rc(&o), -EBADMSG);

	/* Records shorter than the fields every reader needs. */
	start(&w, fx->bad);
	assert_int_equal(km_buf_put32(&b, 1), 0);
	assert_int_equal(km_buf_put32(&b, KM_HIT_BASE_SIZE - 8), 0);
	assert_int_equal(km_buf_put64(&b, 0), 0);
	assert_non_null(km_buf_grow(&b, KM_HIT_BASE_SIZE - 8));
	memset(b.data + KM_HITS_HDR_SIZE, 0, KM_HIT_BASE_SIZE - 8);
	assert_int_equal(km_tw_chunk(&w, KM_CHUNK_HITS, b.data, b.len), 0);
	km_buf_free(&b);
	o = finish(&w, fx->bad);
	assert_int_equal(final_rc(&o), -EBADMSG);

	/* Zero-sized records must not divide by zero. */
	start(&w, fx->bad);
	assert_int_equal(km_buf_put32(&b, 1), 0);
	assert_int_equal(km_buf_put32(&b, 0), 0);
	assert_int_equal(km_buf_put64(&b, 0), 0);
	assert_int_equal(km_tw_chunk(&w, KM_CHUNK_HITS, b.data, b.len), 0);
	km_buf_free(&b);
	o = finish(&w, fx->bad);
	assert_int_equal(final_rc(&o), -EBADMSG);

	/* A second META. */
	start(&w, fx->bad);
	km_test_put_meta(&w);
	o = finish(&w, fx->bad);
	assert_int_equal(final_rc(&o), -EBADMSG);

	/* No META first. */
	assert_int_equal(km_tw_create(&w, fx->bad), 0);
	km_test_put_watch(&w, 0, KM_BP_W, 4, 0xffffffff82000000, "jiffies");
	o = finish(&w, fx->bad);
	assert_int_equal(o.open_rc, -EBADMSG);

	/* A watchpoint whose index is not the next one. */
	assert_int_equal(km_tw_create(&w, fx->bad), 0);
	km_test_put_meta(&w);
	km_test_put_watch(&w, 1, KM_BP_W, 4, 0xffffffff82000000, "jiffies");
	o = finish(&w, fx->bad);
	assert_int_equal(o.open_rc, -EBADMSG);

	/* META entries that run past the chunk. */
	assert_int_equal(km_tw_create(&w, fx->bad), 0);
	assert_int_equal(km_tlv_put_str(&b, KM_META_RELEASE, "6.1"), 0);
	km_put32(b.data + 4, 100);
	assert_int_equal(km_tw_chunk(&w, KM_CHUNK_META, b.data, b.len), 0);
	km_buf_free(&b);
	o = finish(&w, fx->bad);
	assert_int_equal(o.open_rc, -EBADMSG);
}

/* One LIFE chunk: an ARM or DISARM of slot 0 at 0xa008, or raw TLV. */
static void put_life(struct km_trace_writer *w, uint32_t kind, uint32_t slot,
		     uint32_t seq, uint64_t event_ns, uint64_t live_ns)
{
	struct km_life_rec r = { .kind = kind,
				 .slot = slot,
				 .seq = seq,
				 .event_ns = event_ns,
				 .live_ns = live_ns,
				 .object = 0xa000,
				 .addr = 0xa008 };
	struct km_buf b = { 0 };

	assert_int_equal(km_life_encode(&b, &r), 0);
	assert_int_equal(km_tw_chunk(w, KM_CHUNK_LIFE, b.data, b.len), 0);
	km_buf_free(&b);
}

/* The file at path read whole; its LIFE records and index are kept. */
static long read_life(const char *path, struct km_trace *t)
{
	const struct km_hit *h;
	long n;
	int rc = km_trace_open(t, path);

	if (rc)
		return rc;
	while ((n = km_trace_next_hits(t, &h)) > 0)
		;
	return n;
}

/* LIFE chunks no recording writes, refused with a reason. */
static void test_life_corrupt(void **state)
{
	struct fixture *fx = *state;
	struct km_trace_writer w;
	struct km_buf b = { 0 };
	uint8_t four[4] = { 0 };
	struct outcome o;

	/* An entry cut short inside the chunk. */
	start(&w, fx->bad);
	assert_int_equal(km_tlv_put_u64(&b, KM_LIFE_KIND, KM_LIFE_ARM), 0);
	assert_int_equal(km_tlv_put_u64(&b, KM_LIFE_SEQ, 1), 0);
	assert_int_equal(km_tw_chunk(&w, KM_CHUNK_LIFE, b.data, b.len - 3), 0);
	km_buf_free(&b);
	o = finish(&w, fx->bad);
	assert_int_equal(final_rc(&o), -EBADMSG);

	/* A value that is not 8 bytes. */
	start(&w, fx->bad);
	assert_int_equal(km_tlv_put_u64(&b, KM_LIFE_KIND, KM_LIFE_DISARM), 0);
	assert_int_equal(km_tlv_put(&b, KM_LIFE_EVENT_NS, four, 4), 0);
	assert_int_equal(km_tw_chunk(&w, KM_CHUNK_LIFE, b.data, b.len), 0);
	km_buf_free(&b);
	o = finish(&w, fx->bad);
	assert_int_equal(final_rc(&o), -EBADMSG);

	/* An empty LIFE chunk: no kind. */
	start(&w, fx->bad);
	assert_int_equal(km_tw_chunk(&w, KM_CHUNK_LIFE, NULL, 0), 0);
	o = finish(&w, fx->bad);
	assert_int_equal(final_rc(&o), -EBADMSG);

	/* A slot past the 4 a trace can have, then past its watches. */
	start(&w, fx->bad);
	put_life(&w, KM_LIFE_ARM, KM_MAX_WATCHES, 1, 10, 20);
	o = finish(&w, fx->bad);
	assert_int_equal(final_rc(&o), -EBADMSG);
	start(&w, fx->bad);
	put_life(&w, KM_LIFE_ARM, 1, 1, 10, 20);
	o = finish(&w, fx->bad);
	assert_int_equal(final_rc(&o), -EBADMSG);

	/* The file cut inside a LIFE chunk: cut short, the hits before read. */
	start(&w, fx->bad);
	put_hit(&w, 0, KM_NO_STACK);
	put_life(&w, KM_LIFE_ARM, 0, 1, 10, 20);
	km_tw_free(&w);
	assert_int_equal(truncate(fx->bad, w.bytes - 5), 0);
	o = read_trace(fx->bad);
	assert_int_equal(final_rc(&o), 0);
	assert_true(o.truncated);
	assert_int_equal(o.hits, 1);
}

/*
 * LIFE records out of the order a recording writes them, or with
 * values it does not give, are read as they are: whose hit is whose
 * stays defined, and nothing is paired that should not be.
 */
static void test_life_odd(void **state)
{
	struct fixture *fx = *state;
	struct km_life_summary huge;
	struct km_trace_writer w;
	struct km_buf b = { 0 };
	struct km_trace t;
	bool freed;

	start(&w, fx->bad);
	put_life(&w, KM_LIFE_DISARM, 0, 1, 5, 6); /* 0: before its ARM */
	put_life(&w, KM_LIFE_ARM, 0, 1, 10, 20); /* 1 */
	put_life(&w, KM_LIFE_DISARM, 0, 7, 30, 31); /* 2: no ARM numbered 7 */
	put_life(&w, KM_LIFE_ARM, 0, 1, 40, 30); /* 3: seq again; live first */
	put_life(&w, KM_LIFE_DISARM, 0, 1, 50, 60); /* 4: ends 3, not 1 */
	memset(&huge, 0xff, sizeof(huge));
	assert_int_equal(km_life_encode_summary(&b, &huge), 0);
	assert_int_equal(km_tw_chunk(&w, KM_CHUNK_LIFE, b.data, b.len), 0);
	km_buf_free(&b);
	put_hit(&w, 0, KM_NO_STACK);
	km_tw_free(&w);
	assert_int_equal(read_life(fx->bad, &t), 0);
	assert_int_equal(t.d.nr_life, 5);
	assert_int_equal(km_life_disarm_of(&t.d.life_ix, 1), -1);
	assert_int_equal(km_life_disarm_of(&t.d.life_ix, 3), 4);
	assert_int_equal(km_life_object_of(&t.d.life_ix, t.d.life, 0, 0xa008,
					   15, &freed),
			 1);
	assert_int_equal(km_life_object_of(&t.d.life_ix, t.d.life, 0, 0xa008,
					   55, &freed),
			 3);
	assert_true(freed);
	assert_int_equal(km_life_object_of(&t.d.life_ix, t.d.life, 0, 0xa008,
					   61, &freed),
			 -1);
	assert_true(t.d.life_summary.valid);
	assert_true(t.d.life_summary.dropped == UINT64_MAX);
	km_trace_close(&t);
}

/* More LIFE records than a reader keeps: one clear error. */
static void test_life_too_many(void **state)
{
	struct fixture *fx = *state;
	struct km_trace_writer w;
	struct km_buf b = { 0 };
	struct km_life_rec r = { .kind = KM_LIFE_DISARM, .seq = 1 };
	struct outcome o;
	uint32_t i;

	/* DISARMs of nothing: each kept, none paired. */
	assert_int_equal(km_life_encode(&b, &r), 0);
	start(&w, fx->bad);
	for (i = 0; i <= KM_MAX_LIFE_RECORDS; i++)
		assert_int_equal(km_tw_chunk(&w, KM_CHUNK_LIFE, b.data, b.len),
				 0);
	km_buf_free(&b);
	o = finish(&w, fx->bad);
	assert_int_equal(final_rc(&o), -EBADMSG);
}

/* Heap bytes in use after reading path 50 times, less before. */
static long heap_growth(const char *path)
{
	size_t before;
	int i;

	read_trace(path); /* once first: stdio and the like settle */
	before = mallinfo2().uordblks;
	for (i = 0; i < 50; i++)
		read_trace(path);
	return (long)(mallinfo2().uordblks - before);
}

/* A rejected file leaves nothing behind once closed, as a good one. */
static void test_no_leaks(void **state)
{
	struct fixture *fx = *state;
	struct km_trace_writer w;
	long grown;

	km_test_quiet();
	grown = heap_growth(fx->path);
	km_test_loud();
	assert_int_equal(grown, 0);

	/* A malformed watchpoint (index 1 first), after its EXPR is read. */
	assert_int_equal(km_tw_create(&w, fx->bad), 0);
	km_test_put_meta(&w);
	km_test_put_watch(&w, 1, KM_BP_W, 4, 0xffffffff82000000, "jiffies");
	km_tw_free(&w);
	km_test_quiet();
	grown = heap_growth(fx->bad);
	km_test_loud();
	if (grown)
		fail_msg(
			"a rejected WATCH chunk leaks: %ld heap bytes after 50 reads",
			grown);
}

/* Chunk types from a newer writer are skipped, empty or not. */
static void test_unknown_chunks(void **state)
{
	struct fixture *fx = *state;
	struct fixture other = { 0 };
	struct outcome want = read_trace(fx->path), o;

	write_small(&other, fx->bad, true);
	o = read_trace(fx->bad);
	assert_int_equal(o.open_rc, 0);
	assert_int_equal(o.end_rc, 0);
	assert_int_equal(o.hits, fx->total);
	assert_int_equal(o.digest, want.digest);
	assert_true(o.trailer);
}

/*
 * Every byte of the first HITS chunk's payload flipped in turn: an
 * error, or (when zstd does not care about that bit) the same hits.
 */
static void test_flipped_payload(void **state)
{
	struct fixture *fx = *state;
	const struct km_test_chunk *c = nth_chunk(fx, KM_CHUNK_HITS, 0);
	uint8_t *copy = malloc(fx->size);
	struct outcome want = read_trace(fx->path), o;
	uint64_t off, errors = 0;
	int64_t bad_off = -1;

	assert_non_null(copy);
	memcpy(copy, fx->buf, fx->size);
	/* One in the middle, with its error message left on. */
	off = c->off + KM_CHUNK_HDR_SIZE + c->stored_size / 2;
	copy[off] ^= 0xff;
	km_test_write_file(fx->bad, copy, fx->size);
	o = read_trace(fx->bad);
	assert_int_equal(final_rc(&o), -EBADMSG);
	copy[off] ^= 0xff;

	km_test_quiet();
	for (off = c->off + KM_CHUNK_HDR_SIZE; off < c->end; off++) {
		copy[off] ^= 0xff;
		km_test_write_file(fx->bad, copy, fx->size);
		copy[off] ^= 0xff;
		o = read_trace(fx->bad);
		if (final_rc(&o) == -EBADMSG)
			errors++;
		else if (final_rc(&o) || o.hits != want.hits ||
			 o.digest != want.digest)
			bad_off = off;
	}
	km_test_loud();
	free(copy);
	if (bad_off >= 0)
		fail_msg(
			"flipping byte %llu gave neither an error nor the same hits",
			(unsigned long long)bad_off);
	assert_true(errors > 0);
}

/* Any byte of the file flipped: no crash, and no result but 0 or -errno. */
static void test_flipped_anywhere(void **state)
{
	struct fixture *fx = *state;
	uint8_t *copy = malloc(fx->size);
	int64_t bad_off = -1;
	struct outcome o;
	uint64_t off;
	long rc;

	assert_non_null(copy);
	memcpy(copy, fx->buf, fx->size);
	km_test_quiet();
	for (off = 0; off < fx->size; off++) {
		copy[off] ^= 0xff;
		km_test_write_file(fx->bad, copy, fx->size);
		copy[off] ^= 0xff;
		o = read_trace(fx->bad);
		rc = final_rc(&o);
		if (rc > 0 || rc < -4095 || o.hits > fx->total)
			bad_off = off;
	}
	km_test_loud();
	free(copy);
	if (bad_off >= 0)
		fail_msg(
			"flipping byte %llu gave a result that is not 0 or -errno",
			(unsigned long long)bad_off);
}

static void test_garbage_kallsyms(void **state)
{
	static const char text[] =
		"ffffffff81000000 T _text\n"
		"\x01\x02\xff\xfe binary junk\n"
		"ffffffff81000000\n"
		"ffffffff81000000 T\n"
		"T ffffffff81000000 swapped\n"
		"ffffffff81001000 t module_sym\t[mod\n"
		"ffffffff81002000 T good_one\n"
		"\n\n\n"
		"ffffffff81003000 T after_nul\0ffffffff81004000 T hidden\n";
	struct fixture *fx = *state;
	struct km_trace_writer w;
	struct km_symbolizer *sym;
	struct km_frame fr;
	struct km_trace t;
	char big[70000];

	start(&w, fx->bad);
	assert_int_equal(
		km_tw_chunk(&w, KM_CHUNK_KALLSYMS, text, sizeof(text) - 1), 0);
	km_tw_free(&w);
	assert_int_equal(km_trace_open(&t, fx->bad), 0);
	assert_int_equal(t.d.kallsyms_len, sizeof(text) - 1);
	assert_int_equal(km_report_symbolizer(&sym, &t.d, NULL, NULL), 0);
	assert_int_equal(km_resolve(sym, 0xffffffff81000010ull, &fr, 1), 1);
	assert_string_equal(fr.name, "_text");
	assert_int_equal(km_resolve(sym, 0xffffffff81002004ull, &fr, 1), 1);
	assert_string_equal(fr.name, "good_one");
	assert_int_equal(fr.addr - fr.start, 4);
	/* The malformed module line is skipped, not half-parsed. */
	assert_int_equal(km_resolve(sym, 0xffffffff81001000ull, &fr, 1), 1);
	assert_string_equal(fr.name, "_text");
	km_symbolizer_destroy(sym);
	km_trace_close(&t);

	/* One long line without a newline. */
	memset(big, 'f', sizeof(big));
	start(&w, fx->bad);
	assert_int_equal(km_tw_chunk(&w, KM_CHUNK_KALLSYMS, big, sizeof(big)),
			 0);
	km_tw_free(&w);
	assert_int_equal(km_trace_open(&t, fx->bad), 0);
	assert_int_equal(km_report_symbolizer(&sym, &t.d, NULL, NULL), 0);
	assert_int_equal(km_resolve(sym, 0xffffffff81002004ull, &fr, 1), 1);
	assert_null(fr.name);
	km_symbolizer_destroy(sym);
	km_trace_close(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_intact),
		cmocka_unit_test_teardown(test_cut_everywhere,
					  km_test_teardown),
		cmocka_unit_test(test_bad_magic),
		cmocka_unit_test(test_not_a_file),
		cmocka_unit_test(test_version),
		cmocka_unit_test(test_huge_raw_size),
		cmocka_unit_test(test_stored_size_past_end),
		cmocka_unit_test(test_header_lies),
		cmocka_unit_test(test_undefined_stack),
		cmocka_unit_test(test_bad_references),
		cmocka_unit_test(test_bad_structure),
		cmocka_unit_test(test_life_corrupt),
		cmocka_unit_test(test_life_odd),
		cmocka_unit_test(test_life_too_many),
		cmocka_unit_test_teardown(test_no_leaks, km_test_teardown),
		cmocka_unit_test(test_unknown_chunks),
		cmocka_unit_test_teardown(test_flipped_payload,
					  km_test_teardown),
		cmocka_unit_test_teardown(test_flipped_anywhere,
					  km_test_teardown),
		cmocka_unit_test(test_garbage_kallsyms),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
