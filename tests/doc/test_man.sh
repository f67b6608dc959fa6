# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
# The man pages render without warnings and list the options --help
# lists, no more, no fewer.

MAN_DIR=$ROOT/docs/man

# render PAGE: the page as plain ASCII text, 80 columns.
render() {
	MANWIDTH=80 LC_ALL=C man -l "$1" 2>/dev/null | col -bx
}

# Long and short options named by the option lines of --help text on
# stdin (lines starting with spaces and a dash). --help itself is left
# out: every command takes it, and not every --help says so.
help_options() {
	grep -E '^ +-' | sed -E 's/^ +//; s/  .*$//' |
		grep -oE -- '(^|[ ,])--?[a-zA-Z][a-z-]*' | tr -d ' ,' |
		grep -vxE -- '-h|--help' | sort -u
}

# The same for a rendered man page: its OPTIONS section's item tags.
man_options() {
	render "$1" | awk '/^OPTIONS/ { on = 1; next } /^[A-Z]/ { on = 0 } on' |
		grep -E '^       -' | grep -oE -- '(^|[ ,])--?[a-zA-Z][a-z-]*' |
		tr -d ' ,' | grep -vxE -- '-h|--help' | sort -u
}

test_man_renders() {
	local page out n=0

	for page in "$MAN_DIR"/*.1; do
		n=$((n + 1))
		out=$(MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null)
		[[ -z $out ]] || fail "$(basename "$page") warns: $(echo "$out" | head -n 3 | tr '\n' ' ')"
		[[ $(render "$page" | wc -l) -gt 40 ]] || fail "$(basename "$page") renders to almost nothing"
	done
	pass "$n pages"
}

# same_options PAGE HELP_TEXT_FILE [MIN]: more than MIN (3) options each.
same_options() {
	local page=$1 help=$2 min=${3:-3} only_help only_man

	help_options <"$help" >help.opts
	man_options "$MAN_DIR/$page" >man.opts
	(($(wc -l <help.opts) > min)) || fail "found no options in the --help for $page"
	only_help=$(comm -23 help.opts man.opts | tr '\n' ' ')
	only_man=$(comm -13 help.opts man.opts | tr '\n' ' ')
	[[ -z $only_help ]] || fail "$page lacks options --help has: $only_help"
	[[ -z $only_man ]] || fail "$page has options --help lacks: $only_man"
}

test_man_live_options() {
	{ "$KM" --help && "$KM" offsetof --help; } >help.txt || fail "--help exited $?"
	same_options kmemsnoop.1 help.txt
	pass "$(wc -l <help.opts) options"
}

test_man_record_options() {
	"$KM" record --help >help.txt || fail "record --help exited $?"
	same_options kmemsnoop-record.1 help.txt
	pass "$(wc -l <help.opts) options"
}

test_man_report_options() {
	"$KM" report --help >help.txt || fail "report --help exited $?"
	same_options kmemsnoop-report.1 help.txt
	pass "$(wc -l <help.opts) options"
}

test_man_export_options() {
	"$KM" export --help >help.txt || fail "export --help exited $?"
	same_options kmemsnoop-export.1 help.txt
	pass "$(wc -l <help.opts) options"
}

# check has one option besides --help.
test_man_check_options() {
	"$KM" check --help >help.txt || fail "check --help exited $?"
	same_options kmemsnoop-check.1 help.txt 0
	pass "$(wc -l <help.opts) option"
}

# check's man page lists every check check --help names, in its order.
test_man_check_names() {
	local help man

	help=$("$KM" check --help | sed -n '/^Checks/,/^Exit/{/^  /p}' |
		tr -d '*' | tr -s ' ' '\n' | grep . | tr '\n' ' ')
	man=$(render "$MAN_DIR/kmemsnoop-check.1" |
		awk '/^CHECKS/ { on = 1; next } /^[A-Z]/ { on = 0 } on' |
		grep -oE '^       [a-z]+(-[a-z]+)*( |$)' | tr -d ' ' | tr '\n' ' ')
	[[ -n $help ]] || fail "check --help names no checks"
	expect_eq "$man" "$help" "checks in kmemsnoop-check(1) against check --help"
	pass "$(wc -w <<<"$help") checks"
}

# `kmemsnoop help CMD` is `CMD --help`, and the synopsis agrees.
test_help_command() {
	local cmd

	for cmd in record report offsetof check export; do
		cmp -s <("$KM" help "$cmd") <("$KM" "$cmd" --help) ||
			fail "'kmemsnoop help $cmd' differs from '$cmd --help'"
	done
	"$KM" help >help.txt || fail "kmemsnoop help exited $?"
	for cmd in record report offsetof check export help; do
		grep -q "^ *\(usage: \)\?kmemsnoop $cmd " help.txt ||
			fail "kmemsnoop help does not show 'kmemsnoop $cmd'"
		render "$MAN_DIR/kmemsnoop.1" | grep -qE "^ *kmemsnoop +$cmd " ||
			fail "kmemsnoop(1)'s synopsis does not show 'kmemsnoop $cmd'"
	done
	render "$MAN_DIR/kmemsnoop-report.1" | grep -qE '^ *kmemsnoop +report +\[-i +FILE\]' ||
		fail "kmemsnoop-report(1)'s synopsis is not 'kmemsnoop report [-i FILE] ...'"
	"$KM" report --help | grep -q '^usage: kmemsnoop report \[-i FILE\]' ||
		fail "report --help's usage is not 'kmemsnoop report [-i FILE] ...'"
}
