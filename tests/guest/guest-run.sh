#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Runs inside the guest kernel (busybox sh, as /init's payload; see
# tools/guest/initramfs.sh). Records with the static kmemsnoop what this
# machine's own kernel cannot give: an execute breakpoint, a watch on a
# variable only KALLSYMS_ALL names, under KASLR; and writes everything the
# host checks to /out, then a tar of /out to the raw disk /dev/vda.
#
# On the console: `guest-step: NAME` as each step starts and
# `guest-result: NAME STATUS` when it ends (STATUS 0 is success); the
# live-mode output between `guest-live-begin` and `guest-live-end`.
#
# Files in /out (the host reads them from the tar):
#   sched.data      record -d 1 x8 scheduler_tick
#   sysctl.data     record rw4 sysctl_sched_cfs_bandwidth_slice while
#                   /proc/sys/kernel/sched_cfs_bandwidth_slice_us is read
#                   $N times (the proc_dointvec_minmax sysctl behind it
#                   reads the variable once per read)
#   sysctl_value    the value read, for the values the hits captured
#   live.txt        live mode, -c 3, on the same variable
#   kallsyms, notes, text, release, modules: /proc/kallsyms,
#                   /sys/kernel/notes, the `_text` line of kallsyms (the
#                   KASLR placement), uname -r, /proc/modules
#   params          N=..., SCHED_SYM=..., SYSCTL_SYM=...
#   steps           NAME STATUS, one line per step
#   SHA256SUMS      of all of the above

N=50
SCHED_SYM=scheduler_tick # 6.1; kernels from 6.10 on call it sched_tick
SYSCTL_SYM=sysctl_sched_cfs_bandwidth_slice
SYSCTL_FILE=/proc/sys/kernel/sched_cfs_bandwidth_slice_us
STEP_TIMEOUT=40

cd /out || exit 1

# run NAME COMMAND...: one step, its status on the console and in steps.
run() {
	name=$1
	shift
	echo "guest-step: $name"
	"$@"
	rc=$?
	echo "$name $rc" >>/out/steps
	echo "guest-result: $name $rc"
	return "$rc"
}

# has_symbol NAME: NAME is in /proc/kallsyms.
has_symbol() {
	grep -q " $1\$" /proc/kallsyms
}

info() {
	uname -r >release &&
		cat /sys/kernel/notes >notes &&
		cat /proc/kallsyms >kallsyms &&
		grep ' _text$' kallsyms >text &&
		cat /proc/modules >modules &&
		printf 'N=%s\nSCHED_SYM=%s\nSYSCTL_SYM=%s\n' "$N" "$SCHED_SYM" "$SYSCTL_SYM" >params
}

record_sched() {
	has_symbol "$SCHED_SYM" || {
		echo "guest: no $SCHED_SYM in /proc/kallsyms"
		return 1
	}
	timeout "$STEP_TIMEOUT" kmemsnoop record -o /out/sched.data -d 1 x8 "$SCHED_SYM"
}

record_sysctl() {
	if ! has_symbol "$SYSCTL_SYM" || [ ! -r "$SYSCTL_FILE" ]; then
		echo "guest: no $SYSCTL_SYM in /proc/kallsyms or no $SYSCTL_FILE"
		return 1
	fi
	cat "$SYSCTL_FILE" >sysctl_value || return 1
	timeout "$STEP_TIMEOUT" kmemsnoop record -o /out/sysctl.data rw4 "$SYSCTL_SYM" -- \
		sh -c "for i in \$(seq $N); do cat $SYSCTL_FILE >/dev/null; done"
}

# Live mode stops by itself after 3 hits; it has no command to run, so
# read the sysctl until it has ended (reads before it armed are not seen).
live() {
	timeout "$STEP_TIMEOUT" kmemsnoop -c 3 rw4 "$SYSCTL_SYM" >live.txt 2>&1 &
	pid=$!
	i=0
	while kill -0 "$pid" 2>/dev/null && [ "$i" -lt 2000 ]; do
		cat "$SYSCTL_FILE" >/dev/null
		usleep 10000
		i=$((i + 1))
	done
	wait "$pid"
	rc=$?
	echo "guest-live-begin"
	cat live.txt
	echo "guest-live-end"
	return "$rc"
}

run info info
run sched record_sched
run sysctl record_sysctl
run live live
sha256sum ./* >/tmp/SHA256SUMS && mv /tmp/SHA256SUMS .
echo "guest-step: output"
tar -c -f /dev/vda . && sync
echo "guest-result: output $?"
