# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
# What each hit says: task, stack, value, watch and address.

# The trigger's hits name the trigger (comm, pid, one reading thread),
# come through vfs_read, and carry the watched bytes, the watch index
# and the watched address. The trigger preads on a thread of its own
# (pthread_create even for THREADS=1), so its tid is not its pid; a read
# by dd, done on its main thread, shows pid == tid == dd's pid. Hits of other processes (other users of the
# machine) are left aside.
test_stacks_and_task() {
	local n=200 addr value tpid dpid total ours tids dd

	addr=$(kaddr __start_BTF) || exit 1
	value=$(le32 "$BTF" 0) || exit 1
	cat >wl.sh <<-WL
		#!/bin/sh
		${WITH_PIDFILE[*]@Q} trig.pid "$TRIGGER" "$BTF" 0 4 $n >/dev/null || exit 1
		${WITH_PIDFILE[*]@Q} dd.pid dd if="$BTF" of=/dev/null bs=4 count=1 status=none
	WL
	km record -o t rw4 __start_BTF -- sh wl.sh >/dev/null 2>rec.err ||
		fail "record exited $?: $(oneline rec.err)"
	tpid=$(read_pid trig.pid) || exit 1
	dpid=$(read_pid dd.pid) || exit 1
	hits_json t
	total=$(wc -l <t.json)

	ours=$(json_count t.json 'select(.pid == $p)' --argjson p "$tpid") || exit 1
	((ours >= n)) || fail "only $ours hits with the trigger's pid $tpid for $n preads ($total hits in all)"
	jq -r --argjson p "$tpid" --arg v "$value" --arg a "0x$addr" '
		select(.pid == $p) |
		if .comm != "trigger" then "comm \(.comm | tojson), not \"trigger\""
		elif ([.stack[].sym] | index("vfs_read")) == null then
			"no vfs_read frame in the stack \([.stack[].sym] | join(","))"
		elif .value != $v then "value \(.value), not \($v)"
		elif has("old_value") and .old_value != $v then
			"old_value \(.old_value), not \($v) (a read changes nothing)"
		elif .watch != 0 then "watch \(.watch), not 0"
		elif .addr != $a then "addr \(.addr), not \($a)"
		elif .time_ns >= 60000000000 then "time_ns \(.time_ns): not within 60 s of the start"
		else empty end' t.json >bad || fail "jq could not read t.json"
	[[ ! -s bad ]] || fail "$(wc -l <bad) of $ours trigger hits are wrong, e.g. $(head -n 1 bad)"
	# The trigger reads on one thread: one tid for all its hits.
	tids=$(jq -r --argjson p "$tpid" 'select(.pid == $p) | .tid' t.json | sort -u)
	[[ $tids =~ ^[0-9]+$ && $tids != 0 ]] ||
		fail "the trigger's hits show tids '$(echo "$tids" | tr '\n' ' ')', want one thread"

	dd=$(jq -c --argjson p "$dpid" 'select(.pid == $p)' t.json)
	[[ -n $dd ]] || fail "no hit with dd's pid $dpid"
	jq -r --argjson p "$dpid" --arg v "$value" --arg a "0x$addr" '
		if .tid != $p then "tid \(.tid), not the pid \($p) (dd reads on its main thread)"
		elif .comm != "dd" then "comm \(.comm | tojson), not \"dd\""
		elif ([.stack[].sym] | index("vfs_read")) == null then "no vfs_read frame"
		elif .value != $v or .watch != 0 or .addr != $a then "value/watch/addr \(.value) \(.watch) \(.addr)"
		else empty end' <<<"$dd" >bad
	[[ ! -s bad ]] || fail "dd's hits are wrong: $(head -n 1 bad)"
	pass "$ours trigger hits (pid $tpid, tid $tids) and $(wc -l <<<"$dd") dd hits, value $value"
}
