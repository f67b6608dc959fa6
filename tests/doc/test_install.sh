# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
# make install / uninstall into a DESTDIR, and the installed program.

test_install_destdir() {
	local d=$PWD/root files page refs ref

	make -C "$ROOT" --no-print-directory install DESTDIR="$d" PREFIX=/usr \
		>install.out 2>&1 || fail "make install exited $?: $(tail -n 3 install.out | tr '\n' ' ')"
	files=$(cd "$d" && find . -type f | sort | tr '\n' ' ')
	expect_eq "$files" "./usr/bin/kmemsnoop ./usr/share/bash-completion/completions/kmemsnoop ./usr/share/doc/kmemsnoop/report.md ./usr/share/doc/kmemsnoop/trace-format.md ./usr/share/man/man1/kmemsnoop-check.1 ./usr/share/man/man1/kmemsnoop-export.1 ./usr/share/man/man1/kmemsnoop-record.1 ./usr/share/man/man1/kmemsnoop-report.1 ./usr/share/man/man1/kmemsnoop.1 " "installed files"
	[[ -x $d/usr/bin/kmemsnoop ]] || fail "the installed kmemsnoop is not executable"
	"$d/usr/bin/kmemsnoop" --help >help.txt 2>&1 || fail "installed kmemsnoop --help exited $?"
	grep -q '^usage: kmemsnoop' help.txt || fail "installed --help: $(head -n 1 help.txt)"
	for page in "$d"/usr/share/man/man1/*.1; do
		out=$(MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null)
		[[ -z $out ]] || fail "installed $(basename "$page") warns: $out"
		MANWIDTH=80 man -l "$page" 2>/dev/null | grep -q kmemsnoop ||
			fail "installed $(basename "$page") does not render"
	done
	# The documents the man pages name are where they say, and no page
	# names the source tree's /usr/local when PREFIX is /usr.
	refs=$(grep -ho '/usr[a-z/]*/share/doc/kmemsnoop/[A-Za-z0-9_.-]*' "$d"/usr/share/man/man1/*.1 | sort -u)
	[[ -n $refs ]] || fail "no installed man page names a document under /usr/share/doc/kmemsnoop"
	for ref in $refs; do
		[[ $ref == /usr/share/doc/kmemsnoop/* ]] || fail "an installed man page names $ref"
		[[ -f $d$ref ]] || fail "an installed man page names $ref, which make install did not install"
	done
	bash -c ". '$d/usr/share/bash-completion/completions/kmemsnoop' && complete -p kmemsnoop" \
		>/dev/null 2>&1 || fail "the installed completion does not load"
	make -C "$ROOT" --no-print-directory uninstall DESTDIR="$d" PREFIX=/usr \
		>uninstall.out 2>&1 || fail "make uninstall exited $?: $(tail -n 3 uninstall.out | tr '\n' ' ')"
	files=$(cd "$d" && find . ! -type d)
	[[ -z $files ]] || fail "make uninstall left: $(echo "$files" | tr '\n' ' ')"
}

# The default PREFIX is /usr/local.
test_install_prefix() {
	local d=$PWD/root

	make -C "$ROOT" --no-print-directory install DESTDIR="$d" >install.out 2>&1 ||
		fail "make install exited $?"
	[[ -x $d/usr/local/bin/kmemsnoop && -f $d/usr/local/share/man/man1/kmemsnoop.1 ]] ||
		fail "no /usr/local/bin/kmemsnoop or man page under DESTDIR: $(cd "$d" && find . -type f | tr '\n' ' ')"
	make -C "$ROOT" --no-print-directory uninstall DESTDIR="$d" >/dev/null 2>&1 ||
		fail "make uninstall exited $?"
	[[ -z $(cd "$d" && find . ! -type d) ]] || fail "make uninstall left files"
}

# The completion offers subcommands, options, BP types and symbols.
test_completion() {
	local got

	# shellcheck source=/dev/null
	. "$ROOT/tools/kmemsnoop.bash-completion"
	complete_words() {
		COMP_WORDS=("$@")
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		COMPREPLY=()
		_kmemsnoop
		printf '%s\n' "${COMPREPLY[*]}"
	}
	expect_eq "$(complete_words kmemsnoop rep)" "report" "subcommand"
	expect_eq "$(complete_words kmemsnoop record --qu)" "--quiet" "record option"
	expect_eq "$(complete_words kmemsnoop report --time-f)" "--time-format" "report option"
	expect_eq "$(complete_words kmemsnoop report --format perf)" "perf-script" "format"
	expect_eq "$(complete_words kmemsnoop report --sort comm,st)" "comm,stack" "sort key"
	expect_eq "$(complete_words kmemsnoop report -g cal)" "caller callee" "call graph"
	expect_eq "$(complete_words kmemsnoop rw)" "rw1 rw2 rw4 rw8 rw" "BP"
	expect_eq "$(complete_words kmemsnoop che)" "check" "check subcommand"
	expect_eq "$(complete_words kmemsnoop check --)" "--format --help --version" "check options"
	expect_eq "$(complete_words kmemsnoop check --format "")" "text json" "check formats"
	expect_eq "$(complete_words kmemsnoop help ch)" "check" "help on check"
	if [[ $(awk '$3 == "vfs_read" { print $1; exit }' /proc/kallsyms 2>/dev/null) ]]; then
		got=$(complete_words kmemsnoop record -o t rw4 vfs_rea)
		[[ " $got " == *" vfs_read "* ]] || fail "no vfs_read among EXPR completions: $got"
	fi
	got=$(complete_words kmemsnoop record rw4 x -- tru)
	[[ " $got " == *" true "* ]] || fail "no command completion after --: $got"
}
