#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The payload for an arm64 kernel before 6.10 (Debian 12's 6.1), which
# spins in the watchpoint exception once a BPF program is attached to
# the breakpoint: kmemsnoop must refuse to arm there, and the guest must
# go on running. Console lines as guest-arm64.sh's.
#
# Files in /out:
#   check.txt, check.rc   kmemsnoop check and its exit status
#   record.err, record.rc record --pid-task 1 rw8 '&se.nr_migrations'
#                         -d 5: its stderr and exit status
#   alive                 written after both: the guest still runs
#   steps, SHA256SUMS     as guest-run.sh's

# shellcheck source=tests/guest/guest-lib.sh
. /guest-lib.sh

old_check() {
	kmemsnoop check >check.txt 2>&1
	echo $? >check.rc
	cat check.txt
}

old_record() {
	timeout "$STEP_TIMEOUT" kmemsnoop record -q -o /out/refused.kmt \
		--pid-task 1 rw8 '&se.nr_migrations' -d 5 2>record.err
	echo $? >record.rc
	cat record.err
	uname -r >alive
}

run check old_check
run record old_record
output
