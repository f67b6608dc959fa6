#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make layering: the include rules of docs/architecture.md. Every
# `#include "..."` of the program's sources (and of tools/) is resolved
# to a file, both files are given their layer by directory, and an
# include the including layer may not make is printed as
#
#   FILE:LINE: LAYER includes OTHER-LAYER (PATH)
#
# Exits 1 on any such include, or on one that names no file.
set -u
cd "$(dirname "$0")/.." || exit 1

# The layer of a path from the top of the tree, into $layer (no
# subshell: this runs for every include).
layer_of() {
	case $1 in
	main.c) layer=main ;;
	bpf/*) layer=bpf ;;
	common/trace/*) layer=trace ;;
	common/symbolize/*) layer=symbolize ;;
	common/print/*) layer=print ;;
	common/*/*) layer=unknown ;;
	common/*) layer=common ;;
	record/capture/*) layer=capture ;;
	record/*/*) layer=unknown ;;
	record/*) layer=record ;;
	report/views/*) layer=views ;;
	report/*/*) layer=unknown ;;
	report/*) layer=report ;;
	tools/*) layer=tools ;;
	*) layer=unknown ;;
	esac
}

# What each layer may include besides itself: only what lies below it.
# record and report are two sides that never include each other.
declare -A may=(
	[bpf]=""
	[common]="bpf"
	[symbolize]="common bpf"
	[trace]="symbolize common bpf"
	[print]="trace symbolize common bpf"
	[capture]="print trace symbolize common bpf"
	[record]="capture print trace symbolize common bpf"
	[views]="print trace symbolize common bpf"
	[report]="views print trace symbolize common bpf"
	[tools]="print trace symbolize common bpf"
	[main]="record report capture views print trace symbolize common bpf"
)

# dir/../x.h as x.h, into $path.
normalize() {
	local -a parts out=()
	local p
	IFS=/ read -ra parts <<<"$1"
	for p in "${parts[@]}"; do
		case $p in
		. | '') ;;
		..) ((${#out[@]})) && unset 'out[-1]' ;;
		*) out+=("$p") ;;
		esac
	done
	local IFS=/
	path=${out[*]}
}

bad=0
complain() {
	echo "$1"
	bad=$((bad + 1))
}

# One include, LINE of FILE naming INC.
check_include() {
	local f=$1 n=$2 inc=$3 dir=. from to

	[[ $f == */* ]] && dir=${f%/*}
	layer_of "$f"
	from=$layer
	# The BPF skeletons, generated into the build directory, are the
	# BPF side's interface for capture; the BPF programs find
	# vmlinux.h through -I.
	if [[ $inc == *.skel.h || $from == bpf ]]; then
		to=bpf
	else
		normalize "$dir/$inc"
		if [[ ! -e $path ]]; then
			complain "$f:$n: includes $inc, which is no file"
			return
		fi
		layer_of "$path"
		to=$layer
	fi
	[[ $to == "$from" || " ${may[$from]-} " == *" $to "* ]] ||
		complain "$f:$n: $from includes $to ($inc)"
}

files=(main.c)
while IFS= read -r f; do
	files+=("$f")
done < <(find bpf common record report tools -name '*.[ch]' | sort)

for f in "${files[@]}"; do
	layer_of "$f"
	[[ $layer != unknown ]] ||
		complain "$f: in no layer: place it in docs/architecture.md and here"
done
re='^([^:]+):([0-9]+):#[[:space:]]*include[[:space:]]+"([^"]+)"'
while IFS= read -r hit; do
	[[ $hit =~ $re ]] &&
		check_include "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}" \
			"${BASH_REMATCH[3]}"
done < <(grep -Hn '^#[[:space:]]*include[[:space:]]*"' "${files[@]}")

if ((bad)); then
	echo "layering: $bad include(s) against docs/architecture.md"
	exit 1
fi
echo "layering: ${#files[@]} files, every include within the rules"
