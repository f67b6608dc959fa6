# SPDX-License-Identifier: GPL-2.0
# Number formatting for the benchmark tables (tools/bench.sh and
# tools/bench_report_dwarf.sh): jq -L tools, then include "bench_fmt";

# The number with $d decimals, rounded; "n/a" for null.
def fmt($d): if . == null then "n/a" else
	(. * pow(10; $d) | round) as $i
	| ($i | fabs | tostring) as $s0
	| ($d + 1 - ($s0 | length)) as $p
	| ((if $p > 0 then "0" * $p else "" end) + $s0) as $s
	| (if $i < 0 then "-" else "" end)
	  + (if $d == 0 then $s else $s[0:($s | length) - $d] + "." + $s[($s | length) - $d:] end)
	end;
