#!/bin/bash
# make demo: watch the first four bytes of the kernel's BTF (the symbol
# __start_BTF) while reading them through /sys/kernel/btf/vmlinux, then
# show the report. Needs root, like kmemsnoop itself.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
trace="$dir/kmemsnoop.data"

echo "\$ kmemsnoop record -o kmemsnoop.data rw4 __start_BTF -- trigger /sys/kernel/btf/vmlinux 0 4 1000"
build/kmemsnoop record -o "$trace" rw4 __start_BTF -- \
	build/trigger /sys/kernel/btf/vmlinux 0 4 1000 >/dev/null
echo
echo "\$ kmemsnoop report --header"
build/kmemsnoop report -i "$trace" --header | sed "s|$dir/||"
echo
echo "\$ kmemsnoop report"
build/kmemsnoop report -i "$trace"
echo "\$ kmemsnoop report --hits | head -9"
build/kmemsnoop report -i "$trace" --hits >"$dir/hits.txt"
head -9 "$dir/hits.txt"
