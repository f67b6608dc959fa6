# shellcheck shell=bash disable=SC2034 # globals for the test files
# SPDX-License-Identifier: GPL-2.0
#
# Helpers for the kernel tests (tests/kernel/test_*.sh), sourced by
# tests/run-kernel.sh. Each test is a function test_NAME run in its own
# subshell, in its own empty temp dir; it ends with pass (or by simply
# returning), fail REASON or skip REASON.
#
# The machine is shared: other people may run kmemsnoop, perf or the
# trigger at the same time, and a system-wide watch sees their hits too.
# So tests that compare counts look only at the hits of the processes
# they started themselves (by pid) and compare them with perf counting
# only those processes (perf stat without -a).

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
KM=${KMEMSNOOP:-$ROOT/build/kmemsnoop} # KMEMSNOOP=PATH tests another build
TRIGGER=$ROOT/build/trigger
BTF=/sys/kernel/btf/vmlinux # reading it copies from __start_BTF
NOTES=/sys/kernel/notes # reading it copies from __start_notes

# Time budgets (poll, wait_pid, KM_TIMEOUT, the runner's per-test limit)
# are for a native CPU; under an emulated one they are multiplied by
# KM_TIME_SCALE: by default 6 in tools/vm/run's TCG guest (programs start
# 10-20 times slower there), else 1. Only time budgets scale: counts and
# what a test asserts stay the same.
if [[ -z ${KM_TIME_SCALE-} ]]; then
	KM_TIME_SCALE=1
	[[ ${KMEMSNOOP_VM-} != tcg ]] || KM_TIME_SCALE=6
fi

# scaled SECONDS: a time budget for this CPU.
scaled() {
	echo $(($1 * KM_TIME_SCALE))
}

# A kmemsnoop run that should end on its own never takes this long.
KM_TIMEOUT=${KM_TIMEOUT:-$(scaled 60)}

# --- results ------------------------------------------------------------

# Set by the runner for each test: where the one-line reason goes.
RESULT_FILE=${RESULT_FILE:-/dev/null}

fail() {
	printf '%s\n' "$*" >"$RESULT_FILE"
	exit 1
}

skip() {
	printf '%s\n' "$*" >"$RESULT_FILE"
	exit 77
}

# Optional: a short note printed after PASS.
pass() {
	printf '%s\n' "$*" >"$RESULT_FILE"
	exit 0
}

# Collect several failures, then report them all at once with check_done.
FAILURES=()
note_failure() {
	FAILURES+=("$*")
}

check_done() {
	local IFS=';'

	((${#FAILURES[@]} == 0)) || fail "${FAILURES[*]}"
}

# expect_eq ACTUAL EXPECTED WHAT
expect_eq() {
	[[ $1 == "$2" ]] || fail "$3: got '$1', want '$2'"
}

# expect_match STRING ERE WHAT
expect_match() {
	[[ $1 =~ $2 ]] || fail "$3: '$1' does not match /$2/"
}

# oneline FILE: FILE's lines joined by '|', cut to 300 characters.
oneline() {
	local lines s IFS='|'

	mapfile -t lines <"$1"
	s="${lines[*]}"
	((${#s} <= 300)) || s="${s:0:300}..."
	printf '%s\n' "$s"
}

# --- background processes -------------------------------------------------

# Pids a test started in the background; the runner's cleanup ends any
# still alive when the test ends, one by one, by pid.
BG_PIDS=()
track() {
	BG_PIDS+=("$@")
}

cleanup_bg() {
	local p

	for p in "${BG_PIDS[@]}"; do
		kill -TERM "$p" 2>/dev/null
	done
	for p in "${BG_PIDS[@]}"; do
		wait "$p" 2>/dev/null
	done
}

# nap SECONDS: sleeps, without starting a program: a read that times out
# on a pipe no one writes to. poll and wait_pid nap every 20 ms, and in
# the test VM starting sleep costs 65-165 ms of CPU each time.
nap() {
	[[ -n ${NAP_FD-} ]] || exec {NAP_FD}<> <(:)
	read -rt "$1" -u "$NAP_FD" _
	return 0
}

alive() {
	local stat

	# A zombie still answers kill -0; its state in /proc says Z. (Read
	# by bash itself: it polls, and programs start slowly in the VM.)
	kill -0 "$1" 2>/dev/null || return 1
	{ read -r stat <"/proc/$1/stat"; } 2>/dev/null || return 1
	[[ ${stat##*) } != Z* ]]
}

# wait_pid PID SECONDS: waits for a background child of this shell and
# returns its exit status, or 124 when it takes longer (it then gets a
# SIGTERM, and a SIGKILL 5 s later); SECONDS is scaled by KM_TIME_SCALE.
wait_pid() {
	local pid=$1 deadline=$((SECONDS + $2 * KM_TIME_SCALE))

	while alive "$pid"; do
		if ((SECONDS >= deadline)); then
			kill -TERM "$pid" 2>/dev/null
			deadline=$((SECONDS + 5))
			while alive "$pid" && ((SECONDS < deadline)); do
				nap 0.05
			done
			kill -KILL "$pid" 2>/dev/null
			wait "$pid" 2>/dev/null
			return 124
		fi
		nap 0.02
	done
	wait "$pid"
}

# poll SECONDS CMD...: runs CMD every 20 ms until it succeeds (SECONDS
# scaled by KM_TIME_SCALE).
poll() {
	local deadline=$((SECONDS + $1 * KM_TIME_SCALE))

	shift
	until "$@"; do
		((SECONDS < deadline)) || return 1
		nap 0.02
	done
}

# --- the kernel -----------------------------------------------------------

# probed NAME CMD...: CMD's one-line answer about the kernel under
# test, asked once per run of the runner: kept in its suite directory
# (SUITE_TMP), as the kernel does not change within a run.
probed() {
	local f=${SUITE_TMP:+$SUITE_TMP/probe.$1} v

	shift
	if [[ -n $f ]] && { read -r v <"$f"; } 2>/dev/null && [[ -n $v ]]; then
		printf '%s\n' "$v"
		return 0
	fi
	v=$("$@") || exit 1
	[[ -z $f ]] || printf '%s\n' "$v" >"$f"
	printf '%s\n' "$v"
}

_kaddr() {
	local a

	a=$(awk -v s="$1" '$3 == s { print $1; exit }' /proc/kallsyms)
	[[ $a =~ ^[0-9a-f]{16}$ && $a != 0000000000000000 ]] ||
		fail "no address for $1 in /proc/kallsyms"
	printf '%s\n' "$a"
}

# kaddr SYMBOL: its address in /proc/kallsyms, 16 hex digits, no 0x
# (read once per run: /proc/kallsyms is long, and slow to read in the VM).
kaddr() {
	probed "kaddr.$1" _kaddr "$1"
}

# le32 FILE OFFSET: the 4 bytes there as a little-endian number, 0x%x.
le32() {
	local v

	v=$(od -An -t u4 --endian=little -j "$2" -N 4 "$1" | tr -d ' ')
	[[ $v =~ ^[0-9]+$ ]] || fail "cannot read 4 bytes at $2 of $1"
	printf '0x%x\n' "$v"
}

online_cpus() {
	probed online_cpus getconf _NPROCESSORS_ONLN
}

# perf_count ADDR LEN -- CMD...: how many times CMD (and its children)
# touched LEN bytes at kernel address ADDR (hex, with or without 0x),
# as perf's own hardware breakpoint counts it. Only CMD is counted, not
# the whole system, so other users of the machine do not change it.
perf_count() {
	local addr=${1#0x} len=$2 out n

	shift 2
	[[ ${1-} == -- ]] && shift
	out=$(mktemp perf.XXXXXX)
	if ! perf stat -x, -o "$out" -e "mem:0x$addr/$len:rw" -- "$@" \
		>/dev/null 2>"$out.err"; then
		fail "perf stat on 0x$addr failed: $(tail -n 3 "$out" "$out.err" | tr '\n' ' ')"
	fi
	n=$(awk -F, '/mem:/ { print $1; exit }' "$out")
	[[ $n =~ ^[0-9]+$ ]] || fail "perf stat gave no count for 0x$addr: $(tr '\n' ' ' <"$out")"
	printf '%s\n' "$n"
}

# --- processes and their descriptors, read from /proc ----------------------
# Each scan is one find, not a readlink per process or descriptor: in
# the test VM starting a program costs 65-165 ms, and these scans run
# between every two steps of some tests.

# glob_quoted VAR STRING: STRING quoted for find's -lname, into VAR.
glob_quoted() {
	local s=${2//\\/\\\\}

	s=${s//\*/\\*} s=${s//\?/\\?} s=${s//\[/\\[}
	printf -v "$1" '%s' "$s"
}

# pids_in DIR [sub]: pids of the processes working in DIR (their cwd),
# or with "sub", in DIR or below it; in the order of /proc/[0-9]*.
pids_in() {
	local pat out p

	glob_quoted pat "$1"
	if [[ ${2-} == sub ]]; then
		out=$(find /proc/[0-9]*/cwd -maxdepth 0 \( -lname "$pat" -o -lname "$pat/*" \) -printf '%h\n' 2>/dev/null)
	else
		out=$(find /proc/[0-9]*/cwd -maxdepth 0 -lname "$pat" -printf '%h\n' 2>/dev/null)
	fi
	for p in $out; do
		printf '%s\n' "${p#/proc/}"
	done
}

# fd_pids TARGET [PID...]: which of the PIDs (default: every process)
# hold a descriptor on TARGET (as readlink shows it, e.g.
# anon_inode:[perf_event]), each once, in the order of /proc/[0-9]*.
fd_pids() {
	local pat dirs=() p out last=

	glob_quoted pat "$1"
	shift
	for p in "$@"; do dirs+=("/proc/$p/fd"); done
	(($#)) || dirs=(/proc/[0-9]*/fd)
	out=$(find "${dirs[@]}" -mindepth 1 -maxdepth 1 -lname "$pat" -printf '%h\n' 2>/dev/null)
	# find lists a directory's entries together: one pid's run of lines.
	for p in $out; do
		p=${p#/proc/} p=${p%/fd}
		[[ $p == "$last" ]] || printf '%s\n' "$p"
		last=$p
	done
}

# fd_count PID TARGET: how many descriptors PID holds on TARGET.
fd_count() {
	local pat dots

	glob_quoted pat "$2"
	dots=$(find "/proc/$1/fd" -mindepth 1 -maxdepth 1 -lname "$pat" -printf . 2>/dev/null)
	printf '%s\n' "${#dots}"
}

PERF_FD='anon_inode:[perf_event]'

# perf_holders DIR: pids of processes working in DIR (their cwd) that
# hold perf events, i.e. breakpoints.
perf_holders() {
	local pids

	mapfile -t pids < <(pids_in "$1")
	((${#pids[@]} == 0)) || fd_pids "$PERF_FD" "${pids[@]}"
}

# assert_nothing_armed [WHAT]: no process this test started (they work
# in its temp dir) still holds a breakpoint, and perf can still set one
# on __start_BTF system-wide.
assert_nothing_armed() {
	local addr out holders

	holders=$(perf_holders "$PWD")
	[[ -z $holders ]] ||
		fail "${1:+$1: }still armed: pid $(echo "$holders" | tr '\n' ' ')holds perf events"
	addr=$(kaddr __start_BTF) || exit 1
	if ! out=$(perf stat -x, -e "mem:0x$addr/4:rw" -a -- true 2>&1); then
		fail "${1:+$1: }perf can no longer set a breakpoint: $(echo "$out" | tr '\n' ' ')"
	fi
	[[ $out =~ (^|$'\n')[0-9]+,,mem: ]] ||
		fail "${1:+$1: }perf stat gave no count: $(echo "$out" | tr '\n' ' ')"
}

# bpf_links PID: how many BPF links PID holds (one per armed watch and
# CPU, once kmemsnoop has attached its program to every breakpoint).
bpf_links() {
	fd_count "$1" anon_inode:bpf_link
}

_armed() {
	alive "$1" || fail "kmemsnoop (pid $1) exited before arming: $(tr '\n' ' ' <"$3")"
	(($(bpf_links "$1") >= $2))
}

# wait_armed PID NR_WATCHES [STDERR_FILE]: waits until kmemsnoop PID has
# attached its program to every watchpoint on every online CPU.
wait_armed() {
	local want=$(($2 * $(online_cpus)))

	poll 20 _armed "$1" "$want" "${3:-/dev/null}" ||
		fail "kmemsnoop (pid $1) did not arm $want breakpoints within 20 s"
}

# threads_above PID N: PID has more than N threads.
threads_above() {
	local t=(/proc/"$1"/task/*)

	[[ -e ${t[0]} ]] && ((${#t[@]} > $2))
}

# --- kmemsnoop ---------------------------------------------------------------

# km ARGS...: kmemsnoop, killed if it hangs.
km() {
	timeout -k 5 "$KM_TIMEOUT" "$KM" "$@"
}

# hits_json TRACE: writes the trace as JSON Lines to TRACE.json.
hits_json() {
	km report -i "$1" --format json >"$1.json" 2>"$1.json.err" ||
		fail "report -i $1 --format json failed: $(tr '\n' ' ' <"$1.json.err")"
}

# header_field TRACE KEY: a value from report --header.
header_field() {
	km report -i "$1" --header 2>/dev/null | sed -n "s/^$2: //p"
}

# Live output: one header line per hit, "#N SECONDS cpu ..." (the value
# as "value NEW (new)" or "value OLD -> NEW (old -> new)"), then frames.
HIT_LINE_RE='^#[0-9]+ [0-9]+\.[0-9]{9} cpu [0-9]+ pid [0-9]+/[0-9]+ comm .* watch [0-9]+( value (0x[0-9a-f]+|\?) -> 0x[0-9a-f]+ \(([0-9]+|\?) -> [0-9]+\)| value 0x[0-9a-f]+ \([0-9]+\))?$'
FRAME_LINE_RE='^ +0x[0-9a-f]{16}: [^ ]+( \[[^]]+\])? @ 0x[0-9a-f]+\+0x[0-9a-f]+$'

# --- environment -------------------------------------------------------------

# Prints why BPF or hardware breakpoints cannot be used here, or nothing.
kernel_unavailable_reason() {
	local out addr

	if [[ $(id -u) != 0 ]]; then
		echo "not root: kmemsnoop needs root for BPF and kernel breakpoints"
		return
	fi
	if [[ ! -r /sys/kernel/btf/vmlinux ]]; then
		echo "no /sys/kernel/btf/vmlinux: the kernel has no BTF"
		return
	fi
	addr=$(awk '$3 == "__start_BTF" { print $1; exit }' /proc/kallsyms)
	[[ -n $addr ]] || return # the tests then fail, saying why
	if [[ $addr =~ ^0+$ ]]; then
		echo "/proc/kallsyms hides addresses from this user (no CAP_SYSLOG): not permitted"
		return
	fi
	# perf says EACCES/EPERM in words, or, when perf_event_paranoid
	# forbids kernel events, falls back to counting user space only.
	out=$(perf stat -v -x, -e "mem:0x$addr/4:rw" -a -- true 2>&1)
	if grep -qiE 'permission denied|not permitted|access to performance monitoring|fall back to excluding kernel' <<<"$out"; then
		echo "perf_event_open of a kernel breakpoint refused (EACCES/EPERM): $(grep -iE 'permission|permitted|access to|fall back' <<<"$out" | head -n 1 | tr -s ' ')"
	fi
}

# --- workloads -----------------------------------------------------------------

# "${WITH_PIDFILE[@]}" FILE CMD...: runs CMD with its pid written to FILE
# first (CMD keeps the pid: it is exec'd).
# shellcheck disable=SC2016 # $$ and $0 are for the inner sh
WITH_PIDFILE=(sh -c 'echo $$ >"$0"; exec "$@"')

# read_pid FILE
read_pid() {
	local p

	p=$(cat "$1" 2>/dev/null)
	[[ $p =~ ^[0-9]+$ ]] || fail "no pid in $1"
	printf '%s\n' "$p"
}

# json_count JSON_FILE JQ_FILTER [jq args...]: how many hits the filter
# keeps, e.g. json_count t.json 'select(.pid == 1)'.
json_count() {
	local f=$1 filter=$2

	shift 2
	jq -n "$@" "[inputs | $filter] | length" "$f" ||
		fail "jq could not read $f"
}

# --- several processes, breakpoint slots, accounting ---------------------------
# (used by test_filters, test_accounting, test_slots, test_misuse, test_crash)

# A single-threaded reader, the second process of two-process workloads
# next to the trigger: "${PREAD1[@]}" FILE N makes N 4-byte reads at
# offset 0 of FILE on its main thread (tid == pid, comm "perl"), as many
# hits each as the trigger's preads (perf counts them: the number
# depends on the kernel's memcpy).
PREAD1=(perl -e 'open(my $f, "<", $ARGV[0]) or die "$ARGV[0]: $!\n";
for (1 .. $ARGV[1]) { sysseek($f, 0, 0); sysread($f, my $b, 4) == 4 or die "read: $!\n" }')

# bash -c "$GATE_WAIT" GATE CMD...: waits until the file GATE exists,
# then execs CMD. It naps in bash meanwhile (see nap): a gate that
# started sleep every 10 ms would take a CPU of the test VM.
# shellcheck disable=SC2016 # $0 and $@ are the inner bash's
GATE_WAIT='exec 3<> <(:); while [[ ! -e $0 ]]; do read -rt 0.01 -u 3; done; exec 3<&-; exec "$@"'

# start_gated GATE CMD...: starts CMD in the background, held back until
# the file GATE exists; CMD is exec'd, so its pid is known before it
# runs: GATED_PID.
start_gated() {
	local gate=$1

	shift
	bash -c "$GATE_WAIT" "$gate" "$@" &
	GATED_PID=$!
	track "$GATED_PID"
}

# The CPU's debug address registers: breakpoint slots per CPU on x86.
HW_SLOTS=4
SLOT_BASE=
SLOT_FREE=$HW_SLOTS
SLOT_OTHERS=

# bp_events K: K perf breakpoint events (1-byte rw) on distinct bytes of
# the BTF blob past its header, for probing free slots.
bp_events() {
	local k ev=

	[[ -n $SLOT_BASE ]] || SLOT_BASE=$(kaddr __start_BTF) || exit 1
	for ((k = 0; k < $1; k++)); do
		ev+="${ev:+,}mem:0x$(printf '%x' $((0x$SLOT_BASE + 64 + 8 * k)))/1:rw"
	done
	printf '%s\n' "$ev"
}

# slots_free K: perf can open K breakpoints on every online CPU now.
slots_free() {
	local out line n=0

	[[ -n $SLOT_BASE ]] || SLOT_BASE=$(kaddr __start_BTF) || exit 1
	out=$(perf stat -x, -a -e "$(bp_events "$1")" -- true 2>&1) || return 1
	while read -r line; do
		[[ $line =~ ^[0-9]+,,mem: ]] && n=$((n + 1))
	done <<<"$out"
	((n == $1))
}

# free_slots: sets FREE_SLOTS to how many breakpoints (0-4) perf can open
# on every CPU now. The machine is shared: others may hold some.
free_slots() {
	[[ -n $SLOT_BASE ]] || SLOT_BASE=$(kaddr __start_BTF) || exit 1
	for ((FREE_SLOTS = HW_SLOTS; FREE_SLOTS > 0; FREE_SLOTS--)); do
		slots_free "$FREE_SLOTS" && return 0
	done
}

# perf_event_holders: every process holding perf events, "pid:comm".
perf_event_holders() {
	local p comm

	for p in $(fd_pids "$PERF_FD"); do
		{ read -r comm <"/proc/$p/comm"; } 2>/dev/null || comm=
		printf '%s:%s ' "$p" "$comm"
	done
}

# other_holders: pids of the processes holding perf events that this
# test did not start (they work elsewhere), sorted.
other_holders() {
	comm -23 <(fd_pids "$PERF_FD") <(pids_in "$PWD")
}

# slot_baseline: SLOT_FREE, the breakpoint slots free on every CPU now,
# and SLOT_OTHERS, who else holds perf events now.
slot_baseline() {
	free_slots
	SLOT_FREE=$FREE_SLOTS
	SLOT_OTHERS=$(other_holders)
}

# wait_slots_free [K] WHAT: waits up to 20 s until perf can open K
# breakpoints (default SLOT_FREE, from slot_baseline) on every CPU again:
# a slot the process under test left taken stays taken, while those
# others take for a moment come back. If a process not of this test
# that was not there at the baseline holds perf events meanwhile,
# someone else took slots: then the baseline is taken anew instead.
wait_slots_free() {
	local k=$SLOT_FREE deadline=$((SECONDS + $(scaled 20)))

	[[ ${1-} =~ ^[0-9]+$ ]] && k=$1 && shift
	until slots_free "$k"; do
		if [[ -n $(comm -13 <(echo "$SLOT_OTHERS") <(other_holders)) ]]; then
			slot_baseline
			return 0
		fi
		((SECONDS < deadline)) || fail "${1:+$1: }perf cannot open $k breakpoints on every CPU 20 s on; perf events held by: $(perf_event_holders)"
		sleep 0.2
	done
}
_armed_or_gone() {
	if (($(bpf_links "$1") >= $2)); then
		_KM_ARMED=1
		return 0
	fi
	! alive "$1"
}

# A kmemsnoop that failed only for want of a free slot (others' tests
# hold breakpoints for a while) is tried again, for up to this long.
SLOT_RETRY_S=${SLOT_RETRY_S:-$(scaled 30)}

no_slot() {
	grep -q 'no free hardware breakpoint slot' "$1"
}

# start_km NR_WATCHES OUT ERR ARGS...: starts kmemsnoop ARGS in the
# background (stdout to OUT, stderr to ERR) and waits until it has
# armed NR_WATCHES watches on every CPU; sets KM_PID.
start_km() {
	local nw=$1 out=$2 err=$3 deadline=$((SECONDS + SLOT_RETRY_S))

	shift 3
	while :; do
		"$KM" "$@" >"$out" 2>"$err" </dev/null &
		KM_PID=$!
		track "$KM_PID"
		_KM_ARMED=
		poll 20 _armed_or_gone "$KM_PID" $((nw * $(online_cpus))) ||
			fail "kmemsnoop (pid $KM_PID) did not arm $nw watches on every CPU within 20 s"
		[[ -n $_KM_ARMED ]] && return 0
		wait "$KM_PID" 2>/dev/null
		if ! no_slot "$err" || ((SECONDS >= deadline)); then
			fail "kmemsnoop $* exited before arming: $(oneline "$err")"
		fi
		sleep 0.3
	done
}

# km_retry OUT ERR ARGS...: km ARGS (stdout to OUT, stderr to ERR), run
# again while it fails for want of a free slot; returns its status.
km_retry() {
	local out=$1 err=$2 rc deadline=$((SECONDS + SLOT_RETRY_S))

	shift 2
	while :; do
		km "$@" >"$out" 2>"$err" </dev/null
		rc=$?
		if ((rc != 1)) || ! no_slot "$err" || ((SECONDS >= deadline)); then
			return "$rc"
		fi
		sleep 0.3
	done
}

# stop_km SIGNAL [WANT_RC]: signals KM_PID, waits for it (10 s), checks
# its exit status (default 0).
stop_km() {
	local rc

	kill -"$1" "$KM_PID" 2>/dev/null
	wait_pid "$KM_PID" 10
	rc=$?
	((rc != 124)) || fail "kmemsnoop (pid $KM_PID) did not stop within 10 s of SIG$1"
	((rc == ${2:-0})) || fail "kmemsnoop exited $rc after SIG$1, want ${2:-0}"
}

# perf_stat_retry OUT ARGS...: perf stat -x, -o OUT ARGS (its command's
# output to /dev/null), run again while perf finds no free breakpoint
# slot (others' tests hold some for a while); fails the test otherwise.
perf_stat_retry() {
	local out=$1 deadline=$((SECONDS + SLOT_RETRY_S))

	shift
	until perf stat -x, -o "$out" "$@" >/dev/null 2>"$out.err"; do
		if ! grep -qs 'No space left on device' "$out" "$out.err" || ((SECONDS >= deadline)); then
			fail "perf stat ${*:1:3} failed: $(tail -n 3 "$out" "$out.err" | tr '\n' ' ')"
		fi
		sleep 0.3
	done
}

# perf_count_retry ADDR LEN -- CMD...: perf_count, run again while perf
# finds no free breakpoint slot.
perf_count_retry() {
	local addr=${1#0x} len=$2 out n

	shift 2
	[[ ${1-} == -- ]] && shift
	out=$(mktemp perf.XXXXXX)
	perf_stat_retry "$out" -e "mem:0x$addr/$len:rw" -- "$@"
	n=$(awk -F, '/mem:/ { print $1; exit }' "$out")
	[[ $n =~ ^[0-9]+$ ]] || fail "perf stat gave no count for 0x$addr: $(tr '\n' ' ' <"$out")"
	printf '%s\n' "$n"
}

# --- what the kernel under test can do ----------------------------------------
# Asked of the kernel (once per run, see probed), never assumed: the
# tests run on this machine's kernel and in the test VM on Debian's.

_bp_overlap() {
	local addr out counts

	addr=$(kaddr __start_BTF) || exit 1
	out=$(mktemp perf.XXXXXX)
	perf_stat_retry "$out" -e "mem:0x$addr/4:rw,mem:0x$addr/4:rw" -- "$TRIGGER" "$BTF" 0 4 10
	counts=$(awk -F, '$3 ~ /^mem:/ { printf "%s ", $1 }' "$out")
	[[ $counts =~ ^([0-9]+)\ ([0-9]+)\ $ ]] ||
		fail "perf stat gave no two counts for two breakpoints on 0x$addr: $(oneline "$out")"
	if ((BASH_REMATCH[1] == 0 && BASH_REMATCH[2] == 0)); then
		echo none
	elif ((BASH_REMATCH[1] == BASH_REMATCH[2])); then
		echo both
	else
		echo first
	fi
}

# bp_overlap: do two breakpoints on the same bytes both fire, as perf
# counts 10 reads of them? "both" on a real CPU; "first" under QEMU's
# TCG, which stops at the first watchpoint that matches (perf counts N
# and 0); "none" where breakpoints never fire.
bp_overlap() {
	probed bp_overlap _bp_overlap
}

_exec_bp() {
	local addr out

	addr=$(kaddr vfs_read) || exit 1
	out=$(mktemp perf.XXXXXX)
	perf_stat_retry "$out" -a -e "mem:0x$addr:x" -- true
	if grep -Eq '^[0-9]+,,mem:' "$out"; then
		echo yes
	elif grep -q '^<not supported>,,mem:' "$out"; then
		echo no
	else
		fail "perf stat of an execute breakpoint on vfs_read says neither a count nor <not supported>: $(oneline "$out")"
	fi
}

# exec_bp: "yes" when the kernel takes an execute breakpoint on vfs_read
# (perf stat -e mem:ADDR:x), "no" when it refuses it, as x86 kernels
# without CONFIG_KPROBES do.
exec_bp() {
	probed exec_bp _exec_bp
}

_wl_started() {
	[[ -s wl.pid ]] || ! alive "$1"
}

# The workload's wrapper for start_counted: writes its pid to $0, waits
# for ./go as GATE_WAIT does, then execs the command.
# shellcheck disable=SC2016 # $$, $0 and $@ are the inner bash's
WL_GATED='echo $$ >"$0"; exec 3<> <(:); while [[ ! -e go ]]; do read -rt 0.01 -u 3; done; exec 3<&-; exec "$@"'

# start_counted ADDR LEN CMD...: starts CMD, held back until ./go
# exists, for perf_counted to give its hits of LEN bytes at ADDR (per
# process, as perf_count). Sets WL_PID (CMD's pid, known before it runs:
# it is exec'd) and WL_RUN, the pid to wait for: CMD is done once it has
# ended. CMD's stdout goes to wl.out.
# Where two breakpoints on the same bytes both fire (bp_overlap), perf
# stat counts CMD in this very run, beside the watch under test (WL_RUN
# is perf's pid). Where only one of them would (QEMU's TCG), CMD runs
# alone, and perf_counted counts a second run of it, of the same shape:
# CMD must then do the same reads each time.
start_counted() {
	local deadline=$((SECONDS + SLOT_RETRY_S)) overlap

	WL_ADDR=${1#0x} WL_LEN=$2
	shift 2
	WL_CMD=("$@")
	overlap=$(bp_overlap) || exit 1
	WL_AT_ONCE=
	[[ $overlap == both ]] && WL_AT_ONCE=1
	while :; do
		rm -f go wl.pid wl.perf
		if [[ -n $WL_AT_ONCE ]]; then
			perf stat -x, -o wl.perf -e "mem:0x$WL_ADDR/$WL_LEN:rw" -- \
				bash -c "$WL_GATED" wl.pid "$@" >wl.out 2>wl.perf.err &
		else
			bash -c "$WL_GATED" wl.pid "$@" >wl.out 2>wl.perf.err &
		fi
		WL_RUN=$!
		track "$WL_RUN"
		poll 10 _wl_started "$WL_RUN" || fail "the workload did not start within 10 s"
		[[ -s wl.pid ]] && break
		# perf found no free slot (others hold breakpoints): again.
		wait "$WL_RUN" 2>/dev/null
		if ! grep -qs 'No space left on device' wl.perf.err wl.perf || ((SECONDS >= deadline)); then
			fail "perf stat ended before its workload ran: $(oneline wl.perf.err)"
		fi
		sleep 0.3
	done
	WL_PID=$(read_pid wl.pid) || exit 1
}

# perf_counted: perf's count of the workload start_counted started (once
# WL_RUN has ended): from the perf stat beside it, or of a second run.
perf_counted() {
	local n

	if [[ -z $WL_AT_ONCE ]]; then
		perf_stat_retry wl.perf -e "mem:0x$WL_ADDR/$WL_LEN:rw" -- \
			bash -c "$WL_GATED" wl2.pid "${WL_CMD[@]}"
	fi
	n=$(awk -F, '/mem:/ { print $1; exit }' wl.perf)
	[[ $n =~ ^[0-9]+$ ]] || fail "perf stat gave no count: $(oneline wl.perf) $(oneline wl.perf.err)"
	printf '%s\n' "$n"
}

# read_header TRACE: report --header of TRACE into TRACE.header, and its
# "KEY: VALUE" lines into HDR_OF (of HDR_TRACE), for hdr.
declare -gA HDR_OF=()
HDR_TRACE=
read_header() {
	local line

	km report -i "$1" --header >"$1.header" 2>"$1.header.err" ||
		fail "report -i $1 --header exited $?: $(oneline "$1.header.err")"
	HDR_OF=() HDR_TRACE=$1
	while IFS= read -r line; do
		[[ $line == *': '* ]] && HDR_OF[${line%%: *}]=${line#*: }
	done <"$1.header"
}

# hdr TRACE KEY: a value from TRACE.header (read_header first).
hdr() {
	if [[ $1 == "$HDR_TRACE" ]]; then
		printf '%s\n' "${HDR_OF[$2]-}"
	else
		sed -n "s/^$2: //p" "$1.header"
	fi
}

SUMMARY_RE='^kmemsnoop: recorded ([0-9]+) hits, ([0-9]+) lost, ([0-9]+) filtered \(([0-9]+) seen\)'

# read_summary ERR: SUM_HITS, SUM_LOST, SUM_FILTERED, SUM_SEEN from the
# line "kmemsnoop: recorded N hits, L lost, F filtered (S seen), ..."
# record prints last on stderr.
read_summary() {
	local l line=

	while IFS= read -r l; do
		[[ $l =~ $SUMMARY_RE ]] && line=$l
	done <"$1"
	[[ $line =~ $SUMMARY_RE ]] ||
		fail "no 'recorded N hits, L lost, F filtered (S seen)' line on stderr: $(oneline "$1")"
	SUM_HITS=${BASH_REMATCH[1]} SUM_LOST=${BASH_REMATCH[2]}
	SUM_FILTERED=${BASH_REMATCH[3]} SUM_SEEN=${BASH_REMATCH[4]}
}

# check_accounts TRACE ERR: notes (note_failure) every way the finished
# recording's accounts disagree: the trailer is there, holds as many
# hits as the file, seen = hits + lost + filtered exactly, and the
# summary line on stderr gives the same four numbers as --header.
# Reads TRACE.header and the summary (HDR_* and SUM_* afterwards).
check_accounts() {
	local k

	read_header "$1"
	read_summary "$2"
	HDR_HITS=$(hdr "$1" hits) HDR_LOST=$(hdr "$1" lost)
	HDR_FILTERED=$(hdr "$1" filtered) HDR_SEEN=$(hdr "$1" seen)
	[[ $(hdr "$1" complete) == yes ]] || note_failure "$1: --header says complete: $(hdr "$1" complete), want yes"
	for k in HDR_HITS HDR_LOST HDR_FILTERED HDR_SEEN; do
		[[ ${!k} =~ ^[0-9]+$ ]] || fail "$1: --header has no ${k#HDR_} count: $(oneline "$1.header")"
	done
	[[ $(hdr "$1" hits-read) == "$HDR_HITS" ]] ||
		note_failure "$1: --header hits $HDR_HITS, but hits-read $(hdr "$1" hits-read)"
	((HDR_SEEN == HDR_HITS + HDR_LOST + HDR_FILTERED)) ||
		note_failure "$1: --header seen $HDR_SEEN != hits $HDR_HITS + lost $HDR_LOST + filtered $HDR_FILTERED"
	((SUM_SEEN == SUM_HITS + SUM_LOST + SUM_FILTERED)) ||
		note_failure "$1: summary seen $SUM_SEEN != hits $SUM_HITS + lost $SUM_LOST + filtered $SUM_FILTERED"
	[[ "$SUM_HITS $SUM_LOST $SUM_FILTERED $SUM_SEEN" == "$HDR_HITS $HDR_LOST $HDR_FILTERED $HDR_SEEN" ]] ||
		note_failure "$1: summary says hits/lost/filtered/seen $SUM_HITS/$SUM_LOST/$SUM_FILTERED/$SUM_SEEN, --header $HDR_HITS/$HDR_LOST/$HDR_FILTERED/$HDR_SEEN"
}

# exec_case WHAT SYMBOL HITS -- ARGS...: kmemsnoop ARGS, live, watching
# SYMBOL with an execute breakpoint on a kernel that takes them (exec_bp
# says yes), ends as it should: exit 0, and a summary line of HITS hits
# (a number, or an ERE such as [0-9]+);
# with HITS 1, that one hit is at SYMBOL's first byte (its first frame is
# SYMBOL+0x0). Notes (note_failure) every way it does not.
exec_case() {
	local what=$1 sym=$2 hits=$3 addr rc nr first

	shift 4
	addr=$(kaddr "$sym") || exit 1
	km "$@" >case.out 2>case.err </dev/null
	rc=$?
	if ((rc != 0)); then
		note_failure "$what: exit $rc, want 0: this kernel takes execute breakpoints (stderr: $(oneline case.err))"
		return
	fi
	grep -Eq "^kmemsnoop: $hits hits, [0-9]+ lost" case.err ||
		note_failure "$what: no 'kmemsnoop: $hits hits, L lost' on stderr: $(oneline case.err)"
	[[ $hits == 1 ]] || return 0
	nr=$(grep -c '^#' case.out)
	first=$(grep -m1 -A1 '^#' case.out | sed -n 2p)
	if ((nr != 1)); then
		note_failure "$what: $nr hits printed, want 1"
	elif [[ ! $first =~ ^\ +0x$addr:\ $sym\ @\ 0x$addr\+0x0$ ]]; then
		note_failure "$what: the hit's first frame is '$first', want '0x$addr: $sym @ 0x$addr+0x0'"
	fi
}

# check_error_line WHAT RC WANT RE ERRFILE: a failed command's answer is
# the documented exit status and exactly one line on stderr, starting
# "kmemsnoop: " and matching RE (the word that names the problem).
check_error_line() {
	local what=$1 rc=$2 want=$3 re=$4 err=$5 lines first text

	# Read by bash (a table runs this once a row): lines as wc -l counts
	# them, the newlines.
	mapfile text <"$err"
	lines=${#text[@]} first=${text[0]-}
	[[ -z $first || ${text[-1]} == *$'\n' ]] || lines=$((lines - 1))
	first=${first%$'\n'}
	if ((rc != want)); then
		note_failure "$what: exit $rc, want $want (stderr: $(oneline "$err"))"
	elif ((lines != 1)); then
		note_failure "$what: $lines lines on stderr, want 1: $(oneline "$err")"
	elif [[ ! $first =~ ^kmemsnoop:\  ]]; then
		note_failure "$what: stderr does not start 'kmemsnoop: ': $first"
	elif [[ ! $first =~ $re ]]; then
		note_failure "$what: message does not name the problem (/$re/): $first"
	fi
}
