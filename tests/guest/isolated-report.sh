#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs COMMAND (a `kmemsnoop report`) with DEBUG_DIR in place of the host's
# /usr/lib/debug and, with --debuginfod ROOT, a debuginfod server on
# 127.0.0.1 serving the ELF files under ROOT, DEBUGINFOD_URLS pointing at
# it and a fresh client cache in CACHE_DIR (the server's database and log
# go next to it, as CACHE_DIR.server.*). So report can find a vmlinux
# only where the test put one. Must run in its own mount and network
# namespaces, which nothing outside sees:
#
#   unshare -m -n --propagation private tests/guest/isolated-report.sh \
#       DEBUG_DIR [--debuginfod ROOT CACHE_DIR] -- COMMAND [ARGS...]
#
# Exits with COMMAND's status, or 125 if the isolation or the server
# could not be set up (one line on stderr says why).
set -u

PORT=8002 # the network namespace is private: nothing else listens here
READY_TIMEOUT=60

die() {
	printf 'isolated-report: %s\n' "$*" >&2
	exit 125
}

# metrics: debuginfod's /metrics page, through bash's /dev/tcp (no curl).
metrics() {
	(
		exec 3<>"/dev/tcp/127.0.0.1/$PORT" || exit 1
		printf 'GET /metrics HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
		cat <&3
	) 2>/dev/null
}

# The server has scanned ROOT and found debuginfo there.
server_ready() {
	metrics | grep -Eq '^found_debuginfo_total\{source="files"\} [1-9]'
}

server_pid=
# shellcheck disable=SC2317 # called by the trap
stop_server() {
	[[ -n $server_pid ]] || return 0
	kill -TERM "$server_pid" 2>/dev/null
	wait "$server_pid" 2>/dev/null
}
trap stop_server EXIT
trap 'exit 143' TERM INT HUP

debug_dir=${1:-}
[[ -d $debug_dir ]] || die "usage: isolated-report.sh DEBUG_DIR [--debuginfod ROOT CACHE_DIR] -- COMMAND..."
shift
root='' cache=''
if [[ ${1:-} == --debuginfod ]]; then
	root=${2:-} cache=${3:-}
	[[ -d $root && -n $cache ]] || die "--debuginfod needs ROOT and CACHE_DIR"
	shift 3
fi
[[ ${1:-} == -- ]] || die "missing -- before the command"
shift

mount --bind "$debug_dir" /usr/lib/debug || die "cannot bind $debug_dir over /usr/lib/debug (run under unshare -m)"
unset DEBUGINFOD_URLS

if [[ -n $root ]]; then
	ip link set lo up || die "cannot bring up lo (run under unshare -n)"
	mkdir -p "$cache" || die "cannot create $cache"
	setpriv --pdeathsig KILL -- debuginfod -F --disable-source-scan -p "$PORT" \
		-d "$cache.server.sqlite" -t 0 -g 0 "$root" >"$cache.server.log" 2>&1 &
	server_pid=$!
	deadline=$((SECONDS + READY_TIMEOUT))
	until server_ready; do
		kill -0 "$server_pid" 2>/dev/null ||
			die "debuginfod exited: $(tail -n 2 "$cache.server.log" | tr '\n' ' ')"
		((SECONDS < deadline)) || die "debuginfod found nothing under $root in $READY_TIMEOUT s"
		sleep 0.1
	done
	export DEBUGINFOD_URLS="http://127.0.0.1:$PORT" DEBUGINFOD_CACHE_PATH=$cache
fi

"$@"
rc=$?
exit "$rc"
