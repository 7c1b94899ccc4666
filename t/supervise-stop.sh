#!/bin/sh
# t/supervise-stop.sh: black-box tests of supervise: x and SIGTERM with a logger (last words logged),
# timeout-kill, a leftover process group emptied before the restart.
# Service directories in a scratch directory, observed only through their
# files (supervise/status, stat, pid, history), supervise's exit status and
# stderr, and what the services themselves write down. The other areas are
# in t/supervise-*.sh; the shared set-up is in t/helpers/sv.sh.
# Not tested here: down-signal.
. "$(dirname "$0")/lib.sh"
. "$TOP/t/helpers/sv.sh"
supervise_setup

### x and SIGTERM with a logger: the service's last words reach the log.

for d in xl tl; do
	mkrun "$T/$d" 'trap "echo bye; exit 0" TERM
echo hello
while :; do sleep 1000 & wait $!; done'
	mkdir -p "$T/$d/log"
	mkscript "$T/$d/log/run" "exec cat >> ../../$d.out"
	echo 1 > "$T/$d/min-uptime"
done
start_sv xl
PID_XL=$SVPID
start_sv tl
PID_TL=$SVPID
check "xl: logger gets hello" wait_until 5 last_line "$T/xl.out" hello
check "tl: logger gets hello" wait_until 5 last_line "$T/tl.out" hello
check "xl: logger is up" is_up "$T/xl/log"
LOGPID=$(st_pid "$T/xl/log")
ctl "$T/xl" x
exit_of "$PID_XL"
check_eq "xl: 'x' supervise exits 0" 0 $?
check_eq "xl: TERM trap's line reached the logger" "hello
bye" "$(cat "$T/xl.out")"
check "xl: the logger ended on end of input (exit code=0)" \
    hist_has "$T/xl/log" "exit pid=$LOGPID code=0 "
check_eq "xl: logger stat down" down "$(statf "$T/xl/log")"
check_eq "xl: no process left" 0 "$(nprocs_under "$T/xl")"
kill -TERM "$PID_TL"
exit_of "$PID_TL"
check_eq "tl: SIGTERM: supervise exits 0" 0 $?
check_eq "tl: SIGTERM: TERM trap's line reached the logger" "hello
bye" "$(cat "$T/tl.out")"
check_eq "tl: SIGTERM: no process left" 0 "$(nprocs_under "$T/tl")"
check "tl: SIGTERM: recorded as shutdown, then exit" \
    hist_has "$T/tl" "exit pid=[0-9]+ code=0 "

### timeout-kill: TERM ignored, SIGKILL after 300 ms.

mkrun "$T/tk" "trap '' TERM; exec sleep 1000"
echo 300 > "$T/tk/timeout-kill"
start_sv tk
check "tk: up" wait_until 5 is_up "$T/tk"
TP=$(st_pid "$T/tk")
ctl "$T/tk" d
check "tk: stat 'run, got TERM, want down'" wait_until 2 stat_is "$T/tk" \
    "run, got TERM, want down"
check_eq "tk: got-TERM byte" 1 "$(st_term "$T/tk")"
check "tk: SIGKILLed, down" wait_until 5 is_down "$T/tk"
check "tk: history kill" hist_has "$T/tk" " kill pgid=$TP\$"
check "tk: history exit signal=KILL" hist_has "$T/tk" "exit pid=$TP signal=KILL"
dl=$(grep ' down$' "$T/tk/supervise/history")
kl=$(grep ' kill pgid=' "$T/tk/supervise/history")
gap=$(secs_between "$dl" "$kl")
check "tk: kill about 300 ms after down ($gap)" eval 'ge "$gap" 0.28 && lt "$gap" 1.5'

### Leftover process group: killed before the restart, nothing stray.

mkrun "$T/lo" 'n=$(cat ../lo.n 2>/dev/null || echo 0)
n=$((n + 1))
echo $n > ../lo.n
if [ $n = 1 ]; then sleep 1000 & echo $! > ../lo.child; exit 0; fi
if [ $n = 2 ]; then
	sh -c "trap \"\" TERM; echo \$\$ > ../lo.child2; exec sleep 1000" &
	while [ ! -s ../lo.child2 ]; do sleep 0.01; done
	exit 0
fi
exec sleep 1000'
echo 1 > "$T/lo/min-uptime"
echo 200 > "$T/lo/timeout-kill"
start_sv lo
check "lo: third run up" wait_until 8 eval \
    '[ "$(cat "$T/lo.n" 2>/dev/null)" = 3 ] && is_up "$T/lo"'
C1=$(cat "$T/lo.child")
C2=$(cat "$T/lo.child2")
check "lo: first child (TERM) gone" gone "$C1"
check "lo: second child (ignores TERM) gone" gone "$C2"
check_eq "lo: two cleanups" 2 "$(hist_count "$T/lo" " cleanup pgid=")"
check "lo: the TERM-ignoring child got KILL" hist_has "$T/lo" " kill pgid="
check "lo: cleanup before the next start" eval \
    'grep -E " (cleanup|start)" "$T/lo/supervise/history" | awk "{print \$2}" |
    tr "\n" " " | grep -qx "start cleanup start cleanup start "'
check_eq "lo: only supervise and the third run are left" 2 "$(nprocs_under "$T/lo")"

done_testing
