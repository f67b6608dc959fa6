#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make kernel-tests: the kernel tier (tests/run-kernel.sh) wherever
# hardware breakpoints fire, on real kernels:
#
#   host      this machine's kernel, when `kmemsnoop check` sees a data
#             watch fire here (some hypervisors accept breakpoints and
#             never fire them: then the host tier is not run, saying why)
#   vm-6.12   always: every kernel test, in tools/vm/run's TCG guest on
#             Debian 12's 6.12 cloud kernel
#   vm-6.1    always: the core files (counts vs perf, stacks, objects,
#             filters, crash safety) on Debian 12's 6.1 cloud kernel,
#             at the same time as vm-6.12
#
# Each tier prints its tests' lines as they finish, prefixed with its
# name; the last lines sum the tiers up: where each ran, its counts and
# how long it took. Exits 1 if a tier failed, or if none could run.
#
#   tests/run-kernel-tiers.sh [host|vm-6.12|vm-6.1|host-else-vm]...
#
# runs only these tiers; host-else-vm is the host tier where breakpoints
# fire here, else the vm-6.12 tier.
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

LOGS=$(mktemp -d "${TMPDIR:-/tmp}/kmemsnoop-tiers.XXXXXX") || exit 1
trap 'rm -rf "$LOGS"' EXIT

# run_tier NAME CMD...: runs one tier, its lines prefixed with [NAME];
# writes its status, seconds and summary line to $LOGS/NAME.result.
run_tier() {
	local name=$1 t0=$SECONDS rc line

	shift
	"$@" 2>&1 | tee "$LOGS/$name.log" | sed -u "s/^/[$name] /"
	rc=${PIPESTATUS[0]}
	line=$(grep -E '^kernel: [0-9]+ ran' "$LOGS/$name.log" | tail -n 1)
	printf '%s %s %s\n' "$rc" $((SECONDS - t0)) "${line:-exit $rc}" >"$LOGS/$name.result"
}

# note NAME: the tier's result into the summary.
note() {
	local rc secs line

	read -r rc secs line <"$LOGS/$1.result"
	ran=$((ran + 1))
	((rc == 0)) || failed=$((failed + 1))
	summary+=("$(printf '%-8s %-6s %5d s  %s' "$1" "$( ((rc == 0)) && echo ok || echo FAILED)" \
		"$secs" "$line")")
}

# The VM tiers run side by side: each guest's emulated CPUs take turns
# on one host thread (tools/vm/run), so two guests use both of this
# machine's CPUs.
vm_tiers=()
for t in "${TIERS[@]}"; do
	case $t in
	host-else-vm)
		why=$(host_verdict)
		if [[ -n $why ]]; then
			echo "== kernel tier: host ($(uname -r)) not run: breakpoints do not fire here: $why; the 6.12 VM instead"
			vm_tiers+=(vm-6.12)
		else
			echo "== kernel tier: host ($(uname -r))"
			run_tier host tests/run-kernel.sh
			note host
		fi
		;;
	host)
		why=$(host_verdict)
		if [[ -n $why ]]; then
			echo "== kernel tier: host ($(uname -r)) not run: breakpoints do not fire here: $why"
			summary+=("$(printf '%-8s %-6s %7s  %s' host "not run" "" "kmemsnoop check: $why")")
		else
			echo "== kernel tier: host ($(uname -r))"
			run_tier host tests/run-kernel.sh
			note host
		fi
		;;
	vm-6.12 | vm-6.1) vm_tiers+=("$t") ;;
	*)
		echo "run-kernel-tiers: unknown tier '$t' (host, vm-6.12, vm-6.1, host-else-vm)" >&2
		exit 2
		;;
	esac
done

for t in "${vm_tiers[@]}"; do
	v=${t#vm-} files=$FILES_612
	[[ $v == 6.12 ]] || files=$FILES_61
	echo "== kernel tier: $t (Debian's $v cloud kernel in tools/vm/run, $CPUS CPUs, TCG)${files:+: $files}"
	run_tier "$t" tools/vm/run --kernel "$v" --cpus "$CPUS" -- \
		env KM_TEST_FILES="$files" tests/run-kernel.sh &
done
wait
for t in "${vm_tiers[@]}"; do
	note "$t"
done

echo "== kernel tiers (KMEMSNOOP=$KM):"
printf '   %s\n' "${summary[@]}"
((ran > 0)) || {
	echo "run-kernel-tiers: no kernel tier could run" >&2
	exit 1
}
((failed == 0))
