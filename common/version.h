/* SPDX-License-Identifier: GPL-2.0 */
/* kmemsnoop --version: the tool's version and its libraries'. */
#ifndef KM_VERSION_H
#define KM_VERSION_H

#include <stdio.h>

/*
 * "kmemsnoop VERSION", then libbpf, elfutils and zstd, one a line: the
 * versions running, which a bug report needs (not those built against).
 */
void km_print_version(FILE *f);

#endif
