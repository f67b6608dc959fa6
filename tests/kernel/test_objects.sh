# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
# Fields of kernel objects: --pid-task, --pci-dev, --plat-dev, --object
# and `kmemsnoop offsetof`, against this kernel. Helpers here start with
# obj_, as every test file shares one shell.

RENAME=$ROOT/build/rename

# obj_start_renamer NAME...: starts build/rename, paused on the FIFO go,
# with its output in rn.out; sets OBJ_PID to its pid.
obj_start_renamer() {
	[[ -x $RENAME ]] || fail "$RENAME is missing: run 'make build/rename'"
	rm -f go rn.out
	mkfifo go || fail "mkfifo failed"
	"$RENAME" go "$@" >rn.out 2>rn.err &
	OBJ_PID=$!
	track "$OBJ_PID"
	poll 10 test -s rn.out || fail "rename did not start: $(oneline rn.err)"
	expect_eq "$(head -n 1 rn.out)" "$OBJ_PID" "pid printed by rename"
}

# The command that lets the renamer go and waits until it is done; for
# record's -- COMMAND and perf's workload.
OBJ_GO='echo >go; until grep -qx done rn.out; do sleep 0.01; done'

# obj_le8 STRING: its first 8 bytes (NUL-padded) as a little-endian
# number, 0x%x, as kmemsnoop prints an 8-byte value.
obj_le8() {
	local hex

	hex=$(printf '%s\0\0\0\0\0\0\0\0' "$1" | head -c 8 | od -An -t x1 | tr -d ' \n')
	printf '0x%x\n' "$((16#${hex:14:2}${hex:12:2}${hex:10:2}${hex:8:2}${hex:6:2}${hex:4:2}${hex:2:2}${hex:0:2}))"
}

# obj_offsetof TYPE MEMBER: the offset kmemsnoop offsetof prints, decimal.
obj_offsetof() {
	local out

	out=$(km offsetof "$1" "$2" 2>&1) || fail "offsetof '$1' $2 failed: $out"
	[[ $out =~ \ =\ ([0-9]+)\ \( ]] || fail "offsetof '$1' $2 printed '$out'"
	printf '%s\n' "${BASH_REMATCH[1]}"
}

# obj_header_watch TRACE I: "ADDR OBJECT_ADDR" of watch I from the
# header: where the watch is and where its object is.
obj_header_watch() {
	local h addr obj

	h=$(km report -i "$1" --header 2>/dev/null)
	addr=$(sed -n "s/^watch-$2: .* = 0x\([0-9a-f]*\)\$/\1/p" <<<"$h")
	obj=$(sed -n "s/^watch-$2-object: .* at 0x\([0-9a-f]*\))\$/\1/p" <<<"$h")
	[[ -n $addr && -n $obj ]] || fail "no watch-$2 or watch-$2-object in the header: $(tr '\n' '|' <<<"$h")"
	printf '%s %s\n' "$addr" "$obj"
}

# obj_perf_go ADDR: perf's count of the renamer's writes to the 8 bytes
# at ADDR while OBJ_GO lets it rename itself.
obj_perf_go() {
	local n

	n=$(perf stat -x, -e "mem:0x$1/8:w" -p "$OBJ_PID" -- sh -c "$OBJ_GO" 2>&1 >/dev/null |
		awk -F, '/mem:/ { print $1; exit }')
	[[ $n =~ ^[0-9]+$ ]] || fail "perf stat -p $OBJ_PID gave no count for 0x$1"
	printf '%s\n' "$n"
}

# A child renames itself N times; kmemsnoop, live, watches the first 8
# bytes of its task_struct.comm while perf counts the same address for
# the same task: the hits are perf's count, the addresses agree, and every
# hit comes through __set_task_comm. Where two breakpoints on the same
# bytes do not both fire (QEMU's TCG), perf counts instead a second
# renamer doing the same renames, alone.
test_objects_task_comm_count() {
	local n=20 names=() i km_pid addr want hits bad pid overlap w

	for ((i = 1; i <= n; i++)); do names+=("$(printf 'name%04d' "$i")"); done
	overlap=$(bp_overlap) || exit 1
	obj_start_renamer "${names[@]}"
	pid=$OBJ_PID
	"$KM" --pid "$pid" --pid-task "$pid" w8 '&comm' >live.out 2>live.err &
	km_pid=$!
	track "$km_pid"
	poll 20 grep -q '^Watchpoint attached on ' live.out ||
		fail "live mode did not attach: $(oneline live.err)"
	wait_armed "$km_pid" 1 live.err
	addr=$(sed -n 's/^Watchpoint attached on 0x//p' live.out)
	if [[ $overlap == both ]]; then
		want=$(obj_perf_go "$addr") || exit 1
	else
		sh -c "$OBJ_GO" || fail "the renamer did not finish"
	fi
	kill -INT "$km_pid"
	wait_pid "$km_pid" 10 || fail "live mode exited $? after SIGINT: $(oneline live.err)"
	if [[ $overlap != both ]]; then
		obj_start_renamer "${names[@]}"
		km record -o second -d 0.1 --no-stack --pid-task "$OBJ_PID" w8 '&comm' >/dev/null 2>second.err ||
			fail "record --pid-task $OBJ_PID (the second renamer) exited $?: $(oneline second.err)"
		w=$(obj_header_watch second 0) || exit 1
		want=$(obj_perf_go "${w%% *}") || exit 1
	fi

	hits=$(grep -c "^#[0-9]* .* pid $pid/$pid comm " live.out)
	((want > 0 && want % n == 0)) ||
		fail "perf counted $want writes for $n renames: not a positive multiple of $n"
	((hits == want)) || fail "live mode printed $hits hits of the renamer, perf counts $want"
	grep -q "warning: watching the first 8 of the 16 bytes of comm (char\[16\])" live.err ||
		fail "no warning that 8 of comm's 16 bytes are watched: $(oneline live.err)"
	# Each hit's stack, up to the next hit line, has __set_task_comm.
	bad=$(awk '/^#/ { if (h && !s) print h; h = $1; s = 0 }
		/: __set_task_comm @ / { s = 1 }
		END { if (h && !s) print h }' live.out | head -n 1)
	[[ -z $bad ]] || fail "hit $bad has no __set_task_comm frame"
	bad=$(grep '^#' live.out | grep -Evm1 ' value 0x[0-9a-f]{16} -> 0x[0-9a-f]{16} \(')
	[[ -z $bad ]] || fail "hit line without 'value 0xOLD -> 0xNEW': $bad"
	pass "$hits hits = perf's count for $n renames ($((want / n)) per rename)"
}

# The same in a trace: the values, old and new, are the names written,
# in order; the header keeps the expression and the object; the address
# is the task's plus offsetof(struct task_struct, comm).
test_objects_task_comm_values() {
	local n=12 names=() i w addr obj off per total vals olds want_vals

	for ((i = 1; i <= n; i++)); do names+=("$(printf 'rn%02d-%s' "$i" abcdefgh)"); done
	obj_start_renamer "${names[@]}"
	km record -o t --pid-task "$OBJ_PID" w8 '&comm' -- sh -c "$OBJ_GO" \
		>/dev/null 2>rec.err || fail "record exited $?: $(oneline rec.err)"
	hits_json t
	expect_eq "$(header_field t lost)" 0 "lost hits"
	km report -i t --header >hdr 2>/dev/null
	grep -qx 'watch-0: w8 &comm = 0x[0-9a-f]*' hdr || fail "header watch-0: $(grep watch-0 hdr)"
	grep -qx "watch-0-object: pid-task $OBJ_PID (struct task_struct at 0x[0-9a-f]*)" hdr ||
		fail "header watch-0-object: $(grep watch-0 hdr | tr '\n' '|')"
	w=$(obj_header_watch t 0) || exit 1
	read -r addr obj <<<"$w"
	off=$(obj_offsetof 'struct task_struct' comm) || exit 1
	expect_eq "$addr" "$(printf '%x' $((16#$obj + off)))" "watch address (task + offsetof comm)"

	jq -r --argjson p "$OBJ_PID" 'select(.pid == $p) | "\(.old_value) \(.value) \([.stack[].sym] | index("__set_task_comm") != null)"' \
		t.json >vals || fail "jq could not read t.json"
	total=$(wc -l <vals)
	((total > 0 && total % n == 0)) || fail "$total hits for $n renames: not a positive multiple"
	per=$((total / n))
	grep -q ' false$' vals && fail "a hit without __set_task_comm in its stack"
	# Each hit's old value is the value before it; the first is the
	# name before the renames, and each rename's last hit leaves its name.
	olds=$(awk '{ print $1 }' vals)
	vals=$(awk '{ print $2 }' vals)
	expect_eq "$(head -n 1 <<<"$olds")" "$(obj_le8 rename)" "old value of the first hit (the comm 'rename')"
	expect_eq "$(tail -n +2 <<<"$olds")" "$(head -n -1 <<<"$vals")" "old values against the values before them"
	want_vals=$(for i in "${names[@]}"; do obj_le8 "$i"; done)
	expect_eq "$(awk -v p="$per" 'NR % p == 0' <<<"$vals")" "$want_vals" "value after each rename"
	km report -i t --hits 2>/dev/null | grep '^#' | grep -Evq ' value 0x[0-9a-f]{16} -> 0x[0-9a-f]{16} ' &&
		fail "report --hits has a hit line without 'value 0xOLD -> 0xNEW'"
	pass "$total hits, $per per rename, values = the $n names in order"
}

# The README's examples on pid 1, with and without pointer steps: each
# address is the object's plus the offsets from offsetof, or the pointer
# a note says was read plus the offset in the pointed-to type. One
# watch a run: others on the machine may hold breakpoint slots too.
test_objects_readme_examples() {
	local i w addr obj off mm ex=("rw4 &on_rq" "rw8 parent" "rw8 &se.nr_migrations" "rw8 &mm->task_size")

	for i in 0 1 2 3; do
		# shellcheck disable=SC2086 # BP and EXPR, as two words
		km record -o "t$i" -d 0.1 --pid-task 1 ${ex[i]} >/dev/null 2>"rec$i.err" ||
			fail "record --pid-task 1 ${ex[i]} exited $?: $(oneline "rec$i.err")"
		w=$(obj_header_watch "t$i" 0) || exit 1
		read -r addr obj <<<"$w"
		grep -qx "watch-0: ${ex[i]} = 0x$addr" <(km report -i "t$i" --header 2>/dev/null) ||
			fail "header of ${ex[i]} lacks 'watch-0: ${ex[i]} = 0x$addr'"
		case $i in
		0 | 2)
			off=$(obj_offsetof 'struct task_struct' "${ex[i]#*&}") || exit 1
			expect_eq "$addr" "$(printf '%x' $((16#$obj + off)))" "address of ${ex[i]}"
			;;
		1)
			grep -q "^kmemsnoop: note: task_struct->parent resolved once to 0x$addr; not followed if it changes\$" rec1.err ||
				fail "no note that parent was resolved to 0x$addr: $(oneline rec1.err)"
			;;
		3)
			mm=$(sed -n 's/^kmemsnoop: note: task_struct->mm resolved once to 0x\([0-9a-f]*\); not followed if it changes$/\1/p' rec3.err)
			[[ -n $mm ]] || fail "no note that mm was resolved once: $(oneline rec3.err)"
			off=$(obj_offsetof 'struct mm_struct' task_size) || exit 1
			expect_eq "$addr" "$(printf '%x' $((16#$mm + off)))" "address of mm->task_size (mm + offsetof)"
			;;
		esac
	done
	pass
}

# --object 'struct T' ADDR: the same task as --pid-task finds, given by
# address, resolves to the same field; rw with no length takes its size.
test_objects_object_option() {
	local w addr obj

	km record -o t0 -d 0.1 --pid-task 1 rw4 '&on_rq' >/dev/null 2>rec0.err ||
		fail "record --pid-task 1 exited $?: $(oneline rec0.err)"
	w=$(obj_header_watch t0 0) || exit 1
	read -r addr obj <<<"$w"
	km record -o t1 -d 0.1 --object 'struct task_struct' "0x$obj" rw '&on_rq' >/dev/null 2>rec1.err ||
		fail "record --object exited $?: $(oneline rec1.err)"
	km report -i t1 --header 2>/dev/null >hdr
	grep -qx "watch-0: rw4 &on_rq = 0x$addr" hdr ||
		fail "--object 'struct task_struct' 0x$obj: $(grep watch-0 hdr | tr '\n' '|'), want rw4 &on_rq = 0x$addr"
	grep -qx "watch-0-object: object 0x$obj (struct task_struct at 0x$obj)" hdr ||
		fail "header: $(grep watch-0-object hdr)"
	pass
}

# A PCI device's vendor, read through its sysfs vendor file: each read
# is one hit (as perf counts), the value is what the file shows, and
# "rw" with no length takes the field's 2 bytes.
test_objects_pci_vendor() {
	local dev file n=100 w addr obj off pid ours want vendor

	dev=0000:00:00.0
	[[ -e /sys/bus/pci/devices/$dev ]] ||
		dev=$(find /sys/bus/pci/devices -mindepth 1 -maxdepth 1 -printf '%f\n' 2>/dev/null | sort | head -n 1)
	[[ -n $dev ]] || skip "no PCI device here (/sys/bus/pci/devices is empty or missing)"
	file=/sys/bus/pci/devices/$dev/vendor
	km record -o t --pci-dev "$dev" rw '&vendor' -- "${WITH_PIDFILE[@]}" trig.pid \
		"$TRIGGER" "$file" 0 6 "$n" >/dev/null 2>rec.err || fail "record exited $?: $(oneline rec.err)"
	pid=$(read_pid trig.pid) || exit 1
	hits_json t
	grep -qx "watch-0: rw2 &vendor = 0x[0-9a-f]*" <(km report -i t --header 2>/dev/null) ||
		fail "no 'watch-0: rw2 &vendor' in the header (rw takes the field's size)"
	w=$(obj_header_watch t 0) || exit 1
	read -r addr obj <<<"$w"
	off=$(obj_offsetof 'struct pci_dev' vendor) || exit 1
	expect_eq "$addr" "$(printf '%x' $((16#$obj + off)))" "vendor's address"
	vendor=$(cat "$file")
	ours=$(json_count t.json 'select(.pid == $p and .value == $v)' --argjson p "$pid" --arg v "$vendor") || exit 1
	want=$(perf_count "$addr" 2 -- "$TRIGGER" "$file" 0 6 "$n") || exit 1
	((want >= n)) || fail "perf counts $want reads of vendor for $n preads"
	((ours == want)) || fail "$ours hits of the trigger with value $vendor, perf counts $want"
	pass "$dev: $ours hits = perf, value $vendor"
}

# A platform device whose modalias is "platform:NAME" (its show function
# prints pdev->name): watch the name pointer (no length: 8 bytes) and
# the string it points to (rw1 name: the pointer is followed once).
test_objects_plat_dev() {
	local d dev='' n=50 file pid w h0 h1 p0 p1 a0 a1 first

	for d in /sys/bus/platform/devices/*; do
		[[ $(cat "$d/modalias" 2>/dev/null) == "platform:${d##*/}" ]] && dev=${d##*/} && break
	done
	[[ -n $dev ]] || skip "no platform device with a plain platform: modalias"
	file=/sys/bus/platform/devices/$dev/modalias
	km record -o t --plat-dev "$dev" rw '&name' rw1 name -- "${WITH_PIDFILE[@]}" trig.pid \
		"$TRIGGER" "$file" 0 4 "$n" >/dev/null 2>rec.err || fail "record exited $?: $(oneline rec.err)"
	pid=$(read_pid trig.pid) || exit 1
	hits_json t
	w=$(obj_header_watch t 0) || exit 1
	a0=${w%% *}
	w=$(obj_header_watch t 1) || exit 1
	a1=${w%% *}
	grep -q "^kmemsnoop: note: platform_device->name resolved once to 0x$a1; not followed" rec.err ||
		fail "no note that name was resolved to 0x$a1: $(oneline rec.err)"
	first=$(printf '0x%x' "'${dev:0:1}")
	h0=$(json_count t.json 'select(.pid == $p and .watch == 0 and .value == $v)' \
		--argjson p "$pid" --arg v "0x$a1") || exit 1
	h1=$(json_count t.json 'select(.pid == $p and .watch == 1 and .value == $v)' \
		--argjson p "$pid" --arg v "$first") || exit 1
	p0=$(perf_count "$a0" 8 -- "$TRIGGER" "$file" 0 4 "$n") || exit 1
	p1=$(perf_count "$a1" 1 -- "$TRIGGER" "$file" 0 4 "$n") || exit 1
	((p0 >= n && p1 >= n)) || fail "perf counts $p0 and $p1 for $n reads of $file"
	((h0 == p0 && h1 == p1)) ||
		fail "hits &name $h0, *name $h1 (with the right values); perf counts $p0 and $p1"
	pass "$dev: &name $h0 hits, *name $h1 hits = perf"
}

# obj_btf_offsets DUMP "TYPE PATH"...: for each TYPE and PATH (member
# names joined by dots), the offset in bytes of PATH in struct TYPE,
# summed by hand from bpftool's raw BTF dump, looking into anonymous
# members as C does; "none" where there is no such struct or member.
obj_btf_offsets() {
	local dump=$1

	shift
	printf '%s\n' "$@" | awk '
	function strip(id) {
		while (kind[id] == "TYPEDEF" || kind[id] == "CONST" || kind[id] == "VOLATILE")
			id = ref[id]
		return id
	}
	# Bits from the start of struct id to member m, -1 if none; its
	# type goes to mtype_found.
	function find(id, m,   i, r) {
		for (i = 1; i <= nm[id]; i++) {
			if (mname[id, i] == m) {
				mtype_found = mtype[id, i]
				return moff[id, i]
			}
			if (mname[id, i] == "(anon)" && (r = find(strip(mtype[id, i]), m)) >= 0)
				return moff[id, i] + r
		}
		return -1
	}
	function offset(root, path,   id, k, parts, j, o, total) {
		id = byname[root]
		if (id == "")
			return "none"
		k = split(path, parts, ".")
		for (j = 1; j <= k; j++) {
			if ((o = find(id, parts[j])) < 0)
				return "none"
			total += o
			id = strip(mtype_found)
		}
		return total / 8
	}
	FILENAME == "-" { queries[++nq] = $0; next }
	/^\[[0-9]+\] / {
		cur = substr($1, 2, length($1) - 2)
		kind[cur] = $2
		name = $3
		gsub("\047", "", name)
		if (($2 == "STRUCT" || $2 == "UNION") && !(name in byname))
			byname[name] = cur
		if (match($0, / type_id=[0-9]+/))
			ref[cur] = substr($0, RSTART + 9, RLENGTH - 9)
		next
	}
	/^\t\047/ {
		n = ++nm[cur]
		mname[cur, n] = substr($1, 2, length($1) - 2)
		match($0, /type_id=[0-9]+/)
		mtype[cur, n] = substr($0, RSTART + 8, RLENGTH - 8)
		match($0, /bits_offset=[0-9]+/)
		moff[cur, n] = substr($0, RSTART + 12, RLENGTH - 12)
	}
	END {
		for (q = 1; q <= nq; q++) {
			split(queries[q], f, " ")
			print offset(f[1], f[2])
		}
	}' - "$dump"
}

# offsetof against an independent reading of the same BTF: bpftool's
# raw dump, offsets summed here; with --btf FILE the same; members
# inside anonymous unions found too.
test_objects_offsetof_vs_bpftool() {
	local dump=btf.txt type member offs=() got checked=0 i ms ws plain btf
	local -A members=() wants=()
	local cases=(
		"task_struct se.nr_migrations" "task_struct comm" "task_struct mm"
		"task_struct on_rq" "task_struct parent" "mm_struct task_size"
		"pci_dev vendor" "platform_device name" "platform_device dev.kobj"
		"kernfs_node attr.size" "sk_buff dev" "sk_buff len"
	)

	bpftool btf dump file /sys/kernel/btf/vmlinux >"$dump" 2>dump.err ||
		fail "bpftool btf dump failed: $(oneline dump.err)"
	mapfile -t offs < <(obj_btf_offsets "$dump" "${cases[@]}")
	((${#offs[@]} == ${#cases[@]})) || fail "reading bpftool's dump gave ${#offs[@]} answers for ${#cases[@]}"
	# One offsetof (and one --btf) per type, for all its members here.
	for i in "${!cases[@]}"; do
		read -r type member <<<"${cases[i]}"
		[[ ${offs[i]} != none ]] || continue
		members[$type]+=" $member"
		wants[$type]+=" ${offs[i]}"
	done
	for type in "${!members[@]}"; do
		read -ra ms <<<"${members[$type]}"
		read -ra ws <<<"${wants[$type]}"
		mapfile -t plain < <(km offsetof "struct $type" "${ms[@]}" 2>&1)
		mapfile -t btf < <(km offsetof --btf /sys/kernel/btf/vmlinux "struct $type" "${ms[@]}" 2>&1)
		for i in "${!ms[@]}"; do
			[[ ${plain[i]-} =~ ^offsetof\(struct\ $type,\ ${ms[i]}\)\ =\ ([0-9]+)\ \( ]] ||
				fail "offsetof 'struct $type' ${ms[i]} printed '${plain[i]-}'"
			expect_eq "${BASH_REMATCH[1]}" "${ws[i]}" "offsetof(struct $type, ${ms[i]})"
			[[ ${btf[i]-} == "offsetof(struct $type, ${ms[i]}) = ${ws[i]} "* ]] ||
				fail "offsetof --btf: ${btf[i]-}"
			checked=$((checked + 1))
		done
	done
	((checked >= 8)) || fail "only $checked of ${#cases[@]} members exist in this kernel's BTF"
	got=$(km offsetof 'struct task_struct' se.nr_migrations)
	expect_match "$got" '^offsetof\(struct task_struct, se\.nr_migrations\) = [0-9]+ \(0x[0-9a-f]+\), size 8, type u64$' \
		"offsetof output"
	pass "$checked members agree with bpftool's BTF dump"
}

# tools/struct_off.py (drgn, DWARF) and offsetof --vmlinux (BTF) on the
# guest tier's Debian vmlinux, which has both.
test_objects_drgn_struct_off() {
	local vmlinux ms dwarf btf i

	vmlinux=$(find /var/cache/kmemsnoop-guest -mindepth 2 -maxdepth 2 -name vmlinux 2>/dev/null | sort | tail -n 1)
	[[ -n $vmlinux ]] || skip "no guest vmlinux cached (make guest-tests fetches one)"
	/usr/bin/python3 -c 'import drgn' 2>/dev/null || skip "no drgn (apt-get install python3-drgn)"
	# One run of each for the four (drgn reads the DWARF once).
	ms=(se.nr_migrations comm mm on_rq)
	mapfile -t dwarf < <(/usr/bin/python3 "$ROOT/tools/struct_off.py" -s "$vmlinux" 'struct task_struct' "${ms[@]}" 2>&1)
	mapfile -t btf < <(km offsetof --vmlinux "$vmlinux" 'struct task_struct' "${ms[@]}" 2>&1)
	((${#dwarf[@]} == 4)) || fail "struct_off.py: $(printf '%s|' "${dwarf[@]}")"
	((${#btf[@]} == 4)) || fail "offsetof --vmlinux: $(printf '%s|' "${btf[@]}")"
	for i in "${!ms[@]}"; do
		[[ ${dwarf[i]} == "offsetof(struct task_struct, ${ms[i]}) = "* ]] ||
			fail "struct_off.py ${ms[i]}: ${dwarf[i]}"
		[[ ${btf[i]} == "offsetof(struct task_struct, ${ms[i]}) = "* ]] ||
			fail "offsetof --vmlinux ${ms[i]}: ${btf[i]}"
		expect_eq "${btf[i]%%, type *}" "${dwarf[i]%%, type *}" "offset and size of ${ms[i]} (BTF vs DWARF)"
	done
	pass "$(basename "$(dirname "$vmlinux")"): 4 members agree"
}

# obj_error WANT_RC ERE -- KMEMSNOOP_ARGS...: kmemsnoop fails with exit
# status WANT_RC and exactly one line on stderr, "kmemsnoop: " then
# something matching ERE (noted with note_failure otherwise).
obj_error() {
	local want=$1 re=$2 rc what

	shift 3
	what="kmemsnoop $*"
	km "$@" >case.out 2>case.err </dev/null
	rc=$?
	if ((rc != want)); then
		note_failure "$what: exit $rc, want $want ($(oneline case.err))"
	elif (($(wc -l <case.err) != 1)); then
		note_failure "$what: $(wc -l <case.err) lines on stderr: $(oneline case.err)"
	elif ! grep -Eq "^kmemsnoop: .*($re)" case.err; then
		note_failure "$what: not /$re/: $(oneline case.err)"
	fi
}

# Every error names the problem in one line, with the right exit status.
test_objects_errors() {
	local me rc pci=() usb=

	sleep 60 &
	me=$!
	track "$me"
	obj_error 2 "no struct 'no_such_type_xyz'" -- --object 'struct no_such_type_xyz' 0xffffffff81000000 rw8 '&x'
	obj_error 2 "struct sched_entity has no member 'no_such_member'.*its members: .*nr_migrations" -- \
		--pid-task "$me" rw8 '&se.no_such_member'
	obj_error 2 "struct task_struct has no member 'migrations'.*did you mean" -- --pid-task "$me" rw8 '&migrations'
	obj_error 2 "struct task_struct has no member 'nosuch'; its members: .*, \.\.\. \([0-9]+ more\)\$" -- \
		--pid-task "$me" rw8 '&nosuch'
	obj_error 2 "bad member path" -- --pid-task "$me" rw8 '&se..x'
	obj_error 2 "use 'mm->task_size'" -- --pid-task "$me" rw8 '&mm.task_size'
	obj_error 2 "not a pointer: write '&on_rq'" -- --pid-task "$me" rw4 on_rq
	[[ $(cat /proc/2/comm 2>/dev/null) == kthreadd ]] &&
		obj_error 1 "task_struct->mm is NULL" -- --pid-task 2 rw8 '&mm->task_size'
	obj_error 2 "no task with pid 2147483647" -- --pid-task 2147483647 rw8 '&se.nr_migrations'
	obj_error 2 "bad pid" -- --pid-task 12abc rw8 '&se.nr_migrations'
	mapfile -t pci < <(find /sys/bus/pci/devices -mindepth 1 -maxdepth 1 -printf '%f\n' 2>/dev/null | sort)
	if ((${#pci[@]})); then
		obj_error 2 "no PCI device '0000:ff:1f.7'; /sys/bus/pci/devices has: ${pci[0]}" -- \
			--pci-dev 0000:ff:1f.7 rw2 '&vendor'
	else
		obj_error 2 "no PCI device '0000:ff:1f.7'" -- --pci-dev 0000:ff:1f.7 rw2 '&vendor'
	fi
	[[ -d /sys/bus/usb/devices ]] || usb="/sys/bus/usb/devices does not exist"
	obj_error 2 "no USB device '9-9.9.9'.*${usb:-has: }" -- --usb-dev 9-9.9.9 rw2 '&descriptor.idVendor'
	obj_error 2 "no platform device 'no_such_dev'; /sys/bus/platform/devices has: " -- \
		--plat-dev no_such_dev rw8 '&name'
	obj_error 2 "bad platform device name" -- --plat-dev ../../x rw8 '&name'
	obj_error 2 "index 16 is past the end of comm \(char\[16\]: indices 0 to 15\)" -- \
		--pid-task "$me" rw1 '&comm[16]'
	obj_error 2 "on_rq is 4 bytes \(int\), smaller than the watch length 8: use rw4" -- \
		--pid-task "$me" rw8 '&on_rq'
	obj_error 2 "comm is 16 bytes \(char\[16\]\): give a length" -- --pid-task "$me" rw '&comm'
	obj_error 2 "has no BP EXPR after it" -- rw4 __start_BTF --pid-task "$me"
	obj_error 2 "cannot read kernel memory at 0x10" -- --object 'struct task_struct' 0x10 rw8 '&se.nr_migrations'
	obj_error 2 "bad breakpoint type 'rw3'" -- --pid-task "$me" rw3 '&on_rq'
	obj_error 2 "goes through a pointer" -- offsetof 'struct task_struct' 'mm->task_size'
	obj_error 2 "no struct 'no_such_type_xyz'" -- offsetof 'struct no_such_type_xyz' x
	obj_error 1 "cannot read BTF from /nonexistent" -- offsetof --btf /nonexistent 'struct task_struct' comm
	# A kernel without BTF: /sys/kernel/btf hidden in a mount namespace.
	unshare -m sh -c 'mount -t tmpfs none /sys/kernel/btf && exec "$@"' sh \
		timeout "$(scaled 30)" "$KM" --pid-task "$me" rw8 '&se.nr_migrations' >case.out 2>case.err </dev/null
	rc=$?
	if ((rc != 1)) || (($(wc -l <case.err) != 1)) ||
		! grep -q '^kmemsnoop: this kernel has no BTF' case.err; then
		note_failure "without /sys/kernel/btf: exit $rc, $(oneline case.err)"
	fi
	check_done
}
