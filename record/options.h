/* SPDX-License-Identifier: GPL-2.0 */
/* Command-line options shared by live mode and `record`. */
#ifndef KM_OPTIONS_H
#define KM_OPTIONS_H

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "../common/optable.h"
#include "../common/symbolize/ksyms.h"
#include "../common/trace/target.h"
#include "../bpf/kmemsnoop.h"
#include "capture/session.h"

struct km_opts {
	bool record; /* accept record-only options */
	const char *output;
	const char *vmlinux;
	bool force; /* use -v VMLINUX whatever its build-id */
	const char *modules_dir; /* live: --modules DIR, module debug files */
	uint64_t duration_ns;
	uint64_t count;
	uint64_t ringbuf_size;
	bool stacks;
	bool regs;
	bool quiet; /* record: no status line */
	struct kmemsnoop_filter filter;
	char **command;
	struct km_watch watches[KM_MAX_WATCHES];
	int nr_watches;
	/* BP EXPR as typed, until km_opts_resolve() parses them. */
	char *words[2 * KM_MAX_WATCHES];
	/* Names for EXPR and for printing stacks. */
	char *kallsyms; /* /proc/kallsyms text, kept for the snapshot */
	size_t kallsyms_len;
	struct km_symtab syms; /* kallsyms, or the vmlinux's, rebased */
	bool syms_partial; /* syms holds only the names EXPR uses */
	int64_t slide; /* of the running kernel against -v VMLINUX */
	struct km_kallsyms_reader *reader; /* reading in the background */
	struct km_objects *objects; /* --pid-task ..., record/capture/objects.h */
	/* --on, --off, --objects: record/capture/lifetime.h */
	const char *life_on, *life_off;
	int life_objects;
	struct km_lifetime *life;
};

/*
 * Parses argv (after the subcommand name) and starts reading
 * /proc/kallsyms in the background, so that it overlaps loading the
 * BPF program. Returns 0, 1 after --help was printed, or a negative
 * errno after explaining the problem. nr_watches is known afterwards.
 */
int km_opts_parse(struct km_opts *o, int argc, char **argv);
/*
 * Waits for the kallsyms read and turns every BP EXPR into a watch
 * (names, objects, member paths). Returns 0 or a negative errno after
 * explaining.
 */
int km_opts_resolve(struct km_opts *o);
/*
 * record/options_check.c. What km_opts_parse checks beyond the
 * syntax of each option, needing no privilege: BP and EXPR syntax,
 * --if against the watch lengths, the same watch twice, -C, -p and
 * --tid against this machine, -v's build-id. Returns 0 or a negative
 * errno after explaining.
 */
int km_opts_validate(struct km_opts *o);
/* Once resolved: no two watches of the same bytes. */
int km_opts_check_resolved(const struct km_opts *o);
/* Whether kallsyms text lists no data symbols (no CONFIG_KALLSYMS_ALL). */
bool km_kallsyms_lacks_data(const char *text, size_t len);
/* Makes syms the whole symbol table, as printing stacks needs. */
int km_opts_all_symbols(struct km_opts *o);
/* The session options both live mode and record start from. */
void km_opts_session(const struct km_opts *o, struct km_session_opts *so);
void km_opts_free(struct km_opts *o);
void km_opts_usage(FILE *f, bool record);

/*
 * Live mode's (record false) or record's options, as km_opt_list()
 * (common/optable.h) lists a table.
 */
void km_opts_list(FILE *f, bool record);

/* The tables of `kmemsnoop offsetof` and `kmemsnoop check`. */
extern const struct option km_offsetof_opts[];
extern const struct option km_check_opts[];

#endif
