# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
# Crash-safe recording (issue 8): killed at any moment, the trace reads
# up to its last whole chunk; stopped by a signal or a closed terminal,
# it ends with its trailer; an earlier trace is kept as FILE.old; a full
# disk stops it with one clear error and a readable file; and under
# overload its accounts stay exact and its memory bounded.

# The trickle: trigger runs of CRASH_N 4-byte preads of the BTF blob,
# one after another with a short pause (some 5000 hits a second), each
# logged as "START END PID" in trickle.log, START taken before it was
# started and END after it ended (microseconds of the real-time clock,
# as crash_now gives), so each run's hits fall within [START, END].
CRASH_N=50

crash_now() {
	local t=$EPOCHREALTIME

	printf '%s\n' "${t/[.,]/}"
}

crash_trickle_start() {
	rm -f trickle.stop trickle.log
	(
		while [[ ! -e trickle.stop ]]; do
			s=$(crash_now)
			"$TRIGGER" "$BTF" 0 4 "$CRASH_N" >/dev/null &
			p=$!
			wait "$p" || exit 1
			printf '%s %s %s\n' "$s" "$(crash_now)" "$p" >>trickle.log
			nap 0.02
		done
	) &
	CRASH_TRICKLE=$!
	track "$CRASH_TRICKLE"
}

crash_trickle_stop() {
	touch trickle.stop
	wait_pid "$CRASH_TRICKLE" 10 >/dev/null
	return 0
}

# crash_busy: the trigger flat out on every CPU until the test ends.
crash_busy() {
	local ncpu

	ncpu=$(online_cpus)
	"$TRIGGER" "$BTF" 0 4 1000000000 "$ncpu" >/dev/null &
	track $!
	poll 5 threads_above $! "$ncpu" || fail "the busy trigger did not start its $ncpu threads"
}

# crash_per_pid HITS_TXT DECIMAL: from report --hits output, one line per
# pid: "PID HITS BAD", BAD counting hits without a vfs_read frame or
# without the value DECIMAL (the trickle's hits must have both).
crash_per_pid() {
	awk -v dec="$2" '
		function done_hit() { if (cur != "" && !(okv && vfs)) bad[cur]++; cur = "" }
		/^#/ { done_hit(); split($6, p, "/"); cur = p[1]; n[cur]++
			okv = ($0 ~ ("[ (]" dec "\\)$")); vfs = 0; next }
		/: vfs_read @ / { vfs = 1 }
		END { done_hit(); for (q in n) print q, n[q], bad[q] + 0 }' "$1"
}

# Chunks are written at least once a second while hits flow; the
# recorder polls the ring buffer every 100 ms and checks the time at
# each poll. So a hit is in a whole chunk about 1.2 s after it happened
# at most (1 s + a poll + a check; about 1.05 s is the most seen here),
# plus however long the recorder waits for a CPU on this shared 2-CPU
# machine: a run that ended 1.5 s before the kill must be in the file,
# all of it.
CRASH_LAG_US=1500000

# SIGKILL at 20 random moments (0 to 2.8 s after arming) while the
# trickle runs: every trace reads (report --hits exits 0); every trickle
# run that started after arming and ended CRASH_LAG_US before the kill
# is there whole (4 hits a pread, perf's count), none has more, and
# each of their hits has its stack (a vfs_read frame) and value.
test_crash_sigkill_anytime() {
	local i ms armed killed rc k dec start end pid n bad checked=0 partial=0 tried=0 oldest=0
	local -A cnt badc

	dec=$(($(le32 "$BTF" 0))) || exit 1
	k=$(perf_count_retry "$(kaddr __start_BTF)" 4 -- "$TRIGGER" "$BTF" 0 4 "$CRASH_N") || exit 1
	crash_trickle_start
	for i in {1..20}; do
		start_km 1 "k$i.out" "k$i.err" record -o "t$i" rw4 __start_BTF
		armed=$(crash_now)
		ms=$((RANDOM % 2800))
		sleep "$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))"
		killed=$(crash_now)
		kill -KILL "$KM_PID"
		wait "$KM_PID" 2>/dev/null
		km report -i "t$i" --hits >"h$i.txt" 2>"h$i.err"
		rc=$?
		((rc == 0)) || { note_failure "kill $i ($(((killed - armed) / 1000)) ms after arming): report --hits exited $rc: $(oneline "h$i.err")" && continue; }
		cnt=() badc=()
		while read -r pid n bad; do
			cnt[$pid]=$n badc[$pid]=$bad
		done < <(crash_per_pid "h$i.txt" "$dec")
		while read -r start end pid; do
			((start >= armed && start <= killed)) || continue
			tried=$((tried + 1))
			n=${cnt[$pid]:-0}
			if ((end <= killed - CRASH_LAG_US)); then
				checked=$((checked + 1))
				((n == k)) || note_failure "kill $i: the run (pid $pid) that ended $(((killed - end) / 1000)) ms before the kill has $n of its $k hits in the trace"
			else
				((n <= k)) || note_failure "kill $i: the run (pid $pid) has $n hits, more than its $k"
				if ((n < k)); then
					partial=$((partial + 1))
					((killed - end > oldest)) && oldest=$((killed - end))
				fi
			fi
			((${badc[$pid]:-0} == 0)) || note_failure "kill $i: ${badc[$pid]} hits of the run (pid $pid) lack their vfs_read frame or the value $dec"
		done <trickle.log
		[[ -z $(perf_holders "$PWD") ]] || note_failure "kill $i: something of this test still holds perf events"
	done
	crash_trickle_stop
	check_done
	((checked > 0)) || fail "no trickle run ended $((CRASH_LAG_US / 1000)) ms before a kill: nothing was checked"
	assert_nothing_armed "after 20 SIGKILLs"
	pass "20 kills: $checked runs older than $((CRASH_LAG_US / 1000)) ms whole, of $((tried - checked)) later ones $partial cut (the oldest cut ended $((oldest / 1000)) ms before its kill)"
}

# SIGINT, SIGTERM and SIGHUP while hits flow: exit 0 and a complete
# trace (its trailer written, accounts adding up).
test_crash_signals_write_trailer() {
	local sig

	crash_trickle_start
	for sig in INT TERM HUP; do
		start_km 1 "s.$sig.out" "s.$sig.err" record -o "t.$sig" rw4 __start_BTF
		sleep 1.2
		stop_km "$sig" 0
		check_accounts "t.$sig" "s.$sig.err"
		((HDR_HITS > 0)) || note_failure "SIG$sig: no hits recorded in 1.2 s of the trickle"
		assert_nothing_armed "after SIG$sig"
	done
	crash_trickle_stop
	check_done
	pass "INT, TERM, HUP: exit 0, trailer written"
}

_crash_gone() {
	! alive "$1"
}

_crash_tty_started() {
	[[ -s km.pid ]] || ! alive "$1"
}

# A closed terminal: record runs on a pty (script) as its controlling
# process; the terminal goes away (script is killed, the pty's master
# closes), the kernel sends SIGHUP, and the trace gets its trailer.
test_crash_closed_terminal() {
	local spid kpid cmd deadline=$((SECONDS + SLOT_RETRY_S))

	crash_trickle_start
	printf -v cmd 'echo $$ >km.pid; exec %q record -o t rw4 __start_BTF' "$KM"
	while :; do
		rm -f km.pid
		script -qc "$cmd" /dev/null </dev/null >tty.out 2>&1 &
		spid=$!
		track "$spid"
		poll 10 _crash_tty_started "$spid" || fail "script did not start kmemsnoop within 10 s"
		kpid=$(read_pid km.pid) || exit 1
		_KM_ARMED=
		poll 20 _armed_or_gone "$kpid" "$(online_cpus)" || fail "kmemsnoop on the pty did not arm within 20 s"
		[[ -n $_KM_ARMED ]] && break
		wait_pid "$spid" 5 >/dev/null
		if ! no_slot tty.out || ((SECONDS >= deadline)); then
			fail "kmemsnoop on the pty exited before arming: $(oneline tty.out)"
		fi
		sleep 0.3
	done
	sleep 1.2
	kill -KILL "$spid"
	wait "$spid" 2>/dev/null
	poll 10 _crash_gone "$kpid" || fail "kmemsnoop (pid $kpid) still runs 10 s after its terminal closed"
	crash_trickle_stop
	read_header t
	[[ $(hdr t complete) == yes ]] || fail "after its terminal closed, --header says complete: $(hdr t complete), want yes"
	[[ $(hdr t hits) == "$(hdr t hits-read)" && $(hdr t hits) -gt 0 ]] ||
		fail "after its terminal closed: trailer hits $(hdr t hits), hits read $(hdr t hits-read)"
	assert_nothing_armed "after the terminal closed"
	pass "SIGHUP from the closed pty: trailer with $(hdr t hits) hits"
}

# An existing trace is kept as FILE.old, and the next run replaces that
# FILE.old. Only a regular file is moved aside: a device node given as
# -o (say /dev/null) must never be renamed.
test_crash_old_file_kept() {
	local rc

	echo "first" >t
	km_retry r1.out r1.err record -d 0.2 -o t rw4 __start_BTF+8 || fail "record exited $?: $(oneline r1.err)"
	[[ $(cat t.old 2>/dev/null) == first ]] || fail "the earlier t is not t.old after a record to t: $(head -c 40 t.old 2>&1 | tr -c '[:print:]' '.')"
	read_header t
	[[ $(hdr t complete) == yes ]] || fail "the new t is not a complete trace"
	cp t second
	km_retry r2.out r2.err record -d 0.2 -o t rw4 __start_BTF+8 || fail "second record exited $?: $(oneline r2.err)"
	cmp -s t.old second || fail "a second record to t did not replace t.old with the trace it replaced"
	cmp -s t second && fail "the second record left t as it was"

	mknod nul c 1 3 || fail "mknod failed"
	km_retry r3.out r3.err record -d 0.2 -o nul rw4 __start_BTF+8
	rc=$?
	[[ -c nul && ! -e nul.old ]] ||
		fail "record -o nul (a character device, like /dev/null) renamed it: nul is $(stat -c %F nul 2>&1), nul.old $(stat -c %F nul.old 2>&1)"
	((rc == 0 || (rc == 1 && $(wc -l <r3.err) == 1))) ||
		fail "record -o nul exited $rc: $(oneline r3.err)"
	pass "t.old kept, then replaced; a device node left in place"
}

# A full disk (a tmpfs 256 KiB larger than a trace without hits: the
# header and the kallsyms snapshot fit, 1 MB or more of it where the
# kernel lists all its symbols; the hits of a trigger flat out on every
# CPU soon do not): the recorder stops with exit 1 and one error line
# saying so (besides its summary), leaves a trace that reads up to its
# last whole chunk (with a warning), and nothing armed.
test_crash_full_disk() {
	local mnt=$PWD/full rc enospc others rec size

	km_retry e.out e.err record -d 0.1 -o empty rw4 __start_BTF+8 ||
		fail "record -d 0.1 exited $?: $(oneline e.err)"
	size=$((($(stat -c %s empty) + 256 * 1024 + 4095) / 4096 * 4096))
	mkdir "$mnt"
	mount -t tmpfs -o "size=$size" kmemsnoop-test "$mnt" || fail "cannot mount a $size-byte tmpfs on $mnt"
	# shellcheck disable=SC2064 # the path now
	trap "cleanup_bg; umount -l '$mnt' 2>/dev/null" EXIT
	crash_busy
	km_retry full.out full.err record -o "$mnt/t" rw4 __start_BTF
	rc=$?
	((rc == 1)) || note_failure "record on a full disk exited $rc, want 1: $(oneline full.err)"
	enospc=$(grep -c 'No space left on device' full.err)
	others=$(grep -Evc "$SUMMARY_RE|No space left on device" full.err)
	((enospc == 1 && others == 0)) ||
		note_failure "want one error line saying 'No space left on device' (and the summary), got: $(oneline full.err)"
	(($(grep -vc '^kmemsnoop: ' full.err) == 0)) || note_failure "stderr lines not starting 'kmemsnoop: ': $(oneline full.err)"

	km report -i "$mnt/t" --hits >hits.txt 2>hits.err
	rc=$?
	((rc == 0)) || note_failure "report --hits of the trace on the full disk exited $rc: $(oneline hits.err)"
	grep -Eq '^kmemsnoop: warning: .*(cut short|no trailer)' hits.err ||
		note_failure "report gives no warning that the trace is cut short: $(oneline hits.err)"
	rec=$(grep -c '^#' hits.txt)
	((rec > 0)) || note_failure "report --hits reads no hit of the trace on the full disk"
	if grep -Eq "$SUMMARY_RE" full.err; then
		read_summary full.err
		((rec == SUM_HITS)) || note_failure "the summary says $SUM_HITS hits recorded, report reads $rec"
	fi
	size=$(stat -c %s "$mnt/t")
	assert_nothing_armed "after the full disk"
	cleanup_bg
	umount "$mnt" || fail "cannot unmount $mnt"
	trap cleanup_bg EXIT
	check_done
	pass "stopped at $size bytes: '$(grep 'No space' full.err | head -n 1)'; $rec hits read"
}

# Overload for 60 s: a trigger flat out on every CPU, a 4 KiB ring
# buffer. The accounts stay exact against the kernel's count (as in
# test_lost_accounted_exactly: the workload W, held back until armed and
# recorded with -p W: written + lost = perf's count of W, seen = written
# + lost + filtered). perf stat counts W at the same time where two
# breakpoints on the same bytes both fire; where they do not (QEMU's
# TCG), W's count is its reads (it says how many it did: trigger -r)
# times perf's count per read of a second, short run. And the
# recorder's memory stays bounded: VmRSS, sampled every second, stays
# below 64 MB (the kallsyms text, zstd's context and a chunk of 65536
# pending hits come to some 25 MB here; nothing else should grow with
# the hits) and does not grow: the second half's peak is at most 4 MB
# above the first half's.
CRASH_RSS_MAX_KB=$((64 * 1024))
CRASH_RSS_GROWTH_KB=$((4 * 1024))

test_overload_60s() {
	local addr ncpu count rc i rss s1=0 s2=0 samples=() reads k=100 per how

	ncpu=$(online_cpus)
	addr=$(kaddr __start_BTF) || exit 1
	# Flat out for 60 s (N 0: no other limit), then it says how many
	# reads it did.
	start_counted "$addr" 4 "$TRIGGER" -r -d 60 "$BTF" 0 4 0 "$ncpu"
	start_km 1 rec.out rec.err record -m 4K -p "$WL_PID" -o t rw4 __start_BTF
	touch go
	for i in {1..60}; do
		sleep 1
		rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$KM_PID/status" 2>/dev/null)
		[[ $rss =~ ^[0-9]+$ ]] || fail "no VmRSS of the recorder (pid $KM_PID) after $i s: it died? $(oneline rec.err)"
		samples+=("$rss")
		if ((i <= 30)); then ((rss > s1)) && s1=$rss; else ((rss > s2)) && s2=$rss; fi
	done
	wait_pid "$WL_RUN" 10
	rc=$?
	((rc != 124)) || fail "the workload did not end within 10 s of its 60 s"
	((rc == 0)) || fail "the workload (or perf stat of it) exited $rc: $(oneline wl.perf.err)"
	stop_km INT
	reads=$(awk '{ print $NF }' wl.out)
	[[ $reads =~ ^[1-9][0-9]*$ ]] || fail "the trigger did not say how many reads it did: $(oneline wl.out)"
	per=$(perf_count_retry "$addr" 4 -- "$TRIGGER" "$BTF" 0 4 "$k") || exit 1
	((per > 0 && per % k == 0)) || fail "perf counted $per hits for $k preads: not a positive multiple of $k"
	per=$((per / k))
	count=$((reads * per))
	how="$reads reads x $per hits each"
	if [[ -n $WL_AT_ONCE ]]; then
		# perf beside it: the same count, the reads x per read check too.
		count=$(perf_counted) || exit 1
		((count == reads * per)) || note_failure "perf counts $count hits of the workload, not its $reads reads x $per"
		how="perf beside it"
	fi

	check_accounts t rec.err
	((HDR_LOST > 0)) || note_failure "no hit lost with a 4 KiB ring buffer under $ncpu busy threads for 60 s"
	((HDR_HITS + HDR_LOST == count)) ||
		note_failure "written $HDR_HITS + lost $HDR_LOST = $((HDR_HITS + HDR_LOST)), perf counts $count hits of the workload"
	((s1 <= CRASH_RSS_MAX_KB && s2 <= CRASH_RSS_MAX_KB)) ||
		note_failure "recorder VmRSS peaked at $s1 kB (first 30 s), $s2 kB (last 30 s): above $CRASH_RSS_MAX_KB kB"
	((s2 <= s1 + CRASH_RSS_GROWTH_KB)) ||
		note_failure "recorder VmRSS grows: peak $s1 kB in the first 30 s, $s2 kB in the last 30 (samples: ${samples[*]})"
	check_done
	pass "perf $count ($how) = written $HDR_HITS + lost $HDR_LOST, VmRSS peak $s1 kB, then $s2 kB"
}
