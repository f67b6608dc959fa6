/* SPDX-License-Identifier: GPL-2.0 */
/* Tag-length-value lists, the extensible part of the trace format. */
#ifndef KM_TLV_H
#define KM_TLV_H

#include "../bytes.h"

int km_tlv_put(struct km_buf *b, uint16_t tag, const void *val, uint32_t len);
int km_tlv_put_u64(struct km_buf *b, uint16_t tag, uint64_t v);
int km_tlv_put_str(struct km_buf *b, uint16_t tag, const char *s);

struct km_tlv {
	uint16_t tag;
	uint32_t len;
	const uint8_t *val;
};

/*
 * Reads the entry at *off of a list of size len and advances *off.
 * Returns 1 for an entry, 0 at the end, -EBADMSG when an entry runs
 * past the end.
 */
int km_tlv_next(const uint8_t *list, size_t len, size_t *off,
		struct km_tlv *out);

/* A u64 value; -EBADMSG if the entry is not 8 bytes. */
int km_tlv_u64(const struct km_tlv *t, uint64_t *v);
/* A malloc'ed NUL-terminated copy of the value, or NULL. */
char *km_tlv_strdup(const struct km_tlv *t);

#endif
