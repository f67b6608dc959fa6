# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
# The command line a perf user expects: wrong answers refused in one
# line before anything is armed, usage errors exit 2 whoever runs
# kmemsnoop, -k VMLINUX checked against the running kernel's build-id,
# --version everywhere, command typos named. Each case asks the kernel
# what it can do (possible CPUs, data symbols in kallsyms) first.

# cli_case WANT_RC ERE -- ARGS...: kmemsnoop ARGS exits WANT_RC with one
# line on stderr matching ERE (check_error_line of lib.sh).
cli_case() {
	local want=$1 re=$2 rc

	shift 3
	km "$@" >case.out 2>case.err </dev/null
	rc=$?
	check_error_line "kmemsnoop $*" "$rc" "$want" "$re" case.err
}

# A pid no process has: counting down from pid_max.
free_pid() {
	local p

	read -r p </proc/sys/kernel/pid_max
	for ((p = p - 1; p > 300; p--)); do
		kill -0 "$p" 2>/dev/null || [[ -d /proc/$p ]] || { echo "$p"; return; }
	done
	fail "no free pid below pid_max"
}

# The first CPU number this machine cannot have (possible, not online).
impossible_cpu() {
	local possible

	read -r possible </sys/devices/system/cpu/possible
	echo $((${possible##*[-,]} + 1))
}

# The command lines every user gets exit 2 for, before BPF: "ERE ARGS...".
usage_rows() {
	local btf=$1 cpu pid

	cpu=$(impossible_cpu) pid=$(free_pid)

	printf '%s\n' \
		"breakpoint type 'rw3'|rw3 __start_BTF" \
		"unknown option '--no-such'|--no-such rw4 __start_BTF" \
		"option '-d' needs a value|rw4 __start_BTF -d" \
		"option '--output' needs a value|record rw4 __start_BTF --output" \
		"empty file name|record -o '' rw4 __start_BTF" \
		"no CPU $cpu|-C $cpu rw4 __start_BTF" \
		"no process $pid|-p $pid rw4 __start_BTF" \
		"no thread $pid|--tid $pid rw4 __start_BTF" \
		"no process $pid|-p 1,$pid rw4 __start_BTF" \
		"no thread $pid|--tid 1 --tid $pid rw4 __start_BTF" \
		"0x1ffffffff.*4 bytes|--if 'value == 0x1ffffffff' rw4 __start_BTF" \
		"0x100.*1 bytes|record -o t --if 'value & 0x100' rw1 __start_BTF" \
		"same bytes|rw4 __start_BTF rw4 __start_BTF" \
		"same bytes|record -o t rw8 0x$btf w8 0x$btf" \
		"address expression '__start_BTF\+zz'|rw4 __start_BTF+zz" \
		"unknown command 'recrod'; did you mean record\?|recrod rw4 __start_BTF" \
		"unknown command 'reprot'; did you mean report\?|reprot -i t"
	[[ $(uname -m) != x86_64 ]] || echo "reads alone.*rw4 __start_BTF|r4 __start_BTF"
}

# run_rows [PREFIX...]: each row of usage_rows, run as PREFIX kmemsnoop.
run_rows() {
	local btf row re args

	btf=$(kaddr __start_BTF) || exit 1
	while IFS='|' read -r re args; do
		eval "set -- $args"
		if (($# == 0)); then continue; fi
		"${PREFIX[@]}" timeout -k 5 "$KM_TIMEOUT" "$KM" "$@" >case.out 2>case.err </dev/null
		check_error_line "${PREFIX[*]:+${PREFIX[*]} }kmemsnoop $args" "$?" 2 "$re" case.err
	done < <(usage_rows "$btf")
	[[ ! -e t ]] || note_failure "a record refused for its command line left a trace file"
}

# As root: every row exit 2, one line, nothing armed.
test_cli_refusals() {
	PREFIX=()
	run_rows
	# Known the same only once symbols are read: refused before arming.
	cli_case 2 "same 4 bytes at 0x" -- rw4 __start_BTF w4 __start_BTF+0
	check_done
	assert_nothing_armed "after the refused command lines"
	# What fits is still taken: the widest --if of 4 bytes, our own pid.
	km -d 0.2 -p $$ --if 'value <= 0xffffffff' rw4 __start_BTF >ok.out 2>ok.err ||
		fail "-p \$\$ --if 'value <= 0xffffffff' rw4 __start_BTF exited $?: $(oneline ok.err)"
	pass "$(usage_rows x | wc -l) command lines refused with exit 2"
}

# As an unprivileged user (nobody): the same exit 2, not "permission
# denied loading BPF" exit 1: the command line is checked first.
test_cli_refusals_unprivileged() {
	command -v setpriv >/dev/null || skip "no setpriv"
	PREFIX=(setpriv --reuid=65534 --regid=65534 --clear-groups)
	cd "$(mktemp -d /tmp/km-cli.XXXXXX)" && chmod 777 . || fail "no directory for nobody"
	# A copy where nobody can reach it: the checkout's own directories
	# may be closed to other users (a clone under a 0700 mktemp -d).
	cp "$KM" kmemsnoop || fail "cannot copy $KM"
	local KM=$PWD/kmemsnoop
	"${PREFIX[@]}" test -x "$KM" || fail "user 65534 cannot run $KM"
	run_rows
	check_done
	# And what is not a usage error still says why it cannot run.
	"${PREFIX[@]}" "$KM" -d 0.2 rw4 __start_BTF >case.out 2>case.err
	check_error_line "nobody: kmemsnoop rw4 __start_BTF" "$?" 1 "root|CAP_" case.err
	cd / && rm -rf "$OLDPWD"
	check_done
}

# Unknown option and missing value said apart in every command.
test_cli_option_errors() {
	cli_case 2 "^kmemsnoop: unknown option '--nope'; see 'kmemsnoop --help'$" -- --nope rw4 __start_BTF
	cli_case 2 "^kmemsnoop: option '-c' needs a value; see 'kmemsnoop --help'$" -- rw4 __start_BTF -c
	cli_case 2 "unknown option '-Z'; see 'kmemsnoop record --help'" -- record -Z rw4 __start_BTF
	cli_case 2 "option '--btf' needs a value; see 'kmemsnoop offsetof --help'" -- offsetof --btf
	cli_case 2 "unknown option '--nope'; see 'kmemsnoop offsetof --help'" -- offsetof --nope task_struct pid
	cli_case 2 "option '--format' needs a value; see 'kmemsnoop check --help'" -- check --format
	# --force is now live mode's too (for -v); report still knows it.
	cli_case 1 "cannot read symbols from /nonexistent" -- -v /nonexistent --force rw4 __start_BTF
	check_done
}

# offsetof on a file that is no BTF: one line of kmemsnoop's, no
# "libbpf:" line, no "Unknown error 4001".
test_cli_offsetof_not_btf() {
	echo "not BTF" >plain
	unset KMEMSNOOP_DEBUG
	cli_case 1 "^kmemsnoop: plain is neither an ELF file with BTF nor raw BTF" -- offsetof --btf plain task_struct pid
	# -k as everywhere, and -v, its old letter: the same file option.
	cli_case 1 "^kmemsnoop: plain is neither an ELF file with BTF nor raw BTF" -- offsetof -k plain task_struct pid
	cli_case 1 "^kmemsnoop: plain is neither an ELF file with BTF nor raw BTF" -- offsetof -v plain task_struct pid
	check_done
	KMEMSNOOP_DEBUG=1 km offsetof --btf plain task_struct pid >/dev/null 2>dbg.err
	grep -q '^libbpf: ' dbg.err || fail "KMEMSNOOP_DEBUG=1 shows no libbpf line: $(oneline dbg.err)"
}

# --version and -V on live mode and every command: 4 lines, exit 0.
test_cli_version() {
	local cmd opt out

	for cmd in "" record report offsetof check; do
		for opt in --version -V; do
			# shellcheck disable=SC2086 # "" is no command at all
			out=$(km $cmd $opt 2>&1) || note_failure "kmemsnoop $cmd $opt exited $?: $out"
			[[ $out =~ ^kmemsnoop\ [0-9][^$'\n']*$'\n'libbpf\ [0-9][^$'\n']*$'\n'elfutils\ [0-9][^$'\n']*$'\n'zstd\ [0-9][^$'\n']*$ ]] ||
				note_failure "kmemsnoop $cmd $opt printed: $(tr '\n' '|' <<<"$out")"
		done
	done
	check_done
}

# Live mode still starts with its BP, options after the pair too.
test_cli_live_first_word() {
	local addr

	addr=$(kaddr __start_BTF) || exit 1
	km rw4 __start_BTF -d 0.3 >out 2>err || fail "kmemsnoop rw4 __start_BTF -d 0.3 exited $?: $(oneline err)"
	grep -qx "Watchpoint attached on 0x$addr" out ||
		fail "no 'Watchpoint attached on 0x$addr': $(oneline out)"
}

# Addresses print alike, 0x and 16 digits, 0 included (where the kernel
# takes a watch there at all).
test_cli_address_zero() {
	km -d 0.2 w4 0x0 >out 2>err
	case $? in
	0) grep -qx "Watchpoint attached on 0x0000000000000000" out ||
		fail "w4 0x0 printed: $(oneline out)" ;;
	1) pass "the kernel refuses a watch at 0 here: $(oneline err)" ;;
	*) fail "w4 0x0 exited $?: $(oneline err)" ;;
	esac
}

# A kernel without CONFIG_KALLSYMS_ALL (no static data symbols, d or b,
# in its own lines of /proc/kallsyms) is named for an unknown symbol,
# with the ways around it; one with them gives near names as before.
test_cli_kallsyms_data() {
	if awk '($2 == "d" || $2 == "b") && NF == 3 { found = 1; exit } END { exit !found }' /proc/kallsyms; then
		cli_case 2 "unknown symbol 'no_such_symbol_xyz'" -- rw4 no_such_symbol_xyz
		grep -q KALLSYMS_ALL case.err && note_failure "KALLSYMS_ALL named on a kernel with data symbols: $(oneline case.err)"
		check_done
		pass "data symbols listed: near names"
	fi
	cli_case 2 "unknown symbol 'jiffies'.*no data symbols.*CONFIG_KALLSYMS_ALL.*-k VMLINUX.*--pid-task.*address" -- rw4 jiffies
	check_done
	assert_nothing_armed "after rw4 jiffies"
	pass "no data symbols: named"
}

# build_id_note FILE: the running kernel's GNU build-id note, as an ELF
# note section holds it, into FILE; fails when /sys/kernel/notes has none.
build_id_note() {
	local -a w
	local off=0 namesz descsz type size

	mapfile -t w < <(od -An -v -t u4 --endian=little -w4 "$NOTES" | tr -d ' ')
	while ((off / 4 + 3 <= ${#w[@]})); do
		namesz=${w[off / 4]} descsz=${w[off / 4 + 1]} type=${w[off / 4 + 2]}
		size=$((12 + (namesz + 3) / 4 * 4 + (descsz + 3) / 4 * 4))
		if ((type == 3 && namesz == 4)) &&
			[[ $(dd if="$NOTES" bs=1 skip=$((off + 12)) count=3 2>/dev/null) == GNU ]]; then
			dd if="$NOTES" of="$1" bs=1 skip="$off" count="$size" 2>/dev/null
			return
		fi
		off=$((off + size))
	done
	return 1
}

# -k VMLINUX of another build-id: refused (exit 1) before anything is
# armed; with --force, one warning line says it is used anyway. A file
# carrying the running kernel's build-id is taken without a word on it.
# -v, the old letter, and --vmlinux are the same option.
test_cli_vmlinux_build_id() {
	local btf

	btf=$(kaddr __start_BTF) || exit 1
	cli_case 1 "$KM has build-id [0-9a-f]+, but the running kernel's is [0-9a-f]+.*--force" -- -k "$KM" -d 0.2 rw4 __start_BTF
	check_done
	assert_nothing_armed "after -v $KM"
	km -v "$KM" --force -d 0.2 rw4 0x"$btf" >out 2>err
	grep -q "^kmemsnoop: warning: $KM has build-id .*using it anyway (--force)" err ||
		fail "-v $KM --force: no warning: $(oneline err)"
	grep -q "but the running kernel's" err && fail "-v $KM --force still refused: $(oneline err)"
	command -v objcopy >/dev/null || pass "no objcopy: the matching case is not tried"
	build_id_note note.bin || pass "the kernel shows no build-id: the matching case is not tried"
	objcopy --remove-section .note.gnu.build-id --add-section .note.gnu.build-id=note.bin \
		--add-symbol _text=.text:0,global,function "$TRIGGER" vmlinux 2>objcopy.err ||
		fail "objcopy: $(oneline objcopy.err)"
	km --vmlinux vmlinux -d 0.2 rw4 0x"$btf" >out 2>err || fail "--vmlinux with the kernel's build-id exited $?: $(oneline err)"
	! grep -q "build-id" err || fail "--vmlinux with the kernel's build-id: $(oneline err)"
	assert_nothing_armed "after --vmlinux vmlinux"
}

# --verbose lets libbpf's own lines through (what it loads); without
# it, a run that goes well says nothing of libbpf.
test_cli_verbose() {
	local btf

	btf=$(kaddr __start_BTF) || exit 1
	km record -o t --verbose -d 0.2 rw4 0x"$btf" >/dev/null 2>err || fail "record --verbose exited $?: $(oneline err)"
	grep -q '^libbpf: ' err || fail "record --verbose: no libbpf line: $(oneline err)"
	km -d 0.2 rw4 0x"$btf" >/dev/null 2>err || fail "live mode exited $?: $(oneline err)"
	! grep -q '^libbpf: ' err || fail "libbpf spoke without --verbose: $(grep -m1 '^libbpf: ' err)"
	pass "$(grep -c '^libbpf: ' err) libbpf lines without --verbose"
}
