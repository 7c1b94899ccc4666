#!/bin/sh
# t/svtail.sh: svtail black-box tests.
# Not tested: -f over a processor's previous file; local time zones other
# than UTC (the zone data may be missing).
. "$(dirname "$0")/lib.sh"
cd "$T" || exit 111
TZ=UTC
export TZ

numbered() {
	awk -v n="$1" 'BEGIN { for (i = 1; i <= n; i++) print "line " i }'
}

# --- usage
svtail >out 2>err
check_eq "no DIR: exit 100" 100 $?
check "no DIR: usage" grep -q '^usage: svtail ' err
svtail -s yesterday d >out 2>err
check_eq "bad -s: exit 100" 100 $?
# Digits only: no sign, no blank (num.c).
svtail -n +3 d >out 2>err
check_eq "-n with a sign: exit 100" "100:svtail: fatal: bad number: +3" \
    "$?:$(cat err)"
svtail -n " 3" d >out 2>err
check_eq "-n with a blank: exit 100" 100 $?
svtail -g '(' d >out 2>err
check_eq "bad pattern: exit 100" 100 $?
svtail nothere >out 2>err
check_eq "missing directory: exit 111" 111 $?

# --- across rotated files and current, oldest first
numbered 3000 | svlog -s 4096 -n 1000 log
check "rotated files made" test "$(ls log | grep -c '^@')" -gt 5
check_eq "all lines in order" "$(numbered 3000)" \
    "$(svtail -r log | cut -c29-)"
check_eq "-n 5: the last five" "$(numbered 3000 | tail -n 5)" \
    "$(svtail -r -n 5 log | cut -c29-)"
check_eq "-n 0: nothing" "" "$(svtail -n 0 log)"
check_eq "-g: a pattern on the text" "line 2999" \
    "$(svtail -r -g '^line 2999$' log | cut -c29-)"
check_eq "-g and -n" "line 2899
line 2999" "$(svtail -r -n 2 -g '99$' log | cut -c29-)"
check "local time shown" sh -c \
    "svtail -n 1 log | grep -q '^[0-9-]* [0-9:]*\.[0-9]\{6\} line 3000\$'"

# --- known stamps: -s and -u, local display, gzip archives
mkdir k
cat >k/@20261120T000000.000000Z.s <<'EOF'
2026-11-19T22:00:00.000001Z a
2026-11-19T23:30:00.500000Z b
EOF
printf '2026-11-20T06:00:00.000000Z c\n2026-11-20T07:00:00.000000Z d\n' |
    gzip -c >k/@20261120T070000.000000Z.s
cat >k/current <<'EOF'
2026-11-21T10:00:00.000000Z e
2026-11-21T10:00:00.000000Z+e continued
EOF
check_eq "gzip archive read, UTC display" \
"2026-11-19 22:00:00.000001 a
2026-11-19 23:30:00.500000 b
2026-11-20 06:00:00.000000 c
2026-11-20 07:00:00.000000 d
2026-11-21 10:00:00.000000 e
2026-11-21 10:00:00.000000+e continued" "$(svtail k)"
check_eq "-s time" "d e" \
    "$(svtail -s 2026-11-20T06:30:00Z k | cut -c28- | head -n 2 | tr '\n' ' ' |
    sed 's/ $//')"
check_eq "-u time" "a b" \
    "$(svtail -u 2026-11-19T23:59:59Z k | cut -c28- | tr '\n' ' ' |
    sed 's/ $//')"
check_eq "-s and -u" "c" \
    "$(svtail -s 2026-11-20T00:00:00Z -u 2026-11-20T06:00:00Z k | cut -c28-)"
check_eq "-s local time (TZ=UTC here)" "e" \
    "$(svtail -s '2026-11-21 09:00' -n 1 -g '^e$' k | cut -c28-)"
check_eq "-r keeps stamps as stored" "2026-11-19T22:00:00.000001Z a" \
    "$(svtail -r -n 1 -u 2026-11-19T22:00:00.5Z k)"

# --- durations: relative to now
mkdir rel
old=$(date -u -d '-2 hours' +%Y-%m-%dT%H:%M:%S.000000Z)
new=$(date -u +%Y-%m-%dT%H:%M:%S.000000Z)
printf '%s old\n%s new\n' "$old" "$new" >rel/current
check_eq "-s 90m" "new" "$(svtail -r -s 90m rel | cut -c29-)"
check_eq "-s 3h" "old new" "$(svtail -r -s 3h rel | cut -c29- | tr '\n' ' ' |
    sed 's/ $//')"
check_eq "-s 1d" "2" "$(svtail -s 1d rel | wc -l | tr -d ' ')"
check_eq "-s 5400 (seconds)" "new" "$(svtail -r -s 5400 rel | cut -c29-)"

# --- TAI64N stamps (svlog -t tai64n, multilog, svlogd -t)
printf 'x\n' | svlog -t tai64n tai
check "TAI64N shown in local time" sh -c \
    "svtail tai | grep -q '^[0-9]\{4\}-[0-9][0-9]-[0-9][0-9] [0-9:]*\.[0-9]\{6\} x\$'"

# --- a service directory means its log/main; merge by time with names
mkdir -p sv/web/log/main sv/db/log/main
cat >sv/web/log/main/current <<'EOF'
2026-11-22T03:00:00.000001Z web one
2026-11-22T03:00:00.000003Z web two
EOF
cat >sv/db/log/main/@20261122T030000.000002Z.s <<'EOF'
2026-11-22T03:00:00.000000Z db zero
2026-11-22T03:00:00.000002Z db one
EOF
cat >sv/db/log/main/current <<'EOF'
2026-11-22T03:00:00.000004Z db two
EOF
check_eq "service dir: its log/main" "$(svtail sv/web/log/main)" \
    "$(svtail sv/web)"
check_eq "two services merged by time, named" \
"db: 2026-11-22 03:00:00.000000 db zero
web: 2026-11-22 03:00:00.000001 web one
db: 2026-11-22 03:00:00.000002 db one
web: 2026-11-22 03:00:00.000003 web two
db: 2026-11-22 03:00:00.000004 db two" "$(svtail sv/web sv/db)"
check_eq "merged -n 2: the last two of all" \
"web: 2026-11-22 03:00:00.000003 web two
db: 2026-11-22 03:00:00.000004 db two" "$(svtail -n 2 sv/web sv/db)"
check_eq "names from log/main paths" \
"web: 2026-11-22 03:00:00.000001 web one" \
    "$(svtail -g 'web one' sv/web/log/main sv/db/log/main/)"

# --- -f: follows current, across a rotation, nothing twice
mkfifo f1
svlog -s 4096 -n 1000 flog <f1 &
lp=$!
exec 3>f1
numbered 20 >&3
wait_until 5 sh -c 'test "$(cat flog/current 2>/dev/null | wc -l)" -eq 20'
svtail -r -f flog >fout 2>ferr &
tp=$!
check "-f: the last 10 first" wait_until 5 sh -c \
    'test "$(cut -c29- fout | head -n 1)" = "line 11"'
echo "new one" >&3
check "-f: a new line shows" wait_until 5 grep -q 'new one' fout
kill -ALRM "$lp"
wait_until 5 sh -c 'test ! -s flog/current'
echo "after rotation" >&3
check "-f: a line after a rotation shows" wait_until 5 grep -q \
    'after rotation' fout
awk 'BEGIN { for (i = 1; i <= 500; i++) printf "burst %03d %s\n", i,
    "................................................................" }' >&3
check "-f: through size rotations" wait_until 5 grep -q 'burst 500' fout
check "-f: rotated meanwhile" test "$(ls flog | grep -c '^@')" -gt 3
check_eq "-f: every line once, in order" \
    "$(numbered 20 | tail -n 10; echo 'new one'; echo 'after rotation';
    awk 'BEGIN { for (i = 1; i <= 500; i++) printf "burst %03d %s\n", i,
    "................................................................" }')" \
    "$(cut -c29- fout)"
# Stopped while several rotations pass: the files between are read too.
kill -STOP "$tp"
before=$(ls flog | grep -c '^@')
awk 'BEGIN { for (i = 1; i <= 300; i++) printf "late %03d %s\n", i,
    "................................................................" }' >&3
wait_until 5 grep -q 'late 300' flog/current
check "-f: several rotations while stopped" \
    test "$(ls flog | grep -c '^@')" -ge $((before + 3))
kill -CONT "$tp"
check "-f: caught up" wait_until 5 grep -q 'late 300' fout
check_eq "-f: no line skipped after falling behind" \
    "$(awk 'BEGIN { for (i = 1; i <= 300; i++) printf "late %03d %s\n", i,
    "................................................................" }')" \
    "$(cut -c29- fout | grep '^late')"
kill "$tp"
exec 3>&-
wait "$lp"

cd / # the cleanup kills what runs under $T, this shell included
done_testing
