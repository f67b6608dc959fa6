/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Text that came from outside kmemsnoop (task names, above all: any
 * process may call itself "\033]0;..." with prctl) made safe to print
 * on a terminal.
 */
#ifndef KM_ESCAPE_H
#define KM_ESCAPE_H

#include <stddef.h>

/*
 * Copies the len bytes at in to out[size] as printable ASCII: control
 * bytes, DEL and bytes from 0x80 (C1 controls in some terminals)
 * become \xNN, a backslash \\. Stops before an escape that would not
 * fit whole; out is always NUL-terminated (size > 0). Returns out.
 */
char *km_escape_text(char *out, size_t size, const char *in, size_t len);

#endif
