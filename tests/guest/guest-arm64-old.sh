#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The payload for Debian 12's own arm64 kernel, 6.1: kmemsnoop check,
# whose breakpoint-bpf line says whether the kernel steps over a watched
# access with a BPF program attached (upstream fixed that in 6.6; a
# kernel without the fix would make kmemsnoop refuse), and an object
# watch whose hits are counted. Console lines as guest-arm64.sh's.
#
# Files in /out:
#   check.txt, check.rc   kmemsnoop check and its exit status
#   task.kmt, task.rc     record --pid-task 1 rw8 '&se.nr_migrations'
#                         while /proc/1/sched is read $N times
#   release               uname -r
#   steps, SHA256SUMS     as guest-run.sh's

N=10

# shellcheck source=tests/guest/guest-lib.sh
. /guest-lib.sh

old_check() {
	uname -r >release
	kmemsnoop check >check.txt 2>&1
	echo $? >check.rc
	cat check.txt
}

old_record() {
	timeout "$STEP_TIMEOUT" kmemsnoop record -q -o /out/task.kmt \
		--pid-task 1 rw8 '&se.nr_migrations' -- \
		sh -c "for i in \$(seq $N); do cat /proc/1/sched >/dev/null; done"
	echo $? >task.rc
}

run check old_check
run record old_record
output
