// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <bpf/libbpf.h>
#include "error.h"

int km_usage_error;

/* km_err_capture(): where messages go instead, and whether it holds an error. */
static char *capture_buf;
static size_t capture_size;
static bool captured_error;

void km_err_capture(char *buf, size_t size)
{
	capture_buf = size ? buf : NULL;
	capture_size = size;
	captured_error = false;
	if (capture_buf)
		capture_buf[0] = '\0';
}

/* The first error says what went wrong; what follows is consequences. */
static void capture(const char *prefix, const char *line)
{
	bool warning = *prefix;

	if (captured_error || (warning && capture_buf[0]))
		return;
	snprintf(capture_buf, capture_size, "%s%s", prefix, line);
	captured_error = !warning;
}

static bool quiet;

void km_set_quiet(bool on)
{
	quiet = on;
}

bool km_quiet(void)
{
	return quiet;
}

static void vreport(const char *prefix, const char *fmt, va_list ap)
{
	char line[1024];

	vsnprintf(line, sizeof(line), fmt, ap);
	if (capture_buf) {
		capture(prefix, line);
		return;
	}
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

	if (quiet)
		return;
	va_start(ap, fmt);
	vreport("warning: ", fmt, ap);
	va_end(ap);
}

void km_note(const char *fmt, ...)
{
	va_list ap;

	if (quiet)
		return;
	va_start(ap, fmt);
	vreport("", fmt, ap);
	va_end(ap);
}

int km_exit_status(int err)
{
	if (!err)
		return KM_EXIT_OK;
	return km_usage_error ? KM_EXIT_USAGE : KM_EXIT_FAIL;
}

void km_usage(const char *fmt, ...)
{
	va_list ap;

	km_usage_error = 1;
	va_start(ap, fmt);
	vreport("", fmt, ap);
	va_end(ap);
}

static bool libbpf_verbose;

/* libbpf speaks only when asked to: --verbose, or KMEMSNOOP_DEBUG=1. */
static int libbpf_print(enum libbpf_print_level level, const char *fmt,
			va_list ap)
{
	(void)level;
	if (!libbpf_verbose && !getenv("KMEMSNOOP_DEBUG"))
		return 0;
	return vfprintf(stderr, fmt, ap);
}

void km_libbpf_verbose(void)
{
	libbpf_verbose = true;
}

void km_libbpf_quiet(void)
{
	libbpf_set_print(libbpf_print);
}
