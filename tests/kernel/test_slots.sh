# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
# Breakpoint slots (issue 5): x86 has four debug address registers per
# CPU. When others hold them all, kmemsnoop fails at once saying so; and
# however kmemsnoop ends, every slot it took is free again.
#
# The machine is shared: other users' perf, bpftrace or kmemsnoop may
# hold some slots, for a moment or for minutes. So these tests first
# measure how many are free on every CPU (slot_baseline) and work with
# those: the holder takes all that are free, and "all free again" means
# as many as were free before kmemsnoop started. A slot kmemsnoop
# leaked would stay taken for good; one someone else takes for a moment
# comes back (wait_slots_free waits 20 s for it, and takes a new
# baseline when a new process holds perf events).

# slot_fds PID: how many perf events PID holds.
slot_fds() {
	local n=0 f

	for f in /proc/"$1"/fd/*; do
		[[ $(readlink "$f" 2>/dev/null) == "anon_inode:[perf_event]" ]] && n=$((n + 1))
	done
	printf '%s\n' "$n"
}

_slot_holds_or_gone() {
	(($(slot_fds "$1") >= $2)) || ! alive "$1"
}

# slot_hold K: a perf stat (system-wide, so on every CPU) holding K
# breakpoints per CPU until slot_release; sets HOLD_PID. Tried again
# while others' breakpoints leave fewer than K free.
slot_hold() {
	local k=$1 want deadline=$((SECONDS + SLOT_RETRY_S))

	HOLD_PID=
	((k > 0)) || return 0
	want=$((k * $(online_cpus)))
	while :; do
		# No COMMAND: perf stat -a counts until a signal ends it.
		perf stat -x, -a -e "$(bp_events "$k")" >/dev/null 2>hold.err &
		HOLD_PID=$!
		track "$HOLD_PID"
		poll 10 _slot_holds_or_gone "$HOLD_PID" "$want" ||
			fail "perf did not open $k breakpoints per CPU within 10 s"
		alive "$HOLD_PID" && (($(slot_fds "$HOLD_PID") >= want)) && return 0
		wait "$HOLD_PID" 2>/dev/null
		if ! grep -q 'No space left on device' hold.err || ((SECONDS >= deadline)); then
			fail "perf stat could not hold $k breakpoints per CPU: $(oneline hold.err)"
		fi
		sleep 0.3
	done
}

slot_release() {
	[[ -n $HOLD_PID ]] || return 0
	kill -TERM "$HOLD_PID" 2>/dev/null
	wait_pid "$HOLD_PID" 10 >/dev/null
	HOLD_PID=
}

# slot_need K: waits (up to 30 s) until at least K slots are free on
# every CPU; takes the baseline then (SLOT_FREE: how many are).
slot_need() {
	local deadline=$((SECONDS + 30))

	while slot_baseline && ((SLOT_FREE < $1)); do
		((SECONDS < deadline)) ||
			fail "fewer than $1 breakpoint slots free on every CPU for 30 s; perf events held by: $(perf_event_holders)"
		sleep 0.5
	done
}

# slot_case WANT_RC ERE WHAT -- ARGS...: runs kmemsnoop ARGS while the
# holder leaves no slot for it; sets SLOT_RC and returns 0 when it failed
# as documented (exit WANT_RC, one line "kmemsnoop: ..." matching ERE),
# or notes the failure. Returns 2 when kmemsnoop found a slot after all
# (someone freed one meanwhile): the caller tries again.
slot_case() {
	local want=$1 re=$2 what=$3

	shift 4
	km "$@" >case.out 2>case.err </dev/null
	SLOT_RC=$?
	((SLOT_RC == 0)) && return 2
	if ((SLOT_RC != want)); then
		note_failure "$what: exit $SLOT_RC, want $want (stderr: $(oneline case.err))"
	elif (($(wc -l <case.err) != 1)); then
		note_failure "$what: $(wc -l <case.err) lines on stderr, want 1: $(oneline case.err)"
	elif ! grep -Eq "^kmemsnoop: .*$re" case.err; then
		# Someone took or freed a slot between the holder and us.
		grep -q 'no free hardware breakpoint slot' case.err && return 2
		note_failure "$what: message does not match /$re/: $(oneline case.err)"
	fi
	return 0
}

# All four slots taken by another process (as many as are free, with
# whatever others hold): kmemsnoop, live and record, fails at once with
# exit 1, naming the 4 slots and who has them; record leaves no trace;
# once the holder is gone every slot is free again.
test_slots_exhausted() {
	local k mode try re ok

	slot_need 1
	k=$SLOT_FREE
	re='no free hardware breakpoint slot on cpu [0-9]+: it has 4, all taken \(0 by this kmemsnoop, 4 by other programs'
	for mode in live record; do
		ok=
		for try in 1 2 3 4 5; do
			rm -f t
			slot_hold "$k"
			if [[ $mode == live ]]; then
				slot_case 1 "$re" "live, no slot free" -- -d 2 rw4 __start_BTF
			else
				slot_case 1 "$re" "record, no slot free" -- record -d 2 -o t rw4 __start_BTF
			fi
			(($? == 2)) || { ok=1 && break; }
			# A slot came free meanwhile: measure again, hold again.
			slot_release
			slot_need 1
			k=$SLOT_FREE
		done
		[[ -n $ok ]] || note_failure "$mode: $try tries, each time a slot came free or went between the holder and kmemsnoop"
		slot_release
		[[ ! -e t ]] || note_failure "record that found no slot left a trace file"
		wait_slots_free "$k" "after $mode found no slot and the holder ended"
		assert_nothing_armed "after $mode found no slot"
	done
	check_done
	pass "holder took the $k free slots; live and record: exit 1, '$(sed 's/ such as.*//' case.err)'"
}

# One slot left: kmemsnoop arms its first watch, finds none for the
# second, says it holds 1 of the 4 and others 3, and gives its one back.
test_slots_second_watch_no_slot() {
	local k try re ok=

	re='no free hardware breakpoint slot on cpu [0-9]+: it has 4, all taken \(1 by this kmemsnoop, 3 by other programs'
	for try in 1 2 3 4 5; do
		rm -f t
		slot_need 1
		k=$SLOT_FREE
		slot_hold $((k - 1))
		slot_case 1 "$re" "record, one slot free, two watches" -- \
			record -d 2 -o t rw4 __start_BTF rw4 __start_notes
		(($? == 2)) || { ok=1 && break; }
		slot_release
	done
	[[ -n $ok ]] || note_failure "$try tries, each time a slot came free or went between the holder and kmemsnoop"
	[[ ! -e t ]] || note_failure "record that found no slot for its second watch left a trace file"
	# Its first watch's slot is free again while the holder still holds.
	wait_slots_free 1 "after kmemsnoop failed at its second watch, the holder still holding $((k - 1))"
	slot_release
	wait_slots_free "$k" "after the holder ended"
	check_done
	pass "'$(sed 's/ such as.*//' case.err)'"
}

# slot_after WHAT: kmemsnoop has ended: nothing of this test holds a
# breakpoint, and the slots free before it started are free again.
slot_after() {
	local holders

	holders=$(perf_holders "$PWD")
	[[ -z $holders ]] || fail "after $1: pid $(echo "$holders" | tr '\n' ' ')still holds perf events"
	wait_slots_free "after $1"
	SLOT_ENDS+=("$1")
}

# slot_sync WANT_RC WHAT ARGS...: runs kmemsnoop ARGS to its end,
# checks its exit status, then slot_after.
slot_sync() {
	local want=$1 what=$2 rc

	shift 2
	km_retry sync.out sync.err "$@"
	rc=$?
	((rc == want)) || fail "$what: exit $rc, want $want: $(oneline sync.err)"
	slot_after "$what"
}

# slot_signal SIGNAL WANT_RC WHAT ARGS...: starts kmemsnoop ARGS, waits
# until it is armed, sends SIGNAL, checks its exit status, slot_after.
slot_signal() {
	local sig=$1 want=$2 what=$3

	shift 3
	start_km "$SLOT_W" bg.out bg.err "$@"
	stop_km "$sig" "$want"
	slot_after "$what"
}

# However kmemsnoop ends - by itself, by a signal, killed, or on an
# error before, during or after arming - the slots it held are free
# again. It watches as many addresses as slots are free (up to 4), so a
# single slot left behind shows.
test_slots_free_after_every_end() {
	local w watches=() last i

	SLOT_ENDS=()
	slot_need 1
	SLOT_W=$SLOT_FREE
	w=(rw4 __start_BTF rw4 __start_notes rw4 __start_BTF+8 rw4 __start_BTF+16)
	watches=("${w[@]:0:2*SLOT_W}")
	# The same, the last watch one the kernel refuses when it is armed,
	# after the ones before it: x86 takes no breakpoint in the CPU entry
	# area (arch/x86/kernel/hw_breakpoint.c, within_cpu_entry), whose
	# base is 0xfffffe0000000000 with 4- and 5-level page tables alike.
	# (r4 was this watch once; it is now refused before anything is
	# armed, as a usage error.)
	last=("${watches[@]}")
	i=$((2 * SLOT_W - 1))
	last[i]=0xfffffe0000000000

	slot_sync 0 "record whose COMMAND ends" record -o t "${watches[@]}" -- "$TRIGGER" "$BTF" 0 4 10
	slot_sync 0 "record -c 3" record -c 3 -o t "${watches[@]}" -- "$TRIGGER" "$BTF" 0 4 100
	slot_sync 0 "live -d 0.5" -d 0.5 "${watches[@]}"
	slot_signal INT 0 "record, SIGINT" record -o t "${watches[@]}"
	slot_signal TERM 0 "record, SIGTERM" record -o t "${watches[@]}"
	slot_signal HUP 0 "record, SIGHUP" record -o t "${watches[@]}"
	slot_signal KILL 137 "record, SIGKILL" record -o t "${watches[@]}"
	slot_signal INT 0 "live, SIGINT" "${watches[@]}"
	slot_signal KILL 137 "live, SIGKILL" "${watches[@]}"
	slot_sync 2 "an unknown symbol at the second watch" record -o t rw4 __start_BTF rw4 no_such_symbol_xyz
	slot_sync 1 "a COMMAND that does not exist" record -o t "${watches[@]}" -- /nonexistent/cmd
	if ((SLOT_W > 1)); then
		slot_sync 1 "the kernel refusing watch $((SLOT_W - 1)) (the CPU entry area)" record -o t "${last[@]}"
	else
		slot_sync 1 "the kernel refusing the watch (the CPU entry area)" record -o t "${last[@]}"
	fi
	pass "$SLOT_W watches, ${#SLOT_ENDS[@]} ends, each leaving the slots free before it free"
}
