// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include "trace_format.h"
#include "tlv.h"

int km_tlv_put(struct km_buf *b, uint16_t tag, const void *val, uint32_t len)
{
	uint8_t *p = km_buf_grow(b, KM_TLV_HDR_SIZE + (size_t)len);

	if (!p)
		return -ENOMEM;
	km_put16(p, tag);
	km_put16(p + 2, 0);
	km_put32(p + 4, len);
	if (len)
		memcpy(p + KM_TLV_HDR_SIZE, val, len);
	return 0;
}

int km_tlv_put_u64(struct km_buf *b, uint16_t tag, uint64_t v)
{
	uint8_t le[8];

	km_put64(le, v);
	return km_tlv_put(b, tag, le, sizeof(le));
}

int km_tlv_put_str(struct km_buf *b, uint16_t tag, const char *s)
{
	return km_tlv_put(b, tag, s, strlen(s));
}

int km_tlv_next(const uint8_t *list, size_t len, size_t *off,
		struct km_tlv *out)
{
	size_t at = *off;

	if (at == len)
		return 0;
	if (at > len || len - at < KM_TLV_HDR_SIZE)
		return -EBADMSG;
	out->tag = km_get16(list + at);
	out->len = km_get32(list + at + 4);
	if (out->len > len - at - KM_TLV_HDR_SIZE)
		return -EBADMSG;
	out->val = list + at + KM_TLV_HDR_SIZE;
	*off = at + KM_TLV_HDR_SIZE + out->len;
	return 1;
}

int km_tlv_u64(const struct km_tlv *t, uint64_t *v)
{
	if (t->len != 8)
		return -EBADMSG;
	*v = km_get64(t->val);
	return 0;
}

char *km_tlv_strdup(const struct km_tlv *t)
{
	char *s = malloc((size_t)t->len + 1);

	if (!s)
		return NULL;
	memcpy(s, t->val, t->len);
	s[t->len] = '\0';
	return s;
}
