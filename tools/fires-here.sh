#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Asks `kmemsnoop check` whether a data watch fires on this machine
# (some hypervisors accept hardware breakpoints and never fire them).
# Prints nothing when it does; else one line saying why not: the
# required checks that are not ok, or that check gave no answer. Used by
# make demo, make bench and the kernel tiers to pick this machine or the
# test VM.
#
#   tools/fires-here.sh [KMEMSNOOP]   (default build/kmemsnoop)
km=${1:-$(cd "$(dirname "$0")/.." && pwd)/build/kmemsnoop}
json=$("$km" check --format json 2>/dev/null)
if [[ -z $json ]]; then
	echo "kmemsnoop check gave no answer"
	exit 0
fi
jq -e '.checks[] | select(.name == "kernel-watch-fires") | .status == "ok"' \
	<<<"$json" >/dev/null && exit 0
jq -r '[.checks[] | select(.required and .status != "ok") |
	"\(.name) \(.status): \(.detail)"] | join("; ")' <<<"$json" | tr -d '\000-\037'
