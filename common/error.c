// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>
#include "error.h"

int km_usage_error;

static void vreport(const char *prefix, const char *fmt, va_list ap)
{
	char line[1024];

	vsnprintf(line, sizeof(line), fmt, ap);
	/* One write, so concurrent output never splits the line. */
	fprintf(stderr, "kmemsnoop: %s%s\n", prefix, line);
}

void km_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("", fmt, ap);
	va_end(ap);
}

void km_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("warning: ", fmt, ap);
	va_end(ap);
}

void km_usage(const char *fmt, ...)
{
	va_list ap;

	km_usage_error = 1;
	va_start(ap, fmt);
	vreport("", fmt, ap);
	va_end(ap);
}
