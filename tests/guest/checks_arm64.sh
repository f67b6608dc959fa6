# shellcheck shell=bash disable=SC2317,SC2034 # sourced; REASON is read by check
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
# Hits a record may have beyond those its workload explains: the guest
# has shown up to 3 a record, each a thread's hit once more at the same
# instruction with the same value, 0.25-2 ms later, where its workload
# made one access.
EXTRA_HITS_MAX=4

# json TRACE: its hits as JSON lines in J (WORK/NAME.json, made once).
json() {
	local name

	name=$(basename "$1" .kmt)
	J=$WORK/$name.json
	[[ -s $J ]] || report -i "$1" --format json >"$J" 2>"$J.err" || {
		bad "report -i $name.kmt --format json failed: $(head -n 1 "$J.err")"
		return
	}
}

# per_pid FILTER WANT: J's hits that pass the jq FILTER, counted per
# process, each of which must have WANT of them: PROCS (how many
# processes) and EXTRA (the hits over WANT), or bad, naming a process
# short of them.
per_pid() {
	local counts short

	counts=$(jq -r "select($1) | .pid" "$J" | sort | uniq -c)
	short=$(awk -v w="$2" '$1 < w { print $2 " had " $1; exit }' <<<"$counts")
	[[ -z $short ]] || {
		bad "process $short, want $2 each"
		return
	}
	read -r PROCS EXTRA < <(awk -v w="$2" 'NF { n++; x += $1 - w } END { print n + 0, x + 0 }' <<<"$counts")
}

# extra_ok NAME EXTRA: no more unexplained hits than EXTRA_HITS_MAX.
extra_ok() {
	(($2 <= EXTRA_HITS_MAX)) || bad "$1: $2 hits beyond the workload's, at most $EXTRA_HITS_MAX allowed"
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
	local guest_text vm_text slide t sym want got

	guest_text=0x$(awk '{ print $1 }' "$OUT/text")
	vm_text=$(nm_addr _text)
	[[ $guest_text != 0x && -n $vm_text ]] || {
		bad "no _text (guest '$guest_text', vmlinux '$vm_text')"
		return
	}
	slide=$((guest_text - vm_text))
	((slide != 0)) || {
		bad "guest _text $guest_text is the vmlinux's: no KASLR slide"
		return
	}
	((slide % 0x200000 == 0)) || {
		bad "slide $(printf '%#x' "$slide") is not a multiple of 2 MiB"
		return
	}
	while read -r t sym; do
		want=$(printf '0x%x' $(($(nm_addr "$sym") + slide)))
		got=$(watch_addr "$OUT/$t.kmt")
		[[ $got == "$want" ]] || {
			bad "$t.kmt watches $sym at '$got', vmlinux + slide is $want"
			return
		}
	done <<<"sysctl $SYSCTL_SYM
exec $EXEC_SYM"
	REASON="_text $guest_text, slide $(printf '%#x' "$slide")"
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
	per_pid '.comm == "cat" and ([.stack[].sym] | index("proc_sched_show_task"))' 1 || return
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
	REASON="$(wc -l <"$f") hits: $N reads, $extra extra, $(($(wc -l <"$f") - N - extra)) other; values in [$lo, $hi]"
}

# rw4 on the sysctl's variable (placed by -k /vmlinux.sym): one hit each
# read (proc_sys_read) with the value read, one each write (proc_sys_write)
# (EXTRA_HITS_MAX over both).
check_sysctl_hits() {
	local f v procs extra wr other bad_v

	json "$OUT/sysctl.kmt" || return
	f=$J
	per_pid '[.stack[].sym] | index("proc_sys_read")' 1 || return
	procs=$PROCS extra=$EXTRA
	((procs == N)) || {
		bad "$procs readers hit it, want $N"
		return
	}
	wr=$(jq -c 'select([.stack[].sym] | index("proc_sys_write"))' "$f" | wc -l)
	((wr >= W + 1)) || {
		bad "$wr write hits, want $((W + 1))"
		return
	}
	extra=$((extra + wr - W - 1))
	extra_ok "reads and writes" "$extra" || return
	other=$(jq -c 'select([.stack[].sym] | (index("proc_sys_read") or index("proc_sys_write")) | not)' "$f" | wc -l)
	((other == 0)) || {
		bad "$other hits neither in proc_sys_read nor proc_sys_write"
		return
	}
	v=$(printf '%#x' "$(cat "$OUT/sysctl_value")")
	bad_v=$(jq -r --arg v "$v" 'select(([.stack[].sym] | index("proc_sys_read")) and .value != $v) | .value' "$f" | head -n 1)
	[[ -z $bad_v ]] || {
		bad "a read captured $bad_v, the guest read $v"
		return
	}
	REASON="$(wc -l <"$f") hits: $N reads with value $v, $((W + 1)) writes, $extra extra"
}

# The writes' values: the value after each store, as on x86, is the
# value written: sysctl_value + 1 .. + W, then sysctl_value (a hit
# repeated with the same value counted once).
check_sysctl_values() {
	local f v want got

	json "$OUT/sysctl.kmt" || return
	f=$J
	v=$(cat "$OUT/sysctl_value")
	want=$(for ((i = 1; i <= W; i++)); do printf '%#x ' $((v + i)); done; printf '%#x' "$v")
	got=$(jq -r 'select([.stack[].sym] | index("proc_sys_write")) | .value' "$f" | uniq | paste -sd ' ' -)
	[[ $got == "$want" ]] || {
		bad "the writes captured $got; the values written: $want"
		return
	}
	REASON=$got
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
	extra_ok reads "$extra" || return
	wr=$(jq -c 'select([.stack[].sym] | index("proc_sys_write"))' "$f" | wc -l)
	((wr == W + 1)) || {
		bad "$wr write hits, want $((W + 1))"
		return
	}
	REASON="$(wc -l <"$f") hits at $EXEC_SYM ($addr): $((N * EXEC_PER_READ)) for $N reads, $extra extra, $wr writes"
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
	local rc=0 err want other

	want=$(elf_build_id "$VMLINUX")
	other=$(elf_build_id "$OTHER_KDIR/vmlinux")
	report -i "$OUT/sysctl.kmt" -k "$OTHER_KDIR/vmlinux" >/dev/null 2>"$WORK/mismatch.err" || rc=$?
	err=$(head -n 3 "$WORK/mismatch.err" | tr '\n' ' ')
	((rc == 1)) || {
		bad "exit $rc, want 1 (stderr: $err)"
		return
	}
	if ! grep -q "$want" "$WORK/mismatch.err" || ! grep -q "$other" "$WORK/mismatch.err"; then
		bad "stderr does not name both $want and $other: $err"
		return
	fi
	REASON=$err
}
