/* SPDX-License-Identifier: GPL-2.0 */
/* Command-line options shared by live mode and `record`. */
#ifndef KM_OPTIONS_H
#define KM_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>
#include "../common/ksyms.h"
#include "../common/target.h"
#include "../bpf/kmemsnoop.h"

struct km_opts {
	bool record; /* accept record-only options */
	const char *output;
	const char *vmlinux;
	uint64_t duration_ns;
	uint64_t count;
	uint64_t ringbuf_size;
	bool stacks;
	bool regs;
	struct kmemsnoop_filter filter;
	char **command;
	struct km_watch watches[KM_MAX_WATCHES];
	int nr_watches;
	/* Names for EXPR and for printing stacks. */
	char *kallsyms; /* /proc/kallsyms text, kept for the snapshot */
	size_t kallsyms_len;
	struct km_symtab syms; /* kallsyms, or the vmlinux's, rebased */
	struct km_objects *objects; /* --pid-task ..., record/objects.h */
};

/*
 * Parses argv (after the subcommand name) and resolves every watch.
 * Returns 0, 1 after --help was printed, or a negative errno after
 * explaining the problem.
 */
int km_opts_parse(struct km_opts *o, int argc, char **argv);
void km_opts_free(struct km_opts *o);
void km_opts_usage(FILE *f, bool record);

#endif
