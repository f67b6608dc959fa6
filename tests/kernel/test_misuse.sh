# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
# Bad input (issue 8), one table: every misuse is answered with exactly
# one line on stderr, "kmemsnoop: ..." naming the problem, the
# documented exit status (README: 2 for a wrong command line - bad BP,
# unknown symbol, address not aligned, bad option value; 1 at run time -
# no permission, no free slot, the kernel refusing, an unreadable or
# corrupt trace), and nothing left armed.

# misuse WANT_RC ERE -- ARGS...: one row of the table. Runs kmemsnoop
# ARGS and notes (note_failure) every way its answer differs: exit
# status, number of lines on stderr, the "kmemsnoop: " prefix, the
# distinctive words ERE; then that no process of this test holds a
# breakpoint and the slots free before are free again. A command line
# refused (exit 2) is refused before anything is armed: for those rows
# the slots are counted once, after the last of them (misuse_slots),
# perf taking a second or so in the test VM.
misuse() {
	local want=$1 re=$2 rc what

	shift 3
	what="kmemsnoop${*:+ $*}"
	MISUSE_ROWS=$((MISUSE_ROWS + 1))
	km_retry case.out case.err "$@"
	rc=$?
	check_error_line "$what" "$rc" "$want" "$re" case.err
	if ((want == 2 && rc == 2)); then
		misuse_after "$what" later
	else
		misuse_after "$what"
	fi
}

# misuse_after WHAT [later]: nothing of this test holds a breakpoint,
# and (unless later) the slots free before are free again.
misuse_after() {
	local holders

	holders=$(perf_holders "$PWD")
	[[ -z $holders ]] || note_failure "$1: pid $(echo "$holders" | tr '\n' ' ')still holds perf events afterwards"
	if [[ ${2-} == later ]]; then
		MISUSE_UNCOUNTED+=("$1")
	else
		wait_slots_free "after $1"
	fi
}

# misuse_slots: the slots free before are free again after the rows
# whose slots were left for later.
misuse_slots() {
	((${#MISUSE_UNCOUNTED[@]})) || return 0
	wait_slots_free "after the ${#MISUSE_UNCOUNTED[@]} rows from '${MISUSE_UNCOUNTED[0]}' to '${MISUSE_UNCOUNTED[-1]}'"
	MISUSE_UNCOUNTED=()
}

# taken SYMBOL HITS -- ARGS...: not a misuse on this kernel after all
# (it takes execute breakpoints): kmemsnoop ARGS ends as exec_case says,
# and leaves nothing armed.
taken() {
	local sym=$1 hits=$2

	shift 3
	MISUSE_ROWS=$((MISUSE_ROWS + 1))
	exec_case "kmemsnoop $*" "$sym" "$hits" -- "$@"
	misuse_after "kmemsnoop $*"
}

test_misuse_table() {
	local btf odd trace xbp

	btf=$(kaddr __start_BTF) || exit 1
	xbp=$(exec_bp) || exit 1
	odd=$(printf '%x' $((0x$btf + 4)))
	slot_baseline
	MISUSE_ROWS=0 MISUSE_UNCOUNTED=()

	# Files to give report, and one real trace to damage.
	km_retry rec.out rec.err record -o trace -d 0.3 rw4 __start_BTF ||
		fail "record -o trace exited $?: $(oneline rec.err)"
	head -c 65536 /dev/urandom >random
	head -c 12 trace >header12   # magic and version, cut in the file header
	head -c 100 trace >meta100   # cut inside the first chunk
	{ head -c 8 trace; printf '\x63\x00\x00\x00'; tail -c +13 trace; } >future
	mkdir adir rdir
	echo "keep me" >adir/inside
	trace=$PWD/trace

	# The command line: exit 2.
	misuse 2 "option.*--no-such-option" -- --no-such-option rw4 __start_BTF
	misuse 2 "option.*-Z" -- record -Z rw4 __start_BTF
	misuse 2 "breakpoint type.*rq4" -- rq4 __start_BTF
	misuse 2 "breakpoint type.*rw3" -- rw3 __start_BTF
	misuse 2 "breakpoint type.*rw16" -- rw16 __start_BTF
	misuse 2 "breakpoint type ''" -- '' __start_BTF
	misuse 2 "not aligned|align" -- rw4 __start_BTF+1
	misuse 2 "not aligned|align" -- rw8 "0x$odd"
	misuse 2 "unknown symbol.*no_such_symbol_xyz" -- rw4 no_such_symbol_xyz
	misuse 2 "address expression ''" -- rw4 ''
	misuse 2 "address expression.*__start_BTF\+zz" -- rw4 __start_BTF+zz
	misuse 2 "'rw4' needs an address" -- rw4
	misuse 2 "nothing to watch" -- record -o t
	misuse 2 "condition 'value ~ 3'" -- --if 'value ~ 3' rw4 __start_BTF
	misuse 2 "condition 'valu == 3'" -- --if 'valu == 3' rw4 __start_BTF
	misuse 2 "condition 'value =='" -- --if 'value ==' rw4 __start_BTF
	misuse 2 "condition 'value > -1'" -- --if 'value > -1' rw4 __start_BTF
	misuse 2 "count '0'" -- -c 0 rw4 __start_BTF
	misuse 2 "count 'many'" -- record -c many -o t rw4 __start_BTF
	misuse 2 "duration '-1'" -- -d -1 rw4 __start_BTF
	misuse 2 "duration 'nan'" -- record -d nan -o t rw4 __start_BTF
	misuse 2 "buffer size '3K'" -- -m 3K rw4 __start_BTF
	misuse 2 "buffer size '2G'" -- record -m 2G -o t rw4 __start_BTF
	misuse 2 "CPU list '99999'" -- -C 99999 rw4 __start_BTF
	misuse 2 "CPU list '1-0'" -- record -C 1-0 -o t rw4 __start_BTF
	misuse 2 "pid '0'" -- --pid 0 rw4 __start_BTF
	misuse 2 "pid '4294967296'" -- record -p 4294967296 -o t rw4 __start_BTF
	misuse 2 "tid '-5'" -- --tid -5 rw4 __start_BTF
	misuse 2 "command name '0123456789abcdef'" -- --comm 0123456789abcdef rw4 __start_BTF
	misuse 2 "command name ''" -- record --comm '' -o t rw4 __start_BTF
	misuse 2 "pid '' in '1,,2'" -- -p 1,,2 rw4 __start_BTF
	misuse 2 "pid '' in ','" -- record -p , -o t rw4 __start_BTF
	misuse 2 "pid '0' in '1,0'" -- -p 1 --pid 1,0 rw4 __start_BTF
	misuse 2 "tid '' in '1,'" -- --tid 1, rw4 __start_BTF
	misuse 2 "command name '' in 'sh,,cat'" -- --comm sh,,cat rw4 __start_BTF
	misuse 2 "too many pids.*at most 16" -- -p 1,2,3,4,5,6,7,8 -p 9,10,11,12,13,14,15,16,17 rw4 __start_BTF
	misuse 2 "too many tids.*at most 16" -- record --tid 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17 -o t rw4 __start_BTF
	misuse 2 "too many command names.*at most 8" -- --comm a,b,c,d --comm e,f,g,h,i rw4 __start_BTF
	misuse 2 "too many watchpoints.*4" -- \
		rw4 __start_BTF rw4 __start_BTF+8 rw4 __start_BTF+16 rw4 __start_BTF+24 rw4 __start_BTF+32
	misuse 2 "--if.*execute" -- --if 'value == 1' x8 vfs_read
	[[ $(uname -m) != x86_64 ]] || misuse 2 "reads alone.*rw4" -- -c 1 r4 __start_BTF
	misuse 2 "-o writes a trace" -- -o t rw4 __start_BTF
	misuse 2 "--modules is for symbolizing.*report --modules" -- record --modules . -o t rw4 __start_BTF
	misuse 1 "cannot read --modules no-such-dir" -- --modules no-such-dir rw4 __start_BTF
	misuse 1 "--modules random is not a directory" -- --modules random rw4 __start_BTF
	misuse 2 "COMMAND.*record" -- rw4 __start_BTF -- true
	misuse 2 "format 'xml'" -- report -i "$trace" --format xml
	misuse 2 "unexpected argument 'extra'" -- report -i "$trace" extra
	misuse 2 "option.*--no-such-option" -- report --no-such-option
	misuse 2 "option.*-i" -- report -i
	misuse 2 "no help on 'nosuch'" -- help nosuch
	misuse_slots
	[[ ! -e t ]] || note_failure "a record refused for a bad command line left a trace file"

	# At run time: exit 1.
	misuse 1 "/nonexistent/cmd" -- record -o t rw4 __start_BTF -- /nonexistent/cmd
	misuse 1 "cannot create /nonexistent/dir/t" -- record -o /nonexistent/dir/t rw4 __start_BTF
	# A directory is not a trace to replace: refused, and left alone.
	misuse 1 "adir.*directory" -- record -d 0.2 -o adir rw4 __start_BTF
	[[ -d adir && $(cat adir/inside 2>/dev/null) == "keep me" && ! -e adir.old ]] ||
		note_failure "record -o adir (a directory) did not leave it alone: $(stat -c '%n: %F' adir* 2>&1 | tr '\n' ' ')"
	misuse 1 "cannot read symbols from /nonexistent" -- -v /nonexistent rw4 __start_BTF
	if [[ $xbp == no ]]; then
		misuse 1 "CONFIG_KPROBES" -- -c 1 x8 vfs_read
		# An instruction address needs no alignment (x86 execute
		# breakpoints have none), so this is the kernel's refusal again,
		# not a misuse.
		misuse 1 "CONFIG_KPROBES" -- -c 1 x8 vfs_read+1
	else
		# A kernel with CONFIG_KPROBES takes them: one hit at vfs_read;
		# and vfs_read+1, which needs no alignment, is armed too (a
		# byte inside an instruction: it may never fire, hence -d).
		taken vfs_read 1 -- -c 1 x8 vfs_read
		taken vfs_read '[0-9]+' -- -d 0.5 x8 vfs_read+1
	fi
	misuse 1 "/nonexistent/trace" -- report -i /nonexistent/trace
	misuse 1 "rdir.*(not a regular file|directory)" -- report -i rdir
	misuse 1 "/dev/zero.*not a regular file" -- report -i /dev/zero
	misuse 1 "random is not a kmemsnoop trace" -- report -i random
	misuse 1 "header12.*(cut short|truncated)" -- report -i header12
	misuse 1 "meta100.*cut short" -- report -i meta100
	misuse 1 "future.*version 99.*newer" -- report -i future
	misuse 1 "/nonexistent/kallsyms" -- report -i "$trace" --kallsyms /nonexistent/kallsyms
	misuse_slots
	check_done
	pass "$MISUSE_ROWS rows, each misuse one line and the documented exit status; execute breakpoints $([[ $xbp == no ]] && echo refused || echo taken) here"
}
