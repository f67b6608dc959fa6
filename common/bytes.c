// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
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
