# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
# Objects from birth to death: record --on FUNC:ARG --off FUNC:ARG.
# build/fpos (tools/fpos.c) opens files, preads each once (the arming
# call, which leaves f_pos alone), then does N read(2)s and N lseek(2)s
# back to 0 on each: ksys_read writes f_pos once per read, vfs_setpos
# (under ksys_lseek) once per lseek that moves it, so each file's f_pos
# is written exactly 2N times after it is armed, and never after close. Helpers start
# with lt_, as every test file shares one shell.

FPOS=$ROOT/build/fpos
LT_ON=vfs_read:file
LT_OFF=__fput:file

# lt_start_fpos N FILE...: starts fpos, paused on the FIFO go; LT_PID.
lt_start_fpos() {
	[[ -x $FPOS ]] || fail "$FPOS is missing: run 'make build/fpos'"
	rm -f go fp.out
	mkfifo go || fail "mkfifo failed"
	"$FPOS" go "$@" >fp.out 2>fp.err &
	LT_PID=$!
	track "$LT_PID"
	poll 10 test -s fp.out || fail "fpos did not start: $(oneline fp.err)"
}

LT_GO='echo >go; until grep -qx done fp.out; do sleep 0.01; done'

# Skips, saying why, where this kernel cannot run fentry programs: the
# kernel is asked (a short --on recording), not assumed.
lt_need_fentry() {
	local why

	if km record -o probe -d 0.1 --on "$LT_ON" w8 '&f_pos' >/dev/null 2>probe.err; then
		return 0
	fi
	why=$(grep -m1 -E "refuses fentry|cannot load the arming|cannot attach to|no function|has no parameter" probe.err)
	[[ -n $why ]] || fail "record --on $LT_ON failed: $(oneline probe.err)"
	skip "${why#kmemsnoop: }"
}

# lt_hits TRACE: "SEQ COUNT" per object, from report --hits (hits after
# a free are counted under SEQ-after).
lt_hits() {
	km report -i "$1" --hits 2>/dev/null | awk '
		/^object [0-9]+ .*after its free/ { n[$2 "-after"]++; next }
		/^object [0-9]+ / { n[$2]++ }
		END { for (k in n) print k, n[k] }' | sort -n
}

# lt_fields TRACE: the report's object table rows: "SEQ SLOT HITS AFTER".
lt_rows() {
	km report -i "$1" 2>/dev/null | awk '$1 ~ /^[0-9]+$/ && $3 ~ /^0x/ { print $1, $2, $(NF-1), $NF }'
}

# Two files, one slot at a time: the FIFO fpos waits on is armed and
# freed first (its read), then the first file takes the slot; the second
# arrives with the slot taken and is counted, not watched: once, though
# vfs_read has it N+1 times (its pread and N reads). The first
# file's f_pos is written exactly 2N times, N through ksys_read and N
# through ksys_lseek (vfs_setpos), none after its close.
test_lifetime_one_object() {
	local n=25 rows seq hits after st by

	lt_need_fentry
	printf 'abcdef' >a
	printf 'abcdef' >b
	lt_start_fpos "$n" a b
	km record -o t -p "$LT_PID" --on "$LT_ON" --off "$LT_OFF" w8 '&f_pos' -- sh -c "$LT_GO" \
		>/dev/null 2>rec.err || fail "record exited $?: $(oneline rec.err)"
	grep -q 'objects watched' rec.err || fail "no objects summary: $(oneline rec.err)"
	rows=$(lt_rows t)
	# The FIFO (no f_pos writes: a pipe has no position), then file a.
	expect_eq "$(wc -l <<<"$rows")" 2 "objects armed ($(tr '\n' '|' <<<"$rows"))"
	read -r seq _ hits after <<<"$(sed -n 2p <<<"$rows")"
	expect_eq "$hits" $((2 * n)) "hits on file a's f_pos (2 per round: read + lseek)"
	expect_eq "$after" 0 "hits after a's free"
	st=$(km report -i t 2>/dev/null | grep '^# .* objects armed')
	[[ $st =~ not\ watched:\ ([0-9]+) ]] && ((BASH_REMATCH[1] == 1)) ||
		fail "b should be counted as not watched once: $st"
	[[ $st =~ disarms\ ignored:\ ([0-9]+) ]] && ((BASH_REMATCH[1] > 0)) ||
		fail "other files' __fput calls should be ignored disarms: $st"
	km report -i t 2>/dev/null | grep -q '^# arm latency (call to breakpoint live): median [0-9.]* us, p99 [0-9.]* us' ||
		fail "no arm latency line in the report"
	# n hits under each syscall: ksys_read's own write, and lseek's
	# through vfs_setpos, which Debian's 6.1 and 6.12 inline into
	# generic_file_llseek_size, so the frame to count on is ksys_lseek.
	hits_json t
	by=$(jq -r '[.stack[].sym] |
		if index("ksys_read") then "read"
		elif index("ksys_lseek") then "lseek"
		else "other:" + join(",") end' t.json | sort | uniq -c | awk '{ print $2 "=" $1 }' | tr '\n' ' ')
	expect_eq "$by" "lseek=$n read=$n " "hits by syscall on the stack"
	# --format json says whose each hit is: all file a's, none after.
	expect_eq "$(jq -r '"\(.object.seq) \(.object.after_free)"' t.json | sort | uniq -c | awk '{ print $1, $2, $3 }')" \
		"$((2 * n)) $seq false" "hits' object in JSON"
	pass "$hits hits = 2 x $n rounds; $(km report -i t 2>/dev/null | grep -o 'median .*')"
}

# --objects 2 and three files interleaved: a and b are watched, each
# gets its own 2N hits, c is counted as not watched.
test_lifetime_two_objects() {
	local n=20 rows per

	lt_need_fentry
	printf 'abcdef' >a
	printf 'abcdef' >b
	printf 'abcdef' >c
	lt_start_fpos "$n" a b c
	km record -o t -p "$LT_PID" --objects 2 --on "$LT_ON" --off "$LT_OFF" w8 '&f_pos' -- sh -c "$LT_GO" \
		>/dev/null 2>rec.err || fail "record exited $?: $(oneline rec.err)"
	rows=$(lt_rows t)
	# The FIFO, then a and b.
	expect_eq "$(wc -l <<<"$rows")" 3 "objects armed ($(tr '\n' '|' <<<"$rows"))"
	per=$(sed -n '2,3p' <<<"$rows" | awk '{ print $3 }' | tr '\n' ' ')
	expect_eq "$per" "$((2 * n)) $((2 * n)) " "hits per file object"
	expect_eq "$(lt_hits t | grep -c after)" 0 "objects with hits after their free"
	km report -i t 2>/dev/null | grep -q 'not watched: 1 ' ||
		fail "c should be counted as not watched: $(km report -i t 2>/dev/null | grep 'objects armed')"
	pass "2 objects x $((2 * n)) hits"
}

# export of a lifetime trace: the same objects with the same hits, each
# at a made-up address, none of this machine's left in the report.
test_lifetime_export() {
	local n=10 rows addrs a

	lt_need_fentry
	printf 'abcdef' >a
	printf 'abcdef' >b
	lt_start_fpos "$n" a b
	km record -o t -p "$LT_PID" --objects 2 --on "$LT_ON" --off "$LT_OFF" w8 '&f_pos' -- sh -c "$LT_GO" \
		>/dev/null 2>rec.err || fail "record exited $?: $(oneline rec.err)"
	km export -i t -o e 2>exp.err || fail "export exited $?: $(oneline exp.err)"
	rows=$(lt_rows t)
	expect_eq "$(wc -l <<<"$rows")" 3 "objects armed ($(tr '\n' '|' <<<"$rows"))"
	expect_eq "$(lt_rows e)" "$rows" "objects table rows (seq slot hits after) of the export"
	expect_eq "$(lt_hits e)" "$(lt_hits t)" "hits per object in --hits of the export"
	addrs=$(km report -i t 2>/dev/null | awk '$1 ~ /^[0-9]+$/ && $3 ~ /^0x/ { print $3; print $4 }' | sort -u)
	km report -i e >e.txt 2>/dev/null || fail "report on the export exited $?"
	km report -i e --hits --format json >e.json 2>/dev/null || fail "report --format json on the export exited $?"
	for a in $addrs; do
		! grep -qi -- "${a#0x}" e.txt e.json || fail "the export's report shows the object address $a"
	done
	pass "$(wc -l <<<"$addrs") object and field addresses made up; $(awk '{ s += $3 } END { print s }' <<<"$rows") hits on objects"
}

# An arming call by another process is left out under --comm (the
# record tests above filter by -p), and live mode takes the same options
# and prints the armings: cat's and grep's reads do not arm.
test_lifetime_live_filtered() {
	local n=5 km_pid

	lt_need_fentry
	printf 'abcdef' >a
	lt_start_fpos "$n" a
	"$KM" --comm fpos --on "$LT_ON" --off "$LT_OFF" w8 '&f_pos' >live.out 2>live.err &
	km_pid=$!
	track "$km_pid"
	poll 20 grep -q '^Watching objects from --on' live.out ||
		fail "live mode did not start: $(oneline live.err)"
	cat /etc/hostname >/dev/null # another process's vfs_read: filtered
	sh -c "$LT_GO" || fail "fpos did not finish"
	kill -INT "$km_pid"
	wait_pid "$km_pid" 10 || fail "live mode exited $? after SIGINT: $(oneline live.err)"
	expect_eq "$(grep -c '^Object [0-9]* armed' live.out)" 2 "armings in live mode (the FIFO and a)"
	expect_eq "$(grep -c '^#[0-9]* ' live.out)" $((2 * n)) "hits in live mode"
	grep -q "comm fpos" live.out || fail "hits not from fpos"
	grep -Eq ', [1-9][0-9]* calls filtered out' live.err ||
		fail "no arming call filtered out (cat's and grep's reads): $(grep 'objects watched' live.err)"
	pass "$(grep -o '[0-9]* calls filtered out' live.err)"
}

# The options' errors, which need no fentry: each names what to fix.
test_lifetime_errors() {
	local out st

	out=$(km record -o x -d 0.1 --on vfs_read:nosuch w8 '&f_pos' 2>&1)
	expect_eq "$?" 2 "exit status for an unknown parameter"
	expect_match "$out" "has no parameter 'nosuch'; its parameters: " "unknown parameter"
	out=$(km record -o x -d 0.1 --on no_such_function_xyz:file w8 '&f_pos' 2>&1)
	expect_match "$out" "no function no_such_function_xyz in the kernel's BTF" "unknown function"
	out=$(km record -o x -d 0.1 --on vfs_read:count w8 '&f_pos' 2>&1)
	expect_match "$out" "not a pointer to a struct or union" "not a struct pointer"
	out=$(km record -o x -d 0.1 --on vfs_read:file w8 '&f_poss' 2>&1)
	expect_match "$out" "no member 'f_poss' \(did you mean" "unknown member"
	out=$(km record -o x -d 0.1 --on vfs_read:file --off do_truncate:dentry w8 '&f_pos' 2>&1)
	expect_match "$out" "gives a struct dentry, but --on's object is a struct file" "--off of another type"
	out=$(km record -o x -d 0.1 --off __fput:file w8 '&f_pos' 2>&1)
	expect_match "$out" "--off needs --on" "--off alone"
	out=$(km record -o x -d 0.1 --on vfs_read:file --objects 5 w8 '&f_pos' 2>&1)
	expect_match "$out" "bad --objects '5'" "--objects 5"
	[[ ! -e x ]] || fail "a failed record left a trace"
	# --objects N > 1 with its one BP EXPR: a run, or the kernel's
	# refusal of fentry, never a crash in the option checks.
	out=$(km record -o x2 -d 0.1 --on vfs_read:file --objects 2 w8 '&f_pos' 2>&1)
	st=$?
	rm -f x2
	((st < 128)) || fail "record --objects 2 exited $st: $out"
	pass
}

# The ftrace wprobe series' own example, on kernels without it: d_flags
# (the dentry's first 4 bytes; the series watched 8) of the dentry
# do_truncate() is given, until __dentry_kill() frees it. truncate(1) arms on its file's dentry; rm,
# a moment later, looks the name up and unlinks it (d_flags read, then
# written as the dentry turns negative), and the last dput of a tmpfs
# dentry kills it at once: a disarm by rm. Hits from inside
# __dentry_kill, after the call the disarm is timed from, are the
# free's own, reported after the free.
test_lifetime_dentry() {
	local rows st by

	lt_need_fentry
	[[ $(stat -f -c %T .) == tmpfs ]] ||
		skip "the test directory is not on tmpfs, where unlink kills the dentry at once"
	printf 'abcdef' >victim
	km record -o t --on do_truncate:dentry --off __dentry_kill:dentry rw4 '&d_flags' -- \
		sh -c 'truncate -s 0 victim && sleep 0.2 && rm victim && sleep 0.2' \
		>/dev/null 2>rec.err || fail "record exited $?: $(oneline rec.err)"
	rows=$(lt_rows t)
	expect_eq "$(wc -l <<<"$rows")" 1 "objects armed ($(tr '\n' '|' <<<"$rows"))"
	km report -i t 2>/dev/null | grep -q '^ *1 .* truncate ' ||
		fail "the object was not given by truncate: $(km report -i t 2>/dev/null | grep -A1 '# *object')"
	st=$(km report -i t 2>/dev/null | grep '^# .* objects armed')
	[[ $st == "# 1 objects armed, 1 freed;"* ]] || fail "the dentry's free was not seen: $st"
	hits_json t
	# Before the free: rm's lookup and unlink, through do_unlinkat.
	by=$(jq -r 'select(.object.after_free == false) | [.stack[].sym] |
		if index("do_unlinkat") then .[0] + "<do_unlinkat" else empty end' t.json |
		sort | uniq -c | awk '{ print $2 "=" $1 }' | tr '\n' ' ')
	[[ -n $by ]] || fail "no hit on the dentry through rm's do_unlinkat: $(jq -c '[.comm, .object.after_free, .stack[0].sym]' t.json | tr '\n' ' ')"
	expect_eq "$(jq -r 'select(.object == null) | .ip' t.json | wc -l)" 0 "hits outside the object's life"
	# __dentry_kill writes d_flags after its entry, before the
	# breakpoint can be off: such hits are the free's, marked so.
	[[ $(jq -r 'select(.object.after_free) | [.stack[].sym] | select(index("__dentry_kill")) | .[0]' t.json | wc -l) -ge 1 ]] ||
		fail "no hit inside __dentry_kill marked after the free: $(jq -c '[.object.after_free, .stack[0].sym]' t.json | tr '\n' ' ')"
	pass "before the free: $by; after: $(jq -r 'select(.object.after_free) | .stack[0].sym' t.json | sort | uniq -c | awk '{ print $2 "=" $1 }' | tr '\n' ' ')"
}

# --replace with one slot, arming at fd_install (once per open, where
# vfs_read would arm again at every read of a file not watched): the
# FIFO is armed and freed, a is armed at its open, and b, opened 300 ms
# later (once a's arming is live), takes a's slot: a is left, not freed
# (its DISARM says replaced), and every f_pos write of the rounds is
# b's, 2N of them; none of a's is seen.
test_lifetime_replace() {
	local n=20 rows a b

	lt_need_fentry
	printf 'abcdef' >a
	printf 'abcdef' >b
	FPOS_GAP_MS=300 lt_start_fpos "$n" a b
	km record -o t -p "$LT_PID" --replace --on fd_install:file --off "$LT_OFF" w8 '&f_pos' -- sh -c "$LT_GO" \
		>/dev/null 2>rec.err || fail "record exited $?: $(oneline rec.err)"
	grep -q '1 replaced by newer ones (--replace)' rec.err ||
		fail "record does not say a was replaced: $(grep 'objects watched' rec.err)"
	rows=$(lt_rows t)
	expect_eq "$(wc -l <<<"$rows")" 3 "objects armed ($(tr '\n' '|' <<<"$rows"))"
	read -r a _ <<<"$(sed -n 2p <<<"$rows")"
	read -r b _ <<<"$(sed -n 3p <<<"$rows")"
	expect_eq "$(sed -n 2p <<<"$rows" | awk '{ print $3, $4 }')" "0 0" "a's hits and hits after its free"
	expect_eq "$(sed -n 3p <<<"$rows" | awk '{ print $3, $4 }')" "$((2 * n)) 0" "b's hits and hits after its free"
	km report -i t 2>/dev/null | grep -Eq "^ +$a .*\*" ||
		fail "a's row does not say it was left: $(km report -i t 2>/dev/null | grep -E "^ +$a ")"
	km report -i t 2>/dev/null | grep -q '^# \*: not freed but left (--replace)' ||
		fail "no note on the replaced object"
	km report -i t 2>/dev/null | grep -q '^# 1 armings took the slot of an older one' ||
		fail "no replacement count: $(km report -i t 2>/dev/null | grep '^# ')"
	hits_json t
	expect_eq "$(jq -r '.object.seq' t.json | sort -u | tr '\n' ' ')" "$b " "objects of the hits"
	pass "a (object $a) left for b (object $b): $((2 * n)) hits, all b's"
}

# A task names itself: live mode's "given by" line shows a comm made of
# terminal controls escaped, as every view does, never the raw bytes.
test_lifetime_live_hostile_comm() {
	local name=$'\e]0;pw\a' km_pid

	lt_need_fentry
	printf 'abcdef' >a
	cp "$(command -v cat)" "./$name" || fail "cannot copy cat"
	"$KM" --comm "$name" --on "$LT_ON" --off "$LT_OFF" w8 '&f_pos' >live.out 2>live.err &
	km_pid=$!
	track "$km_pid"
	poll 20 grep -q '^Watching objects from --on' live.out ||
		fail "live mode did not start: $(oneline live.err)"
	"./$name" a >/dev/null || fail "the renamed cat failed"
	poll 10 grep -q '^Object [0-9]* freed' live.out ||
		fail "no arming and free seen: $(oneline live.out)"
	kill -INT "$km_pid"
	wait_pid "$km_pid" 10 || fail "live mode exited $? after SIGINT: $(oneline live.err)"
	! LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f\x7f]' live.out ||
		fail "control bytes reached the terminal: $(od -c live.out | head -3)"
	grep -q 'given by \\x1b\]0;pw\\x07 ' live.out ||
		fail "the comm is not shown escaped: $(grep -m1 'given by' live.out)"
	pass
}
