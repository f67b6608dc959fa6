#!/bin/sh
# Installs with apt-get whatever the build and the tests need and this
# machine lacks. Safe to run again: it does nothing when all is there.
set -e
pkgs="make gcc clang llvm libbpf-dev bpftool libelf-dev libdw-dev libdebuginfod-dev
zlib1g-dev libzstd-dev libcmocka-dev linux-perf jq liblzma-dev libbz2-dev qemu-system-x86
busybox-static cpio debuginfod iproute2 libxml2-utils chromium man-db groff-base bsdextrautils
bpftrace python3-drgn"
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "kmemsnoop: missing packages:$missing; install them as root" >&2
	exit 1
fi
echo "installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
