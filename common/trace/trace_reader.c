// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "../bytes.h"
#include "../error.h"
#include "tlv.h"
#include "trace_format.h"
#include "trace_decode.h"

/*
 * 0 when all n bytes at off were read, 1 when the file ends first;
 * *got says how many were. A stream (a pipe) is read in order, so off
 * is always where it stands: the reader never goes back.
 */
static int read_at(struct km_trace *t, void *buf, size_t n, uint64_t off,
		   size_t *got)
{
	ssize_t r;
	size_t done = 0;

	while (done < n) {
		if (t->stream)
			r = read(t->fd, (char *)buf + done, n - done);
		else
			r = pread(t->fd, (char *)buf + done, n - done,
				  off + done);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			km_err("cannot read %s: %s", t->d.path,
			       strerror(errno));
			return -errno;
		}
		if (r == 0)
			break;
		done += r;
	}
	*got = done;
	return done < n;
}

static int decompress(struct km_trace *t, uint64_t at, uint32_t flags,
		      uint32_t raw_size, uint32_t stored_size)
{
	size_t n;

	/* Sizes first: a few lying bytes must not cost 64 MiB of memory. */
	if (!(flags & KM_CHUNK_ZSTD) && raw_size != stored_size)
		return km_corrupt(t, at, "stored chunk sizes disagree");
	if ((flags & KM_CHUNK_ZSTD) &&
	    ZSTD_getFrameContentSize(t->stored, stored_size) != raw_size)
		return km_corrupt(t, at,
				  "chunk size does not match its contents");
	if (km_trace_grow((void **)&t->raw, &t->raw_cap, raw_size + 1, 1))
		return -ENOMEM;
	if (!(flags & KM_CHUNK_ZSTD)) {
		memcpy(t->raw, t->stored, raw_size);
		return 0;
	}
	n = ZSTD_decompressDCtx(t->dctx, t->raw, raw_size, t->stored,
				stored_size);
	if (ZSTD_isError(n))
		return km_corrupt(t, at, "chunk does not decompress: %s",
				  ZSTD_getErrorName(n));
	if (n != raw_size)
		return km_corrupt(t, at,
				  "chunk decompresses to the wrong size");
	return 0;
}

/*
 * Reads the next whole chunk into t->raw. Returns 1 with its type and
 * size, 0 at the end of the file (or where it was cut short), or a
 * negative errno.
 */
static int next_chunk(struct km_trace *t, uint32_t *type, uint32_t *size)
{
	uint8_t h[KM_CHUNK_HDR_SIZE];
	uint32_t flags, raw_size, stored_size;
	uint64_t at = t->off;
	size_t got;
	int r;

	if (!t->stream && at == t->size)
		return 0;
	r = read_at(t, h, sizeof(h), at, &got);
	if (r < 0)
		return r;
	if (r) {
		/* A stream's size is where it ends: between chunks, whole. */
		t->truncated = !t->stream || got;
		return 0;
	}
	*type = km_get32(h);
	flags = km_get32(h + 4);
	raw_size = km_get32(h + 8);
	stored_size = km_get32(h + 12);
	if (flags & ~KM_CHUNK_ZSTD)
		return km_corrupt(t, at, "unknown chunk encoding 0x%x", flags);
	if (raw_size > KM_CHUNK_MAX ||
	    stored_size > ZSTD_compressBound(KM_CHUNK_MAX))
		return km_corrupt(
			t, at,
			"chunk claims %u bytes, more than the format allows",
			raw_size > KM_CHUNK_MAX ? raw_size : stored_size);
	if (!t->stream && stored_size > t->size - at - KM_CHUNK_HDR_SIZE) {
		t->truncated = true;
		return 0;
	}
	if (km_trace_grow((void **)&t->stored, &t->stored_cap, stored_size + 1,
			  1))
		return -ENOMEM;
	r = read_at(t, t->stored, stored_size, at + KM_CHUNK_HDR_SIZE, &got);
	if (r)
		return r < 0 ? r : (t->truncated = true, 0);
	r = decompress(t, at, flags, raw_size, stored_size);
	if (r)
		return r;
	t->off = at + KM_CHUNK_HDR_SIZE + stored_size;
	*size = raw_size;
	return 1;
}

static int check_file_header(struct km_trace *t)
{
	uint8_t h[KM_FILE_HDR_SIZE];
	uint32_t version;
	size_t got;
	int r = read_at(t, h, sizeof(h), 0, &got);

	if (r < 0)
		return r;
	if (r && got >= KM_MAGIC_LEN && !memcmp(h, KM_MAGIC, KM_MAGIC_LEN)) {
		km_err("%s is cut short inside its %d-byte file header",
		       t->d.path, KM_FILE_HDR_SIZE);
		return -EBADMSG;
	}
	if (r || memcmp(h, KM_MAGIC, KM_MAGIC_LEN)) {
		km_err("%s is not a kmemsnoop trace (no kmemsnoop magic at its start)",
		       t->d.path);
		return -EBADMSG;
	}
	version = km_get32(h + 8);
	if (version > KM_VERSION) {
		km_err("%s is format version %u, newer than this kmemsnoop reads (%u): use a newer kmemsnoop",
		       t->d.path, version, KM_VERSION);
		return -EPROTONOSUPPORT;
	}
	if (version == 0)
		return km_corrupt(t, 8, "format version 0");
	t->d.version = version;
	t->off = KM_FILE_HDR_SIZE;
	return 0;
}

/*
 * Standard input (-i -): a regular file redirected in is read as any
 * file; a pipe is read as a stream, in order, its size unknown; a
 * terminal is refused, as it would wait for a trace typed in.
 */
static int open_stdin(struct km_trace *t, struct stat *st)
{
	t->d.path = "standard input";
	t->fd = STDIN_FILENO;
	if (fstat(t->fd, st)) {
		km_err("cannot read standard input: %s", strerror(errno));
		return -errno;
	}
	if (isatty(t->fd)) {
		km_usage(
			"standard input is a terminal: pipe a trace in, e.g. kmemsnoop record -o - ... | kmemsnoop report -i -");
		return -EINVAL;
	}
	t->stream = !S_ISREG(st->st_mode);
	return 0;
}

/*
 * A named file must be a regular file before a byte is read: a FIFO
 * would hang report, a device may act on being opened. It is checked
 * by name, opened without blocking, and checked again by descriptor.
 */
static int open_named(struct km_trace *t, const char *path, struct stat *st)
{
	struct stat before;

	t->d.path = path;
	if (stat(path, &before)) {
		km_err("cannot open %s: %s", path, strerror(errno));
		return -errno;
	}
	if (!S_ISREG(before.st_mode)) {
		km_err("%s is not a regular file", path);
		return -EINVAL;
	}
	t->fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (t->fd < 0) {
		km_err("cannot open %s: %s", path, strerror(errno));
		return -errno;
	}
	t->own_fd = true;
	if (fstat(t->fd, st)) {
		km_err("cannot read %s: %s", path, strerror(errno));
		return -errno;
	}
	if (st->st_dev != before.st_dev || st->st_ino != before.st_ino ||
	    !S_ISREG(st->st_mode)) {
		km_err("%s changed while it was opened", path);
		return -EINVAL;
	}
	return 0;
}

static int open_file(struct km_trace *t, const char *path)
{
	struct stat st;
	int r;

	r = strcmp(path, "-") ? open_named(t, path, &st) : open_stdin(t, &st);
	if (r)
		return r;
	t->size = t->stream ? UINT64_MAX : (uint64_t)st.st_size;
	t->dctx = ZSTD_createDCtx();
	if (!t->dctx) {
		km_err("out of memory");
		return -ENOMEM;
	}
	return check_file_header(t);
}

static int take_text(struct km_trace *t, uint64_t at, char **dst, size_t *len,
		     size_t n)
{
	/* One of each per file: a second is a crafted copy to hold. */
	if (*dst)
		return km_corrupt(t, at, "a second %s chunk",
				  dst == &t->d.kallsyms ? "KALLSYMS" :
							  "MODULES");
	*dst = malloc(n + 1);
	if (!*dst) {
		km_err("out of memory");
		return -ENOMEM;
	}
	memcpy(*dst, t->raw, n);
	(*dst)[n] = '\0';
	*len = n;
	return 0;
}

/* Handles one chunk; a HITS chunk's count comes back through *nhits. */
static int handle_chunk(struct km_trace *t, uint64_t at, uint32_t type,
			uint32_t size, long *nhits)
{
	*nhits = 0;
	switch (type) {
	case KM_CHUNK_META:
		return km_corrupt(t, at, "a second header");
	case KM_CHUNK_WATCH:
		return km_decode_watch(t, at, t->raw, size);
	case KM_CHUNK_KALLSYMS:
		return take_text(t, at, &t->d.kallsyms, &t->d.kallsyms_len,
				 size);
	case KM_CHUNK_MODULES:
		return take_text(t, at, &t->d.modules, &t->d.modules_len, size);
	case KM_CHUNK_MODULE_INFO:
		return km_decode_module_info(t, at, t->raw, size);
	case KM_CHUNK_STACKS:
		return km_decode_stacks(t, at, t->raw, size);
	case KM_CHUNK_TRAILER:
		return km_decode_trailer(t, at, t->raw, size);
	case KM_CHUNK_LIFE:
		return km_decode_life(t, at, t->raw, size);
	case KM_CHUNK_HITS:
		*nhits = km_decode_hits_at(t, at, t->raw, size);
		return *nhits < 0 ? *nhits : 0;
	}
	return 0; /* a chunk type from a newer writer: skip it */
}

/* Reads chunks until a HITS chunk (returns its count) or the end (0). */
static long read_until_hits(struct km_trace *t)
{
	uint32_t type, size;
	uint64_t at;
	long n;
	int r;

	while (!t->at_end) {
		at = t->off;
		r = next_chunk(t, &type, &size);
		if (r < 0)
			return r;
		if (r == 0) {
			t->at_end = true;
			break;
		}
		r = handle_chunk(t, at, type, size, &n);
		if (r)
			return r;
		if (n > 0)
			return n;
	}
	return 0;
}

int km_trace_open(struct km_trace *t, const char *path)
{
	uint32_t type, size;
	int r;

	memset(t, 0, sizeof(*t));
	r = open_file(t, path);
	if (r)
		return r;
	r = next_chunk(t, &type, &size);
	if (r < 0)
		return r;
	if (r == 0) {
		km_err("%s is cut short before the end of its header",
		       t->d.path);
		return -EBADMSG;
	}
	if (type != KM_CHUNK_META)
		return km_corrupt(t, KM_FILE_HDR_SIZE,
				  "the first chunk is not the header");
	r = km_decode_meta(t, KM_FILE_HDR_SIZE, t->raw, size);
	if (r)
		return r;
	t->pending = read_until_hits(t);
	return t->pending < 0 ? t->pending : 0;
}

static void warn_incomplete(struct km_trace *t)
{
	if (t->warned)
		return;
	t->warned = true;
	if (t->truncated)
		km_warn("%s is cut short at offset %" PRIu64
			" (the recording did not finish): %" PRIu64
			" hits read before it",
			t->d.path, t->off, t->d.hits_read);
	else if (!t->d.has_trailer)
		km_warn("%s has no trailer: the recording did not end cleanly",
			t->d.path);
}

long km_trace_next_hits(struct km_trace *t, const struct km_hit **hits)
{
	long n = t->pending;

	t->pending = 0;
	if (!n)
		n = read_until_hits(t);
	if (n > 0) {
		t->d.hits_read += n;
		*hits = t->hits;
	} else if (n == 0) {
		warn_incomplete(t);
	}
	return n;
}

bool km_trace_no_hits(const struct km_trace *t)
{
	return t->at_end && !t->pending && !t->d.hits_read;
}

void km_trace_close(struct km_trace *t)
{
	if (t->own_fd)
		close(t->fd);
	ZSTD_freeDCtx(t->dctx);
	km_trace_data_free(&t->d);
	free(t->raw);
	free(t->stored);
	free(t->hits);
	free(t->regs);
	km_htab_free(&t->stack_index);
	memset(t, 0, sizeof(*t));
}
