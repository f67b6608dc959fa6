// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
#include "bytes.h"

uint8_t *km_buf_grow(struct km_buf *b, size_t n)
{
	size_t need = b->len + n;
	uint8_t *p;

	if (n > SIZE_MAX / 2 - b->len)
		return NULL;
	/* A first chunk of 4 KiB: buffers here hold chunks, not words. */
	if (!b->cap && need < 4096)
		need = 4096;
	if (km_grow_array((void **)&b->data, &b->cap, need, 1))
		return NULL;
	p = b->data + b->len;
	b->len += n;
	return p;
}

int km_buf_append(struct km_buf *b, const void *data, size_t n)
{
	uint8_t *p = km_buf_grow(b, n);

	if (!p)
		return -ENOMEM;
	if (n)
		memcpy(p, data, n);
	return 0;
}

int km_buf_put32(struct km_buf *b, uint32_t v)
{
	uint8_t *p = km_buf_grow(b, 4);

	if (!p)
		return -ENOMEM;
	km_put32(p, v);
	return 0;
}

int km_buf_put64(struct km_buf *b, uint64_t v)
{
	uint8_t *p = km_buf_grow(b, 8);

	if (!p)
		return -ENOMEM;
	km_put64(p, v);
	return 0;
}

void km_buf_free(struct km_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

int km_grow_array(void **p, size_t *cap, size_t need, size_t elem)
{
	size_t n = *cap ? *cap : 64;
	void *q;

	if (need <= *cap)
		return 0;
	while (n < need)
		n *= 2;
	if (n > SIZE_MAX / elem)
		return -ENOMEM;
	q = realloc(*p, n * elem);
	if (!q)
		return -ENOMEM;
	*p = q;
	*cap = n;
	return 0;
}

int km_read_file(const char *path, char **text, size_t *len)
{
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap);
	ssize_t r;
	int fd;

	if (!buf)
		return -ENOMEM;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		free(buf);
		return -errno;
	}
	/* /proc files report size 0, so read until EOF. */
	while ((r = read(fd, buf + n, cap - n - 1)) > 0) {
		n += r;
		/* Room for one more byte and the NUL. */
		if (km_grow_array((void **)&buf, &cap, n + 2, 1)) {
			r = -1;
			errno = ENOMEM;
			break;
		}
	}
	if (r < 0) {
		r = -errno;
		close(fd);
		free(buf);
		return r;
	}
	close(fd);
	buf[n] = '\0';
	*text = buf;
	*len = n;
	return 0;
}

void km_human_size(char *buf, size_t size, uint64_t n)
{
	static const char *const units[] = { "KiB", "MiB", "GiB", "TiB" };
	double v = n;
	int i = -1;

	if (n < 1024) {
		snprintf(buf, size, "%" PRIu64 " bytes", n);
		return;
	}
	while (v >= 1024 && i < 3) {
		v /= 1024;
		i++;
	}
	snprintf(buf, size, "%.1f %s", v, units[i]);
}
