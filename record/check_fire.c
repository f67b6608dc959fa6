// SPDX-License-Identifier: GPL-2.0
/*
 * The checks that watch for real: a watch armed through the session,
 * as live mode and record arm theirs, this process touching the
 * watched bytes, and the hits the BPF program sends back counted.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "../common/error.h"
#include "../common/trace/trace_format.h"
#include "capture/arm.h"
#include "check.h"
#include "capture/session.h"

#define BTF_PATH "/sys/kernel/btf/vmlinux"
#define TOUCHES 5 /* accesses per check */

/* The user-space variable this process writes while it is watched. */
static volatile uint32_t user_target;

struct fire {
	struct km_watch w;
	int fd; /* what touch() reads */
	void (*touch)(struct fire *f);
	int touched; /* accesses made */
	uint64_t hits; /* hits that arrived: all of this process */
	char err[256]; /* why the session failed */
};

/* Each read of the first 4 bytes copies from __start_BTF. */
static void pread_4(struct fire *f)
{
	char buf[4];
	int i;

	for (i = 0; i < TOUCHES; i++)
		f->touched += pread(f->fd, buf, sizeof(buf), 0) == sizeof(buf);
}

/* Each read() of a file goes through vfs_read. */
static void read_4(struct fire *f)
{
	char buf[4];
	int i;

	for (i = 0; i < TOUCHES; i++)
		f->touched += read(f->fd, buf, sizeof(buf)) == sizeof(buf);
}

static void write_user(struct fire *f)
{
	int i;

	for (i = 0; i < TOUCHES; i++, f->touched++)
		user_target = i + 1;
}

static int on_armed(void *ctx, uint64_t now_ns)
{
	struct fire *f = ctx;

	(void)now_ns;
	f->touch(f);
	return 0;
}

static int on_hit(void *ctx, const struct km_hit *h)
{
	struct fire *f = ctx;

	f->hits += h->watch == 0;
	return 0;
}

/* Arms f->w alone, touches it once armed, drains the hits. */
static int fire(struct fire *f, struct km_session_stats *st)
{
	struct km_session_opts so = {
		.watches = &f->w,
		.nr_watches = 1,
		.stacks = true,
		.filter = { .nr_pids = 1, .pids = { getpid() } },
		.ringbuf_size = 1 << 16,
		/*
		 * The BPF program runs inside each access, so once
		 * on_armed returns every hit is counted and waits in the
		 * ring buffer: one poll round drains them all, however
		 * slow the machine is.
		 */
		.duration_ns = 1,
		.ctx = f,
		.on_armed = on_armed,
		.on_hit = on_hit,
	};
	int err;

	km_err_capture(f->err, sizeof(f->err));
	err = km_session_run(&so, st);
	km_err_capture(NULL, 0);
	if (err && !f->err[0])
		snprintf(f->err, sizeof(f->err), "%s", strerror(-err));
	return err;
}

/* r from the counts: every access seen at least once is ok. */
static void report(struct km_check_result *r, const struct fire *f,
		   const struct km_session_stats *st, int err,
		   const char *accesses, const char *if_none)
{
	if (err)
		km_check_set(r, KM_CHECK_ERROR, "%s", f->err);
	else if (f->touched && f->hits >= (uint64_t)f->touched)
		km_check_set(r, KM_CHECK_OK, "%" PRIu64 " hits for %d %s",
			     f->hits, f->touched, accesses);
	else if (f->hits)
		km_check_set(r, KM_CHECK_ERROR,
			     "only %" PRIu64 " hits for %d %s", f->hits,
			     f->touched, accesses);
	else if (st->filtered)
		km_check_set(
			r, KM_CHECK_ERROR,
			"0 hits for %d %s, but %" PRIu64
			" of other processes: is kmemsnoop in a PID namespace?",
			f->touched, accesses, st->filtered);
	else
		km_check_set(r, KM_CHECK_MISSING, "0 hits for %d %s: %s",
			     f->touched, accesses, if_none);
}

/* Says why a firing check cannot run, if it cannot; false if it can. */
static bool not_tried(struct km_check_ctx *c, struct km_check_result *r,
		      uint64_t addr, const char *name)
{
	if (!c->bpf_loads)
		km_check_set(r, KM_CHECK_ERROR,
			     "not tried: the BPF program does not load");
	else if (!addr)
		km_check_set(r, KM_CHECK_ERROR,
			     "not tried: no address for %s in /proc/kallsyms",
			     name);
	else
		return false;
	return true;
}

/* Opens path for f->touch; false (r says why) if it cannot. */
static bool open_touched(struct fire *f, struct km_check_result *r,
			 const char *path)
{
	f->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (f->fd < 0)
		km_check_set(r, KM_CHECK_ERROR, "not tried: cannot open %s: %s",
			     path, strerror(errno));
	return f->fd >= 0;
}

void km_check_kernel_fires(struct km_check_ctx *c, struct km_check_result *r)
{
	struct fire f = { .w = { .type = KM_BP_RW, .len = 4 },
			  .touch = pread_4 };
	struct km_session_stats st;
	int err;

	f.w.addr = km_check_addr(c, "__start_BTF");
	if (not_tried(c, r, f.w.addr, "__start_BTF") ||
	    !open_touched(&f, r, BTF_PATH))
		return;
	err = fire(&f, &st);
	close(f.fd);
	report(r, &f, &st, err, "reads of __start_BTF (rw4)",
	       "breakpoints are accepted but never fire here (some hypervisors do that)");
}

void km_check_user_fires(struct km_check_ctx *c, struct km_check_result *r)
{
	struct fire f = { .w = { .type = KM_BP_W,
				 .len = 4,
				 .addr = (uintptr_t)&user_target },
			  .touch = write_user };
	struct km_session_stats st;
	int err;

	if (not_tried(c, r, f.w.addr, "a variable"))
		return;
	err = fire(&f, &st);
	report(r, &f, &st, err, "writes of a variable of this process (w4)",
	       "watches on user memory do not fire here either");
}

/* Why the kernel refuses execute breakpoints, as far as we can tell. */
static const char *exec_refusal(void)
{
	if (km_check_kconfig("KPROBES") == 0)
		return "this kernel is built without CONFIG_KPROBES, and then refuses them all";
	return "kernels without CONFIG_KPROBES refuse them all";
}

void km_check_exec_bp(struct km_check_ctx *c, struct km_check_result *r)
{
	/* x86 takes execute breakpoints of sizeof(long) bytes only. */
	struct fire f = { .w = { .type = KM_BP_X, .len = sizeof(long) },
			  .touch = read_4 };
	struct km_session_stats st;
	int fd, err;

	f.w.addr = km_check_addr(c, "vfs_read");
	if (!f.w.addr) {
		not_tried(c, r, 0, "vfs_read");
		return;
	}
	fd = km_open_bp(&f.w, c->cpu, false);
	if (fd < 0 && !km_check_blocked(r, fd, c->cpu))
		km_check_set(r, KM_CHECK_MISSING,
			     "x on vfs_read refused (%s): %s", strerror(-fd),
			     exec_refusal());
	if (fd < 0)
		return;
	close(fd);
	/* /dev/zero is always there, and always has 4 bytes to read. */
	if (not_tried(c, r, f.w.addr, "vfs_read") ||
	    !open_touched(&f, r, "/dev/zero"))
		return;
	err = fire(&f, &st);
	close(f.fd);
	report(r, &f, &st, err, "reads (x on vfs_read)",
	       "execute breakpoints are accepted but do not fire");
}
