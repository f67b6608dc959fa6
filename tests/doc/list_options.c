// SPDX-License-Identifier: GPL-2.0
/*
 * list_options CMD: the options kmemsnoop's command CMD (live, record,
 * report, offsetof, check or export) takes, from the tables its parser reads,
 * one a line as km_opts_list() prints them. tests/doc/test_options.sh
 * holds --help, the man pages and the bash completion to this list; it
 * is a program of its own so that kmemsnoop has no hidden option.
 */
#include <stdio.h>
#include <string.h>
#include "../../record/options.h"
#include "../../report/export.h"
#include "../../report/report_opts.h"

int main(int argc, char **argv)
{
	const char *cmd = argc == 2 ? argv[1] : "";

	if (!strcmp(cmd, "live") || !strcmp(cmd, "record"))
		km_opts_list(stdout, !strcmp(cmd, "record"));
	else if (!strcmp(cmd, "report"))
		km_report_list_options(stdout);
	else if (!strcmp(cmd, "offsetof"))
		km_opt_list(stdout, km_offsetof_opts);
	else if (!strcmp(cmd, "check"))
		km_opt_list(stdout, km_check_opts);
	else if (!strcmp(cmd, "export"))
		km_export_list_options(stdout);
	else {
		fputs("usage: list_options live|record|report|offsetof|check|export\n",
		      stderr);
		return 2;
	}
	return fflush(stdout) ? 1 : 0;
}
