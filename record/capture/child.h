/* SPDX-License-Identifier: GPL-2.0 */
/* The COMMAND of `record ... -- COMMAND`: started once we are armed. */
#ifndef KM_CHILD_H
#define KM_CHILD_H

#include <stdbool.h>
#include <sys/types.h>

struct km_child {
	pid_t pid;
	int go_fd; /* closing it without a byte makes the child give up */
	int err_fd; /* exec's errno arrives here; EOF means exec worked */
};

/*
 * Forks a child that waits for km_child_start() before exec; with
 * to_stderr its standard output is our standard error (record -o -
 * writes the trace to standard output: the command must not).
 */
int km_child_fork(struct km_child *c, char *const *argv, bool to_stderr);
/* Lets it exec; returns -errno (explained) if exec failed. */
int km_child_start(struct km_child *c, const char *name);
/* Ends a child that is still there (SIGTERM) and reaps it. */
void km_child_stop(struct km_child *c);

#endif
