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
#             filters, crash safety) on Debian 12's 6.1 cloud kernel
#
#   tests/run-kernel-tiers.sh [host|vm-6.12|vm-6.1|host-else-vm]...
#
# runs only these tiers; host-else-vm is the host tier where breakpoints
# fire here, else the vm-6.12 tier.
#
# A VM tier boots one guest per test file, and the guests of all VM tiers
# run KM_VM_JOBS at a time (default: this machine's CPUs; each guest's
# emulated CPUs take turns on one host thread), longest files first. The
# test lines come out as they finish, prefixed with the tier and file;
# the last lines sum each tier up: where it ran, its counts, its time.
# Exits 1 if a tier failed, or if none could run.
#
# Environment: KMEMSNOOP (the binary under test, default build/kmemsnoop),
# KM_VM_CPUS (guest CPUs, default 2), KM_VM_JOBS, KM_VM_612_FILES and
# KM_VM_61_FILES (the test files each VM tier runs, as names without
# test_ and .sh; 6.12: all, 6.1: the core files).
set -u
cd "$(dirname "$0")/.." || exit 1

KM=${KMEMSNOOP:-$PWD/build/kmemsnoop}
CPUS=${KM_VM_CPUS:-2}
JOBS=${KM_VM_JOBS:-$(nproc)}
ALL_FILES=$(for f in tests/kernel/test_*.sh; do
	f=${f##*/test_}
	echo "${f%.sh}"
done)
FILES_612=${KM_VM_612_FILES:-$ALL_FILES}
FILES_61=${KM_VM_61_FILES:-"counts stacks objects filters crash check lifetime"}
TIERS=("$@")
((${#TIERS[@]})) || TIERS=(host vm-6.12 vm-6.1)

# Seconds each file took in the 6.12 guest, to start the longest first
# (a file not listed counts as 60).
declare -A WEIGHT=([crash]=344 [filters]=236 [objects]=140 [live]=130
	[accounting]=96 [misuse]=85 [slots]=74 [errors]=68 [report_formats]=49
	[check]=46 [stop]=35 [counts]=25 [report]=23 [stacks]=12)

LOGS=$(mktemp -d "${TMPDIR:-/tmp}/kmemsnoop-tiers.XXXXXX") || exit 1
trap 'rm -rf "$LOGS"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

summary=()
failed=0 ran=0

# host_verdict: why the host tier cannot run, or nothing when it can.
host_verdict() {
	tools/fires-here.sh "$KM"
}

# run_job NAME CMD...: runs CMD, its lines prefixed with [NAME]; writes
# its status, seconds and the runner's summary line to $LOGS/NAME.result.
run_job() {
	local name=$1 rc line t0=$SECONDS

	shift
	"$@" 2>&1 | tee "$LOGS/$name.log" | sed -u "s/^/[$name] /"
	rc=${PIPESTATUS[0]}
	line=$(grep -E '^kernel: [0-9]+ ran' "$LOGS/$name.log" | tail -n 1)
	printf '%s %s %s\n' "$rc" $((SECONDS - t0)) "${line:-no summary: exit $rc}" >"$LOGS/$name.result"
}

# note TIER JOB...: the jobs' results and seconds added up, into the
# summary.
note() {
	local tier=$1 job rc line r=0 p=0 f=0 s=0 bad=0 counts secs=0 t

	shift
	for job in "$@"; do
		read -r rc t line <"$LOGS/$job.result"
		secs=$((secs + t))
		((rc == 0)) || bad=$((bad + 1))
		if [[ $line =~ ^kernel:\ ([0-9]+)\ ran,\ ([0-9]+)\ passed,\ ([0-9]+)\ failed,\ ([0-9]+)\ skipped ]]; then
			r=$((r + BASH_REMATCH[1])) p=$((p + BASH_REMATCH[2]))
			f=$((f + BASH_REMATCH[3])) s=$((s + BASH_REMATCH[4]))
		else
			f=$((f + 1))
			echo "[$job] $line"
		fi
	done
	counts="$r ran, $p passed, $f failed, $s skipped"
	ran=$((ran + 1))
	((bad == 0)) || failed=$((failed + 1))
	summary+=("$(printf '%-8s %-6s %5d s  %s' "$tier" "$( ((bad == 0)) && echo ok || echo FAILED)" \
		"$secs" "$counts")")
}

vm_tiers=()
for t in "${TIERS[@]}"; do
	case $t in
	host | host-else-vm)
		why=$(host_verdict)
		if [[ -z $why ]]; then
			echo "== kernel tier: host ($(uname -r))"
			run_job host tests/run-kernel.sh
			note host host
		elif [[ $t == host ]]; then
			echo "== kernel tier: host ($(uname -r)) not run: breakpoints do not fire here: $why"
			summary+=("$(printf '%-8s %-6s %7s  %s' host "not run" "" "kmemsnoop check: $why")")
		else
			echo "== kernel tier: host ($(uname -r)) not run: breakpoints do not fire here: $why; the 6.12 VM instead"
			vm_tiers+=(vm-6.12)
		fi
		;;
	vm-6.12 | vm-6.1) vm_tiers+=("$t") ;;
	*)
		echo "run-kernel-tiers: unknown tier '$t' (host, vm-6.12, vm-6.1, host-else-vm)" >&2
		exit 2
		;;
	esac
done

# The VM jobs, "WEIGHT TIER FILE", heaviest first.
jobs=()
for t in "${vm_tiers[@]}"; do
	files=$FILES_612
	[[ $t == vm-6.12 ]] || files=$FILES_61
	echo "== kernel tier: $t (Debian's ${t#vm-} cloud kernel in tools/vm/run, $CPUS CPUs, TCG): $(echo $files)"
	for f in $files; do
		jobs+=("${WEIGHT[$f]:-60} $t $f")
	done
done
mapfile -t jobs < <(printf '%s\n' "${jobs[@]}" | sort -k1,1nr)

t0=$SECONDS
running=0
for j in "${jobs[@]}"; do
	[[ -n $j ]] || continue
	read -r _ t f <<<"$j"
	while ((running >= JOBS)); do
		wait -n
		running=$((running - 1))
	done
	run_job "$t:$f" tools/vm/run --kernel "${t#vm-}" --cpus "$CPUS" -- \
		env KM_TEST_FILES="$f" tests/run-kernel.sh &
	running=$((running + 1))
done
wait
for t in "${vm_tiers[@]}"; do
	names=()
	for j in "${jobs[@]}"; do
		read -r _ jt f <<<"$j"
		[[ $jt == "$t" ]] && names+=("$t:$f")
	done
	note "$t" "${names[@]}"
done
((${#vm_tiers[@]} == 0)) ||
	summary+=("VM tiers: $((SECONDS - t0)) s of wall time, $JOBS guests at a time (a tier's time above is its guests' time)")

echo "== kernel tiers (KMEMSNOOP=$KM):"
printf '   %s\n' "${summary[@]}"
((ran > 0)) || {
	echo "run-kernel-tiers: no kernel tier could run" >&2
	exit 1
}
((failed == 0))
