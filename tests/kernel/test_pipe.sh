# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
# record as perf record is used in scripts: the trace through a pipe
# (-o - | report -i -), and the COMMAND's exit status as record's own.

# The same trace through a pipe and through a file: the same report;
# the command's output goes to stderr, away from the trace.
test_pipe_mode() {
	local n=50 rc

	km record -o - rw4 __start_BTF -- "$TRIGGER" "$BTF" 0 4 "$n" \
		2>rec.err | km report -i - --format json >pipe.json 2>rep.err
	rc=("${PIPESTATUS[@]}")
	expect_eq "${rc[*]}" "0 0" "exit statuses of record -o - | report -i - ($(oneline rec.err) / $(oneline rep.err))"
	(($(wc -l <pipe.json) >= n)) || fail "$(wc -l <pipe.json) hits through the pipe for $n reads"
	jq -e . pipe.json >/dev/null || fail "report -i - did not print JSON Lines"
	grep -q 'bytes written to standard output' rec.err ||
		fail "record -o - does not say where it wrote: $(oneline rec.err)"
	grep -Eq '^[0-9]+$' rec.err || fail "the command's stdout did not go to stderr: $(oneline rec.err)"
	! grep -Eq 'cut short|no trailer' rep.err || fail "the piped trace reads as incomplete: $(oneline rep.err)"

	# The same bytes from a file read from standard input: same hits.
	km record -o t rw4 __start_BTF -- "$TRIGGER" "$BTF" 0 4 "$n" >/dev/null 2>rec.err ||
		fail "record -o t exited $?: $(oneline rec.err)"
	km report -i t --format json >file.json 2>/dev/null || fail "report -i t failed"
	km report -i - --format json <t >stdin.json 2>/dev/null || fail "report -i - <t failed"
	cmp -s file.json stdin.json || fail "report -i - <t differs from report -i t"
	cat t | km report -i - --format json 2>/dev/null | cmp -s - file.json ||
		fail "report -i - fed by cat differs from report -i t"
	assert_nothing_armed
}

# A trace is binary: record -o - refuses a terminal (checked before
# anything is armed), as does report -i -.
test_pipe_refuses_terminal() {
	local rc

	command -v script >/dev/null || fail "script (util-linux) is missing"
	script -qec "$KM record -o - -d 0.2 rw4 __start_BTF" /dev/null >tty.out 2>&1
	rc=$?
	expect_eq "$rc" 2 "exit status of record -o - on a terminal ($(tr -d '\r' <tty.out | head -n 2 | tr '\n' ' '))"
	grep -q 'standard output is a terminal' tty.out || fail "no word about the terminal: $(tr -d '\r' <tty.out)"
	script -qec "$KM report -i -" /dev/null </dev/null >tty.out 2>&1
	rc=$?
	expect_eq "$rc" 2 "exit status of report -i - on a terminal ($(tr -d '\r' <tty.out | head -n 1))"
	assert_nothing_armed
}

# As perf: record exits with the command's status, 128 + N after
# signal N, after writing the trace and saying so in one line.
test_command_status() {
	local rc

	km record -o t rw4 __start_BTF -- sh -c 'exit 3' >/dev/null 2>err
	rc=$?
	expect_eq "$rc" 3 "exit status of record -- sh -c 'exit 3'"
	grep -qx 'kmemsnoop: sh exited with status 3' err || fail "no line for the command's status: $(oneline err)"
	km report -i t --header 2>/dev/null | grep -q '^complete: yes' || fail "the trace of a failed command is not complete"

	km record -o t rw4 __start_BTF -- sh -c 'kill -KILL $$' >/dev/null 2>err
	rc=$?
	expect_eq "$rc" 137 "exit status of record -- a command killed by SIGKILL"
	grep -q 'sh was killed by signal 9' err || fail "no line for the signal: $(oneline err)"

	km record -o t rw4 __start_BTF -- true >/dev/null 2>err
	expect_eq "$?" 0 "exit status of record -- true"
	# Stopped by -d, the command's SIGTERM is record's doing: status 0.
	km record -o t -d 0.5 rw4 __start_BTF -- sleep 30 >/dev/null 2>err
	expect_eq "$?" 0 "exit status of record -d 0.5 -- sleep 30"
	assert_nothing_armed
}

# Run through sudo, record gives the trace to the user who ran sudo,
# mode still 0600, and says so; that user reports on it unprivileged.
test_record_sudo_owner() {
	local d n=20

	command -v setpriv >/dev/null || fail "setpriv (util-linux) is missing"
	d=$(mktemp -d /tmp/kmemsnoop-sudo.XXXXXX) || fail "mktemp failed"
	chmod 755 "$d"
	cp "$KM" "$d/kmemsnoop"
	SUDO_UID=65534 SUDO_GID=65534 km record -o "$d/t" rw4 __start_BTF -- \
		"$TRIGGER" "$BTF" 0 4 "$n" >/dev/null 2>err || fail "record exited $?: $(oneline err)"
	expect_eq "$(stat -c '%u:%g %a' "$d/t")" "65534:65534 600" "owner and mode of the trace"
	grep -q 'given to uid 65534 (sudo)' err || fail "record does not say whose the file is: $(oneline err)"
	setpriv --reuid=65534 --regid=65534 --clear-groups "$d/kmemsnoop" report -i "$d/t" --format json \
		>"$d/hits.json" 2>rep.err || fail "report as uid 65534 exited $?: $(oneline rep.err)"
	(($(wc -l <"$d/hits.json") >= n)) || fail "report as uid 65534 read $(wc -l <"$d/hits.json") hits"
	# Without sudo's variables, root keeps the file.
	km record -o "$d/r" -d 0.1 rw4 __start_BTF >/dev/null 2>err || fail "record exited $?: $(oneline err)"
	expect_eq "$(stat -c '%u %a' "$d/r")" "0 600" "owner and mode without sudo"
	rm -rf "$d"
	assert_nothing_armed
}
