/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KM_OPTABLE_H
#define KM_OPTABLE_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/*
 * Option tables, one style for every command: each command
 * has one table of struct option, what getopt_long reads and what its
 * short-option string is built from. A short option's val is its
 * character; a long-only option's val is an enum constant above 255,
 * which no character can be.
 */

/*
 * getopt_long's short-option string for table t (ended by a zeroed
 * entry): ':' (getopt returns ':' for a missing value, '?' for an
 * unknown option), then the vals below 256, each followed by ':' if it
 * takes a value, all after a '+' if in_order (stop at the first
 * non-option). buf must hold 2 * entries + 3 characters; aborts if
 * not. Returns buf.
 */
const char *km_opt_shorts(const struct option *t, bool in_order, char *buf,
			  size_t size);

/*
 * Appends to a short-option string from km_opt_shorts() the letter c of
 * an old spelling, which no table lists (so help, man page and
 * completion do not offer it) but scripts still type: record's and
 * export's -v VMLINUX, now -k as in perf, so -v can come to mean
 * --verbose. has_arg as in struct option; aborts if buf is full.
 */
void km_opt_old_short(char *buf, size_t size, int c, int has_arg);

/*
 * The options a command takes, for tests/doc to hold --help, the man
 * pages and the bash completion to: one a line, "-x" or "--name", then
 * " VALUE" if it takes one. km_opt_list() lists all of table t,
 * km_opt_list_one() one entry.
 */
void km_opt_list(FILE *f, const struct option *t);
void km_opt_list_one(FILE *f, const struct option *opt);

/*
 * Says, through km_usage(), what getopt_long's answer c ('?' or ':')
 * for the word argv[optind - 1] means: an unknown option, or one whose
 * value is missing; cmd names the command for its --help ("" for live
 * mode).
 */
void km_opt_error(int c, const char *word, const char *cmd);

#endif
