/* SPDX-License-Identifier: GPL-2.0 */
/* kmemsnoop report's command line. */
#ifndef KM_REPORT_OPTS_H
#define KM_REPORT_OPTS_H

#include <stdbool.h>
#include <stdio.h>
#include "views/hit_filter.h"
#include "symbols.h"
#include "views/views.h"

struct km_report_opts {
	const char *input;
	struct km_symbol_opts sym;
	bool hits, header, timeline, wall;
	bool quiet, no_pager;
	double percent_limit; /* 0: every row */
	int64_t max_stack; /* --max-stack: frames kept; -1, the default: all */
	bool sorted; /* --sort given */
	struct km_sort sort;
	enum km_call_graph cg;
	enum km_format format;
	struct km_hit_filter filter;
};

/*
 * Parses argv (starting at "report"). Returns 0, 1 after --help was
 * printed, or a negative errno after explaining (km_usage).
 */
int km_report_parse(struct km_report_opts *o, int argc, char **argv);
void km_report_opts_free(struct km_report_opts *o);
/* The --help text: the options the man page kmemsnoop-report(1) lists. */
void km_report_usage(FILE *f);
/*
 * The options report takes, for tests/doc to hold --help, the man page
 * and the bash completion to: one a line, "-x" or "--name", then
 * " VALUE" if it takes one.
 */
void km_report_list_options(FILE *f);

#endif
