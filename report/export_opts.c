// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include "../common/error.h"
#include "../common/optable.h"
#include "export.h"

void km_export_usage(FILE *f)
{
	fputs("usage: kmemsnoop export [-i FILE] -o FILE [OPTIONS]\n"
	      "Writes a copy of a trace fit to attach to a public bug report: kernel\n"
	      "addresses rebased to the nominal _text (no KASLR slide), modules at made-up\n"
	      "bases, the kallsyms snapshot cut to what the stacks need; the hostname,\n"
	      "command line, registers, values and data addresses removed (those of\n"
	      "objects made up), pids renumbered.\n"
	      "  -i, --input FILE        trace to read (default kmemsnoop.data)\n"
	      "  -o, --output FILE       the export to write (mode 0600; never the input)\n"
	      "      --keep ITEMS        keep these, comma-separated: hostname, cmdline, regs,\n"
	      "                          values, addresses, pids, comms\n"
	      "      --drop ITEMS        remove these as well; comms (kept by default)\n"
	      "                          replaces each command name by task1, task2, ...\n"
	      "  -k, --vmlinux PATH      put _text where this vmlinux has it, instead of the\n"
	      "                          architecture's default (x86_64: 0xffffffff81000000);\n"
	      "                          k as in report and perf (v, its old letter, works)\n"
	      "  -h, --help              this help\n"
	      "More in kmemsnoop-export(1).\n"
	      "Exit status: 0 done, 1 failure at run time, 2 bad usage.\n",
	      f);
}

enum {
	OPT_KEEP = 256,
	OPT_DROP,
};

static const struct option long_opts[] = {
	{ "input", required_argument, NULL, 'i' },
	{ "output", required_argument, NULL, 'o' },
	{ "keep", required_argument, NULL, OPT_KEEP },
	{ "drop", required_argument, NULL, OPT_DROP },
	{ "vmlinux", required_argument, NULL, 'k' },
	{ "help", no_argument, NULL, 'h' },
	{ 0 },
};

#define NR_OPTS (sizeof(long_opts) / sizeof(long_opts[0]) - 1)

void km_export_list_options(FILE *f)
{
	km_opt_list(f, long_opts);
}

static const struct {
	const char *name;
	unsigned int bit;
} items[] = {
	{ "hostname", KM_KEEP_HOSTNAME },   { "cmdline", KM_KEEP_CMDLINE },
	{ "regs", KM_KEEP_REGS },	    { "values", KM_KEEP_VALUES },
	{ "addresses", KM_KEEP_ADDRESSES }, { "pids", KM_KEEP_PIDS },
	{ "comms", KM_KEEP_COMMS },
};

static int item_bit(const char *name, const char *opt, unsigned int *bit)
{
	size_t i;

	for (i = 0; i < sizeof(items) / sizeof(items[0]); i++) {
		if (!strcmp(name, items[i].name)) {
			*bit = items[i].bit;
			return 0;
		}
	}
	km_usage(
		"unknown item '%s' for %s: use hostname, cmdline, regs, values, addresses, pids or comms",
		name, opt);
	return -EINVAL;
}

/* --keep and --drop in the order given: the last word on an item wins. */
static int parse_items(struct km_export_opts *o, const char *list, bool keep)
{
	char *copy = strdup(list), *save = NULL, *w;
	unsigned int bit;
	int err = copy ? 0 : -ENOMEM;

	for (w = copy ? strtok_r(copy, ",", &save) : NULL; w && !err;
	     w = strtok_r(NULL, ",", &save)) {
		err = item_bit(w, keep ? "--keep" : "--drop", &bit);
		if (!err)
			o->keep = keep ? o->keep | bit : o->keep & ~bit;
	}
	free(copy);
	return err;
}

static int handle(struct km_export_opts *o, int c, const char *arg)
{
	switch (c) {
	case 'i':
		o->input = arg;
		return 0;
	case 'o':
		o->output = arg;
		return 0;
	case 'k':
	case 'v': /* the old spelling: km_opt_old_short() */
		o->vmlinux = arg;
		return 0;
	case OPT_KEEP:
		return parse_items(o, arg, true);
	case OPT_DROP:
		return parse_items(o, arg, false);
	}
	km_usage(
		"unknown or incomplete option '%s'; see 'kmemsnoop export --help'",
		arg);
	return -EINVAL;
}

int km_export_parse(struct km_export_opts *o, int argc, char **argv)
{
	char shorts[2 * NR_OPTS + 4];
	int c, err;

	km_opt_shorts(long_opts, false, shorts, sizeof(shorts));
	km_opt_old_short(shorts, sizeof(shorts), 'v', required_argument);
	*o = (struct km_export_opts){ .input = "kmemsnoop.data",
				      .keep = KM_KEEP_COMMS };
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, shorts, long_opts, NULL)) != -1) {
		if (c == 'h') {
			km_export_usage(stdout);
			return 1;
		}
		err = handle(o, c,
			     c == '?' || c == ':' ? argv[optind - 1] : optarg);
		if (err)
			return err;
	}
	if (optind < argc) {
		km_usage(
			"unexpected argument '%s' (the trace is given with -i, the export with -o)",
			argv[optind]);
		return -EINVAL;
	}
	if (!o->output) {
		km_usage("no output: give -o FILE for the export");
		return -EINVAL;
	}
	return 0;
}
