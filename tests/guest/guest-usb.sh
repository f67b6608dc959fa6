#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Runs inside Debian's generic kernel (the cloud kernel has no USB), booted
# with QEMU's xHCI controller and USB tablet (`-device qemu-xhci -device
# usb-tablet`): watches fields of live struct usb_device objects, whose
# type only the usbcore module's BTF has, and writes what the host checks
# to /out (see guest-run.sh for the console protocol).
#
# Files in /out:
#   usb.data        record --usb-dev 1-1 (the tablet) rw2
#                   '&descriptor.idVendor' rw2 '&descriptor.idProduct'
#                   --usb-dev usb1 (the root hub) rw2 '&descriptor.idVendor'
#                   while 1-1/idVendor is read $VENDOR_READS times,
#                   1-1/idProduct $PRODUCT_READS times and usb1/idVendor
#                   $HUB_READS times (each read reads its field once)
#   ids             idVendor and idProduct of 1-1 and idVendor of usb1, as
#                   sysfs shows them before the record
#   offsetof.txt    kmemsnoop offsetof 'struct usb_device' descriptor.idVendor
#   devices         ls /sys/bus/usb/devices
#   no_device.err, interface.err, and their .rc: kmemsnoop's error line
#                   and exit status for a device that does not exist and for
#                   an interface (1-1:1.0), which is no usb_device
#   release, kallsyms, notes, params, steps, SHA256SUMS

VENDOR_READS=30
PRODUCT_READS=20
HUB_READS=10
DEV=1-1
HUB=usb1
SYS=/sys/bus/usb/devices

# shellcheck source=tests/guest/guest-lib.sh
. /guest-lib.sh

info() {
	uname -r >release &&
		cat /sys/kernel/notes >notes &&
		cat /proc/kallsyms >kallsyms &&
		printf 'VENDOR_READS=%s\nPRODUCT_READS=%s\nHUB_READS=%s\nDEV=%s\nHUB=%s\n' \
			"$VENDOR_READS" "$PRODUCT_READS" "$HUB_READS" "$DEV" "$HUB" >params
}

# The tablet appears once the hub driver has enumerated it.
wait_usb() {
	i=0
	while [ ! -e "$SYS/$DEV/idVendor" ] && [ "$i" -lt 100 ]; do
		usleep 100000
		i=$((i + 1))
	done
	ls "$SYS" >devices
	[ -e "$SYS/$DEV/idVendor" ] || {
		echo "guest: no USB device $DEV after 10 s; $SYS has: $(tr '\n' ' ' <devices)"
		return 1
	}
	printf '%s %s %s\n' "$(cat $SYS/$DEV/idVendor)" "$(cat $SYS/$DEV/idProduct)" \
		"$(cat $SYS/$HUB/idVendor)" >ids
}

offsetof() {
	kmemsnoop offsetof 'struct usb_device' descriptor.idVendor >offsetof.txt
}

# reads FILE N: reads FILE N times.
reads() {
	echo "for i in \$(seq $2); do cat $1 >/dev/null; done;"
}

record_usb() {
	timeout "$STEP_TIMEOUT" kmemsnoop record -o /out/usb.data \
		--usb-dev "$DEV" rw2 '&descriptor.idVendor' rw2 '&descriptor.idProduct' \
		--usb-dev "$HUB" rw2 '&descriptor.idVendor' -- \
		sh -c "$(reads "$SYS/$DEV/idVendor" "$VENDOR_READS") \
			$(reads "$SYS/$DEV/idProduct" "$PRODUCT_READS") \
			$(reads "$SYS/$HUB/idVendor" "$HUB_READS")"
}

# expect_error NAME ARGS...: kmemsnoop ARGS must fail; its stderr and
# exit status go to NAME.err and NAME.rc for the host to check.
expect_error() {
	err_name=$1
	shift
	timeout "$STEP_TIMEOUT" kmemsnoop "$@" 2>"$err_name.err" >/dev/null
	echo $? >"$err_name.rc"
}

errors() {
	expect_error no_device --usb-dev 9-9 rw2 '&descriptor.idVendor' &&
		expect_error interface --usb-dev "$DEV:1.0" rw2 '&descriptor.idVendor'
}

run info info
run wait_usb wait_usb
run offsetof offsetof
run usb record_usb
run errors errors
output
