/* SPDX-License-Identifier: GPL-2.0 */
/* The numbers the test and bench tools take on their command lines. */
#ifndef KM_TOOL_NUMBER_H
#define KM_TOOL_NUMBER_H

#include <err.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

/* s as a number (decimal, 0x hex or 0 octal), or exit 1 naming what. */
static inline uint64_t tool_number(const char *s, const char *what)
{
	char *end;
	uint64_t v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s || *end)
		errx(1, "bad %s: %s", what, s);
	return v;
}

#endif
