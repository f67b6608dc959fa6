/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One way to report an error: functions return a negative errno (or
 * NULL) and say what went wrong through km_err() once, at the place
 * that knows the context; main turns the result into an exit code.
 */
#ifndef KM_ERROR_H
#define KM_ERROR_H

#include <stdbool.h>
#include <stddef.h>

/* Documented exit codes (README, kmemsnoop --help). */
enum km_exit {
	KM_EXIT_OK = 0,
	KM_EXIT_FAIL = 1, /* a failure at run time */
	KM_EXIT_USAGE = 2, /* the command line is wrong */
};

/* Prints "kmemsnoop: <message>" as one line on stderr. */
void km_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Same, prefixed "warning: "; never changes the exit code. */
void km_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/*
 * "kmemsnoop: <message>": what was done, not what went wrong (which
 * symbols, what was fetched). Quiet, as warnings are, after
 * km_set_quiet(true) (report -q); errors are never quiet.
 */
void km_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void km_set_quiet(bool on);
bool km_quiet(void);

/*
 * Until called again with buf NULL, messages go into buf[size] instead
 * of stderr, without "kmemsnoop: ": the first error, or while there is
 * none the first warning. kmemsnoop check turns the explanation of a
 * step that failed into the detail of its one line.
 */
void km_err_capture(char *buf, size_t size);

/*
 * Says what is wrong with the command line, as km_err, and makes the
 * command's failure exit KM_EXIT_USAGE: km_usage_error records it
 * until a test resets it.
 */
extern int km_usage_error;
void km_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * The exit status of a command that ended with err: 0 is KM_EXIT_OK;
 * anything else KM_EXIT_USAGE after km_usage, KM_EXIT_FAIL otherwise.
 * The one mapping every command uses.
 */
int km_exit_status(int err);

/*
 * libbpf prints its own lines ("libbpf: ...") on stderr; after this,
 * only after km_libbpf_verbose() (record's and live mode's --verbose)
 * or when KMEMSNOOP_DEBUG is set, so that an error stays the one line
 * kmemsnoop says. Called before any libbpf call that may print.
 */
void km_libbpf_quiet(void);
void km_libbpf_verbose(void);

#endif
