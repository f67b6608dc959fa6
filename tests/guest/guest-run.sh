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
#   virtio.data     record x8 virtio_queue_rq x8 virtio_queue_rqs (virtio_blk)
#                   x8 virtqueue_add_sgs (virtio_ring, which both call) while
#                   the output disk is read $READS times with O_DIRECT (each
#                   read a request of its own: virtio_queue_rq) and with the
#                   page cache dropped (readahead, plugged: virtio_queue_rqs):
#                   execute breakpoints in modules
#   task.data       record --pid-task 1 rw8 '&se.nr_migrations' while
#                   /proc/1/sched is read $N times (proc_sched_show_task
#                   reads the field once each time); then the host dumps the
#                   guest's memory (tools/guest/boot.sh: task.core) for drgn
#   task_sched, task_sched_after: /proc/1/sched before the record and after
#                   the dump: se.nr_migrations only grows, so the values the
#                   hits and the dump saw lie between the two
#   live_modules.txt, live_modules.err: live mode with --modules
#                   /modules-dbg (the modules' debug files), -c $LIVE_HITS,
#                   x8 $MOD_SYM, while the disk is read with O_DIRECT
#   virtio_blk.notes, virtio_blk.text: /sys/module/virtio_blk/notes/
#                   .note.gnu.build-id and sections/.text
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
MOD_SYM=virtio_queue_rq # virtio_blk: queues a disk request on its own
BATCH_SYM=virtio_queue_rqs # virtio_blk: queues a plugged batch
RING_SYM=virtqueue_add_sgs # virtio_ring, called by both for each request
READS=4
LIVE_HITS=3

# shellcheck source=tests/guest/guest-lib.sh
. /guest-lib.sh

# has_symbol NAME: NAME is in /proc/kallsyms.
has_symbol() {
	grep -q " $1\$" /proc/kallsyms
}

# has_module_symbol NAME MODULE: NAME is in /proc/kallsyms as MODULE's.
has_module_symbol() {
	awk -v s="$1" -v m="[$2]" '$3 == s && $4 == m { f = 1 } END { exit !f }' /proc/kallsyms
}

info() {
	uname -r >release &&
		cat /sys/kernel/notes >notes &&
		cat /proc/kallsyms >kallsyms &&
		grep ' _text$' kallsyms >text &&
		cat /proc/modules >modules &&
		printf 'N=%s\nSCHED_SYM=%s\nSYSCTL_SYM=%s\nMOD_SYM=%s\nBATCH_SYM=%s\nRING_SYM=%s\nREADS=%s\nLIVE_HITS=%s\n' \
			"$N" "$SCHED_SYM" "$SYSCTL_SYM" "$MOD_SYM" "$BATCH_SYM" "$RING_SYM" "$READS" "$LIVE_HITS" >params
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

# Reads of the output disk that reach the device: O_DIRECT ones, each
# queued alone (virtio_queue_rq), and readahead with the page cache
# dropped, plugged and queued in batches (virtio_queue_rqs).
record_virtio() {
	if ! has_module_symbol "$MOD_SYM" virtio_blk || ! has_module_symbol "$BATCH_SYM" virtio_blk ||
		! has_module_symbol "$RING_SYM" virtio_ring; then
		echo "guest: no $MOD_SYM, $BATCH_SYM [virtio_blk] or $RING_SYM [virtio_ring] in /proc/kallsyms"
		return 1
	fi
	cat /sys/module/virtio_blk/notes/.note.gnu.build-id >virtio_blk.notes &&
		cat /sys/module/virtio_blk/sections/.text >virtio_blk.text || return 1
	timeout "$STEP_TIMEOUT" kmemsnoop record -o /out/virtio.data \
		x8 "$MOD_SYM" x8 "$BATCH_SYM" x8 "$RING_SYM" -- \
		sh -c "for i in \$(seq $READS); do
			dd if=/dev/vda of=/dev/null bs=4k count=1 skip=\$i iflag=direct 2>/dev/null &&
			echo 3 >/proc/sys/vm/drop_caches &&
			dd if=/dev/vda of=/dev/null bs=64k count=4 2>/dev/null || exit 1; done"
}

# Live mode with the modules' debug files: module frames with file:line.
# It has no command to run, so read the disk until it has ended.
live_modules() {
	timeout "$STEP_TIMEOUT" kmemsnoop --modules /modules-dbg -c "$LIVE_HITS" x8 "$MOD_SYM" \
		>live_modules.txt 2>live_modules.err &
	pid=$!
	i=0
	while kill -0 "$pid" 2>/dev/null && [ "$i" -lt 2000 ]; do
		dd if=/dev/vda of=/dev/null bs=4k count=1 skip=$((i % 64)) iflag=direct 2>/dev/null
		usleep 10000
		i=$((i + 1))
	done
	wait "$pid"
}

# PID 1 is busybox sh running /init, asleep in wait() while the payload
# runs: its task_struct stays where it is, for the host to compare with
# drgn's reading of the dump. It does wake now and then (busybox timeout
# leaves its watcher to it), and may then move to the other CPU: the
# scheduler's nr_migrations++, a hit of its own.
record_task() {
	cat /proc/1/sched >task_sched || return 1
	timeout "$STEP_TIMEOUT" kmemsnoop record -o /out/task.data \
		--pid-task 1 rw8 '&se.nr_migrations' -- \
		sh -c "for i in \$(seq $N); do cat /proc/1/sched >/dev/null; done" &&
		dump task && cat /proc/1/sched >task_sched_after
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
run virtio record_virtio
run live_modules live_modules
run task record_task
output
