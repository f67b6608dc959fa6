# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
# What report looks up for a real trace: debuginfod only for the kernel
# and the modules its stacks pass through, at most 16 requests, none
# with --no-debuginfod. The server is an empty directory (file://), so
# nothing leaves the machine; its cache has one entry per build-id asked.

# Build-ids the debuginfod cache $1 has an entry for.
asked() {
	find "$1" -mindepth 1 -maxdepth 1 -type d -regextype posix-extended \
		-regex '.*/[0-9a-f]{16,128}' 2>/dev/null | wc -l
}

test_report_debuginfod_bounded() {
	local n=50 asked_n said mods

	km record -o t rw4 __start_BTF -- "$TRIGGER" "$BTF" 0 4 "$n" \
		>/dev/null 2>rec.err || fail "record exited $?: $(oneline rec.err)"
	mkdir srv empty
	export KMEMSNOOP_DEBUG_ROOT=$PWD/empty DEBUGINFOD_URLS=file://$PWD/srv \
		DEBUGINFOD_CACHE_PATH=$PWD/cache

	km report -i t >out.txt 2>err.txt || fail "report exited $?: $(oneline err.txt)"
	expect_eq "$(grep -c '^kmemsnoop: debuginfod: ' err.txt)" 1 "debuginfod summary lines"
	said=$(sed -n 's/^kmemsnoop: debuginfod: \([0-9]*\) requests\{0,1\},.*/\1/p' err.txt)
	asked_n=$(asked cache)
	expect_eq "$asked_n" "$said" "build-ids asked for against the summary line"
	((asked_n >= 1 && asked_n <= 16)) || fail "$asked_n debuginfod requests, not 1 to 16"
	# The kernel, and only the modules a frame fell in (each says so).
	mods=$(grep -c '^kmemsnoop: no debug file for module ' err.txt)
	((asked_n <= 1 + mods)) ||
		fail "$asked_n requests for the kernel and $mods modules in the stacks"

	rm -rf cache
	km report -i t --no-debuginfod >out2.txt 2>err2.txt ||
		fail "report --no-debuginfod exited $?: $(oneline err2.txt)"
	expect_eq "$(asked cache)" 0 "build-ids asked for with --no-debuginfod"
	! grep -q debuginfod err2.txt || fail "--no-debuginfod still mentions debuginfod: $(oneline err2.txt)"
	cmp -s out.txt out2.txt || fail "--no-debuginfod changed the report"
	pass "requests: $asked_n; modules in the stacks: $mods"
}
