// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <inttypes.h>
#include <linux/hw_breakpoint.h>
#include <linux/perf_event.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "../../common/bytes.h"
#include "../../common/error.h"
#include "../../common/symbolize/ksyms.h"
#include "../../common/trace/trace_format.h"
#include "arm.h"
#include "slot_holders.h"

#define MAX_CPUS 4096

int km_online_cpus(int *cpus, int max)
{
	char *text, *p, *end;
	size_t len;
	int n = 0, err;
	long a, b;

	err = km_read_file("/sys/devices/system/cpu/online", &text, &len);
	if (err)
		return err;
	for (p = text; *p && *p != '\n'; p = end + (*end == ',')) {
		a = b = strtol(p, &end, 10);
		if (end == p)
			break;
		if (*end == '-')
			b = strtol(end + 1, &end, 10);
		for (; a <= b && n < max; a++)
			cpus[n++] = a;
	}
	free(text);
	return n ? n : -EINVAL;
}

void km_bp_attr(struct perf_event_attr *attr, const struct km_watch *w,
		bool stacks)
{
	*attr = (struct perf_event_attr){
		.type = PERF_TYPE_BREAKPOINT,
		.size = sizeof(*attr),
		.bp_type = w->type,
		.bp_addr = w->addr,
		.bp_len = w->len,
		.sample_period = 1,
		/*
		 * With a callchain in the sample, bpf_get_stack() copies
		 * perf's own unwind instead of unwinding from the debug
		 * exception itself, which can warn and crash on some
		 * kernels.
		 */
		.sample_type = stacks ? PERF_SAMPLE_CALLCHAIN : 0,
		.exclude_callchain_user = 1,
		/* libbpf enables it once the program is attached. */
		.disabled = 1,
	};
}

int km_open_bp(const struct km_watch *w, int cpu, bool stacks)
{
	struct perf_event_attr attr;
	int fd;

	km_bp_attr(&attr, w, stacks);
	fd = syscall(SYS_perf_event_open, &attr, -1, cpu, -1,
		     PERF_FLAG_FD_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

/* Watches are armed in order, so this kmemsnoop holds idx on this CPU. */
static void explain_no_slot(int cpu, int idx)
{
	char who[512];

	km_slot_holders(who, sizeof(who));
	km_err("no free hardware breakpoint slot on cpu %d: it has %d, all taken (%d by this kmemsnoop, %d by other programs such as perf or a debugger%s%s); free some or watch fewer addresses",
	       cpu, KM_HW_SLOTS, idx, KM_HW_SLOTS - idx, *who ? "; " : "", who);
}

/* One line saying why the kernel refused, and what to do instead. */
static void explain(int err, const struct km_watch *w, int idx, int cpu)
{
	const char *bp = km_bp_name(w->type);

	/* The kernel's hw_breakpoint_parse() asks for CAP_SYS_ADMIN. */
	if (err == -EACCES || err == -EPERM)
		km_err("permission denied arming a breakpoint: run as root (breakpoints on kernel addresses need CAP_SYS_ADMIN)");
	else if ((err == -ENOSPC || err == -EBUSY) && KM_HW_SLOTS)
		explain_no_slot(cpu, idx);
	else if (err == -ENOSPC || err == -EBUSY)
		km_err("no free hardware breakpoint slot on cpu %d for watch %d: free some (perf, debuggers) or watch fewer addresses",
		       cpu, idx);
	else if (w->type == KM_BP_R && err == -EINVAL)
		km_err("this CPU cannot watch reads alone (x86 watches writes, or reads and writes): use rw%u %s",
		       w->len, w->expr);
	else if (w->type == KM_BP_X)
		km_err("the kernel refused an execute breakpoint at 0x%" PRIx64
		       " (%s): kernels built without CONFIG_KPROBES refuse them all; watch data with r/w/rw instead",
		       w->addr, strerror(-err));
	else
		km_err("cannot arm %s%u at 0x%" PRIx64 " on cpu %d: %s", bp,
		       w->len, w->addr, cpu, strerror(-err));
}

static int arm_one(struct bpf_program *prog, const struct km_watch *w, int idx,
		   int cpu, bool stacks, struct km_armed *a)
{
	LIBBPF_OPTS(bpf_perf_event_opts, opts, .bpf_cookie = idx);
	struct bpf_link *link;
	int fd = km_open_bp(w, cpu, stacks);

	if (fd < 0) {
		explain(fd, w, idx, cpu);
		return fd;
	}
	link = bpf_program__attach_perf_event_opts(prog, fd, &opts);
	if (!link) {
		int err = -errno;

		close(fd);
		km_err("cannot attach the BPF program to watch %d on cpu %d: %s",
		       idx, cpu, strerror(-err));
		return err;
	}
	a->fds[a->nr] = fd;
	a->links[a->nr++] = link;
	return 0;
}

static int alloc_armed(struct km_armed *a, size_t n)
{
	memset(a, 0, sizeof(*a));
	a->links = calloc(n, sizeof(*a->links));
	a->fds = calloc(n, sizeof(*a->fds));
	if (a->links && a->fds)
		return 0;
	km_disarm(a);
	km_err("out of memory");
	return -ENOMEM;
}

int km_arm(struct bpf_program *prog, const struct km_watch *w, int nr_watches,
	   bool stacks, struct km_armed *a)
{
	static int cpus[MAX_CPUS];
	int nr_cpus = km_online_cpus(cpus, MAX_CPUS), i, c, err;

	if (nr_cpus < 0) {
		km_err("cannot read the online CPUs: %s", strerror(-nr_cpus));
		return nr_cpus;
	}
	err = alloc_armed(a, (size_t)nr_cpus * nr_watches);
	if (err)
		return err;
	a->nr_cpus = nr_cpus;
	a->stacks = stacks;
	for (i = 0; i < nr_watches; i++) {
		for (c = 0; c < nr_cpus; c++) {
			err = arm_one(prog, &w[i], i, cpus[c], stacks, a);
			if (err)
				goto fail;
		}
	}
	return 0;
fail:
	km_disarm(a);
	return err;
}

void km_disarm(struct km_armed *a)
{
	size_t i;

	/* Destroying a perf link also disables and closes its event. */
	for (i = 0; i < a->nr; i++)
		bpf_link__destroy(a->links[i]);
	free(a->links);
	free(a->fds);
	memset(a, 0, sizeof(*a));
}
