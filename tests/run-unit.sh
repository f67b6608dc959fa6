#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs each cmocka test binary given on the command line, lets it print
# its own summary, then says in one line how it went. Exits 1 if any
# binary failed (or crashed), 2 if there was nothing to run.

if [ $# -eq 0 ]; then
	echo "unit: no test binaries given" >&2
	exit 2
fi

total=0
nfailed=0
failed=""
for bin in "$@"; do
	total=$((total + 1))
	name=$(basename "$bin")
	echo "== $name"
	"$bin"
	rc=$?
	[ $rc -eq 0 ] && continue
	if [ $rc -gt 128 ]; then
		echo "== $name: killed by signal $((rc - 128))"
	else
		echo "== $name: exit status $rc"
	fi
	nfailed=$((nfailed + 1))
	failed="$failed $name"
done

if [ $nfailed -eq 0 ]; then
	echo "unit: $total test binaries, all passed"
	exit 0
fi
echo "unit: $total test binaries, $nfailed failed:$failed"
exit 1
