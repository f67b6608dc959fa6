# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
# The report views of a real trace, and the trace file itself.

test_report_views() {
	local n=300 addr total out line sum rows hits nr bad buildid ncpu

	addr=$(kaddr __start_BTF) || exit 1
	km record -o t rw4 __start_BTF -- "$TRIGGER" "$BTF" 0 4 "$n" \
		>/dev/null 2>rec.err || fail "record exited $?: $(oneline rec.err)"
	hits_json t
	total=$(wc -l <t.json)
	((total >= n)) || fail "only $total hits for $n preads"

	# Default view: per watch, stacks by count with percentages.
	km report -i t >stacks.txt 2>stacks.err || fail "report exited $?: $(oneline stacks.err)"
	! grep -Eq 'no trailer|cut short|corrupt' stacks.err ||
		fail "report calls a complete trace incomplete: $(oneline stacks.err)"
	line=$(grep '^# watch' stacks.txt)
	expect_eq "$line" "# watch 0: rw4 __start_BTF (0x$addr): $total hits" "watch line of the default report"
	read -r rows sum hits < <(awk '$1 ~ /^[0-9.]+%$/ && $3 == "hits" {
		n++; p += $1 + 0; h += $2 } END { printf "%d %.4f %d\n", n, p, h }' stacks.txt)
	((rows > 0)) || fail "no percentage rows in the default report"
	awk -v s="$sum" -v r="$rows" 'BEGIN { d = s - 100; if (d < 0) d = -d; exit !(d <= 0.005 * r + 0.001) }' ||
		fail "the $rows percentages sum to $sum, not 100"
	expect_eq "$hits" "$total" "sum of the per-stack hit counts"
	grep -Eq '^ +0x[0-9a-f]{16}: vfs_read @ ' stacks.txt || fail "no vfs_read frame in the default report"

	# --hits: every hit, numbered, with its frames.
	km report -i t --hits >hits.txt 2>hits.err || fail "report --hits exited $?: $(oneline hits.err)"
	nr=$(grep -c '^#' hits.txt)
	expect_eq "$nr" "$total" "hit header lines in --hits"
	bad=$(grep '^#' hits.txt | grep -Evm1 "$HIT_LINE_RE")
	[[ -z $bad ]] || fail "bad hit line in --hits: '$bad'"
	bad=$(awk '/^#/ && $1 != ("#" (++i)) { print; exit }' hits.txt)
	[[ -z $bad ]] || fail "misnumbered hit line in --hits: '$bad'"
	ncpu=$(online_cpus)
	bad=$(awk -v n="$ncpu" '/^#/ && !($4 < n && $6 ~ /^[0-9]+\/[0-9]+$/ && $8 != "") { print; exit }' hits.txt)
	[[ -z $bad ]] || fail "hit line with a bad cpu, pid or comm: $bad"
	bad=$(grep -v '^#' hits.txt | grep -Evm1 "$FRAME_LINE_RE")
	[[ -z $bad ]] || fail "bad frame line in --hits: '$bad'"
	grep -Eq '^ +0x[0-9a-f]{16}: vfs_read @ 0x' hits.txt || fail "no vfs_read frame in --hits"

	# --header: the metadata of the recording machine.
	km report -i t --header >header.txt 2>header.err || fail "report --header exited $?"
	buildid=$(perf buildid-list -k 2>/dev/null)
	[[ $buildid =~ ^[0-9a-f]{40}$ ]] || fail "perf buildid-list -k gave no build-id: '$buildid'"
	local -A want=(
		[build-id]=$buildid
		[kernel-release]=$(uname -r)
		[kernel-version]=$(uname -v)
		[machine]=$(uname -m)
		[hostname]=$(hostname)
		[cpus]=$ncpu
		[watch-0]="rw4 __start_BTF = 0x$addr"
		[complete]=yes
		[hits]=$total
		[hits-read]=$total
		[lost]=0
	)
	local key
	for key in "${!want[@]}"; do
		out=$(sed -n "s/^$key: //p" header.txt)
		expect_eq "$out" "${want[$key]}" "--header $key"
	done
	expect_match "$(sed -n 's/^command: //p' header.txt)" \
		"^kmemsnoop record -o t rw4 __start_BTF -- $TRIGGER " "--header command"

	# --kallsyms: the running kernel's symbols name the same frames as
	# the snapshot in the trace.
	km report -i t --format json --kallsyms /proc/kallsyms >k.json 2>k.err ||
		fail "report --kallsyms /proc/kallsyms exited $?: $(oneline k.err)"
	jq -c '[.stack[] | [.sym, .off]]' t.json >syms.snapshot
	jq -c '[.stack[] | [.sym, .off]]' k.json >syms.kallsyms
	grep -q '"vfs_read"' syms.snapshot || fail "no vfs_read frame in the JSON"
	cmp -s syms.snapshot syms.kallsyms ||
		fail "symbols differ between the snapshot and --kallsyms /proc/kallsyms: $(diff syms.snapshot syms.kallsyms | head -n 3 | tr '\n' ' ')"

	# The file: private, and a second record keeps the first as .old.
	expect_eq "$(stat -c %a t)" 600 "mode of the trace file"
	cp t first
	(umask 0; km record -o t rw4 __start_BTF -- "$TRIGGER" "$BTF" 0 4 10 \
		>/dev/null 2>rec2.err) || fail "second record exited $?: $(oneline rec2.err)"
	[[ -f t.old ]] || fail "a second record to the same file left no t.old"
	cmp -s first t.old || fail "t.old is not the first trace"
	expect_eq "$(stat -c %a t)" 600 "mode of the trace file recorded under umask 0"
	hits_json t
	(($(wc -l <t.json) >= 10)) || fail "the second trace has $(wc -l <t.json) hits for 10 preads"
	pass "$total hits, $rows stacks"
}

# --max-stack on a real trace: cut to N return addresses, the groups of
# the stack key are the distinct first N frames of the hits' stacks. A
# frame's inlined calls (with DWARF) are entries of its address, in a
# row: FRAMES_JQ counts return addresses, as the option does.
FRAMES_JQ='[.stack[].addr] | reduce .[] as $a ([]; if .[-1] == $a then . else . + [$a] end)'

test_report_max_stack() {
	local n=200 total want got deep

	km record -o t rw4 __start_BTF -- "$TRIGGER" "$BTF" 0 4 "$n" \
		>/dev/null 2>rec.err || fail "record exited $?: $(oneline rec.err)"
	hits_json t
	total=$(wc -l <t.json)
	deep=$(jq "$FRAMES_JQ | length" t.json | sort -n | tail -n 1)
	((deep > 2)) || fail "the deepest stack has $deep frames: nothing to cut"

	km report -i t --format json --max-stack 2 >cut.json 2>cut.err ||
		fail "report --max-stack 2 exited $?: $(oneline cut.err)"
	expect_eq "$(jq -c "$FRAMES_JQ | .[:2]" t.json)" \
		"$(jq -c "$FRAMES_JQ" cut.json)" "each hit's stack cut to its first 2 frames"

	want=$(jq -c "$FRAMES_JQ | .[:2]" t.json | sort | uniq -c |
		awk '{ print $1 }' | sort -n | tr '\n' ' ')
	km report -i t -s stack --max-stack 2 --format json >groups.json 2>groups.err ||
		fail "report -s stack --max-stack 2 exited $?: $(oneline groups.err)"
	got=$(jq '.hits' groups.json | sort -n | tr '\n' ' ')
	expect_eq "$got" "$want" "hits of the groups of the cut stacks"

	km report -i t --max-stack 0 --format folded >folded.txt 2>folded.err ||
		fail "report --max-stack 0 exited $?: $(oneline folded.err)"
	got=$(awk '{ n += split($1, f, ";") - 1 } END { print n / NR }' folded.txt)
	expect_eq "$got" 1 "frames a folded line has with --max-stack 0"
	pass "$total hits, stacks of up to $deep frames"
}
