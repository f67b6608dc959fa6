# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
# Hit counts against perf's own count of the same hardware breakpoint.

# Every kernel access to the watched bytes is one hit: the trace holds as
# many hits of the trigger as perf counts for the same workload. The
# kernel's memcpy may touch the bytes several times per pread (for a
# 4-byte pread, 4 times on Debian's 6.1, twice on its 6.12), hence perf
# rather than N.
test_count_matches_perf() {
	local n=2000 addr pid ours total want lost

	addr=$(kaddr __start_BTF) || exit 1
	km record -o t rw4 __start_BTF -- "${WITH_PIDFILE[@]}" trig.pid \
		"$TRIGGER" "$BTF" 0 4 "$n" >/dev/null 2>rec.err ||
		fail "record exited $?: $(oneline rec.err)"
	pid=$(read_pid trig.pid) || exit 1
	hits_json t
	total=$(wc -l <t.json)
	ours=$(json_count t.json 'select(.pid == $p)' --argjson p "$pid") || exit 1
	lost=$(header_field t lost)
	expect_eq "$lost" 0 "lost hits in the trace (the comparison needs none)"
	((ours > 0)) || fail "no hits of the trigger (pid $pid) in the trace ($total hits in all)"

	want=$(perf_count "$addr" 4 -- "$TRIGGER" "$BTF" 0 4 "$n") || exit 1
	((want > 0 && want % n == 0)) ||
		fail "perf counted $want hits for $n preads: not a positive multiple of $n"
	((ours == want)) ||
		fail "trace has $ours hits of the trigger, perf counts $want for the same workload"
	pass "$ours hits = perf's count ($((want / n)) per pread)"
}

# Two watches at once: each hit carries the index of the watch whose
# address it hit, and each watch gets exactly perf's count for it.
test_two_watches() {
	local m=300 k=200 btf notes total bad h0 h1 p0 p1 v0 v1 bad_val

	btf=$(kaddr __start_BTF) || exit 1
	notes=$(kaddr __start_notes) || exit 1
	# The workload: M 4-byte reads of /sys/kernel/btf/vmlinux, then K of
	# /sys/kernel/notes, each at offset 0; the trigger pids go to $1.
	cat >wl.sh <<-WL
		#!/bin/sh
		"$TRIGGER" "$BTF" 0 4 $m >/dev/null & echo \$! >>"\$1"; wait \$! || exit 1
		"$TRIGGER" "$NOTES" 0 4 $k >/dev/null & echo \$! >>"\$1"; wait \$! || exit 1
	WL
	km record -o t rw4 __start_BTF rw4 __start_notes -- sh wl.sh pids \
		>/dev/null 2>rec.err || fail "record exited $?: $(oneline rec.err)"
	[[ $(wc -l <pids) == 2 ]] || fail "the workload did not run both triggers"
	hits_json t
	total=$(wc -l <t.json)
	expect_eq "$(header_field t lost)" 0 "lost hits in the trace"

	# All hits, whoever caused them: the index matches the address.
	bad=$(json_count t.json \
		'select((.watch == 0 and .addr != $a0) or (.watch == 1 and .addr != $a1) or .watch > 1)' \
		--arg a0 "0x$btf" --arg a1 "0x$notes") || exit 1
	((bad == 0)) || fail "$bad of $total hits carry a watch index that does not match their address"

	# The values read are the first bytes of each file, so
	# __start_notes really is offset 0 of /sys/kernel/notes.
	v0=$(le32 "$BTF" 0) || exit 1
	v1=$(le32 "$NOTES" 0) || exit 1
	bad_val=$(json_count t.json \
		'select(.pid | IN($pids[])) | select((.watch == 0 and .value != $v0) or (.watch == 1 and .value != $v1))' \
		--argjson pids "[$(paste -sd, pids)]" --arg v0 "$v0" --arg v1 "$v1") || exit 1
	((bad_val == 0)) || fail "$bad_val hits of the workload have a value other than $v0 (watch 0) / $v1 (watch 1)"

	h0=$(json_count t.json 'select(.watch == 0 and (.pid | IN($pids[])))' \
		--argjson pids "[$(paste -sd, pids)]") || exit 1
	h1=$(json_count t.json 'select(.watch == 1 and (.pid | IN($pids[])))' \
		--argjson pids "[$(paste -sd, pids)]") || exit 1
	p0=$(perf_count "$btf" 4 -- sh wl.sh pids0) || exit 1
	p1=$(perf_count "$notes" 4 -- sh wl.sh pids1) || exit 1
	((p0 > 0 && p1 > 0)) || fail "perf counted $p0 and $p1 hits: the workload touches nothing?"
	((h0 == p0 && h1 == p1)) ||
		fail "hits per watch: __start_BTF $h0, __start_notes $h1; perf counts $p0 and $p1"
	pass "__start_BTF $h0 hits, __start_notes $h1 hits, both = perf"
}
