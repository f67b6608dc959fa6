#!/usr/bin/env drgn
# SPDX-License-Identifier: GPL-2.0
"""A task's task_struct: its address, its main fields, and the addresses of
fields worth watching, for `kmemsnoop --object 'struct task_struct' ADDR`.

  drgn tools/task.py -p PID                          the running kernel
  drgn -c vmcore -s vmlinux tools/task.py -p PID     a memory image

Needs drgn, the kernel's debug info, and its memory (/proc/kcore on a live
machine, or a core such as a QEMU guest dump). kmemsnoop itself needs none
of these: `kmemsnoop --pid-task PID ...` finds the task with BPF.
"""
import argparse
import sys

from drgn import FaultError
from drgn.helpers.linux.pid import find_task
from drgn.helpers.linux.sched import task_state_to_char

try:
    from drgn.helpers.linux.sched import task_cpu
except ImportError:  # older drgn
    task_cpu = None

# Fields whose address is printed, as kmemsnoop member paths.
WATCHABLE = ("on_rq", "se.nr_migrations", "se.sum_exec_runtime", "comm",
             "nvcsw", "nivcsw", "mm", "parent")


def field_addr(task, path):
    obj = task
    for name in path.split("."):
        obj = obj.member_(name)
    return obj.address_


def show(task):
    print(f"task_struct: {task.value_():#x}")
    print(f"pid: {task.pid.value_()}  tgid: {task.tgid.value_()}")
    print(f"comm: {task.comm.string_().decode(errors='replace')}")
    print(f"state: {task_state_to_char(task)}")
    if task_cpu is not None:
        print(f"cpu: {task_cpu(task)}")
    print(f"prio: {task.prio.value_()}  flags: {task.flags.value_():#x}")
    print(f"parent: {task.parent.value_():#x} "
          f"(pid {task.parent.pid.value_()})")
    mm = task.mm.value_()
    print(f"mm: {mm:#x}" + ("  (a kernel thread)" if not mm else
                            f"  task_size: {task.mm.task_size.value_():#x}"))
    print(f"se.nr_migrations: {task.se.nr_migrations.value_()}")
    for path in WATCHABLE:
        try:
            print(f"&{path}: {field_addr(task, path):#x}")
        except LookupError:
            pass  # not in this kernel's task_struct


def main():
    ap = argparse.ArgumentParser(prog="task.py",
                                 description="Show a task's task_struct.")
    ap.add_argument("-p", "--pid", type=int, required=True, help="the pid")
    args = ap.parse_args()
    if "prog" not in globals():
        sys.exit("task.py: run it under drgn: drgn tools/task.py -p PID")
    task = find_task(globals()["prog"], args.pid)
    if not task:
        sys.exit(f"task.py: no task with pid {args.pid}")
    try:
        show(task)
    except FaultError as e:
        sys.exit(f"task.py: cannot read the task's memory: {e}")


if __name__ == "__main__":
    main()
