#!/bin/sh
# t/bench/run.sh: run every t/bench/bench-*.sh (make bench). Benchmarks
# measure and report; they never fail on a figure, only on broken output.
cd "$(dirname "$0")/../.." || exit 111
rc=0
for b in t/bench/bench-*.sh; do
	[ -f "$b" ] || continue
	echo "== $b"
	sh "$b" || rc=1
done
exit $rc
