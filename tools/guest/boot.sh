#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boots the guest kernel with an initramfs under QEMU (TCG: this machine's
# /dev/kvm cannot run an ordinary guest), KASLR on, and brings out what
# the guest wrote.
#
#   tools/guest/boot.sh KERNEL_DIR INITRAMFS WORKDIR [QEMU_ARG...]
#
# QEMU_ARGs are added to QEMU's command line: more devices, for example.
#
# Writes WORKDIR/console.log (the serial console) and WORKDIR/out.img (a
# raw virtio disk, /dev/vda in the guest, which the payload fills with a
# tar of its results); unpacks that tar into WORKDIR/out/.
#
# Memory dumps on request: when the guest prints `guest-dump-request: NAME`
# (NAME of [a-z0-9_]) on its console, QEMU dumps the guest's memory to
# WORKDIR/NAME.core (an ELF core with the kernel's VMCOREINFO note, from
# -device vmcoreinfo, for drgn) and the first sector of the control disk
# (/dev/vdb in the guest) then reads `guest-dump-done NAME`, or
# `guest-dump-failed NAME` with the reason in WORKDIR/NAME.core.err. The
# guest waits for that line before it goes on.
#
# Exits 0 when the guest's /init reported the end of its payload and the
# guest powered off; 1 otherwise (timeout, QEMU failure, no output), with
# one line on stderr naming what went wrong. QEMU never outlives this
# script: it is killed on timeout, on any exit of the script, and by the
# kernel (PR_SET_PDEATHSIG) should the script itself be killed.
#
# Environment: KMEMSNOOP_GUEST_TIMEOUT (seconds, default 120),
# KMEMSNOOP_GUEST_SMP (CPUs, default 2), KMEMSNOOP_GUEST_ARCH (amd64, the
# default: qemu-system-x86_64; arm64: qemu-system-aarch64 -M virt, the
# console on its PL011 UART, KASLR seeded from the kaslr-seed QEMU puts
# in the device tree), KMEMSNOOP_GUEST_TCG (single or multi: one host
# thread for all the guest's CPUs, or one each; default single).
set -euo pipefail

TIMEOUT=${KMEMSNOOP_GUEST_TIMEOUT:-120}
SMP=${KMEMSNOOP_GUEST_SMP:-2}
OUT_MB=64
# thread=single: as tools/vm/run, one host thread for the guest; QEMU
# 7.2's multi-threaded TCG has run stale code in x86 guests.
TCG=${KMEMSNOOP_GUEST_TCG:-single}
case ${KMEMSNOOP_GUEST_ARCH:-amd64} in
amd64)
	QEMU=qemu-system-x86_64 QEMU_PKG=qemu-system-x86
	MACHINE=() CONSOLE=ttyS0
	;;
arm64)
	QEMU=qemu-system-aarch64 QEMU_PKG=qemu-system-arm
	MACHINE=(-M virt) CONSOLE=ttyAMA0
	;;
*)
	printf 'boot: unknown architecture %s (amd64 or arm64)\n' "$KMEMSNOOP_GUEST_ARCH" >&2
	exit 1
	;;
esac

die() {
	printf 'boot: %s\n' "$*" >&2
	exit 1
}

(($# >= 3)) || die "usage: boot.sh KERNEL_DIR INITRAMFS WORKDIR [QEMU_ARG...]"
kdir=$1 initrd=$2 work=$3
shift 3
[[ -s $kdir/vmlinuz ]] || die "no $kdir/vmlinuz: run fetch.sh"
[[ -s $initrd ]] || die "no initramfs $initrd"
command -v "$QEMU" >/dev/null || die "no $QEMU (apt-get install $QEMU_PKG)"
mkdir -p "$work"

log=$work/console.log
img=$work/out.img
ctl=$work/ctl.img
qmp=$work/qmp.sock
rm -rf "$log" "$img" "$ctl" "$qmp" "$work/out" "$work"/*.core "$work"/*.core.err
truncate -s "${OUT_MB}M" "$img"
truncate -s 1M "$ctl"
umask 077 # the dumps hold the guest's kernel memory

qemu_pid=
# Ends QEMU if it runs: TERM, then KILL after 2 s. Safe under set -e.
stop_qemu() {
	local i

	[[ -n $qemu_pid ]] || return 0
	kill -TERM "$qemu_pid" 2>/dev/null || true
	for ((i = 0; i < 10; i++)); do
		kill -0 "$qemu_pid" 2>/dev/null || break
		sleep 0.2
	done
	kill -KILL "$qemu_pid" 2>/dev/null || true
	wait "$qemu_pid" 2>/dev/null || true
	qemu_pid=
}
trap stop_qemu EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

dumps_served=0
# Serves the guest's dump requests not served yet, in the order made.
serve_dumps() {
	local names name reply i=0

	# Lines the console has finished: they end in \r\n. A line QEMU is
	# still writing could stop short of its name.
	names=$(sed -n 's/^guest-dump-request: \([a-z0-9_]\{1,32\}\)\r$/\1/p' "$log" 2>/dev/null) || return 0
	for name in $names; do
		((++i > dumps_served)) || continue
		if "$(dirname "$0")/dump.py" "$qmp" "$work/$name.core" 2>"$work/$name.core.err"; then
			reply="guest-dump-done $name"
			rm -f "$work/$name.core.err"
		else
			reply="guest-dump-failed $name"
		fi
		printf '%s\n' "$reply" | dd of="$ctl" conv=notrunc status=none
		dumps_served=$i
	done
}

# panic=-1 with -no-reboot: a panicking guest ends QEMU at once.
setpriv --pdeathsig KILL -- "$QEMU" "${MACHINE[@]}" \
	-accel "tcg,thread=$TCG" -cpu max -smp "$SMP" -m 1024 \
	-nographic -monitor none -serial "file:$log" -no-reboot -nic none \
	-kernel "$kdir/vmlinuz" -initrd "$initrd" \
	-append "console=$CONSOLE panic=-1 oops=panic loglevel=4" \
	-drive "file=$img,format=raw,if=virtio" \
	-drive "file=$ctl,format=raw,if=virtio" \
	-device vmcoreinfo -qmp "unix:$qmp,server=on,wait=off" "$@" \
	</dev/null >"$work/qemu.out" 2>&1 &
qemu_pid=$!

start=$SECONDS
while kill -0 "$qemu_pid" 2>/dev/null; do
	if ((SECONDS - start >= TIMEOUT)); then
		stop_qemu
		die "guest still running after ${TIMEOUT} s: killed QEMU"
	fi
	serve_dumps
	sleep 0.2
done
rc=0
wait "$qemu_pid" || rc=$?
qemu_pid=
echo "$((SECONDS - start))" >"$work/boot-seconds"

((rc == 0)) || die "QEMU exited with status $rc: $(tr '\n' ' ' <"$work/qemu.out")"
grep -q 'guest-init: up' "$log" || die "the guest never reached /init"
grep -q 'guest-init: payload exit' "$log" ||
	die "the guest stopped before its payload ended (panic?)"
mkdir -p "$work/out"
tar -x -C "$work/out" -f "$img" 2>"$work/tar.err" ||
	die "no tar on the output disk: $(head -c 200 "$work/tar.err")"
chmod 755 "$work/out" # the guest's /out was a tmpfs, mode 1777
exit 0
