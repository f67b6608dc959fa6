// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "../common/error.h"
#include "../common/version.h"
#include "../common/trace/trace_format.h"
#include "capture/filter.h"
#include "capture/lifetime.h"
#include "capture/objects.h"
#include "options.h"

#define DEFAULT_RINGBUF (16u << 20)

/*
 * Options only long names reach: numbered past any character, so that
 * no letter stands for an option it is not.
 */
enum {
	OPT_MODULES = 256,
	OPT_NO_STACK,
	OPT_TID,
	OPT_COMM,
	OPT_EXCLUDE_SELF,
	OPT_IF,
	OPT_REGS,
	OPT_FORCE,
	OPT_ON,
	OPT_OFF,
	OPT_OBJECTS,
	OPT_VERBOSE,
	OPT_REPLACE,
};

_Static_assert((int)OPT_OBJECTS < (int)KM_OPT_PID_TASK,
	       "long-only options run into the object options");

/* The command lines an option is on. */
enum { ON_LIVE = 1, ON_RECORD = 2, ON_BOTH = ON_LIVE | ON_RECORD };

/*
 * Every option of live mode and record, the one table the getopt_long
 * table and short-option string are built from. An option on only one
 * command line is still recognised on the other, to say where it
 * belongs (elsewhere) rather than that it is unknown.
 */
static const struct {
	struct option opt;
	unsigned int on;
	const char *elsewhere;
} opts[] = {
	{ { "output", required_argument, NULL, 'o' },
	  ON_RECORD,
	  "-o writes a trace: use 'kmemsnoop record -o FILE ...'" },
	{ { "duration", required_argument, NULL, 'd' }, ON_BOTH },
	{ { "count", required_argument, NULL, 'c' }, ON_BOTH },
	{ { "vmlinux", required_argument, NULL, 'k' }, ON_BOTH },
	{ { "force", no_argument, NULL, OPT_FORCE }, ON_BOTH },
	{ { "modules", required_argument, NULL, OPT_MODULES },
	  ON_LIVE,
	  "--modules is for symbolizing: record keeps where the modules were, 'kmemsnoop report --modules DIR' reads their debug files" },
	{ { "buffer-size", required_argument, NULL, 'm' }, ON_BOTH },
	{ { "no-stack", no_argument, NULL, OPT_NO_STACK }, ON_BOTH },
	{ { "pid", required_argument, NULL, 'p' }, ON_BOTH },
	{ { "tid", required_argument, NULL, OPT_TID }, ON_BOTH },
	{ { "comm", required_argument, NULL, OPT_COMM }, ON_BOTH },
	{ { "cpu", required_argument, NULL, 'C' }, ON_BOTH },
	{ { "exclude-self", no_argument, NULL, OPT_EXCLUDE_SELF }, ON_BOTH },
	{ { "if", required_argument, NULL, OPT_IF }, ON_BOTH },
	{ { "regs", no_argument, NULL, OPT_REGS }, ON_BOTH },
	{ { "quiet", no_argument, NULL, 'q' },
	  ON_RECORD,
	  "-q quiets record's status line: live mode has none" },
	{ { "verbose", no_argument, NULL, OPT_VERBOSE }, ON_BOTH },
	{ { "help", no_argument, NULL, 'h' }, ON_BOTH },
	{ { "version", no_argument, NULL, 'V' }, ON_BOTH },
	{ { "pid-task", required_argument, NULL, KM_OPT_PID_TASK }, ON_BOTH },
	{ { "pci-dev", required_argument, NULL, KM_OPT_PCI_DEV }, ON_BOTH },
	{ { "usb-dev", required_argument, NULL, KM_OPT_USB_DEV }, ON_BOTH },
	{ { "plat-dev", required_argument, NULL, KM_OPT_PLAT_DEV }, ON_BOTH },
	{ { "object", required_argument, NULL, KM_OPT_OBJECT }, ON_BOTH },
	{ { "on", required_argument, NULL, OPT_ON }, ON_BOTH },
	{ { "off", required_argument, NULL, OPT_OFF }, ON_BOTH },
	{ { "objects", required_argument, NULL, OPT_OBJECTS }, ON_BOTH },
	{ { "replace", no_argument, NULL, OPT_REPLACE }, ON_BOTH },
};

#define NR_OPTS (sizeof(opts) / sizeof(opts[0]))

void km_opts_list(FILE *f, bool record)
{
	size_t i;

	for (i = 0; i < NR_OPTS; i++)
		if (opts[i].on & (record ? ON_RECORD : ON_LIVE))
			km_opt_list_one(f, &opts[i].opt);
}

void km_opts_usage(FILE *f, bool record)
{
	if (record)
		fputs("usage: kmemsnoop record [-o FILE] [OPTIONS] BP EXPR [BP EXPR]... [-- COMMAND [ARGS...]]\n",
		      f);
	else
		fputs("usage: kmemsnoop [OPTIONS] BP EXPR [BP EXPR]...\n", f);
	fputs("  BP    r, w, rw or x, then the length: 1, 2, 4 or 8 (e.g. rw4)\n"
	      "  EXPR  a kernel symbol, symbol+offset, or a hex address\n"
	      "  -d, --duration SECONDS   stop after this long\n"
	      "  -c, --count COUNT        stop after COUNT hits\n"
	      "  -k, --vmlinux VMLINUX    take symbol names from this vmlinux (its build-id\n"
	      "                           must be the running kernel's); k as in perf,\n"
	      "                           whose v means verbose (v still works here)\n"
	      "      --force              use that vmlinux even if its build-id differs\n",
	      f);
	if (!record)
		fputs("      --modules DIR        module debug files (NAME.ko[.debug]) are here too;\n"
		      "                           with it or -k, module frames get file:line\n",
		      f);
	fputs("  -m, --buffer-size SIZE   ring buffer size, a power of two (e.g. 16M)\n"
	      "      --no-stack           do not capture kernel stacks\n"
	      "      --regs               capture the CPU registers at each hit\n"
	      "      --verbose            show libbpf's own messages (loading, verifier)\n"
	      "Filters, applied in the kernel (a filtered hit costs no copying):\n"
	      "  -p, --pid LIST           only these processes (thread groups), e.g. 1,2\n"
	      "      --tid LIST           only these threads\n"
	      "      --comm NAMES         only tasks with these command names, e.g. sh,cat\n"
	      "                           (-p, --tid, --comm: comma-separated, a repeat adds\n"
	      "                           to the list; at most 16 pids, 16 tids, 8 names)\n"
	      "  -C, --cpu LIST           only these CPUs, e.g. 0,2-3\n"
	      "      --exclude-self       not kmemsnoop's own accesses\n"
	      "      --if 'value OP N'    only when the value after the access\n"
	      "                           compares so (OP: == != < > <= >= &)\n",
	      f);
	km_objects_usage(f);
	fputs("Objects from birth to death: EXPR is a member path of the object ARG\n"
	      "points to, and each slot moves to the next object when its own is freed:\n"
	      "      --on FUNC:ARG        watch the object FUNC is given as ARG (fentry),\n"
	      "                           or returns with $retval (fexit)\n"
	      "      --off FUNC:ARG       stop watching it when FUNC is given it (its free)\n"
	      "      --objects N          watch up to N objects at once (default 1, at\n"
	      "                           most 4); later ones are counted, not watched\n"
	      "      --replace            instead, a later one takes the slot of the\n"
	      "                           oldest (which is then no longer watched)\n",
	      f);
	if (record)
		fputs("  -o, --output FILE        trace file (default kmemsnoop.data; - for stdout)\n"
		      "  -q, --quiet              no status line on the terminal while recording\n"
		      "  -- COMMAND [ARGS...]     run COMMAND and stop when it exits\n",
		      f);
	else
		fputs("Subcommands: kmemsnoop record --help, kmemsnoop report --help,\n"
		      "kmemsnoop offsetof --help\n",
		      f);
	fputs("  -V, --version            print the versions of kmemsnoop and its libraries\n"
	      "Unlike perf record, -c is a hit count to stop after and -d a duration\n"
	      "(perf's are a sample period and data addresses).\n"
	      "Exit status: 0 done, 1 failure at run time, 2 bad usage.\n",
	      f);
}

static int parse_seconds(const char *s, uint64_t *ns)
{
	char *end;
	double d;

	errno = 0;
	d = strtod(s, &end);
	if (errno || end == s || *end || !(d > 0) || d > 1e9) {
		km_usage("bad duration '%s': give a positive number of seconds",
			 s);
		return -EINVAL;
	}
	*ns = (uint64_t)llround(d * 1e9);
	return 0;
}

static int parse_count(const char *s, uint64_t *v)
{
	char *end;

	errno = 0;
	*v = strtoull(s, &end, 10);
	if (errno || end == s || *end || *s == '-' || !*v) {
		km_usage("bad count '%s': give a positive whole number", s);
		return -EINVAL;
	}
	return 0;
}

static int parse_size(const char *s, uint64_t *v)
{
	char *end;
	uint64_t n;

	errno = 0;
	n = strtoull(s, &end, 10);
	if (*end == 'K' || *end == 'k')
		n <<= 10, end++;
	else if (*end == 'M' || *end == 'm')
		n <<= 20, end++;
	if (errno || end == s || *end || *s == '-' || n < 4096 ||
	    n > (1ull << 30) || (n & (n - 1))) {
		km_usage(
			"bad buffer size '%s': give a power of two from 4K to 1G (e.g. 16M)",
			s);
		return -EINVAL;
	}
	*v = n;
	return 0;
}

/* --objects N: one watch slot per object, as many as debug registers. */
static int parse_objects(const char *s, int *n)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 1 || v > KM_MAX_WATCHES) {
		km_usage(
			"bad --objects '%s': give 1 to %d, at most the CPU's debug registers",
			s, KM_MAX_WATCHES);
		return -EINVAL;
	}
	*n = v;
	return 0;
}

/*
 * --on: one BP EXPR, a member path of its objects; no object options
 * beside it. Its one watch per object slot (--objects) is counted only
 * after km_opts_validate(), which checks the words typed, one pair.
 */
static int check_lifetime(struct km_opts *o, int nr_words)
{
	if (!o->life_on) {
		const char *opt = o->life_off	  ? "--off" :
				  o->life_objects ? "--objects" :
				  o->life_replace ? "--replace" :
						    NULL;

		if (opt)
			km_usage("%s needs --on FUNC:ARG: what to watch", opt);
		return opt ? -EINVAL : 0;
	}
	if (nr_words != 2 || o->objects) {
		km_usage(
			"--on takes one BP EXPR, a member path of its objects (e.g. w8 '&f_pos'), and no object option");
		return -EINVAL;
	}
	if (!o->life_objects)
		o->life_objects = 1;
	return 0;
}

static int handle_opt(struct km_opts *o, int c, const char *arg)
{
	size_t i;

	for (i = 0; i < NR_OPTS; i++) {
		if (opts[i].opt.val != c)
			continue;
		if (!(opts[i].on & (o->record ? ON_RECORD : ON_LIVE))) {
			km_usage("%s", opts[i].elsewhere);
			return -EINVAL;
		}
		break;
	}
	switch (c) {
	case 'o':
		o->output = arg;
		return 0;
	case 'q':
		o->quiet = true;
		return 0;
	case 'd':
		return parse_seconds(arg, &o->duration_ns);
	case 'c':
		return parse_count(arg, &o->count);
	case 'k':
	case 'v': /* the old spelling: km_opt_old_short() */
		o->vmlinux = arg;
		return 0;
	case OPT_VERBOSE:
		km_libbpf_verbose();
		return 0;
	case OPT_FORCE:
		o->force = true;
		return 0;
	case OPT_MODULES:
		o->modules_dir = arg;
		return 0;
	case 'm':
		return parse_size(arg, &o->ringbuf_size);
	case OPT_NO_STACK:
		o->stacks = false;
		return 0;
	case OPT_REGS:
		o->regs = true;
		return 0;
	case 'p':
		return km_filter_pids(&o->filter, arg);
	case OPT_TID:
		return km_filter_tids(&o->filter, arg);
	case OPT_COMM:
		return km_filter_comms(&o->filter, arg);
	case 'C':
		return km_filter_cpus(&o->filter, arg);
	case OPT_EXCLUDE_SELF:
		o->filter.exclude_pid = getpid();
		return 0;
	case OPT_IF:
		return km_filter_value(&o->filter, arg);
	case OPT_ON:
		o->life_on = arg;
		return 0;
	case OPT_OFF:
		o->life_off = arg;
		return 0;
	case OPT_OBJECTS:
		return parse_objects(arg, &o->life_objects);
	case OPT_REPLACE:
		o->life_replace = true;
		return 0;
	case 'h':
		km_opts_usage(stdout, o->record);
		return 1;
	case 'V':
		km_print_version(stdout);
		return 1;
	}
	km_opt_error(c, arg, o->record ? "record" : "");
	return -EINVAL;
}

/* Splits argv into options, BP EXPR words and the -- COMMAND. */
static int scan_args(struct km_opts *o, int argc, char **argv, char **words,
		     int *nr_words)
{
	struct option long_opts[NR_OPTS + 1] = { 0 };
	char shorts[2 * NR_OPTS + 5];
	size_t i;
	int c, before, err;

	for (i = 0; i < NR_OPTS; i++)
		long_opts[i] = opts[i].opt;
	/*
	 * In order ('+'): getopt stops at each BP or EXPR word, so that an
	 * object option applies to the pairs after it and the options of
	 * -- COMMAND stay its own.
	 */
	km_opt_shorts(long_opts, true, shorts, sizeof(shorts));
	km_opt_old_short(shorts, sizeof(shorts), 'v', required_argument);
	optind = 1;
	opterr = 0;
	*nr_words = 0;
	for (;;) {
		before = optind;
		c = getopt_long(argc, argv, shorts, long_opts, NULL);
		if (km_is_object_opt(c)) {
			err = km_objects_add(&o->objects, c, optarg, argc, argv,
					     &optind, *nr_words / 2);
			if (err)
				return err;
			continue;
		}
		if (c != -1) {
			err = handle_opt(o, c,
					 c == '?' || c == ':' ?
						 argv[optind - 1] :
						 optarg);
			if (err)
				return err;
			continue;
		}
		if (optind > before && !strcmp(argv[before], "--")) {
			if (optind < argc)
				o->command = &argv[optind];
			break;
		}
		if (optind >= argc)
			break;
		if (*nr_words == 2 * KM_MAX_WATCHES) {
			km_usage(
				"too many watchpoints: at most %d (the CPU's debug registers)",
				KM_MAX_WATCHES);
			return -E2BIG;
		}
		words[(*nr_words)++] = argv[optind++];
	}
	return 0;
}

int km_opts_parse(struct km_opts *o, int argc, char **argv)
{
	int nr_words, err;

	o->output = "kmemsnoop.data";
	o->ringbuf_size = DEFAULT_RINGBUF;
	o->stacks = true;
	err = scan_args(o, argc, argv, o->words, &nr_words);
	if (err)
		return err;
	if (nr_words == 0 || nr_words % 2) {
		km_usage(
			nr_words ?
				"'%s' needs an address expression after it" :
				"%snothing to watch: give BP EXPR, e.g. rw4 jiffies",
			nr_words ? o->words[nr_words - 1] : "");
		return -EINVAL;
	}
	if (!o->record && o->command) {
		km_usage("a COMMAND after -- needs 'kmemsnoop record'");
		return -EINVAL;
	}
	o->nr_watches = nr_words / 2;
	err = check_lifetime(o, nr_words);
	if (err)
		return err;
	o->filter.max_kept = o->count;
	/* Checks the words typed: one BP EXPR pair under --on. */
	err = km_opts_validate(o);
	if (err)
		return err;
	/* From here on, one watch per --on slot, all from that one pair. */
	if (o->life_on)
		o->nr_watches = o->life_objects;
	return 0;
}

struct km_target_request km_opts_request(const struct km_opts *o)
{
	return (struct km_target_request){ .words = o->words,
					   .nr_watches = o->nr_watches,
					   .vmlinux = o->vmlinux,
					   .objects = o->objects,
					   .all_names = o->life_on != NULL };
}

int km_opts_resolve(struct km_opts *o, struct km_targets *t)
{
	struct km_target_request rq = km_opts_request(o);
	int err;

	if (!o->life_on) {
		err = km_targets_resolve(t, &rq);
		return err ?: km_opts_check_resolved(o, t);
	}
	/* --on: one member path, placed in each object as it comes. */
	err = km_targets_load_names(t, &rq);
	if (!err)
		err = km_life_resolve(&o->life, o->life_on, o->life_off,
				      o->life_objects, o->words[0], o->words[1],
				      &t->syms, t->watches);
	if (!err && o->life_replace)
		km_life_replace_oldest(o->life);
	if (!err)
		t->nr_watches = o->nr_watches;
	return err;
}

void km_opts_session(const struct km_opts *o, const struct km_targets *t,
		     struct km_session_opts *so)
{
	*so = (struct km_session_opts){
		.watches = t->watches,
		.nr_watches = o->nr_watches,
		.stacks = o->stacks,
		.regs = o->regs,
		.filter = o->filter,
		.ringbuf_size = o->ringbuf_size,
		.duration_ns = o->duration_ns,
		.max_hits = o->count,
		.command = o->command,
		.life = o->life_on ? &o->life : NULL,
		.command_to_stderr = o->output && !strcmp(o->output, "-"),
	};
}

void km_opts_free(struct km_opts *o)
{
	km_objects_free(o->objects);
	km_life_free(o->life);
}
