#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The arm64 guest's payload (busybox sh, as /init's payload; see
# tools/guest/initramfs.sh with KMEMSNOOP_GUEST_ARCH=arm64): runs the
# static aarch64 kmemsnoop on Debian's arm64 cloud kernel and writes what
# the host checks to /out, then a tar of /out to the raw disk /dev/vda.
# Console lines as guest-run.sh's (guest-lib.sh's run).
#
# Files in /out:
#   uptime, uname_m, release, notes, text
#                   /proc/uptime's seconds as the payload starts (the
#                   boot's time), uname -m, uname -r, /sys/kernel/notes,
#                   the `_text` line of /proc/kallsyms (the KASLR placement)
#   kallsyms        /proc/kallsyms, report's snapshot to compare with
#   check.txt       kmemsnoop check
#   offsetof.txt, offsetof_sym.txt
#                   kmemsnoop offsetof 'struct task_struct'
#                   se.nr_migrations, from the running kernel's BTF and
#                   from /vmlinux.sym's .BTF
#   task.kmt        record --pid-task 1 rw8 '&se.nr_migrations' while
#                   /proc/1/sched is read $N times (proc_sched_show_task
#                   reads the field once each time; PID 1 moving to the
#                   other CPU adds a hit of its own)
#   task_sched, task_sched_after: /proc/1/sched around that record
#   sysctl.kmt      record -k /vmlinux.sym rw4 $SYSCTL_SYM while
#                   $SYSCTL_FILE is read $N times and written $W times
#                   (values sysctl_value + STEP .. + W * STEP, then sysctl_value
#                   again: W + 1 writes), the data symbol's address from
#                   the symbols-only vmlinux
#   sysctl_value    the value before the writes (and after them)
#   exec.kmt        record x4 $EXEC_SYM during the same reads and writes
#                   ($EXEC_SYM is the sysctl's handler: busybox cat calls
#                   it twice a read, the second time for the end of file;
#                   each write once)
#   read.kmt, write.kmt, bytes.kmt
#                   the same workload under r4 (arm64 watches reads
#                   alone), w4 --regs (with the registers at each hit)
#                   and rw2 $SYSCTL_SYM+1 (two bytes inside the
#                   variable's doubleword, not aligned to their length)
#   idle.kmt        rw4 $SYSCTL_SYM over a read, a write and a read a
#                   second apart: the write's value after comes from
#                   kmemsnoop's own read of the variable, which must not
#                   be a hit
#   module.kmt      x4 virtio_queue_rq x4 virtio_queue_rqs (virtio_blk, a
#                   module: one request, or a plugged batch, as 6.12 sends
#                   a direct read) while the output disk is read $N times
#                   with O_DIRECT, each read a request of its own
#   virtio_blk.notes /sys/module/virtio_blk/notes/.note.gnu.build-id
#   cross.rc, cross.err
#                   record rw4 $SYSCTL_SYM+6, which would cross a
#                   doubleword: its exit status and stderr
#   params          the numbers above, for the host
#   steps, SHA256SUMS as guest-run.sh's

N=20
W=5
# Each write adds STEP: 0x101 changes the value's two low bytes, which
# the rw2 watch covers one of, so no write there leaves its bytes alone.
STEP=257
SYSCTL_SYM=sysctl_sched_cfs_bandwidth_slice
SYSCTL_FILE=/proc/sys/kernel/sched_cfs_bandwidth_slice_us
EXEC_SYM=proc_dointvec_minmax

# `sh /payload.sh workload`: the sysctl's reads and writes alone, for
# record's COMMAND: N reads, then W writes of new values and one of the
# old value back.
if [ "${1:-}" = workload ]; then
	v=$(cat /out/sysctl_value) || exit 1
	for i in $(seq "$N"); do cat "$SYSCTL_FILE" >/dev/null || exit 1; done
	for i in $(seq "$W"); do echo $((v + i * STEP)) >"$SYSCTL_FILE" || exit 1; done
	echo "$v" >"$SYSCTL_FILE"
	exit
fi

# shellcheck source=tests/guest/guest-lib.sh
. /guest-lib.sh

info() {
	cut -d ' ' -f 1 /proc/uptime >uptime &&
		uname -m >uname_m &&
		uname -r >release &&
		cat /sys/kernel/notes >notes &&
		cat /proc/kallsyms >kallsyms &&
		grep ' _text$' kallsyms >text &&
		cat "$SYSCTL_FILE" >sysctl_value &&
		printf 'N=%s\nW=%s\nSTEP=%s\nSYSCTL_SYM=%s\nEXEC_SYM=%s\n' \
			"$N" "$W" "$STEP" "$SYSCTL_SYM" "$EXEC_SYM" >params
}

kernel_check() {
	kmemsnoop check >check.txt 2>&1
	rc=$?
	cat check.txt
	return "$rc"
}

offsetof() {
	kmemsnoop offsetof 'struct task_struct' se.nr_migrations >offsetof.txt &&
		kmemsnoop offsetof -k /vmlinux.sym 'struct task_struct' se.nr_migrations >offsetof_sym.txt
	rc=$?
	cat offsetof.txt offsetof_sym.txt
	return "$rc"
}

record_task() {
	cat /proc/1/sched >task_sched || return 1
	timeout "$STEP_TIMEOUT" kmemsnoop record -q -o /out/task.kmt \
		--pid-task 1 rw8 '&se.nr_migrations' -- \
		sh -c "for i in \$(seq $N); do cat /proc/1/sched >/dev/null; done" &&
		cat /proc/1/sched >task_sched_after
}

record_sysctl() {
	timeout "$STEP_TIMEOUT" kmemsnoop record -q -k /vmlinux.sym -o /out/sysctl.kmt \
		rw4 "$SYSCTL_SYM" -- sh /payload.sh workload
}

# record_workload FILE BP EXPR [OPTION...]: record the workload.
record_workload() {
	f=$1 bp=$2 expr=$3
	shift 3
	timeout "$STEP_TIMEOUT" kmemsnoop record -q -k /vmlinux.sym "$@" \
		-o "/out/$f" "$bp" "$expr" -- sh /payload.sh workload
}

record_idle() {
	v=$(cat /out/sysctl_value)
	timeout "$STEP_TIMEOUT" kmemsnoop record -q -k /vmlinux.sym -o /out/idle.kmt \
		rw4 "$SYSCTL_SYM" -- sh -c "cat $SYSCTL_FILE >/dev/null; sleep 1;
			echo $((v + STEP)) >$SYSCTL_FILE; sleep 1; cat $SYSCTL_FILE >/dev/null;
			echo $v >$SYSCTL_FILE"
}

record_module() {
	cat /sys/module/virtio_blk/notes/.note.gnu.build-id >virtio_blk.notes &&
		timeout "$STEP_TIMEOUT" kmemsnoop record -q -o /out/module.kmt \
			x4 virtio_queue_rq x4 virtio_queue_rqs -- sh -c "for i in \$(seq $N); do
			dd if=/dev/vda of=/dev/null bs=4k count=1 skip=\$i iflag=direct 2>/dev/null ||
			exit 1; done"
}

record_cross() {
	kmemsnoop record -q -k /vmlinux.sym -o /out/cross.kmt \
		rw4 "$SYSCTL_SYM+6" -- true 2>cross.err
	echo $? >cross.rc
	cat cross.err
	[ ! -e /out/cross.kmt ]
}

record_exec() {
	timeout "$STEP_TIMEOUT" kmemsnoop record -q -o /out/exec.kmt \
		x4 "$EXEC_SYM" -- sh /payload.sh workload
}

run info info
echo "guest: $(cat uname_m), $(cat text)"
run check kernel_check
run offsetof offsetof
run task record_task
run sysctl record_sysctl
run exec record_exec
run read record_workload read.kmt r4 "$SYSCTL_SYM"
run write record_workload write.kmt w4 "$SYSCTL_SYM" --regs
run bytes record_workload bytes.kmt rw2 "$SYSCTL_SYM+1"
run idle record_idle
run module record_module
run cross record_cross
output
