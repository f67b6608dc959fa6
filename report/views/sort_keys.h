/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --sort KEYS: what groups hits, as perf report's -s. A hit's group is
 * the bytes of its key values, one after another in key order, made so
 * that comparing the bytes orders groups by their values.
 */
#ifndef KM_SORT_KEYS_H
#define KM_SORT_KEYS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "../../common/bytes.h"
#include "../../common/print/hit_print.h"

struct km_jw;

enum km_sort_key {
	KM_KEY_STACK,
	KM_KEY_SYM,
	KM_KEY_COMM,
	KM_KEY_PID,
	KM_KEY_TID,
	KM_KEY_CPU,
	KM_KEY_WATCH,
	KM_KEY_VALUE,
	KM_NR_KEYS,
};

struct km_sort {
	enum km_sort_key key[KM_NR_KEYS];
	int n;
};

/* A group's key values, decoded. */
struct km_group_vals {
	uint32_t stack_id; /* KM_NO_STACK: the stack is ip alone */
	uint64_t ip;
	const char *sym;
	char comm[KM_COMM_LEN + 1];
	uint32_t pid, tid, cpu;
	uint16_t watch;
	bool has_value;
	uint64_t value;
};

struct km_report;

/* "comm,sym" into s; explains a bad list (km_usage), -EINVAL. */
int km_sort_parse(struct km_sort *s, const char *arg);
bool km_sort_has(const struct km_sort *s, enum km_sort_key k);
/* Moves the stack key last, where -g cuts it off to form groups. */
void km_sort_stack_last(struct km_sort *s);
const char *km_sort_key_name(enum km_sort_key k);
/* Appends h's group bytes to b. 0, or -ENOMEM. */
int km_sort_encode(struct km_report *r, const struct km_hit *h,
		   struct km_buf *b);
/* Decodes group bytes made by km_sort_encode; returns bytes used. */
size_t km_sort_decode(const struct km_sort *s, const uint8_t *p,
		      struct km_group_vals *v);
/* Bytes the stack key takes at p (the stack key's own encoding). */
size_t km_stack_key_len(const uint8_t *p);
/* The value of key k as a table cell. */
void km_sort_cell(enum km_sort_key k, const struct km_group_vals *v, char *buf,
		  size_t size);
/*
 * Key k's name and value as the next member of w's open object: a
 * string, a number, or a hex string for a value (null without one).
 */
void km_sort_json(struct km_jw *w, enum km_sort_key k,
		  const struct km_group_vals *v);

#endif
