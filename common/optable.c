// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <string.h>
#include "error.h"
#include "optable.h"

static bool is_short(int val)
{
	return val > 0 && val < 256;
}

const char *km_opt_shorts(const struct option *t, bool in_order, char *buf,
			  size_t size)
{
	char *p = buf;

	/* Callers size buf by their table: running out is their bug. */
	if (size < 2)
		abort();
	if (in_order)
		*p++ = '+';
	/* getopt then tells a missing value (':') from an unknown option. */
	*p++ = ':';
	for (; t->name; t++) {
		if (!is_short(t->val))
			continue;
		if (p + 3 > buf + size)
			abort();
		*p++ = t->val;
		if (t->has_arg == required_argument)
			*p++ = ':';
	}
	*p = '\0';
	return buf;
}

void km_opt_old_short(char *buf, size_t size, int c, int has_arg)
{
	size_t len = strlen(buf);

	if (len + 3 > size)
		abort();
	buf[len++] = c;
	if (has_arg == required_argument)
		buf[len++] = ':';
	buf[len] = '\0';
}

void km_opt_list_one(FILE *f, const struct option *opt)
{
	const char *arg = opt->has_arg == no_argument ? "" : " VALUE";

	if (is_short(opt->val))
		fprintf(f, "-%c%s\n", opt->val, arg);
	fprintf(f, "--%s%s\n", opt->name, arg);
}

void km_opt_list(FILE *f, const struct option *t)
{
	for (; t->name; t++)
		km_opt_list_one(f, t);
}

void km_opt_error(int c, const char *word, const char *cmd)
{
	if (c == ':')
		km_usage(
			"option '%s' needs a value; see 'kmemsnoop %s%s--help'",
			word, cmd, *cmd ? " " : "");
	else
		km_usage("unknown option '%s'; see 'kmemsnoop %s%s--help'",
			 word, cmd, *cmd ? " " : "");
}
