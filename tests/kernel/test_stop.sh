# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
# How a recording ends: by count, duration, signal, or being killed.

# A modest stream of hits until stop_trickle: 200 preads every 50 ms.
start_trickle() {
	rm -f trickle.stop
	(
		while [[ ! -e trickle.stop ]]; do
			"$TRIGGER" "$BTF" 0 4 200 >/dev/null || exit 1
			nap 0.05
		done
	) &
	TRICKLE=$!
	track "$TRICKLE"
}

stop_trickle() {
	touch trickle.stop
	wait_pid "$TRICKLE" 10 >/dev/null
	return 0
}

# json_hits TRACE: how many hits report can read from TRACE (0 if none).
json_hits() {
	timeout "$(scaled 20)" "$KM" report -i "$1" --format json 2>/dev/null | wc -l
}

_has_hits() {
	(($(json_hits "$1") > 0))
}

# A recording killed with SIGKILL leaves a trace that still reads, up
# to its last whole chunk, with a warning that it was cut short; and no
# breakpoint stays behind.
test_sigkill_leaves_readable_trace() {
	local pid rc nr

	"$KM" record -o t rw4 __start_BTF >/dev/null 2>rec.err &
	pid=$!
	track "$pid"
	wait_armed "$pid" 1 rec.err
	start_trickle
	# Chunks go out at least once a second while hits flow.
	poll 10 _has_hits t || fail "no hits in the trace 10 s after arming"
	kill -KILL "$pid"
	wait "$pid" 2>/dev/null
	stop_trickle
	! alive "$pid" || fail "the recorder (pid $pid) survived SIGKILL"

	km report -i t --hits >hits.txt 2>hits.err
	rc=$?
	expect_eq "$rc" 0 "exit status of report --hits on the killed trace ($(oneline hits.err))"
	nr=$(grep -c '^#' hits.txt)
	((nr > 0)) || fail "report --hits shows no hits of the killed trace"
	grep -Eq '^kmemsnoop: warning: .*(has no trailer|is cut short)' hits.err ||
		fail "no warning that the trace is incomplete: '$(oneline hits.err)'"
	expect_eq "$(header_field t complete)" no "--header complete of the killed trace"
	assert_nothing_armed "after SIGKILL"
	pass "$nr hits readable"
}

# -c COUNT: exactly COUNT hits; -d SECONDS: stops by itself.
test_stop_conditions() {
	local rc nr start took

	km record -c 10 -o t rw4 __start_BTF -- "$TRIGGER" "$BTF" 0 4 1000 \
		>/dev/null 2>rec.err || fail "record -c 10 exited $?: $(oneline rec.err)"
	hits_json t
	nr=$(wc -l <t.json)
	expect_eq "$nr" 10 "hits in the trace of record -c 10"
	expect_eq "$(header_field t hits)" 10 "--header hits of record -c 10"
	grep -Eq '^kmemsnoop: recorded 10 hits, ' rec.err ||
		fail "no 'recorded 10 hits' summary: $(oneline rec.err)"

	# Nothing touches the second word of the BTF blob: no hits at all.
	start=$(date +%s%N)
	timeout "$(scaled 5)" "$KM" record -d 1 -o d rw4 __start_BTF+8 >/dev/null 2>d.err
	rc=$?
	took=$((($(date +%s%N) - start) / 1000000))
	((rc != 124)) || fail "record -d 1 still ran after 5 s"
	expect_eq "$rc" 0 "exit status of record -d 1 ($(oneline d.err))"
	((took >= 1000)) || fail "record -d 1 stopped after $took ms, before 1 s"
	expect_eq "$(header_field d complete)" yes "--header complete of record -d 1"
	pass "-c 10: 10 hits; -d 1: $took ms"
}

# SIGTERM and SIGINT stop a recording cleanly: exit 0 and a trailer.
test_stop_signals() {
	local sig pid rc

	start_trickle
	for sig in TERM INT; do
		"$KM" record -o "t.$sig" rw4 __start_BTF >/dev/null 2>"rec.$sig.err" &
		pid=$!
		track "$pid"
		wait_armed "$pid" 1 "rec.$sig.err"
		kill -"$sig" "$pid"
		wait_pid "$pid" 10
		rc=$?
		((rc != 124)) || fail "record did not stop within 10 s of SIG$sig"
		expect_eq "$rc" 0 "exit status of record after SIG$sig ($(oneline "rec.$sig.err"))"
		expect_eq "$(header_field "t.$sig" complete)" yes "--header complete after SIG$sig"
		grep -Eq '^kmemsnoop: recorded [0-9]+ hits, ' "rec.$sig.err" ||
			fail "no 'recorded N hits' summary after SIG$sig: $(oneline "rec.$sig.err")"
		assert_nothing_armed "after SIG$sig"
	done
	stop_trickle
	pass "TERM and INT: exit 0, complete trace"
}
