/* SPDX-License-Identifier: GPL-2.0 */
/* Whether to colour output, and the few colours kmemsnoop uses. */
#ifndef KM_COLOR_H
#define KM_COLOR_H

#include <stdbool.h>
#include <stdio.h>

#define KM_COLOR_HEADER "\033[1;33m" /* a hit's header line */
#define KM_COLOR_SYM "\033[32m" /* symbol names in stacks */
#define KM_COLOR_RESET "\033[m"

/*
 * True when f is a terminal and NO_COLOR (https://no-color.org) is
 * unset or empty: colour codes in a file or a pipe would only be noise.
 */
bool km_color_wanted(FILE *f);

#endif
