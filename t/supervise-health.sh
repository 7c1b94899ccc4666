#!/bin/sh
# t/supervise-health.sh: more of supervise's health checks (DESIGN.md 2.1,
# issue 9 item 7), next to t/supervise-check.sh: the doubling schedule
# measured run by run; what a check runs with (directory, environment,
# stdin, its own process group); one check at a time; a hung service
# restarted after check-failures x check-interval; a check that hangs
# counted as failed at check-timeout, killed with its children, and a
# child ignoring TERM killed 1 s later; a pass resetting the streak;
# check-failures 0; notification-fd with a check (liveness only: no check
# before ready, none at all without check-interval, and then no system
# call); ready-timeout with notification-fd.
# not tested: a check whose output passes 4 KiB while a reader reads
# check.out (the replacement is atomic by atomicfile, tested there).
. "$(dirname "$0")/lib.sh"
. "$TOP/t/helpers/sv.sh"
supervise_setup

# has_lines FILE N: FILE exists with N lines or more.
has_lines() { [ -f "$1" ] && lines_at_least "$1" "$2"; }

# all_gone PID...: every PID has exited.
all_gone() {
	for sv_p; do
		gone "$sv_p" || return 1
	done
}

# gaps FILE: the differences between consecutive lines (ms) of FILE.
gaps() {
	awk 'NR > 1 { printf "%s%d", sep, $1 - prev; sep = " " } { prev = $1 }
	    END { print "" }' "$1"
}

### The doubling schedule: 10, 20, 40 ... ms between runs, capped at 1 s.

mkrun "$T/sch" 'exec sleep 1000'
mkscript "$T/sch/check" 'date +%s%3N >> ../sch.times; exit 1'
start_sv sch
check "sch: ten runs of a check that never passes" wait_until 8 \
    has_lines "$T/sch.times" 10
G=$(head -n 10 "$T/sch.times" >"$T/sch.10" && gaps "$T/sch.10")
# Each gap is the delay plus the run before it (a fork, exec and date):
# at least 90% of the delay, at most 110% plus 80 ms.
check "sch: gaps double from 10 ms to the 1 s cap ($G)" awk -v g="$G" '
    BEGIN {
	n = split(g, a, " ")
	if (n != 9)
		exit 1
	for (i = 1; i <= n; i++) {
		e = 10 * 2 ^ (i - 1)
		if (e > 1000)
			e = 1000
		if (a[i] < 0.9 * e || a[i] > 1.1 * e + 80)
			exit 1
	}
    }'

### What a check runs with: the service directory, supervise's environment,
### stdin /dev/null, a process group of its own.

mkrun "$T/env" 'exec sleep 1000'
mkscript "$T/env/check" 'echo "cwd=$(pwd -P) in=$(readlink /proc/self/fd/0) var=$TEND_T_VAR"
set -- $(sed "s/.*) //" /proc/$$/stat)
echo "group leader=$([ "$3" = $$ ] && echo yes || echo no)"'
TEND_T_VAR=from-supervise
export TEND_T_VAR
start_sv env
unset TEND_T_VAR
check "env: ready" wait_until 5 hist_has "$T/env" "ready pid=[0-9]+ via=check"
check_eq "env: cwd, stdin, environment, process group (check.out)" \
    "cwd=$T/env in=/dev/null var=from-supervise
group leader=yes" "$(cat "$T/env/supervise/check.out")"

### At most one check at a time, even with a check-interval shorter than
### the check.

mkrun "$T/one" 'exec sleep 1000'
mkscript "$T/one/check" 'mkdir ../one.lock 2>/dev/null || echo overlap >> ../one.bad
sleep 0.2; rmdir ../one.lock 2>/dev/null; echo x >> ../one.runs'
echo 10 > "$T/one/check-interval"
start_sv one
check "one: five checks of 200 ms with a 10 ms interval" wait_until 5 \
    has_lines "$T/one.runs" 5
check "one: never two at once" test ! -e "$T/one.bad"

### A hung service (its check starts failing): restarted after
### check-failures x check-interval, not before.

mkrun "$T/hg" 'touch ../hg.ok; exec sleep 1000'
mkscript "$T/hg/check" 'test -f ../hg.ok'
echo 200 > "$T/hg/check-interval"
echo 3 > "$T/hg/check-failures"
echo 200 > "$T/hg/timeout-kill"
start_sv hg
check "hg: ready" wait_until 5 hist_has "$T/hg" "ready pid=[0-9]+ via=check"
p1=$(pidf "$T/hg")
t0=$(now_ms)
rm "$T/hg.ok"
check "hg: unhealthy after 3 failures" wait_until 5 hist_has "$T/hg" \
    "unhealthy pid=$p1 failures=3\$"
t1=$(now_ms)
# The first failure comes 0 to 200 ms after the file goes, the third two
# intervals later.
check "hg: ... 3 x 200 ms after it went bad, not before ($((t1 - t0)) ms)" \
    eval 'test $((t1 - t0)) -ge 380 && test $((t1 - t0)) -le 1500'
check "hg: restarted, ready again" wait_until 5 eval \
    '[ "$(hist_count "$T/hg" " ready pid=")" -ge 2 ] && up_other "$T/hg" "$p1"'

### A check that hangs: it counts as failed at check-timeout, so a service
### whose check hangs is restarted too.

mkrun "$T/hc" 'rm -f ../hc.hang; exec sleep 1000'
mkscript "$T/hc/check" 'echo "run $$"
[ -e ../hc.hang ] && { echo $$ >> ../hc.hung; exec sleep 1000; }
exit 0'
echo 100 > "$T/hc/check-interval"
echo 200 > "$T/hc/check-timeout"
echo 2 > "$T/hc/check-failures"
echo 200 > "$T/hc/timeout-kill"
start_sv hc
check "hc: ready" wait_until 5 hist_has "$T/hc" "ready pid=[0-9]+ via=check"
p1=$(pidf "$T/hc")
t0=$(now_ms)
touch "$T/hc.hang"
check "hc: unhealthy after 2 checks timed out" wait_until 5 hist_has "$T/hc" \
    "unhealthy pid=$p1 failures=2\$"
t1=$(now_ms)
check "hc: ... not before two check-timeouts ($((t1 - t0)) ms)" \
    eval 'test $((t1 - t0)) -ge 380 && test $((t1 - t0)) -le 2000'
check "hc: restarted, ready again" wait_until 5 eval \
    '[ "$(hist_count "$T/hc" " ready pid=")" -ge 2 ] && up_other "$T/hc" "$p1"'
check "hc: no check left hanging ($(tr '\n' ' ' < "$T/hc.hung"))" \
    all_gone $(cat "$T/hc.hung")
check "hc: check.out holds the last run's output" \
    grep -q '^run [0-9]*$' "$T/hc/supervise/check.out"

### check-timeout kills the check and its children at the timeout, not
### before; a child ignoring TERM gets KILL 1 s later.  The check notes
### when it started: the bounds count from there, not from when this
### script saw it (a loaded machine can take a while between the two);
### the lower bounds leave 300 ms for the check's own start.

mkrun "$T/ck" 'exec sleep 1000'
mkscript "$T/ck/check" '[ -e ../ck.done ] && exit 1
: > ../ck.done
date +%s%3N > ../ck.t0.new; mv ../ck.t0.new ../ck.t0
echo $$ > ../ck.sh.new; mv ../ck.sh.new ../ck.sh
sleep 1000 & echo $! > ../ck.child.new; mv ../ck.child.new ../ck.child
(trap "" TERM; exec sleep 1000) & echo $! > ../ck.stub.new
mv ../ck.stub.new ../ck.stub
wait'
echo 1000 > "$T/ck/check-timeout"
start_sv ck
check "ck: the check and its children run" wait_until 5 \
    eval 'test -s "$T/ck.stub"'
t0=$(cat "$T/ck.t0")
csh=$(cat "$T/ck.sh")
cch=$(cat "$T/ck.child")
cst=$(cat "$T/ck.stub")
check "ck: all three alive before check-timeout (300 ms)" holds_for 300 \
    eval 'alive "$csh" && alive "$cch" && alive "$cst"'
check "ck: the check and its child gone at check-timeout" wait_until 4 \
    eval 'gone "$csh" && gone "$cch"'
t1=$(now_ms)
check "ck: ... 1 s after the check started ($((t1 - t0)) ms)" \
    eval 'test $((t1 - t0)) -ge 700 && test $((t1 - t0)) -le 3000'
check "ck: the child ignoring TERM outlives the TERM (500 ms)" \
    holds_for 500 alive "$cst"
check "ck: ... and gets KILL 1 s after it" wait_until 3 gone "$cst"
t2=$(now_ms)
check "ck: ... 2 s after the check started ($((t2 - t0)) ms)" \
    eval 'test $((t2 - t0)) -ge 1700 && test $((t2 - t0)) -le 5000'
check "ck: not ready (the check timed out)" eval '! st_flag "$T/ck" 1'

### A pass resets the streak: fail, fail, pass, ... never restarts with
### check-failures 3.

mkrun "$T/rs" 'exec sleep 1000'
mkscript "$T/rs/check" 'n=$(($(cat ../rs.n 2>/dev/null || echo 0) + 1))
echo $n > ../rs.n
[ $n -eq 1 ] || [ $((n % 3)) -eq 1 ]'
echo 30 > "$T/rs/check-interval"
echo 3 > "$T/rs/check-failures"
start_sv rs
check "rs: ready" wait_until 5 hist_has "$T/rs" "ready pid=[0-9]+ via=check"
p1=$(pidf "$T/rs")
check "rs: fifteen checks" wait_until 10 \
    eval 'test "$(cat "$T/rs.n" 2>/dev/null)" -ge 15 2>/dev/null'
check "rs: two failures in a row at most: never unhealthy, same run" eval \
    '! hist_has "$T/rs" " unhealthy " && test "$(pidf "$T/rs")" = "$p1"'

### check-failures 0: a failing check is shown, never acted on.

mkrun "$T/z" 'exec sleep 1000'
mkscript "$T/z/check" '[ ! -e ../z.ready ] || exit 1; : > ../z.ready'
echo 20 > "$T/z/check-interval"
echo 0 > "$T/z/check-failures"
start_sv z
check "z: ready" wait_until 5 hist_has "$T/z" "ready pid=[0-9]+ via=check"
p1=$(pidf "$T/z")
check "z: the streak passes 10" wait_until 5 eval \
    'svstat -j "$T/z" | grep -q "\"checkfailures\":[1-9][0-9],\"checklimit\":0,"'
check "z: never unhealthy, same run" eval \
    '! hist_has "$T/z" " unhealthy " && test "$(pidf "$T/z")" = "$p1"'

### notification-fd with a check and a check-interval: readiness from the
### fd only, no check before it; then liveness checks.

mkrun "$T/nl" 'while [ ! -e ../nl.go ]; do sleep 0.02; done; echo >&3
exec sleep 1000'
mkscript "$T/nl/check" 'echo x >> ../nl.runs'
echo 3 > "$T/nl/notification-fd"
echo 50 > "$T/nl/check-interval"
start_sv nl
check "nl: up, starting" wait_until 5 eval \
    'svstat "$T/nl" | grep -q ", starting$"'
check "nl: no check before ready (500 ms)" holds_for 500 \
    test ! -e "$T/nl.runs"
touch "$T/nl.go"
check "nl: ready via=fd" wait_until 5 hist_has "$T/nl" "ready pid=[0-9]+ via=fd\$"
check "nl: liveness checks once ready" wait_until 5 \
    has_lines "$T/nl.runs" 3

### notification-fd with a check but no check-interval: the check never
### runs, and an idle supervise makes no system call.

mkrun "$T/nf" 'echo >&3; exec sleep 1000'
mkscript "$T/nf/check" 'echo x >> ../nf.runs'
echo 3 > "$T/nf/notification-fd"
start_sv nf
check "nf: ready via=fd" wait_until 5 hist_has "$T/nf" "ready pid=[0-9]+ via=fd\$"
check "nf: the check never runs (500 ms)" holds_for 500 test ! -e "$T/nf.runs"
if ! command -v strace >/dev/null 2>&1; then
	skip "nf idle: no system call (strace)" \
	    "strace not installed: apt-get install strace"
else
	strace -o "$T/nf.st" -p "$SVPID" 2>"$T/nf.st.err" &
	st=$!
	if ! wait_until 5 grep -q 'Process [0-9]* attached' "$T/nf.st.err"; then
		kill "$st" 2>/dev/null
		wait "$st"
		skip "nf idle: no system call (strace)" \
		    "strace cannot attach: $(head -n 1 "$T/nf.st.err")"
	else
		# A measurement over a fixed second, not a wait on a result.
		sleep 1
		kill -INT "$st"
		wait "$st"
		check "nf idle: strace saw supervise" \
		    grep -q restart_syscall "$T/nf.st"
		check_eq "nf idle: no system call in 1 s (strace)" "" \
		    "$(grep -v '^[0-9 ]*restart_syscall(' "$T/nf.st" |
		    grep -v '^+++\|^---')"
	fi
fi

### ready-timeout with notification-fd: never ready, restarted.

mkrun "$T/nt" 'exec sleep 1000'
echo 3 > "$T/nt/notification-fd"
echo 300 > "$T/nt/ready-timeout"
echo 200 > "$T/nt/timeout-kill"
start_sv nt
check "nt: unready after 300 ms" wait_until 5 hist_has "$T/nt" \
    "unready pid=[0-9]+ after=300\$"
check "nt: started again" wait_until 5 eval \
    '[ "$(hist_count "$T/nt" " start pid=")" -ge 2 ]'

### Checks that time out one after another, faster than the KILL that
### follows each TERM: every group still gets its KILL.
mkrun "$T/lk" 'exec sleep 1000'
mkscript "$T/lk/check" '(trap "" TERM; exec sleep 1000) & echo $! >> ../lk.stubs
wait'
echo 200 > "$T/lk/check-timeout"
start_sv lk
check "lk: four checks timed out" wait_until 5 \
    eval '[ "$(cat "$T/lk.stubs" 2>/dev/null | wc -l)" -ge 4 ]'
first3=$(head -n 3 "$T/lk.stubs")
check "lk: each check's group gets its KILL" wait_until 3 all_gone $first3

ALL="sch env one hg hc ck rs z nl nf nt lk"
for d in $ALL; do
	svc -x "$T/$d" 2>/dev/null
done
for d in $ALL; do
	wait_until 10 eval '! [ -e "$T/$d/supervise/ok" ] || ! svok "$T/$d"' \
	    >/dev/null
done
done_testing
