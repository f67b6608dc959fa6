/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kmemsnoop export: a trace made fit to share (kmemsnoop-export(1)).
 * Reads a trace twice (once to learn which symbols and modules its
 * stacks need, once to copy its hits) and writes a new one: kernel
 * addresses rebased to the nominal _text, modules to made-up bases,
 * the kallsyms snapshot cut down to what the stacks need, and the
 * hostname, command line, registers, values, data addresses and pids
 * removed or renumbered unless asked to keep them. The input is never
 * written to.
 */
#ifndef KM_EXPORT_H
#define KM_EXPORT_H

#include <stdio.h>

/* What --keep and --drop name; comms are kept unless dropped. */
enum km_export_item {
	KM_KEEP_HOSTNAME = 1 << 0,
	KM_KEEP_CMDLINE = 1 << 1,
	KM_KEEP_REGS = 1 << 2,
	KM_KEEP_VALUES = 1 << 3,
	KM_KEEP_ADDRESSES = 1 << 4,
	KM_KEEP_PIDS = 1 << 5,
	KM_KEEP_COMMS = 1 << 6,
};

struct km_export_opts {
	const char *input, *output;
	const char *vmlinux; /* where _text goes: this file's, not a default */
	unsigned int keep; /* KM_KEEP_* */
};

/*
 * Parses argv (starting at "export"). Returns 0, 1 after --help was
 * printed, or a negative errno after explaining (km_usage).
 */
int km_export_parse(struct km_export_opts *o, int argc, char **argv);
/* The --help text: the options kmemsnoop-export(1) lists. */
void km_export_usage(FILE *f);
/* The options export takes, one a line, for tests/doc (optable.h). */
void km_export_list_options(FILE *f);

/* Writes the export o asks for; 0 or a negative errno (explained). */
int km_export(const struct km_export_opts *o);
/* kmemsnoop export: argv starts at "export"; returns the exit status. */
int km_cmd_export(int argc, char **argv);

#endif
