#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# shellcheck disable=SC2317 # the checks run through `check NAME FUNCTION`
#
# make check-arm64: the arm64 guest tier. Cross-builds the static aarch64
# kmemsnoop (make ARCH=arm64), boots Debian 12's arm64 cloud kernel of
# the 6.12 line under qemu-system-aarch64 -M virt -cpu max (TCG), runs
# tests/guest/guest-arm64.sh in it and checks what it brings out, with
# this machine's kmemsnoop report on the traces:
#
#   build → fetch → initramfs → boot (tools/guest/, KMEMSNOOP_GUEST_ARCH=
#   arm64), then one line per check (PASS/FAIL name: detail) and
#   `arm64: N ran, P passed, F failed`.
#
# 6.12, not Debian 12's own 6.1: arm64 kernels before 6.10 spin in the
# watchpoint exception once a BPF program is attached to the breakpoint
# (kmemsnoop refuses to arm there). The 6.1 -dbg vmlinux is fetched too,
# as a vmlinux of another build-id for report to refuse.
#
# Exits 1 if any check failed. Needs root for the package cache.
# Environment:
#   KMEMSNOOP               the report binary (default build/kmemsnoop)
#   KMEMSNOOP_GUEST_CACHE   download cache (default /var/cache/kmemsnoop-guest;
#                           arm64's in its arm64/)
#   KMEMSNOOP_GUEST_KEEP=1  keep the work dir (console log, traces)
set -u
cd "$(dirname "$0")/../.." || exit 1
ROOT=$PWD

KM=${KMEMSNOOP:-$ROOT/build/kmemsnoop}
REPORT_TIMEOUT=120
SERIES=6.12
OTHER_SERIES=6.1
TIER=arm64
export KMEMSNOOP_GUEST_ARCH=arm64
# Ten records under TCG: about 60 s on a quiet host, twice that loaded.
export KMEMSNOOP_GUEST_TIMEOUT=${KMEMSNOOP_GUEST_TIMEOUT:-400}

# shellcheck source=tests/guest/lib.sh
. tests/guest/lib.sh
work_dir kmemsnoop-arm64-tests
# shellcheck source=tests/guest/checks_arm64.sh
. tests/guest/checks_arm64.sh

# --- setup steps --------------------------------------------------------------

step_build() {
	local t0=$SECONDS

	make --no-print-directory ARCH=arm64 static build-arm64/trigger-static \
		>"$WORK/build.log" 2>&1 || {
		bad "make ARCH=arm64 static build-arm64/trigger-static failed: $(grep -m 1 -E 'error|Error' "$WORK/build.log")"
		return
	}
	TIMINGS+=" build $((SECONDS - t0)) s"
	REASON="build-arm64/kmemsnoop-static, build-arm64/trigger-static"
}

# fetch_kernel SERIES: the kernel's cache dir on stdout.
fetch_kernel() {
	tools/guest/fetch.sh cloud "$1" 2>>"$WORK/fetch.log" | tail -n 1
}

step_fetch() {
	local t0=$SECONDS

	KDIR=$(fetch_kernel "$SERIES")
	[[ -n $KDIR && -s $KDIR/vmlinux && -s $KDIR/vmlinux.sym ]] || {
		bad "$(tail -n 1 "$WORK/fetch.log")"
		return
	}
	OTHER_KDIR=$(fetch_kernel "$OTHER_SERIES")
	[[ -n $OTHER_KDIR && -s $OTHER_KDIR/vmlinux ]] || {
		bad "$OTHER_SERIES: $(tail -n 1 "$WORK/fetch.log")"
		return
	}
	TIMINGS+=", fetch $((SECONDS - t0)) s"
	VMLINUX=$KDIR/vmlinux
	RELEASE=$(cat "$KDIR/release")
	REASON="$RELEASE, vmlinux.sym $(($(stat -c %s "$KDIR/vmlinux.sym") / 1048576)) MiB; $(cat "$OTHER_KDIR/release")"
}

step_initramfs() {
	make_initramfs initramfs "$KDIR" tests/guest/guest-arm64.sh "$WORK/initrd.gz"
}

step_boot() {
	timed_boot "boot and payload" "$KDIR" "$WORK/initrd.gz"
}

# Every step of guest-arm64.sh succeeded and its files arrived intact.
step_guest() {
	# shellcheck disable=SC2119 # no step may fail
	guest_steps || return
	# shellcheck source=/dev/null # written by guest-arm64.sh
	. "$OUT/params"
	REASON+="; payload from $(cat "$OUT/uptime") s of guest uptime"
	LC_ALL=C nm "$KDIR/vmlinux.sym" >"$WORK/vmlinux.nm" 2>/dev/null || {
		bad "nm $KDIR/vmlinux.sym failed"
		return
	}
}

# Debian 12's 6.1: kmemsnoop check and an object watch.
step_initramfs_old() {
	make_initramfs "$OTHER_SERIES initramfs" "$OTHER_KDIR" tests/guest/guest-arm64-old.sh \
		"$WORK/initrd-old.gz" || return
	REASON="$(cat "$OTHER_KDIR/release"), $REASON"
}

step_boot_old() {
	timed_boot "$OTHER_SERIES boot" "$OTHER_KDIR" "$WORK/initrd-old.gz"
}

# --- the tier -----------------------------------------------------------------

T0=$SECONDS
TIMINGS=
[[ -x $KM ]] || {
	echo "$TIER: $KM is missing: run 'make all'" >&2
	exit 1
}
[[ $(id -u) == 0 ]] || {
	echo "$TIER: needs root (the package cache)" >&2
	exit 1
}

check build step_build || give_up build
check fetch step_fetch || give_up fetch
check initramfs step_initramfs || give_up initramfs
check boot step_boot || give_up boot
check guest step_guest || give_up guest
check machine check_machine
check build_id check_build_id
check kaslr check_kaslr
check kmemsnoop_check check_kmemsnoop_check
check offsetof check_offsetof
check task_hits check_task_hits
check sysctl_hits check_sysctl_hits
check sysctl_values check_sysctl_values
check exec_hits check_exec_hits
check report_kallsyms check_report_kallsyms
check report_vmlinux check_report_vmlinux
check report_buildid_mismatch check_report_buildid_mismatch
check read_only check_read_only
check write_only check_write_only
check unaligned check_unaligned
check cross check_cross
check regset_unit check_regset_unit
check idle check_idle
check module check_module
# Debian 12's own arm64 kernel, 6.1: a second guest.
BOOT=$WORK/boot-old OUT=$WORK/boot-old/out
check old_initramfs step_initramfs_old &&
	check old_boot step_boot_old &&
	check old_kernel check_old_kernel
summary
