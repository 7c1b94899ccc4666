#!/bin/sh
# t/fuzz/run.sh SECONDS [NAME...]: run each libFuzzer harness t/fuzz/bin/
# fuzz_NAME (all of them by default) for SECONDS, starting from the seed
# corpus t/fuzz/corpus/NAME (read, never written: new inputs go to a
# scratch directory). One line per harness:
#   fuzz_NAME: N executions in S s, no finding
# A crash, sanitizer report, leak or hang (-timeout) leaves its input in
# t/fuzz/findings/ and makes the exit status 1. Build them first: make
# fuzz-build (make fuzz does both).
cd "$(dirname "$0")/../.." || exit 111
secs=${1:-60}
shift
[ $# -gt 0 ] || set -- $(ls t/fuzz/fuzz_*.c | sed 's|t/fuzz/fuzz_||; s|\.c$||')
scratch=$(mktemp -d "${TMPDIR:-/tmp}/tend-fuzz.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
mkdir -p t/fuzz/findings
bad=0
for n in "$@"; do
	b=t/fuzz/bin/fuzz_$n
	if [ ! -x "$b" ]; then
		echo "fuzz_$n: not built (make fuzz-build)"
		bad=1
		continue
	fi
	mkdir -p "$scratch/$n" "t/fuzz/corpus/$n"
	"$b" -max_total_time="$secs" -timeout=5 -rss_limit_mb=2048 \
	    -max_len=4096 -print_final_stats=1 \
	    -artifact_prefix="t/fuzz/findings/$n-" \
	    "$scratch/$n" "t/fuzz/corpus/$n" >"$scratch/$n.log" 2>&1
	r=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$scratch/$n.log")
	t=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$scratch/$n.log")
	if [ "$r" -eq 0 ]; then
		echo "fuzz_$n: ${runs:-?} executions in $secs s (${t:-?}/s), no finding"
	else
		echo "fuzz_$n: FINDING (exit $r) after ${runs:-?} executions:"
		grep -E 'ERROR|SUMMARY|runtime error|artifact' "$scratch/$n.log" |
		    head -n 20
		bad=1
	fi
done
exit "$bad"
