// SPDX-License-Identifier: GPL-2.0
/*
 * kmemsnoop offsetof TYPE MEMBER...: where a member is, from BTF: the
 * running kernel's, or another kernel's with --btf / --vmlinux.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include "../common/btf_path.h"
#include "commands.h"
#include "../common/error.h"
#include "../common/version.h"
#include "capture/kbtf.h"
#include "options.h"

const struct option km_offsetof_opts[] = {
	{ "btf", required_argument, NULL, 'b' },
	{ "vmlinux", required_argument, NULL, 'k' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ 0 },
};

static void usage(FILE *f)
{
	fputs("usage: kmemsnoop offsetof [--btf FILE | --vmlinux FILE] TYPE MEMBER...\n"
	      "  TYPE    'struct NAME', 'union NAME' or a typedef name\n"
	      "  MEMBER  a member path: se.nr_migrations, comm[3], ...\n"
	      "  -b, --btf FILE      another kernel's BTF: raw, or an ELF file with .BTF\n"
	      "  -k, --vmlinux FILE  the same, for a vmlinux (k as in perf; v still works)\n"
	      "  -V, --version       print the versions of kmemsnoop and its libraries\n"
	      "Prints each member's offset, size and type; by default from the\n"
	      "running kernel's BTF (/sys/kernel/btf, modules included).\n"
	      "Exit status: 0 done, 1 failure at run time, 2 bad usage.\n",
	      f);
}

static void print_member(const char *type, const char *member,
			 const struct km_member_path *p)
{
	printf("offsetof(%s, %s) = %" PRIu64 " (0x%" PRIx64
	       "), size %u, type %s",
	       type, member, p->off, p->off, p->size, p->type_name);
	if (p->bit_size == 1)
		printf(", bitfield: bit %u of those %u bytes", p->bit_off,
		       p->size);
	else if (p->bit_size)
		printf(", bitfield: bits %u-%u of those %u bytes", p->bit_off,
		       p->bit_off + p->bit_size - 1, p->size);
	putchar('\n');
}

static int offsetof_one(const struct btf *btf, uint32_t id, const char *type,
			const char *member)
{
	struct km_member_path p;
	char path[KM_PATH_TEXT_MAX + 2];

	/* An offset is where a field is: the path is always "&member". */
	snprintf(path, sizeof(path), "&%s", member + (*member == '&'));
	if (km_member_path(btf, id, path, &p)) {
		km_usage("%s", p.err);
		return -EINVAL;
	}
	if (p.nr_derefs) {
		km_usage(
			"'%s' goes through a pointer (%s): an offset cannot; ask for the offset in the pointed-to type",
			member, p.derefs[0].what);
		return -EINVAL;
	}
	print_member(type, member, &p);
	return 0;
}

static int run(const char *file, int argc, char **argv)
{
	const struct btf *btf;
	struct km_kbtf k;
	uint32_t id;
	int err, i;

	err = km_kbtf_load(&k, file);
	if (err)
		return err;
	err = km_kbtf_find(&k, argv[0], &btf, &id);
	for (i = 1; !err && i < argc; i++)
		err = offsetof_one(btf, id, argv[0], argv[i]);
	km_kbtf_free(&k);
	return err;
}

int km_cmd_offsetof(int argc, char **argv)
{
	char shorts[2 * sizeof(km_offsetof_opts) / sizeof(km_offsetof_opts[0]) +
		    4];
	const char *file = NULL;
	int c;

	km_opt_shorts(km_offsetof_opts, true, shorts, sizeof(shorts));
	km_opt_old_short(shorts, sizeof(shorts), 'v', required_argument);
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, shorts, km_offsetof_opts, NULL)) !=
	       -1) {
		if (c == 'b' || c == 'k' || c == 'v') {
			file = optarg;
		} else if (c == 'h') {
			usage(stdout);
			return KM_EXIT_OK;
		} else if (c == 'V') {
			km_print_version(stdout);
			return KM_EXIT_OK;
		} else {
			km_opt_error(c, argv[optind - 1], "offsetof");
			return KM_EXIT_USAGE;
		}
	}
	if (argc - optind < 2) {
		km_usage(
			"give a type and a member, e.g. kmemsnoop offsetof 'struct task_struct' se.nr_migrations");
		return KM_EXIT_USAGE;
	}
	return km_exit_status(run(file, argc - optind, argv + optind));
}
