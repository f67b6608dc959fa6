// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/magic.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "resolve.skel.h"
#include "../../common/error.h"
#include "resolve.h"

/* enum kernfs_node_type: a directory node. */
#define KERNFS_DIR 0x0001

struct km_resolver {
	struct resolve_bpf *skel;
};

int km_resolver_open(struct km_resolver **rp)
{
	struct km_resolver *r = calloc(1, sizeof(*r));
	int err;

	if (!r) {
		km_err("out of memory");
		return -ENOMEM;
	}
	km_libbpf_quiet();
	r->skel = resolve_bpf__open();
	err = r->skel ? resolve_bpf__load(r->skel) : -errno;
	if (err) {
		if (err == -EPERM)
			km_err("permission denied loading BPF: run as root (or with CAP_BPF and CAP_PERFMON)");
		else
			km_err("cannot load the BPF programs that find kernel objects: %s",
			       strerror(-err));
		km_resolver_close(r);
		return err;
	}
	*rp = r;
	return 0;
}

void km_resolver_close(struct km_resolver *r)
{
	if (!r)
		return;
	resolve_bpf__destroy(r->skel);
	free(r);
}

/*
 * Runs an iterator program once over the tasks of li (one thread, or
 * one process). Naming the task lets the kernel look it up, in the
 * caller's pid namespace, rather than walk every task.
 */
static int run_iter(struct bpf_program *prog, union bpf_iter_link_info *li)
{
	LIBBPF_OPTS(bpf_iter_attach_opts, opts, .link_info = li,
		    .link_info_len = sizeof(*li));
	struct bpf_link *link;
	char buf[64];
	int fd, n, err = 0;

	link = bpf_program__attach_iter(prog, &opts);
	if (!link)
		return -errno;
	fd = bpf_iter_create(bpf_link__fd(link));
	if (fd < 0) {
		err = -errno;
		goto out;
	}
	/* The programs print nothing: the first read runs them all. */
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		;
	if (n < 0)
		err = -errno;
	close(fd);
out:
	bpf_link__destroy(link);
	return err;
}

/* Asks the BPF side what fd (of this process) is. */
static int what_is_fd(struct km_resolver *r, int fd)
{
	union bpf_iter_link_info li = { .task.pid = getpid() };
	struct resolve_bpf__bss *b = r->skel->bss;
	int err;

	b->fd_found = b->kn_flags = 0;
	b->sb_magic = b->kn_addr = b->kobj_addr = 0;
	b->pid_addr = b->task_addr = 0;
	b->want_tgid = getpid();
	b->want_fd = fd;
	err = run_iter(r->skel->progs.what_is_fd, &li);
	if (!err && !b->fd_found)
		err = -EBADF;
	return err;
}

int km_resolver_task(struct km_resolver *r, uint32_t pid, uint64_t *addr)
{
	struct resolve_bpf__bss *b = r->skel->bss;
	char path[32];
	int fd, err;

	snprintf(path, sizeof(path), "/proc/%u", pid);
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? -ESRCH : -errno;
	err = what_is_fd(r, fd);
	close(fd);
	if (err)
		return err;
	if (b->sb_magic != PROC_SUPER_MAGIC || !b->pid_addr)
		return -ENOTDIR;
	*addr = b->task_addr;
	return *addr ? 0 : -ESRCH;
}

int km_resolver_kobj(struct km_resolver *r, int fd, uint64_t *addr)
{
	struct resolve_bpf__bss *b = r->skel->bss;
	int err;

	err = what_is_fd(r, fd);
	if (err)
		return err;
	if (b->sb_magic != SYSFS_MAGIC || !b->kn_addr ||
	    !(b->kn_flags & KERNFS_DIR) || !b->kobj_addr)
		return -ENOTDIR;
	*addr = b->kobj_addr;
	return 0;
}

static int run_read(struct km_resolver *r, uint64_t addr, size_t len, bool str)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts);
	struct resolve_bpf__bss *b = r->skel->bss;

	if (!len || len > sizeof(b->read_buf))
		return -E2BIG;
	b->read_addr = addr;
	b->read_len = len;
	b->read_str = str;
	b->read_err = 0;
	if (bpf_prog_test_run_opts(bpf_program__fd(r->skel->progs.read_mem),
				   &opts))
		return -errno;
	return b->read_err ? -EFAULT : 0;
}

int km_resolver_read(struct km_resolver *r, uint64_t addr, void *buf,
		     size_t len)
{
	int err = run_read(r, addr, len, false);

	if (!err)
		memcpy(buf, r->skel->bss->read_buf, len);
	return err;
}

int km_resolver_read_str(struct km_resolver *r, uint64_t addr, char *buf,
			 size_t size)
{
	size_t n = size < sizeof(r->skel->bss->read_buf) ?
			   size :
			   sizeof(r->skel->bss->read_buf);
	int err = run_read(r, addr, n, true);

	if (!err)
		snprintf(buf, size, "%.*s", (int)n - 1,
			 (char *)r->skel->bss->read_buf);
	return err;
}
