// SPDX-License-Identifier: GPL-2.0
/*
 * Finds the kernel objects --pid-task, --pci-dev, --usb-dev and
 * --plat-dev name, and reads kernel memory for the pointer steps of a
 * member path. Needs only BTF and BPF: no kprobes, no trampolines, no
 * /proc/kcore. User space opens the object's directory (/proc/PID, or
 * the device's in sysfs) and asks what is behind that fd; it runs each
 * program once, on demand: the iterator by reading an iterator fd to
 * its end, the syscall program through BPF_PROG_TEST_RUN. Inputs and
 * results are globals, reached through the skeleton's mmap of .bss.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

#define SYSFS_MAGIC 0x62656572
#define PROC_SUPER_MAGIC 0x9fa0
#define READ_MAX 256

/* what_is_fd: what file want_fd of process want_tgid is. */
__u32 want_tgid;
__u32 want_fd;
__u32 fd_found;
__u64 sb_magic; /* its file system, to tell sysfs from procfs */
__u64 kn_addr; /* sysfs: the file's kernfs_node ... */
__u32 kn_flags; /* ... whose flags say whether it is a directory ... */
__u64 kobj_addr; /* ... and whose priv is a directory's kobject */
__u64 pid_addr; /* procfs: the struct pid of /proc/PID ... */
__u64 task_addr; /* ... and the task it numbers, 0 once it has exited */

/* read_mem: read_len bytes at read_addr into read_buf, or a string. */
__u64 read_addr;
__u32 read_len;
__u32 read_str;
__s32 read_err;
__u8 read_buf[READ_MAX];

/*
 * The kernfs_node of a sysfs file is its inode's i_private (what
 * kernfs_dentry_node() returns; dentry->d_fsdata no longer holds it on
 * current kernels). A sysfs directory's node has the kobject it stands
 * for as priv.
 */
static void sysfs_file(struct inode *inode)
{
	struct kernfs_node *kn = BPF_CORE_READ(inode, i_private);

	kn_addr = (__u64)kn;
	if (!kn)
		return;
	kn_flags = BPF_CORE_READ(kn, flags);
	kobj_addr = (__u64)BPF_CORE_READ(kn, priv);
}

/*
 * A /proc/PID directory's inode is the vfs_inode of a proc_inode, which
 * holds the struct pid; the task is the first on its PIDTYPE_PID list.
 * This finds the pid as the caller's /proc numbers it, and needs no
 * lookup by number, which some kernels keep from BPF for some tasks.
 */
static void proc_file(struct inode *inode)
{
	struct proc_inode *pi;
	struct hlist_node *first;
	struct pid *pid;

	pi = (void *)inode -
	     bpf_core_field_offset(struct proc_inode, vfs_inode);
	pid = BPF_CORE_READ(pi, pid);
	pid_addr = (__u64)pid;
	if (!pid)
		return;
	first = BPF_CORE_READ(pid, tasks[PIDTYPE_PID].first);
	if (first)
		task_addr = (__u64)first -
			    bpf_core_field_offset(struct task_struct,
						  pid_links[PIDTYPE_PID]);
}

SEC("iter/task_file")
int what_is_fd(struct bpf_iter__task_file *ctx)
{
	struct task_struct *task = ctx->task;
	struct file *file = ctx->file;
	struct inode *inode;

	if (!task || !file || ctx->fd != want_fd ||
	    BPF_CORE_READ(task, tgid) != want_tgid)
		return 0;
	fd_found = 1;
	inode = BPF_CORE_READ(file, f_inode);
	sb_magic = BPF_CORE_READ(inode, i_sb, s_magic);
	if (sb_magic == SYSFS_MAGIC)
		sysfs_file(inode);
	else if (sb_magic == PROC_SUPER_MAGIC)
		proc_file(inode);
	return 0;
}

SEC("syscall")
int read_mem(void *ctx)
{
	__u32 len = read_len;

	if (!len || len > READ_MAX) {
		read_err = -7; /* E2BIG */
		return 0;
	}
	if (read_str)
		read_err = bpf_probe_read_kernel_str(read_buf, len,
						     (void *)read_addr);
	else
		read_err =
			bpf_probe_read_kernel(read_buf, len, (void *)read_addr);
	/* The string helper returns the length copied; only < 0 fails. */
	if (read_err > 0)
		read_err = 0;
	return 0;
}
