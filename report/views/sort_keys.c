// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include "../../common/error.h"
#include "../../common/escape.h"
#include "../../common/json.h"
#include "../../common/trace/trace_format.h"
#include "views.h"

static const char *const key_names[KM_NR_KEYS] = {
	[KM_KEY_STACK] = "stack", [KM_KEY_SYM] = "sym",
	[KM_KEY_COMM] = "comm",	  [KM_KEY_PID] = "pid",
	[KM_KEY_TID] = "tid",	  [KM_KEY_CPU] = "cpu",
	[KM_KEY_WATCH] = "watch", [KM_KEY_VALUE] = "value",
};

const char *km_sort_key_name(enum km_sort_key k)
{
	return key_names[k];
}

static int key_by_name(const char *s, size_t len)
{
	int k;

	for (k = 0; k < KM_NR_KEYS; k++)
		if (strlen(key_names[k]) == len &&
		    !strncmp(s, key_names[k], len))
			return k;
	return -1;
}

bool km_sort_has(const struct km_sort *s, enum km_sort_key k)
{
	int i;

	for (i = 0; i < s->n; i++)
		if (s->key[i] == k)
			return true;
	return false;
}

int km_sort_parse(struct km_sort *s, const char *arg)
{
	const char *p = arg, *comma;
	size_t len;
	int k;

	s->n = 0;
	for (;;) {
		comma = strchr(p, ',');
		len = comma ? (size_t)(comma - p) : strlen(p);
		k = key_by_name(p, len);
		if (k < 0 || km_sort_has(s, k)) {
			km_usage(
				"%s sort key '%.*s': use each of stack, sym, comm, pid, tid, cpu, watch, value at most once, e.g. --sort comm,sym",
				k < 0 ? "unknown" : "repeated", (int)len, p);
			return -EINVAL;
		}
		s->key[s->n++] = k;
		if (!comma)
			return 0;
		p = comma + 1;
	}
}

void km_sort_stack_last(struct km_sort *s)
{
	int i, j = 0;

	for (i = 0; i < s->n; i++)
		if (s->key[i] != KM_KEY_STACK)
			s->key[j++] = s->key[i];
	s->key[j] = KM_KEY_STACK;
	s->n = j + 1;
}

/* Big-endian, so that memcmp orders the numbers. */
static int put_be(struct km_buf *b, uint64_t v, int bytes)
{
	uint8_t *p = km_buf_grow(b, bytes);
	int i;

	if (!p)
		return -ENOMEM;
	for (i = bytes - 1; i >= 0; i--, v >>= 8)
		p[i] = v & 0xff;
	return 0;
}

static uint64_t get_be(const uint8_t *p, int bytes)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < bytes; i++)
		v = v << 8 | p[i];
	return v;
}

/* A hit without a stack is grouped by its ip: that is its stack. */
static int put_stack(struct km_buf *b, const struct km_hit *h)
{
	int err = put_be(b, h->stack_id, 4);

	if (!err && h->stack_id == KM_NO_STACK)
		err = put_be(b, h->ip, 8);
	return err;
}

size_t km_stack_key_len(const uint8_t *p)
{
	return get_be(p, 4) == KM_NO_STACK ? 12 : 4;
}

static int put_key(struct km_report *r, enum km_sort_key k,
		   const struct km_hit *h, struct km_buf *b)
{
	const char *sym;
	char comm[KM_COMM_LEN] = { 0 };

	switch (k) {
	case KM_KEY_STACK:
		return put_stack(b, h);
	case KM_KEY_SYM:
		sym = km_ip_function(r, h->ip);
		return sym ? km_buf_append(b, sym, strlen(sym) + 1) : -ENOMEM;
	case KM_KEY_COMM:
		memcpy(comm, h->comm, strnlen(h->comm, sizeof(comm)));
		return km_buf_append(b, comm, sizeof(comm));
	case KM_KEY_PID:
		return put_be(b, h->pid, 4);
	case KM_KEY_TID:
		return put_be(b, h->tid, 4);
	case KM_KEY_CPU:
		return put_be(b, h->cpu, 4);
	case KM_KEY_WATCH:
		return put_be(b, h->watch, 2);
	case KM_KEY_VALUE:
		/* Hits without a value sort after those with one. */
		return put_be(b, !h->has_value, 1) ?:
			       put_be(b, h->has_value ? h->value : 0, 8);
	default:
		return -EINVAL;
	}
}

int km_sort_encode(struct km_report *r, const struct km_hit *h,
		   struct km_buf *b)
{
	int i, err = 0;

	for (i = 0; !err && i < r->sort.n; i++)
		err = put_key(r, r->sort.key[i], h, b);
	return err;
}

static size_t get_key(enum km_sort_key k, const uint8_t *p,
		      struct km_group_vals *v)
{
	switch (k) {
	case KM_KEY_STACK:
		v->stack_id = get_be(p, 4);
		v->ip = v->stack_id == KM_NO_STACK ? get_be(p + 4, 8) : 0;
		return km_stack_key_len(p);
	case KM_KEY_SYM:
		v->sym = (const char *)p;
		return strlen(v->sym) + 1;
	case KM_KEY_COMM:
		memcpy(v->comm, p, KM_COMM_LEN);
		v->comm[KM_COMM_LEN] = '\0';
		return KM_COMM_LEN;
	case KM_KEY_PID:
		v->pid = get_be(p, 4);
		return 4;
	case KM_KEY_TID:
		v->tid = get_be(p, 4);
		return 4;
	case KM_KEY_CPU:
		v->cpu = get_be(p, 4);
		return 4;
	case KM_KEY_WATCH:
		v->watch = get_be(p, 2);
		return 2;
	case KM_KEY_VALUE:
		v->has_value = !p[0];
		v->value = get_be(p + 1, 8);
		return 9;
	default:
		return 0;
	}
}

size_t km_sort_decode(const struct km_sort *s, const uint8_t *p,
		      struct km_group_vals *v)
{
	size_t off = 0;
	int i;

	for (i = 0; i < s->n; i++)
		off += get_key(s->key[i], p + off, v);
	return off;
}

void km_sort_cell(enum km_sort_key k, const struct km_group_vals *v, char *buf,
		  size_t size)
{
	switch (k) {
	case KM_KEY_SYM: /* names and comms are outside text: escape.h */
		km_escape_text(buf, size, v->sym, strlen(v->sym));
		break;
	case KM_KEY_COMM:
		km_escape_text(buf, size, v->comm, strlen(v->comm));
		break;
	case KM_KEY_PID:
		snprintf(buf, size, "%u", v->pid);
		break;
	case KM_KEY_TID:
		snprintf(buf, size, "%u", v->tid);
		break;
	case KM_KEY_CPU:
		snprintf(buf, size, "%u", v->cpu);
		break;
	case KM_KEY_WATCH:
		snprintf(buf, size, "%u", v->watch);
		break;
	case KM_KEY_VALUE:
		if (v->has_value)
			snprintf(buf, size, "0x%" PRIx64, v->value);
		else
			snprintf(buf, size, "-");
		break;
	default:
		snprintf(buf, size, "-");
	}
}

void km_sort_json(struct km_jw *w, enum km_sort_key k,
		  const struct km_group_vals *v)
{
	km_jw_key(w, key_names[k]);
	switch (k) {
	case KM_KEY_SYM:
		km_jw_string(w, v->sym);
		break;
	case KM_KEY_COMM:
		km_jw_string(w, v->comm);
		break;
	case KM_KEY_PID:
		km_jw_u64(w, v->pid);
		break;
	case KM_KEY_TID:
		km_jw_u64(w, v->tid);
		break;
	case KM_KEY_CPU:
		km_jw_u64(w, v->cpu);
		break;
	case KM_KEY_WATCH:
		km_jw_u64(w, v->watch);
		break;
	case KM_KEY_VALUE:
		/* Values are hex strings, as in the hit objects. */
		if (v->has_value)
			km_jw_hex(w, v->value);
		else
			km_jw_null(w);
		break;
	default:
		/* The stack is not a cell: the caller writes its frames. */
		km_jw_null(w);
	}
}
