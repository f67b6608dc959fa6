# shellcheck shell=bash disable=SC2317,SC2034,SC2015 # sourced; REASON is read by check
# SPDX-License-Identifier: GPL-2.0
#
# The arm64 guest tier's checks, sourced by tests/guest/test_guest_arm64.sh
# after lib.sh. They use lib.sh's helpers and, from the setup steps, KDIR
# (vmlinux, vmlinux.sym), VMLINUX, RELEASE, OTHER_KDIR (a kernel of
# another build-id), OUT and params (N, W, SYSCTL_SYM, EXEC_SYM).

# --- what the hit counts may be (tighten here) -------------------------------

# Calls of EXEC_SYM (the sysctl's handler) a busybox cat of the sysctl
# makes: sendfile's splice reads the file, then twice more for its end.
EXEC_PER_READ=3
# A hit the kernel reported twice: arm64 takes a watchpoint before the
# access and steps over the instruction, and the guest has shown the
# same thread hit once more at the same instruction, with the same value
# before, 0.25-2 ms later, where its workload made one access: a
# "refire" (json below). Quiet, 0 to 3 a record; with the host loaded,
# up to 5 in 31. A record may have EXTRA_HITS_MAX, or one in
# EXTRA_HITS_PART of its hits if more.
EXTRA_HITS_MAX=4
EXTRA_HITS_PART=4

# json TRACE: its hits as JSON lines in J (WORK/NAME.json, made once),
# each with "refire": true when the same thread's previous hit of the
# same watch was at the same instruction and address with the same value
# before (data watches only: an execute breakpoint's calls from one
# place look alike).
json() {
	local name

	name=${1#"$WORK"/}
	J=$WORK/${name//\//_}.json
	[[ -s $J ]] && return
	report -i "$1" --hits --format json >"$J.raw" 2>"$J.err" && jq -c -s '
		reduce .[] as $h ({last: {}, out: []};
			"\($h.tid)/\($h.watch)" as $k | .last[$k] as $p
			| .out += [$h + {refire: ($h.old_value != null and $p != null
				and $p.ip == $h.ip and $p.addr == $h.addr
				and $p.old_value == $h.old_value)}]
			| .last[$k] = $h)
		| .out[]' "$J.raw" >"$J" && [[ -s $J ]] || {
		bad "report -i $name --hits --format json failed: $(head -n 1 "$J.err")"
		return
	}
}

# per_pid FILTER WANT [exact]: J's hits that pass the jq FILTER, counted
# per process, each of which must have WANT of them (with exact: WANT
# that are no refire, the rest refires): PROCS (how many processes) and
# EXTRA (the hits over WANT), or bad, naming a process that differs.
per_pid() {
	local counts short sel=$1

	[[ ${3:-} == exact ]] && sel="($1) and (.refire | not)"
	counts=$(jq -r "select($sel) | .pid" "$J" | sort | uniq -c)
	short=$(awk -v w="$2" -v exact="${3:-}" '$1 < w || (exact && $1 != w) { print $2 " had " $1; exit }' <<<"$counts")
	[[ -z $short ]] || {
		bad "process $short, want $2 each"
		return
	}
	read -r PROCS EXTRA < <(awk -v w="$2" 'NF { n++; x += $1 - w } END { print n + 0, x + 0 }' <<<"$counts")
	[[ ${3:-} == exact ]] &&
		EXTRA=$(jq -c "select(($1) and .refire)" "$J" | wc -l)
	return 0
}

# writes FILE: the sysctl's write hits of J, a refire merged with the
# hit it repeats, as "BEFORE>AFTER" words.
writes() {
	jq -r -s '[.[] | select([.stack[].sym] | index("proc_sys_write"))]
		| reduce .[] as $h ([];
			if $h.refire and length > 0 then .[-1].value = $h.value
			else . + [$h] end)
		| map("\(.old_value)>\(.value)") | join(" ")' "$J"
}

# extra_ok NAME EXTRA: no more hits beyond the workload's than
# EXTRA_HITS_MAX, or one in EXTRA_HITS_PART of J's hits.
extra_ok() {
	local hits max

	hits=$(wc -l <"$J")
	max=$((hits / EXTRA_HITS_PART > EXTRA_HITS_MAX ? hits / EXTRA_HITS_PART : EXTRA_HITS_MAX))
	(($2 <= max)) || bad "$1: $2 hits beyond the workload's of $hits, at most $max allowed"
}

# --- checks -------------------------------------------------------------------

# The guest is an aarch64 one, and each trace says so.
check_machine() {
	local m t

	m=$(cat "$OUT/uname_m")
	[[ $m == aarch64 ]] || {
		bad "uname -m in the guest: '$m'"
		return
	}
	for t in task sysctl exec; do
		m=$(header_field "$OUT/$t.kmt" machine)
		[[ $m == aarch64 ]] || {
			bad "$t.kmt machine: '$m'"
			return
		}
	done
	REASON="aarch64, $(cat "$OUT/release")"
}

# The running kernel's build-id (/sys/kernel/notes) is the -dbg vmlinux's,
# the symbols-only copy's (which the guest's -k took) and each trace's.
check_build_id() {
	local want id t

	want=$(elf_build_id "$VMLINUX")
	id=$(notes_build_id "$OUT/notes")
	[[ -n $want && $id == "$want" ]] || {
		bad "guest /sys/kernel/notes has '$id', vmlinux '$want'"
		return
	}
	id=$(elf_build_id "$KDIR/vmlinux.sym")
	[[ $id == "$want" ]] || {
		bad "vmlinux.sym has '$id', vmlinux $want"
		return
	}
	for t in task sysctl exec; do
		id=$(header_field "$OUT/$t.kmt" build-id)
		[[ $id == "$want" ]] || {
			bad "$t.kmt build-id '$id', vmlinux $want"
			return
		}
	done
	[[ $(cat "$OUT/release") == "$RELEASE" ]] || {
		bad "guest ran $(cat "$OUT/release"), fetched $RELEASE"
		return
	}
	REASON=$want
}

# KASLR moved the kernel (QEMU's kaslr-seed), and the watches sit at the
# vmlinux's address plus the slide: the data symbol as -k found it in
# vmlinux.sym, the function as kallsyms has it.
check_kaslr() {
	kaslr_placed "sysctl.kmt $SYSCTL_SYM
exec.kmt $EXEC_SYM"
}

# kmemsnoop check in the guest: every line ok.
check_kmemsnoop_check() {
	local not_ok

	[[ -s $OUT/check.txt ]] || {
		bad "no check.txt"
		return
	}
	not_ok=$(awk 'NF >= 2 && $2 != "ok" { print $1 " " $2 }' "$OUT/check.txt" | head -n 3 | paste -sd ';' -)
	[[ -z $not_ok ]] || {
		bad "not ok: $not_ok"
		return
	}
	REASON="$(wc -l <"$OUT/check.txt") lines ok; $(awk '$1 == "kernel-watch-fires" || $1 == "exec-breakpoint" { $2 = ""; printf "%s%s", sep, $0; sep = "; " }' "$OUT/check.txt" | tr -s ' ')"
}

# offsetof in the guest, from the kernel's BTF and from vmlinux.sym's
# .BTF, is what the -dbg vmlinux's BTF says on this machine.
check_offsetof() {
	local want g s

	want=$(bpftool -j btf dump file "$VMLINUX" 2>/dev/null | jq '
		def st(n): .types[] | select(.kind == "STRUCT" and .name == n);
		. as $r | ($r | st("task_struct").members[] | select(.name == "se")) as $se
		| ($r | st("sched_entity")) as $t
		| select($t.id == $se.type_id)
		| ($t.members[] | select(.name == "nr_migrations")) as $m
		| ($se.bits_offset + $m.bits_offset) / 8')
	[[ $want =~ ^[0-9]+$ ]] || {
		bad "no offset of se.nr_migrations from bpftool btf dump of $VMLINUX: '$want'"
		return
	}
	g=$(sed -n 's/^offsetof(struct task_struct, se.nr_migrations) = \([0-9]*\) .*/\1/p' "$OUT/offsetof.txt")
	s=$(sed -n 's/^offsetof(struct task_struct, se.nr_migrations) = \([0-9]*\) .*/\1/p' "$OUT/offsetof_sym.txt")
	[[ $g == "$want" && $s == "$want" ]] || {
		bad "guest says '$g' (kernel BTF), '$s' (vmlinux.sym); the vmlinux's BTF $want"
		return
	}
	REASON="se.nr_migrations at $want, alike from kernel BTF, vmlinux.sym and bpftool"
}

# --pid-task 1 rw8 '&se.nr_migrations': a hit for each read of
# /proc/1/sched (proc_sched_show_task), the others PID 1 migrating; every
# value between what /proc/1/sched showed before and after.
check_task_hits() {
	local f procs extra lo hi out_of

	json "$OUT/task.kmt" || return
	f=$J
	per_pid '.comm == "cat" and ([.stack[].sym] | index("proc_sched_show_task"))' 1 exact || return
	procs=$PROCS extra=$EXTRA
	((procs == N)) || {
		bad "$procs readers hit it, want $N"
		return
	}
	extra_ok task "$extra" || return
	lo=$(awk '$1 == "se.nr_migrations" { print $3 }' "$OUT/task_sched")
	hi=$(awk '$1 == "se.nr_migrations" { print $3 }' "$OUT/task_sched_after")
	out_of=$(jq -r '.value' "$f" | while read -r v; do
		((v >= lo && v <= hi)) || echo "$v"
	done | head -n 1)
	[[ -z $out_of ]] || {
		bad "value $out_of outside [$lo, $hi]"
		return
	}
	REASON="$(wc -l <"$f") hits: $N reads, $extra refired, $(($(wc -l <"$f") - N - extra)) other; values in [$lo, $hi]"
}

# sysctl_watch TRACE READS WRITES: the workload under a watch of the
# sysctl's variable: READS hits a reader (proc_sys_read), WRITES hits
# in proc_sys_write, no other hit, refires aside (at most
# EXTRA_HITS_MAX); each read saw the sysctl's value (its bytes the watch
# covers: VALUE_SHIFT bits up, VALUE_MASK). Sets EXTRA.
sysctl_watch() {
	local f=$1 reads=$2 writes=$3 v wr other bad_v refires

	json "$f" || return
	if ((reads)); then
		per_pid '[.stack[].sym] | index("proc_sys_read")' "$reads" exact || return
		((PROCS == N)) || {
			bad "$PROCS readers hit it, want $N"
			return
		}
	fi
	wr=$(jq -c 'select(([.stack[].sym] | index("proc_sys_write")) and (.refire | not))' "$J" | wc -l)
	((wr == writes)) || {
		bad "$wr write hits, want $writes"
		return
	}
	other=$(jq -c 'select([.stack[].sym] | (index("proc_sys_read") or index("proc_sys_write")) | not)' "$J" | wc -l)
	((other == 0)) || {
		bad "$other hits neither in proc_sys_read nor proc_sys_write"
		return
	}
	refires=$(jq -c 'select(.refire)' "$J" | wc -l)
	((reads)) || [[ -z $(jq -c 'select([.stack[].sym] | index("proc_sys_read"))' "$J") ]] || {
		bad "a write watch hit a read"
		return
	}
	EXTRA=$refires
	extra_ok "$(basename "$f")" "$EXTRA" || return
	v=$(printf '%#x' $((($(cat "$OUT/sysctl_value") >> ${VALUE_SHIFT:-0}) & ${VALUE_MASK:-0xffffffff})))
	bad_v=$(jq -r --arg v "$v" 'select(([.stack[].sym] | index("proc_sys_read")) and (.value != $v or .old_value != $v)) | "\(.old_value)>\(.value)"' "$J" | head -n 1)
	[[ -z $bad_v ]] || {
		bad "a read captured $bad_v, the guest read $v"
		return
	}
	VALUE=$v
}

# rw4 on the sysctl's variable (placed by -k /vmlinux.sym): one hit each
# read, with the value read, and one each write.
check_sysctl_hits() {
	sysctl_watch "$OUT/sysctl.kmt" 1 $((W + 1)) || return
	REASON="$(wc -l <"$J") hits: $N reads with value $VALUE, $((W + 1)) writes, $EXTRA refired"
}

# want_writes [SHIFT MASK]: the writes' "BEFORE>AFTER": sysctl_value +
# STEP .. + W * STEP, then sysctl_value back; of the bytes a watch
# covers, SHIFT bits up, MASK.
want_writes() {
	local v i prev next sep='' shift=${1:-0} mask=${2:-0xffffffff}

	v=$(cat "$OUT/sysctl_value")
	prev=$v
	for ((i = 1; i <= W + 1; i++)); do
		next=$((i <= W ? v + i * STEP : v))
		printf '%s%#x>%#x' "$sep" $(((prev >> shift) & mask)) $(((next >> shift) & mask))
		sep=' '
		prev=$next
	done
}

# The writes' values: each before and after its store, the after the
# value written, as on x86. arm64 reads the value before the access;
# kmemsnoop takes the one after from the next hit or a later read.
check_sysctl_values() {
	local got want

	json "$OUT/sysctl.kmt" || return
	want=$(want_writes)
	got=$(writes)
	[[ $got == "$want" ]] || {
		bad "the writes captured $got; the values written: $want"
		return
	}
	REASON=$got
}

# r4: arm64 watches reads alone; the writes go unseen.
check_read_only() {
	sysctl_watch "$OUT/read.kmt" 1 0 || return
	REASON="$(wc -l <"$J") hits: $N reads with value $VALUE, no write, $EXTRA refired"
}

# w4 --regs: the writes alone, with their values, and the registers by
# arm64's names, pc the hit's ip.
check_write_only() {
	local got want names pc

	sysctl_watch "$OUT/write.kmt" 0 $((W + 1)) || return
	want=$(want_writes)
	got=$(writes)
	[[ $got == "$want" ]] || {
		bad "the writes captured $got; the values written: $want"
		return
	}
	names=$(jq -r -s '[.[0].regs | keys_unsorted[]] | join(" ")' "$J")
	[[ $names == "x0 x1 x2 x3 x4 x5 x6 x7 x8 x9 x10 x11 x12 x13 x14 x15 x16 x17 x18 x19 x20 x21 x22 x23 x24 x25 x26 x27 x28 x29 x30 sp pc pstate" ]] || {
		bad "registers: '$names'"
		return
	}
	pc=$(jq -r 'select(.regs.pc != .ip) | .ip' "$J" | head -n 1)
	[[ -z $pc ]] || {
		bad "a hit at $pc has another pc"
		return
	}
	report -i "$OUT/write.kmt" --hits >"$WORK/write.txt" 2>/dev/null &&
		grep -Eq '^ +x0 +0x[0-9a-f]{16} .* x3 ' "$WORK/write.txt" &&
		grep -Eq ' pstate +0x[0-9a-f]{16}' "$WORK/write.txt" || {
		bad "report --hits shows no x0 .. pstate"
		return
	}
	REASON="$got; registers x0..x30 sp pc pstate"
}

# rw2 at the variable + 1: two bytes inside its doubleword, not aligned
# to their length, which arm64 watches (x86 refuses); the int's 4-byte
# loads and stores touch them. Its values are those two bytes.
check_unaligned() {
	local addr want

	addr=$(watch_addr "$OUT/bytes.kmt")
	want=$(printf '0x%x' $(($(watch_addr "$OUT/sysctl.kmt") + 1)))
	[[ $addr == "$want" ]] || {
		bad "watch at $addr, want $want"
		return
	}
	VALUE_SHIFT=8 VALUE_MASK=0xffff sysctl_watch "$OUT/bytes.kmt" 1 $((W + 1)) || return
	want=$(want_writes 8 0xffff)
	[[ $(writes) == "$want" ]] || {
		bad "the writes captured $(writes); their bytes 1-2: $want"
		return
	}
	REASON="$(wc -l <"$J") hits at $addr: $N reads with value $VALUE, writes $want, $EXTRA refired"
}

# rw4 at the variable + 6 would cross into the next doubleword: refused
# on the command line, exit 2, one line, no trace left.
check_cross() {
	local rc

	rc=$(cat "$OUT/cross.rc")
	[[ $rc == 2 && $(wc -l <"$OUT/cross.err") == 1 ]] &&
		grep -q 'doubleword' "$OUT/cross.err" || {
		bad "exit $rc: $(head -c 300 "$OUT/cross.err")"
		return
	}
	[[ ! -e $OUT/cross.kmt ]] || {
		bad "a refused record left cross.kmt"
		return
	}
	REASON=$(cat "$OUT/cross.err")
}

# x4 on the sysctl's handler: every hit at its first instruction,
# EXEC_PER_READ a read and one a write.
check_exec_hits() {
	local f addr procs extra wr off

	json "$OUT/exec.kmt" || return
	f=$J
	addr=$(watch_addr "$OUT/exec.kmt")
	off=$(jq -c --arg a "$addr" --arg s "$EXEC_SYM" \
		'select(.ip != $a or .stack[0].sym != $s or .stack[0].off != 0)' "$f" | wc -l)
	((off == 0)) || {
		bad "$off hits not at $EXEC_SYM+0 ($addr)"
		return
	}
	per_pid '[.stack[].sym] | index("proc_sys_read")' "$EXEC_PER_READ" || return
	procs=$PROCS extra=$EXTRA
	((procs == N)) || {
		bad "$procs readers hit it, want $N"
		return
	}
	# An execute breakpoint's refires look like the calls themselves
	# (same thread, same instruction): the writes may have some too.
	wr=$(jq -c 'select([.stack[].sym] | index("proc_sys_write"))' "$f" | wc -l)
	((wr >= W + 1)) || {
		bad "$wr write hits, want $((W + 1))"
		return
	}
	extra=$((extra + wr - W - 1))
	extra_ok "reads and writes" "$extra" || return
	REASON="$(wc -l <"$f") hits at $EXEC_SYM ($addr): $((N * EXEC_PER_READ)) for $N reads, $((W + 1)) for as many writes, $extra refired"
}

# report from the trace's kallsyms snapshot: each trace reports, and
# every frame of the sysctl hits is named.
check_report_kallsyms() {
	local t n unnamed

	for t in task sysctl exec; do
		report -i "$OUT/$t.kmt" >"$WORK/$t.kallsyms.txt" 2>"$WORK/$t.err" || {
			bad "report -i $t.kmt failed: $(head -n 1 "$WORK/$t.err")"
			return
		}
	done
	frames "$WORK/sysctl.kallsyms.txt" >"$WORK/sysctl.f1"
	n=$(wc -l <"$WORK/sysctl.f1")
	((n > 0)) || {
		bad "no frames in the sysctl report"
		return
	}
	unnamed=$(grep -c '^ *0x[0-9a-f]*: *$' "$WORK/sysctl.kallsyms.txt")
	((unnamed == 0)) || {
		bad "$unnamed frames without a name"
		return
	}
	grep -q ": do_proc_dointvec_minmax_conv @ " "$WORK/sysctl.kallsyms.txt" || {
		bad "no do_proc_dointvec_minmax_conv frame in the sysctl report"
		return
	}
	REASON="$n frames named"
}

# report -k the -dbg vmlinux: the same names as from kallsyms (placed by
# the slide), and file:line from its DWARF.
check_report_vmlinux() {
	local re

	report -i "$OUT/sysctl.kmt" -k "$VMLINUX" >"$WORK/sysctl.vmlinux.txt" 2>"$WORK/sysctl.err" || {
		bad "report -k failed: $(head -n 1 "$WORK/sysctl.err")"
		return
	}
	frames "$WORK/sysctl.vmlinux.txt" >"$WORK/sysctl.f2"
	cmp -s "$WORK/sysctl.f1" "$WORK/sysctl.f2" || {
		bad "frames differ, kallsyms vs -k: $(diff "$WORK/sysctl.f1" "$WORK/sysctl.f2" | grep '^[<>]' | head -n 2 | tr '\n' ' ')"
		return
	}
	re="^ *0x[0-9a-f]+: proc_sys_call_handler @ 0x[0-9a-f]+\\+0x[0-9a-f]+ $(src fs/proc/proc_sysctl.c)\$"
	grep -Eq "$re" "$WORK/sysctl.vmlinux.txt" || {
		bad "no 'proc_sys_call_handler @ ... (fs/proc/proc_sysctl.c:N)' frame; it shows '$(grep -m1 " proc_sys_call_handler @" "$WORK/sysctl.vmlinux.txt" | sed 's/^ *//')'"
		return
	}
	REASON=$(grep -Eom1 "proc_sys_call_handler @ .*" "$WORK/sysctl.vmlinux.txt")
}

# report -k a vmlinux of another build-id (the other series') refuses.
check_report_buildid_mismatch() {
	mismatch_refused "$OUT/sysctl.kmt" "$OTHER_KDIR/vmlinux" \
		"$(elf_build_id "$VMLINUX")" "$(elf_build_id "$OTHER_KDIR/vmlinux")"
}

# The unit test of register sets and DWARF against an arm64 -dbg vmlinux
# (tests/unit/test_regset.c), given this tier's: names, file:line and
# inlined frames of six functions, from x86.
check_regset_unit() {
	local bin=build/tests/test_regset

	make --no-print-directory "$bin" >"$WORK/regset.log" 2>&1 &&
		KM_ARM64_VMLINUX=$VMLINUX "$bin" >>"$WORK/regset.log" 2>&1 || {
		bad "$(grep -m 1 -E 'FAILED|ERROR|error' "$WORK/regset.log")"
		return
	}
	grep -q 'OK \] test_arm64_vmlinux' "$WORK/regset.log" || {
		bad "test_arm64_vmlinux did not run"
		return
	}
	REASON="test_regset with $VMLINUX: $(grep -c '\[       OK \]' "$WORK/regset.log") tests ok"
}

# Debian's 6.1: the kernel steps over a hit with a BPF program attached
# (check's breakpoint-bpf, from a child's store), and the object watch
# gets a hit a read, refires apart.
check_old_kernel() {
	local line

	guest_steps || return
	line=$(grep '^breakpoint-bpf ' "$OUT/check.txt")
	[[ $line =~ ^breakpoint-bpf\ +ok\ +.*gave\ [1-4]\ hits?\  ]] || {
		bad "check: '$line'"
		return
	}
	[[ $(cat "$OUT/task.rc") == 0 ]] || {
		bad "record exited $(cat "$OUT/task.rc")"
		return
	}
	json "$OUT/task.kmt" || return
	per_pid '.comm == "cat" and ([.stack[].sym] | index("proc_sched_show_task"))' 1 exact || return
	((PROCS == 10)) || {
		bad "$PROCS readers hit it, want 10"
		return
	}
	extra_ok task "$EXTRA" || return
	REASON="$(cat "$OUT/release"): $(sed "s/^breakpoint-bpf *ok *//" <<<"$line"); 10 reads, $EXTRA refired"
}

# A read, a write, a read, a second apart, under rw4: three hits, none
# of them kmemsnoop's own read of the variable (which gave the write its
# value after, nothing hitting the variable for a second), the write's
# values what it wrote.
check_idle() {
	local v n own got want

	json "$OUT/idle.kmt" || return
	own=$(jq -c 'select(.comm == "kmemsnoop")' "$J" | wc -l)
	((own == 0)) || {
		bad "$own hits by kmemsnoop itself"
		return
	}
	n=$(jq -c 'select(.refire | not)' "$J" | wc -l)
	((n == 4)) || {
		bad "$n hits, want 4 (read, write, read, write back)"
		return
	}
	v=$(cat "$OUT/sysctl_value")
	want=$(printf '%#x>%#x %#x>%#x' "$v" $((v + STEP)) $((v + STEP)) "$v")
	got=$(writes)
	[[ $got == "$want" ]] || {
		bad "the writes captured $got, want $want"
		return
	}
	REASON="4 hits, writes $got, none by kmemsnoop"
}

# x4 virtio_queue_rq and virtio_queue_rqs, in virtio_blk: the trace's
# MODULE_INFO has the module with the build-id the guest's sysfs and its
# -dbg file have; a hit a read at one function's first instruction
# (refires bounded); and report, finding the debug file by build-id,
# names them with file:line.
check_module() {
	local bid dbg sysfs root=$WORK/mod-bid link a b n rc=0

	bid=$(header_field "$OUT/module.kmt" module | awk '$1 == "virtio_blk" { print $4 }')
	dbg=$(elf_build_id "$(find "$KDIR/modules-dbg" -name virtio_blk.ko | head -n 1)")
	sysfs=$(notes_build_id "$OUT/virtio_blk.notes")
	[[ -n $bid && $bid == "$dbg" && $bid == "$sysfs" ]] || {
		bad "virtio_blk build-id: trace '$bid', debug file '$dbg', guest sysfs '$sysfs'"
		return
	}
	json "$OUT/module.kmt" || return
	a=$(watch_addr "$OUT/module.kmt")
	b=$(header_field "$OUT/module.kmt" watch-1 | sed -n 's/.* = \(0x[0-9a-f]*\)$/\1/p')
	n=$(jq -c --arg a "$a" --arg b "$b" 'select(.ip != $a and .ip != $b)' "$J" | wc -l)
	((n == 0)) || {
		bad "$n hits neither at virtio_queue_rq ($a) nor at virtio_queue_rqs ($b)"
		return
	}
	n=$(wc -l <"$J")
	((n >= N)) || {
		bad "$n hits for $N reads"
		return
	}
	extra_ok module $((n - N)) || return
	link=$(debug_link "$root" "$(find "$KDIR/modules-dbg" -name virtio_blk.ko | head -n 1)") || {
		bad "cannot link virtio_blk's debug file under $root"
		return
	}
	env -u DEBUGINFOD_URLS KMEMSNOOP_DEBUG_ROOT="$root" \
		timeout "$REPORT_TIMEOUT" "$KM" report -i "$OUT/module.kmt" -k "$VMLINUX" \
		>"$WORK/module.txt" 2>"$WORK/module.err" || rc=$?
	((rc == 0)) || {
		bad "report exit $rc: $(head -n 1 "$WORK/module.err")"
		return
	}
	grep -Fxq "kmemsnoop: symbols for module virtio_blk from $link" "$WORK/module.err" || {
		bad "report did not take virtio_blk from $link: $(head -n 2 "$WORK/module.err" | tr '\n' ' ')"
		return
	}
	grep -Eq "^ *($a: virtio_queue_rq|$b: virtio_queue_rqs) \[virtio_blk\] @ ($a|$b)\+0x0 $(src drivers/block/virtio_blk.c)\$" "$WORK/module.txt" || {
		bad "no 'virtio_queue_rq(s) [virtio_blk] @ ADDR+0x0 (drivers/block/virtio_blk.c:N)': $(grep -m1 virtio_queue_rq "$WORK/module.txt")"
		return
	}
	REASON="$n hits for $N reads, build-id $bid; $(grep -Eom1 'virtio_queue_rqs? \[virtio_blk\] @ .*' "$WORK/module.txt")"
}
