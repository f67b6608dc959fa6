# shellcheck shell=bash disable=SC2317,SC2034 # sourced; REASON is read by check
# SPDX-License-Identifier: GPL-2.0
#
# The guest tier's checks on the traces that need only what report has
# always had (its kallsyms snapshot and a vmlinux's symbol table). Sourced
# by tests/guest/test_guest.sh after lib.sh.

# --- checks on the traces ---------------------------------------------------

# The trace's build-id is the guest kernel's (/sys/kernel/notes) and the
# -dbg vmlinux's.
check_build_id() {
	local want t id

	want=$(elf_build_id "$VMLINUX")
	[[ -n $want ]] || {
		bad "no build-id in $VMLINUX"
		return
	}
	id=$(notes_build_id "$OUT/notes")
	[[ $id == "$want" ]] || {
		bad "guest /sys/kernel/notes has '$id', vmlinux $want"
		return
	}
	for t in sched sysctl; do
		id=$(header_field "$OUT/$t.data" build-id)
		[[ $id == "$want" ]] || {
			bad "$t.data build-id: '$id', vmlinux $want"
			return
		}
	done
	REASON=$want
}

check_release() {
	local t r

	[[ $(cat "$OUT/release") == "$RELEASE" ]] || {
		bad "guest ran $(cat "$OUT/release"), fetched $RELEASE"
		return
	}
	for t in sched sysctl; do
		r=$(header_field "$OUT/$t.data" kernel-release)
		[[ $r == "$RELEASE" ]] || {
			bad "$t.data kernel-release '$r', want $RELEASE"
			return
		}
	done
	REASON=$RELEASE
}

# KASLR moved the kernel, and the watches were armed where the symbols
# really were: the vmlinux's address plus the slide.
check_kaslr() {
	kaslr_placed "sched.data $SCHED_SYM
sysctl.data $SYSCTL_SYM"
}

# The execute breakpoint fired, only at scheduler_tick's first byte.
check_sched_hits() {
	local addr hits at

	addr=$(watch_addr "$OUT/sched.data")
	report -i "$OUT/sched.data" --format json >"$WORK/sched.json" 2>"$WORK/sched.err" || {
		bad "report --format json failed: $(head -n 1 "$WORK/sched.err")"
		return
	}
	hits=$(wc -l <"$WORK/sched.json")
	at=$(jq -c --arg a "$addr" --arg s "$SCHED_SYM" \
		'select(.ip == $a and .stack[0].sym == $s and .stack[0].off == 0)' \
		"$WORK/sched.json" | wc -l)
	((hits >= 1)) || {
		bad "no hits in sched.data"
		return
	}
	((at == hits)) || {
		bad "$((hits - at)) of $hits hits are not at $SCHED_SYM+0 ($addr)"
		return
	}
	REASON="$hits hits at $SCHED_SYM ($addr)"
}

# The sysctl watch caught every read, each through the sysctl read path
# (the stack shows do_proc_dointvec_minmax_conv ← __do_proc_dointvec ←
# proc_dointvec_minmax ← proc_sys_call_handler ← ... sendfile, busybox
# cat's way of reading), with the value the guest read.
check_sysctl_hits() {
	local hits off_path want bad_value

	report -i "$OUT/sysctl.data" --format json >"$WORK/sysctl.json" 2>"$WORK/sysctl.err" || {
		bad "report --format json failed: $(head -n 1 "$WORK/sysctl.err")"
		return
	}
	hits=$(wc -l <"$WORK/sysctl.json")
	((hits >= N)) || {
		bad "$hits hits for $N reads"
		return
	}
	off_path=$(jq -c '[.stack[].sym] | select((index("proc_sys_call_handler") and
		index("proc_dointvec_minmax")) | not)' "$WORK/sysctl.json" | wc -l)
	((off_path == 0)) || {
		bad "$off_path of $hits hits not through proc_sys_call_handler/proc_dointvec_minmax: $(jq -c '[.stack[].sym]' "$WORK/sysctl.json" | head -n 1)"
		return
	}
	want=$(cat "$OUT/sysctl_value")
	bad_value=$(jq -r '.value // "none"' "$WORK/sysctl.json" | while read -r v; do
		if [[ $v == none ]] || ((v != want)); then echo "$v"; fi
	done | head -n 1)
	[[ -z $bad_value ]] || {
		bad "a hit captured value $bad_value, the guest read $want"
		return
	}
	REASON="$hits hits for $N reads, all via proc_sys_call_handler, value $want"
}

# Live mode, on the guest's console: armed where record armed, 3 hits.
check_live() {
	local live addr armed n

	console | sed -n '/^guest-live-begin$/,/^guest-live-end$/p' >"$WORK/live.txt"
	live=$WORK/live.txt
	addr=$(watch_addr "$OUT/sysctl.data")
	armed=$(sed -n 's/^Watchpoint attached on \([0-9a-fx]*\)$/\1/p' "$live")
	[[ -n $armed ]] || {
		bad "no 'Watchpoint attached on' line: $(head -n 3 "$live" | tr '\n' '|')"
		return
	}
	(($((16#${armed#0x})) == addr)) || {
		bad "live armed at $armed, record at $addr"
		return
	}
	n=$(grep -cE '^#[0-9]+ [0-9.]+ cpu [0-9]+ pid [0-9]+/[0-9]+ comm ' "$live")
	((n == 3)) || {
		bad "$n hit lines, want 3"
		return
	}
	grep -Eq '^kmemsnoop: 3 hits, 0 lost(,|$)' "$live" || {
		bad "no 'kmemsnoop: 3 hits, 0 lost' line"
		return
	}
	n=$(grep -c ': proc_sys_call_handler @ ' "$live")
	((n == 3)) || {
		bad "$n of 3 stacks through proc_sys_call_handler"
		return
	}
	REASON="armed on $armed, 3 hits"
}

# report --vmlinux places the vmlinux's symbols by the slide: every
# frame gets the name the guest's own kallsyms gives it.
check_vmlinux_slide() {
	local t

	for t in sched sysctl; do
		if ! report -i "$OUT/$t.data" >"$WORK/$t.kallsyms.txt" 2>"$WORK/$t.err" ||
			! report -i "$OUT/$t.data" --vmlinux "$VMLINUX" \
				>"$WORK/$t.vmlinux.txt" 2>"$WORK/$t.err"; then
			bad "report -i $t.data [--vmlinux] failed: $(head -n 1 "$WORK/$t.err")"
			return
		fi
		frames "$WORK/$t.kallsyms.txt" >"$WORK/$t.f1"
		frames "$WORK/$t.vmlinux.txt" >"$WORK/$t.f2"
		[[ -s $WORK/$t.f1 ]] || {
			bad "$t: no frames in the report"
			return
		}
		cmp -s "$WORK/$t.f1" "$WORK/$t.f2" || {
			bad "$t: frames differ, kallsyms vs --vmlinux: $(diff "$WORK/$t.f1" "$WORK/$t.f2" | grep '^[<>]' | head -n 2 | tr '\n' ' ')"
			return
		}
	done
	REASON="$(cat "$WORK/sched.f1" "$WORK/sysctl.f1" | wc -l) frames named alike"
}
