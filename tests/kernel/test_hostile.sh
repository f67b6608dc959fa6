# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
# Any process chooses its own name. One that names itself with terminal
# controls (an OSC that retitles the window and rings, a UTF-8-encoded
# CSI, a right-to-left override) must not reach the terminal through
# live mode or any text view of report; JSON keeps the name exactly.

# ESC ] 0 ; p w BEL, then U+009B (CSI) "2J", then U+202E: 14 bytes, so
# the kernel keeps all of it (TASK_COMM_LEN is 16 with the NUL).
HOSTILE_COMM=$'\e]0;pw\a\xc2\x9b2J\xe2\x80\xae'
# How the one escaping rule (common/escape.h) shows it.
HOSTILE_SHOWN='\x1b]0;pw\x07\xc2\x9b2J\xe2\x80\xae'

# term_unsafe FILE: says what in FILE a terminal would act on, if
# anything: bytes that are not UTF-8, C0 controls but tab and newline,
# DEL, C1 controls, bidirectional formatting characters.
term_unsafe() {
	perl -e 'local $/; my $s = <STDIN>;
		utf8::decode($s) or do { print "bytes that are not UTF-8\n"; exit };
		if ($s =~ /([\x00-\x08\x0b-\x1f\x7f-\x9f\x{61c}\x{200e}\x{200f}\x{202a}-\x{202e}\x{2066}-\x{2069}])/) {
			printf "U+%04X at character %d\n", ord $1, $-[0] }' <"$1"
}

# A copy of the trigger whose name is HOSTILE_COMM: exec gives the task
# its file's name.
hostile_trigger() {
	mkdir -p bin && cp "$TRIGGER" "bin/$HOSTILE_COMM" || fail "cannot copy the trigger"
	printf '%s' "$PWD/bin/$HOSTILE_COMM"
}

# Every text view of a trace of the hostile task, then its JSON.
test_hostile_comm_report() {
	local trig view out bad comm n=40
	local -a views=("" "--hits" "-s comm,sym" "-g caller" "-s comm -g callee"
		"--timeline" "--format folded" "--format perf-script" "--header")

	trig=$(hostile_trigger) || exit 1
	km record -o t rw4 __start_BTF -- "$trig" "$BTF" 0 4 "$n" \
		>/dev/null 2>rec.err || fail "record exited $?: $(oneline rec.err)"
	for view in "${views[@]}"; do
		out="view-${view//[^a-z]/_}.txt"
		# shellcheck disable=SC2086 # each view is its options, split
		km report -i t $view >"$out" 2>view.err ||
			fail "report $view exited $?: $(oneline view.err)"
		[[ -s $out ]] || fail "report $view printed nothing"
		bad=$(term_unsafe "$out")
		[[ -z $bad ]] || fail "report $view lets through $bad"
		bad=$(term_unsafe view.err)
		[[ -z $bad ]] || fail "report $view's stderr lets through $bad"
	done
	grep -qF "comm $HOSTILE_SHOWN watch 0" view-__hits.txt ||
		fail "--hits does not show the name escaped as $HOSTILE_SHOWN: $(grep -m1 '^#' view-__hits.txt | cat -v)"
	grep -qF "$HOSTILE_SHOWN" view-__format_perf_script.txt ||
		fail "perf-script does not show the name escaped"
	# JSON escapes it its own way and keeps every byte.
	hits_json t
	comm=$(jq -j 'select(.comm | startswith("\u001b")) | .comm' t.json | head -c 14)
	[[ $comm == "$HOSTILE_COMM" ]] ||
		fail "JSON's comm decodes to $(printf '%s' "$comm" | od -An -c | tr -s ' ')"
	grep -qF '"\u001b]0;pw\u0007\u009b2J\u202e"' t.json ||
		fail "JSON does not escape the controls as \\uXXXX: $(grep -m1 -o '"comm":"[^"]*"' t.json)"
	assert_nothing_armed
}

# Live mode prints the name as the one rule shows it.
test_hostile_comm_live() {
	local addr pid trig bad

	trig=$(hostile_trigger) || exit 1
	addr=$(kaddr __start_BTF) || exit 1
	timeout -s INT "$(scaled 20)" "$KM" --comm "$HOSTILE_COMM" -c 5 rw4 __start_BTF >out 2>err &
	pid=$!
	track "$pid"
	poll 20 grep -qx "Watchpoint attached on 0x$addr" out ||
		fail "live mode did not attach: $(oneline err)"
	"$trig" "$BTF" 0 4 10 >/dev/null || fail "the trigger failed"
	wait_pid "$pid" 20
	expect_eq "$?" 0 "exit status of live mode -c 5 ($(oneline err))"
	expect_eq "$(grep -c '^#' out)" 5 "hits printed"
	bad=$(term_unsafe out)
	[[ -z $bad ]] || fail "live mode lets through $bad"
	expect_eq "$(grep -cF "comm $HOSTILE_SHOWN watch" out)" 5 "hit lines with the name escaped"
	assert_nothing_armed
}
