/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Finding kernel objects and reading kernel memory with BPF only
 * (bpf/resolve.bpf.c): no kprobes, no /proc/kcore, no debug info.
 */
#ifndef KM_RESOLVE_H
#define KM_RESOLVE_H

#include <stddef.h>
#include <stdint.h>

struct km_resolver;

/* Loads the BPF programs; explains a failure through km_err(). */
int km_resolver_open(struct km_resolver **r);
void km_resolver_close(struct km_resolver *r);

/*
 * The task_struct of pid (a thread id works too) as this process's
 * /proc numbers it; -ESRCH if there is none.
 */
int km_resolver_task(struct km_resolver *r, uint32_t pid, uint64_t *addr);

/*
 * The kobject behind fd, a sysfs directory this process opened;
 * -ENOTDIR if fd is not one.
 */
int km_resolver_kobj(struct km_resolver *r, int fd, uint64_t *addr);

/* len bytes of kernel memory at addr; -EFAULT if they cannot be read. */
int km_resolver_read(struct km_resolver *r, uint64_t addr, void *buf,
		     size_t len);
/* A NUL-terminated string at addr, cut to size - 1 bytes. */
int km_resolver_read_str(struct km_resolver *r, uint64_t addr, char *buf,
			 size_t size);

#endif
