#!/bin/bash
# make bench: the cost of a hit under kmemsnoop record, beside the cost
# of the hardware exception alone (perf stat counting), and the trace
# bytes a hit takes. Runs the variants interleaved, ROUNDS times, and
# prints medians with min-max.
set -euo pipefail
cd "$(dirname "$0")/.."
KM=build/kmemsnoop
TRIG=build/trigger
N=${N:-200000}
ROUNDS=${ROUNDS:-5}
FILE=/sys/kernel/btf/vmlinux
addr=$(awk '$3 == "__start_BTF" { print $1; exit }' /proc/kallsyms)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Each prints the trigger's own elapsed ns, so start-up is not counted.
run_none() { "$TRIG" "$FILE" 0 4 "$N"; }
run_perf() {
	perf stat -x, -o "$tmp/perf.txt" -e "mem:0x$addr/4:rw" -a -- \
		"$TRIG" "$FILE" 0 4 "$N"
}
run_record() {
	"$KM" record -o "$tmp/t.data" rw4 __start_BTF -- \
		"$TRIG" "$FILE" 0 4 "$N" 2>"$tmp/rec.err"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)], v[1], v[NR] }'; }

hits=$(run_perf >/dev/null; awk -F, '/mem:/ { print $1 }' "$tmp/perf.txt")
for _ in $(seq "$ROUNDS"); do
	run_none >>"$tmp/none"
	run_perf >>"$tmp/perf"
	run_record >>"$tmp/record"
	stat -c %s "$tmp/t.data" >>"$tmp/size_big"
done
# The file's fixed part (header, kallsyms snapshot) from a tiny run.
"$KM" record -o "$tmp/small.data" rw4 __start_BTF -- "$TRIG" "$FILE" 0 4 10 \
	>/dev/null 2>&1
small=$(stat -c %s "$tmp/small.data")
small_hits=$("$KM" report -i "$tmp/small.data" --format json | wc -l)

read -r none none_min none_max < <(median <"$tmp/none")
read -r perf perf_min perf_max < <(median <"$tmp/perf")
read -r rec rec_min rec_max < <(median <"$tmp/record")
read -r big _ _ < <(median <"$tmp/size_big")

awk -v n="$N" -v hits="$hits" -v none="$none" -v perf="$perf" -v rec="$rec" \
	-v pmin="$perf_min" -v pmax="$perf_max" -v rmin="$rec_min" \
	-v rmax="$rec_max" -v big="$big" -v small="$small" \
	-v small_hits="$small_hits" -v rounds="$ROUNDS" 'BEGIN {
	printf "workload: %d preads of 4 bytes at __start_BTF = %d hits (perf count), %d rounds\n", n, hits, rounds
	printf "| tracer | ns per hit above no tracer (median, min-max) | ratio to perf stat |\n"
	printf "|---|---|---|\n"
	printf "| perf stat -e mem:ADDR:rw (floor) | %.0f (%.0f-%.0f) | 1.00 |\n", (perf - none) / hits, (pmin - none) / hits, (pmax - none) / hits
	printf "| kmemsnoop record | %.0f (%.0f-%.0f) | %.2f |\n", (rec - none) / hits, (rmin - none) / hits, (rmax - none) / hits, (rec - none) / (perf - none)
	printf "no tracer: %.0f ns per pread\n", none / n
	printf "trace bytes per hit (marginal, fixed part of %d bytes aside): %.2f\n", small, (big - small) / (hits - small_hits)
}'
