#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make browser-tests: the SVG flame graph as Chromium renders it. Two
# graphs: a fixed sample tree (odd names, narrow frames left out), and
# one of a trace kmemsnoop records here (four-byte reads of __start_BTF
# by the trigger and head), when this machine lets it watch the kernel.
# check_flamegraph.js opens each in headless Chromium (Debian's chromium
# package, driven by playwright-core, installed here with `npm ci`).
#
#   tests/browser/test_flamegraph.sh [--screenshot PNG]
#
# --screenshot also saves the real trace's graph as PNG (docs/flamegraph.png
# in the README is made so). Needs build/kmemsnoop, build/trigger and
# build/tests/fg_trace: `make browser-tests` builds them and runs this.
set -u
cd "$(dirname "$0")/../.." || exit 1
ROOT=$PWD

screenshot=
if [[ ${1-} == --screenshot && -n ${2-} ]]; then
	screenshot=$(realpath -m "$2")
elif [[ $# -gt 0 ]]; then
	echo "usage: $0 [--screenshot PNG]" >&2
	exit 2
fi

# shellcheck source=tests/kernel/lib.sh
. tests/kernel/lib.sh # KM, TRIGGER, BTF, kernel_unavailable_reason
FG=$ROOT/build/tests/fg_trace

for bin in "$KM" "$TRIGGER" "$FG"; do
	if [[ ! -x $bin ]]; then
		echo "browser: $bin is missing: run 'make browser-tests'" >&2
		exit 1
	fi
done
for cmd in node npm chromium xmllint; do
	if ! command -v "$cmd" >/dev/null; then
		echo "browser: $cmd is missing: run 'make deps'" >&2
		exit 1
	fi
done
if [[ ! -d tests/browser/node_modules/playwright-core ]]; then
	echo "browser: installing playwright-core (npm ci)"
	(cd tests/browser && npm ci --no-audit --no-fund --loglevel=error) ||
		exit 1
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/kmemsnoop-browser.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
# No network for symbols: the trace's own kallsyms snapshot will do.
unset DEBUGINFOD_URLS

passed=0 failed=0 skipped=0

# check NAME SVG ARGS...: one graph through Chromium.
check() {
	local name=$1 svg=$2

	shift 2
	echo "== $name"
	if ! xmllint --noout "$svg"; then
		echo "== $name: not well-formed XML"
		failed=$((failed + 1))
		return
	fi
	if node tests/browser/check_flamegraph.js "$svg" "$@"; then
		passed=$((passed + 1))
	else
		echo "== $name: FAILED"
		failed=$((failed + 1))
	fi
}

sample() {
	"$FG" --sample "$TMP/sample.svg" || {
		failed=$((failed + 1))
		return
	}
	check sample "$TMP/sample.svg" --expect all=5000 --expect trigger=4000 \
		--expect memcpy=3000 --expect vfs_read --expect cat=700 \
		--expect "a<b>&\"'c=250" --expect kworker/0:1=48 \
		--absent narrow --absent too_narrow_to_draw \
		--search vfs_read=94.0 --search '^(memcpy|k\w+)$=74.9' \
		--search '[unknown=5.0' --search "<b>&\"'c=5.0" \
		--search no_such_frame=0.0
}

# Every way the trigger knows to read, where it knows several (-m).
trigger_mode() {
	if "$TRIGGER" -m list >/dev/null 2>&1; then
		echo "-m many"
	fi
}

real_trace() {
	local reason out hits mode

	reason=$(kernel_unavailable_reason)
	if [[ -n $reason ]]; then
		echo "== real trace: SKIP: $reason"
		skipped=$((skipped + 1))
		return
	fi
	mode=$(trigger_mode)
	# shellcheck disable=SC2016 # expanded by the inner sh
	out=$("$KM" record -o "$TMP/trace.data" rw4 __start_BTF -- \
		sh -c '"$0" $1 "$2" 0 4 1000 >/dev/null &&
		       for i in 1 2 3 4 5 6 7 8 9 10; do
		               head -c 4 "$2" >/dev/null
		       done' "$TRIGGER" "$mode" "$BTF" 2>&1)
	hits=$(sed -n 's/^kmemsnoop: recorded \([0-9]*\) hits.*/\1/p' <<<"$out")
	if [[ -z $hits ]] || ! "$FG" "$TMP/trace.data" "$TMP/trace.svg"; then
		echo "== real trace: recording or drawing failed: $out"
		failed=$((failed + 1))
		return
	fi
	check "real trace ($hits hits${mode:+, trigger $mode})" \
		"$TMP/trace.svg" --expect "all=$hits" --expect trigger \
		--expect head --expect do_syscall_64 --expect vfs_read \
		--search vfs_read --search '^(do_sys|ksys_)' \
		${screenshot:+--screenshot "$screenshot"}
}

sample
real_trace
echo "browser: $passed passed, $failed failed, $skipped skipped"
[[ $failed -eq 0 ]]
