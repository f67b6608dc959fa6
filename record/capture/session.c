// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "../../bpf/kmemsnoop.h"
#include "kmemsnoop.skel.h"
#include "../../common/error.h"
#include "../../common/trace/trace_format.h"
#include "arm.h"
#include "child.h"
#include "lifetime.h"
#include "session.h"
#include "step_probe.h"
#include "value_after.h"

#define POLL_MS 100
/*
 * Where a hit reads the value before its access (value_after.h): how
 * many hits may wait for their value after, and how long the oldest
 * waits before the watched addresses are read instead.
 */
#define AFTER_QUEUE 4096
#define AFTER_WAIT_NS (50 * 1000000ull)

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

/* SIGCHLD only needs to interrupt the poll so the exit is seen at once. */
static void on_sigchld(int sig)
{
	(void)sig;
}

static void install_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };
	int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	size_t i;

	/* No SA_RESTART: the ring-buffer poll must return on a signal. */
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
	sa.sa_handler = on_sigchld;
	sigaction(SIGCHLD, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

uint64_t km_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

void km_session_hint(const struct km_session_stats *st, bool ran_command)
{
	/* Long enough that something would normally have touched it. */
	const uint64_t expect_ns = 1000000000ull;

	if (st->seen || !st->armed_ns)
		return;
	if (ran_command || st->end_ns - st->armed_ns >= expect_ns)
		fputs("kmemsnoop: 0 hits seen; if the watched memory was touched, run 'kmemsnoop check': this machine's breakpoints may not fire\n",
		      stderr);
}

struct loop {
	const struct km_session_opts *o;
	struct km_session_stats *st;
	struct kmemsnoop_bpf *skel;
	struct km_after *after; /* NULL where hits read the value after */
	int err;
};

/*
 * Runs prime_values, which reads each watched address into last_value;
 * 0 or -1 with errno set.
 */
static int run_prime(struct kmemsnoop_bpf *skel)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts);

	return bpf_prog_test_run_opts(bpf_program__fd(skel->progs.prime_values),
				      &opts) ?
		       -1 :
		       0;
}

/*
 * Reads what each watched address holds now, through prime_values, as
 * this thread: on_hit takes its reads for none. A watch's read is good
 * only if no run of on_hit came during it.
 */
static void read_now(struct kmemsnoop_bpf *skel, struct km_after_now *now)
{
	volatile struct kmemsnoop_bpf__bss *bss = skel->bss;
	bool ran;
	int i;

	for (i = 0; i < KM_MAX_WATCHES; i++)
		now->seq[i] = bss->hit_seq[i];
	bss->reader_id = (uint64_t)getpid() << 32 | (uint32_t)gettid();
	ran = !run_prime(skel);
	bss->reader_id = 0;
	for (i = 0; i < KM_MAX_WATCHES; i++) {
		now->addr[i] = bss->watch_addr[i];
		now->value[i] = bss->last_value[i];
		now->valid[i] = ran && bss->last_valid[i] &&
				bss->hit_seq[i] == now->seq[i];
	}
}

/* Settles the hits that have waited since arrived_by or before. */
static int settle(struct loop *l, uint64_t arrived_by)
{
	struct km_after_now now;

	read_now(l->skel, &now);
	return km_after_settle(l->after, &now, arrived_by);
}

static int hand_on(struct loop *l, void *data, size_t size)
{
	struct km_hit h;
	int err;

	if (!l->after)
		return km_hit_from_event(&h, data, size) ?:
			       l->o->on_hit(l->o->ctx, &h);
	err = km_after_push(l->after, data, size, km_now_ns());
	/*
	 * Full: later hits are in the ring buffer, so a value read now may
	 * be theirs. The waiting ones go on without a value after.
	 */
	if (err == KM_AFTER_FULL)
		err = km_after_settle(l->after, NULL, UINT64_MAX) ?:
			      km_after_push(l->after, data, size, km_now_ns());
	return err;
}

/*
 * An arming or a disarming: the slot's waiting hit, if any, was on the
 * object before, whatever address the next one has.
 */
static int on_life(void *ctx, const struct km_life_rec *r)
{
	struct loop *l = ctx;
	int err = l->after ? km_after_forget(l->after, r->slot) : 0;

	if (err || !l->o->on_life)
		return err;
	return l->o->on_life(l->o->ctx, r);
}

static int on_event(void *ctx, void *data, size_t size)
{
	struct loop *l = ctx;
	int err;

	if (l->o->max_hits && l->st->delivered >= l->o->max_hits)
		return 0;
	err = hand_on(l, data, size);
	if (err == -EBADMSG)
		return 0;
	/* Counted even if on_hit fails: it left the ring buffer. */
	l->st->delivered++;
	if (err < 0)
		l->err = err;
	return err < 0 ? err : 0;
}

/* Reads each watched value once, so the first hit has an "old" one. */
static int prime_values(struct kmemsnoop_bpf *skel)
{
	if (run_prime(skel))
		km_warn("cannot read the watched values before arming (%s): the first hit shows no old value",
			strerror(errno));
	return 0;
}

/*
 * A kernel that does not step over a watched access with a BPF program
 * attached would take the first hit on a kernel address forever: ask it
 * first (step_probe.h). A probe that cannot run says nothing; arming
 * explains what fails.
 */
static int refuse_if_no_step(struct kmemsnoop_bpf *skel)
{
	uint64_t seen;

	if (km_step_probe(skel, &seen) != 1)
		return 0;
	km_err("refusing to arm: " KM_STEP_HAZARD
	       " (a child's one store took %" PRIu64
	       " hits); use a kernel with the fix",
	       seen);
	return -ENOTSUP;
}

static int load(struct kmemsnoop_bpf **skelp, const struct km_session_opts *o)
{
	struct kmemsnoop_bpf *skel;
	int err;

	if (access("/sys/kernel/btf/vmlinux", R_OK)) {
		km_err("this kernel has no BTF (/sys/kernel/btf/vmlinux): kmemsnoop needs a kernel built with CONFIG_DEBUG_INFO_BTF=y");
		return -ENOTSUP;
	}
	km_libbpf_quiet();
	skel = kmemsnoop_bpf__open();
	if (!skel) {
		km_err("cannot open the BPF program: %s", strerror(errno));
		return -errno;
	}
	skel->rodata->want_stack = o->stacks;
	skel->rodata->want_regs = o->regs;
	skel->rodata->gated = o->life != NULL;
	memcpy((void *)&skel->rodata->filter, &o->filter, sizeof(o->filter));
	skel->rodata->filter.max_kept = o->max_hits;
	skel->rodata->wakeup_bytes = o->ringbuf_size / 4;
	bpf_map__set_max_entries(skel->maps.events, o->ringbuf_size);
	err = kmemsnoop_bpf__load(skel);
	if (err) {
		if (err == -EPERM)
			km_err("permission denied loading BPF: run as root (or with CAP_BPF and CAP_PERFMON)");
		else
			km_err("cannot load the BPF program: %s",
			       strerror(-err));
		kmemsnoop_bpf__destroy(skel);
		return err;
	}
	err = refuse_if_no_step(skel);
	if (err) {
		kmemsnoop_bpf__destroy(skel);
		return err;
	}
	*skelp = skel;
	return 0;
}

/* Tells the loaded program what it watches, and what is there now. */
static int set_watches(struct kmemsnoop_bpf *skel,
		       const struct km_session_opts *o)
{
	int i, err;

	err = o->resolve ? o->resolve(o->ctx) : 0;
	if (err)
		return err;
	for (i = 0; i < o->nr_watches; i++) {
		skel->bss->watch_addr[i] = o->watches[i].addr;
		skel->bss->value_len[i] =
			o->watches[i].type == KM_BP_X ? 0 : o->watches[i].len;
	}
	return prime_values(skel);
}

/*
 * Sums the per-CPU counters into st. They only grow, so reading them
 * again while running (for record's status line) just updates st.
 */
static void read_counters(struct kmemsnoop_bpf *skel,
			  struct km_session_stats *st)
{
	int ncpu = libbpf_num_possible_cpus(), i;
	struct kmemsnoop_counters *c;
	struct km_session_stats sum = { 0 };
	__u32 zero = 0;

	if (ncpu <= 0)
		return;
	c = calloc(ncpu, sizeof(*c));
	if (c && !bpf_map__lookup_elem(skel->maps.counters, &zero, sizeof(zero),
				       c, ncpu * sizeof(*c), 0)) {
		for (i = 0; i < ncpu; i++) {
			sum.seen += c[i].seen;
			sum.filtered += c[i].filtered;
			sum.dropped += c[i].dropped;
		}
		st->seen = sum.seen;
		st->filtered = sum.filtered;
		st->dropped = sum.dropped;
	}
	free(c);
}

static bool child_done(struct km_child *c, struct km_session_stats *st)
{
	if (c->pid <= 0 || waitpid(c->pid, &st->child_status, WNOHANG) <= 0)
		return false;
	c->pid = 0;
	st->child_ended = true;
	return true;
}

static int poll_until_stop(struct ring_buffer *rb, struct loop *l,
			   struct km_child *child)
{
	const struct km_session_opts *o = l->o;
	int n;

	while (!stop_signal && !l->err) {
		n = ring_buffer__poll(rb, POLL_MS);
		/* The BPF side wakes us rarely; take what waits anyway. */
		if (n >= 0 || n == -EINTR)
			n = ring_buffer__consume(rb);
		/* A failing on_hit has said why already. */
		if (l->err)
			break;
		if (n < 0 && n != -EINTR) {
			km_err("reading the ring buffer failed: %s",
			       strerror(-n));
			return n;
		}
		if (l->after &&
		    km_after_stale(l->after, km_now_ns(), AFTER_WAIT_NS) &&
		    (l->err = settle(l, km_now_ns() - AFTER_WAIT_NS)))
			break;
		if (o->on_tick)
			read_counters(l->skel, l->st);
		if (o->on_tick && (l->err = o->on_tick(o->ctx, km_now_ns())))
			break;
		if (o->max_hits && l->st->delivered >= o->max_hits)
			break;
		if (o->duration_ns &&
		    km_now_ns() - l->st->armed_ns >= o->duration_ns)
			break;
		if (child_done(child, l->st))
			break;
	}
	return l->err;
}

static int run_armed(struct kmemsnoop_bpf *skel, struct loop *l,
		     struct km_child *child)
{
	const struct km_session_opts *o = l->o;
	struct ring_buffer *rb;
	struct km_armed armed;
	int err;

	rb = ring_buffer__new(bpf_map__fd(skel->maps.events), on_event, l,
			      NULL);
	if (!rb) {
		km_err("cannot set up the ring buffer: %s", strerror(errno));
		return -errno;
	}
	l->skel = skel;
	err = km_arm(skel->progs.on_hit, o->watches, o->nr_watches, o->stacks,
		     &armed);
	if (err)
		goto out;
	if (o->life) {
		struct km_life_hit_state hs = {
			.watch_addr = skel->bss->watch_addr,
			.last_valid = skel->bss->last_valid,
			.watch_live = skel->bss->watch_live,
		};

		err = km_life_start(*o->life, &armed, &hs, rb, &o->filter,
				    on_life, l);
		if (err) {
			km_disarm(&armed);
			goto out;
		}
	}
	l->st->armed_ns = km_now_ns();
	err = o->on_armed ? o->on_armed(o->ctx, l->st->armed_ns) : 0;
	if (!err && o->command)
		err = km_child_start(child, o->command[0]);
	if (!err)
		err = poll_until_stop(rb, l, child);
	/* No more arming: its last events are handled before the drain. */
	if (o->life)
		km_life_stop(*o->life, rb, &l->st->life);
	/* Disarm first, so the drain below sees every hit there will be. */
	km_disarm(&armed);
	l->st->end_ns = km_now_ns();
	/* After an error the hits would only be thrown away. */
	if (!err && !l->err)
		ring_buffer__consume(rb);
	if (!err && !l->err && l->after)
		l->err = settle(l, UINT64_MAX);
	read_counters(skel, l->st);
	if (!err && o->on_tick)
		err = o->on_tick(o->ctx, l->st->end_ns);
	if (!err)
		err = l->err;
out:
	ring_buffer__free(rb);
	return err;
}

int km_session_run(const struct km_session_opts *o, struct km_session_stats *st)
{
	struct km_child child = { .go_fd = -1, .err_fd = -1 };
	struct loop l = { .o = o, .st = st };
	struct kmemsnoop_bpf *skel = NULL;
	struct km_after after = { 0 };
	int err;

	memset(st, 0, sizeof(*st));
	install_signals();
	err = load(&skel, o);
	if (err)
		return err;
	err = set_watches(skel, o);
	if (err)
		goto out;
#ifdef KM_ARCH_ARM64
	/* After set_watches: resolving fills in the watches' types. */
	err = km_after_init(&after, o->watches, o->nr_watches, AFTER_QUEUE,
			    o->on_hit, o->ctx);
	if (err)
		goto out;
	l.after = &after;
#endif
	if (o->command &&
	    (err = km_child_fork(&child, o->command, o->command_to_stderr)))
		goto out;
	err = run_armed(skel, &l, &child);
out:
	km_child_stop(&child);
	km_after_free(&after);
	kmemsnoop_bpf__destroy(skel);
	return err;
}
