#!/bin/sh
# t/run.sh UNIT...: run the Check unit tests given, then every t/*.sh
# black-box test under `env -`, and print one closing line:
#   N passed, N failed, N skipped
# Exit 0 only if nothing failed.
cd "$(dirname "$0")/.." || exit 111
pass=0
fail=0
skipped=0
out=$(mktemp)
# make check found no Check library (t/deps.sh says why): a visible skip.
if [ -n "${UNITS_SKIPPED:-}" ]; then
	echo "skip - unit tests (t/unit/): $UNITS_SKIPPED"
	skipped=$((skipped + 1))
fi
# Check's timeouts (4 s by default, per test) times 4: a loaded CI machine
# under ASan is slow, and a hung test is still caught.
for u in "$@"; do
	if CK_FORK=yes CK_TIMEOUT_MULTIPLIER=${CK_TIMEOUT_MULTIPLIER:-4} "$u" \
	    >"$out" 2>&1; then r=0; else r=1; fi
	cat "$out"
	# Check prints "100%: Checks: N, Failures: F, Errors: E".
	line=$(grep 'Checks:' "$out" | tail -n 1)
	n=$(echo "$line" | sed -n 's/.*Checks: \([0-9]*\).*/\1/p')
	f=$(echo "$line" | sed -n 's/.*Failures: \([0-9]*\).*/\1/p')
	e=$(echo "$line" | sed -n 's/.*Errors: \([0-9]*\).*/\1/p')
	if [ -z "$n" ]; then
		echo "not ok - $u: no Check summary (exit $r)"
		fail=$((fail + 1))
		continue
	fi
	pass=$((pass + n - f - e))
	fail=$((fail + f + e))
	[ "$r" -ne 0 ] && [ $((f + e)) -eq 0 ] && fail=$((fail + 1))
done
for t in ${TESTS:-t/*.sh}; do
	case "$t" in t/lib.sh|t/run.sh|t/deps.sh) continue ;; esac
	env - TMPDIR="${TMPDIR:-/tmp}" ASAN_OPTIONS="${ASAN_OPTIONS:-}" \
	    UBSAN_OPTIONS="${UBSAN_OPTIONS:-}" sh "$t" >"$out" 2>&1
	r=$?
	cat "$out"
	line=$(grep '^# .*: [0-9]* passed, [0-9]* failed, [0-9]* skipped$' "$out" | tail -n 1)
	if [ -z "$line" ]; then
		echo "not ok - $t: died without a summary (exit $r)"
		fail=$((fail + 1))
		continue
	fi
	p=$(echo "$line" | sed 's/.*: \([0-9]*\) passed, \([0-9]*\) failed, \([0-9]*\) skipped$/\1 \2 \3/')
	set -- $p
	pass=$((pass + $1))
	fail=$((fail + $2))
	skipped=$((skipped + $3))
	[ "$r" -ne 0 ] && [ "$2" -eq 0 ] && fail=$((fail + 1)) && echo "not ok - $t: exit $r"
done
rm -f "$out"
echo "$pass passed, $fail failed, $skipped skipped"
[ "$fail" -eq 0 ]
