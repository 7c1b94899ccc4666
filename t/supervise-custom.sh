#!/bin/sh
# t/supervise-custom.sh: black-box tests of supervise: runit's control/
# customisation (DESIGN.md 3). For a control byte, an executable
# control/LETTER runs first; its exit 0 means the byte's signal is not
# sent. d and x run control/t (for their TERM), then control/d or
# control/x; control/u runs before every start, so o means u; the
# logger's control is not customised; a script is bounded by
# timeout-finish; bytes wait, in order, while a script runs.
. "$(dirname "$0")/lib.sh"
. "$TOP/t/helpers/sv.sh"
supervise_setup

# A service that writes down each signal it gets; TERM ends it.
svc_body='echo $$ > ../c.pid
trap "echo HUP >> ../c.sig" HUP
trap "echo USR1 >> ../c.sig" USR1
trap "echo TERM >> ../c.sig; exit 0" TERM
while :; do sleep 1000 & wait $!; done'
# control/X: writes its letter to c.log, exits with the number in X.rc.
mkctl() {
	mkscript "$T/c/control/$1" "echo $1 >> ../c.log
exit \$(cat ../$1.rc 2>/dev/null || echo 1)"
}
logged() { [ "$(cat "$T/c.log" 2>/dev/null | tr '\n' ' ')" = "$1" ]; }
sigs() { [ "$(cat "$T/c.sig" 2>/dev/null | tr '\n' ' ')" = "$1" ]; }

mkrun "$T/c" "$svc_body"
mkdir -p "$T/c/control"
for l in u t d x h 1 k; do mkctl $l; done
touch "$T/c/down"
echo 400 > "$T/c/timeout-kill"
start_sv c
check "c: down at start (./down): no control/u yet" \
    wait_until 5 test -p "$T/c/supervise/control"
ctl "$T/c" u
check "u: control/u runs, then the service starts" wait_until 5 \
    eval 'is_up "$T/c" && test -s "$T/c.pid" && logged "u "'
check "u: history: control/u before start" eval \
    'grep -E "control script=u pid=[0-9]+ code=1 |start pid=" \
    "$T/c/supervise/history" | sed "s/.*Z //; s/ .*//" | tr "\n" " " |
    grep -qx "control start "'

# t: control/t exits 1 (the default runs: TERM), then 0 (no TERM).
P1=$(cat "$T/c.pid")
: > "$T/c.log"
echo 0 > "$T/t.rc"
ctl "$T/c" t
check "t, control/t exit 0: the script ran" wait_until 5 logged "t "
check "t, control/t exit 0: no TERM sent" holds_for 300 eval '! test -s "$T/c.sig"'
check_eq "t, control/t exit 0: same run" "$P1" "$(st_pid "$T/c")"
check "t, control/t exit 0: not marked got TERM" eval '[ "$(st_term "$T/c")" = 0 ]'
check "t, control/t exit 0: no signal record" eval \
    '! hist_has "$T/c" "signal sig=TERM"'
echo 1 > "$T/t.rc"
ctl "$T/c" t
check "t, control/t exit 1: TERM sent" wait_until 5 sigs "TERM "
check "t, control/t exit 1: restarted, after control/u" wait_until 5 \
    eval 'logged "t t u " && is_up "$T/c" && [ "$(st_pid "$T/c")" != "$P1" ]'

# h: a failing script lets the default run; a passing one does not.
: > "$T/c.sig"
: > "$T/c.log"
ctl "$T/c" h
check "h, control/h exit 1: HUP sent" wait_until 5 sigs "HUP "
echo 0 > "$T/h.rc"
ctl "$T/c" h
check "h, control/h exit 0: script ran" wait_until 5 logged "h h "
check "h, control/h exit 0: no HUP" holds_for 300 sigs "HUP "
check "h: history control script=h code=0" \
    hist_has "$T/c" "control script=h pid=[0-9]+ code=0 runtime="

# Bytes wait, in order, while a script runs.
mkscript "$T/c/control/h" 'sleep 0.3; echo h >> ../c.log; exit 1'
: > "$T/c.sig"
: > "$T/c.log"
ctl "$T/c" h1
check "h1: HUP (after control/h), then USR1 (after control/1)" \
    wait_until 5 sigs "HUP USR1 "
check "h1: the scripts ran in order" logged "h 1 "

# A hanging script is stopped at timeout-finish, its children too; the
# default then runs.
mkscript "$T/c/control/h" 'sleep 1000 &
echo $! > ../hang.pid
wait'
echo 1500 > "$T/c/timeout-finish"
: > "$T/c.sig"
P2=$(st_pid "$T/c")
ctl "$T/c" t		# restart, so that timeout-finish is read
check "hang: restarted" wait_until 5 \
    eval 'is_up "$T/c" && sigs "TERM " && [ "$(st_pid "$T/c")" != "$P2" ]'
: > "$T/c.sig"
ctl "$T/c" h
check "hang: the script's child started" wait_until 5 test -s "$T/hang.pid"
check "hang: HUP once the script is stopped" wait_until 5 sigs "HUP "
check "hang: warned" grep -q "control/h ran past timeout-finish" "$T/c.err"
check "hang: its child killed too" wait_until 5 gone "$(cat "$T/hang.pid")"
check "hang: history control script=h signal=TERM" \
    hist_has "$T/c" "control script=h pid=[0-9]+ signal=TERM"
rm -f "$T/c/control/h"

# d: control/t exit 0 (no TERM), then control/d; timeout-kill still
# brings the run down.
P2=$(st_pid "$T/c")
: > "$T/c.sig"
: > "$T/c.log"
echo 0 > "$T/t.rc"
ctl "$T/c" d
check "d, control/t exit 0: control/t then control/d" wait_until 5 \
    logged "t d "
check "d, control/t exit 0: no TERM" eval '! test -s "$T/c.sig"'
check "d, control/t exit 0: down by timeout-kill" wait_until 5 is_down "$T/c"
check "d: history kill of the group" hist_has "$T/c" "kill pgid=$P2"
check "d: not restarted" holds_for 300 is_down "$T/c"

# o means u: control/u before the start.
: > "$T/c.log"
ctl "$T/c" o
check "o: control/u, then the run" wait_until 5 \
    eval 'logged "u " && is_up "$T/c"'
# d with control/t exit 1: TERM, then control/d.
echo 1 > "$T/t.rc"
: > "$T/c.sig"
: > "$T/c.log"
ctl "$T/c" d
check "d, control/t exit 1: TERM sent and control/d ran" wait_until 5 \
    eval 'sigs "TERM " && logged "t d " && is_down "$T/c"'

# k: control/k exit 0 keeps the run.
ctl "$T/c" u
check "k: up again" wait_until 5 is_up "$T/c"
P3=$(st_pid "$T/c")
echo 0 > "$T/k.rc"
ctl "$T/c" k
check "k, control/k exit 0: not killed" holds_for 300 \
    eval '[ "$(st_pid "$T/c")" = "$P3" ]'

# x: control/t, then control/x; supervise exits once the run is down.
: > "$T/c.log"
ctl "$T/c" x
check "x: control/t then control/x" wait_until 5 logged "t x "
exit_of "$SVPID"
check_eq "x: supervise exits 0" 0 "$?"

# The logger's control is not customised.
mkrun "$T/l" 'exec sleep 1000'
mkdir -p "$T/l/log/control"
mkscript "$T/l/log/run" 'exec cat > /dev/null'
mkscript "$T/l/log/control/t" 'echo t >> ../../l.log; exit 0'
start_sv l
check "l: logger up" wait_until 5 is_up "$T/l/log"
LP=$(st_pid "$T/l/log")
ctl "$T/l/log" t
check "l: the logger got TERM (no script)" wait_until 5 \
    eval '[ "$(st_pid "$T/l/log")" != "$LP" ] && is_up "$T/l/log"'
check "l: log/control/t never ran" eval '! test -e "$T/l.log"'
ctl "$T/l" x
exit_of "$SVPID"
check_eq "l: supervise exits 0" 0 "$?"

done_testing
