# shellcheck shell=bash disable=SC2317,SC2034 # sourced; REASON is read by check
# SPDX-License-Identifier: GPL-2.0
#
# The guest tier's USB part: Debian's generic kernel (the cloud kernel is
# built without USB) booted with QEMU's xHCI controller and USB tablet runs
# tests/guest/guest-usb.sh, which records fields of two struct usb_device
# objects (the tablet, 1-1, and the root hub, usb1) while reading their
# sysfs id files. The reference is the device itself: QEMU's tablet is
# 0627:0001 and a Linux root hub's vendor is 1d6b, and each read of an id
# file reads its field once. The generic kernel's -dbg package is not
# fetched (860 MB), so report names frames from the kallsyms snapshot.
# Sourced by test_guest.sh after lib.sh; the setup steps switch BOOT and
# OUT to this guest's.

TABLET_IDS="0627 0001" # QEMU's usb-tablet: idVendor idProduct
HUB_VENDOR=1d6b        # Linux Foundation, every Linux root hub

step_usb_fetch() {
	local t0=$SECONDS

	# From here on give_up shows this guest's console, not the first one's.
	BOOT=$WORK/usb OUT=$WORK/usb/out FAILED_STEP=

	USB_KDIR=$(tools/guest/fetch.sh generic 2>"$WORK/usb-fetch.log" | tail -n 1)
	[[ -n $USB_KDIR && -s $USB_KDIR/vmlinuz ]] || {
		bad "$(tail -n 1 "$WORK/usb-fetch.log")"
		return
	}
	TIMINGS+=", usb fetch $((SECONDS - t0)) s"
	REASON="$(cat "$USB_KDIR/release"): $(sed -n 's/^fetch: //p' "$WORK/usb-fetch.log" | paste -sd ';' - | sed 's/;/; /g')"
}

step_usb_initramfs() {
	make_initramfs "usb initramfs" "$USB_KDIR" tests/guest/guest-usb.sh "$WORK/usb-initrd.gz"
}

step_usb_boot() {
	timed_boot "usb boot" "$USB_KDIR" "$WORK/usb-initrd.gz" -device qemu-xhci -device usb-tablet
}

step_usb_guest() {
	guest_steps || return
	# shellcheck source=/dev/null # written by guest-usb.sh
	. "$OUT/params"
	if ! report -i "$OUT/usb.data" >"$WORK/usb.report" 2>/dev/null ||
		! report -i "$OUT/usb.data" --hits >"$WORK/usb.hits" 2>/dev/null; then
		bad "report of usb.data failed"
		return
	fi
}

# watch_hits N: the hit count of watch N in the default report.
watch_hits() {
	sed -n "s/^# watch $1: .*: \([0-9]*\) hits\$/\1/p" "$WORK/usb.report"
}

# The sysfs ids are QEMU's, and each watch saw exactly its file's reads.
check_usb_hits() {
	local ids got want

	ids=$(cat "$OUT/ids")
	[[ $ids == "$TABLET_IDS $HUB_VENDOR" ]] || {
		bad "sysfs ids '$ids', QEMU's devices are '$TABLET_IDS $HUB_VENDOR'"
		return
	}
	got="$(watch_hits 0) $(watch_hits 1) $(watch_hits 2)"
	want="$VENDOR_READS $PRODUCT_READS $HUB_READS"
	[[ $got == "$want" ]] || {
		bad "hits per watch: $got, reads of idVendor, idProduct, usb1/idVendor: $want"
		return
	}
	REASON="$got hits for $want reads"
}

# Every hit carries its field's value (the descriptor is little-endian,
# as is x86) and a stack through the sysfs show function of that field.
check_usb_values() {
	local bad_hits

	bad_hits=$(awk -v v0=$((16#0627)) -v v1=$((16#0001)) -v v2=$((16#$HUB_VENDOR)) '
		function end_hit() {
			if (w != "" && (val != want[w] || !seen)) { n++; if (!first) first = line }
		}
		BEGIN { want[0] = v0; want[1] = v1; want[2] = v2
			fn[0] = "idVendor_show"; fn[1] = "idProduct_show"; fn[2] = "idVendor_show" }
		/^#[0-9]/ {
			end_hit()
			line = $0; seen = 0
			w = $0; sub(/.* watch /, "", w); sub(/ .*/, "", w)
			val = $0; sub(/.* -> /, "", val); sub(/\).*/, "", val)
			next
		}
		$2 == fn[w] { seen = 1 }
		END { end_hit(); if (n) print n " hits wrong, first: " first }
	' "$WORK/usb.hits")
	[[ -z $bad_hits ]] || {
		bad "$bad_hits"
		return
	}
	REASON="values 0x0627, 0x0001, 0x$HUB_VENDOR; stacks through idVendor_show/idProduct_show [usbcore]"
}

# offsetof reads struct usb_device from usbcore's BTF; the watch is that
# far into the object the header names.
check_usb_offsetof() {
	local off obj addr

	off=$(sed -n 's/^offsetof(struct usb_device, descriptor\.idVendor) = \([0-9]*\) .*, size 2, .*/\1/p' "$OUT/offsetof.txt")
	obj=$(header_field "$OUT/usb.data" watch-0-object |
		sed -n "s/^usb-dev $DEV (struct usb_device at \(0x[0-9a-f]*\))\$/\1/p")
	addr=$(watch_addr "$OUT/usb.data")
	[[ -n $off && -n $obj && -n $addr ]] || {
		bad "offsetof '$(head -c 200 "$OUT/offsetof.txt")', object '$obj', watch '$addr'"
		return
	}
	((addr - obj == off)) || {
		bad "watch at $addr is $((addr - obj)) bytes into $obj; offsetof says $off"
		return
	}
	REASON="descriptor.idVendor at +$off in struct usb_device $obj"
}

# A missing device lists the devices there are (not the interfaces); an
# interface is refused by name.
check_usb_errors() {
	local e

	e=$(cat "$OUT/no_device.err")
	[[ $(cat "$OUT/no_device.rc") == 2 && $(wc -l <"$OUT/no_device.err") == 1 &&
		$e == *9-9* && $e == *"$DEV"* && $e == *"$HUB"* && $e != *"$DEV:1.0"* ]] || {
		bad "no such device: exit $(cat "$OUT/no_device.rc"), '$e'"
		return
	}
	e=$(cat "$OUT/interface.err")
	[[ $(cat "$OUT/interface.rc") == 2 && $(wc -l <"$OUT/interface.err") == 1 &&
		$e == *"$DEV:1.0"* ]] || {
		bad "an interface: exit $(cat "$OUT/interface.rc"), '$e'"
		return
	}
	REASON="$(cat "$OUT/no_device.err") / $e"
}
