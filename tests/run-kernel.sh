#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make kernel-tests: runs every test_* function of tests/kernel/test_*.sh
# against the running kernel, each in its own subshell and temp dir.
# Prints one line per test (PASS/FAIL/SKIP name: reason) and a summary;
# exits 1 if any test failed.
#
#   tests/run-kernel.sh [PATTERN]   only the tests whose name matches
#                                   the extended regex PATTERN
#
# KM_TEST_FILES="counts stacks" runs only tests/kernel/test_counts.sh and
# test_stacks.sh; KM_TEST_TIMEOUT is the per-test limit (90 s, times
# KM_TIME_SCALE: see tests/kernel/lib.sh).
set -u
cd "$(dirname "$0")/.." || exit 1

# shellcheck source=tests/kernel/lib.sh
. tests/kernel/lib.sh

filter=${1:-.}
per_test_timeout=${KM_TEST_TIMEOUT:-$(scaled 90)}

for bin in "$KM" "$TRIGGER"; do
	if [[ ! -x $bin ]]; then
		echo "run-kernel: $bin is missing: run 'make all build/trigger' first" >&2
		exit 1
	fi
done

SUITE_TMP=$(mktemp -d "${TMPDIR:-/tmp}/kmemsnoop-kernel-tests.XXXXXX") || exit 1
trap 'rm -rf "$SUITE_TMP"' EXIT
trap 'exit 130' INT TERM

# Every test is skipped, with one reason, when BPF or hardware
# breakpoints are not permitted here; nothing else may skip.
skip_reason=$(kernel_unavailable_reason)

tests=()
# KM_TEST_FILES: only these files (names without test_ and .sh).
files=()
for f in tests/kernel/test_*.sh; do
	if [[ -n ${KM_TEST_FILES-} ]]; then
		b=${f##*/test_}
		[[ " $KM_TEST_FILES " == *" ${b%.sh} "* ]] || continue
	fi
	files+=("$f")
done
for f in "${files[@]}"; do
	# shellcheck source=/dev/null
	. "$f"
	while read -r name; do
		tests+=("$name")
	done < <(sed -n 's/^\(test_[A-Za-z0-9_]*\)[[:space:]]*()[[:space:]]*{.*$/\1/p' "$f")
done

ran=0 passed=0 failed=0 skipped=0

# Runs one test function in a subshell; prints its status, RESULT_FILE
# holds the reason.
run_one() {
	local fn=$1 dir=$2

	(
		cd "$dir" || exit 1
		trap cleanup_bg EXIT
		trap 'exit 143' TERM
		"$fn"
	) </dev/null >"$dir/.out" 2>&1 &
	local pid=$! rc
	if wait_pid "$pid" "$per_test_timeout"; then rc=0; else rc=$?; fi
	if ((rc == 124)); then
		echo "timed out after ${per_test_timeout} s" >"$RESULT_FILE"
		rc=1
	fi
	return "$rc"
}

# Pids of processes still running in DIR (their cwd), e.g. a kmemsnoop
# a test lost track of.
leftovers() {
	local pid

	for pid in $(pids_in "$1" sub); do
		[[ $pid != "$$" && $pid != "$BASHPID" ]] || continue
		alive "$pid" && echo "$pid"
	done
}

# Ends (by pid) what a test left running in DIR; prints what it was.
reap_leftovers() {
	local pids p deadline=$((SECONDS + 2))

	# What is on its way out gets a moment to finish.
	while pids=$(leftovers "$1") && [[ -n $pids ]] && ((SECONDS < deadline)); do
		nap 0.05
	done
	[[ -n $pids ]] || return 0
	for p in $pids; do
		printf '%s ' "$p:$(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | cut -c1-60)"
		kill -TERM "$p" 2>/dev/null
	done
	deadline=$((SECONDS + 3))
	for p in $pids; do
		while alive "$p" && ((SECONDS < deadline)); do nap 0.05; done
		kill -KILL "$p" 2>/dev/null
	done
}

for fn in "${tests[@]}"; do
	name=${fn#test_}
	[[ $name =~ $filter ]] || continue
	ran=$((ran + 1))
	if [[ -n $skip_reason ]]; then
		echo "SKIP $name: $skip_reason"
		skipped=$((skipped + 1))
		continue
	fi
	dir=$(mktemp -d "$SUITE_TMP/$name.XXXXXX")
	RESULT_FILE=$dir/.result
	: >"$RESULT_FILE"
	export RESULT_FILE
	start=$SECONDS
	if run_one "$fn" "$dir"; then rc=0; else rc=$?; fi
	reason=$(head -n 1 "$RESULT_FILE")
	left=$(reap_leftovers "$dir")
	if [[ -n $left ]]; then
		reason="${reason:+$reason; }left running: $left"
		((rc == 0 || rc == 77)) && rc=1
	fi
	took="($((SECONDS - start)) s)"
	case $rc in
	0)
		echo "PASS $name${reason:+: $reason} $took"
		passed=$((passed + 1))
		;;
	77)
		echo "SKIP $name: $reason"
		skipped=$((skipped + 1))
		;;
	*)
		[[ -n $reason ]] || reason="exit $rc: $(tail -n 3 "$dir/.out" | tr '\n' ' ')"
		echo "FAIL $name: $reason $took"
		failed=$((failed + 1))
		;;
	esac
done

echo "kernel: $ran ran, $passed passed, $failed failed, $skipped skipped"
((failed == 0))
