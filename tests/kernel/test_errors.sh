# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
# Errors: one line on stderr, "kmemsnoop: ...", the documented exit code
# (1 at run time, 2 for bad usage), and nothing left armed.

# error_case WANT_RC ERE -- KMEMSNOOP_ARGS...: runs kmemsnoop and notes
# (note_failure) every way its failure differs from the documented one:
# exit status WANT_RC, exactly one line on stderr, starting
# "kmemsnoop: " and matching ERE. Also checks no breakpoint is left.
error_case() {
	local want=$1 re=$2 rc what

	shift 3
	what="kmemsnoop${*:+ $*}"
	km "$@" >case.out 2>case.err </dev/null
	rc=$?
	check_error_line "$what" "$rc" "$want" "$re" case.err
	assert_nothing_armed "after $what"
}

# Mistakes on the command line: exit 2, saying what is wrong.
test_errors_usage() {
	local btf

	btf=$(kaddr __start_BTF) || exit 1
	error_case 2 "no_such_symbol_xyz" -- rw4 no_such_symbol_xyz
	error_case 2 "not aligned|align" -- rw4 __start_BTF+1
	error_case 2 "not aligned|align" -- rw4 "0x$(printf '%x' $((0x$btf + 1)))"
	error_case 2 "rw3" -- rw3 __start_BTF
	error_case 2 "count" -- -c 0 rw4 __start_BTF
	error_case 2 "duration" -- -d -1 rw4 __start_BTF
	error_case 2 "no_such_symbol_xyz" -- record -o t rw4 no_such_symbol_xyz
	error_case 2 "count" -- record -o t -c 0 rw4 __start_BTF
	# x86 cannot watch reads alone: a request it cannot express.
	if [[ $(uname -m) == x86_64 || $(uname -m) == i?86 ]]; then
		error_case 2 "rw4" -- -c 1 r4 __start_BTF
		error_case 2 "rw4" -- record -o t -c 1 r4 __start_BTF
	fi
	[[ ! -e t ]] || note_failure "a record refused for bad usage left a trace file"
	check_done
}

# kmemsnoop with no arguments at all: exit 2 with a one-line error.
test_errors_no_arguments() {
	error_case 2 "." --
	check_done
}

# What the kernel refuses: exit 1, with what to do instead.
test_errors_kernel_refuses() {
	local x

	x=$(exec_bp) || exit 1
	if [[ $x == no ]]; then
		# Without CONFIG_KPROBES the kernel refuses execute breakpoints.
		error_case 1 "CONFIG_KPROBES" -- -c 1 x8 vfs_read
	else
		# With it (Debian's kernels) it takes them: no refusal, a hit.
		exec_case "kmemsnoop -c 1 x8 vfs_read" vfs_read 1 -- -c 1 x8 vfs_read
		assert_nothing_armed "after kmemsnoop -c 1 x8 vfs_read"
	fi
	check_done
	pass "execute breakpoints $([[ $x == no ]] && echo refused || echo taken) here"
}

# A COMMAND that cannot be run: exit 1, one line naming it, and the
# earlier trace of the same name left as it was.
test_errors_missing_command() {
	echo "earlier trace" >t
	error_case 1 "/nonexistent/cmd" -- record -o t rw4 __start_notes -- /nonexistent/cmd
	[[ $(cat t 2>/dev/null) == "earlier trace" && ! -e t.old ]] ||
		note_failure "record with a COMMAND that cannot run replaced the earlier trace (t: $(head -c 20 t | tr -c '[:print:]' '.'), t.old: $([[ -e t.old ]] && echo exists || echo none))"
	check_done
}

# The same while other processes hit the watch (a trigger flat out on
# every CPU): their hits in the milliseconds before the exec fails change
# nothing. The window is short, so 3 tries.
test_errors_missing_command_busy() {
	local busy ncpu try

	ncpu=$(online_cpus)
	"$TRIGGER" "$BTF" 0 4 1000000000 "$ncpu" >/dev/null &
	busy=$!
	track "$busy"
	poll 5 threads_above "$busy" "$ncpu" || fail "the busy trigger did not start its $ncpu threads"
	for try in 1 2 3; do
		error_case 1 "/nonexistent/cmd" -- record -o "t$try" rw4 __start_BTF -- /nonexistent/cmd
		check_done
	done
}

# Inputs report cannot read: exit 1.
test_errors_report_input() {
	head -c 65536 /dev/urandom >random
	error_case 1 "/nonexistent" -- report -i /nonexistent
	error_case 1 "/dev/zero" -- report -i /dev/zero
	error_case 1 "/tmp" -- report -i /tmp
	error_case 1 "not a kmemsnoop trace" -- report -i random
	check_done
}
