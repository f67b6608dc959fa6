/* SPDX-License-Identifier: GPL-2.0 */
/* Little-endian access to unaligned bytes, and a growable byte buffer. */
#ifndef KM_BYTES_H
#define KM_BYTES_H

#include <endian.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

static inline uint16_t km_get16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return le16toh(v);
}

static inline uint32_t km_get32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return le32toh(v);
}

static inline uint64_t km_get64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return le64toh(v);
}

static inline void km_put16(uint8_t *p, uint16_t v)
{
	v = htole16(v);
	memcpy(p, &v, sizeof(v));
}

static inline void km_put32(uint8_t *p, uint32_t v)
{
	v = htole32(v);
	memcpy(p, &v, sizeof(v));
}

static inline void km_put64(uint8_t *p, uint64_t v)
{
	v = htole64(v);
	memcpy(p, &v, sizeof(v));
}

struct km_buf {
	uint8_t *data;
	size_t len;
	size_t cap;
};

/* Returns a pointer to n new bytes at the end, or NULL without memory. */
uint8_t *km_buf_grow(struct km_buf *b, size_t n);
int km_buf_append(struct km_buf *b, const void *data, size_t n);
int km_buf_put32(struct km_buf *b, uint32_t v);
int km_buf_put64(struct km_buf *b, uint64_t v);
void km_buf_free(struct km_buf *b);

/* Grows *p (of *cap elements of elem bytes) to hold need; -ENOMEM. */
int km_grow_array(void **p, size_t *cap, size_t need, size_t elem);

/*
 * Reads a whole file into a malloc'ed, NUL-terminated buffer, reading
 * until EOF since /proc files report size 0. Returns 0 or a negative
 * errno; says nothing, the caller knows what the file was for.
 */
int km_read_file(const char *path, char **text, size_t *len);

/* n bytes for a person, in buf[size]: "812 bytes", "996.8 KiB", "1.6 MiB". */
void km_human_size(char *buf, size_t size, uint64_t n);

#endif
