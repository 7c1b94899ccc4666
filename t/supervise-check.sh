#!/bin/sh
# t/supervise-check.sh: black-box tests of supervise's health checks
# (DESIGN.md 2.1): readiness by ./check on the doubling schedule, svc -w
# waiting for it, notification-fd readiness, check-timeout killing the
# check's whole group, check.out, ready-timeout, and an idle supervise
# making no system call once ready. Short timeouts come from the
# services' own config files.
. "$(dirname "$0")/lib.sh"
. "$TOP/t/helpers/sv.sh"
supervise_setup

# A run that becomes ready 300 ms after its start: it writes its pid to
# ./ready, which ./check compares with supervise/pid.
mkready() {
	mkrun "$1" 'sleep 0.3; echo $$ > ready.new; mv ready.new ready
exec sleep 1000'
	mkscript "$1/check" 'n=$(cat ready 2>/dev/null) || exit 1
echo "check of $n"; [ "$n" = "$(cat supervise/pid)" ]'
}

### Readiness by ./check, and svc -u -w waiting for it.

mkready "$T/rd"
touch "$T/rd/down"
start_sv rd
check "rd: supervise up" wait_until 5 test -p "$T/rd/supervise/control"
t0=$(now_ms)
svc -u -w -T 5000 "$T/rd" >"$T/rd.svc" 2>&1
rc=$?
t1=$(now_ms)
check_eq "rd: svc -u -w exits 0" 0 "$rc"
check "rd: svc -u -w returned after the check passed" \
    hist_has "$T/rd" "ready pid=[0-9]+ via=check\$"
check "rd: ... and not before the service was ready ($((t1 - t0)) ms)" \
    test "$((t1 - t0))" -ge 300
check "rd: ready flag set" st_flag "$T/rd" 1
check "rd: svstat says ready" eval 'svstat "$T/rd" | grep -q ", ready"'
s=$(grep ' start pid=' "$T/rd/supervise/history" | tail -n 1)
r=$(grep ' ready pid=' "$T/rd/supervise/history" | tail -n 1)
gap=$(secs_between "$s" "$r")
check "rd: ready after 300 ms seen within 450 ms ($gap s)" \
    eval 'ge "$gap" 0.3 && lt "$gap" 0.45'
check_eq "rd: ready names the run's pid" "$(pidf "$T/rd")" \
    "$(echo "$r" | sed -E 's/.*ready pid=([0-9]+).*/\1/')"
check_eq "rd: check.out holds the last run's output" \
    "check of $(pidf "$T/rd")" "$(cat "$T/rd/supervise/check.out")"

# Idle once ready, with a check but no check-interval: no system call.
if ! command -v strace >/dev/null 2>&1; then
	skip "rd idle: no system call (strace)" \
	    "strace not installed: apt-get install strace"
else
	strace -o "$T/st.out" -p "$SVPID" 2>"$T/st.err" &
	st=$!
	if ! wait_until 5 grep -q 'Process [0-9]* attached' "$T/st.err" 2>/dev/null; then
		kill "$st" 2>/dev/null
		wait "$st"
		skip "rd idle: no system call (strace)" \
		    "strace cannot attach: $(head -n 1 "$T/st.err")"
	else
		# A measurement over a fixed second, not a wait on a result.
		sleep 1
		kill -INT "$st"
		wait "$st"
		check "rd idle: strace saw supervise" \
		    grep -q restart_syscall "$T/st.out"
		check_eq "rd idle: no system call in 1 s (strace)" "" \
		    "$(grep -v '^[0-9 ]*restart_syscall(' "$T/st.out" |
		    grep -v '^+++\|^---')"
	fi
fi

# t: a new run is not ready until its own check passes.
svc -t -w -T 5000 "$T/rd" >/dev/null 2>&1
check_eq "rd: svc -t -w exits 0" 0 "$?"
check_eq "rd: two ready records, one per run" 2 \
    "$(hist_count "$T/rd" " ready pid=")"
check_eq "rd: the second is the new run's" "$(pidf "$T/rd")" \
    "$(grep ' ready pid=' "$T/rd/supervise/history" | tail -n 1 |
    sed -E 's/.*ready pid=([0-9]+).*/\1/')"

### svc -o -w waits for the check too.

svc -d -w -T 5000 "$T/rd" >/dev/null 2>&1
rm -f "$T/rd/ready"
svc -o -w -T 5000 "$T/rd" >"$T/rdo.svc" 2>&1
check_eq "rd: svc -o -w exits 0" 0 $?
check "rd: svc -o -w returned once the new run was ready" \
    eval 'svstat "$T/rd" | grep -q ", ready"'

### A check that never passes: svc -u -w -T fails after T; the schedule
### settles at one run a second.

mkrun "$T/nv" 'exec sleep 1000'
mkscript "$T/nv/check" 'echo x >> ../nv.runs; exit 1'
touch "$T/nv/down"
start_sv nv
check "nv: supervise up" wait_until 5 test -p "$T/nv/supervise/control"
t0=$(now_ms)
svc -u -w -T 500 "$T/nv" >"$T/nv.svc" 2>&1
rc=$?
t1=$(now_ms)
check "nv: svc -u -w -T 500 fails ($rc)" test "$rc" -ne 0
check "nv: ... after 500 ms ($((t1 - t0)) ms)" \
    eval 'test $((t1 - t0)) -ge 500 && test $((t1 - t0)) -lt 3000'
check "nv: up but not ready: svstat says starting" \
    eval 'svstat "$T/nv" | grep -q "^[^;]*: up (pid [0-9]*) [0-9]* seconds, normally down, starting$"'
check "nv: no ready record" eval '! hist_has "$T/nv" " ready "'
check "nv: the check ran at least 5 times in its first second" \
    wait_until 3 lines_at_least "$T/nv.runs" 5
wait_ms 1500 false	# into the 1 s cadence
n0=$(wc -l < "$T/nv.runs")
wait_ms 2000 false	# a measurement over 2 s
n1=$(wc -l < "$T/nv.runs")
check "nv: at most ~1 check a second once capped ($((n1 - n0)) in 2 s)" \
    eval 'test $((n1 - n0)) -ge 1 && test $((n1 - n0)) -le 3'

### ready-timeout: never ready, stopped and restarted.

mkrun "$T/rt" 'exec sleep 1000'
mkscript "$T/rt/check" 'exit 1'
echo 300 > "$T/rt/ready-timeout"
echo 200 > "$T/rt/timeout-kill"
start_sv rt
check "rt: unready recorded" wait_until 5 hist_has "$T/rt" \
    "unready pid=[0-9]+ after=300\$"
check "rt: started again" wait_until 5 eval \
    '[ "$(hist_count "$T/rt" " start pid=")" -ge 2 ]'
check_eq "rt: start, unready, exit, restart, start in order" \
    "start unready exit restart start" \
    "$(sed -E 's/^[^ ]+ ([a-z]+).*/\1/' "$T/rt/supervise/history" |
    grep -E '^(start|unready|exit|restart)$' | head -n 5 | tr '\n' ' ' |
    sed 's/ $//')"
u=$(grep ' unready ' "$T/rt/supervise/history" | head -n 1)
e=$(grep ' exit ' "$T/rt/supervise/history" | head -n 1)
check "rt: stopped by the down signal (TERM)" eval \
    'echo "$e" | grep -q "signal=TERM"'
s=$(grep ' start pid=' "$T/rt/supervise/history" | head -n 1)
gap=$(secs_between "$s" "$u")
check "rt: unready about 300 ms after the start ($gap s)" \
    eval 'ge "$gap" 0.28 && lt "$gap" 0.8'

### check-timeout: a hanging check is killed with its children.

mkrun "$T/ct" 'exec sleep 1000'
mkscript "$T/ct/check" 'sleep 1000 & echo $! > ../ct.child; wait'
echo 200 > "$T/ct/check-timeout"
start_sv ct
check "ct: the check started its child" wait_until 5 test -s "$T/ct.child"
c=$(cat "$T/ct.child")
check "ct: the check's child killed at check-timeout" wait_until 3 gone "$c"
check "ct: checked again after the timeout" wait_until 5 eval \
    '[ "$(cat "$T/ct.child")" != "$c" ]'
check "ct: still not ready" eval '! st_flag "$T/ct" 1'

### check.out keeps the first 4 KiB.

mkrun "$T/big" 'exec sleep 1000'
mkscript "$T/big/check" 'i=0; while [ $i -lt 200 ]; do
echo "0123456789012345678901234567890123456789012345678"; i=$((i + 1)); done'
start_sv big
check "big: ready" wait_until 5 hist_has "$T/big" "ready pid=[0-9]+ via=check"
check_eq "big: check.out is the first 4096 bytes" 4096 \
    "$(wc -c < "$T/big/supervise/check.out" | tr -d ' ')"

### notification-fd: ready via=fd.

mkrun "$T/fd" 'echo >&3; exec sleep 1000'
echo 3 > "$T/fd/notification-fd"
start_sv fd
check "fd: ready via=fd" wait_until 5 hist_has "$T/fd" \
    "ready pid=[0-9]+ via=fd\$"

### Liveness: check-interval, check-failures; a hung service restarted.

mkrun "$T/lv" 'touch ../lv.healthy; exec sleep 1000'
mkscript "$T/lv/check" 'test -f ../lv.healthy'
echo 100 > "$T/lv/check-interval"
echo 3 > "$T/lv/check-failures"
echo 200 > "$T/lv/timeout-kill"
echo 100 > "$T/lv/min-uptime"
start_sv lv
check "lv: ready" wait_until 5 hist_has "$T/lv" "ready pid=[0-9]+ via=check"
p1=$(pidf "$T/lv")
check "lv: svstat -j ready, readysince, checkfailures 0" wait_until 2 eval \
    'svstat -j "$T/lv" | grep -q "\"ready\":true.*\"readysince\":[0-9]*,\"checkfailures\":0,"'
check "lv: passing checks keep it up (600 ms)" holds_for 600 \
    eval '[ "$(pidf "$T/lv")" = "$p1" ]'
rm -f "$T/lv.healthy"
check "lv: svstat shows the streak" wait_until 3 eval \
    'svstat "$T/lv" | grep -q ", check failing [12]/3"'
check "lv: unhealthy after 3 failures" wait_until 5 hist_has "$T/lv" \
    "unhealthy pid=$p1 failures=3\$"
check "lv: restarted by the policy" wait_until 5 eval \
    '[ -n "$(pidf "$T/lv")" ] && [ "$(pidf "$T/lv")" != "$p1" ]'
check_eq "lv: start, ready, unhealthy, exit, start, ready in order" \
    "start ready unhealthy exit start ready" \
    "$(wait_until 5 eval '[ $(hist_count "$T/lv" " ready pid=") -ge 2 ]'
    sed -E 's/^[^ ]+ ([a-z]+).*/\1/' "$T/lv/supervise/history" |
    grep -E '^(ready|unhealthy|exit|start)$' | head -n 6 | tr '\n' ' ' |
    sed 's/ $//')"
check "lv: the exit was by TERM" eval \
    'grep " exit pid=$p1 " "$T/lv/supervise/history" | grep -q signal=TERM'
check "lv: failures counted afresh for the new run" wait_until 2 eval \
    'svstat -j "$T/lv" | grep -q "\"checkfailures\":0,"'

### Every invalid config file reported (not only the first).

mkrun "$T/four" 'exec sleep 1000'
echo abc > "$T/four/timeout-kill"
echo sometimes > "$T/four/restart"
echo 1.5 > "$T/four/min-uptime"
echo 'x y' > "$T/four/backoff-max"
start_sv four
check "four: runs on the defaults" wait_until 5 is_up "$T/four"
check "four: four warnings" wait_until 3 eval \
    '[ "$(grep -c "warning: invalid" "$T/four.err")" -eq 4 ]'
for f in "timeout-kill \"abc\"" "restart \"sometimes\"" \
    "min-uptime \"1.5\"" "backoff-max \"x?y\""; do
	check "four: warning names ./${f%% *} and its value" \
	    grep -q "invalid \./$f, using its default" "$T/four.err"
done
check_eq "four: one history record per bad file, with its value" \
"config file=timeout-kill error=invalid value=abc
config file=min-uptime error=invalid value=1.5
config file=backoff-max error=invalid value=x?y
config file=restart error=invalid value=sometimes" \
    "$(grep -o 'config file=.*' "$T/four/supervise/history")"
check "four: svstat -j configerrors lists them" eval \
    'svstat -j "$T/four" | grep -q "\"configerrors\":\[\"timeout-kill\",\"min-uptime\",\"backoff-max\",\"restart\"\]"'

# orphan_starting NAME: start NAME's supervise, wait until its run is up
# but not ready, then SIGKILL that supervise (the run goes on). Sets ap to
# the run's pid, as the status says.
orphan_starting() {
	os_name=$1	# for the eval, run inside wait_until
	start_sv "$1"
	check "$1: up, starting" wait_until 5 eval \
	    'svstat "$T/$os_name" | grep -q "^[^;]*: up (pid [0-9]*) [0-9]* seconds, starting\$"'
	ap=$(st_pid "$T/$1")
	kill -KILL "$SVPID"
	wait "$SVPID" 2>/dev/null
}

### A run adopted before it was ready: its readiness checks go on.

mkrun "$T/ad" 'exec sleep 1000'
mkscript "$T/ad/check" 'test -f ../ad.ok'
orphan_starting ad
start_sv ad
check "ad: the run adopted" wait_until 5 hist_has "$T/ad" "adopt pid=$ap\$"
check "ad: still starting" eval '! st_flag "$T/ad" 1'
touch "$T/ad.ok"
check "ad: ready via=check once its check passes" wait_until 5 hist_has \
    "$T/ad" "ready pid=$ap via=check\$"
check "ad: svstat says ready" wait_until 2 eval \
    'svstat "$T/ad" | grep -q ", ready"'

### An adopted run that is not ready yet keeps its ready-timeout, counted
### from when it started, not from the adoption: a new supervise must
### not give it a fresh allowance each time the old one dies.

mkrun "$T/au" 'date +%s%3N > ../au.t0; exec sleep 1000'
mkscript "$T/au/check" 'exit 1'
echo 2000 > "$T/au/ready-timeout"
orphan_starting au
wait_ms 800 false	# the run ages; no supervise watches it
start_sv au
ta=$(now_ms)
check "au: the run adopted" wait_until 5 hist_has "$T/au" "adopt pid=$ap\$"
check "au: stopped as unready at its ready-timeout" wait_until 5 \
    hist_has "$T/au" "unready pid=$ap after=2000\$"
tu=$(now_ms)
t0=$(cat "$T/au.t0")
check "au: ... 2 s after it started, not 2 s after the adoption \
($((tu - t0)) ms after the start, $((tu - ta)) after the adoption)" \
    eval 'test $((tu - t0)) -ge 1700 && test $((tu - ta)) -lt 1900'
check "au: its end seen, and a new run started" wait_until 5 eval \
    'hist_has "$T/au" "exit pid=$ap" && [ "$(hist_count "$T/au" " start pid=")" -ge 2 ]'

### A service without a check is ready once started.

mkrun "$T/pl" 'exec sleep 1000'
start_sv pl
check "pl: ready at once" wait_until 5 st_flag "$T/pl" 1
check "pl: no ready record (nothing to wait for)" \
    eval '! hist_has "$T/pl" " ready "'

for d in rd nv rt ct big fd lv four ad au pl; do
	svc -x "$T/$d" 2>/dev/null
done
for d in rd nv rt ct big fd lv four ad au pl; do
	wait_until 10 eval '! [ -e "$T/$d/supervise/ok" ] || ! svok "$T/$d"' \
	    >/dev/null
done
done_testing
