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

# A kmemsnoop run that should end on its own never takes this long.
KM_TIMEOUT=${KM_TIMEOUT:-60}

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
	local s

	s=$(tr '\n' '|' <"$1")
	s=${s%|}
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

alive() {
	# A zombie still answers kill -0; its state in /proc says Z.
	kill -0 "$1" 2>/dev/null &&
		[[ $(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null) != Z* ]]
}

# wait_pid PID SECONDS: waits for a background child of this shell and
# returns its exit status, or 124 when it takes longer (it then gets a
# SIGTERM, and a SIGKILL 5 s later).
wait_pid() {
	local pid=$1 deadline=$((SECONDS + $2))

	while alive "$pid"; do
		if ((SECONDS >= deadline)); then
			kill -TERM "$pid" 2>/dev/null
			deadline=$((SECONDS + 5))
			while alive "$pid" && ((SECONDS < deadline)); do
				sleep 0.05
			done
			kill -KILL "$pid" 2>/dev/null
			wait "$pid" 2>/dev/null
			return 124
		fi
		sleep 0.02
	done
	wait "$pid"
}

# poll SECONDS CMD...: runs CMD every 20 ms until it succeeds.
poll() {
	local deadline=$((SECONDS + $1))

	shift
	until "$@"; do
		((SECONDS < deadline)) || return 1
		sleep 0.02
	done
}

# --- the kernel -----------------------------------------------------------

# kaddr SYMBOL: its address in /proc/kallsyms, 16 hex digits, no 0x.
kaddr() {
	local a

	a=$(awk -v s="$1" '$3 == s { print $1; exit }' /proc/kallsyms)
	[[ $a =~ ^[0-9a-f]{16}$ && $a != 0000000000000000 ]] ||
		fail "no address for $1 in /proc/kallsyms"
	printf '%s\n' "$a"
}

# le32 FILE OFFSET: the 4 bytes there as a little-endian number, 0x%x.
le32() {
	local v

	v=$(od -An -t u4 --endian=little -j "$2" -N 4 "$1" | tr -d ' ')
	[[ $v =~ ^[0-9]+$ ]] || fail "cannot read 4 bytes at $2 of $1"
	printf '0x%x\n' "$v"
}

online_cpus() {
	getconf _NPROCESSORS_ONLN
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

# perf_holders DIR: pids of processes working in DIR (their cwd) that
# hold perf events, i.e. breakpoints.
perf_holders() {
	local d f

	for d in /proc/[0-9]*; do
		[[ $(readlink "$d/cwd" 2>/dev/null) == "$1" ]] || continue
		for f in "$d"/fd/*; do
			if [[ $(readlink "$f" 2>/dev/null) == "anon_inode:[perf_event]" ]]; then
				echo "${d#/proc/}"
				break
			fi
		done
	done
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
	local n=0 f

	for f in /proc/"$1"/fd/*; do
		[[ $(readlink "$f" 2>/dev/null) == anon_inode:bpf_link ]] && n=$((n + 1))
	done
	printf '%s\n' "$n"
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
