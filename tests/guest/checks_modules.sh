# shellcheck shell=bash disable=SC2317,SC2034 # sourced; REASON is read by check
# SPDX-License-Identifier: GPL-2.0
#
# The guest tier's checks on kernel modules: virtio.data holds execute
# breakpoints on virtio_blk's virtio_queue_rq and virtio_queue_rqs and
# virtio_ring's virtqueue_add_sgs, recorded under KASLR with the modules
# where the guest's kernel loaded them. Checked: the trace's MODULE_INFO
# (addresses and build-ids as the guest had them), and report naming the
# modules' frames with file:line from their -dbg debug files, found by
# build-id, in a -dbg tree, under --modules and through debuginfod, and
# from the kallsyms snapshot without them. Sourced by test_guest.sh after
# lib.sh; uses KDIR/modules-dbg (tools/guest/fetch.sh).

# mod_debug NAME: the module's debug file in the cache.
mod_debug() {
	find "$KDIR/modules-dbg" -name "$1.ko" | head -n 1
}

# module_line NAME: "ADDR SIZE BUILD-ID" from report --header.
module_line() {
	header_field "$OUT/virtio.data" module | awk -v m="$1" '$1 == m { print $2, $3, $4 }'
}

# virtio_report TAG [ROOT] [ARGS...]: report of virtio.data against the
# -dbg vmlinux, with ROOT as the debug root (default: an empty one) and no
# debuginfod; stdout in $WORK/virtio.TAG.txt, stderr in .err.
virtio_report() {
	local tag=$1 root=${2:-$WORK/mod-empty}

	shift
	if (($# > 0)); then
		shift
	fi
	mkdir -p "$WORK/mod-empty"
	env -u DEBUGINFOD_URLS KMEMSNOOP_DEBUG_ROOT="$root" \
		timeout "$REPORT_TIMEOUT" "$KM" report -i "$OUT/virtio.data" --vmlinux "$VMLINUX" "$@" \
		>"$WORK/virtio.$tag.txt" 2>"$WORK/virtio.$tag.err"
}

# The guest's modules, each as /proc/modules placed it, and virtio_blk's
# build-id as its sysfs note, its debug file and the trace have it.
check_module_info() {
	local n want got bid dbg sysfs

	n=$(header_field "$OUT/virtio.data" module-info)
	want=$(grep -c . "$OUT/modules")
	[[ $n == "$want modules" ]] || {
		bad "module-info: '$n', the guest had $want modules"
		return
	}
	want=$(awk '$1 == "virtio_blk" { print $6, $2 }' "$OUT/modules")
	got=$(module_line virtio_blk)
	[[ -n $want && ${got% *} == "$want" ]] || {
		bad "virtio_blk recorded at '${got% *}', /proc/modules has '$want'"
		return
	}
	bid=${got##* }
	dbg=$(elf_build_id "$(mod_debug virtio_blk)")
	sysfs=$(notes_build_id "$OUT/virtio_blk.notes")
	[[ $bid == "$dbg" && $bid == "$sysfs" ]] || {
		bad "virtio_blk build-id: trace '$bid', debug file '$dbg', guest sysfs '$sysfs'"
		return
	}
	REASON="$n; virtio_blk at ${got% *} bytes, build-id $bid"
}

# Every hit of each watch at its function's first byte, each watch hit.
check_module_hits() {
	local w sym addr hits at counts=

	report -i "$OUT/virtio.data" --format json >"$WORK/virtio.json" 2>"$WORK/virtio.json.err" || {
		bad "report --format json failed: $(head -n 1 "$WORK/virtio.json.err")"
		return
	}
	w=0
	for sym in "$MOD_SYM" "$BATCH_SYM" "$RING_SYM"; do
		addr=$(header_field "$OUT/virtio.data" "watch-$w" | sed -n 's/.* = \(0x[0-9a-f]*\)$/\1/p')
		hits=$(jq -c --argjson w "$w" 'select(.watch == $w)' "$WORK/virtio.json" | wc -l)
		at=$(jq -c --argjson w "$w" --arg a "$addr" --arg s "$sym" \
			'select(.watch == $w and .ip == $a and .stack[0].sym == $s and .stack[0].off == 0)' \
			"$WORK/virtio.json" | wc -l)
		((hits >= 1)) || {
			bad "no hits on $sym ($addr) for $READS reads"
			return
		}
		((at == hits)) || {
			bad "$((hits - at)) of $hits hits of watch $w not at $sym+0 ($addr)"
			return
		}
		counts+=", $hits at $sym"
		w=$((w + 1))
	done
	REASON=${counts#, }
}

# REPORT names each watched function at its address with the module and
# file:line, and gives every module frame file:line: what a module's
# DWARF, placed where its sections were loaded, says.
module_frames_dwarf() {
	local out=$WORK/virtio.$1.txt w sym mod file a re n

	w=0
	for sym in "$MOD_SYM" "$BATCH_SYM" "$RING_SYM"; do
		mod=virtio_blk file=drivers/block/virtio_blk.c
		[[ $sym == "$RING_SYM" ]] && mod=virtio_ring file=drivers/virtio/virtio_ring.c
		a=$(header_field "$OUT/virtio.data" "watch-$w" | sed -n 's/.* = 0x\([0-9a-f]*\)$/\1/p')
		re="^ *0x$a: $sym \\[$mod\\] @ 0x$a\\+0x0 $(src "$file")\$"
		grep -Eq "$re" "$out" || {
			bad "no '0x$a: $sym [$mod] @ 0x$a+0x0 ($file:N)'; it shows '$(grep -m1 " $sym " "$out" | sed 's/^ *//')'"
			return
		}
		w=$((w + 1))
	done
	n=$(grep -E ' \[virtio_(blk|ring)\] @ ' "$out" | grep -cvE ' \(\S+:[0-9]+\)$')
	((n == 0)) || {
		bad "$n module frames without file:line: $(grep -E ' \[virtio_(blk|ring)\] @ ' "$out" | grep -vE ' \(\S+:[0-9]+\)$' | head -n 1 | sed 's/^ *//')"
		return
	}
	REASON="$(grep -cE ' \[virtio_(blk|ring)\] @ ' "$out") module frames with file:line; $(grep -Eom1 "$MOD_SYM \\[virtio_blk\\] @ .*" "$out")"
}

# said TAG MODULE PATH: report said it took MODULE's symbols from PATH.
said() {
	grep -Fxq "kmemsnoop: symbols for module $2 from $3" "$WORK/virtio.$1.err" || {
		bad "no 'symbols for module $2 from $3' on stderr: $(head -n 2 "$WORK/virtio.$1.err" | tr '\n' ' ')"
		return 1
	}
}

# ROOT/usr/lib/debug/.build-id/xx/rest.debug for each module's debug file.
check_module_build_id() {
	local root=$WORK/mod-bid f link rc=0

	while read -r f; do
		debug_link "$root" "$f" >/dev/null
	done < <(find "$KDIR/modules-dbg" -name '*.ko')
	link=$(debug_link "$root" "$(mod_debug virtio_blk)")
	virtio_report bid "$root" || rc=$?
	((rc == 0)) || {
		bad "report exit $rc: $(head -n 1 "$WORK/virtio.bid.err")"
		return
	}
	said bid virtio_blk "$link" && module_frames_dwarf bid
}

# Where Debian's -dbg package installs them: /usr/lib/debug/lib/modules/RELEASE.
check_module_dbg_tree() {
	local root=$WORK/mod-tree rc=0 dir

	dir=$root/usr/lib/debug/lib/modules
	mkdir -p "$dir" && ln -sfn "$KDIR/modules-dbg/lib/modules/$RELEASE" "$dir/$RELEASE"
	virtio_report tree "$root" || rc=$?
	((rc == 0)) || {
		bad "report exit $rc: $(head -n 1 "$WORK/virtio.tree.err")"
		return
	}
	said tree virtio_blk "$dir/$RELEASE/kernel/drivers/block/virtio_blk.ko" &&
		module_frames_dwarf tree
}

# --modules DIR: the extracted debug tree, searched by name.
check_module_dir() {
	local rc=0

	virtio_report dir "" --modules "$KDIR/modules-dbg" || rc=$?
	((rc == 0)) || {
		bad "report exit $rc: $(head -n 1 "$WORK/virtio.dir.err")"
		return
	}
	said dir virtio_blk "$(mod_debug virtio_blk)" && module_frames_dwarf dir
}

# No debug files anywhere: the snapshot names the frames, without file:line.
check_module_fallback() {
	local rc=0 out=$WORK/virtio.none.txt a n

	virtio_report none || rc=$?
	((rc == 0)) || {
		bad "report exit $rc: $(head -n 1 "$WORK/virtio.none.err")"
		return
	}
	grep -q "^kmemsnoop: no debug file for module virtio_blk " "$WORK/virtio.none.err" || {
		bad "no 'no debug file for module virtio_blk' on stderr: $(head -n 2 "$WORK/virtio.none.err" | tr '\n' ' ')"
		return
	}
	a=$(watch_addr "$OUT/virtio.data")
	grep -Eq "^ *$a: $MOD_SYM \\[virtio_blk\\] @ $a\\+0x0\$" "$out" || {
		bad "no '$a: $MOD_SYM [virtio_blk] @ $a+0x0' from the snapshot; it shows '$(grep -m1 " $MOD_SYM " "$out" | sed 's/^ *//')'"
		return
	}
	n=$(grep -cE ' \[virtio_(blk|ring)\] @ .*\)$' "$out")
	((n == 0)) || {
		bad "$n module frames with a file:line, from no debug file"
		return
	}
	REASON="$(grep -cE ' \[virtio_(blk|ring)\] @ ' "$out") module frames named from kallsyms"
}

# Names from the modules' DWARF are the snapshot's: the sections were
# placed where the guest loaded them.
check_module_frames_alike() {
	local f1=$WORK/virtio.none.f f2=$WORK/virtio.dir.f

	[[ -s $WORK/virtio.none.txt && -s $WORK/virtio.dir.txt ]] || {
		bad "needs module_fallback's and module_dir's reports"
		return
	}
	sed -n 's/^ *0x\([0-9a-f]*\): \([^ ]*\) \[\(virtio_[a-z]*\)\] @ .*/\1 \2 \3/p' "$WORK/virtio.none.txt" | sort -u >"$f1"
	sed -n 's/^ *0x\([0-9a-f]*\): \([^ ]*\) \[\(virtio_[a-z]*\)\] @ .*/\1 \2 \3/p' "$WORK/virtio.dir.txt" | sort -u >"$f2"
	[[ -s $f1 ]] || {
		bad "no module frames in the reports"
		return
	}
	cmp -s "$f1" "$f2" || {
		bad "frames differ, kallsyms vs DWARF: $(diff "$f1" "$f2" | grep '^[<>]' | head -n 2 | tr '\n' ' ')"
		return
	}
	REASON="$(wc -l <"$f1") module frames named alike"
}

# debuginfod on 127.0.0.1 serving virtio_blk's debug file, nothing local.
check_module_debuginfod() {
	local srv=$WORK/mod-dbgd-root rc=0 id

	mkdir -p "$srv" "$WORK/mod-dbgd-debug" "$WORK/mod-empty"
	cp "$(mod_debug virtio_blk)" "$srv/"
	id=$(elf_build_id "$srv/virtio_blk.ko")
	unshare -m -n --propagation private tests/guest/isolated-report.sh \
		"$WORK/mod-dbgd-debug" --debuginfod "$srv" "$WORK/mod-dbgd-cache" -- \
		env KMEMSNOOP_DEBUG_ROOT="$WORK/mod-empty" timeout "$REPORT_TIMEOUT" \
		"$KM" report -i "$OUT/virtio.data" --vmlinux "$VMLINUX" \
		>"$WORK/virtio.dbgd.txt" 2>"$WORK/virtio.dbgd.err" || rc=$?
	((rc == 0)) || {
		bad "exit $rc: $(head -n 1 "$WORK/virtio.dbgd.err")"
		return
	}
	said dbgd virtio_blk "$WORK/mod-dbgd-cache/$id/debuginfo" || return
	grep -Eq " $MOD_SYM \\[virtio_blk\\] @ 0x[0-9a-f]+\\+0x0 $(src drivers/block/virtio_blk.c)\$" "$WORK/virtio.dbgd.txt" || {
		bad "found it but no $MOD_SYM (drivers/block/virtio_blk.c:N) frame"
		return
	}
	REASON=$(grep -m1 '^kmemsnoop: symbols for module virtio_blk' "$WORK/virtio.dbgd.err")
}

# Live mode with --modules /modules-dbg (guest-run.sh): it said where it
# found virtio_blk's debug file, printed $LIVE_HITS hits, and each one's
# first frame exactly as report prints the same frame from the same file.
check_module_live() {
	local out=$OUT/live_modules.txt a want frames rc=0

	grep -Fxq "kmemsnoop: symbols for module virtio_blk from /modules-dbg/lib/modules/$RELEASE/kernel/drivers/block/virtio_blk.ko" \
		"$OUT/live_modules.err" || {
		bad "no 'symbols for module virtio_blk from /modules-dbg/...' on live's stderr: $(head -n 2 "$OUT/live_modules.err" | tr '\n' ' ')"
		return
	}
	[[ $(grep -c '^#[0-9]' "$out") == "$LIVE_HITS" ]] || {
		bad "$(grep -c '^#[0-9]' "$out") hits printed, want $LIVE_HITS"
		return
	}
	virtio_report live "" --modules "$KDIR/modules-dbg" || rc=$?
	((rc == 0)) || {
		bad "report exit $rc: $(head -n 1 "$WORK/virtio.live.err")"
		return
	}
	a=$(watch_addr "$OUT/virtio.data")
	want=$(grep -m1 -E "^ *$a: $MOD_SYM " "$WORK/virtio.live.txt" | sed 's/^ *//')
	frames=$(awk '/^#[0-9]/ { getline; sub(/^ */, ""); print }' "$out" | sort -u)
	if [[ -z $want || $frames != "$want" ]] ||
		! grep -Eq "$(src drivers/block/virtio_blk.c)\$" <<<"$want"; then
		bad "live's first frames '$(echo "$frames" | paste -sd '|' -)', report's '$want'"
		return
	fi
	REASON="$LIVE_HITS hits at $want"
}
