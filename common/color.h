/* SPDX-License-Identifier: GPL-2.0 */
/* Whether to colour output, and the few colours kmemsnoop uses. */
#ifndef KM_COLOR_H
#define KM_COLOR_H

#include <stdbool.h>
#include <stdio.h>

#define KM_COLOR_HEADER "\033[1;33m" /* a hit's header line */
#define KM_COLOR_SYM "\033[32m" /* symbol names in stacks */
#define KM_COLOR_RED "\033[31m" /* a percentage of 5 or more */
#define KM_COLOR_GREEN "\033[32m" /* one above 0.5 */
#define KM_COLOR_RESET "\033[m"

/*
 * True when f is a terminal and NO_COLOR (https://no-color.org) is
 * unset or empty: colour codes in a file or a pipe would only be noise.
 */
bool km_color_wanted(FILE *f);

/*
 * The colour of a percentage of the hits, perf's (get_percent_color):
 * red from 5%, green above 0.5%, none ("") below, so that the rows
 * that matter stand out.
 */
const char *km_percent_color(double pct);
/*
 * pct as "%*.2f%%", width wide, in km_percent_color's colour when
 * color is set.
 */
void km_print_percent(FILE *f, int width, double pct, bool color);

#endif
