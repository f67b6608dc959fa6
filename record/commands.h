/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The commands over capture that main.c dispatches to; each takes argv
 * starting at its own name and returns the exit status.
 */
#ifndef KM_COMMANDS_H
#define KM_COMMANDS_H

int km_cmd_live(int argc, char **argv);
int km_cmd_record(int argc, char **argv);
int km_cmd_offsetof(int argc, char **argv);
int km_cmd_check(int argc, char **argv);

#endif
