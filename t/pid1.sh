#!/bin/sh
# t/pid1.sh: svscan as the init of a container: PID 1 of its own PID
# namespace (unshare -pf --mount-proc; needs root), with and without a main
# command. Exit statuses, .svscan/init and finish, orphan reaping, the
# overall shutdown deadline with a service that ignores TERM, essential
# services, the loggers' last lines, signal forwarding, the environment,
# readiness before CMD (-r, -R), .svscan/control 't', svscan -h, a
# supervise symlink into an empty /run, and a main command on a terminal.
#
# Not tested here: SIGPWR (the same path as TERM), ^Z under a real
# `docker run -it`.
. "$(dirname "$0")/lib.sh"
. "$TOP/t/helpers/sv.sh"

# svscan in a PID namespace of its own: ns NAME ARGS... runs it in the
# foreground (stdout and stderr to $T/NAME.out, .err) and returns its exit
# status; ns_bg NAME ARGS... runs it in the background, NSPID being
# unshare's pid.
ns() {
	_n=$1
	shift
	unshare -pf --mount-proc "$BIN/svscan" "$@" >"$T/$_n.out" 2>"$T/$_n.err"
}
ns_bg() {
	_n=$1
	shift
	unshare -pf --mount-proc "$BIN/svscan" "$@" >"$T/$_n.out" \
	    2>"$T/$_n.err" &
	NSPID=$!
}
# ns_init: svscan's pid, as the parent namespace sees it.
ns_init() {
	awk '{ print $1 }' "/proc/$NSPID/task/$NSPID/children" 2>/dev/null
}
has_init() { [ -n "$(ns_init)" ]; }
# ns_wait: unshare's exit status (svscan's), waiting at most 20 s.
ns_wait() { exit_of "$NSPID" 20; }

# all_up SCANDIR: every service directory in SCANDIR is up.
all_up() {
	for _s in "$1"/*/; do
		is_up "${_s%/}" || return 1
	done
}

# sleeper DIR [TRAP]: a service that sleeps; TRAP runs on TERM.
sleeper() {
	mkrun "$1" "trap '${2:-exit 0}' TERM
while :; do sleep 1000 & wait \$!; done"
}

if ! unshare -pf --mount-proc true 2>/dev/null; then
	skip "every PID 1 test" "unshare -pf --mount-proc failed: needs root and util-linux"
	done_testing
	exit $?
fi

### Exit statuses: CMD's, 128+signal, -e, not found.

E=$T/e
sleeper "$E/s"
ns e0 "$E" -- sh -c 'exit 0'
check_eq "CMD exits 0: svscan exits 0" 0 $?
ns e7 "$E" -- sh -c 'exit 7'
check_eq "CMD exits 7: svscan exits 7" 7 $?
ns e137 "$E" -- sh -c 'kill -KILL $$'
check_eq "CMD killed by SIGKILL: 137" 137 $?
ns e143 -e 143 "$E" -- sh -c 'exit 143'
check_eq "-e 143 maps 143 to 0" 0 $?
SVSCAN_EXIT_OK="3 143" ns e143env "$E" -- sh -c 'exit 143'
check_eq "SVSCAN_EXIT_OK=\"3 143\" maps 143 to 0" 0 $?
ns e127 "$E" -- /nonexistent/cmd
check_eq "CMD not found: 127" 127 $?
check "CMD not found: one warning naming it" \
    grep -q '^svscan: warning: unable to run /nonexistent/cmd: ' "$T/e127.err"
# A CMD that ends at once may beat supervise to its set-up: it is then
# told to stop before it started anything, and writes no status at all.
check "the service is not left up" eval \
    '[ ! -e "$E/s/supervise/status" ] || is_down "$E/s"'

### .svscan/init: its failure starts nothing; finish runs after the services.

I=$T/i
mkrun "$I/a" "echo started >> '$T/i-started'; exec sleep 1000"
mkdir -p "$I/.svscan"
mkscript "$I/.svscan/init" "echo init >> '$T/i-order'; exit 3"
ns ifail "$I" -- sh -c "echo cmd >> '$T/i-order'"
check_eq "init exits 3: svscan exits 3" 3 $?
check_eq "init failing: CMD not run" "init" "$(cat "$T/i-order")"
check "init failing: no service started" eval '[ ! -e "$T/i-started" ]'
check "init failing: one fatal line" grep -q \
    '^svscan: fatal: .svscan/init failed (exit 3), starting nothing' "$T/ifail.err"

F=$T/f
sleeper "$F/a" "echo a-down >> '$T/f-order'; exit 0"
sleeper "$F/b" "sleep 0.2; echo b-down >> '$T/f-order'; exit 0"
mkdir -p "$F/.svscan"
mkscript "$F/.svscan/init" "echo init >> '$T/f-order'"
mkscript "$F/.svscan/finish" "echo finish >> '$T/f-order'"
ns fin "$F" -- sh -c "echo cmd >> '$T/f-order'; sleep 0.3"
check_eq "init, CMD: svscan exits 0" 0 $?
check_eq "init first, then CMD, finish after every service is down" "init
cmd
a-down
b-down
finish" "$(cat "$T/f-order")"

### Orphans: double-forked children are reaped by PID 1.

O=$T/o
sleeper "$O/s"
ns orph "$O" -- sh -c '
for i in 1 2 3 4 5; do (sleep 0.1 &); (sh -c "exit 0" &); done
sleep 1
z=0
for f in /proc/[0-9]*/stat; do
	set -- $(sed "s/.*) //" "$f" 2>/dev/null)
	[ "$1" = Z ] && z=$((z + 1))
done
echo "$z"'
check_eq "orphans: svscan exits 0" 0 $?
check_eq "no zombie left 1 s after ten orphans died" 0 "$(cat "$T/orph.out")"

### SIGTERM, ten services, one ignoring TERM: within the deadline.

D=$T/d
for i in 1 2 3 4 5 6 7 8 9; do
	sleeper "$D/s$i" "echo s$i >> '$T/d-term'; exit 0"
done
mkrun "$D/deaf" "trap '' TERM
while :; do sleep 1000 & wait \$!; done"
echo 0 > "$D/deaf/timeout-kill"	# never: only the deadline stops it
ns_bg dterm -k 1500 "$D"
check "svscan is PID 1 of its namespace" wait_until 10 has_init
check "ten services up" wait_until 10 all_up "$D"
t0=$(now_ms)
kill -TERM "$(ns_init)"
ns_wait
rc=$?
t1=$(now_ms)
check_eq "SIGTERM, one killed at the deadline: exit 1" 1 "$rc"
check "exits within the deadline (1.5 s) plus 1.5 s" lt $((t1 - t0)) 3000
check "and not before the deadline" ge $((t1 - t0)) 1400
check_eq "the nine others handled TERM" 9 "$(sort -u "$T/d-term" | wc -l | tr -d ' ')"
check "the deaf one was killed" hist_has "$D/deaf" 'exit pid=[0-9]+ signal=KILL'
check "a warning says the deadline passed" \
    grep -q 'shutdown deadline of 1500 ms passed' "$T/dterm.err"

# The same without the deaf one: svscan leaves the moment all are down.
rm -rf "$D/deaf"
ns_bg dfast -k 5000 "$D"
check "nine services up" wait_until 10 has_init
wait_until 10 all_up "$D"
t0=$(now_ms)
kill -TERM "$(ns_init)"
ns_wait
rc=$?
t1=$(now_ms)
check_eq "SIGTERM, all handle it: exit 0" 0 "$rc"
check "no fixed wait: gone well within the 5 s deadline" lt $((t1 - t0)) 2500

### An essential service down for good stops the container with its code.

S=$T/s
sleeper "$S/other"
mkrun "$S/job" "sleep 0.2; exit 5"
touch "$S/job/essential"
echo never > "$S/job/restart"
ns_bg ess "$S" -- sh -c "sleep 30"
ns_wait
check_eq "essential service exits 5 (restart never): svscan exits 5" 5 $?
check "a warning names it" grep -q 'essential service job is down for good' \
    "$T/ess.err"
check "the other service was stopped" is_down "$S/other"
# The same directory again (a container restarted on its disk): the status
# left by the run above says "down for good", but it is not this run's.
mkrun "$S/job" "exec sleep 1000"
echo always > "$S/job/restart"
ns ess2 "$S" -- sh -c "sleep 0.5; exit 4"
check_eq "a stale 'down for good' status does not stop the new run" 4 $?

### The loggers' last lines are on disk before svscan exits.

L=$T/l
mkrun "$L/talk" "trap 'echo last words; exit 0' TERM
echo first words
while :; do sleep 1000 & wait \$!; done"
mkdir -p "$L/talk/log"
ln -s "$BIN/svlog" "$L/talk/log/run"
mkrun "$L/plain" "echo plain to stdout; exec sleep 1000"
mkrun "$L/named" "echo named to stdout; exec sleep 1000"
mkdir -p "$L/named/log"
mkscript "$L/named/log/run" "exec '$BIN/svlog' -P named -"
ns logs "$L" -- sh -c "sleep 0.3"
check_eq "logged service: exit 0" 0 $?
check "a service without log/ writes to svscan's stdout" \
    grep -qx 'plain to stdout' "$T/logs.out"
check "log/run = svlog -P named -: stamped and named on svscan's stdout" \
    grep -Eq '^[0-9-]+T[0-9:.]+Z named: named to stdout$' "$T/logs.out"
check "the first line is logged" grep -q ' first words$' "$L/talk/log/main/current"
check "the last line (written on TERM) is logged" \
    grep -q ' last words$' "$L/talk/log/main/current"

### Signals are forwarded to CMD; the environment reaches CMD and services.

G=$T/g
mkrun "$G/env" "echo \"\$TEND_TEST_VAR\" > '$T/g-svcenv'; exec sleep 1000"
ns_bg sig "$G" -- sh -c "echo \"\$TEND_TEST_VAR\" > '$T/g-cmdenv'
trap 'echo usr1 > \"$T/g-usr1\"; exit 0' USR1
while :; do sleep 0.05; done"
check "svscan runs" wait_until 10 has_init
check "CMD runs" wait_until 10 test -e "$T/g-cmdenv"
kill -USR1 "$(ns_init)"
ns_wait
check_eq "USR1 forwarded: CMD handled it, exit 0" 0 $?
check_eq "CMD saw USR1" usr1 "$(cat "$T/g-usr1" 2>/dev/null)"
TEND_TEST_VAR="a b=c" ns env "$G" -- sh -c "echo \"\$TEND_TEST_VAR\" > '$T/g-cmdenv'; sleep 0.3"
check_eq "CMD's environment unchanged" "a b=c" "$(cat "$T/g-cmdenv")"
check_eq "a service's environment unchanged" "a b=c" "$(cat "$T/g-svcenv")"

# After a forwarded TERM, the services keep running while CMD shuts down.
ns_bg keep "$G" -- sh -c "trap 'od -An -tu1 -j 19 -N 1 \"$G/env/supervise/status\" > \"$T/g-state\"; exit 0' TERM
while :; do sleep 0.05; done"
check "svscan runs" wait_until 10 has_init
wait_until 10 is_up "$G/env"
kill -TERM "$(ns_init)"
ns_wait
check_eq "TERM to CMD: its own exit 0" 0 $?
check_eq "the service was still up while CMD handled TERM" 1 \
    "$(tr -d ' ' < "$T/g-state" 2>/dev/null)"

### Readiness before CMD: -r waits for it, -R fails without it.

R=$T/r
mkrun "$R/slow" "sleep 0.3; touch '$T/r-ready'; echo >&3; exec sleep 1000"
echo 3 > "$R/slow/notification-fd"
ns ready -r 5000 "$R" -- sh -c "test -e '$T/r-ready' && echo yes"
check_eq "-r: exit 0" 0 $?
check_eq "-r: CMD started after the service was ready" yes "$(cat "$T/ready.out")"
rm -f "$T/r-ready"
mkrun "$R/never" "exec sleep 1000"
echo 3 > "$R/never/notification-fd"
ns notready -r 400 -R "$R" -- sh -c "echo ran > '$T/r-ran'"
check_eq "-R: a service never ready: exit 111" 111 $?
check "-R: CMD never ran" eval '[ ! -e "$T/r-ran" ]'
check "-R: the warning names the service" grep -q 'not ready after 400 ms: never' \
    "$T/notready.err"
ns late -r 300 "$R" -- sh -c "echo ran > '$T/r-ran'"
check_eq "-r without -R: CMD runs anyway" 0 $?
check "-r without -R: CMD ran" test -e "$T/r-ran"
check "-r without -R: a warning" grep -q 'not ready after 300 ms: never' "$T/late.err"
rm -rf "$R/never"

### .svscan/control 't' with CMD: CMD gets TERM, its status is ours.

C=$T/c
sleeper "$C/s"
ns_bg ctl "$C" -- sh -c "touch '$T/c-run'; exec sleep 1000"
check "CMD runs (the control FIFO is open by then)" wait_until 10 test -e "$T/c-run"
timeout 5 sh -c 'printf t > "$1"' ctl "$C/.svscan/control"
ns_wait
check_eq "'t': CMD killed by TERM, svscan exits 143" 143 $?

### A read-only image: supervise is a symlink into an empty /run.

Y=$T/y
sleeper "$Y/ro"
ln -s "$T/run/tend/ro" "$Y/ro/supervise"
ns ro "$Y" -- sh -c "sleep 0.3; cat '$T/run/tend/ro/stat'"
check_eq "supervise -> a missing /run path: exit 0" 0 $?
check_eq "the target was created and holds the status" run "$(cat "$T/ro.out")"

### svscan -h shows the values in effect.

SVSCAN_KILL_TIMEOUT=1234 SVSCAN_SIGNAL_PID=1 svscan -h -e 3 >"$T/h.out" 2>&1
check_eq "svscan -h: exit 0" 0 $?
check "-h: the kill timeout from the environment" grep -q 'SVSCAN_KILL_TIMEOUT): 1234$' "$T/h.out"
check "-h: -g from the environment" grep -q 'SVSCAN_SIGNAL_PID): yes$' "$T/h.out"
check "-h: -e from the command line" grep -q 'SVSCAN_EXIT_OK): 3$' "$T/h.out"
SVSCAN_KILL_TIMEOUT=abc svscan -h >/dev/null 2>"$T/h.err"
check_eq "a bad variable: exit 100" 100 $?
check "a bad variable: named" grep -q 'invalid SVSCAN_KILL_TIMEOUT: "abc"' "$T/h.err"
svscan "$E" -- >/dev/null 2>&1
check_eq "-- without a command: 100" 100 $?

### A main command on a terminal gets its foreground process group.

if command -v script >/dev/null 2>&1; then
	K=$T/k
	sleeper "$K/s"
	# /proc/PID/stat after "(comm) ": state ppid pgrp session tty tpgid
	script -qec "$BIN/svscan '$K' -- sh -c 'sed \"s/.*) //\" /proc/\$\$/stat | cut -d\" \" -f3,6 > \"$T/k-pg\"'" \
	    /dev/null >/dev/null 2>&1
	read -r pg tpg < "$T/k-pg"
	check "a tty CMD ran" test -n "$pg"
	check_eq "a tty CMD is the terminal's foreground group" "$pg" "$tpg"
else
	skip "tty CMD" "script not installed: apt-get install bsdutils"
fi

done_testing
