#!/bin/bash
# make fuzz: replay the kept crashing inputs, then fuzz the report path
# for SECONDS, from generated seed traces and the corpus of earlier runs.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}
fuzz=build/fuzz_report
corpus=build/fuzz/corpus
seeds=build/fuzz/seeds
mkdir -p "$corpus" "$seeds" build/fuzz/crashes
build/make_seeds "$seeds"
# Report looks for a vmlinux by build-id: keep it off the disk and network.
unset DEBUGINFOD_URLS
export KMEMSNOOP_DEBUG_ROOT=build/fuzz/empty-root
mkdir -p "$KMEMSNOOP_DEBUG_ROOT"

regressions=(tests/fuzz/regressions/*)
if [ -e "${regressions[0]}" ]; then
	"$fuzz" -close_fd_mask=3 "${regressions[@]}" 2>build/fuzz/replay.log ||
		{ tail -30 build/fuzz/replay.log; exit 1; }
	echo "fuzz: ${#regressions[@]} kept inputs replayed, no finding"
fi

# One job per CPU; each prints its own stats, summed below.
jobs=$(nproc)
rm -f build/fuzz/fuzz-*.log
"$fuzz" -close_fd_mask=3 -max_total_time="$secs" -timeout=10 \
	-rss_limit_mb=1024 -max_len=65536 -print_final_stats=1 \
	-artifact_prefix=build/fuzz/crashes/ -jobs="$jobs" -workers="$jobs" \
	"$corpus" "$seeds" >/dev/null 2>&1 || status=$?
mv fuzz-*.log build/fuzz/ 2>/dev/null || true
execs=$(cat build/fuzz/fuzz-*.log | awk '/stat::number_of_executed_units/ { n += $2 } END { print n + 0 }')
if [ "${status:-0}" != 0 ] || ls build/fuzz/crashes/* >/dev/null 2>&1; then
	grep -h -A20 "ERROR\|==ERROR\|runtime error" build/fuzz/fuzz-*.log | head -40
	echo "fuzz: FINDING after $execs executions; inputs in build/fuzz/crashes"
	exit 1
fi
echo "fuzz: $execs executions in ${secs} s on $jobs jobs, no finding"
