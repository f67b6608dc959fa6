#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Helpers for the guest payloads (guest-run.sh, guest-usb.sh), sourced from
# the initramfs's /guest-lib.sh (busybox sh). Sourcing it changes to /out,
# where a payload leaves what the host is to read.

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

# dump NAME: asks the host for a dump of the guest's memory, which QEMU
# takes with the guest paused, and waits for the host's answer on the
# control disk (tools/guest/boot.sh).
dump() {
	echo "guest-dump-request: $1"
	i=0
	while [ "$i" -lt $((STEP_TIMEOUT * 10)) ]; do
		reply=$(dd if=/dev/vdb bs=512 count=1 iflag=direct 2>/dev/null | tr -d '\000' | head -n 1)
		case $reply in
		"guest-dump-done $1") return 0 ;;
		"guest-dump-failed $1")
			echo "guest: the host could not dump the memory"
			return 1
			;;
		esac
		usleep 100000
		i=$((i + 1))
	done
	echo "guest: no memory dump after $STEP_TIMEOUT s"
	return 1
}

# output: a SHA256SUMS of /out, then a tar of /out on the raw disk
# /dev/vda, which tools/guest/boot.sh unpacks on the host.
output() {
	sha256sum ./* >/tmp/SHA256SUMS && mv /tmp/SHA256SUMS .
	echo "guest-step: output"
	tar -c -f /dev/vda . && sync
	echo "guest-result: output $?"
}
