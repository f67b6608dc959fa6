/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A watching session, shared by live mode and record: load the BPF
 * program, arm the watchpoints, hand every hit to a callback until a
 * stop condition, then disarm and drain what is left.
 */
#ifndef KM_SESSION_H
#define KM_SESSION_H

#include <stdbool.h>
#include <stdint.h>
#include "../../common/trace/hit.h"
#include "../../common/trace/life.h"
#include "../../common/trace/target.h"

struct km_session_opts {
	const struct km_watch *watches;
	int nr_watches;
	bool stacks;
	bool regs; /* capture the registers at each hit */
	struct kmemsnoop_filter filter; /* evaluated in the BPF program */
	uint64_t ringbuf_size; /* bytes, a power of two */
	uint64_t duration_ns; /* 0: no limit */
	uint64_t max_hits; /* 0: no limit; enforced in BPF too */
	char *const *command; /* run this and stop when it exits; or NULL */
	/*
	 * --on/--off (lifetime.h), or NULL: watches are then its slots,
	 * and on_life gets each arming and disarming. *life is set by
	 * resolve.
	 */
	struct km_lifetime *const *life;
	int (*on_life)(void *ctx, const struct km_life_rec *r);
	bool command_to_stderr; /* its stdout: where ours is the trace */
	void *ctx;
	/*
	 * Called once the BPF program is loaded, before anything is armed:
	 * fills in watches[0..nr_watches). Loading first lets it overlap
	 * with the slow parts of resolving (reading /proc/kallsyms).
	 */
	int (*resolve)(void *ctx);
	/* Called once the watchpoints are armed, with the time then. */
	int (*on_armed)(void *ctx, uint64_t now_ns);
	/* Every hit; a negative return stops the session with that error. */
	int (*on_hit)(void *ctx, const struct km_hit *h);
	/*
	 * At least every 100 ms while running, and once after the drain;
	 * the stats' seen, filtered and dropped are current each time.
	 */
	int (*on_tick)(void *ctx, uint64_t now_ns);
};

struct km_session_stats {
	/* seen = delivered + filtered + dropped, exactly, after the drain */
	uint64_t seen; /* times the BPF program ran */
	uint64_t filtered; /* filters or the -c limit said no */
	uint64_t dropped; /* ring buffer full */
	uint64_t delivered; /* passed to on_hit */
	uint64_t armed_ns, end_ns; /* CLOCK_MONOTONIC */
	bool child_ended; /* the command ended by itself, with this: */
	int child_status; /* its wait status */
	struct km_life_summary life; /* with --on: the arming counts */
};

/* Returns 0 or a negative errno, already explained on stderr. */
int km_session_run(const struct km_session_opts *o,
		   struct km_session_stats *st);

/*
 * After a run that ended well without a single hit seen (nothing
 * filtered either) although it lasted a second or ran a COMMAND, one
 * line on stderr pointing at kmemsnoop check: on some machines (some
 * hypervisors) breakpoints are accepted but never fire.
 */
void km_session_hint(const struct km_session_stats *st, bool ran_command);

uint64_t km_now_ns(void); /* CLOCK_MONOTONIC, the clock BPF stamps hits with */

#endif
