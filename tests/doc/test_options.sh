# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
# Each command's options live in four places: its option table (what
# the parser takes), --help, the man page and the bash completion. The
# table is the truth, as build/tests/list_options prints it; each of
# the other three must name every option in it and nothing else. The
# completion must also take a value after exactly the options that
# have one. Uses render and help_options of test_man.sh (run-doc.sh
# sources every tests/doc file before running any test).

LIST_OPTIONS=$ROOT/build/tests/list_options

# table CMD: the options CMD takes, one a line, sorted.
table() {
	"$LIST_OPTIONS" "$1" | cut -d' ' -f1 | sort -u
}

# man_page_options PAGE: the options in PAGE's OPTIONS section, --help
# included (man_options of test_man.sh leaves it out).
man_page_options() {
	render "$MAN_DIR/$1" | awk '/^OPTIONS/ { on = 1; next } /^[A-Z]/ { on = 0 } on' |
		grep -E '^       -' | grep -oE -- '(^|[ ,])--?[a-zA-Z][a-z-]*' |
		tr -d ' ,' | sort -u
}

# offered WORD...: what the completion offers for the command line
# WORD..., the last word the one being completed; one a line.
offered() {
	COMP_WORDS=("$@")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMP_LINE="$*"
	COMP_POINT=${#COMP_LINE}
	COMPREPLY=()
	_kmemsnoop
	((${#COMPREPLY[@]} == 0)) || printf '%s\n' "${COMPREPLY[@]}"
}

# differ WHAT WANT_FILE GOT_FILE: notes the options GOT lacks and those
# it has that WANT does not.
differ() {
	local lacks extra

	lacks=$(comm -23 "$2" "$3" | tr '\n' ' ')
	extra=$(comm -13 "$2" "$3" | tr '\n' ' ')
	[[ -z $lacks ]] || note_failure "$1 lacks ${lacks% }"
	[[ -z $extra ]] || note_failure "$1 has ${extra% }, which the table does not"
}

# check_command CMD PAGE [CMD...]: CMD's table against its --help, its
# man page PAGE (which documents the commands CMD... as well) and the
# completion. Live mode's completion is asked both as the first word
# and after a BP EXPR pair.
check_command() {
	local cmd=$1 page=$2 sub=() opt arg other got base lacks extra

	shift 2
	[[ -x $LIST_OPTIONS ]] || fail "no $LIST_OPTIONS: run 'make doc-tests'"
	[[ $cmd == live ]] || sub=("$cmd")
	# shellcheck source=/dev/null
	. "$ROOT/tools/kmemsnoop.bash-completion"
	# shellcheck disable=SC2317 # called by the completion
	compopt() { :; } # bash's works only in a completion it runs

	table "$cmd" >table.opts
	(($(wc -l <table.opts) > 2)) || fail "list_options $cmd lists almost nothing"

	# --help need not list itself: the one option whoever reads it knows.
	"$KM" "${sub[@]}" --help >help.txt || fail "${sub[*]} --help exited $?"
	help_options <help.txt >help.opts
	grep -vxE -- '-h|--help' table.opts >table-help.opts
	differ "--help" table-help.opts help.opts

	# The page may also document other commands: it lacks none of this
	# one's options, and has none that no command of it takes.
	man_page_options "$page" >man.opts
	lacks=$(comm -23 table.opts man.opts | tr '\n' ' ')
	[[ -z $lacks ]] || note_failure "$page lacks ${lacks% }"
	for other in "$@"; do
		table "$other"
	done | sort -u - table.opts >page.opts
	extra=$(comm -13 page.opts man.opts | tr '\n' ' ')
	[[ -z $extra ]] || note_failure "$page has ${extra% }, which no table of its commands does"

	# The completion's options: the bare -- of record is an end, not one.
	if [[ $cmd == live ]]; then
		offered kmemsnoop - | grep -vx -- -- | sort -u >comp.opts
		differ "the completion of 'kmemsnoop -'" table.opts comp.opts
		sub=(rw4 jiffies)
	fi
	offered kmemsnoop "${sub[@]}" - | grep -vx -- -- | sort -u >comp.opts
	differ "the completion of 'kmemsnoop ${sub[*]} -'" table.opts comp.opts

	# After an option with a value, not what comes after one without.
	base=$(offered kmemsnoop "${sub[@]}" "")
	while read -r opt arg; do
		got=$(offered kmemsnoop "${sub[@]}" "$opt" "")
		if [[ -n $arg && $got == "$base" ]]; then
			note_failure "the completion takes no value after $opt"
		elif [[ -z $arg && $got != "$base" ]]; then
			note_failure "the completion takes a value after $opt"
		fi
	done < <("$LIST_OPTIONS" "$cmd")
	check_done
	pass "$(wc -l <table.opts) options"
}

test_options_live() {
	check_command live kmemsnoop.1 offsetof
}

test_options_record() {
	check_command record kmemsnoop-record.1
}

test_options_report() {
	check_command report kmemsnoop-report.1
}

test_options_offsetof() {
	check_command offsetof kmemsnoop.1 live
}

test_options_check() {
	check_command check kmemsnoop-check.1
}

test_options_export() {
	check_command export kmemsnoop-export.1
}
