#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make doc-tests: the man pages, --help, bash completion and make
# install, none of which needs the kernel. Runs every test_* function
# of tests/doc/test_*.sh in its own subshell and temp dir, with the
# helpers of tests/kernel/lib.sh; prints one line per test and
# "doc: N passed, N failed". test_deb.sh, which installs the Debian
# package on this machine, only when named (make deb-tests):
#
#   tests/run-doc.sh [FILE...]   (default: tests/doc/test_*.sh but test_deb.sh)
set -u
cd "$(dirname "$0")/.." || exit 1

# shellcheck source=tests/kernel/lib.sh
. tests/kernel/lib.sh

[[ -x $KM ]] || { echo "run-doc: $KM is missing: run 'make all' first" >&2; exit 1; }
for tool in man col groff; do
	command -v "$tool" >/dev/null ||
		{ echo "run-doc: no $tool: run 'make deps'" >&2; exit 1; }
done

SUITE_TMP=$(mktemp -d "${TMPDIR:-/tmp}/kmemsnoop-doc-tests.XXXXXX") || exit 1
trap 'rm -rf "$SUITE_TMP"' EXIT

files=("$@")
if ((${#files[@]} == 0)); then
	for f in tests/doc/test_*.sh; do
		[[ $f == tests/doc/test_deb.sh ]] || files+=("$f")
	done
fi

tests=()
for f in "${files[@]}"; do
	# shellcheck source=/dev/null
	. "$f"
	while read -r name; do
		tests+=("$name")
	done < <(sed -n 's/^\(test_[A-Za-z0-9_]*\)[[:space:]]*()[[:space:]]*{.*$/\1/p' "$f")
done

passed=0 failed=0
for fn in "${tests[@]}"; do
	dir=$(mktemp -d "$SUITE_TMP/${fn#test_}.XXXXXX")
	RESULT_FILE=$dir/.result
	: >"$RESULT_FILE"
	export RESULT_FILE
	if (cd "$dir" && "$fn") </dev/null >"$dir/.out" 2>&1; then rc=0; else rc=$?; fi
	reason=$(head -n 1 "$RESULT_FILE")
	if ((rc == 0)); then
		echo "PASS ${fn#test_}${reason:+: $reason}"
		passed=$((passed + 1))
	else
		[[ -n $reason ]] || reason="exit $rc: $(tail -n 3 "$dir/.out" | tr '\n' ' ')"
		echo "FAIL ${fn#test_}: $reason"
		failed=$((failed + 1))
	fi
done
echo "doc: $passed passed, $failed failed"
((failed == 0))
