#!/bin/sh
# t/logpipe.sh: the log pipe under every state of the supervision tree.
# A service writing to its log must never get SIGPIPE or EPIPE, whatever
# part of the tree above it is dead (supervise, logger, svscan, any two or
# all three), and a logger started afterwards finds every line the
# service wrote meanwhile.
#
# Not tested here (t/chaos.sh does it at random): a logger SIGKILLed in
# the middle of a write, which may replay what it wrote (svlog.8).
. "$(dirname "$0")/lib.sh"
. "$TOP/t/helpers/sv.sh"

PATH=$HELPERS:$PATH
export PATH
for h in lines; do
	[ -x "$HELPERS/$h" ] || make -s -C "$TOP" "t/helpers/bin/$h" >/dev/null
done

# start_sv DIR: supervise $T/DIR in the background. Sets SVPID.
start_sv() {
	(cd "$T" && exec supervise "$1" >>"$T/$1.stdout" 2>>"$T/$1.err") &
	SVPID=$!
}

# log_lines DIR: every line svlog kept in DIR, oldest file first.
log_lines() {
	for f in $(ls "$1" 2>/dev/null | grep '^@' | sort) current; do
		[ -f "$1/$f" ] && cat "$1/$f"
	done
}

# nlines DIR: how many lines log_lines has.
nlines() { log_lines "$1" | wc -l | tr -d ' '; }
has_lines() { [ "$(nlines "$1")" -ge "$2" ]; }

# in_order DIR N: the numbers 1..N, each once, in order, ignoring
# replays of what a killed logger had written (svlog.8).
in_order() {
	log_lines "$1" | awk -v n="$2" '
	    { v = $1 + 0; if (v <= max) next; if (v != max + 1) bad = 1; max = v }
	    END { exit bad || max != n }'
}

### 1. supervise and logger SIGKILLed together while the service writes:
### the service keeps writing (nobody reads: it blocks, it does not die).

mkrun "$T/a" 'lines 1 20000 "" 20000
echo $? > ../a.rc
exec sleep 1000'
mkdir -p "$T/a/log"
mkscript "$T/a/log/run" 'exec svlog -t none ../../a.log'
start_sv a
SV=$SVPID
check "a: service and logger up" wait_until 5 eval \
    'is_up "$T/a" && is_up "$T/a/log"'
P=$(st_pid "$T/a")
L=$(st_pid "$T/a/log")
check "a: lines reach the log" wait_until 5 has_lines "$T/a.log" 100
kill -9 "$SV" "$L"
check "a: supervise and logger gone" wait_until 5 eval 'gone "$SV" && gone "$L"'
check "a: the service outlives both (1 s, no SIGPIPE)" holds_for 1000 eval \
    'alive "$P" && [ ! -e "$T/a.rc" ]'
start_sv a
SV=$SVPID
check "a: a new supervise adopts the same service" wait_until 5 \
    hist_has "$T/a" " adopt pid=$P\$"
check "a: and starts a new logger" wait_until 5 eval \
    'is_up "$T/a/log" && [ "$(st_pid "$T/a/log")" != "$L" ]'
check "a: every line logged" wait_until 20 has_lines "$T/a.log" 20000
check "a: 1..20000 in order, none lost" in_order "$T/a.log" 20000
wait_until 5 test -s "$T/a.rc"
check_eq "a: every write succeeded" 0 "$(cat "$T/a.rc" 2>/dev/null)"
check_eq "a: same pid" "$P" "$(st_pid "$T/a")"
check_eq "a: started once (status starts counter)" 1 "$(st_starts "$T/a")"
check_eq "a: one start and no exit in history" "1 0" \
    "$(hist_count "$T/a" " start pid=") $(hist_count "$T/a" " exit pid=")"

### 2. Everything dead at once (supervise, logger, and the writer's pipe
### full): the service blocks and waits; the next tree drains it.

mkrun "$T/b" 'while [ ! -e ../b.go ]; do sleep 0.01; done
lines 1 300000 "" 0
echo $? > ../b.rc
exec sleep 1000'
mkdir -p "$T/b/log"
mkscript "$T/b/log/run" 'exec svlog -t none ../../b.log'
start_sv b
SV=$SVPID
check "b: service and logger up" wait_until 5 eval \
    'is_up "$T/b" && is_up "$T/b/log"'
P=$(st_pid "$T/b")
L=$(st_pid "$T/b/log")
kill -9 "$SV" "$L"
wait_until 5 eval 'gone "$SV" && gone "$L"'
touch "$T/b.go"
# blocked PID: PID's child (lines) asleep in the kernel, not finished: a
# writer on a full pipe.
blocked() {
	c=$(cat "/proc/$1/task/$1/children" 2>/dev/null | tr -d ' ')
	[ -n "$c" ] && [ "$(pstate "$c")" = S ] && [ ! -e "$T/b.rc" ]
}
check "b: the service blocks on the full pipe" wait_until 5 blocked "$P"
check "b: and stays alive (1 s)" holds_for 1000 eval \
    'alive "$P" && [ ! -e "$T/b.rc" ]'
start_sv b
SV=$SVPID
check "b: adopted" wait_until 5 hist_has "$T/b" " adopt pid=$P\$"
check "b: every line logged" wait_until 30 has_lines "$T/b.log" 300000
check "b: 1..300000 in order, none lost" in_order "$T/b.log" 300000
wait_until 5 test -s "$T/b.rc"
check_eq "b: every write succeeded" 0 "$(cat "$T/b.rc" 2>/dev/null)"
check_eq "b: started once" 1 "$(st_starts "$T/b")"
check "b: no exit recorded" eval '! hist_has "$T/b" " exit pid="'
ctl "$T/b" x
check "b: 'x' ends it" wait_until 10 gone "$SV"
check_eq "b: nothing left" 0 "$(nprocs_under "$T/b")"

### 3. supervise SIGKILLed just after it started a logger, before it wrote
### the logger's status (the window between fork and the status write):
### the next supervise finds that logger by its end of the log pipe and
### adopts it, rather than starting a second one.

mkrun "$T/c" 'exec lines 1 1000000 "" 100000'
mkdir -p "$T/c/log"
mkscript "$T/c/log/run" 'exec svlog -t none ../../c.log'
start_sv c
SV=$SVPID
check "c: service and logger up" wait_until 5 eval \
    'is_up "$T/c" && is_up "$T/c/log"'
L=$(st_pid "$T/c/log")
kill -9 "$SV"
wait_until 5 gone "$SV"
# The status as it was before that logger started: none at all.
rm -f "$T/c/log/supervise/status"
n0=$(hist_count "$T/c/log" " start pid=")
start_sv c
SV=$SVPID
check "c: the logger found and adopted" wait_until 5 \
    hist_has "$T/c/log" " adopt pid=$L "
check "c: one logger, and it is the old one (1 s)" holds_for 1000 eval \
    '[ "$(st_pid "$T/c/log")" = "$L" ] &&
    [ "$(pids_under "$T/c.log" | wc -l | tr -d " ")" = 1 ]'
check_eq "c: no second logger started" "$n0" "$(hist_count "$T/c/log" " start pid=")"
ctl "$T/c" x
check "c: 'x' ends it" wait_until 10 gone "$SV"
check_eq "c: nothing left" 0 "$(nprocs_under "$T/c")"

done_testing
