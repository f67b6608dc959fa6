#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Fetches a Debian 12 kernel for the guest test tier, with apt-get
# download, into a cache directory later runs reuse. Two flavours:
#
#   cloud    (default) the newest linux-image-6.1.0-N-cloud-amd64-unsigned
#            and its -dbg package: the bzImage, the debug vmlinux, the few
#            modules the guest needs (virtio_blk and what it depends on,
#            for its disks; qemu_fw_cfg, which hands QEMU the kernel's
#            vmcoreinfo so a memory dump can be read with drgn) and those
#            modules' debug files
#   generic  linux-image-6.1.0-N-amd64-unsigned, no -dbg: the bzImage and
#            virtio_blk plus the USB host stack (usbcore, xhci-pci), which
#            the cloud kernel is built without
#   vm       the cloud kernel's -unsigned package only, for tools/vm/run:
#            the bzImage and whatever modules virtiofs needs (none where
#            it is built in, as on 6.12; on 6.1 virtio_pci, fuse and
#            virtiofs), in the order modules.dep gives
#
#   tools/guest/fetch.sh [cloud|generic|vm] [SERIES]
#
# SERIES is 6.1 (the default: Debian 12's own kernel) or 6.12 (Debian
# 12's newer kernel line, linux-image-6.12.N+deb12-*).
#
# With KMEMSNOOP_GUEST_ARCH=arm64 (the default is amd64), the cloud
# flavour alone: linux-image-*-cloud-arm64-unsigned and -dbg (apt-get
# download PKG:arm64, which needs arm64 as a dpkg foreign architecture),
# the modules the output disk needs (virtio_pci and virtio_blk, as the
# vm flavour finds them, from the modules' depends=; none where built
# in), and the guest's busybox from busybox-static:arm64. The cache is
# then $KMEMSNOOP_GUEST_CACHE/arm64/ (debs/, one directory a kernel).
#
# Prints the kernel's directory in the cache on stdout, holding:
#   vmlinuz    the bootable kernel
#   vmlinux    (cloud) the same kernel's ELF image with DWARF (-dbg package)
#   release    its release string, e.g. 6.1.0-56-cloud-amd64
#   modules/   NAME.ko for each of $MODULES, and load-order (one name a
#              line, dependencies first)
#   modules-dbg/
#              (cloud) the same modules' debug files (DWARF, relocations)
#              where the -dbg package has them under usr/lib/debug:
#              lib/modules/RELEASE/kernel/drivers/.../NAME.ko (arm64:
#              virtio_blk's alone)
#   vmlinux.sym (arm64) the vmlinux without DWARF: its symbol table, the
#              build-id note and .BTF, small enough for an initramfs, for
#              `kmemsnoop -k` in the guest (a kernel without KALLSYMS_ALL
#              names no data symbols in /proc/kallsyms)
#   busybox    (arm64) the static busybox of busybox-static:arm64
#
# Environment:
#   KMEMSNOOP_GUEST_CACHE   cache dir (default /var/cache/kmemsnoop-guest)
#   KMEMSNOOP_GUEST_KERNEL  ABI to use instead of the newest one of the
#                           series, e.g. 6.1.0-50 (the guest test expects a
#                           6.1 kernel: 6.10 renamed scheduler_tick to
#                           sched_tick)
#
# Installs qemu-system-x86 (arm64: qemu-system-arm and binutils for
# aarch64), busybox-static and cpio when missing, since everything after
# this step needs them.
set -euo pipefail

FLAVOUR=${1:-cloud}
SERIES=${2:-6.1}
ARCH=${KMEMSNOOP_GUEST_ARCH:-amd64}
# Each architecture's own cache: amd64's at the top, others in a subdir.
case $ARCH in
amd64)
	CACHE=${KMEMSNOOP_GUEST_CACHE:-/var/cache/kmemsnoop-guest}
	TOOLS="qemu-system-x86 busybox-static cpio"
	;;
arm64)
	CACHE=${KMEMSNOOP_GUEST_CACHE:-/var/cache/kmemsnoop-guest}/arm64
	TOOLS="qemu-system-arm binutils-aarch64-linux-gnu cpio"
	[[ $FLAVOUR == cloud ]] || {
		printf 'fetch: arm64 has the cloud flavour only\n' >&2
		exit 1
	}
	;;
*)
	printf 'fetch: unknown architecture %s (amd64 or arm64)\n' "$ARCH" >&2
	exit 1
	;;
esac

# The ABI part of a package name of the series, as a sed regex:
# linux-image-ABI-FLAVOUR-unsigned.
case $SERIES in
6.1) ABI_RE='6\.1\.0-[0-9]*' ;;
6.12) ABI_RE='6\.12\.[0-9]*+deb12' ;;
*)
	printf 'fetch: unknown kernel series %s (6.1 or 6.12)\n' "$SERIES" >&2
	exit 1
	;;
esac
SUBDIR=
# The modules to load, and what they need, found from modules.order and
# their depends= (the vm flavour and arm64); otherwise $MODULES, a fixed
# list in load order.
DEP_MODULES=
unset DBG_MODULES DBG_PATHS

# Modules in load order (dependencies, from their .modinfo depends=, first)
# and where they are under lib/modules/RELEASE/kernel, as tar patterns.
VIRTIO_MODULES="virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci virtio_blk"
VIRTIO_PATHS="drivers/virtio/*.ko drivers/block/virtio_blk.ko"
case $ARCH/$FLAVOUR in
arm64/cloud)
	SUFFIX=cloud-arm64
	WITH_DBG=1
	MODULES=
	MODULE_PATHS=
	# QEMU's virt machine puts if=virtio disks on PCI.
	DEP_MODULES="virtio_pci virtio_blk"
	# The guest tier's module frames are virtio_blk's.
	DBG_MODULES=virtio_blk
	DBG_PATHS=drivers/block/virtio_blk.ko
	;;
*/cloud)
	SUFFIX=cloud-amd64
	WITH_DBG=1
	MODULES="$VIRTIO_MODULES qemu_fw_cfg"
	MODULE_PATHS="$VIRTIO_PATHS drivers/firmware/qemu_fw_cfg.ko"
	;;
*/vm)
	SUFFIX=cloud-amd64
	WITH_DBG=
	MODULES=virtiofs # and what it needs, found in modules.dep
	MODULE_PATHS=
	DEP_MODULES="virtio_pci virtiofs"
	SUBDIR=vm/
	;;
*/generic)
	SUFFIX=amd64
	WITH_DBG=
	MODULES="$VIRTIO_MODULES usb-common usbcore xhci-hcd xhci-pci"
	MODULE_PATHS="$VIRTIO_PATHS drivers/usb/common/usb-common.ko drivers/usb/core/usbcore.ko drivers/usb/host/xhci-hcd.ko drivers/usb/host/xhci-pci.ko"
	;;
*)
	printf 'fetch: unknown flavour %s (cloud, generic or vm)\n' "$FLAVOUR" >&2
	exit 1
	;;
esac
# The modules whose debug files the -dbg package gives: those loaded,
# unless the flavour names others.
DBG_MODULES=${DBG_MODULES-$MODULES}
DBG_PATHS=${DBG_PATHS-$MODULE_PATHS}

log() {
	printf 'fetch: %s\n' "$*" >&2
}

die() {
	log "$*"
	exit 1
}

install_tools() {
	local p missing=()

	for p in $TOOLS; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
			missing+=("$p")
	done
	((${#missing[@]} == 0)) && return 0
	[[ $(id -u) == 0 ]] || die "missing packages: ${missing[*]}; install them as root"
	log "installing ${missing[*]}"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		"${missing[@]}" >/dev/null ||
		die "apt-get install ${missing[*]} failed"
}

# The newest ABI of the series (6.1.0-N, 6.12.N+deb12) with an -unsigned
# package, and a -dbg one when the flavour needs it.
newest_abi() {
	local pkgs=unsigned

	[[ -n $WITH_DBG ]] && pkgs='\(dbg\|unsigned\)'
	# pkgnames lists each name once, whatever its architectures.
	apt-cache pkgnames "linux-image-$SERIES." 2>/dev/null |
		sed -n "s/^linux-image-\\($ABI_RE\\)-$SUFFIX-$pkgs\$/\\1/p" |
		sort -V | uniq ${WITH_DBG:+-d} | tail -n 1
}

# The kernel already in the cache, when the archive cannot be asked.
cached_abi() {
	find "$CACHE/$SUBDIR" -maxdepth 2 -name release 2>/dev/null |
		sed -n "s|.*/\\($ABI_RE\\)-$SUFFIX/release\$|\\1|p" | sort -V | tail -n 1
}

# The modules' paths in the -dbg package, as tar patterns.
dbg_module_patterns() {
	local rel=$1 p

	for p in $DBG_PATHS; do
		echo "./usr/lib/debug/lib/modules/$rel/kernel/$p"
	done
}

# The same in the image package.
module_patterns() {
	local rel=$1 p

	for p in $MODULE_PATHS; do
		echo "./lib/modules/$rel/kernel/$p"
	done
}

# Moves the debug files of $DBG_MODULES from the extracted tree $1 to $2.
take_module_debug() {
	local from=$1/usr/lib/debug to=$2 m f

	mkdir -p "$to"
	for m in $DBG_MODULES; do
		f=$(cd "$from" && find lib/modules -name "$m.ko" | head -n 1)
		[[ -n $f ]] || die "the -dbg package has no $m.ko"
		mkdir -p "$to/$(dirname "$f")"
		mv "$from/$f" "$to/$f"
	done
}

# download PACKAGE: its .deb (for $ARCH) in $CACHE/debs, downloaded
# unless there.
download() {
	local pkg=$1:$ARCH ver deb

	ver=$(apt-cache show --no-all-versions "$pkg" 2>/dev/null |
		sed -n 's/^Version: //p' | head -n 1)
	[[ -n $ver ]] || die "$pkg is not in the archive (apt-get update? dpkg --add-architecture for a foreign one?)"
	# The file name apt-get download gives it: ':' in versions as %3a.
	deb="$CACHE/debs/${1}_${ver//:/%3a}_$ARCH.deb"
	if [[ ! -s $deb ]]; then
		log "downloading $pkg $ver"
		# As root, apt would drop to _apt, which cannot write the cache.
		(cd "$CACHE/debs" && apt-get download -qq -o APT::Sandbox::User=root "$pkg") >&2 ||
			die "apt-get download $pkg failed"
		[[ -s $deb ]] || die "apt-get download $pkg left no $deb"
	fi
	echo "$deb"
}

# cached DIR: DIR holds what this flavour needs, for this list of modules
# (a cache made for another list is extracted again).
cached() {
	local dir=$1 m

	[[ -s $dir/vmlinuz && -s $dir/release && -e $dir/modules/load-order ]] ||
		return 1
	# From modules.dep: the list is what it is, possibly empty.
	[[ -n $DEP_MODULES ||
		$(paste -sd ' ' "$dir/modules/load-order") == "$MODULES" ]] || return 1
	[[ $ARCH == amd64 || (-s $dir/vmlinux.sym && -x $dir/busybox) ]] || return 1
	[[ -z $WITH_DBG || (-s $dir/vmlinux && -d $dir/modules-dbg) ]] || return 1
	for m in $DBG_MODULES; do
		[[ -n $(find "$dir/modules-dbg" -name "$m.ko") ]] || return 1
	done
}

# extract_dbg TMP DEB RELEASE: the debug vmlinux and the modules' debug
# files, into TMP/out.
extract_dbg() {
	local tmp=$1 deb=$2 rel=$3 pats

	mapfile -t pats < <(dbg_module_patterns "$rel")
	dpkg-deb --fsys-tarfile "$deb" |
		tar -x -C "$tmp" --wildcards './usr/lib/debug/boot/*' "${pats[@]}" ||
		die "no ./usr/lib/debug/boot/ or modules $MODULES in $deb"
	[[ -s $tmp/usr/lib/debug/boot/vmlinux-$rel ]] ||
		die "$deb has no usr/lib/debug/boot/vmlinux-$rel"
	take_module_debug "$tmp" "$tmp/out/modules-dbg"
	mv "$tmp/usr/lib/debug/boot/vmlinux-$rel" "$tmp/out/vmlinux"
}

# extract_img TMP DEB RELEASE: the bzImage and $MODULES, into TMP/out.
extract_img() {
	local tmp=$1 deb=$2 rel=$3 pats m

	mapfile -t pats < <(module_patterns "$rel")
	dpkg-deb --fsys-tarfile "$deb" |
		tar -x -C "$tmp" "./boot/vmlinuz-$rel" --wildcards "${pats[@]}" ||
		die "no ./boot/vmlinuz-$rel or modules $MODULES in $deb"
	for m in $MODULES; do
		find "$tmp/lib/modules" -name "$m.ko" -exec mv {} "$tmp/out/modules/" \;
		[[ -s $tmp/out/modules/$m.ko ]] || die "$deb has no $m.ko"
		echo "$m" >>"$tmp/out/modules/load-order"
	done
}

# modinfo_depends KO: the depends= of a module's .modinfo (NUL-separated
# strings), which a compressed module keeps inside its compression.
modinfo_depends() {
	case $1 in
	*.xz) xz -dc "$1" ;;
	*.zst) zstd -qdc "$1" ;;
	*) cat "$1" ;;
	esac | tr '\0' '\n' | sed -n 's/^depends=//p' | head -n 1
}

# vm_module_paths MODULES_DIR NAME...: the paths (under MODULES_DIR) of
# the modules NAMEs are and need (their .modinfo depends=), dependencies
# first, each once; nothing for a NAME built into the kernel.
vm_module_paths() {
	local mdir=$1 name path deps ext

	shift
	for name in "$@"; do
		grep -qE "(^|/)$name\.ko\$" "$mdir/modules.builtin" && continue
		path=$(grep -E "(^|/)$name\.ko(\.[a-z]+)?\$" "$mdir/modules.order" | head -n 1)
		[[ -n $path ]] || die "$name is neither a module nor built in"
		# modules.order may name NAME.ko where the package has it compressed.
		for ext in "" .xz .zst; do
			[[ ! -e $mdir/$path$ext ]] || break
		done
		path=$path$ext
		[[ -e $mdir/$path ]] || die "no $path (or compressed) under $mdir"
		deps=$(modinfo_depends "$mdir/$path")
		# shellcheck disable=SC2086 # a comma-separated list
		[[ -z $deps ]] || vm_module_paths "$mdir" ${deps//,/ }
		echo "$path"
	done | awk '!seen[$0]++'
}

# extract_dep_img TMP DEB RELEASE: the kernel image and the modules of
# $DEP_MODULES with what they need, decompressed (busybox insmod takes
# plain .ko), into TMP/out.
extract_dep_img() {
	local tmp=$1 deb=$2 rel=$3 mdir=$1/lib/modules/$3 paths p m

	dpkg-deb --fsys-tarfile "$deb" |
		tar -x -C "$tmp" "./boot/vmlinuz-$rel" "./lib/modules/$rel" ||
		die "no ./boot/vmlinuz-$rel or ./lib/modules/$rel in $deb"
	# shellcheck disable=SC2086 # a list of names
	paths=$(vm_module_paths "$mdir" $DEP_MODULES) || exit 1
	mapfile -t paths <<<"$paths"
	: >"$tmp/out/modules/load-order"
	for p in "${paths[@]}"; do
		[[ -n $p ]] || continue
		m=$(basename "$p")
		case $m in
		*.xz) xz -dc "$mdir/$p" >"$tmp/out/modules/${m%.xz}" ;;
		*.zst) zstd -qdc "$mdir/$p" >"$tmp/out/modules/${m%.zst}" ;;
		*) mv "$mdir/$p" "$tmp/out/modules/$m" ;;
		esac || die "cannot decompress $p"
		echo "${m%.ko*}" >>"$tmp/out/modules/load-order"
	done
}

# symbols_only VMLINUX OUT: VMLINUX without its DWARF and without the
# contents of its loaded sections (as --only-keep-debug leaves them:
# NOBITS, their addresses kept), but with .symtab, the notes (the
# build-id) and .BTF, put back from the original: 18 MB of the 6.12
# -dbg vmlinux's 350 MB. In three steps: one objcopy that both removes
# sections and keeps only debug ones leaves .rela.dyn's link to .symtab
# pointing past the end, which objcopy then refuses to read.
symbols_only() {
	local in=$1 out=$2 oc=aarch64-linux-gnu-objcopy

	if ! "$oc" -O binary --only-section=.BTF "$in" "$out.btf" ||
		! "$oc" --remove-section='.debug_*' --remove-section=.BTF "$in" "$out.1" ||
		! "$oc" --only-keep-debug "$out.1" "$out.2" ||
		! "$oc" --add-section .BTF="$out.btf" "$out.2" "$out"; then
		die "$oc on $in failed"
	fi
	rm -f "$out.btf" "$out.1" "$out.2"
}

# extract_busybox TMP: busybox-static's /bin/busybox, into TMP/out.
extract_busybox() {
	local tmp=$1 deb

	deb=$(download busybox-static)
	dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$tmp" ./bin/busybox ||
		die "no ./bin/busybox in $deb"
	mv "$tmp/bin/busybox" "$tmp/out/busybox"
}

main() {
	local abi rel dir deb_img deb_dbg='' tmp t0

	install_tools
	mkdir -p "$CACHE/debs" || die "cannot create $CACHE"
	# One fetch at a time: another test run may be filling the cache.
	exec 9>"$CACHE/.lock"
	flock -w 600 9 || die "$CACHE/.lock stayed locked for 10 minutes"

	abi=${KMEMSNOOP_GUEST_KERNEL:-$(newest_abi)}
	if [[ -z $abi ]]; then
		abi=$(cached_abi)
		[[ -n $abi ]] || die "no linux-image-$SERIES.*-$SUFFIX-unsigned${WITH_DBG:+ and -dbg} in the archive and none cached"
		log "archive lists no $FLAVOUR kernel; using cached $abi"
	fi
	rel=$abi-$SUFFIX
	dir=$CACHE/$SUBDIR$rel
	if cached "$dir"; then
		log "using cached $dir"
		echo "$dir"
		return 0
	fi

	t0=$SECONDS
	deb_img=$(download "linux-image-$rel-unsigned")
	[[ -n $WITH_DBG ]] && deb_dbg=$(download "linux-image-$rel-dbg")
	log "downloads ready in $((SECONDS - t0)) s"

	t0=$SECONDS
	tmp=$(mktemp -d "$CACHE/.extract.XXXXXX")
	# shellcheck disable=SC2064 # expand now: tmp is local
	trap "rm -rf '$tmp'" EXIT
	mkdir -p "$tmp/out/modules"
	if [[ -n $DEP_MODULES ]]; then
		extract_dep_img "$tmp" "$deb_img" "$rel"
	else
		extract_img "$tmp" "$deb_img" "$rel"
	fi
	[[ -z $deb_dbg ]] || extract_dbg "$tmp" "$deb_dbg" "$rel"
	if [[ $ARCH != amd64 ]]; then
		symbols_only "$tmp/out/vmlinux" "$tmp/out/vmlinux.sym"
		extract_busybox "$tmp"
	fi
	mv "$tmp/boot/vmlinuz-$rel" "$tmp/out/vmlinuz"
	echo "$rel" >"$tmp/out/release"
	rm -rf "$dir"
	mkdir -p "$(dirname "$dir")"
	mv "$tmp/out" "$dir"
	log "extracted in $((SECONDS - t0)) s to $dir"
	echo "$dir"
}

main "$@"
