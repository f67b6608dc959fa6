// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../common/optable.h"
#include "../common/error.h"
#include "../common/version.h"
#include "report_opts.h"

void km_report_usage(FILE *f)
{
	fputs("usage: kmemsnoop report [-i FILE] [OPTIONS]\n"
	      "  -i, --input FILE        trace to read (default kmemsnoop.data; - for stdin)\n"
	      "Views (the default: per watchpoint, distinct stacks by hits):\n"
	      "      --hits              every hit in order, as live mode prints it\n"
	      "  -s, --sort KEYS         hits grouped by KEYS, most first: any of stack,\n"
	      "                          sym, comm, pid, tid, cpu, watch, value, e.g. comm,sym\n"
	      "  -g, --call-graph ORDER  stacks as a call tree, ORDER caller (outermost\n"
	      "                          first) or callee (innermost first)\n"
	      "      --timeline          hits per second per watchpoint, as bars\n"
	      "      --header            the trace's metadata\n"
	      "  -F, --fields KEYS       the same as --sort (perf's name for the columns)\n"
	      "      --percent-limit N   leave out stacks, rows and calls under N% of the hits\n"
	      "      --max-stack N       each stack cut to its N innermost return addresses\n"
	      "                          (their inlined calls with them); 0: no stacks\n"
	      "Output:\n"
	      "      --format FMT        text (default), json (JSON Lines), folded (for\n"
	      "                          flame graphs), perf-script (as perf script prints),\n"
	      "                          svg (an interactive flame graph)\n"
	      "      --time-format FMT   relative (seconds since the start, the default)\n"
	      "                          or wall (UTC date and time)\n"
	      "      --stdio             text on standard output: the default, for perf's users\n"
	      "  -n, --show-nr-samples   accepted as perf takes it: hit counts always show\n"
	      "      --no-pager          on a terminal, do not page through less -FRX\n"
	      "  -q, --quiet             no notes or warnings, only errors\n"
	      "Filters, for every view and format:\n"
	      "      --pid LIST          only these processes (thread groups), e.g. 1,5-7\n"
	      "      --tid LIST          only these threads\n"
	      "      --comm NAMES        only tasks with these command names, comma-separated\n"
	      "  -C, --cpu LIST          only hits on these CPUs\n"
	      "      --watch LIST        only these watchpoints (0 to 3)\n"
	      "      --time FROM,TO      only hits this many seconds after the start;\n"
	      "                          either side may be empty\n"
	      "Symbols:\n"
	      "  -k, --vmlinux PATH      take symbols, file:line and inlined calls from this\n"
	      "                          vmlinux (its DWARF, else its symbol table)\n"
	      "      --force             use the vmlinux even if its build-id is not the trace's\n"
	      "      --kallsyms PATH     take symbols from this kallsyms file\n"
	      "      --modules DIR       look for modules' debug files (NAME.ko, NAME.ko.debug)\n"
	      "                          anywhere under DIR\n"
	      "      --no-debuginfod     ask no debuginfod server, whatever DEBUGINFOD_URLS says\n"
	      "      --symfs DIR         look for debug files under DIR, as perf does (the\n"
	      "                          same as KMEMSNOOP_DEBUG_ROOT=DIR)\n"
	      "  -h, --help              this help\n"
	      "  -V, --version           kmemsnoop's version and its libraries'\n"
	      "Without --vmlinux or --kallsyms, the vmlinux with the trace's build-id is\n"
	      "looked for in /usr/lib/debug/.build-id, /usr/lib/debug/boot, /boot and\n"
	      "/lib/modules/RELEASE/build (under $KMEMSNOOP_DEBUG_ROOT), then through\n"
	      "debuginfod if DEBUGINFOD_URLS is set; failing that, symbols come from the\n"
	      "trace's kallsyms snapshot. A module's frames come from its debug file, found\n"
	      "by build-id: under --modules DIR, /usr/lib/debug/.build-id,\n"
	      "/usr/lib/debug/lib/modules/RELEASE, or through debuginfod; else from kallsyms.\n"
	      "debuginfod is asked at most 16 times a run: for the kernel, and for modules\n"
	      "the shown stacks pass through.\n"
	      "As in perf report, -C is a CPU list; unlike it, there is no verbose -v:\n"
	      "-q silences notes and warnings instead.\n"
	      "More in kmemsnoop-report(1).\n"
	      "Exit status: 0 done, 1 failure at run time, 2 bad usage.\n",
	      f);
}

/*
 * Options only long names reach: numbered past any character, so that
 * no letter stands for an option it is not.
 */
enum {
	OPT_KALLSYMS = 256,
	OPT_FORCE,
	OPT_MODULES,
	OPT_NO_DEBUGINFOD,
	OPT_HITS,
	OPT_HEADER,
	OPT_FORMAT,
	OPT_TIMELINE,
	OPT_TIME_FORMAT,
	OPT_PID,
	OPT_TID,
	OPT_COMM,
	OPT_WATCH,
	OPT_TIME,
	OPT_PERCENT_LIMIT,
	OPT_MAX_STACK,
	OPT_STDIO,
	OPT_NO_PAGER,
	OPT_SYMFS,
};

/*
 * Every option of report: the getopt_long table, and what its
 * short-option string is built from (the vals below 256).
 */
static const struct option long_opts[] = {
	{ "input", required_argument, NULL, 'i' },
	{ "vmlinux", required_argument, NULL, 'k' },
	{ "kallsyms", required_argument, NULL, OPT_KALLSYMS },
	{ "force", no_argument, NULL, OPT_FORCE },
	{ "modules", required_argument, NULL, OPT_MODULES },
	{ "no-debuginfod", no_argument, NULL, OPT_NO_DEBUGINFOD },
	{ "symfs", required_argument, NULL, OPT_SYMFS },
	{ "hits", no_argument, NULL, OPT_HITS },
	{ "header", no_argument, NULL, OPT_HEADER },
	{ "sort", required_argument, NULL, 's' },
	{ "fields", required_argument, NULL, 'F' },
	{ "percent-limit", required_argument, NULL, OPT_PERCENT_LIMIT },
	{ "max-stack", required_argument, NULL, OPT_MAX_STACK },
	{ "call-graph", required_argument, NULL, 'g' },
	{ "timeline", no_argument, NULL, OPT_TIMELINE },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "time-format", required_argument, NULL, OPT_TIME_FORMAT },
	{ "stdio", no_argument, NULL, OPT_STDIO },
	{ "show-nr-samples", no_argument, NULL, 'n' },
	{ "no-pager", no_argument, NULL, OPT_NO_PAGER },
	{ "quiet", no_argument, NULL, 'q' },
	{ "pid", required_argument, NULL, OPT_PID },
	{ "tid", required_argument, NULL, OPT_TID },
	{ "comm", required_argument, NULL, OPT_COMM },
	{ "cpu", required_argument, NULL, 'C' },
	{ "watch", required_argument, NULL, OPT_WATCH },
	{ "time", required_argument, NULL, OPT_TIME },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ 0 },
};

#define NR_OPTS (sizeof(long_opts) / sizeof(long_opts[0]) - 1)

void km_report_list_options(FILE *f)
{
	km_opt_list(f, long_opts);
}

static const char *const formats[] = {
	[KM_FMT_TEXT] = "text",	    [KM_FMT_JSON] = "json",
	[KM_FMT_FOLDED] = "folded", [KM_FMT_PERF_SCRIPT] = "perf-script",
	[KM_FMT_SVG] = "svg",
};

static int parse_format(struct km_report_opts *o, const char *s)
{
	size_t i;

	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		if (!strcmp(s, formats[i])) {
			o->format = i;
			return 0;
		}
	}
	km_usage(
		"unknown format '%s': use text, json, folded, perf-script or svg",
		s);
	return -EINVAL;
}

static int parse_choice(const char *s, const char *opt, const char *a,
			const char *b, bool *is_b)
{
	if (strcmp(s, a) && strcmp(s, b)) {
		km_usage("bad %s '%s': use %s or %s", opt, s, a, b);
		return -EINVAL;
	}
	*is_b = !strcmp(s, b);
	return 0;
}

static int call_graph(struct km_report_opts *o, const char *s)
{
	bool callee;
	int err = parse_choice(s, "--call-graph", "caller", "callee", &callee);

	if (!err)
		o->cg = callee ? KM_CG_CALLEE : KM_CG_CALLER;
	return err;
}

/*
 * --symfs DIR: the debug files' root, which the symbolize layer takes
 * from KMEMSNOOP_DEBUG_ROOT (common/symbolize/vmlinux.c); one setting,
 * two spellings.
 */
static int symfs(const char *dir)
{
	if (!*dir) {
		km_usage("--symfs needs a directory");
		return -EINVAL;
	}
	return setenv("KMEMSNOOP_DEBUG_ROOT", dir, 1) ? -errno : 0;
}

static int percent_limit(struct km_report_opts *o, const char *s)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !(v >= 0 && v <= 100)) {
		km_usage(
			"bad --percent-limit '%s': give a percentage from 0 to 100, e.g. 1 or 0.5",
			s);
		return -EINVAL;
	}
	o->percent_limit = v;
	return 0;
}

/*
 * --max-stack N, as perf takes it: any count, 0 included; stacks in a
 * trace hold at most KM_MAX_FRAMES, so more than that cuts nothing.
 */
static int max_stack(struct km_report_opts *o, const char *s)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s || *end || !isdigit((unsigned char)*s) ||
	    v > UINT32_MAX) {
		km_usage(
			"bad --max-stack '%s': give a number of frames, 0 or more, e.g. 8",
			s);
		return -EINVAL;
	}
	o->max_stack = v;
	return 0;
}

static int handle(struct km_report_opts *o, int c, const char *arg)
{
	switch (c) {
	case 'i':
		o->input = arg;
		return 0;
	case 'k':
		o->sym.vmlinux = arg;
		return 0;
	case OPT_SYMFS:
		return symfs(arg);
	case OPT_PERCENT_LIMIT:
		return percent_limit(o, arg);
	case OPT_MAX_STACK:
		return max_stack(o, arg);
	case OPT_STDIO:
	case 'n':
		return 0;
	case OPT_NO_PAGER:
		o->no_pager = true;
		return 0;
	case 'q':
		o->quiet = true;
		return 0;
	case OPT_KALLSYMS:
		o->sym.kallsyms = arg;
		return 0;
	case OPT_FORCE:
		o->sym.force = true;
		return 0;
	case OPT_MODULES:
		o->sym.modules = arg;
		return 0;
	case OPT_NO_DEBUGINFOD:
		o->sym.no_debuginfod = true;
		return 0;
	case OPT_HITS:
		o->hits = true;
		return 0;
	case OPT_HEADER:
		o->header = true;
		return 0;
	case 's':
	case 'F':
		o->sorted = true;
		return km_sort_parse(&o->sort, arg);
	case 'g':
		return call_graph(o, arg);
	case OPT_TIMELINE:
		o->timeline = true;
		return 0;
	case OPT_FORMAT:
		return parse_format(o, arg);
	case OPT_TIME_FORMAT:
		return parse_choice(arg, "--time-format", "relative", "wall",
				    &o->wall);
	case OPT_PID:
		return km_ranges_parse(&o->filter.pid, arg, "--pid");
	case OPT_TID:
		return km_ranges_parse(&o->filter.tid, arg, "--tid");
	case OPT_COMM:
		return km_hit_filter_comms(&o->filter, arg);
	case 'C':
		return km_ranges_parse(&o->filter.cpu, arg, "--cpu");
	case OPT_WATCH:
		return km_ranges_parse(&o->filter.watch, arg, "--watch");
	case OPT_TIME:
		return km_hit_filter_time(&o->filter, arg);
	}
	/* Every val of the table is handled above. */
	km_usage("internal error: option %d has no handler", c);
	return -EINVAL;
}

/* Views that cannot be shown together; only one may be asked for. */
static int one_view(const struct km_report_opts *o)
{
	const char *views[5];
	int n = 0;

	if (o->header)
		views[n++] = "--header";
	if (o->hits)
		views[n++] = "--hits";
	if (o->sorted || o->cg)
		views[n++] = o->sorted ? "--sort" : "--call-graph";
	if (o->timeline)
		views[n++] = "--timeline";
	if (o->format >= KM_FMT_FOLDED)
		views[n++] = formats[o->format];
	if (n > 1) {
		km_usage("%s and %s are different views: ask for one", views[0],
			 views[1]);
		return -EINVAL;
	}
	if (o->header && o->format != KM_FMT_TEXT && o->format != KM_FMT_JSON) {
		km_usage("--header prints text or json: leave out --format %s",
			 formats[o->format]);
		return -EINVAL;
	}
	return 0;
}

int km_report_parse(struct km_report_opts *o, int argc, char **argv)
{
	char shorts[2 * NR_OPTS + 2];
	int c, err;

	/*
	 * Permuted (no '+'): options after a stray argument are still
	 * read, and the argument is then named as unexpected.
	 */
	km_opt_shorts(long_opts, false, shorts, sizeof(shorts));
	o->input = "kmemsnoop.data";
	o->max_stack = -1;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, shorts, long_opts, NULL)) != -1) {
		if (c == 'h') {
			km_report_usage(stdout);
			return 1;
		}
		if (c == 'V') {
			km_print_version(stdout);
			return 1;
		}
		if (c == '?' || c == ':') {
			km_opt_error(c, argv[optind - 1], "report");
			return -EINVAL;
		}
		err = handle(o, c, optarg);
		if (err)
			return err;
	}
	if (optind < argc) {
		km_usage(
			"unexpected argument '%s' (the trace is given with -i)",
			argv[optind]);
		return -EINVAL;
	}
	return one_view(o);
}

void km_report_opts_free(struct km_report_opts *o)
{
	km_hit_filter_free(&o->filter);
}
