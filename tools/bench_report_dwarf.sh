#!/bin/bash
# make bench, report with DWARF (issue 3): how long `kmemsnoop report`
# takes to symbolize a trace of 1,000,000 hits against Debian 12's
# 500+ MB debug vmlinux, cold (page cache dropped first) and warm.
# Target: at most 3 s wall, cold. See docs/performance.md for the method.
#
# tools/bench.sh runs it (before its own tables) and puts its figures in
# build/bench.json; alone: `BENCH_ONLY=report-dwarf make bench`, or this
# script as root once `make all build/make_trace` has run.
#
#   1. tools/guest/fetch.sh gives the -dbg vmlinux (downloaded once into
#      its cache, /var/cache/kmemsnoop-guest by default);
#   2. build/make_trace writes a trace of that kernel: its build-id and
#      release, a KASLR slide, a kallsyms snapshot, HITS hits over
#      STACKS stacks of FRAMES frames, each frame inside a real function;
#   3. one report checks that DWARF was used (frames with file:line) and
#      that nothing was said on stderr (no build-id mismatch, no missing
#      DWARF);
#   4. `kmemsnoop report -i T --vmlinux V > /dev/null`, ROUNDS times cold
#      (sync; echo 3 > /proc/sys/vm/drop_caches before each), ROUNDS
#      times warm; then `--hits` ROUNDS times warm.
#
# Environment: REPORT_DWARF_HITS (default 1000000), REPORT_DWARF_STACKS
# (2000), REPORT_DWARF_FRAMES (15), REPORT_DWARF_ROUNDS (3; 1 with
# BENCH_QUICK=1), REPORT_DWARF_VMLINUX (a vmlinux to use instead of
# fetching Debian's), REPORT_DWARF_JSON (output file, default
# build/bench-report-dwarf.json), BENCH_KEEP=1 (keep the temporary
# directory). Markdown goes to stdout, progress to stderr.
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$0")/.."
root=$PWD
KM=$root/build/kmemsnoop
MT=$root/build/make_trace
HITS=${REPORT_DWARF_HITS:-1000000}
STACKS=${REPORT_DWARF_STACKS:-2000}
FRAMES=${REPORT_DWARF_FRAMES:-15}
if [ "${BENCH_QUICK:-0}" = 1 ]; then
	ROUNDS=${REPORT_DWARF_ROUNDS:-1}
else
	ROUNDS=${REPORT_DWARF_ROUNDS:-3}
fi
JSON=${REPORT_DWARF_JSON:-build/bench-report-dwarf.json}
SLIDE=0x1e000000
TARGET_S=3

die() {
	echo "bench-report-dwarf: $*" >&2
	exit 1
}

# Pages read in from block devices so far, in KiB (/proc/vmstat pgpgin).
kib_read() {
	awk '$1 == "pgpgin" { print $2 }' /proc/vmstat
}

# One timed report: appends {"mode","round","wall_s","cpu_s","read_mib"}
# to $tmp/runs.jsonl; fails if the report fails or says anything.
timed_report() { # MODE ROUND REPORT-ARGS...
	local mode=$1 round=$2 k0 k1 wall user sys
	shift 2
	if [ "$mode" = cold ]; then
		sync
		echo 3 >/proc/sys/vm/drop_caches
	fi
	k0=$(kib_read)
	(
		TIMEFORMAT='%3R %3U %3S'
		time "$KM" report -i "$trace" --vmlinux "$vmlinux" "$@" \
			>/dev/null 2>"$tmp/run.err"
	) 2>"$tmp/time" || die "report ($mode) failed: $(cat "$tmp/run.err")"
	k1=$(kib_read)
	[ -s "$tmp/run.err" ] && die "report ($mode) said: $(cat "$tmp/run.err")"
	read -r wall user sys < <(tail -n1 "$tmp/time")
	printf '{"mode":"%s","round":%s,"wall_s":%s,"cpu_s":%s,"read_mib":%s}\n' \
		"$mode" "$round" "$wall" "$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.3f", u + s }')" \
		"$(awk -v k=$((k1 - k0)) 'BEGIN { printf "%.1f", k / 1024 }')" \
		>>"$tmp/runs.jsonl"
	printf ' %s %s s' "$mode" "$wall" >&2
}

bench_report_dwarf() {
	local dir gen t0 header build_id release nstacks nhits
	local frame_lines dwarf_lines inlined stacks_shown

	[ "$(id -u)" = 0 ] || die "needs root (to drop the page cache)"
	for c in jq awk "$KM" "$MT"; do
		command -v "$c" >/dev/null || die "$c missing: run make bench"
	done
	[ -w /proc/sys/vm/drop_caches ] || die "cannot write /proc/sys/vm/drop_caches"

	if [ -n "${REPORT_DWARF_VMLINUX:-}" ]; then
		vmlinux=$REPORT_DWARF_VMLINUX
	else
		echo "bench-report-dwarf: fetching Debian's -dbg vmlinux (cached after the first time)" >&2
		dir=$(tools/guest/fetch.sh) || die "tools/guest/fetch.sh failed"
		vmlinux=$dir/vmlinux
	fi
	[ -s "$vmlinux" ] || die "no $vmlinux"

	tmp=$(mktemp -d /tmp/kmemsnoop-bench-dwarf.XXXXXX)
	# shellcheck disable=SC2064 # expand now
	if [ -n "${BENCH_KEEP:-}" ]; then
		trap "echo 'bench-report-dwarf: kept $tmp' >&2" EXIT
	else
		trap "rm -rf '$tmp'" EXIT
	fi
	trace=$tmp/trace.data
	: >"$tmp/runs.jsonl"

	t0=$EPOCHREALTIME
	"$MT" -n "$HITS" -s "$STACKS" -f "$FRAMES" -S "$SLIDE" "$vmlinux" \
		"$trace" 2>"$tmp/gen.err" || die "make_trace failed: $(cat "$tmp/gen.err")"
	gen=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }')
	echo "bench-report-dwarf: $(cat "$tmp/gen.err") in $gen s" >&2
	header=$("$KM" report -i "$trace" --header)
	build_id=$(awk '$1 == "build-id:" { print $2 }' <<<"$header")
	release=$(awk '$1 == "kernel-release:" { print $2 }' <<<"$header")
	nhits=$(awk '$1 == "hits:" { print $2 }' <<<"$header")
	nstacks=$(awk '$1 == "stacks:" { print $2 }' <<<"$header")
	[ "$nhits" = "$HITS" ] || die "the trace holds $nhits hits, not $HITS"

	# Did the report use the DWARF, with the build-ids matching? Any
	# warning (mismatch, no DWARF, no _text to place the kernel by)
	# would be on stderr.
	"$KM" report -i "$trace" --vmlinux "$vmlinux" >"$tmp/out" 2>"$tmp/err" ||
		die "report failed: $(cat "$tmp/err")"
	[ -s "$tmp/err" ] && die "report warned: $(cat "$tmp/err")"
	frame_lines=$(grep -c '^ *0x[0-9a-f]*: ' "$tmp/out" || true)
	dwarf_lines=$(grep -cE '^ *0x[0-9a-f]+: .* \([^ ()]+:[0-9]+\)$' "$tmp/out" || true)
	inlined=$(grep -c '^ *0x[0-9a-f]*: [^ ]* \[inlined\]' "$tmp/out" || true)
	stacks_shown=$(grep -cE '^ +[0-9.]+%' "$tmp/out" || true)
	[ "$dwarf_lines" -gt 0 ] || die "no frame has file:line: DWARF was not used"
	echo "bench-report-dwarf: $vmlinux ($release, build-id $build_id): $stacks_shown stacks shown, $dwarf_lines of $frame_lines frame lines with file:line, $inlined inlined" >&2

	echo -n "bench-report-dwarf:" >&2
	for r in $(seq "$ROUNDS"); do
		timed_report cold "$r"
	done
	for r in $(seq "$ROUNDS"); do
		timed_report warm "$r"
	done
	for r in $(seq "$ROUNDS"); do
		timed_report hits_warm "$r" --hits
	done
	echo >&2

	mkdir -p "$(dirname "$JSON")"
	jq -n --slurpfile runs "$tmp/runs.jsonl" \
		--arg date "$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
		--arg vmlinux "$vmlinux" --argjson vmlinux_bytes "$(stat -c %s "$vmlinux")" \
		--arg release "$release" --arg build_id "$build_id" --arg slide "$SLIDE" \
		--argjson hits "$nhits" --argjson stacks "$nstacks" --argjson frames "$FRAMES" \
		--argjson trace_bytes "$(stat -c %s "$trace")" --argjson gen_s "$gen" \
		--argjson frame_lines "$frame_lines" --argjson dwarf_lines "$dwarf_lines" \
		--argjson inlined "$inlined" --argjson stacks_shown "$stacks_shown" \
		--argjson rounds "$ROUNDS" --argjson target "$TARGET_S" \
		-f /dev/stdin >"$JSON" <<'JQ'
def median: sort | if length == 0 then null
	elif length % 2 == 1 then .[length / 2 | floor]
	else (.[length / 2 - 1] + .[length / 2]) / 2 end;
def stats: map(select(. != null)) | if length == 0 then null
	else { median: median, min: min, max: max, n: length } end;
($runs | group_by(.mode) | map({ key: .[0].mode, value: (
	(map(.wall_s) | stats) as $w
	| { wall_s: $w, cpu_s: (map(.cpu_s) | stats), read_mib: (map(.read_mib) | stats),
	    hits_per_s: (if $w then $hits / $w.median else null end), runs: . }) })
 | from_entries) as $m
| { date: $date, vmlinux: $vmlinux, vmlinux_bytes: $vmlinux_bytes,
    release: $release, build_id: $build_id, slide: $slide,
    hits: $hits, stacks: $stacks, frames_per_stack: $frames,
    trace_bytes: $trace_bytes, generate_s: $gen_s, rounds: $rounds,
    check: { frame_lines: $frame_lines, with_file_line: $dwarf_lines,
	     inlined: $inlined, stacks_shown: $stacks_shown, stderr_empty: true },
    cold: $m.cold, warm: $m.warm, hits_warm: $m.hits_warm,
    target: { what: "report, default view, cold: wall s", limit: $target,
	      value: $m.cold.wall_s.median,
	      met: (if $m.cold.wall_s.median == null then null
		    else $m.cold.wall_s.median <= $target end) } }
JQ
	report_dwarf_markdown "$JSON"
	echo "bench-report-dwarf: figures in $JSON" >&2
}

# The Markdown section, from the JSON file.
report_dwarf_markdown() { # JSON
	jq -r -L tools -f /dev/stdin "$1" <<'JQ'
include "bench_fmt";
def f3: fmt(3);
def mm: if . == null then "n/a" else "\(.median | f3) (\(.min | f3)–\(.max | f3))" end;
def rate: if . == null then "n/a" else "\(. / 1e6 | fmt(2)) M" end;
def mib: if . == null then "n/a" else "\(.median | round)" end;
"### Report with DWARF: \(.hits) hits against the \(.vmlinux_bytes / 1e6 | round) MB -dbg vmlinux",
"",
"\(.date): kernel \(.release) (build-id \(.build_id)), trace of \(.hits) hits over \(.stacks) stacks of \(.frames_per_stack) frames (\(.trace_bytes) bytes, KASLR slide \(.slide)), made by build/make_trace; \(.rounds) round\(if .rounds == 1 then "" else "s" end) each, median (min–max). The check report showed \(.check.stacks_shown) stacks, \(.check.with_file_line) of \(.check.frame_lines) frame lines with file:line (\(.check.inlined) inlined), nothing on stderr.",
"",
"| report | wall s | CPU s | read from disk, MiB | hits/s |",
"|---|---|---|---|---|",
"| default view, cold | \(.cold.wall_s | mm) | \(.cold.cpu_s | mm) | \(.cold.read_mib | mib) | \(.cold.hits_per_s | rate) |",
"| default view, warm | \(.warm.wall_s | mm) | \(.warm.cpu_s | mm) | \(.warm.read_mib | mib) | \(.warm.hits_per_s | rate) |",
"| --hits > /dev/null, warm | \(.hits_warm.wall_s | mm) | \(.hits_warm.cpu_s | mm) | \(.hits_warm.read_mib | mib) | \(.hits_warm.hits_per_s | rate) |",
"",
"Target: ≤ \(.target.limit) s cold: \(.target.value | f3) s, \(if .target.met == null then "?" elif .target.met then "PASS" else "MISS" end).",
""
JQ
}

bench_report_dwarf
