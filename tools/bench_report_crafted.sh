#!/bin/bash
# make bench, report on crafted traces ("safe to share", part 3): a
# trace may come from anyone, so one written to slow report down must
# cost about what an ordinary one of the same size does. Measured side
# by side in one run, each figure the median wall time of ROUNDS:
#
#   - 200,000 hits at distinct ips chosen to collide under the unkeyed
#     FNV-1a report's hash tables used before (build/make_trace_crafted
#     collide-sym for the function cache, collide-stack for the stack
#     caches), against 200,000 at random ips: `report -s sym`, --format
#     folded, perf-script and svg;
#   - 1,000,000 distinct names at one level of the flame graph
#     (make_trace_crafted names): --format svg against folded, which
#     tallies the same lines without the tree;
#   - 200,000 hits spread over 10^9 s (make_trace_crafted far), which
#     once meant a timeline of 10^9 rows: --timeline against the random
#     trace's 2 s.
#
# Bound, stated and judged here: crafted <= 3 x max(baseline, 0.25 s)
# for each pair (the floor keeps timer noise on sub-second runs from
# deciding). Before the fix the colliding traces took 30-35 s against
# 0.2-0.6 s, and the svg 50 s against 3.5 s.
#
# tools/bench.sh runs it and puts its figures in build/bench.json;
# alone: `BENCH_ONLY=report-crafted make bench`, or this script once
# `make all build/make_trace_crafted` has run (no root needed).
#
# Environment: REPORT_CRAFTED_ROUNDS (3; 1 with BENCH_QUICK=1),
# REPORT_CRAFTED_JSON (default build/bench-report-crafted.json),
# BENCH_KEEP=1 (keep the temporary directory). Markdown goes to stdout,
# progress to stderr. Exits 1 if a bound is not met.
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$0")/.."
root=$PWD
KM=$root/build/kmemsnoop
MTC=$root/build/make_trace_crafted
if [ "${BENCH_QUICK:-0}" = 1 ]; then
	ROUNDS=${REPORT_CRAFTED_ROUNDS:-1}
else
	ROUNDS=${REPORT_CRAFTED_ROUNDS:-3}
fi
JSON=${REPORT_CRAFTED_JSON:-build/bench-report-crafted.json}
RATIO=3
FLOOR_S=0.25

die() {
	echo "bench-report-crafted: $*" >&2
	exit 1
}
for c in jq "$KM" "$MTC"; do
	command -v "$c" >/dev/null || die "$c missing: run make all build/make_trace_crafted"
done
tmp=$(mktemp -d /tmp/kmemsnoop-crafted.XXXXXX)
cleanup() {
	if [ -n "${BENCH_KEEP:-}" ]; then echo "bench-report-crafted: kept $tmp" >&2; else rm -rf "$tmp"; fi
}
trap cleanup EXIT

for mode in random collide-sym collide-stack names far; do
	echo "bench-report-crafted: writing the $mode trace" >&2
	"$MTC" "$mode" "$tmp/$mode.kmt" 2>/dev/null || die "make_trace_crafted $mode failed"
done

# Median wall seconds of ROUNDS runs of report on TRACE with ARGS.
median_s() { # TRACE ARGS...
	local tr=$1 i t0 t1
	shift
	for ((i = 0; i < ROUNDS; i++)); do
		t0=$(date +%s%N)
		"$KM" report -i "$tmp/$tr.kmt" "$@" >/dev/null 2>"$tmp/err" ||
			die "report -i $tr.kmt $* failed: $(head -c 300 "$tmp/err")"
		t1=$(date +%s%N)
		echo $(((t1 - t0) / 1000))
	done | sort -n | awk '{ v[NR] = $1 } END { printf "%.3f\n", v[int((NR + 1) / 2)] / 1e6 }'
}

: >"$tmp/pairs.jsonl"
# One pair: the crafted run and its baseline, in the same run.
pair() { # NAME CRAFTED-TRACE BASE-TRACE CRAFTED-ARGS -- BASE-ARGS
	local name=$1 ct=$2 bt=$3 cargs=() bargs=() c b
	shift 3
	while [ "$1" != -- ]; do
		cargs+=("$1")
		shift
	done
	shift
	bargs=("$@")
	echo "bench-report-crafted: $name" >&2
	c=$(median_s "$ct" "${cargs[@]}")
	b=$(median_s "$bt" "${bargs[@]}")
	jq -nc --arg name "$name" --arg crafted "$ct ${cargs[*]}" \
		--arg base "$bt ${bargs[*]}" --argjson c "$c" --argjson b "$b" \
		--argjson ratio "$RATIO" --argjson floor "$FLOOR_S" \
		'{ name: $name, crafted: $crafted, baseline: $base,
		   crafted_s: $c, baseline_s: $b, ratio: ($c / $b),
		   limit_s: ($ratio * ([$b, $floor] | max)),
		   met: ($c <= $ratio * ([$b, $floor] | max)) }' >>"$tmp/pairs.jsonl"
}

pair "-s sym, colliding ips" collide-sym random -s sym -- -s sym
pair "folded, colliding ips" collide-stack random --format folded -- --format folded
pair "perf-script, colliding ips" collide-stack random --format perf-script -- --format perf-script
pair "svg, colliding ips" collide-stack random --format svg -- --format svg
pair "svg, 1e6 names at one level" names names --format svg -- --format folded
pair "timeline, hits over 10^9 s" far random --timeline -- --timeline

mkdir -p "$(dirname "$JSON")"
jq -s --argjson rounds "$ROUNDS" --argjson ratio "$RATIO" --argjson floor "$FLOOR_S" \
	'{ rounds: $rounds, bound: "crafted <= \($ratio) x max(baseline, \($floor) s)",
	   pairs: ., met: (map(.met) | all) }' "$tmp/pairs.jsonl" >"$JSON"

jq -r '
"## Report on crafted traces\n",
"Median wall time of \(.rounds) run(s), crafted and baseline side by side; bound: \(.bound).\n",
"| case | crafted | s | baseline | s | ratio | bound met |",
"|---|---|---:|---|---:|---:|---|",
(.pairs[] | "| \(.name) | \(.crafted) | \(.crafted_s) | \(.baseline) | \(.baseline_s) | \(.ratio * 100 | round / 100) | \(if .met then "yes" else "NO (limit \(.limit_s * 100 | round / 100) s)" end) |"),
""' "$JSON"
jq -e .met "$JSON" >/dev/null || die "a crafted trace took over its bound (see $JSON)"
