#!/bin/bash
# make demo: watch the first four bytes of the kernel's BTF (the symbol
# __start_BTF) while reading them through /sys/kernel/btf/vmlinux, then
# show the report. Needs root, like kmemsnoop itself.
#
# Where this machine's breakpoints do not fire (`kmemsnoop check` says
# why), the same demo runs in the test VM (tools/vm/run: Debian's 6.12
# kernel under QEMU, whose emulated CPU fires them), saying so first.
# Exits 1 if the recording holds no hits at all.
#
#   tools/demo.sh [--here|--vm]   --here: run here, whatever check says;
#                                 --vm: run in the test VM in any case
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
km=$top/build/kmemsnoop

case ${1-} in
--here) ;;
--vm)
	echo "make demo: in the test VM (tools/vm/run: Debian's 6.12 kernel under QEMU)"
	cd "$top"
	exec tools/vm/run -- tools/demo.sh --here
	;;
*)
	why=$("$top/tools/fires-here.sh" "$km")
	if [[ -n $why ]]; then
		echo "make demo: this machine's hardware breakpoints do not fire (kmemsnoop check: $why);"
		echo "make demo: running the demo in the test VM instead (tools/vm/run: Debian's 6.12 kernel under QEMU)"
		echo
		cd "$top"
		exec tools/vm/run -- tools/demo.sh --here
	fi
	;;
esac

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
# The trace is written as kmemsnoop.data in a directory of its own.
cd "$dir"

echo "\$ kmemsnoop record rw4 __start_BTF -- trigger /sys/kernel/btf/vmlinux 0 4 1000"
"$km" record rw4 __start_BTF -- \
	"$top/build/trigger" /sys/kernel/btf/vmlinux 0 4 1000 >/dev/null
echo
echo "\$ kmemsnoop report --header"
"$km" report --header | tee header.txt
echo
echo "\$ kmemsnoop report"
"$km" report
echo "\$ kmemsnoop report --hits | head -9"
"$km" report --hits >hits.txt
head -9 hits.txt
hits=$(sed -n 's/^hits: //p' header.txt)
if [[ ! $hits =~ ^[1-9][0-9]*$ ]]; then
	echo "make demo: the recording holds no hits (${hits:-no count}): run 'kmemsnoop check' to see why" >&2
	exit 1
fi
