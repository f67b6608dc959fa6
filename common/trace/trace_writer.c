// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "../error.h"
#include "hit_columns.h"
#include "tlv.h"
#include "trace_format.h"
#include "trace_writer.h"

/* A chunk of hits is at most this many records (4.4 MB raw). */
#define HITS_PER_CHUNK 65536
/* New stacks are written before their STACKS chunk nears KM_CHUNK_MAX. */
#define STACKS_FLUSH_BYTES (16u << 20)
#define ZSTD_LEVEL 3

static int write_all(struct km_trace_writer *w, const void *p, size_t n)
{
	const uint8_t *b = p;
	ssize_t r;

	if (w->failed)
		return -EIO;
	while (n) {
		r = write(w->fd, b, n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			km_err("writing %s failed: %s", w->path,
			       strerror(errno));
			w->failed = true;
			return -errno;
		}
		b += r;
		n -= r;
		w->bytes += r;
	}
	return 0;
}

static int old_name(const char *path, char *old, size_t size)
{
	if (snprintf(old, size, "%s.old", path) >= (int)size)
		return -ENAMETOOLONG;
	return 0;
}

static int open_new(struct km_trace_writer *w, const char *path)
{
	char old[4096];
	int fd;

	struct stat st;

	if (old_name(path, old, sizeof(old)))
		return -ENAMETOOLONG;
	/* Only a file is kept as .old: never a directory or /dev/null. */
	if (!stat(path, &st) && !S_ISREG(st.st_mode))
		return S_ISDIR(st.st_mode) ? -EISDIR : -EEXIST;
	if (!rename(path, old))
		w->moved_old = true;
	else if (errno != ENOENT)
		return -errno;
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		fd = -errno;
		/* Leave the earlier trace where it was. */
		if (w->moved_old && !rename(old, path))
			w->moved_old = false;
		return fd;
	}
	/* umask can only clear bits; this makes 0600 exact. */
	fchmod(fd, 0600);
	return fd;
}

/*
 * "-": a copy of standard output, so that closing the writer leaves it
 * open; never a terminal, which a binary trace would only garble.
 */
static int open_stdout(struct km_trace_writer *w)
{
	int fd;

	w->path = "standard output";
	w->is_stdout = true;
	if (isatty(STDOUT_FILENO)) {
		km_usage(
			"standard output is a terminal: a trace is binary; pipe it (-o - | kmemsnoop report -i -) or give -o FILE");
		return -EINVAL;
	}
	fd = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
	if (fd < 0) {
		km_err("cannot write to standard output: %s", strerror(errno));
		return -errno;
	}
	return fd;
}

int km_tw_create(struct km_trace_writer *w, const char *path)
{
	uint8_t hdr[KM_FILE_HDR_SIZE];

	memset(w, 0, sizeof(*w));
	w->path = path;
	if (!strcmp(path, "-")) {
		w->fd = open_stdout(w);
		if (w->fd < 0)
			return w->fd;
	} else {
		w->fd = open_new(w, path);
	}
	if (w->fd == -EEXIST) {
		km_err("cannot create %s: it exists and is not a regular file; give another -o",
		       path);
		return w->fd;
	}
	if (w->fd < 0) {
		km_err("cannot create %s: %s", path, strerror(-w->fd));
		return w->fd;
	}
	w->cctx = ZSTD_createCCtx();
	w->pending = calloc(HITS_PER_CHUNK, sizeof(*w->pending));
	if (!w->cctx || !w->pending) {
		km_err("out of memory");
		return -ENOMEM;
	}
	ZSTD_CCtx_setParameter(w->cctx, ZSTD_c_compressionLevel, ZSTD_LEVEL);
	ZSTD_CCtx_setParameter(w->cctx, ZSTD_c_checksumFlag, 1);
	memcpy(hdr, KM_MAGIC, KM_MAGIC_LEN);
	km_put32(hdr + 8, KM_VERSION);
	km_put32(hdr + 12, 0);
	return write_all(w, hdr, sizeof(hdr));
}

int km_tw_chown(struct km_trace_writer *w, uid_t uid, gid_t gid)
{
	if (w->is_stdout)
		return 0;
	if (fchown(w->fd, uid, gid)) {
		km_err("cannot give %s to uid %u: %s", w->path, (unsigned)uid,
		       strerror(errno));
		return -errno;
	}
	return 0;
}

int km_tw_chunk(struct km_trace_writer *w, uint32_t type, const void *raw,
		size_t len)
{
	size_t bound = ZSTD_compressBound(len), n;
	uint8_t *p;

	if (len > KM_CHUNK_MAX) {
		km_err("internal error: a %zu-byte chunk exceeds the format's limit",
		       len);
		return -E2BIG;
	}
	if (w->failed)
		return -EIO;
	w->out.len = 0;
	p = km_buf_grow(&w->out, KM_CHUNK_HDR_SIZE + bound);
	if (!p) {
		km_err("out of memory writing %s", w->path);
		w->failed = true;
		return -ENOMEM;
	}
	n = ZSTD_compress2(w->cctx, p + KM_CHUNK_HDR_SIZE, bound, raw, len);
	if (ZSTD_isError(n)) {
		km_err("compression failed: %s", ZSTD_getErrorName(n));
		/* Later chunks could refer to what this one lost. */
		w->failed = true;
		return -EIO;
	}
	km_put32(p, type);
	km_put32(p + 4, KM_CHUNK_ZSTD);
	km_put32(p + 8, len);
	km_put32(p + 12, n);
	/* One write per chunk: a kill leaves whole chunks and one partial. */
	return write_all(w, p, KM_CHUNK_HDR_SIZE + n);
}

static void put_col(uint8_t *cols, size_t n, size_t i, int off, int size,
		    uint64_t v)
{
	int b;

	for (b = 0; b < size; b++, v >>= 8)
		cols[(size_t)(off + b) * n + i] = v & 0xff;
}

static uint16_t hit_flags(const struct km_hit *h)
{
	return (h->has_value ? KM_HITF_VALUE : 0) |
	       (h->has_old ? KM_HITF_OLD : 0) | (h->regs ? KM_HITF_REGS : 0);
}

/* Records lo to hi of the n at p; prev: the time before record lo's. */
static void encode_block(uint8_t *p, size_t n, size_t lo, size_t hi,
			 const struct km_hit *h, uint64_t prev,
			 unsigned int nr_regs)
{
	unsigned int c;
	size_t i;

	for (i = lo; i < hi; prev = h[i++].time_ns) {
		put_col(p, n, i, KM_HIT_TIME_DELTA, 8, h[i].time_ns - prev);
		put_col(p, n, i, KM_HIT_FLAGS, 2, hit_flags(&h[i]));
	}
#define PUT(off, size, member) KM_COL_PUT(p, n, lo, hi, off, size, h, member);
	KM_HIT_PLAIN_COLUMNS(PUT)
#undef PUT
	for (c = 0; c < KM_COMM_LEN; c++)
		KM_COL_PUT(p, n, lo, hi, KM_HIT_COMM + c, 1, h, comm[c]);
	for (i = lo; i < hi; i++)
		for (c = 0; c < nr_regs; c++)
			put_col(p, n, i, KM_HIT_BASE_SIZE + 8 * c, 8,
				h[i].regs ? h[i].regs[c] : 0);
}

int km_encode_hits(struct km_buf *b, const struct km_hit *h, size_t n)
{
	uint64_t first = n ? h[0].time_ns : 0;
	unsigned int nr_regs = 0;
	size_t i, size;
	uint8_t *p;

	/* One register count a chunk: the hits' machine's (META NR_REGS). */
	for (i = 0; i < n; i++) {
		if (!h[i].regs)
			continue;
		if (nr_regs && km_hit_regset(&h[i])->nr != nr_regs)
			return -EINVAL;
		nr_regs = km_hit_regset(&h[i])->nr;
	}
	size = KM_HIT_BASE_SIZE + nr_regs * 8;
	p = km_buf_grow(b, KM_HITS_HDR_SIZE + n * size);
	if (!p)
		return -ENOMEM;
	km_put32(p, n);
	km_put16(p + 4, size);
	km_put16(p + 6, nr_regs ? KM_HITS_REGS : 0);
	km_put64(p + 8, first);
	p += KM_HITS_HDR_SIZE;
	for (i = 0; i < n; i += KM_COL_BLOCK)
		encode_block(p, n, i,
			     i + KM_COL_BLOCK < n ? i + KM_COL_BLOCK : n, h,
			     i ? h[i - 1].time_ns : first, nr_regs);
	return 0;
}

static int add_stack(struct km_trace_writer *w, struct km_hit *h)
{
	bool is_new;
	int64_t id;
	uint32_t i;

	if (!h->nr_frames) {
		h->stack_id = KM_NO_STACK;
		return 0;
	}
	id = km_stack_intern(&w->stacks, h->frames, h->nr_frames, &is_new);
	if (id < 0)
		return id;
	h->stack_id = id;
	if (!is_new)
		return 0;
	if (km_buf_put32(&w->new_stacks, id) ||
	    km_buf_put32(&w->new_stacks, h->nr_frames))
		return -ENOMEM;
	for (i = 0; i < h->nr_frames; i++)
		if (km_buf_put64(&w->new_stacks, h->frames[i]))
			return -ENOMEM;
	return 0;
}

/*
 * The registers live in the ring buffer only until we return. A file
 * has one register count (META NR_REGS, what the writer's user puts
 * there): the first hit with registers sets it, a hit of another count
 * is refused.
 */
static int keep_regs(struct km_trace_writer *w, struct km_hit *q)
{
	const struct km_regset *rs = km_hit_regset(q);
	uint64_t *dst;

	if (!w->regset)
		w->regset = rs;
	if (rs->nr != w->regset->nr) {
		km_err("internal error: a hit with %u registers in a trace of %u",
		       rs->nr, w->regset->nr);
		return -EINVAL;
	}
	if (!w->pending_regs) {
		w->pending_regs = calloc((size_t)HITS_PER_CHUNK * rs->nr,
					 sizeof(*w->pending_regs));
		if (!w->pending_regs)
			return -ENOMEM;
	}
	dst = w->pending_regs + w->nr_pending * rs->nr;
	memcpy(dst, q->regs, rs->nr * sizeof(*dst));
	q->regs = dst;
	q->regset = rs;
	return 0;
}

int km_tw_hit(struct km_trace_writer *w, const struct km_hit *h)
{
	struct km_hit *q = &w->pending[w->nr_pending];
	int err;

	*q = *h;
	/* comm is NUL-padded in the file, whatever followed the NUL. */
	memset(q->comm + strnlen(q->comm, KM_COMM_LEN), 0,
	       sizeof(q->comm) - strnlen(q->comm, KM_COMM_LEN));
	err = add_stack(w, q);
	if (err) {
		km_err("out of memory for stacks");
		return err;
	}
	if (h->regs && (err = keep_regs(w, q))) {
		if (err == -ENOMEM)
			km_err("out of memory for registers");
		return err;
	}
	q->frames = NULL;
	w->nr_pending++;
	if (w->nr_pending == HITS_PER_CHUNK ||
	    w->new_stacks.len >= STACKS_FLUSH_BYTES)
		return km_tw_flush(w);
	return 0;
}

int km_tw_flush(struct km_trace_writer *w)
{
	struct km_buf raw = { 0 };
	int err = 0;

	/* Stacks first: a hit never refers to a stack defined later. */
	if (w->new_stacks.len) {
		err = km_tw_chunk(w, KM_CHUNK_STACKS, w->new_stacks.data,
				  w->new_stacks.len);
		w->new_stacks.len = 0;
	}
	if (!err && w->nr_pending) {
		err = km_encode_hits(&raw, w->pending, w->nr_pending);
		if (!err)
			err = km_tw_chunk(w, KM_CHUNK_HITS, raw.data, raw.len);
		if (!err)
			w->hits += w->nr_pending;
	}
	/* Written or lost for good: a failed writer writes nothing more. */
	w->nr_pending = 0;
	km_buf_free(&raw);
	return err;
}

int km_tw_finish(struct km_trace_writer *w, struct km_trailer *t)
{
	struct km_buf b = { 0 };
	int err;

	if (w->failed)
		return -EIO;
	err = km_tw_flush(w);
	t->hits = w->hits;
	t->stacks = w->stacks.nr;
	if (!err && (km_tlv_put_u64(&b, KM_TRAILER_HITS, t->hits) ||
		     km_tlv_put_u64(&b, KM_TRAILER_LOST, t->lost) ||
		     km_tlv_put_u64(&b, KM_TRAILER_STACKS, t->stacks) ||
		     km_tlv_put_u64(&b, KM_TRAILER_END_NS, t->end_ns) ||
		     km_tlv_put_u64(&b, KM_TRAILER_SEEN, t->seen) ||
		     km_tlv_put_u64(&b, KM_TRAILER_FILTERED, t->filtered)))
		err = -ENOMEM;
	if (!err)
		err = km_tw_chunk(w, KM_CHUNK_TRAILER, b.data, b.len);
	km_buf_free(&b);
	if (!err && fsync(w->fd) && errno != EINVAL) {
		km_err("writing %s failed: %s", w->path, strerror(errno));
		err = -errno;
	}
	return err;
}

void km_tw_abort(struct km_trace_writer *w)
{
	char old[4096];

	if (w->fd < 0)
		return;
	close(w->fd);
	w->fd = -1;
	if (w->is_stdout)
		return;
	unlink(w->path);
	if (w->moved_old && !old_name(w->path, old, sizeof(old)))
		rename(old, w->path);
}

void km_tw_free(struct km_trace_writer *w)
{
	if (w->fd >= 0)
		close(w->fd);
	w->fd = -1;
	ZSTD_freeCCtx(w->cctx);
	free(w->pending);
	free(w->pending_regs);
	km_stack_table_free(&w->stacks);
	km_buf_free(&w->new_stacks);
	km_buf_free(&w->out);
}
