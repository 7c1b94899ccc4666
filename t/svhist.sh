# svhist: records oldest first across history.1 and history, merged by time,
# -n, -r, -s statistics, torn lines skipped, exit statuses.
# Not tested here: the records supervise writes (t/supervise-*.sh do that).
. "$(dirname "$0")/lib.sh"
cd "$T" || exit 1
TZ=UTC
export TZ

mkdir -p a/supervise b/supervise
cat >a/supervise/history.1 <<'H'
2026-11-22T03:00:00.000001Z start pid=10
2026-11-22T03:00:05.500000Z exit pid=10 code=1 runtime=5.500
H
cat >a/supervise/history <<'H'
2026-11-22T03:00:06.500000Z restart delay=1000
2026-11-22T03:00:06.600000Z start pid=11
this line was torn by a cra
2026-11-22T03:10:06.600000Z exit pid=11 signal=TERM runtime=600.000
H
cat >b/supervise/history <<'H'
2026-11-22T03:00:03.000000Z start pid=20
2026-11-22T03:00:04.000000Z exit pid=20 signal=SEGV runtime=1.000
2026-11-22T03:00:04.100000Z spawnfail error=ENOENT
H

out=$(svhist a 2>err)
check_eq "one dir: exit 0" 0 $?
check_eq "one dir: both generations, oldest first, local time, torn line skipped" \
"2026-11-22 03:00:00.000001 start pid=10
2026-11-22 03:00:05.500000 exit pid=10 code=1 runtime=5.500
2026-11-22 03:00:06.500000 restart delay=1000
2026-11-22 03:00:06.600000 start pid=11
2026-11-22 03:10:06.600000 exit pid=11 signal=TERM runtime=600.000" "$out"
check_eq "one dir: nothing on stderr" "" "$(cat err)"

if [ -e /usr/share/zoneinfo/Europe/Paris ]; then
	out=$(TZ=Europe/Paris svhist -n 1 a)
	check_eq "local time follows TZ" \
	    "2026-11-22 04:10:06.600000 exit pid=11 signal=TERM runtime=600.000" "$out"
else
	skip "local time follows TZ" "no zone Europe/Paris: apt-get install tzdata"
fi

out=$(svhist -n 3 -r a b)
check_eq "two dirs, -n 3 -r: merged by time, names in front" \
"b: 2026-11-22T03:00:04.100000Z spawnfail error=ENOENT
a: 2026-11-22T03:00:05.500000Z exit pid=10 code=1 runtime=5.500
a: 2026-11-22T03:00:06.500000Z restart delay=1000
a: 2026-11-22T03:00:06.600000Z start pid=11
a: 2026-11-22T03:10:06.600000Z exit pid=11 signal=TERM runtime=600.000" \
    "$(svhist -n 5 -r a b)"
check_eq "-n 3 keeps the last three" 3 "$(printf '%s\n' "$out" | wc -l)"

out=$(svhist -s a b)
check_eq "-s: statistics per directory" \
"a: starts 2, exits 2, failed 1, mean runtime 302.750 s, longest 600.000 s, last start 2026-11-22 03:00:06.600000
b: starts 1, exits 1, failed 1, could not start 1, mean runtime 1.000 s, longest 1.000 s, last start 2026-11-22 03:00:03.000000" \
    "$out"

# Impossible input: a time before 1970, a negative, a NaN and an
# infinite runtime; only the sane exit is averaged.
mkdir -p c/supervise
cat >c/supervise/history <<'H'
1969-12-31T23:59:59.000000Z start pid=30
2026-11-22T03:00:00.000000Z start pid=31
2026-11-22T03:00:01.000000Z exit pid=31 code=0 runtime=-4762901157668840618.000
2026-11-22T03:00:02.000000Z exit pid=31 code=0 runtime=nan
2026-11-22T03:00:03.000000Z exit pid=31 code=0 runtime=inf
2026-11-22T03:00:04.000000Z exit pid=31 code=0 runtime=2.000
H
out=$(svhist -s c)
check_eq "-s: impossible times skipped, impossible runtimes not averaged" \
"c: starts 1, exits 4, failed 0, mean runtime 2.000 s, longest 2.000 s, 3 impossible runtimes ignored, last start 2026-11-22 03:00:00.000000" \
    "$out"

check_eq "a history file named directly" \
    "2026-11-22 03:00:04.100000 spawnfail error=ENOENT" "$(svhist -n 1 b/supervise/history)"

svhist a missing >out 2>err
check_eq "a missing dir: exit 1" 1 $?
check_eq "a missing dir: one warning" \
    "svhist: warning: unable to read the history of missing: file does not exist" "$(cat err)"
check_eq "a missing dir: the other still shown" 5 "$(wc -l <out)"

svhist >out 2>err
check_eq "no dir: exit 100" 100 $?
check_eq "no dir: message and usage" "svhist: fatal: no directory given
usage: svhist [-n N] [-s] [-r] DIR..." "$(cat err)"
svhist -n x a >out 2>err
check_eq "bad -n: exit 100" 100 $?
# Past 64 bits is out of range, not the largest number (num.c).
svhist -n 99999999999999999999 a >out 2>err
check_eq "-n past 64 bits: exit 100" 100 $?
check "-n past 64 bits: one line and the usage" \
    grep -q '^svhist: fatal: bad number for -n$' err
svhist -Z a >out 2>err
check_eq "unknown option: exit 100" 100 $?
check "unknown option: named" grep -q '^svhist: fatal: unknown option -Z$' err

cd /
done_testing
