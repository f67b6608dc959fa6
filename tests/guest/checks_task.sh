# shellcheck shell=bash disable=SC2317,SC2034 # sourced; REASON is read by check
# SPDX-License-Identifier: GPL-2.0
#
# The guest tier's checks on a field of a live object (issue 4): the guest
# recorded --pid-task 1 rw8 '&se.nr_migrations' (task.data) and the host
# dumped the guest's memory (task.core, an ELF core with VMCOREINFO).
# drgn, reading that dump with the -dbg vmlinux's DWARF through
# tools/task.py, is the independent source: kmemsnoop found the task and
# the member's offset with BPF and BTF only. Sourced by test_guest.sh after
# lib.sh.

DRGN_TIMEOUT=300
TASK_EXPR='&se.nr_migrations'

# task_py_field NAME: a line `NAME: VALUE` of task.py's output.
task_py_field() {
	sed -n "s/^$1: //p" "$WORK/task.py.out" | head -n 1
}

# nr_migrations FILE: se.nr_migrations in a copy of /proc/1/sched.
nr_migrations() {
	awk '$1 == "se.nr_migrations" { print $3 }' "$OUT/$1"
}

# The object line of the trace header: pid-task 1 (struct task_struct at
# 0xADDR); prints ADDR.
task_object_addr() {
	header_field "$OUT/task.data" watch-0-object |
		sed -n 's/^pid-task 1 (struct task_struct at \(0x[0-9a-f]*\))$/\1/p'
}

# The hits: /proc/1/sched read $N times, proc_sched_show_task reading the
# field once each time, value unchanged; any other hit is PID 1 moving to
# another CPU (it sleeps in wait(), but wakes now and then), the counter
# going up by one. Every value lies between what /proc/1/sched showed
# before the record and after the dump.
check_task_hits() {
	local lo hi hits values counts reads moves odd

	step_ok task || return
	lo=$(nr_migrations task_sched) hi=$(nr_migrations task_sched_after)
	[[ -n $lo && -n $hi ]] || {
		bad "no se.nr_migrations line in the guest's /proc/1/sched"
		return
	}
	[[ -n $(task_object_addr) ]] || {
		bad "header names no task: '$(header_field "$OUT/task.data" watch-0-object)'"
		return
	}
	hits=$(header_field "$OUT/task.data" hits)
	report -i "$OUT/task.data" --hits >"$WORK/task.hits" 2>/dev/null || {
		bad "report --hits failed"
		return
	}
	values=$(sed -n 's/^#[0-9].* value .* (\([0-9]*\) -> \([0-9]*\))$/\1\n\2/p' "$WORK/task.hits" | sort -nu)
	[[ -n $values && $(head -n 1 <<<"$values") -ge $lo && $(tail -n 1 <<<"$values") -le $hi ]] || {
		bad "values seen: '$(echo "$values" | paste -sd, -)', /proc/1/sched said $lo before, $hi after"
		return
	}
	# "READS MOVES ODD": reads through proc_sched_show_task with the value
	# unchanged, other hits adding one, and hits that are neither.
	counts=$(awk 'function end_hit() {
			if (!hit) return
			if (show && old == new) r++; else if (!show && new == old + 1) m++; else o++
		}
		/^#[0-9]/ {
			end_hit(); hit = 1; show = 0
			v = $0; sub(/.*\(/, "", v); sub(/\)$/, "", v); split(v, a, " -> ")
			old = a[1] + 0; new = a[2] + 0; next
		}
		$2 == "proc_sched_show_task" { show = 1 }
		END { end_hit(); print r + 0, m + 0, o + 0 }' "$WORK/task.hits")
	read -r reads moves odd <<<"$counts"
	[[ $reads == "$N" && $odd == 0 && $((reads + moves)) == "$hits" ]] || {
		bad "of $hits hits, $reads reads of the value, $moves adding one, $odd else; want $N reads (one for each read of /proc/1/sched), the rest adding one"
		return
	}
	REASON="$hits hits: $reads reads through proc_sched_show_task, $moves moves; value $(echo "$values" | paste -sd, -) ($lo before, $hi after)"
}

# drgn reads the dump: task.py -p 1 finds the same task_struct, and the
# member's address it computes from DWARF is the address kmemsnoop watched.
check_task_drgn() {
	local got want task_want task_got

	step_ok task || return
	[[ -s $BOOT/task.core ]] || {
		bad "no memory dump: $(cat "$BOOT/task.core.err" 2>/dev/null)"
		return
	}
	command -v drgn >/dev/null || {
		bad "no drgn (apt-get install python3-drgn)"
		return
	}
	timeout "$DRGN_TIMEOUT" drgn -q -c "$BOOT/task.core" -s "$VMLINUX" \
		--no-default-symbols tools/task.py -p 1 >"$WORK/task.py.out" 2>"$WORK/task.py.err" || {
		bad "drgn tools/task.py failed: $(grep -v '^$' "$WORK/task.py.err" | tail -n 1)"
		return
	}
	want=$(watch_addr "$OUT/task.data")
	got=$(task_py_field "$TASK_EXPR")
	[[ -n $want && $got == "$want" ]] || {
		bad "drgn: $TASK_EXPR at '$got', kmemsnoop watched '$want'"
		return
	}
	task_want=$(task_object_addr)
	task_got=$(task_py_field task_struct)
	[[ $task_got == "$task_want" ]] || {
		bad "drgn: task_struct at '$task_got', kmemsnoop resolved '$task_want'"
		return
	}
	REASON="$TASK_EXPR at $got in task_struct $task_got, as drgn computes it"
}

# task.py's other fields, read from the dump, against what the guest saw.
check_task_py_fields() {
	local pid comm nr lo hi

	[[ -s $WORK/task.py.out ]] || {
		bad "no task.py output (task_drgn failed)"
		return
	}
	pid=$(task_py_field pid)
	comm=$(task_py_field comm)
	nr=$(task_py_field se.nr_migrations)
	lo=$(nr_migrations task_sched) hi=$(nr_migrations task_sched_after)
	[[ $pid == "1  tgid: 1" && $comm == init ]] || {
		bad "task.py: pid '$pid', comm '$comm'; want pid 1, comm init"
		return
	}
	if [[ -z $nr || -z $lo || -z $hi ]] || ((nr < lo || nr > hi)); then
		bad "task.py: se.nr_migrations '$nr', /proc/1/sched said $lo before the record, $hi after the dump"
		return
	fi
	REASON="pid 1, comm init, se.nr_migrations $nr ($lo before, $hi after)"
}
