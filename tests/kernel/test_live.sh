# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
# Live mode: kmemsnoop BP EXPR prints hits as they happen.

_attached() {
	grep -qx "Watchpoint attached on 0x$2" "$1" && return 0
	alive "$3" || fail "live mode exited before attaching: $(oneline err)"
	return 1
}

# wait_attached OUT ADDR PID: waits for live mode's "Watchpoint
# attached on ADDR" line.
wait_attached() {
	poll 20 _attached "$1" "$2" "$3" || fail "no 'Watchpoint attached on 0x$2' within 20 s"
}

# -c 5: stops by itself after printing exactly 5 hits.
test_live_mode() {
	local addr pid rc nr bad

	addr=$(kaddr __start_BTF) || exit 1
	timeout -s INT "$(scaled 10)" "$KM" -c 5 rw4 __start_BTF >out 2>err &
	pid=$!
	track "$pid"
	wait_attached out "$addr" "$pid"
	"$TRIGGER" "$BTF" 0 4 10 >/dev/null || fail "the trigger failed"
	wait_pid "$pid" 20
	rc=$?
	((rc != 124)) || fail "live mode -c 5 did not stop within $(scaled 20) s of the hits"
	expect_eq "$rc" 0 "exit status of live mode -c 5 ($(oneline err))"
	nr=$(grep -c '^#' out)
	expect_eq "$nr" 5 "hits printed by live mode -c 5"
	bad=$(grep '^#' out | grep -Evm1 "$HIT_LINE_RE")
	[[ -z $bad ]] || fail "bad hit line: '$bad'"
	bad=$(awk '/^#/ && $1 != ("#" (++i)) { print; exit }' out)
	[[ -z $bad ]] || fail "misnumbered hit line: '$bad'"
	bad=$(grep -Ev '^#|^Watchpoint attached on ' out | grep -Evm1 "$FRAME_LINE_RE")
	[[ -z $bad ]] || fail "bad frame line: '$bad'"
	(($(grep -Ec '^ +0x[0-9a-f]{16}: vfs_read @ ' out) == 5)) ||
		fail "not every hit has a vfs_read frame: $(grep -Ec ': vfs_read @ ' out) of 5"
	grep -Eq '^kmemsnoop: 5 hits, 0 lost([,.]|$)' err ||
		fail "no 'kmemsnoop: 5 hits, 0 lost' on stderr: $(oneline err)"
	assert_nothing_armed
}

# Ctrl-C (SIGINT) ends live mode cleanly, with exit status 0.
test_live_mode_sigint() {
	local addr pid rc

	addr=$(kaddr __start_BTF) || exit 1
	"$KM" rw4 __start_BTF >out 2>err &
	pid=$!
	track "$pid"
	wait_attached out "$addr" "$pid"
	kill -INT "$pid"
	wait_pid "$pid" 10
	rc=$?
	((rc != 124)) || fail "live mode did not stop within 10 s of SIGINT"
	expect_eq "$rc" 0 "exit status after SIGINT ($(oneline err))"
	grep -Eq '^kmemsnoop: [0-9]+ hits, [0-9]+ lost([,.]|$)' err || fail "no hit summary on stderr: $(oneline err)"
	assert_nothing_armed
}

# Hits that arrive while the watchpoints are still being attached (the
# trigger runs flat out on every CPU meanwhile) are printed too; their
# times, like all others, count from the start: small, never negative
# (a negative time shows wrapped around, as 18446744073.7... s). The
# window is short, so up to 20 runs.
test_live_mode_times() {
	local busy pid rc bad try ncpu nr deadline

	ncpu=$(online_cpus)
	"$TRIGGER" "$BTF" 0 4 1000000000 "$ncpu" >/dev/null &
	busy=$!
	track "$busy"
	poll 5 threads_above "$busy" "$ncpu" || fail "the busy trigger did not start its $ncpu threads"
	for try in {1..20}; do
		deadline=$((SECONDS + SLOT_RETRY_S))
		while :; do
			timeout -s INT "$(scaled 20)" "$KM" -c 50 rw4 __start_BTF rw4 __start_notes >out 2>err &
			pid=$!
			wait_pid "$pid" 30
			rc=$?
			# Others' tests may hold the slots for a moment: again.
			((rc == 1)) && no_slot err && ((SECONDS < deadline)) || break
			sleep 0.3
		done
		expect_eq "$rc" 0 "exit status of live mode -c 50 ($(oneline err))"
		# One awk for both: the hits printed, and the first bad time.
		{ read -r nr && IFS= read -r bad; } < <(awk '/^#/ { n++
			if (b == "" && !($2 >= 0 && $2 < 60)) b = $0 }
			END { print n + 0; print b }' out)
		((nr == 50)) || fail "$nr hits printed, not 50"
		[[ -z $bad ]] || fail "run $try: a hit time is not within 60 s of the start: '$bad'"
	done
	pass "hit times within 60 s in 20 runs"
}
