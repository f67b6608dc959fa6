/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Stacks rendered once. A trace stores each distinct stack once and
 * hits refer to it by id; listing a million hits need not symbolize
 * and format the same few stacks a million times.
 */
#ifndef KM_STACK_TEXT_H
#define KM_STACK_TEXT_H

#include <stdbool.h>
#include <stdio.h>

struct km_hit;
struct km_print_ctx;
struct km_stack_text;

struct km_stack_text *km_stack_text_new(void);
void km_stack_text_free(struct km_stack_text *c);
/*
 * Writes h's stack to f as km_print_frames (json false) or
 * km_print_frames_json would, rendering it only the first time its
 * stack id is seen. Returns 0, or -ENOMEM having written it directly.
 */
int km_stack_text_put(struct km_stack_text *c, FILE *f,
		      const struct km_print_ctx *pc, const struct km_hit *h,
		      bool json);

#endif
