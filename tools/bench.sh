#!/bin/bash
# make bench: kmemsnoop beside perf and bpftrace (issue 7), all watching
# the same four bytes (__start_BTF, which the kernel copies when
# /sys/kernel/btf/vmlinux is read at offset 0) while build/trigger makes
# the kernel read them. See docs/performance.md for the method.
#
# Every tracer runs system-wide in the background: started, awaited until
# its breakpoints exist, then the trigger runs (it prints its own elapsed
# ns, so start-up is not counted), then the tracer gets SIGINT and is
# waited for. bash's time measures the tracer's own user+sys CPU, in ms
# (GNU time prints only hundredths of a second).
#
# Environment: N (reads per run and thread), ROUNDS, REPS (repetitions of
# the start-up, arming and report measurements), REPORT_N (reads for the
# report-speed traces: 4 hits each), NOLOSS_SECONDS, BENCH_OFFSET (watch
# __start_BTF+OFFSET and read the file there, e.g. 0x10000 to stay clear
# of other work triggering __start_BTF itself), BENCH_JSON (output file),
# BENCH_QUICK=1 (one round of small N, for smoke tests), SETTLE (seconds
# given a tracer after its breakpoints exist), ARM_OPS (probe reads when
# timing arming), BENCH_KEEP=1 (keep the temporary directory).
# Markdown goes to stdout, progress to stderr, every figure to BENCH_JSON.
#
# Where this machine's breakpoints do not fire (`kmemsnoop check`), the
# tracers are measured in the test VM instead (tools/vm/run, Debian's
# 6.12 kernel under QEMU TCG, with smaller defaults), said at the top of
# the output and as meta.where in the JSON: the times there are the
# emulator's, so only the ratios measured side by side mean anything,
# and the targets set in absolute time are not judged. Report with DWARF
# needs no breakpoint and is still timed here. BENCH_VM=1 measures in the
# VM in any case. BENCH_PHASE=measure (set for the VM's run) writes the
# JSON without the DWARF step or tables.
#
# It also runs tools/bench_report_dwarf.sh (report's DWARF symbolization
# against Debian's -dbg vmlinux, cold and warm; its REPORT_DWARF_*
# variables apply). BENCH_ONLY=report-dwarf runs that step alone, with
# its figures in build/bench-report-dwarf.json. Likewise
# tools/bench_report_crafted.sh (report on traces crafted against its
# hash tables and flame graph, beside ordinary ones, on this machine
# even when the tracers are measured in the VM: it needs no breakpoint);
# BENCH_ONLY=report-crafted runs it alone. And
# tools/bench_arm_latency.sh (record --on: from the call that gives an
# object to its breakpoints being live; in the test VM where this
# kernel refuses fentry); BENCH_ONLY=arm-latency runs it alone.
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$0")/.."
root=$PWD
# The settings given, before defaults fill them in: the VM's run gets
# these, and its own smaller defaults for the rest.
GIVEN=()
for v in N ROUNDS REPS REPORT_N NOLOSS_SECONDS BENCH_OFFSET SETTLE ARM_OPS BENCH_KEEP; do
	[ -z "${!v:-}" ] || GIVEN+=("$v=${!v}")
done
KM=$root/build/kmemsnoop
TRIG=$root/build/trigger
FILE=/sys/kernel/btf/vmlinux
OFFSET=${BENCH_OFFSET:-0}
if [ "${BENCH_QUICK:-0}" = 1 ]; then
	N=${N:-1000} ROUNDS=${ROUNDS:-1} REPS=${REPS:-1}
	REPORT_N=${REPORT_N:-25000} NOLOSS_SECONDS=${NOLOSS_SECONDS:-2}
	ARM_OPS=${ARM_OPS:-1000}
else
	N=${N:-20000} ROUNDS=${ROUNDS:-5} REPS=${REPS:-3}
	REPORT_N=${REPORT_N:-250000} NOLOSS_SECONDS=${NOLOSS_SECONDS:-10}
	ARM_OPS=${ARM_OPS:-2000}
fi
JSON=${BENCH_JSON:-build/bench.json}
WHERE=host
[ -z "${KMEMSNOOP_VM:-}" ] || WHERE="vm ${KMEMSNOOP_VM_KERNEL:-} ($KMEMSNOOP_VM)"
SETTLE=${SETTLE:-0.3} # seconds after a tracer's breakpoints exist
ARM_US=1000           # one probe read per millisecond when timing arming
NCPU=$(nproc)
WORKLOADS="one many both"
TRACERS="stat km kmfilt kmlive prec precz bpft"

die() {
	echo "bench: $*" >&2
	exit 1
}
case ${BENCH_ONLY:-} in
"") ;;
report-dwarf) exec tools/bench_report_dwarf.sh ;;
report-crafted) exec tools/bench_report_crafted.sh ;;
arm-latency) exec tools/bench_arm_latency.sh ;;
*) die "BENCH_ONLY=$BENCH_ONLY: the steps that run alone are report-dwarf, report-crafted and arm-latency" ;;
esac
[ "$(id -u)" = 0 ] || die "needs root (perf_event_open of breakpoints, BPF)"

# in_vm: the measuring part of this script in the test VM (its JSON
# lands in this directory's build/, shared with the guest), then the
# DWARF step here, the targets and the tables.
in_vm() {
	local assigns=("${GIVEN[@]}")

	[ "${BENCH_QUICK:-0}" = 1 ] || assigns=(N=5000 ROUNDS=3 REPS=2 REPORT_N=25000 NOLOSS_SECONDS=5 "${assigns[@]}")
	# Inside this directory: the guest sees the rest of the host read-only.
	rm -f build/bench-vm.json
	tools/vm/run --kernel 6.12 -- env "${assigns[@]}" BENCH_QUICK="${BENCH_QUICK:-0}" \
		BENCH_PHASE=measure BENCH_JSON=build/bench-vm.json tools/bench.sh ||
		die "the measuring run in the test VM failed"
	report_dwarf
	report_crafted
	arm_latency
	mkdir -p "$(dirname "$JSON")"
	jq --slurpfile d "$tmp/report_dwarf.json" \
		--slurpfile c "$tmp/report_crafted.json" \
		--slurpfile a "$tmp/arm_latency.json" \
		'.report_dwarf = $d[0] | .report_crafted = $c[0] | .arm_latency = $a[0]' \
		build/bench-vm.json >"$tmp/merged.json"
	rm -f build/bench-vm.json
	add_targets "$tmp/merged.json" >"$JSON"
	print_tables
	cat "$tmp/report_crafted.md" "$tmp/arm_latency.md"
	exit 0
}
for c in perf bpftrace jq pgrep env "$KM" "$TRIG"; do
	command -v "$c" >/dev/null || die "$c missing: run make bench (it installs what is missing)"
done
base=$(awk '$3 == "__start_BTF" { print $1; exit }' /proc/kallsyms)
if [ -z "$base" ] || [ "$((0x$base))" = 0 ]; then
	die "no address for __start_BTF in /proc/kallsyms"
fi
addr=$(printf '%x' $((0x$base + OFFSET)))
EV="mem:0x$addr/4:rw"
tmp=$(mktemp -d /tmp/kmemsnoop-bench.XXXXXX)
tpid="" cpid="" t0=0 tl=0
cleanup() {
	[ -n "$cpid" ] && kill -INT "$cpid" 2>/dev/null && wait "$tpid" 2>/dev/null
	if [ -n "${BENCH_KEEP:-}" ]; then echo "bench: kept $tmp" >&2; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
bench_start=$SECONDS

# The workloads, each printing its elapsed ns and its own CPU ns.
trig() { # WORKLOAD READS
	case $1 in
	one) "$TRIG" -c "$FILE" "$OFFSET" 4 "$2" ;;
	many) "$TRIG" -c -m many "$FILE" "$OFFSET" 4 "$2" ;;
	both) "$TRIG" -c "$FILE" "$OFFSET" 4 "$2" 2 ;;
	esac
}
threads() { if [ "$1" = both ]; then echo 2; else echo 1; fi; }

tool_cmd() { # TOOL DIR: sets CMD
	case $1 in
	stat) CMD=(perf stat "-x," -o "$2/stat" -e "$EV" -a) ;;
	km) CMD=("$KM" record -o "$2/trace" rw4 "0x$addr") ;;
	kmfilt) CMD=("$KM" record -o "$2/trace" --comm no_such_comm rw4 "0x$addr") ;;
	kmlive) CMD=("$KM" rw4 "0x$addr") ;;
	prec) CMD=(perf record -e "$EV" -a -g -o "$2/perf.data") ;;
	precz) CMD=(perf record -e "$EV" -a -g -z -o "$2/perf.data") ;;
	bpft) CMD=(bpftrace -e "watchpoint:0x$addr:4:rw { @[kstack] = count(); }") ;;
	esac
}

usec() { # the current time in microseconds, into the variable named $1
	local t=$EPOCHREALTIME
	printf -v "$1" '%s' "${t/./}"
}

# Starts TOOL under bash's time (stdout to OUT, stderr to DIR/err, its
# CPU to DIR/cpu): sets tpid (the timing subshell), cpid (the tracer),
# t0 (start, µs). A background job of a script has SIGINT ignored, and a
# tracer that had not yet set its handler would miss the SIGINT that ends
# it: env gives it the default back.
launch() { # TOOL DIR OUT
	tool_cmd "$1" "$2"
	usec t0
	(
		TIMEFORMAT='%3U %3S'
		time env --default-signal=INT "${CMD[@]}" >"$3" 2>"$2/err"
	) 2>"$2/cpu" &
	tpid=$!
	cpid=""
	while [ -z "$cpid" ]; do
		cpid=$(pgrep -P "$tpid" || true)
		[ -n "$cpid" ] && break
		kill -0 "$tpid" 2>/dev/null || return 1
		sleep 0.001
	done
}

# Waits until the tracer holds a perf event on every CPU (its breakpoints
# exist; they may be enabled a little later): sets ready_ms.
wait_ready() {
	local n now
	while :; do
		n=$(find "/proc/$cpid/fd" -lname 'anon_inode:\[perf_event\]' 2>/dev/null | wc -l)
		[ "$n" -ge "$NCPU" ] && break
		if ! kill -0 "$cpid" 2>/dev/null; then
			wait "$tpid" || true
			cpid=""
			return 1
		fi
		usec now
		if [ $((now - t0)) -gt 30000000 ]; then
			stop
			return 1
		fi
		sleep 0.002
	done
	usec now
	ready_ms=$(awk -v d=$((now - t0)) 'BEGIN { printf "%.1f", d / 1000 }')
}

# SIGINT, then waits (a minute at most: perf writes its build-ids).
stop() {
	local i
	kill -INT "$cpid" 2>/dev/null || true
	for i in $(seq 1200); do
		kill -0 "$tpid" 2>/dev/null || break
		[ "$i" = 1200 ] && echo "bench: $cpid ignored SIGINT; killing it" >&2 &&
			kill -KILL "$cpid"
		sleep 0.05
	done
	wait "$tpid" || true
	cpid=""
}

# Starts TOOL and waits for it, three tries (the debug registers may be
# taken for a moment by other work).
start() { # TOOL DIR OUT
	local try
	for try in 1 2 3; do
		if launch "$@" && wait_ready; then
			sleep "$SETTLE"
			return 0
		fi
		printf '\nbench: %s did not start (try %s): %s\n' "$1" "$try" \
			"$(tail -n2 "$2/err" | tr '\n' ' ')" >&2
		sleep 1
	done
	return 1
}

# What the tracer saw, from its output: sets rec (hits recorded), lost
# (as the tool reports it), seen (kmemsnoop: before filters), bytes (the
# trace), cpu (user+sys seconds).
collect() { # TOOL DIR OUT
	local line
	rec=null lost=null seen=null bytes=null stacks=null
	cpu=$(tail -n1 "$2/cpu" | awk 'NF == 2 { printf "%.3f", $1 + $2; exit } { print "null" }')
	case $1 in
	stat)
		rec=$(awk -F, '/mem:/ { print ($1 ~ /^[0-9]+$/) ? $1 : "null"; exit }' "$2/stat")
		;;
	km | kmfilt)
		line=$(grep -o 'recorded [0-9]* hits, [0-9]* lost, [0-9]* filtered ([0-9]* seen)' "$2/err" || true)
		if [ -n "$line" ]; then
			read -r rec lost seen < <(echo "$line" | tr -c '0-9\n' ' ' | awk '{ print $1, $2, $4 }')
			bytes=$(stat -c %s "$2/trace")
			if [ "$1" = km ]; then
				stacks=$("$KM" report -i "$2/trace" --header 2>/dev/null |
					awk '/^stacks:/ { print $2 }')
			fi
		fi
		;;
	kmlive)
		line=$(grep -o '[0-9]* hits, [0-9]* lost, [0-9]* filtered ([0-9]* seen)' "$2/err" || true)
		if [ -n "$line" ]; then
			read -r rec lost seen < <(echo "$line" | tr -c '0-9\n' ' ' | awk '{ print $1, $2, $4 }')
		fi
		;;
	prec | precz)
		if [ -s "$2/perf.data" ]; then
			read -r rec lost < <(perf report --stats -i "$2/perf.data" 2>/dev/null |
				awk '/ SAMPLE events:/ && s == "" { s = $3 }
				     /LOST_SAMPLES events:/ && l == "" { l = $3 }
				     END { print (s == "" ? "null" : s), (l == "" ? 0 : l) }')
			bytes=$(stat -c %s "$2/perf.data")
		fi
		;;
	bpft)
		rec=$(awk '/^\]: [0-9]+$/ { s += $2; n++ } END { print n ? s : "null" }' "$3")
		;;
	esac
	seen=${seen:-null} rec=${rec:-null} lost=${lost:-null}
}

emit() { # PHASE ROUND WORKLOAD TOOL READS ELAPSED TRIGGER_CPU
	printf '{"phase":"%s","round":%s,"workload":"%s","tool":"%s","reads":%s,"threads":%s,"elapsed_ns":%s,"trigger_cpu_ns":%s,"recorded":%s,"lost":%s,"seen":%s,"bytes":%s,"cpu_s":%s,"ready_ms":%s,"stacks":%s}\n' \
		"$1" "$2" "$3" "$4" "$5" "$(threads "$3")" "${6:-null}" "${7:-null}" "$rec" "$lost" \
		"$seen" "$bytes" "$cpu" "$ready_ms" "${stacks:-null}" >>"$tmp/runs.jsonl"
}

run_one() { # PHASE ROUND WORKLOAD TOOL READS
	local dir=$tmp/run el=null tc=null out
	rm -rf "$dir"
	mkdir -p "$dir"
	rec=null lost=null seen=null bytes=null cpu=null ready_ms=null stacks=null
	out=$dir/out
	[ "$4" = kmlive ] && out=/dev/null
	if [ "$4" = none ]; then
		read -r el tc < <(trig "$3" "$5")
	elif start "$4" "$dir" "$out"; then
		read -r el tc < <(trig "$3" "$5")
		stop
		collect "$4" "$dir" "$out"
	fi
	emit "$@" "$el" "$tc"
	printf ' %s' "$4" >&2
}

# Report with DWARF against Debian's 500+ MB -dbg vmlinux, cold and warm:
# its own script, which prints its Markdown section and writes its JSON.
report_dwarf() {
	echo "bench: report with DWARF" >&2
	if ! REPORT_DWARF_JSON=$tmp/report_dwarf.json tools/bench_report_dwarf.sh \
		>"$tmp/report_dwarf.md"; then
		echo "bench: the report-with-DWARF step failed: its figures are left out" >&2
		echo null >"$tmp/report_dwarf.json"
		: >"$tmp/report_dwarf.md"
	fi
}

# Report on crafted traces beside ordinary ones: its own script too.
# Its bound is judged there; a miss is said here and kept in the JSON.
report_crafted() {
	echo "bench: report on crafted traces" >&2
	if ! REPORT_CRAFTED_JSON=$tmp/report_crafted.json tools/bench_report_crafted.sh \
		>"$tmp/report_crafted.md"; then
		echo "bench: the crafted-trace step failed or missed its bound" >&2
		[ -s "$tmp/report_crafted.json" ] || echo null >"$tmp/report_crafted.json"
	fi
}

# Arming objects (record --on): its own script, which goes to the test
# VM by itself where this kernel refuses fentry programs.
arm_latency() {
	echo "bench: arming objects (record --on)" >&2
	if ! ARM_LATENCY_JSON=$tmp/arm_latency.json tools/bench_arm_latency.sh \
		>"$tmp/arm_latency.md"; then
		echo "bench: the arming step failed: its figures are left out" >&2
		echo null >"$tmp/arm_latency.json"
		: >"$tmp/arm_latency.md"
	fi
}

# add_targets JSON: the document with .targets, each target's value,
# limit and whether it was met (null: not judged, e.g. a time measured
# under emulation).
add_targets() {
	jq -f /dev/stdin "$1" <<'JQ'
. as $d
| ($d.meta.where != "host") as $emulated
| .targets = ([
    { target: "kmemsnoop record (stacks on) <= 1.10x the floor (wall), one stack",
      value: $d.results.one.km.ratio_to_floor.median, limit: 1.10 },
    { target: "kmemsnoop record (stacks on) <= 1.10x the floor (wall), many stacks",
      value: $d.results.many.km.ratio_to_floor.median, limit: 1.10 },
    { target: "kmemsnoop record (stacks on) <= 1.10x the floor (wall), both CPUs",
      value: $d.results.both.km.ratio_to_floor.median, limit: 1.10 },
    { target: "kmemsnoop record <= 1.10x the floor by trigger CPU, one stack",
      value: $d.results.one.km.cpu_ratio_to_floor.median, limit: 1.10 },
    { target: "kmemsnoop record <= 1.10x the floor by trigger CPU, many stacks",
      value: $d.results.many.km.cpu_ratio_to_floor.median, limit: 1.10 },
    { target: "kmemsnoop record <= 1.10x the floor by trigger CPU, both CPUs",
      value: $d.results.both.km.cpu_ratio_to_floor.median, limit: 1.10 },
    { target: "<= 2 trace bytes per hit (marginal), one stack",
      value: $d.results.one.km.bytes_per_hit_marginal.median, limit: 2 },
    { target: "fewer bytes per hit than perf record -z (marginal), one stack",
      value: $d.results.one.km.bytes_per_hit_marginal.median,
      limit: $d.results.one.precz.bytes_per_hit_marginal.median, strict: true },
    { target: "armed within 50 ms of exec (live mode's line)",
      value: (if $emulated then null else $d.arming.kmlive.line_ms.median end), limit: 50 },
    { target: "no hit lost, both CPUs at full speed, default buffer",
      value: (if $d.noloss.counted == null or $d.noloss.recorded == null then null
	else ([$d.noloss.counted - $d.noloss.recorded, $d.noloss.lost // 0] | max) end),
      limit: 0 },
    { target: ">= 5 M hits/s, kmemsnoop report (default view)",
      value: (if $emulated then null else $d.report.views.km_default.per_s end), limit: 5e6, at_least: true },
    { target: ">= 5 M hits/s, kmemsnoop report --hits",
      value: (if $emulated then null else $d.report.views.km_hits.per_s end), limit: 5e6, at_least: true },
    { target: "kmemsnoop report --vmlinux (DWARF, Debian -dbg vmlinux), \($d.report_dwarf.hits // "n/a") hits, cold: <= 3 s wall",
      value: $d.report_dwarf.cold.wall_s.median, limit: 3 }
  ]
  | map(. + { met: (if .value == null or .limit == null then null
	elif .at_least then .value >= .limit
	elif .strict then .value < .limit
	else .value <= .limit end) }))
JQ
}

# print_tables: the Markdown tables of $JSON.
print_tables() {
	jq -r -L tools --rawfile dwarf_md "$tmp/report_dwarf.md" -f /dev/stdin "$JSON" <<'JQ'
include "bench_fmt";
def big: if . == null then "n/a" elif . >= 1e6 then (. / 1e6 | fmt(2)) + " M"
	elif . >= 1e3 then (. / 1e3 | fmt(1)) + " k" else fmt(0) end;
def mm($d): if . == null then "n/a"
	else "\(.median | fmt($d)) (\(.min | fmt($d))–\(.max | fmt($d)))" end;
def pct: if . == null then "n/a" else (. * 100 | fmt(2)) + " %" end;
. as $d
| "## kmemsnoop beside perf and bpftrace",
  "",
  (if $d.meta.where == "host" then empty else
   "Measured in the test VM (\($d.meta.where)). Times are the emulator's, not a CPU's: compare the ratios of tracers measured side by side; targets in absolute time are not judged (?).", "" end),
  "\($d.meta.date), \($d.meta.cpus) CPUs (\($d.meta.cpu_model)), kernel \($d.meta.kernel), \($d.meta.perf), \($d.meta.bpftrace), commit \($d.meta.commit).",
  "Watching \($d.meta.address) (__start_BTF+\($d.meta.offset)) rw4: \($d.meta.hits_per_read) hits per read; \($d.meta.reads_per_run) reads per run and thread, \($d.meta.rounds) rounds interleaved; medians (min–max) over rounds. Background: \($d.meta.background_hits_per_s) hits/s on the address before the runs (other work on the machine).",
  "",
  ($d.results | to_entries[] | .key as $w | .value as $r
   | "### \($d.workload_names[$w])",
     "",
     "no tracer: \($r.none.elapsed_ns.median / $d.meta.reads_per_run | fmt(0)) ns per read (\($r.none.trigger_cpu_ns.median / $d.meta.reads_per_run / (if $w == "both" then 2 else 1 end) | fmt(0)) ns of CPU); kernel count (perf stat): \($r.stat.counted.median | fmt(0)) hits; distinct stacks (kmemsnoop): \($r.km.distinct_stacks.median | fmt(0))",
     "",
     "| tool | ns/hit above no tracer | × floor | × floor, trigger CPU | hits recorded / counted | lost | trace bytes/hit (marginal) | tool CPU µs/hit (above start-up) |",
     "|---|---|---|---|---|---|---|---|",
     (["stat", "km", "kmfilt", "kmlive", "prec", "precz", "bpft"][] as $t | $r[$t] | select(. != null)
      | "| \($d.tool_names[$t]) | \(.ns_per_hit_above_none | mm(0)) | \(.ratio_to_floor | mm(2)) | \(.cpu_ratio_to_floor | mm(2)) | \(if $t == "kmfilt" then "0 (\(.seen.median | fmt(0)) seen)" else .recorded.median | fmt(0) end) / \(.counted.median | fmt(0)) | \(.lost_share.median | pct) | \(if .bytes then "\(.bytes_per_hit.median | fmt(2)) (\(.bytes_per_hit_marginal.median | fmt(2)))" else "–" end) | \(.cpu_us_per_hit_marginal | mm(2)) |"),
     ""),
  "### Start-up and arming",
  "",
  "Armed: ms from exec until the first probe read (one a millisecond) the tool saw; breakpoints exist: ms until it held a perf event on every CPU; start-up CPU: user+sys of a run with a few hits.",
  "",
  "| tool | armed, ms | breakpoints exist, ms | start-up CPU, s | fixed trace bytes |",
  "|---|---|---|---|---|",
  (["stat", "km", "kmlive", "prec", "bpft"][] as $t
   | "| \($d.tool_names[$t]) | \($d.arming[$t].armed_ms | mm(1)) | \($d.arming[$t].ready_ms | mm(1)) | \($d.startup[$t].cpu_s.median | fmt(2)) | \($d.startup[$t].bytes.median | fmt(0)) |"),
  "",
  "kmemsnoop live: `Watchpoint attached on` printed \($d.arming.kmlive.line_ms | mm(1)) ms after exec.",
  "",
  "### Report speed (one-stack trace, \($d.report.kmemsnoop_hits | big) hits; perf.data \($d.report.perf_samples | big) samples)",
  "",
  "| report | wall s | hits (samples) per s |",
  "|---|---|---|",
  "| kmemsnoop report (default view) | \($d.report.views.km_default.wall_us.median / 1e6 | fmt(3)) | \($d.report.views.km_default.per_s | big) |",
  "| kmemsnoop report --hits > /dev/null | \($d.report.views.km_hits.wall_us.median / 1e6 | fmt(3)) | \($d.report.views.km_hits.per_s | big) |",
  "| perf report --stdio | \($d.report.views.perf_report.wall_us.median / 1e6 | fmt(3)) | \($d.report.views.perf_report.per_s | big) |",
  "",
  ($dwarf_md | rtrimstr("\n") | select(. != "")),
  "### No hit lost: both CPUs for \($d.noloss.elapsed_ns / 1e9 | fmt(1)) s under kmemsnoop record (default buffer)",
  "",
  "kernel counted \($d.noloss.counted | fmt(0)) hits; kmemsnoop saw \($d.noloss.seen | fmt(0)), recorded \($d.noloss.recorded | fmt(0)), lost \($d.noloss.lost | fmt(0)).",
  "",
  "### Targets",
  "",
  "| target | value | limit | |",
  "|---|---|---|---|",
  ($d.targets[] | "| \(.target) | \(.value | if . != null and . >= 1e5 then big else fmt(2) end) | \(.limit | if . != null and . >= 1e5 then big else fmt(2) end) | \(if .met == null then "?" elif .met then "PASS" else "MISS" end) |"),
  "",
  "(\($d.meta.duration_s) s; every figure in the JSON file)"
JQ
}

if [ "$WHERE" = host ] && [ -n "${BENCH_VM:-}" ]; then
	echo "bench: BENCH_VM=1: measuring the tracers in the test VM (Debian 6.12, QEMU TCG): compare ratios, not times" >&2
	in_vm
elif [ "$WHERE" = host ]; then
	why=$(tools/fires-here.sh "$KM")
	if [ -n "$why" ]; then
		echo "bench: this machine's breakpoints do not fire (kmemsnoop check: $why);" >&2
		echo "bench: measuring the tracers in the test VM (Debian 6.12, QEMU TCG): compare ratios, not times" >&2
		in_vm
	fi
fi

# Before anything: hits on the address with nothing triggering (other
# work on this machine), and hits per read.
echo "bench: watching 0x$addr (__start_BTF+$OFFSET); N=$N ROUNDS=$ROUNDS REPS=$REPS" >&2
perf stat -x, -o "$tmp/bg" -e "$EV" -a -- sleep 1 >/dev/null 2>&1
background=$(awk -F, '/mem:/ { print $1 + 0 }' "$tmp/bg")
# (Counted in the trigger's own task only, other work aside.)
perf stat -x, -o "$tmp/hpr" -e "$EV" -- "$TRIG" "$FILE" "$OFFSET" 4 1000 >/dev/null 2>&1
hits_per_read=$(awk -F, '/mem:/ { printf "%.0f", $1 / 1000 }' "$tmp/hpr")
[ "$hits_per_read" -ge 1 ] || die "reading $FILE at $OFFSET does not hit 0x$addr"
echo "bench: background $background hits/s, $hits_per_read hits per read" >&2
[ "$background" -le 10 ] ||
	echo "bench: other work hits 0x$addr: the figures will be noisy (BENCH_OFFSET=0x10000 watches bytes nothing else reads)" >&2

# Start-up: each tracer with a few hits only, for its fixed costs (CPU,
# the trace's fixed part: kallsyms snapshot, perf's synthesized events).
echo -n "bench: start-up runs:" >&2
for rep in $(seq "$REPS"); do
	for t in $TRACERS; do
		run_one base "$rep" one "$t" 10
	done
done
echo >&2

# Arming: the tracer and a probe start together; the probe reads once a
# millisecond and notes when; the hits the tracer saw tell which reads
# came after it was armed. kmemsnoop live also gives its own line.
arm_probe() { # TOOL REP
	local dir=$tmp/arm ppid captured first line_ms=null armed=null bound=false
	local t0ns rpid=""
	rm -rf "$dir"
	mkdir -p "$dir"
	rec=null lost=null seen=null bytes=null cpu=null ready_ms=null
	if [ "$1" = kmlive ]; then
		mkfifo "$dir/fifo"
		{
			IFS= read -r _ && usec tl && echo "$tl" >"$dir/line_t"
			cat >/dev/null
		} <"$dir/fifo" &
		rpid=$!
		launch "$1" "$dir" "$dir/fifo" || return 0
	else
		launch "$1" "$dir" "$dir/out" || return 0
	fi
	t0ns=${t0}000
	"$TRIG" -i "$ARM_US" -S "$t0ns" -o "$dir/times" "$FILE" "$OFFSET" 4 \
		"$ARM_OPS" >/dev/null &
	ppid=$!
	wait_ready || true
	wait "$ppid"
	[ -n "$cpid" ] && stop
	[ -n "$rpid" ] && wait "$rpid"
	collect "$1" "$dir" "$dir/out"
	# kmemsnoop counts hits before its filters as seen.
	[ "$seen" != null ] && rec=$seen
	if [ "$rec" != null ]; then
		captured=$(((rec + hits_per_read / 2) / hits_per_read))
		first=$(head -n1 "$dir/times")
		if [ "$captured" -ge "$ARM_OPS" ]; then
			armed=$first bound=true
		elif [ "$captured" -gt 0 ]; then
			armed=$(sed -n "$((ARM_OPS - captured + 1))p" "$dir/times")
		fi
		[ "$armed" != null ] && armed=$(awk -v u="$armed" 'BEGIN { printf "%.1f", u / 1000 }')
	fi
	if [ -s "$dir/line_t" ]; then
		line_ms=$(awk -v d=$(($(cat "$dir/line_t") - t0)) 'BEGIN { printf "%.1f", d / 1000 }')
	fi
	printf '{"tool":"%s","rep":%s,"armed_ms":%s,"armed_upper_bound":%s,"ready_ms":%s,"line_ms":%s,"hits":%s,"probe_reads":%s,"cpu_s":%s}\n' \
		"$1" "$2" "$armed" "$bound" "$ready_ms" "$line_ms" "$rec" "$ARM_OPS" \
		"$cpu" >>"$tmp/arm.jsonl"
	printf ' %s' "$1" >&2
}
echo -n "bench: arming:" >&2
: >"$tmp/arm.jsonl"
for rep in $(seq "$REPS"); do
	for t in stat km kmlive prec bpft; do
		arm_probe "$t" "$rep"
	done
done
echo >&2

# The interleaved rounds.
for r in $(seq "$ROUNDS"); do
	for w in $WORKLOADS; do
		echo -n "bench: round $r/$ROUNDS $w:" >&2
		for t in none $TRACERS; do
			run_one main "$r" "$w" "$t" "$N"
		done
		echo >&2
	done
done

# Report speed, on traces of the one-stack workload.
echo "bench: report speed ($REPORT_N reads)" >&2
rd=$tmp/report
mkdir -p "$rd"
"$KM" record -o "$rd/k.data" rw4 "0x$addr" -- "$TRIG" "$FILE" "$OFFSET" 4 \
	"$REPORT_N" >/dev/null 2>"$rd/k.err"
km_hits=$(grep -o 'recorded [0-9]*' "$rd/k.err" | tr -dc 0-9)
perf record -e "$EV" -a -g -o "$rd/p.data" -- "$TRIG" "$FILE" "$OFFSET" 4 \
	"$REPORT_N" >/dev/null 2>"$rd/p.err"
perf_samples=$(perf report --stats -i "$rd/p.data" 2>/dev/null |
	awk '/ SAMPLE events:/ { print $3; exit }')
: >"$rd/times.jsonl"
timed() { # NAME COMMAND...: wall time in µs
	local a b name=$1
	shift
	usec a
	"$@" >/dev/null 2>&1
	usec b
	printf '{"view":"%s","us":%s}\n' "$name" $((b - a)) >>"$rd/times.jsonl"
}
for _ in $(seq "$REPS"); do
	timed km_default "$KM" report -i "$rd/k.data"
	timed km_hits "$KM" report -i "$rd/k.data" --hits
	timed perf_report perf report --stdio -i "$rd/p.data"
done

if [ "${BENCH_PHASE:-}" = measure ]; then
	echo null >"$tmp/report_dwarf.json"
	echo null >"$tmp/report_crafted.json"
	echo null >"$tmp/arm_latency.json"
else
	report_dwarf
	report_crafted
	arm_latency
fi

# No hit lost: both CPUs triggering at full speed for NOLOSS_SECONDS
# under kmemsnoop record with the default buffer, perf stat counting.
echo "bench: no-loss run, 2 threads for $NOLOSS_SECONDS s" >&2
nd=$tmp/noloss
mkdir -p "$nd"
rec=null lost=null seen=null bytes=null cpu=null ready_ms=null noloss_el=null
if [ "$WHERE" = host ]; then
	if start km "$nd" "$nd/out"; then
		noloss_el=$(perf stat -x, -o "$nd/count" -e "$EV" -a -- "$TRIG" \
			-d "$NOLOSS_SECONDS" "$FILE" "$OFFSET" 4 0 2)
		stop
		collect km "$nd" "$nd/out"
	fi
else
	# QEMU stops at the first of two watchpoints on the same bytes, so
	# perf cannot count beside kmemsnoop: a fixed number of reads a
	# thread (N a second asked for), recorded, then counted alone.
	nl_reads=$((N * NOLOSS_SECONDS))
	if start km "$nd" "$nd/out"; then
		noloss_el=$("$TRIG" "$FILE" "$OFFSET" 4 "$nl_reads" 2)
		stop
		collect km "$nd" "$nd/out"
	fi
	perf stat -x, -o "$nd/count" -e "$EV" -a -- "$TRIG" "$FILE" "$OFFSET" 4 \
		"$nl_reads" 2 >/dev/null
fi
noloss_counted=$(awk -F, '/mem:/ { print $1 + 0 }' "$nd/count" 2>/dev/null || echo null)
printf '{"threads":2,"elapsed_ns":%s,"counted":%s,"seen":%s,"recorded":%s,"lost":%s}\n' \
	"${noloss_el:-null}" "${noloss_counted:-null}" "$seen" "$rec" \
	"$lost" >"$tmp/noloss.json"

# Everything into one JSON document, then the tables from it.
model=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
mkdir -p "$(dirname "$JSON")"
jq -n \
	--slurpfile runs "$tmp/runs.jsonl" \
	--slurpfile arm "$tmp/arm.jsonl" \
	--slurpfile rtimes "$rd/times.jsonl" \
	--slurpfile noloss "$tmp/noloss.json" \
	--slurpfile rdwarf "$tmp/report_dwarf.json" \
	--slurpfile rcrafted "$tmp/report_crafted.json" \
	--slurpfile armlat "$tmp/arm_latency.json" \
	--arg date "$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
	--arg kernel "$(uname -r)" --arg model "$model" --argjson cpus "$NCPU" \
	--arg where "$WHERE" \
	--arg perf "$(perf --version)" --arg bpftrace "$(bpftrace --version)" \
	--arg commit "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)" \
	--arg addr "0x$addr" --arg offset "$OFFSET" \
	--argjson n "$N" --argjson rounds "$ROUNDS" --argjson reps "$REPS" \
	--argjson background "$background" --argjson hpr "$hits_per_read" \
	--argjson km_hits "${km_hits:-null}" --argjson perf_samples "${perf_samples:-null}" \
	--argjson report_reads "$REPORT_N" --argjson noloss_s "$NOLOSS_SECONDS" \
	--argjson duration $((SECONDS - bench_start)) \
	--arg many_ops "$("$TRIG" -m list "$FILE" "$OFFSET" 4 | grep -v '^ia32_' | paste -sd' ')" \
	-f /dev/stdin >"$JSON" <<'JQ'
def median: sort | if length == 0 then null
	elif length % 2 == 1 then .[length / 2 | floor]
	else (.[length / 2 - 1] + .[length / 2]) / 2 end;
def stats: map(select(. != null)) | if length == 0 then null
	else { median: median, min: min, max: max, n: length } end;
def div($a; $b): if $a == null or $b == null or $b == 0 then null else $a / $b end;
def sub($a; $b): if $a == null or $b == null then null else $a - $b end;

($runs | map(select(.phase == "main"))) as $main
| ($runs | map(select(.phase == "base"))) as $base
| ($main | map({ key: "\(.round)/\(.workload)/\(.tool)", value: . }) | from_entries) as $ix
| (["stat", "km", "kmfilt", "kmlive", "prec", "precz", "bpft"]
   | map({ key: ., value: (. as $t | $base | map(select(.tool == $t))
	| { cpu_s: (map(.cpu_s) | stats), bytes: (map(.bytes) | stats),
	    recorded: (map(.recorded) | stats), ready_ms: (map(.ready_ms) | stats) }) })
   | from_entries) as $startup
| {
  tool_names: {
    none: "no tracer",
    stat: "perf stat -e mem:ADDR/4:rw -a (floor)",
    km: "kmemsnoop record",
    kmfilt: "kmemsnoop record --comm no_such_comm (all filtered)",
    kmlive: "kmemsnoop live > /dev/null",
    prec: "perf record -e mem:ADDR/4:rw -a -g",
    precz: "perf record -e mem:ADDR/4:rw -a -g -z",
    bpft: "bpftrace watchpoint { @[kstack] = count(); }"
  },
  workload_names: {
    one: "one stack: pread of 4 bytes, 1 thread",
    many: "many stacks: trigger -m many (\($many_ops | split(" ") | length) ways of reading in turn), 1 thread",
    both: "both CPUs: pread of 4 bytes, 2 threads"
  },
  meta: { date: $date, cpus: $cpus, cpu_model: $model, kernel: $kernel,
	  perf: $perf, bpftrace: $bpftrace, commit: $commit, address: $addr,
	  offset: $offset, reads_per_run: $n, rounds: $rounds, reps: $reps,
	  where: $where,
	  background_hits_per_s: $background, hits_per_read: $hpr,
	  many_ops: ($many_ops | split(" ")),
	  duration_s: $duration },
  startup: $startup,
  results: (["one", "many", "both"] | map(. as $w | select(any($main[]; .workload == $w)) | {
    key: $w,
    value: (["none", "stat", "km", "kmfilt", "kmlive", "prec", "precz", "bpft"]
      | map(. as $t | {
	key: $t,
	value: ([$main[] | select(.workload == $w and .tool == $t)] | map(
	  . as $x
	  | $ix["\(.round)/\($w)/none"].elapsed_ns as $none
	  | $ix["\(.round)/\($w)/none"].trigger_cpu_ns as $none_cpu
	  | $ix["\(.round)/\($w)/stat"] as $floor
	  | $floor.recorded as $counted
	  | {
	    elapsed_ns: .elapsed_ns,
	    counted: $counted,
	    recorded: .recorded,
	    seen: .seen,
	    lost_reported: .lost,
	    trigger_cpu_ns: .trigger_cpu_ns,
	    ns_per_hit_above_none: div(sub(.elapsed_ns; $none); $counted),
	    ratio_to_floor: div(sub(.elapsed_ns; $none); sub($floor.elapsed_ns; $none)),
	    cpu_ns_per_hit_above_none: div(sub(.trigger_cpu_ns; $none_cpu); $counted),
	    cpu_ratio_to_floor: div(sub(.trigger_cpu_ns; $none_cpu);
		sub($floor.trigger_cpu_ns; $none_cpu)),
	    lost_share: (if $t == "kmfilt" or $t == "none" then null
		else div(sub($counted; .recorded); $counted) end),
	    bytes: .bytes,
	    bytes_per_hit: div(.bytes; .recorded),
	    bytes_per_hit_marginal: div(sub(.bytes; $startup[$t].bytes.median);
		sub(.recorded; $startup[$t].recorded.median)),
	    cpu_s: .cpu_s,
	    cpu_us_per_hit: div(.cpu_s; $counted) | (if . then . * 1e6 else . end),
	    cpu_us_per_hit_marginal: div(sub(.cpu_s; $startup[$t].cpu_s.median); $counted)
		| (if . then . * 1e6 else . end),
	    ready_ms: .ready_ms,
	    distinct_stacks: .stacks
	  }) as $rs
	  | { rounds: $rs } + ([$rs[0] // {} | keys[]] | map(. as $k
	      | { key: $k, value: ($rs | map(.[$k]) | stats) }) | from_entries))
      }) | from_entries)
  }) | from_entries),
  arming: ($arm | group_by(.tool) | map({ key: .[0].tool, value: {
    armed_ms: (map(.armed_ms) | stats), ready_ms: (map(.ready_ms) | stats),
    line_ms: (map(.line_ms) | stats), runs: . } }) | from_entries),
  report: {
    reads: $report_reads, kmemsnoop_hits: $km_hits, perf_samples: $perf_samples,
    views: ($rtimes | group_by(.view) | map({ key: .[0].view, value: (
      (map(.us) | stats) as $s
      | { wall_us: $s,
	  per_s: (if .[0].view == "perf_report" then div($perf_samples; $s.median / 1e6)
		  else div($km_hits; $s.median / 1e6) end) }) }) | from_entries)
  },
  noloss: ($noloss[0] + { seconds_target: $noloss_s }),
  report_dwarf: $rdwarf[0],
  report_crafted: $rcrafted[0],
  arm_latency: $armlat[0]
}
JQ

add_targets "$JSON" >"$tmp/with-targets.json"
mv "$tmp/with-targets.json" "$JSON"
if [ "${BENCH_PHASE:-}" != measure ]; then
	print_tables
	cat "$tmp/report_crafted.md" "$tmp/arm_latency.md"
fi
echo "bench: $((SECONDS - bench_start)) s; figures in $JSON" >&2
