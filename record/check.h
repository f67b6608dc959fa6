/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kmemsnoop check, the self-test: each check probes one thing
 * kmemsnoop needs or can use, and says ok, missing (this machine lacks
 * it) or error (the check could not tell), and why. check.c runs them
 * in a fixed order and prints the results; check_probes.c asks the
 * kernel what it accepts, check_fire.c arms watches through the
 * session and counts the hits that arrive.
 *
 * Every probe closes what it opened: nothing stays armed or loaded.
 */
#ifndef KM_CHECK_H
#define KM_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum km_check_status {
	KM_CHECK_OK,
	KM_CHECK_MISSING,
	KM_CHECK_ERROR,
};

struct km_check_result {
	enum km_check_status status;
	char detail[512]; /* one short clause; no outside bytes unescaped */
};

/* What the checks learn once and share, filled in as they run. */
struct km_check_ctx {
	int cpu; /* the first online CPU: single-CPU probes open there */
	bool bpf_loads; /* bpf-load said ok */
	/* /proc/kallsyms, read by the first check that needs it */
	bool kallsyms_tried;
	int kallsyms_err;
	char *kallsyms;
	size_t kallsyms_len;
};

/* Sets r's status and its detail, printf-style. */
void km_check_set(struct km_check_result *r, enum km_check_status status,
		  const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/*
 * For the errors that leave a probe unable to tell (no permission, no
 * free slot): sets r to say so and returns true; else false.
 */
bool km_check_blocked(struct km_check_result *r, int err, int cpu);

/*
 * name's address from /proc/kallsyms; 0 when it is not listed, the
 * kernel hides addresses from this user, or the file cannot be read.
 */
uint64_t km_check_addr(struct km_check_ctx *c, const char *name);
void km_check_ctx_free(struct km_check_ctx *c);
/*
 * Whether the running kernel was built with CONFIG_<name> (y or m): 1,
 * 0 when not, -1 when its config is not to be had (/proc/config.gz,
 * /boot/config-RELEASE).
 */
int km_check_kconfig(const char *name);

/* One function per check, in the order check.c runs them. */
void km_check_privileges(struct km_check_ctx *c, struct km_check_result *r);
void km_check_btf(struct km_check_ctx *c, struct km_check_result *r);
void km_check_bpf_load(struct km_check_ctx *c, struct km_check_result *r);
void km_check_bp_events(struct km_check_ctx *c, struct km_check_result *r);
void km_check_slots(struct km_check_ctx *c, struct km_check_result *r);
void km_check_bp_bpf(struct km_check_ctx *c, struct km_check_result *r);
void km_check_kernel_fires(struct km_check_ctx *c, struct km_check_result *r);
void km_check_user_fires(struct km_check_ctx *c, struct km_check_result *r);
void km_check_exec_bp(struct km_check_ctx *c, struct km_check_result *r);
void km_check_read_only(struct km_check_ctx *c, struct km_check_result *r);
void km_check_kallsyms_addrs(struct km_check_ctx *c, struct km_check_result *r);
void km_check_kallsyms_all(struct km_check_ctx *c, struct km_check_result *r);
void km_check_fentry(struct km_check_ctx *c, struct km_check_result *r);

#endif
