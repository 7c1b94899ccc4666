#!/bin/sh
# t/supervise-throttle.sh: black-box tests of supervise: the restart throttle and backoff, max-restarts,
# healthy runs, the restart file, a missing or unexecutable ./run retried,
# an invalid config file.
# Service directories in a scratch directory, observed only through their
# files (supervise/status, stat, pid, history), supervise's exit status and
# stderr, and what the services themselves write down. The other areas are
# in t/supervise-*.sh; the shared set-up is in t/helpers/sv.sh.
# Not tested here: backoff-max, the logger's throttle.
. "$(dirname "$0")/lib.sh"
. "$TOP/t/helpers/sv.sh"
supervise_setup

# thr: exits at once, so each run is short: restarts after 1 s, then 2 s.
mkrun "$T/thr" 'exit 1'
start_sv thr
PID_THR=$SVPID

# mr: max-restarts 2: after two short runs in a row it is marked failed.
mkrun "$T/mr" 'exit 1'
echo 2 > "$T/mr/max-restarts"
start_sv mr
PID_MR=$SVPID

### Restart throttle (thr started at the top).

check "thr: second delay 2000 recorded" wait_until 6 hist_has "$T/thr" \
    "restart delay=2000\$"
check_eq "thr: delays 1000 then 2000" "restart delay=1000
restart delay=2000" "$(grep -o 'restart delay=.*' "$T/thr/supervise/history" |
    head -n 2)"
l1=$(grep 'restart delay=1000$' "$T/thr/supervise/history" | head -n 1)
s2=$(grep ' start pid=' "$T/thr/supervise/history" | sed -n 2p)
gap=$(secs_between "$l1" "$s2")
check "thr: next start about 1 s after the first short run ($gap)" \
    eval 'ge "$gap" 0.95 && lt "$gap" 1.6'
check "thr: down and waiting flag during the delay" eval \
    'is_down "$T/thr" && st_flag "$T/thr" 32'
check_eq "thr: stat down during the delay" down "$(statf "$T/thr")"
ctl "$T/thr" d
check "thr: 'd' during the delay answered at once" wait_ms 300 eval \
    '! st_flag "$T/thr" 32'
check_eq "thr: want d" 100 "$(st_want "$T/thr")"
THR_STARTS=$(hist_count "$T/thr" " start pid=")
# Checked at the end: no start after the 'd', once the delay has passed.

mkrun "$T/hl" 'sleep 0.3; exit 1'
echo 100 > "$T/hl/min-uptime"
start_sv hl
check "hl: three runs" wait_until 5 eval '[ "$(hist_count "$T/hl" " start pid=")" -ge 3 ]'
check "hl: healthy runs restart at once (no restart delay)" \
    eval '! hist_has "$T/hl" "restart delay"'
check "hl: exits recorded with code=1 runtime >= 0.3" \
    eval 'grep "exit pid=.* code=1 runtime=" "$T/hl/supervise/history" |
    sed "s/.*runtime=//" | awk "\$1 < 0.29 { exit 1 }"'

### max-restarts (mr started at the top).

check "mr: marked failed" wait_until 6 hist_has "$T/mr" " failed"
check "mr: failed flag (byte 21 bit 0x02)" wait_until 2 st_flag "$T/mr" 2
check_eq "mr: two starts" 2 "$(hist_count "$T/mr" " start pid=")"
check "mr: down" is_down "$T/mr"
check_eq "mr: want d" 100 "$(st_want "$T/mr")"
check "mr: left down (300 ms)" holds_for 300 is_down "$T/mr"
check_eq "mr: still two starts" 2 "$(hist_count "$T/mr" " start pid=")"
ctl "$T/mr" u
check "mr: 'u' starts it again" wait_until 5 eval \
    '[ "$(hist_count "$T/mr" " start pid=")" = 3 ]'

### restart file.

mkrun "$T/rn" 'exit 1'
echo never > "$T/rn/restart"
start_sv rn
check "rn: never: ends" wait_until 5 hist_has "$T/rn" "exit pid="
check "rn: never: down" wait_until 5 is_down "$T/rn"
check "rn: never: not restarted (300 ms)" holds_for 300 is_down "$T/rn"
check_eq "rn: never: one start" 1 "$(hist_count "$T/rn" " start pid=")"
check_eq "rn: never: want d" 100 "$(st_want "$T/rn")"
check_eq "rn: never: stat down" down "$(statf "$T/rn")"

mkrun "$T/rf" 'n=$(cat ../rf.n 2>/dev/null || echo 0)
n=$((n + 1))
echo $n > ../rf.n
sleep 0.05
[ $n = 1 ] && exit 1
exit 0'
echo on-failure > "$T/rf/restart"
echo 10 > "$T/rf/min-uptime"
start_sv rf
check "rf: on-failure: exit 1 restarted" wait_until 5 eval \
    '[ "$(hist_count "$T/rf" " start pid=")" -ge 2 ]'
check "rf: on-failure: exit 0 leaves it down" wait_until 5 hist_has "$T/rf" \
    "code=0 runtime"
check "rf: on-failure: down" wait_until 5 is_down "$T/rf"
check "rf: on-failure: not restarted (300 ms)" holds_for 300 is_down "$T/rf"
check_eq "rf: on-failure: two starts" 2 "$(hist_count "$T/rf" " start pid=")"

### Bad input.

# mrun: no ./run yet; nx: ./run not executable.
mkdir "$T/mrun"
start_sv mrun
PID_MRUN=$SVPID
mkdir "$T/nx"
printf '#!/bin/sh\nexec sleep 1000\n' > "$T/nx/run"
chmod 644 "$T/nx/run"
start_sv nx
PID_NX=$SVPID

# mrun (no ./run) and nx (not executable), started above.
check "mrun: warning: missing" wait_until 5 grep -qx \
    "supervise mrun: warning: unable to start ./run: missing" \
    "$T/mrun.err"
check "mrun: history broken problem=missing" \
    hist_has "$T/mrun" " broken file=run problem=missing\$"
check "mrun: supervise keeps running" alive "$PID_MRUN"
mkrun "$T/mrun" 'exec sleep 1000'
check "mrun: starts once run appears" wait_until 6 is_up "$T/mrun"
check "mrun: retried with a delay" hist_has "$T/mrun" " restart delay=1000\$"

check "nx: warning: not executable" wait_until 5 grep -qx \
    "supervise nx: warning: unable to start ./run: not executable" "$T/nx.err"
check "nx: history broken problem=notexec" \
    hist_has "$T/nx" " broken file=run problem=notexec\$"
chmod 755 "$T/nx/run"
check "nx: starts once run is executable" wait_until 6 is_up "$T/nx"

mkrun "$T/bad" 'exec sleep 1000'
echo abc > "$T/bad/timeout-kill"
start_sv bad
check "bad timeout-kill: service still runs" wait_until 5 is_up "$T/bad"
check "bad timeout-kill: warning names the file" wait_until 5 grep -q \
    "^supervise bad: warning: .*timeout-kill" "$T/bad.err"
check_eq "bad timeout-kill: one line on stderr" 1 "$(wc -l < "$T/bad.err")"
check "bad timeout-kill: config error flag" st_flag "$T/bad" 128
check "bad timeout-kill: in history" hist_has "$T/bad" "timeout-kill"
check "bad timeout-kill: svstat says bad config" sh -c \
    "svstat '$T/bad' | grep -q ', bad config'"
check "bad timeout-kill: svstat -j configerror" sh -c \
    "svstat -j '$T/bad' | grep -q '\"configerror\":true'"

### Checks left for the end (their deadlines have passed by now).

# thr got 'd' during a 2 s restart delay; that delay has run out.
# past EPOCH: the clock has passed EPOCH (seconds, decimals allowed).
past() { ge "$(date +%s.%N)" "$1"; }
rl=$(grep 'restart delay=2000' "$T/thr/supervise/history")
due=$(date -d "${rl%% *}" +%s.%N | awk '{ printf "%.3f\n", $1 + 2.3 }')
wait_until 5 past "$due"
check_eq "thr: after 'd' in the delay: no new start" "$THR_STARTS" \
    "$(hist_count "$T/thr" " start pid=")"
check "thr: still down" is_down "$T/thr"
check_eq "thr: stat down" down "$(statf "$T/thr")"

done_testing
