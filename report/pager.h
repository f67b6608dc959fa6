/* SPDX-License-Identifier: GPL-2.0 */
/*
 * report on a terminal pages its output, as perf report and git do:
 * through $KMEMSNOOP_PAGER, else $PAGER, else less if it is on PATH,
 * with LESS=FRX unless LESS is set (quit at once on less than a screen,
 * colours kept, the screen not cleared). An empty pager or "cat" means
 * none.
 */
#ifndef KM_PAGER_H
#define KM_PAGER_H

#include <stdbool.h>

/*
 * When standard output is a terminal, starts the pager and makes
 * standard output its input. Returns whether a pager runs; on any
 * failure output stays on the terminal.
 */
bool km_pager_start(void);
/* Hands the pager the rest of the output and waits for it to end. */
void km_pager_end(void);

#endif
