#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# shellcheck disable=SC2317 # the checks run through `check NAME FUNCTION`
#
# make guest-tests: the guest kernel tier. This machine's kernel refuses
# execute breakpoints and has no KASLR slide, KALLSYMS_ALL or modules, so
# this boots a real Debian 12 cloud kernel under QEMU (TCG), runs the
# static kmemsnoop in it (tests/guest/guest-run.sh) and checks the traces
# it brings out with this machine's kmemsnoop report, against the
# kernel's -dbg vmlinux:
#
#   fetch → initramfs → boot (tools/guest/), then one line per check
#   (PASS/FAIL name: detail) and `guest: N ran, P passed, F failed`.
#
# Checks named dwarf_* need report's DWARF symbolization, vmlinux lookup
# and build-id check (issue 3); until report has them they fail, saying so.
# Checks named module_* (checks_modules.sh) are on frames inside modules:
# the trace's MODULE_INFO and the modules' own debug files. Checks named
# task_* (checks_task.sh) hold a watch on a field of PID 1's task_struct
# against drgn's reading of a dump of the guest's memory. Then a second
# guest, Debian's generic kernel with QEMU's USB tablet, for the usb_*
# checks (checks_usb.sh): fields of struct usb_device objects.
#
# Exits 1 if any check failed. Needs root (QEMU is unprivileged, but the
# lookup checks use mount and network namespaces). Environment:
#   KMEMSNOOP               the report binary (default build/kmemsnoop)
#   KMEMSNOOP_GUEST_CACHE   download cache (default /var/cache/kmemsnoop-guest)
#   KMEMSNOOP_GUEST_KEEP=1  keep the work dir (console log, traces)
set -u
cd "$(dirname "$0")/../.." || exit 1
ROOT=$PWD

KM=${KMEMSNOOP:-$ROOT/build/kmemsnoop}
REPORT_TIMEOUT=120
DWARF_NOTE="needs report's DWARF symbolization and vmlinux lookup, issue 3"

# shellcheck source=tests/guest/lib.sh
. tests/guest/lib.sh
work_dir kmemsnoop-guest-tests
# shellcheck source=tests/guest/checks.sh
. tests/guest/checks.sh
# shellcheck source=tests/guest/checks_dwarf.sh
. tests/guest/checks_dwarf.sh
# shellcheck source=tests/guest/checks_modules.sh
. tests/guest/checks_modules.sh
# shellcheck source=tests/guest/checks_task.sh
. tests/guest/checks_task.sh
# shellcheck source=tests/guest/checks_usb.sh
. tests/guest/checks_usb.sh

# --- setup steps --------------------------------------------------------------

step_fetch() {
	local t0=$SECONDS

	KDIR=$(tools/guest/fetch.sh 2>"$WORK/fetch.log" | tail -n 1)
	[[ -n $KDIR && -s $KDIR/vmlinux ]] || {
		bad "$(tail -n 1 "$WORK/fetch.log")"
		return
	}
	TIMINGS+=" fetch $((SECONDS - t0)) s"
	VMLINUX=$KDIR/vmlinux
	RELEASE=$(cat "$KDIR/release")
	REASON="$RELEASE: $(sed -n 's/^fetch: //p' "$WORK/fetch.log" | grep -v '^downloading' | paste -sd ';' - | sed 's/;/; /g')"
}

step_initramfs() {
	make_initramfs initramfs "$KDIR" tests/guest/guest-run.sh "$WORK/initrd.gz"
}

step_boot() {
	timed_boot boot "$KDIR" "$WORK/initrd.gz"
}

# Every step of guest-run.sh succeeded and its files arrived intact; the
# task step's failure (it needs the host's memory dump) is the task_*
# checks' to report.
step_guest() {
	guest_steps task || return
	# shellcheck source=/dev/null # written by guest-run.sh
	. "$OUT/params"
	LC_ALL=C nm "$VMLINUX" >"$WORK/vmlinux.nm" 2>/dev/null || {
		bad "nm $VMLINUX failed"
		return
	}
}

# --- the tier -----------------------------------------------------------------

T0=$SECONDS
TIMINGS=
[[ -x $KM ]] || {
	echo "guest: $KM is missing: run 'make all static build/trigger-static'" >&2
	exit 1
}
[[ $(id -u) == 0 ]] || {
	echo "guest: needs root (namespaces for the lookup checks)" >&2
	exit 1
}

check fetch step_fetch || give_up fetch
check initramfs step_initramfs || give_up initramfs
check boot step_boot || give_up boot
check guest step_guest || give_up guest
BUILD_ID=$(elf_build_id "$VMLINUX")
check build_id check_build_id
check release check_release
check kaslr check_kaslr
check sched_hits check_sched_hits
check sysctl_hits check_sysctl_hits
check live check_live
check vmlinux_slide check_vmlinux_slide
check dwarf_file_line check_dwarf_file_line
check dwarf_inlined check_dwarf_inlined
check dwarf_export check_dwarf_export
check dwarf_buildid_mismatch check_dwarf_buildid_mismatch
check dwarf_buildid_force check_dwarf_buildid_force
check dwarf_lookup_build_id check_dwarf_lookup_build_id
check dwarf_lookup_release check_dwarf_lookup_release
check dwarf_debuginfod check_dwarf_debuginfod
check module_info check_module_info
check module_hits check_module_hits
check module_build_id check_module_build_id
check module_dbg_tree check_module_dbg_tree
check module_dir check_module_dir
check module_live check_module_live
check module_fallback check_module_fallback
check module_frames_alike check_module_frames_alike
check module_debuginfod check_module_debuginfod
check task_hits check_task_hits
check task_drgn check_task_drgn
check task_py_fields check_task_py_fields
[[ -n ${KMEMSNOOP_GUEST_KEEP:-} ]] || rm -f "$BOOT/task.core" # 1 GiB
check usb_fetch step_usb_fetch || give_up usb_fetch
check usb_initramfs step_usb_initramfs || give_up usb_initramfs
check usb_boot step_usb_boot || give_up usb_boot
check usb_guest step_usb_guest || give_up usb_guest
check usb_hits check_usb_hits
check usb_values check_usb_values
check usb_offsetof check_usb_offsetof
check usb_errors check_usb_errors
summary
