// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/perf_event.h>
#include <bpf/libbpf.h>
#include "../../bpf/kmemsnoop.h"
#include "kmemsnoop.skel.h"
#include "../../common/trace/target.h"
#include "arm.h"
#include "step_probe.h"

/*
 * A kernel that steps takes one hit; a repeated report or two is fine.
 * One that does not takes thousands while the child is stuck: more
 * than MAX_HITS ends the wait at once. A child that is only slow to
 * run (a loaded machine) gets WAIT_MS.
 */
#define MAX_HITS 4
#define WAIT_MS 5000

/* The child's store goes here: the same address in parent and child. */
static volatile uint64_t step_word;

static void child(int go)
{
	char c;

	if (read(go, &c, 1) == 1)
		step_word = 1;
	_exit(0);
}

/*
 * Waits up to WAIT_MS for pid, or until *hits passes MAX_HITS; true once
 * it has ended (and is reaped).
 */
static bool ended(pid_t pid, volatile uint64_t *hits)
{
	struct timespec nap = { 0, 5 * 1000000 };
	int i, status;

	for (i = 0; i < WAIT_MS / 5 && *hits <= MAX_HITS; i++) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return true;
		nanosleep(&nap, NULL);
	}
	return waitpid(pid, &status, WNOHANG) == pid;
}

/* Opens the watch on pid's store, attaches prog; the link or NULL. */
static struct bpf_link *watch_child(struct bpf_program *prog, pid_t pid)
{
	struct km_watch w = { .type = KM_BP_W,
			      .len = sizeof(step_word),
			      .addr = (uintptr_t)&step_word };
	struct perf_event_attr attr;
	struct bpf_link *link;
	int fd;

	km_bp_attr(&attr, &w, false);
	fd = syscall(SYS_perf_event_open, &attr, pid, -1, -1,
		     PERF_FLAG_FD_CLOEXEC);
	if (fd < 0)
		return NULL;
	link = bpf_program__attach_perf_event(prog, fd);
	if (!link)
		close(fd);
	return link;
}

int km_step_probe(struct kmemsnoop_bpf *skel, uint64_t *seen)
{
	volatile uint64_t *hits = (volatile uint64_t *)&skel->bss->probe_hits;
	struct bpf_link *link;
	int go[2], err = 0;
	pid_t pid;

	*seen = 0;
	if (pipe2(go, O_CLOEXEC))
		return -errno;
	pid = fork();
	if (pid == 0)
		child(go[0]);
	close(go[0]);
	if (pid < 0) {
		close(go[1]);
		return -errno;
	}
	*hits = 0;
	link = watch_child(skel->progs.probe_hit, pid);
	if (!link)
		err = -errno;
	/* Without the watch the child still goes, and ends at once. */
	if (write(go[1], "g", 1) != 1 && !err)
		err = -EPIPE;
	close(go[1]);
	if (!ended(pid, hits)) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		/* Stuck without many hits: slow, or something else; unknown. */
		err = err ?: (*hits > MAX_HITS ? 0 : -ETIMEDOUT);
	}
	*seen = *hits;
	bpf_link__destroy(link);
	return err ?: *seen > MAX_HITS;
}
