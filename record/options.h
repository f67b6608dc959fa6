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
#include "capture/targets.h"

struct km_opts {
	bool record; /* accept record-only options */
	const char *output;
	const char *vmlinux;
	bool force; /* use -k VMLINUX whatever its build-id */
	const char *modules_dir; /* live: --modules DIR, module debug files */
	uint64_t duration_ns;
	uint64_t count;
	uint64_t ringbuf_size;
	bool stacks;
	bool regs;
	bool quiet; /* record: no status line */
	struct kmemsnoop_filter filter;
	char **command;
	int nr_watches; /* BP EXPR pairs */
	/* BP EXPR as typed: record/capture/targets.h resolves them. */
	char *words[2 * KM_MAX_WATCHES];
	struct km_objects *objects; /* --pid-task ..., record/capture/objects.h */
	/* --on, --off, --objects: record/capture/lifetime.h */
	const char *life_on, *life_off;
	int life_objects;
	bool life_replace; /* --replace */
	struct km_lifetime *life;
};

/*
 * Parses argv (after the subcommand name) and checks what can be
 * checked without privilege (km_opts_validate). Returns 0, 1 after
 * --help was printed, or a negative errno after explaining the
 * problem. nr_watches is known afterwards.
 */
int km_opts_parse(struct km_opts *o, int argc, char **argv);
/* What o asks record/capture/targets.h to resolve. */
struct km_target_request km_opts_request(const struct km_opts *o);
/*
 * Resolves o's watches into t (km_targets_resolve) and checks them
 * against o: --if values, the same bytes twice. Returns 0 or a negative
 * errno after explaining.
 */
int km_opts_resolve(struct km_opts *o, struct km_targets *t);
/*
 * record/options_check.c. What km_opts_parse checks beyond the
 * syntax of each option, needing no privilege: BP and EXPR syntax,
 * --if against the watch lengths, the same watch twice, -C, -p and
 * --tid against this machine, -v's build-id. Returns 0 or a negative
 * errno after explaining.
 */
int km_opts_validate(struct km_opts *o);
/* Once resolved: --if against each length, no two of the same bytes. */
int km_opts_check_resolved(const struct km_opts *o, const struct km_targets *t);
/* The session options both live mode and record start from. */
void km_opts_session(const struct km_opts *o, const struct km_targets *t,
		     struct km_session_opts *so);
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
