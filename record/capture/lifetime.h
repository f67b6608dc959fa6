/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Watching objects from birth to death: record --on FUNC:ARG [--off
 * FUNC:ARG] [--objects N] BP '&member.path'. Each call of the --on
 * function (fentry; fexit for $retval) hands its object to a free watch
 * slot, the BPF side (bpf/lifetime.bpf.c) tells where the field is,
 * and this moves that slot's breakpoints there with
 * PERF_EVENT_IOC_MODIFY_ATTRIBUTES; the --off function's call with the
 * same object turns them off and frees the slot. Every slot is one
 * watch, opened at a placeholder and kept off until it has an object.
 */
#ifndef KM_LIFETIME_H
#define KM_LIFETIME_H

#include <stdbool.h>
#include <stdio.h>
#include <bpf/libbpf.h>
#include "../../bpf/kmemsnoop.h"
#include "../../common/symbolize/ksyms.h"
#include "../../common/trace/life.h"
#include "../../common/trace/target.h"
#include "arm.h"

struct km_lifetime;

/* Called for each arming (once live) and disarming (once off). */
typedef int (*km_life_cb)(void *ctx, const struct km_life_rec *r);

/*
 * Checks --on ON, --off OFF (or NULL) and BP EXPR against the kernel's
 * BTF and fills watches[0..nr) (nr: --objects, the slots), each at the
 * placeholder address, never hit while off. Explains any problem in
 * one line (km_usage for what the user typed) and returns a negative
 * errno; *lp is then NULL.
 */
int km_life_resolve(struct km_lifetime **lp, const char *on, const char *off,
		    int nr, const char *bp, const char *expr,
		    const struct km_symtab *syms, struct km_watch *watches);

/*
 * --replace: an object that arrives with every slot taken takes the
 * slot of the oldest arming, whose object is then no longer watched
 * (its DISARM record says replaced), instead of being counted and left.
 * Before km_life_start().
 */
void km_life_replace_oldest(struct km_lifetime *l);

/* The hit program's state a slot's arming changes (kmemsnoop.bpf.c). */
struct km_life_hit_state {
	__u64 *watch_addr;
	__u32 *last_valid;
	__u32 *watch_live;
};

/*
 * Once km_arm() has opened every slot's breakpoints: turns them off,
 * loads and attaches the arming programs with the same task filter,
 * and adds their events to rb, handled as they come: on_life gets each
 * record. Returns 0 or a negative errno, explained.
 */
int km_life_start(struct km_lifetime *l, struct km_armed *a,
		  const struct km_life_hit_state *hs, struct ring_buffer *rb,
		  const struct kmemsnoop_filter *filter, km_life_cb on_life,
		  void *ctx);
/*
 * Detaches the arming programs, handles the events still waiting and
 * sums the counts into *s. The breakpoints stay until km_disarm().
 */
void km_life_stop(struct km_lifetime *l, struct ring_buffer *rb,
		  struct km_life_summary *s);
/*
 * One line on f: objects watched, not watched, disarms ignored; calls
 * filtered out and the like when there were any.
 */
void km_life_print_summary(FILE *f, const struct km_life_summary *s);
void km_life_free(struct km_lifetime *l);

#endif
