# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
# kmemsnoop check, the self-test, held against perf as the independent
# reference: what perf sees fire, or sees refused, on the kernel under
# test, check must say so too, in its text and its JSON alike; and it
# leaves nothing armed. Also the line record and live mode end with
# when they saw no hit at all.
#
# perf never counts while a check watch is armed on the same bytes:
# under QEMU's TCG only the first of two overlapping watchpoints fires.
# perf counts first, check runs after.

CHECK_NAMES="privileges btf bpf-load breakpoint-events slots breakpoint-bpf kernel-watch-fires user-watch-fires exec-breakpoint read-only-watch kallsyms-addresses kallsyms-all fentry"
CHECK_REQUIRED="privileges btf bpf-load breakpoint-events slots breakpoint-bpf kernel-watch-fires kallsyms-addresses"
CHECK_READS=5 # check's reads of __start_BTF (and of /dev/zero for x)
HINT="kmemsnoop: 0 hits seen; if the watched memory was touched, run 'kmemsnoop check': this machine's breakpoints may not fire"

# Others' breakpoints that left check no slot to work with.
_no_slot_for_check() {
	grep -Eq 'no free (hardware )?breakpoint slot|^slots +missing|"name":"slots","status":"missing"' "$@"
}

# run_check OUT ERR [ARGS...]: kmemsnoop check ARGS, stdout to OUT and
# stderr to ERR, run again while others hold every breakpoint slot
# (up to SLOT_RETRY_S); CHECK_RC is its exit status.
run_check() {
	local out=$1 err=$2 deadline=$((SECONDS + SLOT_RETRY_S))

	shift 2
	while :; do
		km check "$@" >"$out" 2>"$err" </dev/null
		CHECK_RC=$?
		if ((CHECK_RC != 1)) || ! _no_slot_for_check "$out" "$err" ||
			((SECONDS >= deadline)); then
			return 0
		fi
		sleep 0.3
	done
}

# check_field OUT NAME: "STATUS DETAIL" of NAME's line of check's text.
check_field() {
	local name status detail

	while read -r name status detail; do
		[[ $name == "$2" ]] && printf '%s %s\n' "$status" "$detail" && return 0
	done <"$1"
	fail "check printed no '$2' line: $(oneline "$1")"
}

# perf_exec ADDR: perf's answer to an execute breakpoint at kernel
# address ADDR, counting one dd of 5 reads of /dev/zero: the count, or
# "refused" when the kernel does not accept it.
perf_exec() {
	local out deadline=$((SECONDS + SLOT_RETRY_S))

	while :; do
		out=$(perf stat -x, -e "mem:0x$1:x" -- \
			dd if=/dev/zero of=/dev/null bs=4 count=$CHECK_READS status=none 2>&1)
		if ! grep -q 'No space left on device' <<<"$out" || ((SECONDS >= deadline)); then
			break
		fi
		sleep 0.3
	done
	if [[ $out =~ (^|$'\n')([0-9]+),,mem: ]]; then
		printf '%s\n' "${BASH_REMATCH[2]}"
	elif [[ $out =~ \<not\ supported\>,,mem: ]]; then
		echo refused
	else
		fail "perf stat on an execute breakpoint at 0x$1 said neither a count nor <not supported>: $(tr '\n' ' ' <<<"$out")"
	fi
}

# Perf counts reads of __start_BTF by a workload; when they fire, check
# exits 0 and sees as many hits as perf for as many reads; when they do
# not, check exits 1 saying kernel-watch-fires is missing.
test_check_kernel_watch_agrees_with_perf() {
	local addr n line status detail re

	addr=$(kaddr __start_BTF) || exit 1
	n=$(perf_count_retry "$addr" 4 -- "$TRIGGER" "$BTF" 0 4 $CHECK_READS) || exit 1
	run_check out err
	line=$(check_field out kernel-watch-fires) || exit 1
	read -r status detail <<<"$line"
	if ((n > 0)); then
		((CHECK_RC == 0)) ||
			fail "perf counted $n hits for $CHECK_READS reads, but check exited $CHECK_RC: $(oneline err)"
		expect_eq "$status" ok "kernel-watch-fires status (perf counted $n)"
		re="^([0-9]+) hits for $CHECK_READS reads of __start_BTF"
		expect_match "$detail" "$re" "kernel-watch-fires detail"
		[[ $detail =~ $re ]]
		expect_eq "${BASH_REMATCH[1]}" "$n" "hits for $CHECK_READS reads, check against perf"
	else
		expect_eq "$CHECK_RC" 1 "check's exit status when perf counts 0 hits"
		expect_eq "$status" missing "kernel-watch-fires status (perf counted 0)"
		expect_match "$detail" "^0 hits for $CHECK_READS reads" "kernel-watch-fires detail"
		grep -q '^kmemsnoop: .*required check.* not ok: .*kernel-watch-fires' err ||
			fail "stderr does not name kernel-watch-fires: $(oneline err)"
	fi
	pass "perf: $n hits for $CHECK_READS reads; check: exit $CHECK_RC, kernel-watch-fires $status: $detail"
}

# json_field JSON NAME KEY: a key of one check, from --format json.
json_field() {
	jq -r --arg n "$2" --arg k "$3" '.checks[] | select(.name == $n) | .[$k]' "$1" ||
		fail "jq cannot read $1: $(oneline "$1")"
}

# The same checks, in the same order, with the same statuses and
# details, the same exit status, and "ok" exactly when every required
# check is ok; the one line on stderr names those that are not.
test_check_json_agrees_with_text() {
	local names required ok want_ok name st_t det_t st_j det_j n rc_text bad f

	run_check text.out text.err
	rc_text=$CHECK_RC
	run_check json.out json.err --format json
	(($(wc -l <json.out) == 1)) || fail "--format json printed $(wc -l <json.out) lines, want 1 object on 1 line"
	jq -e 'type == "object" and (.ok | type == "boolean") and (.checks | type == "array")' json.out >/dev/null ||
		fail "not an object with ok and checks: $(oneline json.out)"
	jq -e 'all(.checks[]; (keys == ["detail", "name", "required", "status"]) and
		(.status | IN("ok", "missing", "error")) and (.required | type == "boolean") and
		(.detail | type == "string" and length > 0))' json.out >/dev/null ||
		fail "a check lacks name, status (ok/missing/error), required or detail: $(oneline json.out)"
	names=$(jq -r '[.checks[].name] | join(" ")' json.out)
	expect_eq "$names" "$CHECK_NAMES" "check names and order in JSON"
	required=$(jq -r '[.checks[] | select(.required) | .name] | join(" ")' json.out)
	expect_eq "$required" "$CHECK_REQUIRED" "required checks"
	expect_eq "$(awk '{ printf "%s%s", (NR > 1 ? " " : ""), $1 }' text.out)" "$CHECK_NAMES" "check names and order in the text"
	grep -Evq '^[a-z-]+ +(ok|missing|error) +[^ ].*$' text.out &&
		fail "a text line is not 'NAME STATUS DETAIL': $(grep -Ev '^[a-z-]+ +(ok|missing|error) +[^ ].*$' text.out | head -n 1)"
	# One jq for all: starting a program is slow in the test VM.
	jq -r '.checks[] | "\(.name) \(.status) \(.detail)"' json.out >json.lines ||
		fail "jq cannot read json.out"
	while read -r name st_t det_t && read -r _ st_j det_j <&3; do
		[[ $st_t == "$st_j" ]] || note_failure "$name: text says $st_t, JSON $st_j"
		# How many slots are free depends on others' programs too.
		[[ $name == slots || $det_t == "$det_j" ]] ||
			note_failure "$name: text detail '$det_t', JSON '$det_j'"
	done <text.out 3<json.lines
	check_done
	ok=$(jq -r .ok json.out)
	want_ok=$(jq -r '[.checks[] | select(.required) | .status == "ok"] | all' json.out)
	expect_eq "$ok" "$want_ok" "JSON ok against its required checks"
	expect_eq "$CHECK_RC" "$([[ $ok == true ]] && echo 0 || echo 1)" "exit status of --format json (ok: $ok)"
	expect_eq "$rc_text" "$CHECK_RC" "exit status of text against JSON"
	bad=$(jq -r '[.checks[] | select(.required and .status != "ok") | .name] | join(", ")' json.out)
	for f in text.err json.err; do
		if [[ -z $bad ]]; then
			[[ ! -s $f ]] || fail "every required check ok, yet stderr says: $(oneline "$f")"
		else
			n=$(wc -w <<<"${bad//,/}")
			expect_eq "$(cat "$f")" "kmemsnoop: $n required check$( ((n > 1)) && echo s) not ok: $bad" "$f"
		fi
	done
	pass "12 checks, ok: $ok${bad:+ (not ok: $bad)}"
}

# An execute breakpoint on vfs_read: check says missing exactly when
# perf's is refused (kernels without CONFIG_KPROBES), ok when perf's
# fires, with a hit per read.
test_check_exec_breakpoint_agrees_with_perf() {
	local addr p status detail

	addr=$(kaddr vfs_read) || exit 1
	p=$(perf_exec "$addr") || exit 1
	run_check out err
	read -r status detail <<<"$(check_field out exec-breakpoint)"
	if [[ $p == refused ]]; then
		expect_eq "$status" missing "exec-breakpoint status (perf's was refused)"
		expect_match "$detail" "^x on vfs_read refused \(.*CONFIG_KPROBES" "exec-breakpoint detail"
	elif ((p > 0)); then
		expect_eq "$status" ok "exec-breakpoint status (perf counted $p)"
		expect_match "$detail" "^$CHECK_READS hits for $CHECK_READS reads \(x on vfs_read\)" "exec-breakpoint detail"
	else
		expect_eq "$status" missing "exec-breakpoint status (perf's accepted, counted 0)"
		expect_match "$detail" "^0 hits for $CHECK_READS reads" "exec-breakpoint detail"
	fi
	pass "perf: $p; check: exec-breakpoint $status: $detail"
}

# slots_each OUT: N of check's "N free on each of the M online CPUs",
# or nothing when the CPUs differ.
slots_each() {
	local line

	line=$(check_field "$1" slots) || exit 1
	[[ $line =~ ^(ok|missing)\ ([0-9]+)\ free\ on\ each\  ]] && printf '%s\n' "${BASH_REMATCH[2]}"
}

# check counts the free slots as perf finds them, before and after it,
# and a second check finds them all free again: it left nothing armed.
test_check_leaves_nothing_armed() {
	local before after c1 c2 try

	for try in 1 2 3; do
		free_slots
		before=$FREE_SLOTS
		run_check one.out one.err
		c1=$(slots_each one.out)
		run_check two.out two.err
		c2=$(slots_each two.out)
		free_slots
		after=$FREE_SLOTS
		# Someone else took or freed a slot meanwhile: again.
		[[ $before == "$after" && $c1 == "$c2" && $c1 == "$before" ]] && break
	done
	expect_eq "$c1" "$before" "check's free slots per CPU against perf's, before ($try tries)"
	expect_eq "$c2" "$c1" "a second check's free slots against the first's"
	expect_eq "$after" "$before" "perf's free slots per CPU after two checks"
	assert_nothing_armed "after kmemsnoop check"
	pass "$before slots free per CPU before, in both checks and after"
}

# Wrong command lines: exit 2 and one line on stderr; --help: exit 0.
test_check_usage() {
	local args rc

	for args in "--bogus" "--format xml" "extra" "--format"; do
		# shellcheck disable=SC2086 # the words are the arguments
		km check $args >out 2>err </dev/null
		rc=$?
		check_error_line "check $args" "$rc" 2 "unknown|argument|option" err
		[[ ! -s out ]] || note_failure "check $args printed on stdout: $(oneline out)"
	done
	check_done
	km check --help >help.out 2>help.err || fail "check --help exited $?: $(oneline help.err)"
	grep -q '^usage: kmemsnoop check ' help.out || fail "check --help: $(head -n 1 help.out)"
	cmp -s help.out <(km help check) || fail "'kmemsnoop help check' differs from 'check --help'"
	pass "4 wrong command lines: exit 2, one line"
}

_holds_perf_events() {
	local n=0 f

	for f in /proc/"$1"/fd/*; do
		[[ $(readlink "$f" 2>/dev/null) == "anon_inode:[perf_event]" ]] && n=$((n + 1))
	done
	((n >= $2)) || ! alive "$1"
}

# A program named with a terminal's escape sequence holds a breakpoint
# on every CPU: check names it among the slots' holders, escaped, and
# not one control byte reaches its output.
test_check_escapes_holder_names() {
	local name=$'e\e[31mX\a' safe='e\x1b[31mX\x07' pid line cpus

	ln -s "$(command -v perf)" "$name" || fail "cannot link perf as a name with escapes"
	cpus=$(getconf _NPROCESSORS_ONLN)
	"./$name" stat -x, -a -e "$(bp_events 1)" >/dev/null 2>hold.err &
	pid=$!
	track "$pid"
	poll 10 _holds_perf_events "$pid" "$cpus" ||
		fail "perf did not open a breakpoint per CPU within 10 s"
	alive "$pid" || fail "perf holding a breakpoint ended: $(oneline hold.err)"
	run_check out err
	run_check json json.err --format json
	kill -TERM "$pid" 2>/dev/null
	wait_pid "$pid" 10 >/dev/null
	for f in out err json json.err; do
		if tr -d '\n' <"$f" | LC_ALL=C grep -q '[[:cntrl:]]'; then
			note_failure "a control byte in check's $f: $(tr -d '\n' <"$f" | LC_ALL=C grep -o '.\{0,20\}[[:cntrl:]].\{0,10\}' | head -n 1 | od -c | head -n 2 | tr '\n' ' ')"
		fi
	done
	check_done
	line=$(check_field out slots) || exit 1
	[[ $line == *"${safe}[$pid]"* ]] ||
		fail "the slots line does not name perf as '${safe}[$pid]': $line"
	[[ $(json_field json slots detail) == *"${safe}[$pid]"* ]] ||
		fail "the JSON slots detail does not name perf as '${safe}[$pid]': $(json_field json slots detail)"
	pass "slots: ${line#* }"
}

# hint_iff WHAT ERR SEEN LONG: ERR ends with the hint exactly when no
# hit was seen and the run was long enough to expect some (LONG: 1 it
# was, 0 it was not, ? cannot tell).
hint_iff() {
	local what=$1 err=$2 seen=$3 long=$4 last

	last=$(tail -n 1 "$err")
	[[ $long == "?" && $seen == 0 ]] && return 0
	if ((seen == 0 && long)); then
		[[ $last == "$HINT" ]] || note_failure "$what: 0 seen, but the last line is not the hint: $(oneline "$err")"
	elif grep -qF "run 'kmemsnoop check'" "$err"; then
		note_failure "$what: $seen seen (long: $long), yet the hint: $(oneline "$err")"
	fi
	(($(grep -cF "run 'kmemsnoop check'" "$err") <= 1)) || note_failure "$what: the hint twice"
}

LIVE_SUMMARY_RE='^kmemsnoop: [0-9]+ hits, [0-9]+ lost, [0-9]+ filtered \(([0-9]+) seen\)'

# live_seen ERR: S of live mode's last line "... (S seen)".
live_seen() {
	local line

	line=$(grep -E "$LIVE_SUMMARY_RE" "$1" | tail -n 1)
	[[ $line =~ $LIVE_SUMMARY_RE ]] || fail "no 'N hits ... (S seen)' line: $(oneline "$1")"
	printf '%s\n' "${BASH_REMATCH[1]}"
}

# record and live mode end with one line pointing at kmemsnoop check
# when they saw not one hit, filtered ones included, over a run long
# enough to expect some (a second, or a COMMAND); never otherwise. The
# kernel's text at _text is code nothing reads as data.
test_zero_hits_hint() {
	local rc seen t0 ms n=0

	km_retry rec.out rec.err record -o t rw4 _text -- true
	rc=$?
	((rc == 0)) || fail "record rw4 _text -- true exited $rc: $(oneline rec.err)"
	read_summary rec.err
	hint_iff "record -- true" rec.err "$SUM_SEEN" 1
	((SUM_SEEN == 0)) && n=$((n + 1))

	km_retry trig.out trig.err record -o t rw4 __start_BTF -- "$TRIGGER" "$BTF" 0 4 3
	rc=$?
	((rc == 0)) || fail "record rw4 __start_BTF -- trigger exited $rc: $(oneline trig.err)"
	read_summary trig.err
	hint_iff "record -- trigger" trig.err "$SUM_SEEN" 1
	((SUM_SEEN == 0)) && n=$((n + 1))

	# Armed for less than a second, unless the machine is slow: live
	# mode reads the symbol table once armed, and the run lasts as
	# long as that takes.
	t0=$EPOCHREALTIME
	km_retry short.out short.err -d 0.3 rw4 _text
	rc=$?
	((rc == 0)) || fail "live -d 0.3 exited $rc: $(oneline short.err)"
	seen=$(live_seen short.err) || exit 1
	ms=$(((${EPOCHREALTIME/./} - ${t0/./}) / 1000))
	hint_iff "live -d 0.3 (${ms} ms)" short.err "$seen" "$( ((ms < 1000)) && echo 0 || echo "?")"

	km_retry long.out long.err -d 1.2 rw4 _text
	rc=$?
	((rc == 0)) || fail "live -d 1.2 exited $rc: $(oneline long.err)"
	seen=$(live_seen long.err) || exit 1
	hint_iff "live -d 1.2" long.err "$seen" 1
	((seen == 0)) && n=$((n + 1))
	! grep -qF "kmemsnoop check" rec.out trig.out short.out long.out ||
		note_failure "the hint went to stdout"
	check_done
	pass "$n of 3 long runs saw no hit and said so"
}
