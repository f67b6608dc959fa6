// SPDX-License-Identifier: GPL-2.0
/* kmemsnoop report: show a trace, on any machine, symbolized offline. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include "../common/commands.h"
#include "../common/error.h"
#include "symbols.h"
#include "trace_reader.h"
#include "views.h"

struct report_opts {
	const char *input;
	struct km_symbol_opts sym;
	bool hits, header, json;
};

static void usage(FILE *f)
{
	fputs("usage: kmemsnoop report [-i FILE] [--vmlinux PATH [--force]] [--kallsyms PATH]\n"
	      "                        [--hits] [--header] [--format text|json]\n"
	      "  -i, --input FILE     trace to read (default kmemsnoop.data)\n"
	      "      --vmlinux PATH   take symbols, file:line and inlined calls from this\n"
	      "                       vmlinux (its DWARF, else its symbol table)\n"
	      "      --force          use the vmlinux even if its build-id is not the trace's\n"
	      "      --kallsyms PATH  take symbols from this kallsyms file\n"
	      "      --hits           every hit in order, as live mode prints it\n"
	      "      --header         the trace's metadata\n"
	      "      --format FMT     text (default) or json (JSON Lines, one hit a line)\n"
	      "Without --vmlinux or --kallsyms, the vmlinux with the trace's build-id is\n"
	      "looked for in /usr/lib/debug/.build-id, /usr/lib/debug/boot, /boot and\n"
	      "/lib/modules/RELEASE/build, then through debuginfod if DEBUGINFOD_URLS is\n"
	      "set; failing that, symbols come from the trace's kallsyms snapshot.\n"
	      "Exit status: 0 done, 1 failure at run time, 2 bad usage.\n",
	      f);
}

static const struct option long_opts[] = {
	{ "input", required_argument, NULL, 'i' },
	{ "vmlinux", required_argument, NULL, 'v' },
	{ "kallsyms", required_argument, NULL, 'k' },
	{ "force", no_argument, NULL, 'f' },
	{ "hits", no_argument, NULL, 'H' },
	{ "header", no_argument, NULL, 'E' },
	{ "format", required_argument, NULL, 'F' },
	{ "help", no_argument, NULL, 'h' },
	{ 0 },
};

static int parse(struct report_opts *o, int argc, char **argv)
{
	int c;

	o->input = "kmemsnoop.data";
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "i:v:k:h", long_opts, NULL)) !=
	       -1) {
		switch (c) {
		case 'i':
			o->input = optarg;
			break;
		case 'v':
			o->sym.vmlinux = optarg;
			break;
		case 'k':
			o->sym.kallsyms = optarg;
			break;
		case 'f':
			o->sym.force = true;
			break;
		case 'H':
			o->hits = true;
			break;
		case 'E':
			o->header = true;
			break;
		case 'F':
			if (strcmp(optarg, "text") && strcmp(optarg, "json")) {
				km_usage(
					"unknown format '%s': use text or json",
					optarg);
				return -EINVAL;
			}
			o->json = !strcmp(optarg, "json");
			break;
		case 'h':
			usage(stdout);
			return 1;
		default:
			km_usage(
				"unknown or incomplete option '%s'; see 'kmemsnoop report --help'",
				argv[optind - 1]);
			return -EINVAL;
		}
	}
	if (optind < argc) {
		km_usage(
			"unexpected argument '%s' (the trace is given with -i)",
			argv[optind]);
		return -EINVAL;
	}
	return 0;
}

static int show(const struct report_opts *o, struct km_trace *t)
{
	struct km_print_ctx pc = { .start_ns = t->monotonic_ns,
				   .watches = t->watches,
				   .nr_watches = t->nr_watches };
	int err;

	if (o->header)
		return km_view_header(stdout, t);
	err = km_report_symbols(&pc.sym, t, &o->sym);
	if (err)
		return err;
	if (o->hits || o->json)
		err = km_view_hits(stdout, t, &pc, o->json);
	else
		err = km_view_stacks(stdout, t, &pc);
	km_symbolizer_destroy(pc.sym);
	return err;
}

int km_cmd_report(int argc, char **argv)
{
	struct report_opts o = { 0 };
	struct km_trace t;
	int err;

	err = parse(&o, argc, argv);
	if (err)
		return err > 0 ? KM_EXIT_OK : KM_EXIT_USAGE;
	err = km_trace_open(&t, o.input);
	if (!err)
		err = show(&o, &t);
	km_trace_close(&t);
	if (fflush(stdout) && errno != EPIPE) {
		km_err("writing the report failed: %s", strerror(errno));
		err = -errno;
	}
	return err ? KM_EXIT_FAIL : KM_EXIT_OK;
}
