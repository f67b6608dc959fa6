# shellcheck shell=bash disable=SC2317 # sourced; checks run via `check`
# SPDX-License-Identifier: GPL-2.0
#
# The guest tier's runner and helpers, sourced by tests/guest/test_guest.sh:
# check NAME FUNCTION prints one PASS/FAIL line; a check function returns
# 0, or calls bad REASON and returns 1. Uses the globals test_guest.sh
# sets: KM, WORK, BOOT (the boot in progress: console.log, out/), OUT
# (its out/), and after the setup steps KDIR, VMLINUX, RELEASE; TIER
# (default guest) starts the runner's own lines.

# --- the work dir -------------------------------------------------------------

# work_dir PREFIX: a fresh WORK under $TMPDIR, BOOT and OUT in it, removed
# on exit (kept with KMEMSNOOP_GUEST_KEEP=1); a boot still running
# (helper_pid, boot_guest's) is stopped first.
work_dir() {
	WORK=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX") || exit 1
	BOOT=$WORK/boot
	OUT=$BOOT/out
	helper_pid=
	trap cleanup EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM HUP
}

cleanup() {
	if [[ -n $helper_pid ]]; then # boot.sh: its own trap stops QEMU
		kill -TERM "$helper_pid" 2>/dev/null
		wait "$helper_pid" 2>/dev/null
	fi
	if [[ -n ${KMEMSNOOP_GUEST_KEEP:-} ]]; then
		echo "$TIER: work dir kept: $WORK"
	else
		rm -rf "$WORK"
	fi
}

# --- running checks ---------------------------------------------------------

ran=0 passed=0 failed=0
REASON=
TIER=${TIER:-guest}

# bad REASON: a check's failure; use as `cond || { bad ...; return; }`.
bad() {
	REASON=$*
	return 1
}

# check NAME FUNCTION: one line, PASS or FAIL, with REASON and the time.
check() {
	local name=$1 fn=$2 start=$SECONDS

	REASON=
	ran=$((ran + 1))
	if "$fn"; then
		echo "PASS $name${REASON:+: $REASON} ($((SECONDS - start)) s)"
		passed=$((passed + 1))
		return 0
	fi
	[[ $name == dwarf_* && -n ${DWARF_NOTE:-} ]] && REASON="$REASON [$DWARF_NOTE]"
	echo "FAIL $name: ${REASON:-failed} ($((SECONDS - start)) s)"
	failed=$((failed + 1))
	return 1
}

summary() {
	echo "$TIER: timings: ${TIMINGS# }; whole tier $((SECONDS - T0)) s"
	echo "$TIER: $ran ran, $passed passed, $failed failed"
	((failed == 0))
	exit
}

# console: the serial console without carriage returns and terminal escapes.
console() {
	tr -d '\r' <"$BOOT/console.log" |
		sed -e 's/\x1b\[[0-9;?]*[A-Za-z]//g' -e 's/\x1b.//g'
}

# A setup step failed: nothing after it can run. Shows what the console
# printed during the guest step that failed, else the console's end.
give_up() {
	local n

	if [[ ! -s $BOOT/console.log ]]; then
		echo "$TIER: stopped after the $1 step (no console output)"
	elif [[ -n ${FAILED_STEP:-} ]]; then
		echo "$TIER: stopped after the $1 step; the console during guest step $FAILED_STEP:"
		console | sed -n "/^guest-step: $FAILED_STEP\$/,/^guest-result: $FAILED_STEP /p" |
			tail -n 25 | awk '{ print "    | " $0 }'
	else
		echo "$TIER: stopped after the $1 step; the console's last lines:"
		console | tail -n 25 | awk '{ print "    | " $0 }'
	fi
	n=$(grep -c '^check ' "$0")
	echo "$TIER: $((n - ran)) checks not run"
	summary
}

# --- setup steps shared by the guests ----------------------------------------

# boot_guest KDIR INITRD [QEMU_ARG...]: boots into $BOOT (tools/guest/boot.sh,
# run in the background so that a signal to this script can stop it).
boot_guest() {
	local kdir=$1 initrd=$2 rc=0

	shift 2
	tools/guest/boot.sh "$kdir" "$initrd" "$BOOT" "$@" 2>"$BOOT.log" &
	helper_pid=$!
	wait "$helper_pid" || rc=$?
	helper_pid=
	((rc == 0)) || {
		bad "$(tail -n 1 "$BOOT.log")"
		return
	}
	REASON="guest ran $(cat "$BOOT/boot-seconds") s"
}

# make_initramfs LABEL KDIR PAYLOAD INITRD: tools/guest/initramfs.sh with
# guest-lib.sh beside PAYLOAD; its size as REASON, its time in TIMINGS.
make_initramfs() {
	local t0=$SECONDS

	tools/guest/initramfs.sh "$2" "$3" "$4" tests/guest/guest-lib.sh 2>"$4.log" || {
		bad "$(tail -n 1 "$4.log")"
		return
	}
	TIMINGS+=", $1 $((SECONDS - t0)) s"
	REASON="$(($(stat -c %s "$4") / 1024)) KiB"
}

# timed_boot LABEL KDIR INITRD [QEMU_ARG...]: boot_guest, its time in
# TIMINGS.
timed_boot() {
	local label=$1 t0=$SECONDS rc=0

	shift
	boot_guest "$@" || rc=1
	TIMINGS+=", $label $((SECONDS - t0)) s"
	return "$rc"
}

# guest_steps [STEP...]: every step of the payload succeeded, but for the
# STEPs named (their own checks say how they failed), and its files
# arrived intact in $OUT; sets FAILED_STEP for give_up.
guest_steps() {
	local failed_steps may_fail=" $* "

	[[ -s $OUT/steps ]] || {
		bad "the guest wrote no results (no steps file)"
		return
	}
	failed_steps=$(awk -v ok="$may_fail" '$2 != 0 && index(ok, " " $1 " ") == 0 {
		printf "%s%s exited %s", sep, $1, $2; sep = "; " }' "$OUT/steps")
	FAILED_STEP=$(awk -v ok="$may_fail" '$2 != 0 && index(ok, " " $1 " ") == 0 { print $1; exit }' "$OUT/steps")
	[[ -z $failed_steps ]] || {
		bad "step $failed_steps"
		return
	}
	(cd "$OUT" && sha256sum --quiet -c SHA256SUMS >/dev/null 2>&1) || {
		bad "files changed on the way out: $(cd "$OUT" && sha256sum --quiet -c SHA256SUMS 2>&1 | head -n 2 | tr '\n' ' ')"
		return
	}
	REASON="steps: $(awk '{ printf "%s%s", sep, $1; sep = " " }' "$OUT/steps")"
}

# --- helpers ----------------------------------------------------------------

# step_ok NAME: the payload's step NAME exited 0; else bad, with its status.
step_ok() {
	local rc

	rc=$(awk -v s="$1" '$1 == s { print $2 }' "$OUT/steps")
	[[ $rc == 0 ]] || bad "guest step $1 ${rc:+exited $rc}${rc:-did not run}: see the console"
}

# report ARGS...: kmemsnoop report, bounded in time.
report() {
	timeout "$REPORT_TIMEOUT" "$KM" report "$@"
}

# header_field TRACE FIELD: one line of report --header.
header_field() {
	report -i "$1" --header 2>/dev/null | sed -n "s/^$2: //p"
}

# watch_addr TRACE: watch 0's address (watch-0: BP EXPR = 0xADDR).
watch_addr() {
	header_field "$1" watch-0 | sed -n 's/.* = \(0x[0-9a-f]*\)$/\1/p'
}

# elf_build_id FILE: the GNU build-id note of an ELF file.
elf_build_id() {
	LC_ALL=C readelf -n "$1" 2>/dev/null | sed -n 's/^ *Build ID: //p' | head -n 1
}

# notes_build_id FILE: the build-id in a copy of /sys/kernel/notes (raw
# ELF notes: namesz 4, descsz 20, type 3 NT_GNU_BUILD_ID, "GNU\0").
notes_build_id() {
	perl -0777 -ne 'print unpack("H*", $1) if /\x04\0\0\0\x14\0\0\0\x03\0\0\0GNU\0(.{20})/s' "$1"
}

# debug_link ROOT FILE: FILE linked where a debug root keeps it by its
# build-id, ROOT/usr/lib/debug/.build-id/xx/rest.debug; prints that path.
debug_link() {
	local id link

	id=$(elf_build_id "$2")
	link=$1/usr/lib/debug/.build-id/${id:0:2}/${id:2}.debug
	mkdir -p "$(dirname "$link")" && ln -sf "$2" "$link" && echo "$link"
}

# mismatch_refused TRACE VMLINUX WANT OTHER: report -i TRACE -k VMLINUX,
# a vmlinux of build-id OTHER where the trace's is WANT, exits 1 and
# names both on stderr (REASON: its first lines).
mismatch_refused() {
	local rc=0 err

	report -i "$1" -k "$2" >/dev/null 2>"$WORK/mismatch.err" || rc=$?
	err=$(head -n 3 "$WORK/mismatch.err" | tr '\n' ' ')
	((rc == 1)) || {
		bad "exit $rc, want 1 (stderr: $err)"
		return
	}
	if ! grep -q "$3" "$WORK/mismatch.err" || ! grep -q "$4" "$WORK/mismatch.err"; then
		bad "stderr does not name both $3 and $4: $err"
		return
	fi
	REASON=$err
}

# kaslr_placed "TRACE SYMBOL"...: KASLR moved the kernel (a non-zero
# slide, a multiple of 2 MiB) and each TRACE (in OUT) watches SYMBOL at
# the vmlinux's address plus the slide.
kaslr_placed() {
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
		got=$(watch_addr "$OUT/$t")
		[[ $got == "$want" ]] || {
			bad "$t watches $sym at '$got', vmlinux + slide is $want"
			return
		}
	done <<<"$1"
	REASON="_text $guest_text, slide $(printf '%#x' "$slide")"
}

# nm_addr SYMBOL: its link-time address in the vmlinux, 0x-prefixed.
nm_addr() {
	awk -v s="$1" '$3 == s { print "0x" $1; exit }' "$WORK/vmlinux.nm"
}

# frames REPORT_OUTPUT: "ADDR NAME" of each symbolized (not inlined)
# frame, sorted, unique.
frames() {
	sed -n 's/^ *0x\([0-9a-f]*\): \([^ ]*\) @ .*/\1 \2/p' "$1" | sort -u
}

# The file:line of a frame: any directory prefix (DWARF's comp_dir-relative
# names carry Debian's build dir), then the kernel source path.
src() {
	printf '\\((\\S*/)?%s:[0-9]+\\)' "${1//./\\.}"
}
