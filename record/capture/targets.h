/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the command line's BP EXPR pairs resolve to in the running
 * kernel: the watches, and the names they were resolved with. Apart
 * from the options (record/options.h), which only say what was asked:
 * this holds the /proc/kallsyms text (kept for record's snapshot), the
 * thread reading it, the symbol table and the slide of -k VMLINUX.
 */
#ifndef KM_TARGETS_H
#define KM_TARGETS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "../../bpf/kmemsnoop.h"
#include "../../common/symbolize/ksyms.h"
#include "../../common/trace/target.h"

struct km_objects;

/* What to resolve, as the options give it. */
struct km_target_request {
	char *const *words; /* BP, EXPR, BP, EXPR, ... as typed */
	int nr_watches;
	const char *vmlinux; /* -v: its symbols, placed in this kernel */
	struct km_objects *objects; /* --pid-task ..., objects.h */
	bool all_names; /* EXPR is no symbol (--on's member path): load all */
};

struct km_targets {
	struct km_watch watches[KM_MAX_WATCHES];
	int nr_watches; /* resolved so far */
	char *kallsyms; /* /proc/kallsyms text, kept for the snapshot */
	size_t kallsyms_len;
	struct km_symtab syms; /* kallsyms, or the vmlinux's, rebased */
	bool syms_partial; /* syms holds only the names EXPR uses */
	int64_t slide; /* of the running kernel against -k VMLINUX */
	struct km_kallsyms_reader *reader; /* reading in the background */
};

/*
 * Starts reading /proc/kallsyms on a thread of its own, so that it
 * overlaps loading the BPF program. t must be zeroed before.
 */
void km_targets_start(struct km_targets *t);
/*
 * Waits for the kallsyms read and loads the names rq's watches need
 * (the running kernel's, or -k VMLINUX's placed in it). Returns 0 or a
 * negative errno after explaining.
 */
int km_targets_load_names(struct km_targets *t,
			  const struct km_target_request *rq);
/*
 * km_targets_load_names, then turns every BP EXPR of rq into a
 * watch (names, objects, member paths). Returns 0 or a negative errno
 * after explaining (km_usage for what the user can fix).
 */
int km_targets_resolve(struct km_targets *t,
		       const struct km_target_request *rq);
/* Makes syms the whole symbol table, as printing stacks needs. */
int km_targets_all_symbols(struct km_targets *t, const char *vmlinux);
void km_targets_free(struct km_targets *t);

#endif
