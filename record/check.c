// SPDX-License-Identifier: GPL-2.0
/*
 * kmemsnoop check: runs every check in a fixed order and prints one
 * line each, or one JSON object; exits 0 when every required check is
 * ok. The names and their order are an interface: scripts key on them.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/libbpf.h>
#include "commands.h"
#include "../common/error.h"
#include "../common/version.h"
#include "../common/json.h"
#include "capture/arm.h"
#include "check.h"
#include "options.h"

static const struct check {
	const char *name;
	bool required;
	void (*run)(struct km_check_ctx *c, struct km_check_result *r);
} checks[] = {
	{ "privileges", true, km_check_privileges },
	{ "btf", true, km_check_btf },
	{ "bpf-load", true, km_check_bpf_load },
	{ "breakpoint-events", true, km_check_bp_events },
	{ "slots", true, km_check_slots },
	{ "breakpoint-bpf", true, km_check_bp_bpf },
	{ "kernel-watch-fires", true, km_check_kernel_fires },
	{ "user-watch-fires", false, km_check_user_fires },
	{ "exec-breakpoint", false, km_check_exec_bp },
	{ "read-only-watch", false, km_check_read_only },
	{ "kallsyms-addresses", true, km_check_kallsyms_addrs },
	{ "kallsyms-all", false, km_check_kallsyms_all },
	{ "fentry", false, km_check_fentry },
};

#define NR_CHECKS (sizeof(checks) / sizeof(checks[0]))

static const char *const status_names[] = {
	[KM_CHECK_OK] = "ok",
	[KM_CHECK_MISSING] = "missing",
	[KM_CHECK_ERROR] = "error",
};

void km_check_set(struct km_check_result *r, enum km_check_status status,
		  const char *fmt, ...)
{
	va_list ap;

	r->status = status;
	va_start(ap, fmt);
	vsnprintf(r->detail, sizeof(r->detail), fmt, ap);
	va_end(ap);
}

bool km_check_blocked(struct km_check_result *r, int err, int cpu)
{
	if (err == -EACCES || err == -EPERM)
		km_check_set(r, KM_CHECK_ERROR,
			     "cannot tell: permission denied (%s)",
			     strerror(-err));
	else if (err == -ENOSPC || err == -EBUSY)
		km_check_set(r, KM_CHECK_ERROR,
			     "cannot tell: no free breakpoint slot on cpu %d",
			     cpu);
	else
		return false;
	return true;
}

static void usage(FILE *f)
{
	fputs("usage: kmemsnoop check [--format text|json]\n"
	      "Tests what kmemsnoop needs on this machine and prints one line per\n"
	      "check: its name, ok, missing or error, and why.\n"
	      "      --format FMT   text (the default) or json (one object)\n"
	      "  -V, --version      print the versions of kmemsnoop and its libraries\n"
	      "Checks, in this order (* required):\n"
	      "  privileges*  btf*  bpf-load*  breakpoint-events*  slots*\n"
	      "  breakpoint-bpf*  kernel-watch-fires*  user-watch-fires\n"
	      "  exec-breakpoint  read-only-watch  kallsyms-addresses*\n"
	      "  kallsyms-all  fentry\n"
	      "Exit status: 0 every required check ok, 1 one is not, 2 bad usage.\n",
	      f);
}

static void print_line(const struct check *k, const struct km_check_result *r)
{
	printf("%-18s  %-7s  %s\n", k->name, status_names[r->status],
	       r->detail);
	/* Some checks take a while under emulation: show each at once. */
	fflush(stdout);
}

static void print_json(const struct km_check_result *res, bool ok)
{
	size_t i;

	printf("{\"ok\":%s,\"checks\":[", ok ? "true" : "false");
	for (i = 0; i < NR_CHECKS; i++) {
		printf("%s{\"name\":", i ? "," : "");
		km_json_str(stdout, checks[i].name);
		printf(",\"status\":\"%s\",\"required\":%s,\"detail\":",
		       status_names[res[i].status],
		       checks[i].required ? "true" : "false");
		km_json_str(stdout, res[i].detail);
		putchar('}');
	}
	puts("]}");
}

/* One line on stderr naming the required checks that are not ok. */
static bool all_required_ok(const struct km_check_result *res)
{
	char names[256] = "";
	size_t i, len;
	int n = 0;

	for (i = 0; i < NR_CHECKS; i++) {
		if (!checks[i].required || res[i].status == KM_CHECK_OK)
			continue;
		len = strlen(names);
		snprintf(names + len, sizeof(names) - len, "%s%s",
			 n++ ? ", " : "", checks[i].name);
	}
	if (n)
		km_err("%d required check%s not ok: %s", n, n > 1 ? "s" : "",
		       names);
	return !n;
}

static int run(bool json)
{
	struct km_check_result res[NR_CHECKS];
	struct km_check_ctx c = { 0 };
	size_t i;
	bool ok;

	km_libbpf_quiet();
	if (km_online_cpus(&c.cpu, 1) < 0)
		c.cpu = 0;
	for (i = 0; i < NR_CHECKS; i++) {
		checks[i].run(&c, &res[i]);
		if (!json)
			print_line(&checks[i], &res[i]);
	}
	km_check_ctx_free(&c);
	ok = all_required_ok(res);
	if (json)
		print_json(res, ok);
	return ok ? KM_EXIT_OK : KM_EXIT_FAIL;
}

enum { OPT_FORMAT = 256 }; /* long-only: no character stands for it */

const struct option km_check_opts[] = {
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ 0 },
};

int km_cmd_check(int argc, char **argv)
{
	char shorts[2 * sizeof(km_check_opts) / sizeof(km_check_opts[0]) + 2];
	bool json = false;
	int c;

	km_opt_shorts(km_check_opts, true, shorts, sizeof(shorts));
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, shorts, km_check_opts, NULL)) !=
	       -1) {
		if (c == 'h') {
			usage(stdout);
			return KM_EXIT_OK;
		}
		if (c == 'V') {
			km_print_version(stdout);
			return KM_EXIT_OK;
		}
		if (c == OPT_FORMAT &&
		    (!strcmp(optarg, "text") || !strcmp(optarg, "json"))) {
			json = !strcmp(optarg, "json");
			continue;
		}
		if (c == OPT_FORMAT)
			km_usage("unknown format '%s': use text or json",
				 optarg);
		else
			km_opt_error(c, argv[optind - 1], "check");
		return KM_EXIT_USAGE;
	}
	if (optind < argc) {
		km_usage(
			"check takes no arguments, but got '%s'; see 'kmemsnoop check --help'",
			argv[optind]);
		return KM_EXIT_USAGE;
	}
	return run(json);
}
