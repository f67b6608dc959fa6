#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Installs with apt-get the packages of the groups named (default: all)
# that this machine lacks. Safe to run again: it does nothing when all
# is there.
#
#   tools/install-deps.sh [GROUP...]
#
#   build  what `make` needs: the compilers, bpftool, the libraries' -dev
#   demo   build, and jq (tools/fires-here.sh reads `kmemsnoop check`)
#   vm     the test VM (tools/vm/run): QEMU, busybox, cpio; make demo
#          adds it only where this machine's breakpoints do not fire
#   deb    building and checking the Debian package (make deb,
#          make deb-tests): debhelper, lintian, devscripts' hardening-check
#   arm64  build, and the arm64 build (make ARCH=arm64 [static]) and guest
#          tier: elsewhere than on arm64 the cross compiler and the :arm64
#          -dev packages (adding arm64 as a foreign architecture); QEMU's
#          qemu-system-aarch64
#   all    every group, and what the other tiers of make check and
#          make bench use (cmocka, perf, bpftrace, drgn, Chromium, ...)
set -e
native=$(dpkg --print-architecture)
build="make gcc clang libbpf-dev bpftool libelf-dev libdw-dev libdebuginfod-dev
zlib1g-dev libzstd-dev"
demo="$build jq"
vm="qemu-system-x86 busybox-static cpio"
deb="$build dpkg-dev debhelper fakeroot lintian devscripts man-db"
if [ "$native" = arm64 ]; then
	arm64="$build liblzma-dev libbz2-dev qemu-system-arm"
else
	arm64="$build gcc-aarch64-linux-gnu libc6-dev-arm64-cross libbpf-dev:arm64
libelf-dev:arm64 libdw-dev:arm64 libzstd-dev:arm64 zlib1g-dev:arm64
liblzma-dev:arm64 libbz2-dev:arm64 qemu-system-arm"
fi
all="$demo $vm $deb $arm64 llvm libcmocka-dev linux-perf liblzma-dev libbz2-dev
debuginfod iproute2 libxml2-utils chromium man-db groff-base bsdextrautils bpftrace
python3-drgn"

[ $# -gt 0 ] || set -- all
pkgs=""
for group in "$@"; do
	case $group in
	build) pkgs="$pkgs $build" ;;
	demo) pkgs="$pkgs $demo" ;;
	vm) pkgs="$pkgs $vm" ;;
	deb) pkgs="$pkgs $deb" ;;
	arm64) pkgs="$pkgs $arm64" ;;
	all) pkgs="$pkgs $all" ;;
	*)
		echo "install-deps: no group '$group' (build, demo, vm, deb, arm64, all)" >&2
		exit 2
		;;
	esac
done

# A name without an architecture is the native package (or an arch:
# all one): with the arm64 -dev packages beside the native ones, a bare
# name would match either.
installed() {
	case $1 in
	*:*) dpkg-query -W -f='${Status}\n' "$1" 2>/dev/null |
		grep -q "ok installed$" ;;
	*) dpkg-query -W -f='${Architecture} ${Status}\n' "$1" 2>/dev/null |
		grep -Eq "^($native|all) .*ok installed$" ;;
	esac
}

missing=""
for p in $pkgs; do
	case " $missing " in *" $p "*) continue ;; esac
	installed "$p" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "kmemsnoop: missing packages:$missing; install them as root" >&2
	exit 1
fi
echo "installing:$missing"
export DEBIAN_FRONTEND=noninteractive
# The :arm64 packages need arm64 as a foreign architecture, and the
# update after it.
case " $missing " in
*":arm64 "*)
	dpkg --print-foreign-architectures | grep -qx arm64 ||
		dpkg --add-architecture arm64
	;;
esac
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
