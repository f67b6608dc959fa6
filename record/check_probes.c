// SPDX-License-Identifier: GPL-2.0
/*
 * The checks that ask the kernel what it allows: privileges, BTF, the
 * BPF program, breakpoint events and their slots, read-only watches.
 * Each opens what it probes and closes it again at once.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "../bpf/kmemsnoop.h"
#include "kmemsnoop.skel.h"
#include "../common/trace/trace_format.h"
#include "capture/arm.h"
#include "check.h"
#include "capture/slot_holders.h"
#include "capture/step_probe.h"

#define BTF_PATH "/sys/kernel/btf/vmlinux"
#define MAX_CPUS 4096
/* More than any CPU has: the slot count stops at the first refusal. */
#define MAX_PROBE_SLOTS 16

/*
 * Bytes of this process to point probe breakpoints at when no kernel
 * address is needed: they are opened disabled and never fire.
 */
static uint64_t probe_area[MAX_PROBE_SLOTS];

/* The capability bits in effect (CapEff of /proc/self/status). */
static int effective_caps(uint64_t *caps)
{
	char line[128];
	int found = 0;
	FILE *f = fopen("/proc/self/status", "re");

	if (!f)
		return -errno;
	while (!found && fgets(line, sizeof(line), f))
		found = sscanf(line, "CapEff: %" SCNx64, caps) == 1;
	fclose(f);
	return found ? 0 : -ENOENT;
}

/*
 * The kernel itself asks for CAP_SYS_ADMIN before it sets a breakpoint
 * on a kernel address (hw_breakpoint_parse: the trap path must not be
 * watched by the unprivileged), whatever CAP_BPF and CAP_PERFMON allow.
 */
void km_check_privileges(struct km_check_ctx *c, struct km_check_result *r)
{
	uint64_t caps;
	bool admin, bpf_perfmon;

	(void)c;
	if (effective_caps(&caps)) {
		km_check_set(r, KM_CHECK_ERROR,
			     "cannot read CapEff from /proc/self/status");
		return;
	}
	admin = caps & (1ull << CAP_SYS_ADMIN);
	bpf_perfmon = (caps & (1ull << CAP_BPF)) &&
		      (caps & (1ull << CAP_PERFMON));
	if (admin)
		km_check_set(r, KM_CHECK_OK, "%s",
			     geteuid() ? "CAP_SYS_ADMIN" : "root");
	else if (bpf_perfmon)
		km_check_set(
			r, KM_CHECK_MISSING,
			"CAP_BPF and CAP_PERFMON, but breakpoints on kernel addresses need CAP_SYS_ADMIN too: run as root");
	else
		km_check_set(
			r, KM_CHECK_MISSING,
			"%s without CAP_SYS_ADMIN: run as root (BPF, perf events and kernel breakpoints need it)",
			geteuid() ? "not root" : "uid 0 but");
}

void km_check_btf(struct km_check_ctx *c, struct km_check_result *r)
{
	int fd = open(BTF_PATH, O_RDONLY | O_CLOEXEC);
	unsigned char magic[2];
	struct stat st;

	(void)c;
	if (fd < 0 && errno == ENOENT) {
		km_check_set(
			r, KM_CHECK_MISSING,
			"no " BTF_PATH
			": the kernel was built without CONFIG_DEBUG_INFO_BTF=y");
		return;
	}
	if (fd < 0) {
		km_check_set(r, KM_CHECK_MISSING,
			     "cannot open " BTF_PATH ": %s: run as root",
			     strerror(errno));
		return;
	}
	/* Raw BTF starts with the magic 0xeb9f, little-endian on x86. */
	if (pread(fd, magic, 2, 0) != 2 || fstat(fd, &st) || magic[0] != 0x9f ||
	    magic[1] != 0xeb)
		km_check_set(r, KM_CHECK_ERROR,
			     BTF_PATH " does not start with BTF's magic");
	else
		km_check_set(r, KM_CHECK_OK, BTF_PATH " readable, %lld bytes",
			     (long long)st.st_size);
	close(fd);
}

/*
 * Opens and loads the BPF program with a small ring buffer, for a check
 * that only needs it loaded: 0, or a negative errno with *opened saying
 * whether it got as far as loading. *skel is NULL but after 0.
 */
static int load_small(struct kmemsnoop_bpf **skel, bool *opened)
{
	int err;

	*skel = kmemsnoop_bpf__open();
	*opened = *skel;
	if (!*skel)
		return -errno;
	bpf_map__set_max_entries((*skel)->maps.events, 1 << 16);
	err = kmemsnoop_bpf__load(*skel);
	if (err) {
		kmemsnoop_bpf__destroy(*skel);
		*skel = NULL;
	}
	return err;
}

void km_check_bpf_load(struct km_check_ctx *c, struct km_check_result *r)
{
	struct kmemsnoop_bpf *skel;
	bool opened;
	int err = load_small(&skel, &opened);

	if (!opened) {
		km_check_set(r, KM_CHECK_ERROR,
			     "cannot open the BPF program: %s", strerror(-err));
		return;
	}
	kmemsnoop_bpf__destroy(skel);
	c->bpf_loads = !err;
	if (!err)
		km_check_set(r, KM_CHECK_OK,
			     "the kmemsnoop BPF program loads and verifies");
	else if (err == -EPERM || err == -EACCES)
		km_check_set(r, KM_CHECK_MISSING,
			     "permission denied loading BPF: run as root");
	else
		km_check_set(
			r, KM_CHECK_MISSING,
			"the kernel refused the BPF program: %s (KMEMSNOOP_DEBUG=1 shows libbpf's log)",
			strerror(-err));
}

/*
 * What single-breakpoint probes watch: __start_BTF, as kmemsnoop
 * would, or where kallsyms hides it, a variable of this process.
 */
static struct km_watch probe_watch(struct km_check_ctx *c, uint32_t type,
				   const char **what)
{
	struct km_watch w = { .type = type, .len = 4 };

	w.addr = km_check_addr(c, "__start_BTF");
	*what = "__start_BTF";
	if (!w.addr) {
		w.addr = (uintptr_t)&probe_area[0];
		*what = "a variable of this process (no kernel address known)";
	}
	return w;
}

void km_check_bp_events(struct km_check_ctx *c, struct km_check_result *r)
{
	const char *what;
	struct km_watch w = probe_watch(c, KM_BP_RW, &what);
	int fd = km_open_bp(&w, c->cpu, true);

	if (fd >= 0) {
		close(fd);
		km_check_set(r, KM_CHECK_OK, "rw4 on %s accepted on cpu %d",
			     what, c->cpu);
	} else if (fd == -EACCES || fd == -EPERM) {
		km_check_set(r, KM_CHECK_MISSING,
			     "rw4 on %s refused (%s): run as root", what,
			     strerror(-fd));
	} else if (!km_check_blocked(r, fd, c->cpu)) {
		km_check_set(
			r, KM_CHECK_MISSING, "rw4 on %s refused (%s)%s", what,
			strerror(-fd),
			fd == -ENOENT || fd == -EOPNOTSUPP ?
				": a kernel without CONFIG_HAVE_HW_BREAKPOINT" :
				"");
	}
}

/*
 * How many breakpoints of type (len bytes, the n-th at base + n * len)
 * the kernel lets us open on cpu, or -errno.
 */
static int free_slots_of(int cpu, uint32_t type, uint32_t len, uint64_t base)
{
	int fds[MAX_PROBE_SLOTS], n, i, err = 0;

	for (n = 0; n < MAX_PROBE_SLOTS; n++) {
		struct km_watch w = { .type = type,
				      .len = len,
				      .addr = base + (uint64_t)n * len };

		err = km_open_bp(&w, cpu, false);
		if (err < 0)
			break;
		fds[n] = err;
		err = 0;
	}
	for (i = 0; i < n; i++)
		close(fds[i]);
	/* Any refusal but "all taken" says nothing about the slots. */
	return !err || err == -ENOSPC || err == -EBUSY ? n : err;
}

/* Free watchpoints (data breakpoints) on cpu, or -errno. */
static int free_slots(int cpu)
{
	return free_slots_of(cpu, KM_BP_RW, 1, (uintptr_t)probe_area);
}

/*
 * arm64 has execute breakpoints apart from its watchpoints, as many as
 * the CPU says: appends how many cpu has free to r's detail.
 */
static void add_exec_slots(struct km_check_ctx *c, struct km_check_result *r,
			   int cpu)
{
#ifdef KM_ARCH_ARM64
	uint64_t text = km_check_addr(c, "vfs_read");
	size_t len = strlen(r->detail);
	int n = text ? free_slots_of(cpu, KM_BP_X, 4, text) : -ENOENT;

	if (n >= 0)
		snprintf(r->detail + len, sizeof(r->detail) - len,
			 "; execute breakpoints apart: %d free on cpu %d", n,
			 cpu);
#else
	(void)c, (void)r, (void)cpu; /* x86's share the four registers */
#endif
}

/* Appends "cpuN K" to list[size], or "..." once it is long. */
static void list_cpu(char *list, size_t size, int cpu, int n)
{
	size_t len = strlen(list);

	if (len > 160) {
		if (strcmp(list + len - 3, "..."))
			snprintf(list + len, size - len, ", ...");
		return;
	}
	snprintf(list + len, size - len, "%scpu%d %d", len ? ", " : "", cpu, n);
}

/* Fills r from the counts: ok when every CPU has a slot free. */
static void describe_slots(struct km_check_result *r, int nr_cpus, int min,
			   int max, const char *list)
{
	char counts[288], who[256] = "", of[16] = "";

	if (KM_HW_SLOTS)
		snprintf(of, sizeof(of), " (of %d)", KM_HW_SLOTS);
	if (min == max)
		snprintf(counts, sizeof(counts),
			 "%d free on each of the %d online CPUs%s", min,
			 nr_cpus, of);
	else
		snprintf(counts, sizeof(counts), "free: %s%s", list, of);
	/* Where the count is the CPU's own (arm64), only holders say some are taken. */
	if (!KM_HW_SLOTS || min < KM_HW_SLOTS)
		km_slot_holders(who, sizeof(who));
	if (KM_HW_SLOTS && min < KM_HW_SLOTS && !who[0])
		snprintf(
			who, sizeof(who),
			"taken by nothing /proc shows (the kernel, or another PID namespace)");
	km_check_set(r, min > 0 ? KM_CHECK_OK : KM_CHECK_MISSING, "%s%s%s",
		     counts, who[0] ? "; " : "", who);
}

void km_check_slots(struct km_check_ctx *c, struct km_check_result *r)
{
	static int cpus[MAX_CPUS];
	int nr = km_online_cpus(cpus, MAX_CPUS), i, n, min = MAX_PROBE_SLOTS,
	    max = 0;
	char list[256] = "";

	if (nr < 0) {
		km_check_set(r, KM_CHECK_ERROR,
			     "cannot read the online CPUs: %s", strerror(-nr));
		return;
	}
	for (i = 0; i < nr; i++) {
		n = free_slots(cpus[i]);
		if (n < 0 && !km_check_blocked(r, n, cpus[i]))
			km_check_set(r, KM_CHECK_ERROR,
				     "cannot open a breakpoint on cpu %d: %s",
				     cpus[i], strerror(-n));
		if (n < 0)
			return;
		list_cpu(list, sizeof(list), cpus[i], n);
		min = n < min ? n : min;
		max = n > max ? n : max;
	}
	describe_slots(r, nr, min, max, list);
	add_exec_slots(c, r, cpus[0]);
}

/* Whether a BPF program on a breakpoint leaves the kernel running. */
void km_check_bp_bpf(struct km_check_ctx *c, struct km_check_result *r)
{
	struct kmemsnoop_bpf *skel;
	uint64_t seen = 0;
	bool opened;
	int err = load_small(&skel, &opened);

	(void)c;
	if (!err)
		err = km_step_probe(skel, &seen);
	kmemsnoop_bpf__destroy(skel);
	if (err == 1)
		km_check_set(r, KM_CHECK_MISSING,
			     KM_STEP_HAZARD
			     " (a child's one store took %" PRIu64
			     " hits); kmemsnoop refuses to arm here",
			     seen);
	else if (err == 0)
		km_check_set(
			r, KM_CHECK_OK,
			"a child's one store, watched with a BPF program attached, gave %" PRIu64
			" hit%s and the child went on",
			seen, seen == 1 ? "" : "s");
	else
		km_check_set(r, KM_CHECK_ERROR,
			     "cannot tell: the probe failed (%s)",
			     strerror(-err));
}

/* x86 watches writes, or reads and writes, never reads alone. */
void km_check_read_only(struct km_check_ctx *c, struct km_check_result *r)
{
	const char *what;
	struct km_watch w = probe_watch(c, KM_BP_R, &what);
	int fd = km_open_bp(&w, c->cpu, false);

	if (fd >= 0) {
		close(fd);
		km_check_set(r, KM_CHECK_OK, "r4 on %s accepted", what);
	} else if (!km_check_blocked(r, fd, c->cpu)) {
		km_check_set(r, KM_CHECK_MISSING, "r4 refused (%s): %s",
			     strerror(-fd),
#ifdef __x86_64__
			     "x86 has no read-only watchpoints; watch with rw"
#else
			     "this CPU cannot watch reads alone; watch with rw"
#endif
		);
	}
}
