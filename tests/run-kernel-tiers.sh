#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make kernel-tests: the kernel tier (tests/run-kernel.sh) wherever
# hardware breakpoints fire, on real kernels:
#
#   host      this machine's kernel, when `kmemsnoop check` sees a data
#             watch fire here (some hypervisors accept breakpoints and
#             never fire them: then the host tier is not run, saying why)
#   vm 6.12   always: every kernel test, in tools/vm/run's TCG guest on
#             Debian 12's 6.12 cloud kernel
#   vm 6.1    always: the core files (counts vs perf, stacks, objects,
#             filters, crash safety) on Debian 12's 6.1 cloud kernel
#
# Each tier prints its tests' lines as they finish, then where it ran and
# how long it took; the last lines sum the tiers up. Exits 1 if a tier
# failed, or if no tier could run at all.
#
#   tests/run-kernel-tiers.sh [host|vm-6.12|vm-6.1]...   only these tiers
#
# Environment: KMEMSNOOP (the binary under test, default build/kmemsnoop),
# KM_VM_CPUS (guest CPUs, default 2), KM_VM_612_FILES and KM_VM_61_FILES
# (the test files each VM tier runs, as names without test_ and .sh;
# 6.12: all, 6.1: the core files).
set -u
cd "$(dirname "$0")/.." || exit 1

KM=${KMEMSNOOP:-$PWD/build/kmemsnoop}
CPUS=${KM_VM_CPUS:-2}
FILES_612=${KM_VM_612_FILES-}
FILES_61=${KM_VM_61_FILES:-"counts stacks objects filters crash check"}
TIERS=("$@")
((${#TIERS[@]})) || TIERS=(host vm-6.12 vm-6.1)

summary=()
failed=0 ran=0

# host_verdict: why the host tier cannot run, or nothing when it can.
host_verdict() {
	local json

	json=$("$KM" check --format json 2>/dev/null)
	[[ -n $json ]] || {
		echo "kmemsnoop check gave no answer"
		return
	}
	jq -e '.checks[] | select(.name == "kernel-watch-fires") | .status == "ok"' \
		<<<"$json" >/dev/null && return
	jq -r '[.checks[] | select(.required and .status != "ok") |
		"\(.name) \(.status): \(.detail)"] | join("; ")' <<<"$json" | tr -d '\000-\037'
}

# tier NAME TESTS_CMD...: runs one tier, noting its result and time.
tier() {
	local name=$1 t0=$SECONDS rc out line

	shift
	echo "== kernel tier: $name"
	out=$(mktemp) || exit 1
	"$@" 2>&1 | tee "$out"
	rc=${PIPESTATUS[0]}
	line=$(grep -E '^kernel: [0-9]+ ran' "$out" | tail -n 1)
	rm -f "$out"
	ran=$((ran + 1))
	((rc == 0)) || failed=$((failed + 1))
	summary+=("$(printf '%-8s %-6s %5d s  %s' "$name" "$( ((rc == 0)) && echo ok || echo FAILED)" \
		$((SECONDS - t0)) "${line:-exit $rc}")")
}

for t in "${TIERS[@]}"; do
	case $t in
	host)
		why=$(host_verdict)
		if [[ -n $why ]]; then
			echo "== kernel tier: host ($(uname -r)) not run: breakpoints do not fire here: $why"
			summary+=("$(printf '%-8s %-6s %7s  %s' host "not run" "" "kmemsnoop check: $why")")
		else
			tier "host" tests/run-kernel.sh
		fi
		;;
	vm-6.12)
		tier "vm 6.12" tools/vm/run --kernel 6.12 --cpus "$CPUS" -- \
			env KM_TEST_FILES="$FILES_612" tests/run-kernel.sh
		;;
	vm-6.1)
		tier "vm 6.1" tools/vm/run --kernel 6.1 --cpus "$CPUS" -- \
			env KM_TEST_FILES="$FILES_61" tests/run-kernel.sh
		;;
	*)
		echo "run-kernel-tiers: unknown tier '$t' (host, vm-6.12, vm-6.1)" >&2
		exit 2
		;;
	esac
done

echo "== kernel tiers (KMEMSNOOP=$KM):"
printf '   %s\n' "${summary[@]}"
((ran > 0)) || {
	echo "run-kernel-tiers: no kernel tier could run" >&2
	exit 1
}
((failed == 0))
