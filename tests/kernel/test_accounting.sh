# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
# Exact accounting (issue 5): every time the BPF program runs is one hit
# seen, and exactly one of kept (written), filtered (a filter or the -c
# limit said no) or lost (the ring buffer was full):
#     seen = hits + filtered + lost
# in the summary line, which must agree with report --header.

# acc_busy: the trigger flat out on every CPU (THREADS = online CPUs)
# until the test ends; sets ACC_BUSY to its pid.
acc_busy() {
	local ncpu

	ncpu=$(online_cpus)
	"$TRIGGER" "$BTF" 0 4 1000000000 "$ncpu" >/dev/null &
	ACC_BUSY=$!
	track "$ACC_BUSY"
	poll 5 threads_above "$ACC_BUSY" "$ncpu" || fail "the busy trigger did not start its $ncpu threads"
}

# -c COUNT stops at exactly COUNT kept hits, however fast they come (a
# trigger on every CPU at once races for the last places), in record and
# in live mode; the hits past the limit count as filtered.
#
# A hit is lost only when the ring buffer does not take it: when it is
# full, or when another CPU holds its lock at that moment (a debug
# exception runs as an NMI does, and there 6.1's and 6.12's ring buffer
# only tries the lock). So racing CPUs may lose a few, whatever the
# buffer's size (under QEMU's TCG, some in a thousand), and a lost
# hit's place goes back: the count stays exact, and seen = hits + lost
# + filtered. With one CPU's hits kept (-C), none can be lost: live
# -c 500 then says 0 lost.
test_count_stops_exactly() {
	local n=1000 nr rc cpu re

	acc_busy
	km_retry rec.out rec.err record -c "$n" -o t rw4 __start_BTF
	rc=$?
	((rc == 0)) || fail "record -c $n exited $rc: $(oneline rec.err)"
	hits_json t
	nr=$(wc -l <t.json)
	((nr == n)) || note_failure "record -c $n wrote $nr hits"
	check_accounts t rec.err
	((HDR_HITS == n)) || note_failure "--header hits $HDR_HITS after -c $n"
	[[ $(hdr t filters) == "count=$n" ]] || note_failure "--header says 'filters: $(hdr t filters)', want 'filters: count=$n'"

	km_retry live.out live.err -c 500 rw4 __start_BTF
	rc=$?
	((rc == 0)) || fail "live -c 500 exited $rc: $(oneline live.err)"
	nr=$(grep -c '^#' live.out)
	((nr == 500)) || note_failure "live -c 500 printed $nr hits"
	re='^kmemsnoop: 500 hits, ([0-9]+) lost, ([0-9]+) filtered \(([0-9]+) seen\)'
	if [[ ! $(grep -E "$re" live.err) =~ $re ]]; then
		note_failure "live -c 500: no 'kmemsnoop: 500 hits, L lost, F filtered (S seen)': $(oneline live.err)"
	elif ((BASH_REMATCH[3] != 500 + BASH_REMATCH[1] + BASH_REMATCH[2])); then
		note_failure "live -c 500: seen ${BASH_REMATCH[3]} != 500 hits + ${BASH_REMATCH[1]} lost + ${BASH_REMATCH[2]} filtered"
	fi

	cpu=$(sed 's/[-,].*//' /sys/devices/system/cpu/online)
	km_retry live1.out live1.err -C "$cpu" -c 500 rw4 __start_BTF
	rc=$?
	((rc == 0)) || fail "live -C $cpu -c 500 exited $rc: $(oneline live1.err)"
	nr=$(grep -c '^#' live1.out)
	((nr == 500)) || note_failure "live -C $cpu -c 500 printed $nr hits"
	grep -Eq '^kmemsnoop: 500 hits, 0 lost, [0-9]+ filtered \([0-9]+ seen\)' live1.err ||
		note_failure "live -C $cpu -c 500: no 'kmemsnoop: 500 hits, 0 lost, F filtered (S seen)': $(oneline live1.err)"
	check_done
	pass "-c $n: $n hits, $HDR_LOST lost, $HDR_FILTERED filtered of $HDR_SEEN seen; live -c 500: 500, and with -C $cpu none lost"
}

# -c with a filter: the count is of kept hits, all of the process kept.
test_count_with_filter() {
	local n=300 nr ours rc

	acc_busy
	# Another process hitting the same bytes meanwhile, to be dropped.
	"$TRIGGER" "$BTF" 0 4 1000000000 >/dev/null &
	track $!
	km_retry rec.out rec.err record -c "$n" -p "$ACC_BUSY" -o t rw4 __start_BTF
	rc=$?
	((rc == 0)) || fail "record -c $n -p exited $rc: $(oneline rec.err)"
	hits_json t
	nr=$(wc -l <t.json)
	ours=$(json_count t.json 'select(.pid == $p)' --argjson p "$ACC_BUSY") || exit 1
	((nr == n && ours == n)) || note_failure "record -c $n -p $ACC_BUSY wrote $nr hits, $ours of that pid"
	check_accounts t rec.err
	[[ $(hdr t filters) == "pid=$ACC_BUSY count=$n" ]] ||
		note_failure "--header says 'filters: $(hdr t filters)', want 'filters: pid=$ACC_BUSY count=$n'"
	check_done
	pass "$n hits, all of pid $ACC_BUSY; $HDR_FILTERED filtered"
}

# A 4 KiB ring buffer under a trigger on every CPU loses hits, and the
# accounts still add up exactly, against the kernel's own count.
#
# "seen" counts every hit on the machine, and others' tests hit the same
# bytes at any time, so it cannot be compared with a system-wide count
# over a window that is never exactly the recorder's. What can be exact:
# the workload W is one process, held back until the recorder is armed
# and done before it stops, and recorded with -p W; perf stat counts W's
# hits on the same address (per process, no -a): at the same time where
# two breakpoints on the same bytes both fire, else in a second run of
# W, whose preads are the same (start_counted). Each of W's hits is then
# either written or lost (never filtered), and every other process's
# hit is filtered:
#     hits + lost = perf's count of W,  all hits are W's,
#     seen = hits + lost + filtered,    lost > 0.
test_lost_accounted_exactly() {
	local addr n=20000 ncpu count ours rc

	ncpu=$(online_cpus)
	addr=$(kaddr __start_BTF) || exit 1
	start_counted "$addr" 4 "$TRIGGER" "$BTF" 0 4 "$n" "$ncpu"
	start_km 1 rec.out rec.err record -m 4K -p "$WL_PID" -o t rw4 __start_BTF
	touch go
	wait_pid "$WL_RUN" 60
	rc=$?
	((rc == 0)) || fail "the workload (or perf stat of it) exited $rc: $(oneline wl.perf.err)"
	stop_km INT
	count=$(perf_counted) || exit 1
	((count > 0 && count % (n * ncpu) == 0)) ||
		fail "perf counted $count hits for $((n * ncpu)) preads: not a positive multiple of $((n * ncpu))"

	hits_json t
	ours=$(json_count t.json 'select(.pid == $p)' --argjson p "$WL_PID") || exit 1
	check_accounts t rec.err
	((ours == HDR_HITS)) || note_failure "$HDR_HITS hits written, but $ours of them are the workload's (-p $WL_PID)"
	((HDR_LOST > 0)) || note_failure "no hit lost with a 4 KiB ring buffer under $ncpu busy threads ($HDR_HITS written)"
	((HDR_HITS + HDR_LOST == count)) ||
		note_failure "written $HDR_HITS + lost $HDR_LOST = $((HDR_HITS + HDR_LOST)), perf counts $count hits of the workload"
	((HDR_SEEN >= count)) || note_failure "seen $HDR_SEEN is below perf's count of the workload alone ($count)"
	check_done
	pass "perf $count = written $HDR_HITS + lost $HDR_LOST, $HDR_FILTERED filtered, $HDR_SEEN seen"
}
