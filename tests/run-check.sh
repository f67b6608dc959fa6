#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: every tier, one after another, each through its own make
# target; a failed tier does not stop the others. Ends with one line per
# tier (ok or FAILED, and how long it took) and exits 1 if any failed.
#
#   tests/run-check.sh TARGET...
set -u
cd "$(dirname "$0")/.." || exit 1

results=()
failed=0
t_all=$SECONDS
for target in "$@"; do
	t0=$SECONDS
	echo "== make $target"
	if make --no-print-directory "$target"; then
		status=ok
	else
		status=FAILED
		failed=$((failed + 1))
	fi
	results+=("$(printf '%-15s %-6s %5d s' "$target" "$status" $((SECONDS - t0)))")
done
echo "== make check: $(($# - failed)) of $# tiers passed in $((SECONDS - t_all)) s"
printf '   %s\n' "${results[@]}"
((failed == 0))
