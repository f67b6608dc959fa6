#!/bin/bash
# make demo: watch the first four bytes of the kernel's BTF (the symbol
# __start_BTF) while reading them through /sys/kernel/btf/vmlinux, then
# show the report. Needs root, like kmemsnoop itself.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
km=$top/build/kmemsnoop
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
# The trace is written as kmemsnoop.data in a directory of its own.
cd "$dir"

echo "\$ kmemsnoop record rw4 __start_BTF -- trigger /sys/kernel/btf/vmlinux 0 4 1000"
"$km" record rw4 __start_BTF -- \
	"$top/build/trigger" /sys/kernel/btf/vmlinux 0 4 1000 >/dev/null
echo
echo "\$ kmemsnoop report --header"
"$km" report --header
echo
echo "\$ kmemsnoop report"
"$km" report
echo "\$ kmemsnoop report --hits | head -9"
"$km" report --hits >hits.txt
head -9 hits.txt
