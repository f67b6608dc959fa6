/* SPDX-License-Identifier: GPL-2.0 */
/*
 * record's status line: hits, lost, bytes written and time so far, on
 * stderr when it is a terminal, redrawn in place once a second.
 */
#ifndef KM_STATUS_H
#define KM_STATUS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct km_status {
	FILE *f;
	bool on;
	bool shown; /* a line is on the screen */
	uint64_t last_ns; /* when it was drawn */
};

/* On when f is a terminal and not quiet. */
void km_status_init(struct km_status *s, FILE *f, bool quiet);
/* Redraws the line if a second has passed since the last time. */
void km_status_tick(struct km_status *s, uint64_t now_ns, uint64_t start_ns,
		    uint64_t hits, uint64_t lost, uint64_t bytes);
/* Erases the line, so that what comes next starts on a clean one. */
void km_status_clear(struct km_status *s);

#endif
