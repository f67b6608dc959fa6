# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
# The Debian package (make deb-tests; tests/run-doc.sh runs this file
# only when named, as it installs the package on this machine): make deb
# builds it, hardened and lintian-clean; dpkg -i installs a kmemsnoop
# that runs, its man pages, completion and documents; dpkg -r takes them
# all away again.

# deb_installed: whether dpkg has the kmemsnoop package installed.
deb_installed() {
	dpkg-query -W -f='${Status}' kmemsnoop 2>/dev/null | grep -q 'ok installed'
}

test_deb_package() {
	local ver arch deb changes f page ref opt errors warnings
	local pages=(kmemsnoop kmemsnoop-record kmemsnoop-report kmemsnoop-check)

	[[ $(id -u) == 0 ]] || fail "needs root (dpkg -i)"
	! deb_installed || fail "a kmemsnoop package is installed already: dpkg -r kmemsnoop first"
	ver=$(dpkg-parsechangelog -l "$ROOT/debian/changelog" -S Version) ||
		fail "dpkg-parsechangelog failed on debian/changelog"
	expect_eq "$ver" "$(sed -n 's/^VERSION := //p' "$ROOT/Makefile")" \
		"debian/changelog's version against the Makefile's VERSION"
	arch=$(dpkg --print-architecture)
	deb=$ROOT/build/deb/kmemsnoop_${ver}_$arch.deb
	changes=$ROOT/build/deb/kmemsnoop_${ver}_$arch.changes

	make -C "$ROOT" --no-print-directory deb >deb.out 2>&1 ||
		fail "make deb exited $?: $(tail -n 3 deb.out | tr '\n' ' ')"
	[[ -f $deb && -f $changes ]] || fail "make deb made no $deb and .changes: $(find "$ROOT/build/deb" -maxdepth 1 -type f -printf '%f ')"

	dpkg-deb -c "$deb" >contents.txt || fail "dpkg-deb -c failed on $deb"
	for f in usr/bin/kmemsnoop usr/share/bash-completion/completions/kmemsnoop \
		usr/share/doc/kmemsnoop/copyright usr/share/doc/kmemsnoop/report.md \
		usr/share/doc/kmemsnoop/trace-format.md; do
		grep -q " \./$f\$" contents.txt || fail "the package has no /$f"
	done
	for page in "${pages[@]}"; do
		grep -q " \./usr/share/man/man1/$page\.1\.gz\$" contents.txt ||
			fail "the package has no $page(1)"
	done

	# RELRO, BIND_NOW, FORTIFY, PIE, stack protector. Control flow
	# integrity is not asked for: Debian 12's crt1.o has no IBT/SHSTK
	# property, so no program linked there gets one (/usr/bin/ls neither).
	dpkg-deb -x "$deb" unpacked || fail "dpkg-deb -x failed on $deb"
	hardening-check --nocfprotection unpacked/usr/bin/kmemsnoop >hardening.txt 2>&1 ||
		fail "hardening-check: $(grep -v ': yes' hardening.txt | tr '\n' ' ')"
	for f in "Position Independent Executable" "Stack protected" \
		"Fortify Source functions" "Read-only relocations" "Immediate binding"; do
		grep -q "^ $f: yes" hardening.txt || fail "hardening-check: $(grep "$f" hardening.txt)"
	done

	lintian --pedantic -I "$changes" >lintian.txt 2>&1
	errors=$(grep -c '^E:' lintian.txt)
	warnings=$(grep -c '^W:' lintian.txt)
	((errors == 0)) || fail "lintian: $(grep '^E:' lintian.txt | head -n 3 | tr '\n' ' ')"

	trap 'deb_installed && dpkg -r kmemsnoop >/dev/null 2>&1' EXIT
	dpkg -i "$deb" >dpkg-i.out 2>&1 ||
		fail "dpkg -i exited $?: $(tail -n 3 dpkg-i.out | tr '\n' ' ')"
	deb_installed || fail "dpkg -i did not leave kmemsnoop installed"
	[[ $(command -v kmemsnoop) == /usr/bin/kmemsnoop ]] ||
		fail "kmemsnoop on PATH is '$(command -v kmemsnoop)', not /usr/bin/kmemsnoop"
	# --version where the program has it, else --help.
	if /usr/bin/kmemsnoop --version >version.txt 2>&1; then
		opt=--version
		grep -qF "$ver" version.txt || fail "kmemsnoop --version: $(head -n 1 version.txt), not $ver"
	else
		opt=--help
		/usr/bin/kmemsnoop --help >help.txt 2>&1 || fail "installed kmemsnoop --help exited $?"
		grep -q '^usage: kmemsnoop' help.txt || fail "installed --help: $(head -n 1 help.txt)"
	fi
	for page in "${pages[@]}"; do
		expect_eq "$(man -w "$page" 2>&1)" "/usr/share/man/man1/$page.1.gz" "man -w $page"
	done
	for ref in $(zcat /usr/share/man/man1/*.1.gz | grep -o '/usr[a-z/]*/share/doc/kmemsnoop/[A-Za-z0-9_.-]*' | sort -u); do
		[[ -f $ref ]] || fail "a man page names $ref, which the package does not install"
	done
	bash -c '. /usr/share/bash-completion/completions/kmemsnoop && complete -p kmemsnoop' \
		>/dev/null 2>&1 || fail "the installed completion does not load"

	dpkg -r kmemsnoop >dpkg-r.out 2>&1 ||
		fail "dpkg -r exited $?: $(tail -n 3 dpkg-r.out | tr '\n' ' ')"
	! deb_installed || fail "kmemsnoop is still installed after dpkg -r"
	for f in /usr/bin/kmemsnoop /usr/share/bash-completion/completions/kmemsnoop \
		/usr/share/doc/kmemsnoop; do
		[[ ! -e $f ]] || fail "$f is still there after dpkg -r"
	done
	for page in "${pages[@]}"; do
		[[ ! -e /usr/share/man/man1/$page.1.gz ]] || fail "$page(1) is still there after dpkg -r"
	done
	man -w kmemsnoop >/dev/null 2>&1 && fail "man -w kmemsnoop still finds $(man -w kmemsnoop)"
	pass "$(basename "$deb"), lintian $errors errors $warnings warnings, kmemsnoop $opt"
}
