# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
# report's formats on a real trace, each read back by what consumes it:
# perf-script by the grammar of this machine's own `perf script` output
# for the same watch, json by jq, folded by its grammar and its counts,
# svg by xmllint.

# The lines of `perf script` for `perf record -e mem:ADDR/LEN:TYPE -a -g`:
# a sample's header (comm, pid or pid/tid, [cpu], seconds.micros:,
# period, event:), its callchain frames (a tab, an address, symbol+off
# or [unknown], (dso)), and a blank line after each sample.
PS_HEADER_RE=$'^[^ \t].* +[0-9]+(/[0-9]+)? +\\[[0-9]{3}\\] +[0-9]+\\.[0-9]{6}: +[0-9]+ +mem:0x[0-9a-f]+: ?$'
PS_FRAME_RE=$'^\t *[0-9a-f]+ ([^ ]+\\+0x[0-9a-f]+|\\[unknown\\]) \\([^)]*\\)$'
PS_BLANK_RE='^$'

# ps_bad FILE: the first line of FILE that is none of the three, if any.
ps_bad() {
	grep -Evn -e "$PS_HEADER_RE" -e "$PS_FRAME_RE" -e "$PS_BLANK_RE" "$1" |
		head -n 1
}

# kernel_stacks FILE PID: each sample of process PID in perf-script text
# with pid/tid (of the grammar above: a header is a line that is not a
# frame or blank) as its kernel frames' names, offsets dropped, one line
# per sample, sorted and counted: what perf and kmemsnoop saw, comparable.
# Only PID: others on this machine may be reading the same bytes.
kernel_stacks() {
	awk -v pid="$2" '
		/^[^\t]/ { split($2, p, "/"); take = (p[1] == pid); s = ""; next }
		/^$/ { if (take && s != "") print s; take = 0; next }
		take && /\(\[kernel\.kallsyms\]\)$/ {
			f = $2; sub(/\+0x[0-9a-f]+$/, "", f); s = s (s == "" ? "" : ";") f }
	' "$1" | sort | uniq -c
}

# collapse FILE: perf-script text folded as stackcollapse-perf.pl does
# it (comm, then the frames outermost first, offsets dropped).
collapse() {
	awk '
		/^[^\t]/ { c = $1; s = ""; next }
		/^$/ { n[c s]++; next }
		{ f = $2; sub(/\+0x[0-9a-f]+$/, "", f); s = ";" f s }
		END { for (k in n) print k, n[k] }' "$1" | LC_ALL=C sort
}

test_report_perf_script_grammar() {
	local addr n=100 bad samples headers frames total f perf_pid km_pid

	addr=$(kaddr __start_BTF) || exit 1
	# What perf itself prints for this watch.
	perf record -q -o perf.data -e "mem:0x$addr/4:rw" -a -g -- \
		"${WITH_PIDFILE[@]}" perf.pid "$TRIGGER" "$BTF" 0 4 "$n" >/dev/null 2>perf.err ||
		fail "perf record exited $?: $(oneline perf.err)"
	perf script -i perf.data >perf.txt 2>perf.err || fail "perf script exited $?: $(oneline perf.err)"
	perf script -i perf.data -F comm,pid,tid,cpu,time,period,event,ip,sym,symoff,dso \
		>perf-tid.txt 2>perf.err || fail "perf script -F exited $?: $(oneline perf.err)"
	samples=$(grep -Ec "$PS_HEADER_RE" perf.txt)
	((samples >= n)) || fail "perf script shows $samples samples for $n preads: $(head -n 2 perf.txt | tr '\n' '|')"
	for f in perf.txt perf-tid.txt; do
		bad=$(ps_bad "$f")
		[[ -z $bad ]] || fail "the grammar does not fit perf's own $f, line $bad"
	done

	# kmemsnoop's, for the same watch and workload.
	km record -o t rw4 __start_BTF -- "${WITH_PIDFILE[@]}" km.pid "$TRIGGER" \
		"$BTF" 0 4 "$n" >/dev/null 2>rec.err || fail "record exited $?: $(oneline rec.err)"
	perf_pid=$(read_pid perf.pid) && km_pid=$(read_pid km.pid) || exit 1
	km report -i t --format perf-script >t.txt 2>ps.err || fail "report --format perf-script exited $?: $(oneline ps.err)"
	bad=$(ps_bad t.txt)
	[[ -z $bad ]] || fail "perf-script output, line $bad, is not what perf script prints"
	hits_json t
	total=$(wc -l <t.json)
	headers=$(grep -Ec "$PS_HEADER_RE" t.txt)
	expect_eq "$headers" "$total" "samples in the perf-script output"
	expect_eq "$(grep -c '^$' t.txt)" "$total" "blank lines ending samples"
	frames=$(grep -Ec "$PS_FRAME_RE" t.txt)
	expect_eq "$frames" "$(jq -s '[.[].stack | length] | add' t.json)" "frame lines"

	# The same kernel stacks, as many times each, as perf saw.
	kernel_stacks perf-tid.txt "$perf_pid" >perf.stacks
	kernel_stacks t.txt "$km_pid" >km.stacks
	[[ -s km.stacks ]] || fail "no samples of the trigger (pid $km_pid) in the perf-script output"
	cmp -s perf.stacks km.stacks ||
		fail "kernel stacks differ from perf's: $(diff perf.stacks km.stacks | head -n 4 | tr '\n' '|')"

	# stackcollapse's reading of it is the folded format.
	collapse t.txt >collapsed
	km report -i t --format folded | LC_ALL=C sort >t.folded 2>/dev/null
	cmp -s collapsed t.folded ||
		fail "perf-script collapsed differs from --format folded: $(diff collapsed t.folded | head -n 4 | tr '\n' '|')"
	pass "$headers samples, $frames frames, $(wc -l <km.stacks) stacks as perf saw them"
}

test_report_formats_consumers() {
	local total sum bad n=200

	km record -o t rw4 __start_BTF -- "$TRIGGER" "$BTF" 0 4 "$n" \
		>/dev/null 2>rec.err || fail "record exited $?: $(oneline rec.err)"
	hits_json t
	total=$(wc -l <t.json)
	((total >= n)) || fail "only $total hits for $n preads"

	# json: every view's lines parse, and their counts add up.
	jq -e 'has("time_ns") and has("stack") and (.stack | length > 0)' t.json \
		>/dev/null || fail "hit objects without time_ns or a stack"
	km report -i t --sort comm,sym,stack --format json >sort.json 2>/dev/null ||
		fail "report --sort --format json exited $?"
	expect_eq "$(jq -s '[.[].hits] | add' sort.json)" "$total" "hits of the --sort groups"
	expect_eq "$(jq -s '[.[].percent] | add | . * 100 | round' sort.json)" 10000 "percentages of the groups"
	km report -i t -g caller --format json >tree.json 2>/dev/null || fail "report -g --format json exited $?"
	expect_eq "$(jq '[.calls[].hits] | add' tree.json)" "$total" "hits at the call tree's roots"
	expect_eq "$(jq '[.. | objects | select(has("name")) | .name] | index("vfs_read") != null' tree.json)" \
		true "vfs_read in the call tree"
	km report -i t --timeline --format json >tl.json 2>/dev/null || fail "report --timeline --format json exited $?"
	expect_eq "$(jq -s '[.[].hits] | add' tl.json)" "$total" "hits of the timeline"
	km report -i t --format json --time-format wall >wall.json 2>/dev/null ||
		fail "report --time-format wall exited $?"
	bad=$(jq -r 'select(.time | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}\\.[0-9]{9}Z$") | not) | .time' wall.json | head -n 1)
	[[ -z $bad ]] || fail "a wall time is not UTC ISO 8601: '$bad'"
	# The wall times fall within a minute of now: the clock pair is right.
	bad=$(jq -r --arg now "$(date +%s)" '(.time | sub("\\.[0-9]+Z$"; "Z") | fromdate) - ($now | tonumber) | fabs | select(. > 60)' wall.json | head -n 1)
	[[ -z $bad ]] || fail "a wall time is ${bad}s away from now"

	# folded: the grammar, and counts that add up to every hit.
	km report -i t --format folded >t.folded 2>/dev/null || fail "report --format folded exited $?"
	bad=$(grep -Evm1 '^[^; ]+(;[^;]+)* [0-9]+$' t.folded)
	[[ -z $bad ]] || fail "bad folded line: '$bad'"
	sum=$(awk '{ s += $NF } END { print s }' t.folded)
	expect_eq "$sum" "$total" "sum of the folded counts"
	grep -q '^trigger;.*;vfs_read;' t.folded || fail "no trigger;...;vfs_read;... path in the folded output"

	# svg: well-formed XML holding the frames.
	km report -i t --format svg >t.svg 2>/dev/null || fail "report --format svg exited $?"
	xmllint --noout t.svg 2>xml.err || fail "xmllint rejects the svg: $(oneline xml.err)"
	grep -q 'vfs_read' t.svg || fail "no vfs_read frame in the svg"

	# Filters: the trigger's own hits, by comm and by time.
	expect_eq "$(km report -i t --comm trigger --format json | wc -l)" \
		"$(json_count t.json 'select(.comm == "trigger")')" "hits of --comm trigger"
	expect_eq "$(km report -i t --time 0, --format folded | awk '{ s += $NF } END { print s }')" \
		"$total" "hits of --time 0,"
	pass "$total hits"
}

# The timeline of a recording with pauses: a row for every second,
# empty ones too. One read every 2 s: seconds 0, 2, 4 and 6 have hits.
test_report_timeline() {
	local rows pid total

	km record -o t rw4 __start_BTF -- "${WITH_PIDFILE[@]}" pid "$TRIGGER" \
		-i 2000000 "$BTF" 0 4 4 >/dev/null 2>rec.err || fail "record exited $?: $(oneline rec.err)"
	pid=$(read_pid pid) || exit 1
	total=$(km report -i t --pid "$pid" --format json | wc -l)
	((total >= 4)) || fail "$total hits for 4 reads"
	km report -i t --timeline --pid "$pid" >tl.txt 2>tl.err || fail "report --timeline exited $?: $(oneline tl.err)"
	rows=$(grep -Ec '^ +[0-9]+s [█▏▎▍▌▋▊▉ ]+ [0-9]+$' tl.txt)
	# Read k is due 2k s after the start: even a first read made late by
	# a slow start leaves the last one at least 4 s after it.
	((rows >= 5)) || fail "$rows rows for 4 reads 2 s apart: $(oneline tl.txt)"
	grep -Eq '^ +[0-9]+s +0$' tl.txt || fail "no empty second between the reads: $(oneline tl.txt)"
	grep -Eq '^ +[0-9]+s █{50} [0-9]+$' tl.txt || fail "no full bar for the busiest second: $(oneline tl.txt)"
	expect_eq "$(awk '/s / { s += $NF } END { print s }' tl.txt)" "$total" "hits in the timeline"
	pass "$rows rows"
}
