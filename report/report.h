/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kmemsnoop report: argv starts at "report"; returns the exit status.
 * main.c dispatches to it; the fuzz harness and the unit tests call it
 * as a function.
 */
#ifndef KM_REPORT_H
#define KM_REPORT_H

int km_cmd_report(int argc, char **argv);

#endif
