#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make bench, arming objects (record --on): the time from the call that
# gives an object to its breakpoints being live, and from the call that
# frees it to their being off. Hits an object takes in that window are
# missed (docs/lifetime.md says so with these figures).
#
# The workload: cat of a small file, ARM_N times, 2 ms apart, under
#   record --comm cat --on vfs_read:file --off __fput:file w8 '&f_pos'
# so each read(2) of a file cat has open arms it (the file, and the
# libraries ld.so reads) and each close disarms it; report's objects
# table gives each arming's latency, and its summary the median and p99.
#
# Where this kernel refuses fentry programs (a lockdown, or no BPF
# trampoline), the figures come from the test VM instead, on Debian's
# 6.12 and 6.1 kernels under QEMU TCG (tools/vm/run): those are the
# emulator's times, slower than native ones, said in the output.
#
# tools/bench.sh runs it and puts its figures in build/bench.json;
# alone: `BENCH_ONLY=arm-latency make bench`. Environment: ARM_N (300;
# 50 with BENCH_QUICK=1), ARM_LATENCY_JSON (default
# build/bench-arm-latency.json), BENCH_KEEP=1. ARM_PHASE=measure (set
# for the VM's run, with the series as $1) measures here and writes one
# JSON object. Markdown
# goes to stdout, progress to stderr.
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$0")/.."
KM=$PWD/build/kmemsnoop
if [ "${BENCH_QUICK:-0}" = 1 ]; then ARM_N=${ARM_N:-50}; else ARM_N=${ARM_N:-300}; fi
JSON=${ARM_LATENCY_JSON:-build/bench-arm-latency.json}
ON=vfs_read:file OFF=__fput:file

die() {
	echo "bench-arm-latency: $*" >&2
	exit 1
}
[ "$(id -u)" = 0 ] || die "needs root (fentry programs, breakpoints)"
[ -x "$KM" ] || die "$KM missing: run make all"
tmp=$(mktemp -d /tmp/kmemsnoop-arm.XXXXXX)
cleanup() {
	if [ -n "${BENCH_KEEP:-}" ]; then echo "bench-arm-latency: kept $tmp" >&2; else rm -rf "$tmp"; fi
}
trap cleanup EXIT

# One recording here; its figures as one JSON object on stdout.
measure() {
	local where=$1 lat
	printf 'abcdef' >"$tmp/f"
	"$KM" record -o "$tmp/t" --comm cat --on "$ON" --off "$OFF" w8 '&f_pos' -- \
		sh -c "for i in \$(seq $ARM_N); do cat '$tmp/f' >/dev/null; sleep 0.002; done" \
		>/dev/null 2>"$tmp/rec.err" || die "record failed: $(head -c 300 "$tmp/rec.err")"
	"$KM" report -i "$tmp/t" >"$tmp/report" 2>"$tmp/rep.err" ||
		die "report failed: $(head -c 300 "$tmp/rep.err")"
	lat=$(grep -m1 '^# arm latency' "$tmp/report") || die "no arm latency in the report"
	[[ $lat =~ median\ ([0-9.]+)\ us,\ p99\ ([0-9.]+)\ us,\ max\ ([0-9.]+)\ us\ over\ ([0-9]+) ]] ||
		die "cannot read '$lat'"
	# Disarms: the objects table's "off after" column, where freed.
	awk '$1 ~ /^[0-9]+$/ && $3 ~ /^0x/ && $(NF-2) == "us" { print $(NF-3) }' "$tmp/report" |
		jq -s --arg where "$where" --arg kernel "$(uname -r)" \
			--argjson calls "$ARM_N" --argjson n "${BASH_REMATCH[4]}" \
			--argjson med "${BASH_REMATCH[1]}" --argjson p99 "${BASH_REMATCH[2]}" \
			--argjson max "${BASH_REMATCH[3]}" -cM '
		sort as $d
		| { where: $where, kernel: $kernel, cat_runs: $calls, armings: $n,
		    arm_us: { median: $med, p99: $p99, max: $max },
		    disarms: ($d | length),
		    disarm_us: (if ($d | length) == 0 then null else
			{ median: $d[(($d | length) - 1) / 2 | floor],
			  p99: $d[(($d | length) * 0.99 | ceil) - 1], max: $d[-1] } end) }'
}

if [ "${ARM_PHASE:-}" = measure ]; then
	measure "test VM, $1, TCG"
	exit 0
fi

: >"$tmp/runs.jsonl"
if "$KM" record -o "$tmp/probe" -d 0.1 --on "$ON" w8 '&f_pos' >/dev/null 2>"$tmp/probe.err"; then
	echo "bench-arm-latency: measuring here" >&2
	measure host >>"$tmp/runs.jsonl"
else
	why=$(head -n1 "$tmp/probe.err")
	echo "bench-arm-latency: here ${why#kmemsnoop: }; measuring in the test VM" >&2
	for k in 6.12 6.1; do
		# The guest writes into this directory, shared read-write.
		tools/vm/run --kernel "$k" -- env BENCH_QUICK="${BENCH_QUICK:-0}" ARM_N="$ARM_N" \
			ARM_PHASE=measure tools/bench_arm_latency.sh "$k" \
			>>"$tmp/runs.jsonl" || die "the run in the $k guest failed"
	done
fi
mkdir -p "$(dirname "$JSON")"
jq -s '{ runs: . }' "$tmp/runs.jsonl" >"$JSON"
jq -r '
def us: if . == null then "n/a" else (. * 10 | round / 10 | tostring) + " us" end;
"## Arming objects (record --on)\n",
"From the call that gives (or frees) an object to its breakpoints being live (or off); " +
"cat of a file \(.runs[0].cat_runs) times under `record --comm cat --on vfs_read:file --off __fput:file w8 &f_pos`. " +
"Times in a TCG guest are the emulator'"'"'s.\n",
"| where | kernel | armings | arm median | arm p99 | arm max | disarms | disarm median | disarm p99 |",
"|---|---|---:|---:|---:|---:|---:|---:|---:|",
(.runs[] | "| \(.where) | \(.kernel) | \(.armings) | \(.arm_us.median | us) | \(.arm_us.p99 | us) | \(.arm_us.max | us) | \(.disarms) | \(.disarm_us.median | us) | \(.disarm_us.p99 | us) |"),
""' "$JSON"
