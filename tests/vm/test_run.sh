#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make vm-tests: what tools/vm/run promises, checked from the host: the
# Debian kernel asked for really runs, the host's root is there read-only
# and the work directory read-write, the guest's /tmp is its own,
# stdout, stderr and the exit status come back apart and whole, KM_*
# variables pass, hardware breakpoints fire in the guest (perf counts
# them), a hung guest ends at --timeout with nothing left running, and
# bad options get one line and status 125.
#
# One line per check (PASS/FAIL name: detail), then
# `vm: N ran, P passed, F failed`; exits 1 if any failed.
set -u
cd "$(dirname "$0")/../.." || exit 1
ROOT=$PWD
RUN=$ROOT/tools/vm/run

WORK=$(mktemp -d "${TMPDIR:-/tmp}/kmemsnoop-vm-tests.XXXXXX") || exit 1
trap 'rm -rf "$WORK"' EXIT
ran=0 failed=0

result() { # NAME OK DETAIL
	ran=$((ran + 1))
	if (($2)); then
		echo "PASS $1: $3"
	else
		echo "FAIL $1: $3"
		failed=$((failed + 1))
	fi
}

# The guest side of one boot: prints KEY=VALUE lines on stdout, writes
# a file into the work directory, says something on stderr, and exits 7.
cat >"$WORK/probe.sh" <<'EOF'
echo "release=$(uname -r)"
echo "km_var=${KM_VM_TEST_VAR-unset}"
echo "vm=${KMEMSNOOP_VM-unset}/${KMEMSNOOP_VM_KERNEL-unset}"
touch /usr/kmemsnoop-vm-test 2>/dev/null && echo "root=writable" || echo "root=read-only"
[ -e "/tmp/$HOST_MARK" ] && echo "tmp=host's" || echo "tmp=own"
echo guest-wrote >wrote.txt
a=$(awk '$3 == "__start_BTF" { print $1; exit }' /proc/kallsyms)
n=$(perf stat -x, -e "mem:0x$a/4:rw" -- dd if=/sys/kernel/btf/vmlinux of=/dev/null bs=4 count=10 2>&1 | awk -F, '/mem:/ { print $1 }')
echo "perf_hits=$n"
seq 1 20000 | md5sum | sed 's/ .*//; s/^/big=/'
echo to-stderr >&2
exit 7
EOF

# boot VERSION: one boot on that kernel, its results checked.
boot() {
	local v=$1 dir=$WORK/$1 rc want_rel got

	mkdir -p "$dir"
	cp "$WORK/probe.sh" "$dir/"
	want_rel=$(cat "$(tools/guest/fetch.sh vm "$v" 2>/dev/null)/release")
	mark=host-only-$RANDOM
	touch "/tmp/$mark"
	(cd "$dir" && KM_VM_TEST_VAR='a b$c' "$RUN" --kernel "$v" -- \
		"HOST_MARK=$mark bash probe.sh" >out 2>err)
	rc=$?
	rm -f "/tmp/$mark"
	result "$v exit status" $((rc == 7)) "got $rc, want 7"
	got=$(sed -n 's/^release=//p' "$dir/out")
	result "$v kernel" "$([[ -n $want_rel && $got == "$want_rel" ]] && echo 1 || echo 0)" "uname -r '$got', Debian package '$want_rel'"
	result "$v environment" "$(grep -qxF 'km_var=a b$c' "$dir/out" && grep -qx "vm=tcg/$v" "$dir/out" && echo 1 || echo 0)" "$(grep -E '^(km_var|vm)=' "$dir/out" | paste -sd' ')"
	result "$v root read-only" "$(grep -qx 'root=read-only' "$dir/out" && echo 1 || echo 0)" "$(grep '^root=' "$dir/out")"
	result "$v own /tmp" "$(grep -qx 'tmp=own' "$dir/out" && echo 1 || echo 0)" "$(grep '^tmp=' "$dir/out")"
	result "$v work dir writable" "$(grep -qx guest-wrote "$dir/wrote.txt" 2>/dev/null && echo 1 || echo 0)" "wrote.txt: $(head -c 40 "$dir/wrote.txt" 2>/dev/null)"
	result "$v stdout whole" "$(grep -qx "big=$(seq 1 20000 | md5sum | sed 's/ .*//')" "$dir/out" && echo 1 || echo 0)" "md5 of 20000 lines as the guest saw them"
	result "$v stderr apart" "$([[ $(cat "$dir/err") == to-stderr ]] && ! grep -q to-stderr "$dir/out" && echo 1 || echo 0)" "stderr: '$(head -c 80 "$dir/err" | tr '\n' ' ')'"
	got=$(sed -n 's/^perf_hits=//p' "$dir/out")
	result "$v breakpoints fire" "$([[ $got =~ ^[1-9][0-9]*$ ]] && echo 1 || echo 0)" "perf stat counted '${got}' hits for 10 reads of __start_BTF"
}

boot 6.12
boot 6.1

# A guest that outlives --timeout: status 124, QEMU and virtiofsd gone.
t0=$SECONDS
mkdir -p "$WORK/t"
(cd "$WORK" && TMPDIR=$WORK/t "$RUN" --timeout 20 -- sleep 600 >/dev/null 2>timeout.err)
rc=$?
sleep 0.5
left=$(pgrep -f "$WORK/t/kmemsnoop-vm" | wc -l)
result "timeout" $((rc == 124 && left == 0 && SECONDS - t0 < 60)) "status $rc in $((SECONDS - t0)) s, $left processes left; $(head -n 1 "$WORK/timeout.err")"

# Bad options: one line, status 125, no guest.
for args in "--kernel 5.10 -- true" "--cpus 0 -- true" "--mem x -- true" "--accel xen -- true" "--bogus" ""; do
	# shellcheck disable=SC2086 # the words of $args
	"$RUN" $args >"$WORK/bad.out" 2>"$WORK/bad.err"
	rc=$?
	lines=$(wc -l <"$WORK/bad.err")
	result "bad options '$args'" $((rc == 125 && lines == 1)) "status $rc, $lines lines: $(head -n 1 "$WORK/bad.err")"
done

echo "vm: $ran ran, $((ran - failed)) passed, $failed failed"
((failed == 0))
