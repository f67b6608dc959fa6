# shellcheck shell=bash disable=SC2317,SC2034 # sourced; REASON is read by check
# SPDX-License-Identifier: GPL-2.0
#
# The guest tier's checks that need report's DWARF symbolization, its
# build-id check and its vmlinux lookup (issue 3): file:line, [inlined]
# frames, --force, /usr/lib/debug and debuginfod. Sourced by
# tests/guest/test_guest.sh after lib.sh.

# --- checks that need DWARF in report (issue 3) -----------------------------

# Frames carry file:line from the -dbg vmlinux's DWARF.
check_dwarf_file_line() {
	local a re

	a=$(watch_addr "$OUT/sched.data")
	a=${a#0x}
	re="^ *0x$a: $SCHED_SYM @ 0x$a\\+0x0 $(src kernel/sched/core.c)\$"
	grep -Eq "$re" "$WORK/sched.vmlinux.txt" || {
		bad "no '0x$a: $SCHED_SYM @ 0x$a+0x0 (kernel/sched/core.c:N)' in report --vmlinux; it shows '$(grep -m1 " $SCHED_SYM @" "$WORK/sched.vmlinux.txt" | sed 's/^ *//')'"
		return
	}
	re="^ *0x[0-9a-f]+: proc_sys_call_handler @ 0x[0-9a-f]+\\+0x[0-9a-f]+ $(src fs/proc/proc_sysctl.c)\$"
	grep -Eq "$re" "$WORK/sysctl.vmlinux.txt" || {
		bad "no 'proc_sys_call_handler @ ... (fs/proc/proc_sysctl.c:N)' frame in the sysctl report; it shows '$(grep -m1 " proc_sys_call_handler @" "$WORK/sysctl.vmlinux.txt" | sed 's/^ *//')'"
		return
	}
	REASON=$(grep -Eom1 "$SCHED_SYM @ .*" "$WORK/sched.vmlinux.txt")
}

# The sysctl hit's ip is in do_proc_dointvec_conv, inlined into
# do_proc_dointvec_minmax_conv (kernel/sysctl.c): its own frame first.
check_dwarf_inlined() {
	local ip re line

	ip=$(jq -r '.ip' "$WORK/sysctl.json" | head -n 1)
	ip=${ip#0x}
	re="^ *0x$ip: do_proc_dointvec_conv \\[inlined\\] $(src kernel/sysctl.c)\$"
	line=$(grep -nE "$re" "$WORK/sysctl.vmlinux.txt" | head -n 1 | cut -d: -f1)
	[[ -n $line ]] || {
		bad "no '0x$ip: do_proc_dointvec_conv [inlined] (kernel/sysctl.c:N)' in report --vmlinux ($(grep -c '\[inlined\]' "$WORK/sysctl.vmlinux.txt") [inlined] lines)"
		return
	}
	sed -n "$((line + 1))p" "$WORK/sysctl.vmlinux.txt" |
		grep -Eq "^ *0x$ip: do_proc_dointvec_minmax_conv @ " || {
		bad "the [inlined] frame is not followed by do_proc_dointvec_minmax_conv's at 0x$ip"
		return
	}
	REASON="$(grep -c '\[inlined\]' "$WORK/sysctl.vmlinux.txt") [inlined] lines in the sysctl report"
}

# frames_no_addr REPORT: each frame line as report --vmlinux prints it,
# its addresses left out: function, offset into it, file:line.
frames_no_addr() {
	sed -n 's/^ *0x[0-9a-f]*: \(.*\) @ 0x[0-9a-f]*+\(0x[0-9a-f]*\)\(.*\)/\1 +\2\3/p; s/^ *0x[0-9a-f]*: \(.* \[inlined\].*\)/\1/p' "$1"
}

# A share-safe export (kmemsnoop export, issue 13), reported with the same
# -dbg vmlinux, shows the same frames, offsets and file:line as the
# recording it came from, in the same order: only the addresses differ,
# as the export has moved the kernel to no slide. Needs
# check_vmlinux_slide's reports.
check_dwarf_export() {
	local t n

	for t in sched sysctl; do
		rm -f "$WORK/$t.export"
		if ! timeout "$REPORT_TIMEOUT" "$KM" export -i "$OUT/$t.data" -o "$WORK/$t.export" \
			-v "$VMLINUX" 2>"$WORK/$t.err" ||
			! report -i "$WORK/$t.export" --vmlinux "$VMLINUX" \
				>"$WORK/$t.export.txt" 2>>"$WORK/$t.err"; then
			bad "export of $t.data, or its report, failed: $(head -n 1 "$WORK/$t.err")"
			return
		fi
		frames_no_addr "$WORK/$t.vmlinux.txt" >"$WORK/$t.e1"
		frames_no_addr "$WORK/$t.export.txt" >"$WORK/$t.e2"
		grep -q ':[0-9]*)$' "$WORK/$t.e1" || {
			bad "$t: no frame with file:line in the original's report"
			return
		}
		cmp -s "$WORK/$t.e1" "$WORK/$t.e2" || {
			bad "$t: the export's frames differ: $(diff "$WORK/$t.e1" "$WORK/$t.e2" | grep '^[<>]' | head -n 2 | tr '\n' ' ')"
			return
		}
		grep -q "$(head -c 16 <<<"${BUILD_ID}")" <(report -i "$WORK/$t.export" --header 2>/dev/null) || {
			bad "$t: the export's header lost the kernel's build-id"
			return
		}
	done
	n=$(cat "$WORK/sched.e1" "$WORK/sysctl.e1" | grep -c ':[0-9]*)$')
	REASON="$n frame lines with file:line alike in both exports"
}

# A vmlinux of another build (the same symbols, another build-id) is
# refused, naming both ids, unless --force.
make_other_vmlinux() {
	local other=$WORK/other-vmlinux new

	[[ -s $other ]] && return 0
	objcopy --strip-debug "$VMLINUX" "$other" || return 1
	new=$(printf 'kmemsnoop other build' | sha1sum | cut -c1-40)
	perl -e 'open(F, "+<", $ARGV[0]) or die; binmode F; local $/; my $d = <F>;
		my ($o, $n) = (pack("H*", $ARGV[1]), pack("H*", $ARGV[2]));
		my $i = index($d, $o); die "no build-id\n" if $i < 0;
		seek F, $i, 0; print F $n; close F or die' "$other" "$BUILD_ID" "$new" || return 1
	[[ $(elf_build_id "$other") == "$new" ]] && OTHER_ID=$new
}

check_dwarf_buildid_mismatch() {
	make_other_vmlinux || {
		bad "could not make a vmlinux with another build-id"
		return
	}
	mismatch_refused "$OUT/sched.data" "$WORK/other-vmlinux" "$BUILD_ID" "$OTHER_ID"
}

check_dwarf_buildid_force() {
	local rc=0 a

	make_other_vmlinux || {
		bad "could not make a vmlinux with another build-id"
		return
	}
	a=$(watch_addr "$OUT/sched.data")
	report -i "$OUT/sched.data" --vmlinux "$WORK/other-vmlinux" --force \
		>"$WORK/force.txt" 2>"$WORK/force.err" || rc=$?
	((rc == 0)) || {
		bad "exit $rc: $(head -n 1 "$WORK/force.err")"
		return
	}
	grep -Eq "^ *$a: $SCHED_SYM @ $a\\+0x0" "$WORK/force.txt" || {
		bad "no $SCHED_SYM frame at $a with --force"
		return
	}
	REASON="symbolized anyway"
}

# isolated TAG [--debuginfod ROOT CACHE]: report -i sched.data with no
# --vmlinux, seeing only $WORK/TAG-debug as /usr/lib/debug; stdout in
# $WORK/TAG.txt, stderr in $WORK/TAG.err.
isolated() {
	local tag=$1

	shift
	unshare -m -n --propagation private tests/guest/isolated-report.sh \
		"$WORK/$tag-debug" "$@" -- \
		timeout "$REPORT_TIMEOUT" "$KM" report -i "$OUT/sched.data" \
		>"$WORK/$tag.txt" 2>"$WORK/$tag.err"
}

# found TAG PATH_ERE: report said it took symbols from PATH_ERE, and
# used them (scheduler_tick's frame has its file:line).
found() {
	local tag=$1 path=$2 err

	err=$(head -n 2 "$WORK/$tag.err" | tr '\n' ' ')
	grep -Eq "^kmemsnoop: symbols from $path\$" "$WORK/$tag.err" || {
		bad "no 'kmemsnoop: symbols from ${path//\\/}' on stderr: $err"
		return
	}
	grep -Eq " $SCHED_SYM @ 0x[0-9a-f]+\\+0x0 $(src kernel/sched/core.c)\$" "$WORK/$tag.txt" || {
		bad "found it but no $SCHED_SYM (kernel/sched/core.c:N) frame"
		return
	}
	REASON=$(grep -m1 '^kmemsnoop: symbols from' "$WORK/$tag.err")
}

# /usr/lib/debug/.build-id/xx/rest.debug (the build-id lookup).
check_dwarf_lookup_build_id() {
	local d=$WORK/bid-debug/.build-id/${BUILD_ID:0:2} rc=0

	mkdir -p "$d" && ln -sf "$VMLINUX" "$d/${BUILD_ID:2}.debug"
	isolated bid || rc=$?
	((rc == 0)) || {
		bad "exit $rc: $(head -n 1 "$WORK/bid.err")"
		return
	}
	found bid "/usr/lib/debug/\\.build-id/${BUILD_ID:0:2}/${BUILD_ID:2}\\.debug|$VMLINUX"
}

# /usr/lib/debug/boot/vmlinux-RELEASE, where Debian's -dbg package puts it.
check_dwarf_lookup_release() {
	local rc=0

	mkdir -p "$WORK/rel-debug/boot" && ln -sf "$VMLINUX" "$WORK/rel-debug/boot/vmlinux-$RELEASE"
	isolated rel || rc=$?
	((rc == 0)) || {
		bad "exit $rc: $(head -n 1 "$WORK/rel.err")"
		return
	}
	found rel "/usr/lib/debug/boot/vmlinux-$RELEASE|$VMLINUX"
}

# Nothing local; elfutils' debuginfod on 127.0.0.1 serves the cache dir.
check_dwarf_debuginfod() {
	local rc=0

	mkdir -p "$WORK/dbgd-debug"
	isolated dbgd --debuginfod "$KDIR" "$WORK/dbgd-cache" || rc=$?
	((rc != 125)) || {
		bad "$(head -n 1 "$WORK/dbgd.err")"
		return
	}
	((rc == 0)) || {
		bad "exit $rc: $(head -n 1 "$WORK/dbgd.err")"
		return
	}
	found dbgd "$WORK/dbgd-cache/$BUILD_ID/debuginfo"
}
