// SPDX-License-Identifier: GPL-2.0
/*
 * kmemsnoop: watch kernel memory with hardware breakpoints. The
 * dispatcher, at the top as the one file that sees both record/ and
 * report/: it picks a command by its name, live mode by default.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "record/commands.h"
#include "report/export.h"
#include "report/report.h"
#include "common/error.h"
#include "common/symbolize/ksyms.h"
#include "common/trace/target.h"
#include "common/version.h"

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
} commands[] = {
	{ "record", km_cmd_record },
	{ "report", km_cmd_report },
	{ "offsetof", km_cmd_offsetof },
	{ "check", km_cmd_check },
	{ "export", km_cmd_export },
};

static void usage(FILE *f)
{
	fputs("usage: kmemsnoop [OPTIONS] BP EXPR [BP EXPR]...   watch and print hits live\n"
	      "       kmemsnoop record [OPTIONS] BP EXPR... [-- COMMAND]   write hits to a trace\n"
	      "       kmemsnoop report [OPTIONS]                  show a trace\n"
	      "       kmemsnoop offsetof TYPE MEMBER...           where a member is, from BTF\n"
	      "       kmemsnoop check [--format text|json]        test what kmemsnoop needs here\n"
	      "       kmemsnoop export [-i IN] -o OUT [OPTIONS]   a copy of a trace fit to share\n"
	      "       kmemsnoop help [record|report|offsetof|check|export]\n"
	      "Exit status: 0 done, 1 failure at run time, 2 bad usage.\n",
	      f);
}

static int help(int argc, char **argv)
{
	char *args[] = { argc > 1 ? argv[1] : "", "--help", NULL };
	size_t i;

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(args[0], commands[i].name))
			return commands[i].run(2, args);
	if (argc > 1 && strcmp(argv[1], "live")) {
		km_usage("no help on '%s': try 'kmemsnoop help record'",
			 argv[1]);
		return KM_EXIT_USAGE;
	}
	usage(stdout);
	args[0] = "kmemsnoop";
	return km_cmd_live(2, args);
}

#define NR_COMMANDS (sizeof(commands) / sizeof(commands[0]))

/*
 * A first word that is no command, no option and no BP (rw4...) but
 * close to a command's name is a typo of it, not a BP: say so rather
 * than what live mode would make of it.
 */
static int typo(const char *word)
{
	uint32_t type, len;
	size_t i;

	if (*word == '-' || !km_parse_bp(word, &type, &len))
		return 0;
	for (i = 0; i <= NR_COMMANDS; i++) {
		const char *name = i < NR_COMMANDS ? commands[i].name : "help";

		if (km_edit_distance(word, name, 3) <= 2) {
			km_usage("unknown command '%s'; did you mean %s?", word,
				 name);
			return 1;
		}
	}
	return 0;
}

/* --version or -V right after any command, which need not know it. */
static bool wants_version(int argc, char **argv)
{
	return argc > 2 &&
	       (!strcmp(argv[2], "--version") || !strcmp(argv[2], "-V"));
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc < 2) {
		km_usage(
			"nothing to watch: give BP EXPR (e.g. rw4 jiffies), or see 'kmemsnoop help'");
		return KM_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "help"))
		return help(argc - 1, argv + 1);
	for (i = 0; i < NR_COMMANDS; i++) {
		if (strcmp(argv[1], commands[i].name))
			continue;
		if (wants_version(argc, argv)) {
			km_print_version(stdout);
			return KM_EXIT_OK;
		}
		return commands[i].run(argc - 1, argv + 1);
	}
	if (typo(argv[1]))
		return KM_EXIT_USAGE;
	return km_cmd_live(argc, argv);
}
