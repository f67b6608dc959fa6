#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Builds the guest's initramfs: busybox-static, the static kmemsnoop and
# trigger, the kernel modules fetch.sh extracted, and PAYLOAD, a shell
# script /init runs once the kernel is up. /init then syncs and powers off.
#
#   tools/guest/initramfs.sh KERNEL_DIR PAYLOAD OUTPUT [FILE...]
#
# KERNEL_DIR is what fetch.sh printed; OUTPUT is a gzipped newc cpio. Each
# FILE goes to the guest's / under its own name, for the payload to source.
#
# KMEMSNOOP_GUEST_ARCH is the guest's architecture: amd64 (the default:
# this machine's busybox, build/kmemsnoop-static, build/trigger-static)
# or arm64 (the busybox fetch.sh put in KERNEL_DIR, and `make ARCH=arm64
# static build-arm64/trigger-static`'s binaries); each binary is checked
# to be static and for that machine. KMEMSNOOP_STATIC and TRIGGER_STATIC
# name other binaries. KERNEL_DIR's vmlinux.sym, where fetch.sh made one,
# goes to /vmlinux.sym.
#
# In the guest: PATH=/bin (busybox applets, kmemsnoop, trigger); the
# modules' debug files, where fetch.sh kept them, under /modules-dbg; proc,
# sysfs, devtmpfs, tmpfs on /tmp and /out, debugfs; the modules loaded in
# load-order; the payload runs as `sh /payload.sh`, stdout and stderr on
# the serial console. Its exit status is printed as
# `guest-init: payload exit N` before power-off.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)

die() {
	printf 'initramfs: %s\n' "$*" >&2
	exit 1
}

# is_static FILE: true when FILE is an executable with no interpreter,
# for the guest's machine (readelf -h's name of it).
is_static() {
	[[ -x $1 ]] && ! LC_ALL=C readelf -l "$1" 2>/dev/null | grep -q 'INTERP' &&
		LC_ALL=C readelf -h "$1" 2>/dev/null | grep -q "Machine: *$MACHINE\$"
}

(($# >= 3)) || die "usage: initramfs.sh KERNEL_DIR PAYLOAD OUTPUT [FILE...]"
kdir=$1 payload=$2 output=$3
shift 3
case ${KMEMSNOOP_GUEST_ARCH:-amd64} in
amd64)
	BUSYBOX=/bin/busybox
	BUILD=build
	MACHINE='Advanced Micro Devices X86-64'
	HINT='make static build/trigger-static; apt-get install busybox-static'
	;;
arm64)
	BUSYBOX=$kdir/busybox
	BUILD=build-arm64
	MACHINE=AArch64
	HINT='make ARCH=arm64 static build-arm64/trigger-static; tools/guest/fetch.sh for busybox'
	;;
*) die "unknown architecture ${KMEMSNOOP_GUEST_ARCH} (amd64 or arm64)" ;;
esac
KM=${KMEMSNOOP_STATIC:-$ROOT/$BUILD/kmemsnoop-static}
TRIGGER=${TRIGGER_STATIC:-$ROOT/$BUILD/trigger-static}
for f in "$@"; do
	[[ -r $f ]] || die "no file $f"
done

[[ -r $payload ]] || die "no payload script $payload"
[[ -s $kdir/modules/load-order ]] || die "no $kdir/modules/load-order: run fetch.sh"
for bin in "$BUSYBOX" "$KM" "$TRIGGER"; do
	is_static "$bin" || die "$bin is missing, not static or not for $MACHINE ($HINT)"
done

stage=$(mktemp -d "${TMPDIR:-/tmp}/kmemsnoop-initramfs.XXXXXX")
trap 'rm -rf "$stage"' EXIT

mkdir -p "$stage"/{bin,dev,proc,sys,tmp,out,modules}
cp "$BUSYBOX" "$stage/bin/busybox"
cp "$KM" "$stage/bin/kmemsnoop"
cp "$TRIGGER" "$stage/bin/trigger"
cp "$payload" "$stage/payload.sh"
(($# == 0)) || cp "$@" "$stage/"
cp "$kdir"/modules/*.ko "$kdir/modules/load-order" "$stage/modules/"
[[ ! -d $kdir/modules-dbg ]] || cp -r "$kdir/modules-dbg" "$stage/modules-dbg"
[[ ! -s $kdir/vmlinux.sym ]] || cp "$kdir/vmlinux.sym" "$stage/vmlinux.sym"

cat >"$stage/init" <<'EOF'
#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin HOME=/ TERM=dumb
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp
mount -t tmpfs tmpfs /out
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
while read -r m; do
	insmod "/modules/$m.ko" || echo "guest-init: insmod $m failed"
done </modules/load-order
echo "guest-init: up, kernel $(uname -r)"
sh /payload.sh
echo "guest-init: payload exit $?"
sync
poweroff -f
EOF
chmod 755 "$stage/init" "$stage/payload.sh"

(cd "$stage" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) |
	gzip -1 >"$output.tmp" || die "cpio failed"
mv "$output.tmp" "$output"
