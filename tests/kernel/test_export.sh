# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
# kmemsnoop export of a real trace: report shows the same stacks and
# counts on both, and the export holds no address of this machine's
# kernel, its hostname or the registers of a hit.

# plain TRACE: every chunk's payload decompressed, one after another.
plain() {
	local size off=16 stored

	size=$(stat -c %s "$1")
	while ((off + 16 <= size)); do
		stored=$(od -An -t u4 -j $((off + 12)) -N 4 "$1" | tr -d ' ')
		tail -c +$((off + 17)) "$1" | head -c "$stored" | zstd -dq -c ||
			fail "chunk at $off of $1 does not decompress"
		off=$((off + 16 + stored))
	done
	expect_eq "$off" "$size" "end of the last chunk of $1"
}

# without_addresses: a report with "0x" and its digits taken out (but an
# offset, "+0x8"), and without the export's own line.
without_addresses() {
	grep -v '^# export: ' | sed -E 's/(^|[^+])0x[0-9a-f]+/\1/g'
}

# absent FILE HEX WHAT: FILE holds the 64-bit value HEX neither as text
# nor as 8 little-endian bytes.
absent() {
	local le

	le=$(printf '%016x' "0x$2" | sed -E 's/(..)/\1 /g' |
		awk '{ for (i = NF; i > 0; i--) printf "\\x%s", $i }')
	! grep -aqi -- "$2" "$1" || fail "the export holds $3 ($2) as text"
	! LC_ALL=C grep -aqP -- "$le" "$1" || fail "the export holds $3 ($2) as bytes"
}

test_export_real_trace() {
	local n=100 text view a b reg host sym nreg=0 nsym=0

	# A hostname of its own (a UTS namespace): one as short as "vm" would
	# turn up in symbol names by chance, and prove nothing.
	host=kmemsnoop-export-host-$$
	command -v unshare >/dev/null || fail "unshare (util-linux) is missing"
	timeout -k 5 "$KM_TIMEOUT" unshare --uts sh -c 'hostname "$0" && exec "$@"' "$host" \
		"$KM" record -o t --regs rw4 __start_BTF -- "$TRIGGER" "$BTF" 0 4 "$n" \
		>/dev/null 2>rec.err || fail "record exited $?: $(oneline rec.err)"
	expect_eq "$(header_field t hostname)" "$host" "--header hostname of the original"
	km export -i t -o e 2>exp.err || fail "export exited $?: $(oneline exp.err)"
	expect_eq "$(stat -c %a e)" 600 "mode of the export"

	for view in "" "-s sym,stack" "-g caller"; do
		# shellcheck disable=SC2086 # the view's words
		km report -i t $view >a.txt 2>/dev/null || fail "report $view on the trace exited $?"
		# shellcheck disable=SC2086
		km report -i e $view >b.txt 2>/dev/null || fail "report $view on the export exited $?"
		grep -q '^# export: kernel rebased' b.txt || fail "report $view on the export does not say it is one"
		grep -q 'vfs_read' b.txt || fail "no vfs_read frame in report $view of the export"
		a=$(without_addresses <a.txt)
		b=$(without_addresses <b.txt)
		[[ $a == "$b" ]] || fail "report $view differs: $(diff <(echo "$a") <(echo "$b") | head -n 4 | tr '\n' ' ')"
	done
	expect_match "$(header_field e export)" "removed: hostname, cmdline, regs" "--header export"
	expect_eq "$(header_field e hostname)" "(not recorded)" "--header hostname of the export"

	plain t >t.plain
	plain e >e.plain
	text=$(grep -a ' T _text$' t.plain | cut -d' ' -f1)
	[[ $text =~ ^[0-9a-f]{16}$ ]] || fail "no _text in the trace's snapshot"
	expect_eq "$(grep -a ' T _text$' e.plain | cut -d' ' -f1)" ffffffff81000000 "_text in the export"
	# Without KASLR here _text is where it always is; then other
	# addresses of the snapshot stand for the slide.
	[[ $text == ffffffff81000000 ]] || absent e.plain "$text" "the runtime _text"
	# Symbols no stack of this trace falls in (data symbols only with
	# CONFIG_KALLSYMS_ALL): the snapshot must not have kept them.
	for sym in __start_BTF schedule do_exit kernel_clone jiffies; do
		a=$(grep -a " $sym\$" t.plain | head -n 1 | cut -d' ' -f1)
		[[ -z $a ]] && continue
		absent e.plain "$a" "$sym's address"
		! grep -aq " $sym\$" e.plain || fail "the export's snapshot keeps $sym"
		nsym=$((nsym + 1))
	done
	((nsym >= 2)) || fail "found only $nsym of the symbols to look for"
	! grep -aqF -- "$host" e.plain || fail "the export holds the hostname $host"
	! grep -aqF -- "$TRIGGER" e.plain || fail "the export holds the command line"
	# Registers holding heap, vmalloc or stack addresses: kernel halves
	# other than the image's top 2 GiB (without KASLR the image is where
	# the export puts it anyway). With 5-level paging (a guest's -cpu
	# max) the heap is at 0xff2..., not 0xffff8....
	while read -r reg; do
		absent e.plain "$reg" "a register"
		nreg=$((nreg + 1))
	done < <(km report -i t --hits 2>/dev/null | grep -v '^#' |
		grep -oE '[a-z0-9_]+ +0xff[0-9a-f]{14}' |
		awk '{ sub(/^0x/, "", $2) } $2 !~ /^ffffffff/ { print $2 }' |
		sort -u | head -n 40)
	((nreg > 0)) || fail "the trace shows no registers to look for"
	pass "$n preads; _text $text, $nsym symbols and $nreg registers looked for"
}
