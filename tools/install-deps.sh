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
#   all    every group, and what the other tiers of make check and
#          make bench use (cmocka, perf, bpftrace, drgn, Chromium, ...)
set -e
build="make gcc clang libbpf-dev bpftool libelf-dev libdw-dev libdebuginfod-dev
zlib1g-dev libzstd-dev"
demo="$build jq"
vm="qemu-system-x86 busybox-static cpio"
deb="$build dpkg-dev debhelper fakeroot lintian devscripts man-db"
all="$demo $vm $deb llvm libcmocka-dev linux-perf liblzma-dev libbz2-dev
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
	all) pkgs="$pkgs $all" ;;
	*)
		echo "install-deps: no group '$group' (build, demo, vm, deb, all)" >&2
		exit 2
		;;
	esac
done

missing=""
for p in $pkgs; do
	case " $missing " in *" $p "*) continue ;; esac
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
