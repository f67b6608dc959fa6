# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
# How the bash completion completes paths (as filenames, so a directory
# gets its slash) and words with ':' (PCI and USB device names), which
# bash splits into several COMP_WORDS.

# complete_line LINE: runs the completion as bash would with the cursor
# at the end of LINE (no quotes in it): COMP_WORDS split at blanks and,
# while COMP_WORDBREAKS has it, around every run of ':'; a blank at the
# end starts an empty word. COMPREPLY is left one a line on stdout, and
# the compopt options asked for in COMPOPT.
complete_line() {
	local w

	COMP_LINE=$1
	COMP_POINT=${#COMP_LINE}
	COMP_WORDS=()
	for w in $COMP_LINE; do
		if [[ $COMP_WORDBREAKS == *:* ]]; then
			mapfile -t -O "${#COMP_WORDS[@]}" COMP_WORDS < <(grep -oE ':+|[^:]+' <<<"$w")
		else
			COMP_WORDS+=("$w")
		fi
	done
	[[ $COMP_LINE != *[[:blank:]] ]] || COMP_WORDS+=("")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	COMPOPT=
	_kmemsnoop
	((${#COMPREPLY[@]} == 0)) || printf '%s\n' "${COMPREPLY[@]}"
}

# The completion, and compopt, which works only in a completion bash
# runs, standing in to record what it was asked.
load_completion() {
	# shellcheck source=/dev/null
	. "$ROOT/tools/kmemsnoop.bash-completion"
	# shellcheck disable=SC2317 # called by the completion
	compopt() { COMPOPT+="$* "; }
}

test_completion_paths() {
	load_completion
	{ mkdir dir && touch 'a b.data' dir/x.data; } || fail "cannot make files here"

	complete_line "kmemsnoop report -i d" >/dev/null
	expect_eq "$COMPOPT" "-o filenames " "compopt for a path"
	expect_eq "$(complete_line "kmemsnoop report -i d")" "dir" "-i d"
	expect_eq "$(complete_line "kmemsnoop report -i dir/")" "dir/x.data" "-i dir/"
	expect_eq "$(complete_line "kmemsnoop record -o a")" "a b.data" "a name with a space"
	expect_eq "$(complete_line "kmemsnoop --modules ")" "dir" "--modules: directories only"
	complete_line "kmemsnoop rw" >/dev/null
	expect_eq "$COMPOPT" "" "compopt for a BP"
	complete_line "kmemsnoop --pid 1" >/dev/null
	expect_eq "$COMPOPT" "" "compopt for a pid"
	pass
}

test_completion_colons() {
	local dev got

	load_completion
	touch x:y:z.data || fail "cannot make files here"

	expect_eq "$(complete_line "kmemsnoop report -i x:y:")" "z.data" "-i x:y:"
	expect_eq "$(complete_line "kmemsnoop report -i x:y:z")" "z.data" "-i x:y:z"
	expect_eq "$(complete_line "kmemsnoop report -i x:")" "y:z.data" "-i x:"
	expect_eq "$(complete_line "kmemsnoop report -i x:y:z.data ")" \
		"$(complete_line "kmemsnoop report ")" "after a path with ':'"
	# Without ':' among the word breaks, a word is whole and so are its
	# completions.
	expect_eq "$(COMP_WORDBREAKS=${COMP_WORDBREAKS//:/} complete_line "kmemsnoop report -i x:y:")" \
		"x:y:z.data" "-i x:y: without ':' breaking words"

	for dev in /sys/bus/pci/devices/*:*; do
		dev=${dev##*/}
		break
	done
	if [[ $dev != "*:*" ]]; then
		got=$(complete_line "kmemsnoop --pci-dev ${dev%?}")
		[[ $'\n'$got$'\n' == *$'\n'"${dev##*:}"$'\n'* ]] ||
			fail "--pci-dev ${dev%?} offers '$got', not ${dev##*:}"
		expect_eq "$(complete_line "kmemsnoop --pci-dev $dev r")" \
			"$(complete_line "kmemsnoop rw4 jiffies r")" "a BP after --pci-dev $dev"
	fi
	[[ $dev != "*:*" ]] || dev="no PCI device here"
	pass "$dev"
}

# -p, --tid (and report's --pid, --tid) take comma-separated lists: the
# item after the last comma is completed, the ones before it kept.
test_completion_pid_lists() {
	local got

	load_completion
	got=$(complete_line "kmemsnoop record -p 1,$$")
	[[ $'\n'$got$'\n' == *$'\n'"1,$$"$'\n'* ]] || fail "-p 1,$$ offers '${got//$'\n'/ }', not 1,$$"
	got=$(complete_line "kmemsnoop --tid $$,1")
	[[ $'\n'$got$'\n' == *$'\n'"$$,1"$'\n'* ]] || fail "--tid $$,1 offers '${got//$'\n'/ }', not $$,1"
	! grep -vq "^$$,[0-9]*\$" <<<"$got" || fail "--tid $$,1 offers an item without the list before it: ${got//$'\n'/ }"
	got=$(complete_line "kmemsnoop report --pid $$,")
	[[ $'\n'$got$'\n' == *$'\n'"$$,$$"$'\n'* ]] || fail "report --pid $$, offers '${got//$'\n'/ }', not $$,$$"
	expect_eq "$(complete_line "kmemsnoop --pid-task 1,")" "" "--pid-task takes one pid"
	pass
}

# --object 'struct T' ADDR: ADDR is a symbol (or hex), not a BP.
test_completion_object_addr() {
	local got

	load_completion
	[[ $(awk '$3 == "vfs_read" { print $1; exit }' /proc/kallsyms 2>/dev/null) ]] ||
		skip "no vfs_read in /proc/kallsyms"
	COMP_WORDS=(kmemsnoop record --object "'struct file'" vfs_rea)
	COMP_CWORD=4
	COMP_LINE="${COMP_WORDS[*]}"
	COMP_POINT=${#COMP_LINE}
	_kmemsnoop
	got=" ${COMPREPLY[*]} "
	[[ $got == *" vfs_read "* ]] || fail "no vfs_read for --object's ADDR: $got"
	pass
}
