# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
# Filters (issue 5), applied in the kernel: each keeps exactly what it
# should of a workload of two processes, and the trace says which
# filters it ran with and how many hits they dropped.
#
# The workload, held back until the recorder is armed (so the pids are
# known before, and every hit of it falls inside the recording):
#   A  the trigger, comm "trigger", FLT_NA 4-byte preads of the BTF
#      blob, pinned to CPU_A; it reads on a thread of its own, so the
#      tid of its hits is not its pid;
#   B  a perl reader, comm "perl", FLT_NB 4-byte reads of the same
#      bytes (or of /sys/kernel/notes), pinned to CPU_B; it reads on
#      its main thread: tid == pid.
# What a filter keeps of A and of B must be exactly perf's count for
# that process (perf stat without -a, of the same workload), or none.
# Other users of the machine hit the same bytes meanwhile: their hits
# are left out of the counts by pid, and add to "filtered" and "seen".

FLT_NA=300
FLT_NB=200

# flt_cpus: the first two online CPUs, as "CPU_A CPU_B".
flt_cpus() {
	awk -F, '{ for (i = 1; i <= NF; i++) { n = split($i, r, "-")
		for (c = r[1]; c <= r[n]; c++) print c } }' /sys/devices/system/cpu/online |
		head -n 2 | paste -sd ' '
}

# flt_start [FILE_B]: starts A and B, held back until flt_wait_workload
# lets them go (A first, then B: hits of two CPUs at the same moment may
# be lost, see test_count_stops_exactly, and these counts need none);
# sets PID_A, PID_B, CPU_A and CPU_B.
flt_start() {
	if [[ -z ${CPU_A-} ]]; then
		read -r CPU_A CPU_B < <(flt_cpus)
		[[ -n $CPU_B ]] || fail "these tests need two online CPUs: $(cat /sys/devices/system/cpu/online)"
	fi
	# A gate of its own each time: no stale one to remove first.
	FLT_GO=go.$((++FLT_RUNS))
	start_gated "$FLT_GO.a" taskset -c "$CPU_A" "$TRIGGER" "$BTF" 0 4 "$FLT_NA"
	PID_A=$GATED_PID
	start_gated "$FLT_GO.b" taskset -c "$CPU_B" "${PREAD1[@]}" "${1:-$BTF}" "$FLT_NB"
	PID_B=$GATED_PID
}
FLT_RUNS=0

# flt_refs [FILE_B [SYMBOL_B]]: perf's counts of A's and B's hits,
# FLT_PA and FLT_PB (B's on SYMBOL_B, default __start_BTF).
flt_refs() {
	local a b

	a=$(kaddr __start_BTF) || exit 1
	b=$(kaddr "${2:-__start_BTF}") || exit 1
	FLT_PA=$(perf_count_retry "$a" 4 -- "$TRIGGER" "$BTF" 0 4 "$FLT_NA") || exit 1
	FLT_PB=$(perf_count_retry "$b" 4 -- "${PREAD1[@]}" "${1:-$BTF}" "$FLT_NB") || exit 1
	((FLT_PA > 0 && FLT_PB > 0)) || fail "perf counted $FLT_PA and $FLT_PB hits: the workload touches nothing?"
}

# flt_wait_workload: lets A run, waits for it, then the same for B.
flt_wait_workload() {
	local rc

	: >"$FLT_GO.a"
	wait_pid "$PID_A" 60
	rc=$?
	((rc == 0)) || fail "A (the trigger, pid $PID_A) exited $rc"
	: >"$FLT_GO.b"
	wait_pid "$PID_B" 60
	rc=$?
	((rc == 0)) || fail "B (perl, pid $PID_B) exited $rc"
}

# flt_record NR_WATCHES ARGS...: kmemsnoop record -o t ARGS over the
# workload (flt_start first), stopped with SIGINT once A and B are done;
# then t.json, t.header, and the accounting checks (check_accounts).
# (A t from before becomes t.old.)
flt_record() {
	local nw=$1

	shift
	start_km "$nw" rec.out rec.err record -o t "$@"
	flt_wait_workload
	stop_km INT
	hits_json t
	check_accounts t rec.err
}

# flt_expect WHAT KEEP_A KEEP_B FILTERS [JQ_COND [jq args]]: notes where
# the recording kept other than all of A (KEEP_A 1) or none of it (0),
# the same for B, or its header shows filters other than FILTERS, or
# (with JQ_COND) a kept hit, of any process, does not satisfy JQ_COND.
# Hits the filter dropped are counted as filtered: at least those of A
# and B. One jq reads the hits for all of it.
flt_expect() {
	local what=$1 keep_a=$2 keep_b=$3 filters=$4 cond=${5:-true} a b n eg want_a want_b dropped

	shift 4
	(($# == 0)) || shift
	{ read -r a b n && IFS= read -r eg; } < <(jq -rn --argjson pa "$PID_A" --argjson pb "$PID_B" "$@" '
		[inputs] | [.[] | select(('"$cond"') | not)] as $bad |
		"\([.[] | select(.pid == $pa)] | length) \([.[] | select(.pid == $pb)] | length) \($bad | length)",
		($bad[0] // {} | {pid, tid, comm, cpu, value} | tojson)' t.json) ||
		fail "jq could not read t.json"
	want_a=$((keep_a ? FLT_PA : 0))
	want_b=$((keep_b ? FLT_PB : 0))
	((a == want_a)) || note_failure "$what: kept $a hits of A (trigger, pid $PID_A), want $want_a"
	((b == want_b)) || note_failure "$what: kept $b hits of B (perl, pid $PID_B), want $want_b"
	((n == 0)) || note_failure "$what: $n kept hits do not satisfy $cond, e.g. $eg"
	[[ ${HDR_OF[filters]-} == "$filters" ]] ||
		note_failure "$what: --header says 'filters: ${HDR_OF[filters]-}', want 'filters: $filters'"
	((HDR_LOST == 0)) || note_failure "$what: $HDR_LOST hits lost (the counts need none)"
	dropped=$(((1 - keep_a) * FLT_PA + (1 - keep_b) * FLT_PB))
	((HDR_FILTERED >= dropped)) ||
		note_failure "$what: --header says $HDR_FILTERED filtered, but the filter dropped $dropped hits of A and B alone"
	((SUM_FILTERED >= dropped)) ||
		note_failure "$what: the summary says $SUM_FILTERED filtered, but the filter dropped $dropped hits of A and B alone"
}

# -p PID: the whole thread group, whichever thread reads (A reads on a
# thread whose tid is not A's pid); nobody else.
test_filter_pid() {
	flt_refs
	flt_start
	flt_record 1 -p "$PID_A" rw4 __start_BTF
	flt_expect "-p A" 1 0 "pid=$PID_A" '.pid == $p' --argjson p "$PID_A"
	flt_start
	flt_record 1 --pid "$PID_B" rw4 __start_BTF
	flt_expect "--pid B" 0 1 "pid=$PID_B" '.pid == $p' --argjson p "$PID_B"
	check_done
	pass "-p A: $FLT_PA hits of A, none of B; --pid B: $FLT_PB of B, none of A"
}

# --tid TID: that thread only. B reads on its main thread (tid == pid);
# A's main thread (tid == A's pid) never reads, its reading thread does.
test_filter_tid() {
	flt_refs
	flt_start
	flt_record 1 --tid "$PID_B" rw4 __start_BTF
	flt_expect "--tid B" 0 1 "tid=$PID_B" '.tid == $t' --argjson t "$PID_B"
	flt_start
	flt_record 1 --tid "$PID_A" rw4 __start_BTF
	flt_expect "--tid A (A's main thread, which does not read)" 0 0 "tid=$PID_A" \
		'.tid == $t' --argjson t "$PID_A"
	check_done
	pass "--tid B: $FLT_PB hits; --tid of A's idle main thread: none"
}

# --comm NAME: tasks with that command name only, whoever they are.
test_filter_comm() {
	flt_refs
	flt_start
	flt_record 1 --comm trigger rw4 __start_BTF
	flt_expect "--comm trigger" 1 0 "comm=trigger" '.comm == "trigger"'
	flt_start
	flt_record 1 --comm perl rw4 __start_BTF
	flt_expect "--comm perl" 0 1 "comm=perl" '.comm == "perl"'
	# The whole name, not a prefix of it.
	flt_start
	flt_record 1 --comm trig rw4 __start_BTF
	flt_expect "--comm trig" 0 0 "comm=trig" '.comm == "trig"'
	check_done
	pass "--comm trigger: $FLT_PA hits of A; --comm perl: $FLT_PB of B; --comm trig: none"
}

# -C LIST: hits on those CPUs only (A and B are pinned to one each).
test_filter_cpu() {
	flt_refs
	flt_start
	flt_record 1 -C "$CPU_A" rw4 __start_BTF
	flt_expect "-C $CPU_A" 1 0 "cpus=$CPU_A" '.cpu == $c' --argjson c "$CPU_A"
	flt_start
	flt_record 1 --cpu "$CPU_B" rw4 __start_BTF
	flt_expect "--cpu $CPU_B" 0 1 "cpus=$CPU_B" '.cpu == $c' --argjson c "$CPU_B"
	flt_start
	flt_record 1 -C "$CPU_A,$CPU_B" rw4 __start_BTF
	flt_expect "-C $CPU_A,$CPU_B" 1 1 "cpus=$CPU_A,$CPU_B"
	check_done
	pass "-C $CPU_A: A only; -C $CPU_B: B only; -C $CPU_A,$CPU_B: both"
}

# --exclude-self drops nothing of other processes; the header names the
# recorder's pid. (Its own accesses: test_filter_exclude_self_own_task.)
test_filter_exclude_self() {
	flt_refs
	flt_start
	flt_record 1 --exclude-self rw4 __start_BTF
	flt_expect "--exclude-self" 1 1 "exclude-pid=$KM_PID" '.pid != $p' --argjson p "$KM_PID"
	check_done
	pass "A ($FLT_PA) and B ($FLT_PB) kept"
}

# --exclude-self against kmemsnoop's own accesses: a watch on its own
# task_struct's nvcsw, which the scheduler writes in its context each
# time it sleeps (each ring-buffer poll). Without the filter those hits
# are there; with it none are, while a reader of /proc/PID/status (which
# reads nvcsw) keeps exactly perf's count: of a second reader of the
# recorder's status at the same time where two breakpoints on the same
# bytes both fire; where they do not (QEMU's TCG), of the same reads of
# a stand-in task's status, with perf alone on its nvcsw.
test_filter_exclude_self_own_task() {
	local n=50 ctl self addr want rpid ours overlap stand

	# The recorder watches its own task: the wrapper execs it, so $$ is
	# its pid.
	printf '#!/bin/sh\nexec "%s" "$@" --pid-task $$ rw "&nvcsw"\n' "$KM" >kmself
	chmod +x kmself

	KM=$PWD/kmself start_km 1 ctl.out ctl.err record -o ctl --no-stack
	sleep 1
	stop_km INT
	hits_json ctl
	ctl=$(json_count ctl.json 'select(.pid == $p)' --argjson p "$KM_PID") || exit 1
	((ctl > 0)) || fail "without --exclude-self, no hit of the recorder's own context switches (pid $KM_PID) in 1 s: $(oneline ctl.err)"

	KM=$PWD/kmself start_km 1 own.out own.err record -o own --no-stack --exclude-self
	addr=$(km report -i own --header 2>/dev/null | sed -n 's/^watch-0: rw8 &nvcsw = 0x\([0-9a-f]*\)$/\1/p')
	[[ -n $addr ]] || fail "no 'watch-0: rw8 &nvcsw = ADDR' in the header of the trace being recorded"
	"${WITH_PIDFILE[@]}" r.pid "$TRIGGER" "/proc/$KM_PID/status" 0 16 "$n" >/dev/null ||
		fail "the reader of /proc/$KM_PID/status failed"
	rpid=$(read_pid r.pid) || exit 1
	overlap=$(bp_overlap) || exit 1
	if [[ $overlap == both ]]; then
		want=$(perf_count_retry "$addr" 8 -- "$TRIGGER" "/proc/$KM_PID/status" 0 16 "$n") || exit 1
	fi
	sleep 1
	stop_km INT
	if [[ $overlap != both ]]; then
		sleep 600 &
		stand=$!
		track "$stand"
		km record -o sa -d 0.1 --no-stack --pid-task "$stand" rw '&nvcsw' >/dev/null 2>sa.err ||
			fail "record --pid-task $stand (the stand-in) exited $?: $(oneline sa.err)"
		addr=$(km report -i sa --header 2>/dev/null | sed -n 's/^watch-0: rw8 &nvcsw = 0x\([0-9a-f]*\)$/\1/p')
		[[ -n $addr ]] || fail "no 'watch-0: rw8 &nvcsw = ADDR' in the header of the stand-in's trace"
		want=$(perf_count_retry "$addr" 8 -- "$TRIGGER" "/proc/$stand/status" 0 16 "$n") || exit 1
	fi
	((want >= n)) || note_failure "perf counts $want reads of nvcsw for $n reads of a status file"
	hits_json own
	check_accounts own own.err
	self=$(json_count own.json 'select(.pid == $p)' --argjson p "$KM_PID") || exit 1
	((self == 0)) || note_failure "--exclude-self kept $self hits of the recorder itself (pid $KM_PID)"
	ours=$(json_count own.json 'select(.pid == $p)' --argjson p "$rpid") || exit 1
	((ours == want)) || note_failure "--exclude-self kept $ours hits of the reader (pid $rpid), perf counts $want"
	[[ $(hdr own filters) == "exclude-pid=$KM_PID" ]] ||
		note_failure "--header says 'filters: $(hdr own filters)', want 'filters: exclude-pid=$KM_PID'"
	((HDR_FILTERED >= 5)) ||
		note_failure "--header says $HDR_FILTERED filtered: the recorder slept more than 5 times in 1 s"
	check_done
	pass "own hits: $ctl without the filter, none with it; reader $ours = perf; $HDR_FILTERED filtered"
}

# --if 'value OP N', each OP both ways. Two watches: the BTF blob's first
# word (A reads it) and /sys/kernel/notes' (B reads it), two different
# values that never change, so each condition keeps A's hits, B's, both
# or none - and of anyone else's, only hits with a kept value.
test_filter_value() {
	local vb vn row cond op num keep_a keep_b allowed=() nr=0

	vb=$(le32 "$BTF" 0) || exit 1
	vn=$(le32 "$NOTES" 0) || exit 1
	((vb > vn && (vb & vn) != 0 && (vb & ~vn) != 0)) ||
		fail "the cases below assume BTF's first word $vb > notes' $vn, with bits in common and not"
	flt_refs "$NOTES" __start_notes
	for row in \
		"== $vb|1|0" "== $vn|0|1" "!= $vb|0|1" "!= 0|1|1" \
		"< $vb|0|1" "< $vn|0|0" "> $vn|1|0" "> $vb|0|0" \
		"<= $vn|0|1" "<= $((vn - 1))|0|0" ">= $vb|1|0" ">= $((vb + 1))|0|0" \
		"& $(printf 0x%x $((vb & ~vn)))|1|0" "& $(printf 0x%x $((vb & vn)))|1|1" \
		"& $(printf 0x%x $((~(vb | vn) & 0xffffffff)))|0|0"; do
		IFS='|' read -r cond keep_a keep_b <<<"$row"
		op=${cond%% *} num=${cond#* }
		flt_start "$NOTES"
		flt_record 2 --if "value $cond" rw4 __start_BTF rw4 __start_notes
		allowed=()
		((keep_a)) && allowed+=("\"$vb\"")
		((keep_b)) && allowed+=("\"$vn\"")
		flt_expect "--if 'value $cond'" "$keep_a" "$keep_b" "value$op$((num))" \
			'.value | IN($ok[])' --argjson ok "[$(IFS=,; echo "${allowed[*]}")]"
		nr=$((nr + 1))
	done
	check_done
	pass "$nr conditions over $vb (A) and $vn (B)"
}

# Several filters at once must all hold.
test_filter_combined() {
	flt_refs
	flt_start
	flt_record 1 -p "$PID_A" --comm trigger -C "$CPU_A" rw4 __start_BTF
	flt_expect "-p A --comm trigger -C $CPU_A" 1 0 "pid=$PID_A comm=trigger cpus=$CPU_A"
	flt_start
	flt_record 1 -p "$PID_A" --comm perl rw4 __start_BTF
	flt_expect "-p A --comm perl" 0 0 "pid=$PID_A comm=perl" 'false'
	check_done
	pass "-p A --comm trigger -C $CPU_A: A; -p A --comm perl: nothing"
}

# Filters work in live mode too: -p A prints A's hits and no others,
# and its summary adds up.
test_filter_live() {
	local a b other re line

	flt_refs
	flt_start
	start_km 1 live.out live.err -p "$PID_A" rw4 __start_BTF
	flt_wait_workload
	stop_km INT
	read -r a b other < <(awk -v a="$PID_A" -v b="$PID_B" '/^#/ { split($6, p, "/")
		if (p[1] == a) na++; else if (p[1] == b) nb++; else no++ }
		END { print na + 0, nb + 0, no + 0 }' live.out)
	((a == FLT_PA)) || note_failure "live -p A printed $a hits of A, want $FLT_PA"
	((b == 0 && other == 0)) || note_failure "live -p A printed $b hits of B and $other of other processes"
	re='^kmemsnoop: ([0-9]+) hits, ([0-9]+) lost, ([0-9]+) filtered \(([0-9]+) seen\)$'
	line=$(grep -E "$re" live.err)
	if [[ ! $line =~ $re ]]; then
		note_failure "no 'kmemsnoop: N hits, L lost, F filtered (S seen)' line: $(oneline live.err)"
	else
		((BASH_REMATCH[1] == a + b + other)) ||
			note_failure "live summary says ${BASH_REMATCH[1]} hits, $((a + b + other)) printed"
		((BASH_REMATCH[4] == BASH_REMATCH[1] + BASH_REMATCH[2] + BASH_REMATCH[3])) ||
			note_failure "live summary: seen ${BASH_REMATCH[4]} != hits + lost + filtered: $line"
		((BASH_REMATCH[3] >= FLT_PB)) ||
			note_failure "live summary: ${BASH_REMATCH[3]} filtered, fewer than B's $FLT_PB hits"
	fi
	check_done
	pass "$a hits of A printed, none of B"
}

# The lists of -p, --tid and --comm, over a workload of three processes
# with comms of their own, let go one after another as A and B are:
#   L0  the trigger as "fltname-zero-15", FLT_LN[0] preads on a thread of its own
#   L1  the trigger as "fltname-zero-16", FLT_LN[1] preads, the same way
#   L2  a perl reader, comm "perl", FLT_LN[2] reads on its main thread
# (a link named as the comm execs the trigger; the two names are the
# 15 bytes the kernel keeps, and differ only in the last, which the
# in-kernel filter compares in its second 8-byte word). Each list must keep
# exactly perf's count for each process it names, and none of the others.
FLT_LN=(300 200 100)
FLT_LCOMM=(fltname-zero-15 fltname-zero-16 perl)

# flt_lcmd I: the command line of L$I.
flt_lcmd() {
	case $1 in
	2) FLT_CMD=("${PREAD1[@]}" "$BTF" "${FLT_LN[2]}") ;;
	*) FLT_CMD=("./${FLT_LCOMM[$1]}" "$BTF" 0 4 "${FLT_LN[$1]}") ;;
	esac
}

# flt_lrefs: the links, and perf's count of each process's hits, FLT_LP.
flt_lrefs() {
	local a i

	for i in 0 1; do
		ln -sf "$TRIGGER" "${FLT_LCOMM[i]}" || fail "cannot link the trigger here"
	done
	a=$(kaddr __start_BTF) || exit 1
	FLT_LP=()
	for i in 0 1 2; do
		flt_lcmd "$i"
		FLT_LP[i]=$(perf_count_retry "$a" 4 -- "${FLT_CMD[@]}") || exit 1
		((FLT_LP[i] > 0)) || fail "perf counted no hit of ${FLT_LCOMM[i]}: the workload touches nothing?"
	done
}

# flt_lrecord ARGS...: kmemsnoop record -o t ARGS rw4 __start_BTF over
# the three, started held back and let go one at a time once it is
# armed; @0, @1 and @2 in ARGS stand for their pids (FLT_LPID, known
# only once started). Then t.json, t.header and the accounts
# (check_accounts).
flt_lrecord() {
	local i rc args=()

	FLT_GO=go.$((++FLT_RUNS))
	FLT_LPID=()
	for i in 0 1 2; do
		flt_lcmd "$i"
		start_gated "$FLT_GO.$i" "${FLT_CMD[@]}"
		FLT_LPID[i]=$GATED_PID
	done
	for i; do
		i=${i//@0/${FLT_LPID[0]}} i=${i//@1/${FLT_LPID[1]}}
		args+=("${i//@2/${FLT_LPID[2]}}")
	done
	start_km 1 rec.out rec.err record -o t "${args[@]}" rw4 __start_BTF
	for i in 0 1 2; do
		: >"$FLT_GO.$i"
		wait_pid "${FLT_LPID[i]}" 60
		rc=$?
		((rc == 0)) || fail "${FLT_LCOMM[i]} (pid ${FLT_LPID[i]}) exited $rc"
	done
	stop_km INT
	hits_json t
	check_accounts t rec.err
}

# flt_lexpect WHAT "K0 K1 K2" FILTERS JQ_COND [jq args]: notes where the
# recording kept other than all of L$I's hits (K$I 1) or none (0), its
# header shows filters other than FILTERS, or a kept hit of anyone does
# not satisfy JQ_COND. The hits dropped are counted as filtered.
flt_lexpect() {
	local what=$1 keep filters=$3 cond=$4 got i want dropped=0

	read -r -a keep <<<"$2"
	shift 4
	read -r -a got < <(jq -rn --argjson p "[$(IFS=,; echo "${FLT_LPID[*]}")]" "$@" '
		[inputs] | [(.[] | select((('"$cond"') | not))) | 1] as $bad |
		"\([$p[] as $x | [.[] | select(.pid == $x)] | length] | join(" ")) \($bad | length)"' t.json) ||
		fail "jq could not read t.json"
	for i in 0 1 2; do
		want=$((keep[i] ? FLT_LP[i] : 0))
		((got[i] == want)) ||
			note_failure "$what: kept ${got[i]} hits of ${FLT_LCOMM[i]} (pid ${FLT_LPID[i]}), want $want"
		((keep[i])) || dropped=$((dropped + FLT_LP[i]))
	done
	((got[3] == 0)) || note_failure "$what: ${got[3]} kept hits do not satisfy $cond"
	[[ ${HDR_OF[filters]-} == "$filters" ]] ||
		note_failure "$what: --header says 'filters: ${HDR_OF[filters]-}', want 'filters: $filters'"
	((HDR_LOST == 0)) || note_failure "$what: $HDR_LOST hits lost (the counts need none)"
	((HDR_FILTERED >= dropped)) ||
		note_failure "$what: --header says $HDR_FILTERED filtered, but the filter dropped $dropped hits of the three alone"
}

# -p A,B keeps A's and B's hits, whichever of their threads reads, and
# none of C's; a repeated -p adds to the list: -p A -p C is -p A,C.
test_filter_pid_list() {
	flt_lrefs
	flt_lrecord -p @0,@1
	flt_lexpect "-p L0,L1" "1 1 0" "pid=${FLT_LPID[0]},${FLT_LPID[1]}" \
		'.pid | IN($p[0], $p[1])'
	flt_lrecord --pid @2,@0
	flt_lexpect "--pid L2,L0" "1 0 1" "pid=${FLT_LPID[2]},${FLT_LPID[0]}" \
		'.pid | IN($p[0], $p[2])'
	flt_lrecord -p @0 -p @2
	flt_lexpect "-p L0 -p L2" "1 0 1" "pid=${FLT_LPID[0]},${FLT_LPID[2]}" \
		'.pid | IN($p[0], $p[2])'
	flt_lrecord -p @1,@1 --pid @1
	flt_lexpect "-p L1,L1 --pid L1" "0 1 0" "pid=${FLT_LPID[1]}" '.pid == $p[1]'
	check_done
	pass "-p L0,L1: ${FLT_LP[0]} + ${FLT_LP[1]} hits, none of L2 (${FLT_LP[2]}); -p L0 -p L2 the same as -p L2,L0"
}

# --tid A,B: those threads only. L2 reads on its main thread; the
# triggers' main threads (tid == pid) never read.
test_filter_tid_list() {
	flt_lrefs
	flt_lrecord --tid @2,@0
	flt_lexpect "--tid L2,L0" "0 0 1" "tid=${FLT_LPID[2]},${FLT_LPID[0]}" \
		'.tid | IN($p[0], $p[2])'
	flt_lrecord --tid @0 --tid @1
	flt_lexpect "--tid L0 --tid L1 (main threads, which do not read)" "0 0 0" \
		"tid=${FLT_LPID[0]},${FLT_LPID[1]}" 'false'
	check_done
	pass "--tid L2,L0: ${FLT_LP[2]} hits of L2; the triggers' idle main threads: none"
}

# --comm x,y: tasks with either name, whoever they are; repeats add up.
test_filter_comm_list() {
	flt_lrefs
	flt_lrecord --comm fltname-zero-15,perl
	flt_lexpect "--comm fltname-zero-15,perl" "1 0 1" "comm=fltname-zero-15,perl" '.comm | IN("fltname-zero-15", "perl")'
	flt_lrecord --comm fltname-zero-16 --comm fltname-zero-15
	flt_lexpect "--comm fltname-zero-16 --comm fltname-zero-15" "1 1 0" "comm=fltname-zero-16,fltname-zero-15" \
		'.comm | IN("fltname-zero-16", "fltname-zero-15")'
	# Whole names, not prefixes, each of them.
	flt_lrecord --comm flt,fltname-zero-1,fltname-zero-17
	flt_lexpect "--comm flt,fltname-zero-1,fltname-zero-17" "0 0 0" "comm=flt,fltname-zero-1,fltname-zero-17" 'false'
	check_done
	pass "--comm fltname-zero-15,perl: ${FLT_LP[0]} + ${FLT_LP[2]} hits; --comm fltname-zero-16 --comm fltname-zero-15: ${FLT_LP[1]} + ${FLT_LP[0]}; prefixes: none"
}

# The lists together: a hit must be in each (-p L0,L1 and --comm
# fltname-zero-16,perl leave L1 alone), in live mode as in record.
test_filter_lists_combined() {
	local n=() i

	flt_lrefs
	flt_lrecord -p @0,@1 --comm fltname-zero-16,perl
	flt_lexpect "-p L0,L1 --comm fltname-zero-16,perl" "0 1 0" \
		"pid=${FLT_LPID[0]},${FLT_LPID[1]} comm=fltname-zero-16,perl" '.pid == $p[1] and .comm == "fltname-zero-16"'
	FLT_GO=go.$((++FLT_RUNS))
	for i in 0 1 2; do
		flt_lcmd "$i"
		start_gated "$FLT_GO.$i" "${FLT_CMD[@]}"
		FLT_LPID[i]=$GATED_PID
	done
	start_km 1 live.out live.err -p "${FLT_LPID[2]},${FLT_LPID[1]}" rw4 __start_BTF
	for i in 0 1 2; do
		: >"$FLT_GO.$i"
		wait_pid "${FLT_LPID[i]}" 60 || fail "${FLT_LCOMM[i]} (pid ${FLT_LPID[i]}) exited $?"
	done
	stop_km INT
	read -r -a n < <(awk -v a="${FLT_LPID[0]}" -v b="${FLT_LPID[1]}" -v c="${FLT_LPID[2]}" '/^#/ {
		split($6, p, "/"); if (p[1] == a) na++; else if (p[1] == b) nb++; else if (p[1] == c) nc++; else no++ }
		END { print na + 0, nb + 0, nc + 0, no + 0 }' live.out)
	((n[0] == 0 && n[1] == FLT_LP[1] && n[2] == FLT_LP[2] && n[3] == 0)) ||
		note_failure "live -p L2,L1 printed ${n[0]}, ${n[1]}, ${n[2]} hits of L0, L1, L2 and ${n[3]} of others, want 0, ${FLT_LP[1]}, ${FLT_LP[2]}, 0"
	check_done
	pass "record: ${FLT_LP[1]} hits of L1 alone; live -p L2,L1: ${FLT_LP[1]} + ${FLT_LP[2]}"
}
